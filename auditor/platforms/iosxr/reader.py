"""IOS-XR (service-provider and core routers): the config read as the device applies it, into the neutral model.

Semantics, with their sources (Cisco IOS XR System Security Configuration
Guide, "Implementing Secure Shell" and "Implementing Management Plane
Protection"; IOS XR System Security Command Reference, "Secure Shell
Commands", "Management Plane Protection Commands"; IOS XR System Management
Configuration Guide / Command Reference, "Terminal Services" (line templates,
`vty-pool`); IOS XR IP Addresses and Services Command Reference, `telnet
server`; IOS XR System Management Configuration Guide, "Configuration
Management" (commit, commit confirmed, rollback)):

* Servers run only when configured. Telnet: `telnet [vrf NAME] ipv4|ipv6
  server max-servers N` ("Before creating or modifying the vty pools, enable
  the telnet server"); `no telnet ...` removes it. SSH: `ssh server v2`, `ssh
  server vrf NAME` or a bare `ssh server` bring the server up; `ssh server
  logging|rate-limit|session-limit|netconf ...` tune it and start nothing.
* VTY sessions come from VTY pools: `vty-pool default FIRST LAST
  [line-template NAME]` (without the command, the default pool is lines 0-4
  on the `line default` template), user pools `vty-pool NAME FIRST LAST
  line-template T`; the `eem` pool serves Embedded Event Manager scripts, not
  inbound sessions, and is not an access path. Each template a pool uses is
  one access path here, named as its header (`line default`, `line template
  NAME`), which is where its fix goes.
* Templates: "attributes not defined in any virtual template are taken from the
  default template" (`line default`). `transport input` defaults to all
  protocols; what a template admits is its transport set, limited to the
  servers that run. `access-class ingress NAME` fences a template (`egress`
  filters sessions started from the router). A server ACL (`ssh server [vrf
  NAME] ipv4 access-list ACL`, `telnet ... server max-servers N access-list
  ACL`) filters that server's sessions: when every server feeding a template
  (each protocol it admits, in each VRF the server runs in) names the same
  IPv4 ACL, that ACL fences the template as an access-class does. `exec-timeout M S` defaults to 10
  minutes. `login authentication LIST` names an AAA list; IOS-XR always
  authenticates (there is no `no login`), with the local users when no list
  says otherwise.
* Management Plane Protection (`control-plane` / `management-plane` /
  `inband|out-of-band` / `interface NAME|all` / `allow PROTOCOL|all [peer]` /
  `address ipv4|ipv6 PEER`) is off by default. Once an interface is listed,
  only listed interfaces and the route processors' management Ethernet
  interfaces take management traffic; "if no specific peer is configured, all
  peers are allowed". It fences a template only when every `allow` that
  covers SSH or Telnet names peers and the management Ethernet interfaces are
  covered too (`interface all`, or a `MgmtEth` interface with peers): its
  peers then stand in for an access-class (an ACL named `management-plane`,
  judged like any other, VTY005).
* ACLs: `ipv4 access-list NAME` / `ipv6 access-list NAME`, sequence numbers,
  `permit ipv4 SOURCE ...` with wildcards, prefixes, `host`, `any`; first
  match, implicit deny (`auditor.acl`).
* Users: `username NAME` blocks. `password [0|7] VALUE` is recoverable
  (PWD004); `secret [0] VALUE` is hashed by the router when it takes it, and
  printed as `secret 5|8|9|10 HASH` (MD5, PBKDF2, scrypt, SHA-512): the
  neutral model's `secret`. `group root-lr` / `root-system` / `netadmin` is
  full privilege.
* SSH version: releases that implement SSHv1 accept it unless `ssh server v2`
  is configured ("Cisco IOS XR software supports both SSHv1 and SSHv2", ASR
  9000 System Security Configuration Guide 4.2); VTY010 asks for `ssh server
  v2`, which every release takes.
* Changes are made in a target configuration and committed. `commit confirmed
  minutes N` applies them and undoes them after N minutes unless a `commit`
  confirms them (from any session); `rollback configuration last 1` undoes
  the last commit. Nothing needs saving: a commit is persistent.
* The console: `line console` opens its template, which takes what it does not
  set from `line default` ("Line Template Guidelines" in the System Management
  Configuration Guide). It always authenticates (`aaa authentication`: "For
  console and vty access, if no authentication is configured, a default of
  local method is applied"); login methods are server groups, `local` and
  `line`.
* Line credentials: `password [0|7] VALUE` and `secret [0|5] VALUE` in a
  template (Cisco's IOS-XR line data model: password types 0 and 7, secret
  types 0 and 5). Only the `line` method uses them ("line: Use the line
  password or user group for authentication", System Security Configuration
  Guide, "Configuring AAA Services"); they are stored credentials either way.

The router prints every keyword in full; the lines are read as written
(abbreviations in an intended config are not expanded). Not read here: server
ACLs that differ from one server to another (the template is then reported
unfenced).
Secrets typed in clear in an intended config (`secret 0 VALUE`) are PWD008's,
fixed with a new secret under the user.
"""

