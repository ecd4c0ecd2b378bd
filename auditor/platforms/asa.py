"""ASA (Adaptive Security Appliance firewalls): its own reading of management access, and its own remediation syntax.

Semantics, with their sources (Cisco ASA Series General Operations CLI
Configuration Guide 9.x, "Management Access": "Configure SSH Access",
"Configure Telnet Access", "Configure AAA for System Administrators"; Cisco ASA
Series Command Reference, `ssh`, `telnet`, `enable password`, `username`):

* There are no VTY lines. `telnet {ADDRESS MASK | ADDRESS6/LEN} IFNAME` and
  `ssh {ADDRESS MASK | ADDRESS6/LEN} IFNAME` name the hosts or networks that
  may open a Telnet or SSH session to the ASA on that interface; an interface
  with no such entry accepts none. `no telnet ...` / `no ssh ...` remove one
  entry. `0.0.0.0 0.0.0.0` (also written `0 0`) or `::/0` admits every source.
  `name ADDRESS NAME` lets an entry use a name for the address.
* Each protocol and interface is one access path here, named as the commands
  name it (`telnet inside`, `ssh outside`), with the entries as its fence. An
  entry admitting every source leaves that path unfenced (VTY003).
* Telnet to the lowest-security interface is refused unless it arrives inside
  a VPN tunnel; an entry for it still says the configuration means to allow
  Telnet, and is reported.
* SSH: from 8.4 the default `pix`/`asa` user is gone: SSH needs `aaa
  authentication ssh console LOCAL` (or a server group) and a user. Only SSH
  version 2 exists on current releases; `ssh version 1` on an old release
  allows version 1.
* `enable password VALUE [level N] encrypted|pbkdf2` and `username NAME
  password VALUE [encrypted|pbkdf2|nt-encrypted] [privilege N]` are what the
  ASA prints: hashes. Without the keyword (an intended config, a change
  snippet) the value is typed in clear; the ASA hashes it when it takes it.
* Changes are saved with `write memory`. There is no revert timer and no
  configuration rollback: until the change is saved, a reload restores the
  saved configuration, and a second session is the only check before saving.

* `ssh timeout N` / `telnet timeout N`: the idle timeout of every SSH or
  Telnet session, in minutes (default 5). `ssh version 1` allows SSHv1 on the
  releases that still have it (VTY010); without the command nothing is flagged.

* `passwd VALUE [encrypted]` (also `password`): the remote login password,
  used by Telnet sessions (and SSH before 8.4) when no `aaa authentication
  ... console` list says otherwise. With `encrypted` it is a hash; without, an
  intended config holds it in clear (PWD001).

Not read here: `http` (ASDM) entries, `management-access`, and
multiple-context system configs.
"""

from __future__ import annotations

import ipaddress
import itertools
import re

from auditor.findings import Applicability, Change, Phase
from auditor.model import AccessClass, Acl, AclEntry, Credential, DeviceModel, LineKind, LineSettings, LoginMode, Section, User
from auditor.parse import command_words
from auditor.platforms import Evidence, Platform

PLACEHOLDER_NET = "<MGMT-NETWORK> <MGMT-MASK>"
_DECISIVE = re.compile(r"\n(?::\s*)?ASA Version [^\n]*")  # searched in "\n" + text (auditor.platforms._marker)
# Commands only the ASA executes: an interface's `nameif`, `same-security-traffic`, and the
# management entries `ssh|telnet ADDRESS MASK INTERFACE` (IOS has `ip ssh`, never these).
_STRUCTURAL = re.compile(
    r"\n(?:[ \t]*nameif [^\n]*|: Saved[^\n]*|same-security-traffic [^\n]*"
    r"|[ \t]*(?:ssh|telnet) (?:\d{1,3}(?:\.\d{1,3}){3}|0) (?:\d{1,3}(?:\.\d{1,3}){3}|0) [A-Za-z][\w.-]*[ \t]*(?=\n|\Z))"
)
_WANTED = re.compile(r"^(?:no\s+)?(?:telnet\s|ssh\s|username\s|enable\s+password\s|hostname\s|name\s|aaa\s+authentication\s|ASA\s+Version\s|passwd\s|password\s)", re.I)
_HASHED = {"encrypted": 5, "pbkdf2": 8, "nt-encrypted": 5}  # what the ASA prints: one-way hashes (MD5-based, PBKDF2)