from __future__ import annotations

import ipaddress
import re

from auditor.model import MASKED, AccessClass, Acl, AclEntry, Credential, DeviceModel, LineKind, LineSettings, LoginMode, Section, User
from auditor.parse import command_words
from auditor.platforms import define_sequenced_acl


CONSOLE = " console"  # the console's template among the named ones (a name never holds a space)


MPP_ACL = "management-plane"  # the name the reader gives the peers of Management Plane Protection


WANTED = re.compile(
    r"^(?:no\s+)?(?:hostname\s|telnet\s|ssh\s+server\b|vty-pool\s|line\s+(?:default|template\s|console)|ipv4\s+access-list\s|ipv6\s+access-list\s"
    r"|username\s|aaa\s+authentication\s+login\s|control-plane\s*$)"
)


_PRIVILEGED_GROUPS = {"root-lr", "root-system", "netadmin", "sysadmin"}


_SSH_TUNING = {"logging", "rate-limit", "session-limit", "netconf", "dscp", "algorithms", "enable", "disable", "rekey-time", "rekey-volume", "port", "trustpoint", "max-auth-limit", "capture"}


# What the reader reads, written in full: first keywords (with the keywords that matter after them),
# and the sub-commands of the blocks it reads. An abbreviation of any of them is reported (VTY016).
TOP = {
    "telnet": {"server", "ipv4", "ipv6", "vrf", "max-servers"},
    "ssh": {"server", "v2", "vrf"},
    "vty-pool": {"line-template"},
    "line": {"default", "template", "console"},
    "username": None,
    "control-plane": None,
    "ipv4": {"access-list"},
    "ipv6": {"access-list"},
    "aaa": {"authentication", "login"},
    "hostname": None,
}


CHILDREN = {
    "line": {"transport", "access-class", "exec-timeout", "login", "ipv6", "password", "secret"},
    "username": {"password", "secret", "group"},
    "control-plane": {"management-plane", "inband", "out-of-band", "interface", "allow", "address"},
}


def server_key(text: str) -> str:
    words = text.split()
    vrf = words[words.index("vrf") + 1] if "vrf" in words[:3] and words.index("vrf") + 1 < len(words) else "default"
    family = next((w for w in words if w in ("ipv4", "ipv6")), "ipv4")
    return f"{vrf} {family}"


def _number(word: str) -> int | None:
    from auditor.keywords import number

    return number(word, 4)


class State:
    """The running state as IOS-XR applies the commands, in order."""

    def __init__(self) -> None:
        self.facts: dict = {}
        self.telnet: dict[str, int] = {}  # "vrf family" -> line of the server command in effect
        self.ssh_on: int | None = None  # the line that started the SSH server
        self.ssh_v2: int | None = None
        self.ssh_vrfs: set[str] = set()  # the VRFs the SSH server serves (`ssh server vrf NAME`; `default` for a bare one)
        self.server_acls: dict[str, tuple[str, int]] = {}  # "ssh|telnet VRF" -> (IPv4 ACL filtering that server, line)
        self.pools: dict[str, tuple[int, int, str, int]] = {}  # name -> (first, last, template, line)
        self.templates: dict[str, dict] = {}  # "default" or a name -> settings as written, and "_line"
        self.acls: dict[str, dict] = {}
        self.ipv6_acls: dict[str, dict] = {}
        self.users: dict[str, dict] = {}
        self.aaa_login: dict[str, str] = {}
        self.mpp: list[dict] = []  # {"plane", "interface", "protocol", "peer", "peers", "line"}
        self.mpp_line: int | None = None
        self.headers: list[tuple[int, str]] = []  # (line, template header) of every template block, in order

    def apply(self, block) -> None:
        words, low, negate = command_words(block.cmd.text)
        if not low:
            return
        line = block.cmd.line
        head = low[0]
        if head == "hostname" and len(words) >= 2 and not negate:
            self.facts["hostname"] = words[1]
        elif head == "telnet" and "server" in low:
            key = server_key(" ".join(low))
            if negate:
                self.telnet.pop(key, None)
                self.server_acls.pop("telnet " + key, None)
            else:
                self.telnet[key] = line
                acl = words[low.index("access-list") + 1] if "access-list" in low[:-1] else None
                if acl is not None:
                    self.server_acls["telnet " + key] = (acl, line)
                else:
                    self.server_acls.pop("telnet " + key, None)
        elif head == "ssh" and low[1:2] == ["server"]:
            option = low[2] if len(low) > 2 else ""
            if option == "v2":
                self.ssh_v2 = None if negate else line
                if not negate:
                    self.ssh_on = self.ssh_on or line
                    self.ssh_vrfs.add("default")
            elif option in ("", "vrf"):
                self.ssh_on = None if negate and option == "" else (self.ssh_on or line) if not negate else self.ssh_on
                vrf = words[3] if option == "vrf" and len(words) > 3 else "default"
                if not (negate and option == "vrf" and len(low) > 4):  # `no ssh server vrf X ipv4 access-list A` keeps the server
                    (self.ssh_vrfs.discard if negate else self.ssh_vrfs.add)(vrf)
                self._ssh_acl(vrf, words, low, negate, line)
            elif option in ("ipv4", "ipv6") and low[3:4] == ["access-list"]:
                self._ssh_acl("default", words, low, negate, line)  # `ssh server ipv4 access-list NAME`: the default VRF
            elif option not in _SSH_TUNING and not negate:
                self.ssh_on = self.ssh_on or line
        elif head == "vty-pool" and len(words) >= 4:
            name = low[1]
            if negate:
                self.pools.pop(name, None)
                return
            first, last = _number(words[2]), _number(words[3])
            if first is None or last is None:
                return
            template = words[words.index("line-template") + 1] if "line-template" in low[4:] and low.index("line-template") + 1 < len(words) else "default"
            self.pools[name] = (first, last, template, line)
        elif head == "line" and len(low) >= 2 and low[1] in ("default", "template", "console"):
            # `line console` opens the console's template, kept apart from a user template that
            # happens to be named `console` (`line template console`).
            template_key = {"default": "default", "console": CONSOLE}.get(low[1]) or (words[2] if len(words) > 2 else None)
            if template_key is None:
                return
            if negate:
                self.templates.pop(template_key, None)
                return
            opened = self.templates.setdefault(template_key, {"_line": line})
            self.headers.append((line, _template_name(template_key)))
            for child in block.children:
                self._template(opened, child)
        elif head in ("ipv4", "ipv6") and len(low) >= 3 and low[1] == "access-list":
            define_sequenced_acl(self.acls if head == "ipv4" else self.ipv6_acls, words[2], block, line, negate)
        elif head == "username" and len(words) >= 2:
            self._username(block, words, low, negate)
        elif head == "aaa" and low[1:3] == ["authentication", "login"] and len(words) >= 5:
            if negate:
                self.aaa_login.pop(words[3], None)
            else:
                self.aaa_login[words[3]] = " ".join(words[4:])
        elif head == "control-plane" and not negate:
            self._control_plane(block)

    def _ssh_acl(self, vrf: str, words, low, negate: bool, line: int) -> None:
        """`ssh server [vrf NAME] ipv4 access-list ACL`: the IPv4 ACL that filters the SSH server in that VRF."""
        if "ipv4" not in low or low.index("ipv4") + 2 >= len(low) or low[low.index("ipv4") + 1] != "access-list":
            if negate:
                self.server_acls.pop("ssh " + vrf + " ipv4", None)
            return
        key = "ssh " + vrf + " ipv4"
        if negate:
            self.server_acls.pop(key, None)
        else:
            self.server_acls[key] = (words[low.index("ipv4") + 2], line)

    def _server_fence(self, accepted: tuple[str, ...]) -> AccessClass | None:
        """The IPv4 ACL of every server feeding a template, when they all name the same one: it fences
        the template as an access-class would (IOS XR System Security Command Reference, `ssh server`:
        "ipv4 access-list: IPv4 access list to filter SSH sessions"; `telnet ... server ... access-list`)."""
        keys = [f"ssh {vrf} ipv4" for vrf in sorted(self.ssh_vrfs)] if "ssh" in accepted else []
        keys += [f"telnet {k}" for k in sorted(self.telnet) if k.endswith(" ipv4")] if "telnet" in accepted else []
        found = {self.server_acls.get(k, (None, 0))[0] for k in keys}
        if not keys or None in found or len(found) != 1:
            return None
        name = found.pop()
        assert name is not None  # None was ruled out above
        return AccessClass(name=name, line=min(self.server_acls[k][1] for k in keys))

    def _template(self, template: dict, cmd) -> None:
        words, low, negate = command_words(cmd.text)
        if low[:2] == ["transport", "input"]:
            template["transport"] = None if negate else (tuple(low[2:]), cmd.line)
        elif low[:1] == ["access-class"] and len(words) >= 3 and low[1] == "ingress":
            template["acl_in"] = None if negate else AccessClass(name=words[2], line=cmd.line)
        elif low[:2] == ["ipv6", "access-class"] and len(words) >= 4 and low[2] == "ingress":
            template["acl6_in"] = None if negate else AccessClass(name=words[3], line=cmd.line)
        elif low[:1] == ["exec-timeout"] and len(words) >= 2:
            minutes, seconds = _number(words[1]), _number(words[2]) if len(words) > 2 else 0
            if negate:
                template["timeout"] = None
            elif minutes is not None and seconds is not None:
                template["timeout"] = ((minutes, seconds), cmd.line)
        elif low[:2] == ["login", "authentication"] and len(words) >= 3:
            template["login"] = None if negate else (words[2], cmd.line)
        elif low[:1] in (["password"], ["secret"]):
            template[low[0]] = None if negate or len(words) < 2 else _credential(words[1:], cmd.line, cmd.text.strip())

    def _username(self, block, words, low, negate: bool) -> None:
        name = words[1]
        if negate:
            self.users.pop(name, None)
            return
        user = self.users.setdefault(name, {"name": name, "line": block.cmd.line, "lines": []})
        user["lines"].append((block.cmd.line, block.cmd.text))
        inline = [(block.cmd.line, " ".join(words[2:]))] if len(words) > 2 else []
        for line, text in inline + [(c.line, c.text) for c in block.children]:
            sub, sub_low, sub_negate = command_words(text)
            if not sub_low:
                continue
            if sub_low[0] == "group" and len(sub) >= 2 and sub_low[1] in _PRIVILEGED_GROUPS:
                user["privilege"] = 15
            elif sub_low[0] in ("password", "secret"):
                kind = "password" if sub_low[0] == "password" else "secret"
                if sub_negate:
                    user.pop(kind, None)
                    continue
                user[kind] = _credential(sub[1:], line, text.strip())
                if line != block.cmd.line:
                    user["lines"].append((line, text.strip()))

    def _control_plane(self, block) -> None:
        """Management Plane Protection, read in order: each keyword says which level it opens."""
        plane = interface = None
        current: dict | None = None
        for child in block.children:
            words, low, negate = command_words(child.text)
            if not low or negate:
                continue
            if low[0] == "management-plane":
                self.mpp_line = self.mpp_line or child.line
            elif low[0] in ("inband", "out-of-band"):
                plane, interface, current = low[0], None, None
            elif low[0] == "interface" and len(words) >= 2 and plane:
                interface, current = words[1], None
            elif low[0] == "allow" and len(low) >= 2 and interface:
                current = {"plane": plane, "interface": interface, "protocol": low[1], "peer": "peer" in low[2:], "peers": [], "line": child.line}
                self.mpp.append(current)
            elif low[0] == "address" and len(words) >= 3 and current is not None:
                current["peers"].append((words[2], child.line))

    def _mpp_fence(self) -> tuple[list[tuple[str, int]] | None, str]:
        """(the peers standing in for an access-class, or None; what MPP does, for the evidence)."""
        allows = [a for a in self.mpp if a["protocol"] in ("ssh", "telnet", "all")]
        if not allows:
            return None, ""
        open_ = [a for a in allows if not a["peers"]]
        covered = any(a["interface"].lower() == "all" or a["interface"].lower().startswith("mgmteth") for a in allows)
        if open_:
            a = open_[0]
            return None, f"Management Plane Protection allows {a['protocol']} on {a['interface']} from every peer (line {a['line']})"
        if not covered:
            return None, "Management Plane Protection names peers, but the management Ethernet interfaces still accept every address"
        return [p for a in allows for p in a["peers"]], f"Management Plane Protection admits only its peers (line {allows[0]['line']})"

    def _console(self, default: dict, first_config: int) -> Section:
        """The console port: `line console`, whose unset attributes come from `line default` (IOS XR
        System Management Configuration Guide, "Line Template Guidelines": "Attributes not defined in
        the console template, or any virtual template, are taken from the default template"). It
        always authenticates: with no list, the local users ("For console and vty access, if no
        authentication is configured, a default of local method is applied", IOS XR System Security
        Command Reference, `aaa authentication`); a login list's methods are servers, `local` or
        `line` (the template's password or secret), never `none`."""
        own = self.templates.get(CONSOLE, {})
        setting = {k: own[k] if k in own else default.get(k) for k in _INHERITED}
        login = setting["login"]
        aaa_list = login[0] if login else "default"
        if aaa_list not in self.aaa_login:
            aaa_list = None if aaa_list == "default" else aaa_list  # an undefined named list stays: VTY011
        return Section(
            kind=LineKind.CON,
            first=0,
            last=0,
            header_line=own.get("_line") or first_config,
            implicit=CONSOLE not in self.templates,
            numbered=False,
            label="line console",
            settings=LineSettings(  # no access-class: the console takes no network sessions
                exec_timeout=setting["timeout"][0] if setting["timeout"] else None,
                exec_timeout_line=setting["timeout"][1] if setting["timeout"] else None,
                login=LoginMode.AAA if aaa_list else LoginMode.LOCAL,
                login_list=aaa_list,
                login_line=login[1] if login else None,
                **_credentials(setting),
            ),
        )

    def model(self, lines: list[str]) -> DeviceModel:
        protocols = ({"ssh"} if self.ssh_on else set()) | ({"telnet"} if self.telnet else set())
        pools = {k: v for k, v in self.pools.items() if k != "eem"}
        if "default" not in pools:
            pools["default"] = (0, 4, "default", 0)
        default = self.templates.get("default", {})
        first_config = next((i for i, t in enumerate(lines, 1) if t.strip() and not t.lstrip().startswith("!")), 1)
        peers, mpp_note = self._mpp_fence()
        acls = {k: Acl(name=k, family="ipv4", kind="extended", **v) for k, v in self.acls.items()}
        acls6 = {k: Acl(name=k, family="ipv6", kind="ipv6", **v) for k, v in self.ipv6_acls.items()}
        mpp_class = None
        if peers is not None:
            entries = []
            for peer, line in peers:
                try:
                    network = ipaddress.ip_network(peer, strict=False)
                except ValueError:
                    continue
                if network.version == 4:
                    entries.append(AclEntry(text=f"permit ipv4 {network} any", line=line))
            acls[MPP_ACL] = Acl(name=MPP_ACL, family="ipv4", kind="extended", line=self.mpp_line or first_config, entries=tuple(entries))
            mpp_class = AccessClass(name=MPP_ACL, line=self.mpp_line or first_config)
        sections = []
        by_template: dict[str, list[tuple[int, int, int]]] = {}
        for first, last, template, line in pools.values():
            by_template.setdefault(template, []).append((first, last, line))
        for template, ranges in sorted(by_template.items(), key=lambda item: min(r[0] for r in item[1])):
            own = self.templates.get(template, {}) if template != "default" else {}
            setting = {k: own[k] if k in own else default.get(k) for k in _INHERITED}
            written = setting["transport"][0] if setting["transport"] else ("all",)
            admits = {"ssh", "telnet"} if "all" in written else set(written) & {"ssh", "telnet"}
            accepted = tuple(sorted(protocols & admits))
            telnet_line = min(self.telnet.values()) if "telnet" in accepted else None
            login = setting["login"]
            aaa_list = login[0] if login else ("default" if "default" in self.aaa_login else None)
            name = "line default" if template == "default" else f"line template {template}"
            header = (self.templates.get(template) or {}).get("_line") or min((r[2] for r in ranges if r[2]), default=first_config)
            settings = LineSettings(
                transport_input=accepted,
                transport_line=telnet_line or (setting["transport"][1] if setting["transport"] else self.ssh_on),
                access_class_in=setting["acl_in"] or mpp_class or self._server_fence(accepted),
                ipv6_access_class_in=setting["acl6_in"],
                exec_timeout=setting["timeout"][0] if setting["timeout"] else None,
                exec_timeout_line=setting["timeout"][1] if setting["timeout"] else None,
                login=LoginMode.AAA if aaa_list else LoginMode.LOCAL,
                login_list=aaa_list,
                login_line=login[1] if login else None,
                **_credentials(setting),
            )
            sections.append(
                Section(
                    kind=LineKind.VTY,
                    first=min(r[0] for r in ranges),
                    last=max(r[1] for r in ranges),
                    header_line=header,
                    implicit=template not in self.templates,
                    numbered=False,
                    label=name,
                    settings=settings,
                )
            )
        sections.append(self._console(default, first_config))
        return DeviceModel(
            platform="iosxr",
            hostname=self.facts.get("hostname"),
            version=_release(lines),
            sections=tuple(sections),
            acls=acls,
            ipv6_acls=acls6,
            users={k: User(**{**v, "lines": tuple(v["lines"])}) for k, v in self.users.items()},
            aaa_new_model=True,
            aaa_login_lists=dict(self.aaa_login),
            ip_ssh_version=2 if self.ssh_v2 else None,
            first_line_header=sections[0].header_line if sections else first_config,
            first_config_line=first_config,
            ssh_configured=self.ssh_on is not None,
            source_lines=tuple(lines),
            platform_notes={
                k: v
                for k, v in (
                    ("mpp", mpp_note),
                    ("telnet", "\n".join(lines[n - 1].strip() for n in self.telnet.values())),
                    ("ssh_vrfs", " ".join(sorted(self.ssh_vrfs))),
                    ("line_headers", "\n".join(f"{n} {h}" for n, h in self.headers)),
                )
                if v
            },
        )