# What the reader reads, written in full (see auditor.platforms.abbreviated).
_TOP = {
    "telnet": {"timeout"},
    "ssh": {"version", "timeout"},
    "username": {"password", "privilege", "nopassword"},
    "enable": {"password"},
    "passwd": None,
    "password": None,
    "aaa": {"authentication", "console"},
    "hostname": None,
    "name": None,
}


class ASA(Platform):
    name = "asa"

    def evidence(self, text: str) -> Evidence:
        from auditor.platforms import line_number

        head = "\n" + text[:32768]  # `ASA Version` is the first line of `show running-config`
        # A substring test first (memchr-fast): most configs are not an ASA's, and need no regex pass.
        decisive = [f"line {line_number(text, m.start())}: `{m.group().strip()[:60]}`" for m in itertools.islice(_DECISIVE.finditer(head), 3)] if "ASA Version" in head else []
        gated = "nameif" in head or ": Saved" in head or "same-security-traffic" in head or "ssh " in head or "telnet " in head
        structural = [f"line {line_number(text, m.start())}: `{m.group().strip()[:60]}`" for m in itertools.islice(_STRUCTURAL.finditer(head), 3)] if gated else []
        return Evidence(tuple(decisive), tuple(structural))

    def prepare(self, lines: list[str]):
        """The lines as the ASA takes them pasted (`auditor.cli_model.as_pasted`: a global command
        indented where the ASA does not care is global); keywords as written (the ASA prints every
        keyword in full)."""
        from auditor.cli_model import ASA as CLI, as_pasted
        from auditor.platforms import abbreviated

        pasted = as_pasted(lines, CLI)
        if not any(t.startswith(("ASA Version", "hostname ", "telnet ", "ssh ")) for t in pasted):
            return lines, [], "no ASA configuration found (no `ASA Version`, hostname, telnet or ssh lines)"
        return pasted, abbreviated(pasted, _TOP, {}), None

    def read(self, decoded, acl_names: frozenset[str] = frozenset(), full_parse: bool = False) -> DeviceModel:
        from auditor.parse import parse_numbered

        lines = decoded.canonical if decoded.canonical is not None else decoded.lines
        numbered = list(enumerate(lines)) if full_parse else [(i, t) for i, t in enumerate(lines) if _WANTED.match(t)]
        state = _State()
        for block in parse_numbered(numbered, full=full_parse):
            state.apply(block)
        return state.model(decoded.lines).model_copy(update={"ambiguous_commands": tuple(decoded.ambiguous)})

    password_advice = "store it hashed (the ASA hashes a password it is given in clear)"
    idle_default_minutes = 5  # `ssh timeout` / `telnet timeout`: 5 minutes when not configured

    def idle_timeout(self, device, section, minutes: int):
        protocol = section.name.split(" ", 1)[0]  # one timeout per protocol, for every interface
        return Change(phase=Phase.LINES, lines=(f"{protocol} timeout {minutes}",))

    def ssh_v1(self, device):
        line = next((i for i, t in enumerate(device.source_lines, 1) if t.split()[:2] == ["ssh", "version"]), 0)
        return "`ssh version 1` is set", device.text_at(line) if line else "ssh version 1", [Change(phase=Phase.SSH, lines=("ssh version 2",))]

    def unfenced(self, device, section) -> str:
        return f"`{device.text_at(section.header_line).strip()}` admits every source"

    # ------------------------------------------------------------ remediation syntax

    def ssh_authentication(self, device):
        changes = _ssh_login(device)
        note = "SSH logins are checked against the local users" + (
            "; none has a password yet, so one is added first." if len(changes) > 1 else ": only SSH logins change, and they could not succeed before."
        )
        return (Applicability.NEEDS_INPUT if len(changes) > 1 else Applicability.SAFE), changes, note

    def close_telnet(self, device, section, options=None):
        """SSH from the Telnet entries' sources first; a Telnet entry for every source becomes SSH
        from `--mgmt-net` (never from every source), or a placeholder without it."""
        interface = section.name.split(" ", 1)[1]
        telnet = _entries_of(device, section)
        ssh_networks = [e.network for e in _entries_of(device, _path(device, "ssh", interface))]
        first: list[str] = []
        for entry in telnet:
            if entry.any:
                continue  # an SSH entry for every source would open SSH wide: the prefix is asked for below
            if not _covered(entry.network, ssh_networks):
                first.append(f"ssh {entry.source} {interface}")
        if any(e.any for e in telnet) and not ssh_networks:
            nets = [ipaddress.ip_network(n) for n in (options.mgmt_nets if options is not None else ())]
            first += [f"ssh {n.network_address} {n.netmask} {interface}" if n.version == 4 else f"ssh {n} {interface}" for n in nets] or [f"ssh {PLACEHOLDER_NET} {interface}"]
        changes: list[Change] = [] if device.aaa_login_lists.get("ssh") else _ssh_login(device)
        if first:
            changes.append(Change(phase=Phase.SSH, lines=tuple(first)))
        changes.append(Change(phase=Phase.AFTER_SSH_LOGIN, lines=tuple(f"no {e.text}" for e in telnet)))
        placeholders = any("<" in line for c in changes for line in c.lines)
        wide = any(e.any for e in telnet) and not ssh_networks
        sources = "the same sources" if not wide else "your management networks (not from every source, as Telnet was)"
        note = (
            f"SSH is allowed from {sources} on {interface} first (with `aaa authentication ssh console LOCAL` and a "
            "local user where missing); the Telnet entries are removed in the script's last step, only after an SSH login has worked."
        )
        return (Applicability.NEEDS_INPUT if placeholders else Applicability.UNSAFE), changes, note

    def fence(self, options, device, section, family: str = "IPv4"):
        protocol, interface = section.name.split(" ", 1)
        wide = [e for e in _entries_of(device, section) if e.any]
        if protocol == "telnet":
            return Applicability.UNSAFE, [], "Closing Telnet on this interface (VTY001) removes this entry with the others."
        nets = [ipaddress.ip_network(n) for n in options.mgmt_nets]
        sources = [f"{n.network_address} {n.netmask}" if n.version == 4 else str(n) for n in nets] or [PLACEHOLDER_NET]
        changes = [
            Change(phase=Phase.ACLS, lines=tuple(f"{protocol} {s} {interface}" for s in sources)),
            Change(phase=Phase.LINES, lines=tuple(f"no {e.text}" for e in wide)),
        ]
        if not nets:
            return Applicability.NEEDS_INPUT, changes, "Fill in your management network (or run with --mgmt-net CIDR); an address outside it is locked out."
        return (
            Applicability.UNSAFE,
            changes,
            f"Only {', '.join(map(str, nets))} can open {protocol.upper()} sessions on {interface} afterwards: make sure your own address is inside.",
        )

    def define_acl(self, options, device, name: str, family: str, section=None):
        return Applicability.NEEDS_INPUT, [], "The ASA has no access-class: its telnet and ssh entries are the fence."

    def replace_enable(self, device, level: int = 15):
        from auditor.remediation import PLACEHOLDER_ENABLE_SECRET

        note = "The ASA hashes the enable password it is given in clear (PBKDF2 from 9.7); the new one replaces the old at once."
        changes = [Change(phase=Phase.ENABLE, lines=(f"enable password {PLACEHOLDER_ENABLE_SECRET}",))]
        return Applicability.NEEDS_INPUT, changes, note, "store it hashed"

    def replace_login_password(self, device):
        note = (
            "The ASA hashes the login password it is given in clear; the new one replaces the old at once for new "
            "Telnet sessions. In an intended config keep the `passwd HASH encrypted` it prints, never the clear text."
        )
        return Applicability.NEEDS_INPUT, [Change(phase=Phase.ENABLE, lines=("passwd <NEW-LOGIN-PASSWORD>",))], note

    def replace_password(self, device, user):
        from auditor.remediation import user_secret_placeholder

        privilege = f" privilege {user.privilege}" if user.privilege is not None else ""
        note = "The ASA hashes a password it is given in clear (PBKDF2 from 9.7). In an intended config keep the hash it prints, never the clear text."
        return Applicability.NEEDS_INPUT, [Change(phase=Phase.USERS, lines=(f"username {user.name} password {user_secret_placeholder(device, user.name)}{privilege}",))], note

    def script(self, findings, device, minutes: int = 10) -> str:
        from auditor.remediation import stepped_script

        notes = [
            "! The ASA has no revert timer and no rollback: nothing below is saved until `write memory`, so until then a",
            "! reload restores the saved configuration. Check from a second session before saving.",
        ]
        if any(c.phase is Phase.SSH for f in findings for c in f.remediation.changes):
            notes.append("! SSH needs an RSA key pair: `show crypto key mypubkey rsa`; if there is none, `crypto key generate rsa modulus 2048`.")
        written_for = "ASA" + (f" {device.version}" if device.version else "")
        return stepped_script(findings, written_for, notes, [], ["! Once you have logged in again through SSH from a second session, save:", "write memory"])


class _Entry:
    """One `telnet`/`ssh` entry: its text, its source as written, the network it names, and
    whether that is every address."""

    def __init__(self, text: str, source: str, network):
        self.text, self.source, self.network = text, source, network
        self.any = network.prefixlen == 0


def _ssh_login(device) -> list[Change]:
    """`aaa authentication ssh console LOCAL`, and a local user first where none has a password."""
    from auditor.remediation import PLACEHOLDER_ADMIN_SECRET, PLACEHOLDER_USER

    changes = [Change(phase=Phase.USERS, lines=("aaa authentication ssh console LOCAL",))]
    if not any(u.password is not None or u.secret is not None for u in device.users.values()):
        changes.insert(0, Change(phase=Phase.USERS, lines=(f"username {PLACEHOLDER_USER} password {PLACEHOLDER_ADMIN_SECRET} privilege 15",)))
    return changes


def _path(device, protocol: str, interface: str):
    return next((s for s in device.vty_sections() if s.name == f"{protocol} {interface}"), None)


def _entries_of(device, section) -> list[_Entry]:
    """The entries of an access path: its source lines, and the networks the reader resolved
    (`name`s included) into the path's fence."""
    if section is None:
        return []
    out = []
    for acl in (device.acls.get(section.name), device.ipv6_acls.get(section.name)):
        for entry in acl.entries if acl else ():
            words = entry.text.split()
            if words[1] == "ipv6":
                network = ipaddress.ip_network(words[2])
            else:  # `permit ADDRESS WILDCARD`, as the reader wrote it (a wildcard of 0.0.0.0 is one host)
                prefix = 32 - bin(int(ipaddress.IPv4Address(words[2]))).count("1")
                network = ipaddress.ip_network(f"{words[1]}/{prefix}", strict=False)
            text = device.text_at(entry.line).strip()
            out.append(_Entry(text, " ".join(text.split()[1:-1]), network))
    return out