_INHERITED = ("transport", "acl_in", "acl6_in", "timeout", "login", "password", "secret")


def _credentials(setting: dict) -> dict:
    """The line credential fields of a template's effective settings."""
    password = setting["password"]
    return dict(
        password_type=(MASKED if password.masked else password.type) if password else None,
        password_line=password.line if password else None,
        secret=setting["secret"],
    )


def _credential(rest: list[str], line: int, text: str) -> Credential:
    """`[TYPE] VALUE` after `password` or `secret`: no type is type 0 (clear)."""
    typed = len(rest) >= 2 and rest[0].isdigit() and len(rest[0]) <= 2
    value_type = int(rest[0]) if typed else 0
    value = rest[1] if typed else (rest[0] if rest else "")
    masked = value.startswith("<") and value.endswith(">")
    return Credential(type=value_type, line=line, text=text, masked=masked and value_type == 0)


def _template_name(name: str) -> str:
    """The header that opens a template: `line default`, `line console`, `line template NAME`."""
    return {"default": "line default", CONSOLE: "line console"}.get(name) or f"line template {name}"


def _release(lines: list[str]) -> str | None:
    """The release in the `!! IOS XR Configuration 7.9.2` header."""
    for text in lines[:50]:
        if text.startswith("!! IOS XR") and "Configuration" in text:
            words = text.split()
            return words[-1] if words[-1][:1].isdigit() else None
    return None