def _covered(network, others) -> bool:
    return any(network.version == o.version and network.subnet_of(o) for o in others)


def _admits_any(source: list[str]) -> bool:
    if len(source) == 2:
        return source[1] in ("0", "0.0.0.0")
    return len(source) == 1 and source[0].endswith("/0")


class _State:
    """The running state as the ASA applies the commands, in order."""

    def __init__(self) -> None:
        self.facts: dict = {}
        self.names: dict[str, str] = {}  # `name ADDRESS NAME`
        self.entries: dict[tuple[str, str], dict[str, int]] = {}  # (protocol, interface) -> entry text -> line
        self.users: dict[str, dict] = {}
        self.aaa: dict[str, str] = {}
        self.ssh_version: int | None = None
        self.timeouts: dict[str, tuple[int, int]] = {}  # protocol -> (minutes, line)

    def apply(self, block) -> None:
        words, low, negate = command_words(block.cmd.text)
        if not low:
            return
        line, text = block.cmd.line, block.cmd.text.strip()
        head = low[0]
        if head == "asa" and low[1:2] == ["version"] and len(words) >= 3:
            self.facts["version"] = words[2]
        elif head == "hostname" and len(words) >= 2 and not negate:
            self.facts["hostname"] = words[1]
        elif head == "name" and len(words) >= 3 and not negate:
            self.names[words[2]] = words[1]
        elif head in ("telnet", "ssh") and len(words) >= 2:
            if head == "ssh" and low[1] == "version" and not negate:
                self.ssh_version = 1 if "1" in low[2:] else 2
            elif low[1] == "timeout" and len(low) == 3 and low[2].isdigit() and len(low[2]) <= 4:
                if negate:
                    self.timeouts.pop(head, None)
                else:
                    self.timeouts[head] = (int(low[2]), line)
            elif _source(words[1:-1], self.names) is not None and len(words) in (3, 4):
                table = self.entries.setdefault((head, words[-1]), {})
                entry = " ".join(words)
                if negate:
                    table.pop(entry, None)
                else:
                    table[entry] = line
        elif head == "username" and len(words) >= 2:
            self._username(words, low, negate, line, text)
        elif head in ("passwd", "password") and len(words) >= 2:
            if negate:
                self.facts.pop("passwd", None)
                return
            kind = next((_HASHED[w] for w in low[2:] if w in _HASHED), 0)
            self.facts["passwd"] = Credential(type=kind, line=line, text=text)
        elif head == "enable" and low[1:2] == ["password"] and len(words) >= 3:
            if negate:
                self.facts.pop("enable", None)
                return
            kind = next((_HASHED[w] for w in low[3:] if w in _HASHED), 0)
            self.facts["enable"] = Credential(type=kind, line=line, text=text)
        elif head == "aaa" and low[1:2] == ["authentication"] and len(low) >= 5 and low[3] == "console":
            if negate:
                self.aaa.pop(low[2], None)
            else:
                self.aaa[low[2]] = " ".join(words[4:])

    def _username(self, words, low, negate: bool, line: int, text: str) -> None:
        name = words[1]
        if negate:
            self.users.pop(name, None)
            return
        user = self.users.setdefault(name, {"name": name, "line": line, "lines": []})
        user["lines"].append((line, text))
        if "privilege" in low[2:]:
            k = low.index("privilege", 2)
            if k + 1 < len(low) and low[k + 1].isdigit() and len(low[k + 1]) <= 2:
                user["privilege"] = int(low[k + 1])
        if low[2:3] == ["nopassword"]:
            user.pop("password", None)
            user.pop("secret", None)
        elif low[2:3] == ["password"] and len(words) >= 4:
            kind = next((_HASHED[w] for w in low[4:] if w in _HASHED), 0)
            # A hash is the neutral model's `secret`; a value typed in clear its `password`.
            user["secret" if kind else "password"] = Credential(type=kind, line=line, text=text)
            user.pop("password" if kind else "secret", None)

    def model(self, lines: list[str]) -> DeviceModel:
        sections, acls, acls6 = [], {}, {}
        first_config = next((i for i, t in enumerate(lines, 1) if t.strip() and not t.lstrip().startswith(("!", ":"))), 1)
        for (protocol, interface), table in sorted(self.entries.items()):
            if not table:
                continue
            name = f"{protocol} {interface}"
            v4, v6, wide = [], [], None
            for entry, line in table.items():
                words = entry.split()
                network = _source(words[1:-1], self.names)
                if _admits_any(words[1:-1]) and wide is None:
                    wide = line
                if network.version == 4:
                    v4.append(AclEntry(text=f"permit {network.network_address} {network.hostmask}", line=line))
                else:
                    v6.append(AclEntry(text=f"permit ipv6 {network} any", line=line))
            acls[name] = Acl(name=name, family="ipv4", kind="standard", line=min(table.values()), entries=tuple(v4))
            if v6:
                acls6[name] = Acl(name=name, family="ipv6", kind="ipv6", line=min(table.values()), entries=tuple(v6))
            fence = None if wide is not None else AccessClass(name=name, line=min(table.values()))
            settings = LineSettings(
                transport_input=(protocol,),
                transport_line=min(table.values()),
                access_class_in=fence,
                ipv6_access_class_in=None if wide is not None or not v6 else AccessClass(name=name, line=min(table.values())),
                exec_timeout=(self.timeouts[protocol][0], 0) if protocol in self.timeouts else None,
                exec_timeout_line=self.timeouts[protocol][1] if protocol in self.timeouts else None,
                login=LoginMode.AAA if self.aaa.get(protocol) else LoginMode.LOCAL,
                login_list=protocol if self.aaa.get(protocol) else None,
            )
            sections.append(Section(kind=LineKind.VTY, first=0, last=0, header_line=wide or min(table.values()), numbered=False, label=name, settings=settings))
        enable = self.facts.get("enable")
        return DeviceModel(
            platform="asa",
            hostname=self.facts.get("hostname"),
            version=self.facts.get("version"),
            sections=tuple(sections),
            acls=acls,
            ipv6_acls=acls6,
            users={k: User(**{**v, "lines": tuple(v["lines"])}) for k, v in self.users.items()},
            enable_password=enable if enable is not None and enable.type == 0 else None,
            enable_secret=enable if enable is not None and enable.type else None,
            login_password=self.facts.get("passwd"),
            aaa_new_model=bool(self.aaa),
            aaa_login_lists=dict(self.aaa),
            ip_ssh_version=self.ssh_version or 2,
            first_line_header=first_config,
            first_config_line=first_config,
            ssh_configured=any(p == "ssh" for p, _ in self.entries),
            source_lines=tuple(lines),
        )


def _source(words: list[str], names: dict[str, str]):
    """The network an entry's source names (ADDRESS MASK, `0 0`, ADDRESS6/LEN, or a `name`), or None."""
    try:
        if len(words) == 2:
            address = "0.0.0.0" if words[0] == "0" else names.get(words[0], words[0])
            mask = "0.0.0.0" if words[1] == "0" else words[1]
            return ipaddress.ip_network(f"{address}/{mask}", strict=False)
        if len(words) == 1 and "/" in words[0]:
            return ipaddress.ip_network(words[0], strict=False)
    except ValueError:
        return None
    return None
