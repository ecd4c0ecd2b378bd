"""NX-OS (Nexus switches): its own reading of the management plane, and its own remediation syntax.

Semantics, with their sources (Cisco Nexus 9000 Series NX-OS Security
Configuration Guide, "Configuring SSH and Telnet", "Configuring User Accounts
and RBAC", "Configuring IP ACLs"; NX-OS Fundamentals Configuration Guide,
"Using the Cisco NX-OS Setup Utility"/"Terminal Settings and Sessions"; NX-OS
System Management Configuration Guide, "Configuring Rollback"):

* The Telnet server runs only with `feature telnet`; it is disabled by
  default. The SSH server is enabled by default; `no feature ssh` disables it.
  The last `feature`/`no feature` line for each wins. There is no
  `transport input`: the features decide what every VTY session accepts.
* `line vty` takes no line numbers: it governs every VTY session. A second
  `line vty` block adds to the first (each sub-command overrides only the same
  setting), it does not reset it. `access-class NAME in` / `ipv6 access-class
  NAME in` fence sessions; `no access-class NAME in` removes it; there is no
  `vrf-also` (the class applies in every VRF, the management VRF included).
* ACLs are named (`ip access-list NAME`, `ipv6 access-list NAME`), with
  sequence numbers and prefix notation (`10 permit ip 10.0.0.0/8 any`), read
  top-down, first match, implicit deny (`auditor.acl` judges them).
* `username NAME password 5 HASH` is a one-way hash; `password 5 !` is a
  locked account; `password 0 TEXT` or an untyped password is clear text (the
  switch hashes it when it takes it, so clear text is found in intended
  configs, not in a running-config). There are no line passwords and no
  enable secret to audit. Roles (`role network-admin`) sit on the same or
  their own `username` lines and survive a password change.
* Changes are saved with `copy running-config startup-config`; a checkpoint
  (`checkpoint NAME`, exec mode) taken first is the way back:
  `rollback running-config checkpoint NAME`.

Not read here, because the IOS rules that would use them do not translate:
`exec-timeout` (NX-OS default: no timeout on VTY unless configured; left to a
later rule), `session-limit` (default 32), the console (`line console`),
login block-for (`login block-for` exists with other semantics).
"""

from __future__ import annotations

import itertools
import re

from auditor.findings import Applicability, Change, Phase
from auditor.model import AccessClass, Acl, Credential, DeviceModel, LineKind, LineSettings, LoginMode, Section, User
from auditor.parse import command_words
from auditor.platforms import Evidence, Platform, sequenced_entries
from auditor.platforms.prefix_acls import PrefixAcls

CHECKPOINT = "vty-auditor-before"

_WANTED = re.compile(
    r"^(?:no\s+)?(?:feature\s|line\s+vty\s*$|ip\s+access-list\s|ipv6\s+access-list\s|username\s|hostname\s|switchname\s"
    r"|version\s|aaa\s+authentication\s+login\s)",
    re.I,
)
# Whole-line patterns searched in "\n" + text (led by a literal newline: fast; see
# auditor.platforms._marker); a match's start is then its line's start in the text.
_DECISIVE = re.compile(r"\n(?:!Command: show running-config|!RANCID-CONTENT-TYPE: cisco-nx|version [^\n]*Bios:)[^\n]*")
# `feature NAME` lines NX-OS has (Cisco Nexus 9000 NX-OS configuration guides): any `feature` is
# not NX-OS evidence, since the ASA has `feature tier standard` (ASAv licensing).
_NXOS_FEATURES = (
    r"(?:telnet|ssh|tacacs\+|scp-server|sftp-server|nxapi|bash-shell|interface-vlan|lacp|vpc|hsrp|vrrpv?3?|bgp|ospf|ospfv3|eigrp|isis|rip"
    r"|pim6?|msdp|udld|lldp|dhcp|bfd|nv overlay|vn-segment-vlan-based|fabric forwarding|private-vlan|port-security|netflow|sflow"
    r"|sla (?:sender|responder)|ptp|evmed|ngmvpn|mpls [\w-]+|dot1x|ldap|privilege|poe|fex|grpc|openflow|analytics|telemetry|nat|pbr"
    r"|vtp|ngoam|plb|itd|pong|scheduler|fcoe|npiv|npv|lisp|isis|epbr|catena|smart-channel|vmtracker|macsec|mvpn|imp|hardware)\b"
)
_STRUCTURAL = re.compile(r"\n[ \t]*(?:feature " + _NXOS_FEATURES + r"[^\n]*|line (?:vty|console)[ \t]*(?=\n|\Z)|version[ \t]+[0-9]+\.[0-9]+\([0-9A-Za-z.]+\)(?![^\n]*Bios:)[^\n]*)")


# What the reader reads, written in full (see auditor.platforms.abbreviated).
_TOP = {
    "feature": {"telnet", "ssh"},
    "line": {"vty", "console"},
    "ip": {"access-list"},
    "ipv6": {"access-list"},
    "username": {"password", "role"},
    "hostname": None,
    "switchname": None,
    "aaa": {"authentication", "login"},
}
_CHILDREN = {"line": {"access-class", "ipv6"}}


class NXOS(PrefixAcls, Platform):
    name = "nxos"
    acl_word, acl_indent, deny_tail, scope = "ip", "  ", " log", ", in every VRF"
    title, numbered_note = "NX-OS", "NX-OS line sections have no numbers"
    present = ("hostname", "feature ", "interfac", "line vty", "switchna", "version ")
    missing = "no NX-OS configuration found (no hostname, feature, interface or line vty)"
    read_top, read_children = _TOP, _CHILDREN
    _WANTED = _WANTED

    def _state(self):
        return _State()

    def access_class_lines(self, section, name: str, v6: bool) -> tuple[str, ...]:
        """`access-class NAME in`, after `no access-class OLD in`: a second one would be refused."""
        keyword = "ipv6 access-class" if v6 else "access-class"
        current = section.settings.ipv6_access_class_in if v6 else section.settings.access_class_in
        return ((f"no {keyword} {current.name} in",) if current is not None and current.name != name else ()) + (f"{keyword} {name} in",)

    # ------------------------------------------------------------ detection

    def evidence(self, text: str) -> Evidence:
        from auditor.platforms import line_number

        head = text[:32768]  # the header and the version line come first
        decisive = [
            f"line {line_number(text, m.start())}: `{m.group().strip()[:60]}`" + (" (NX-OS release with BIOS)" if m.group().strip().startswith("version") else "")
            for m in itertools.islice(_DECISIVE.finditer("\n" + head), 3)
        ]
        structural = []
        for m in itertools.islice(_STRUCTURAL.finditer("\n" + text), 3):
            found = m.group().strip()[:60]
            structural.append(f"line {line_number(text, m.start())}: `{found}`" + (" (NX-OS release)" if found.startswith("version") else ""))
        return Evidence(tuple(decisive), tuple(structural))

    # ------------------------------------------------------------ remediation syntax (reading: PrefixAcls.prepare and read)

    def close_telnet(self, device, section, options=None):
        changes: list[Change] = []
        note = "Telnet is switched off in the script's last step, only after an SSH login has worked."
        if "ssh" not in (section.settings.transport_input or ()):
            # `ssh key rsa` fails harmlessly ("keys already present") when a key exists.
            changes.append(Change(phase=Phase.SSH_KEYS, lines=("ssh key rsa 2048", "feature ssh")))
            note += " The SSH server is off (`no feature ssh`): the script generates a key where none exists and enables it first."
        changes.append(Change(phase=Phase.AFTER_SSH_LOGIN, lines=("no feature telnet",)))
        return Applicability.UNSAFE, changes, note

    def replace_password(self, device, user):
        from auditor.remediation import user_secret_placeholder

        line = f"username {user.name} password {user_secret_placeholder(device, user.name)}"
        note = "NX-OS hashes a password it is given in clear and keeps the user's roles. In an intended config, keep the `password 5 <hash>` form the switch prints, never the clear text."
        return Applicability.NEEDS_INPUT, [Change(phase=Phase.USERS, lines=(line,))], note

    def script(self, findings, device, minutes: int = 10) -> str:
        from auditor.remediation import stepped_script

        way_back = f"! Way back: `rollback running-config checkpoint {CHECKPOINT}` (if the name exists, `no checkpoint {CHECKPOINT}` first)."
        return stepped_script(
            findings,
            "NX-OS" + (f" {device.version}" if device.version else ""),
            [way_back],
            [f"checkpoint {CHECKPOINT}"],
            ["! Once you have logged in again through the changed lines, save:", "copy running-config startup-config"],
        )


def steps(script: str) -> list[list[str]]:
    """A framed NX-OS script read back: the commands of each `configure terminal` ... `end` block."""
    out: list[list[str]] = []
    current: list[str] | None = None
    for line in script.splitlines():
        text = line.strip()
        if not text or text.startswith("!"):
            continue
        if text == "configure terminal":
            current = []
        elif text == "end" and current is not None:
            out.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return out


class _State:
    """The running state as NX-OS applies the commands, in order."""

    def __init__(self) -> None:
        self.facts: dict = {}
        self.telnet_line: int | None = None  # `feature telnet` in effect
        self.ssh_off_line: int | None = None  # `no feature ssh` in effect
        self.vty_header: int | None = None
        self.vty: dict = {}  # setting -> value, last write wins across `line vty` blocks
        self.acls: dict[str, dict] = {}
        self.ipv6_acls: dict[str, dict] = {}
        self.users: dict[str, dict] = {}
        self.aaa_login: str | None = None

    def apply(self, block) -> None:
        words, low, negate = command_words(block.cmd.text)
        if not low:
            return
        line = block.cmd.line
        head = low[0]
        if head == "feature" and len(low) >= 2:
            if low[1] == "telnet":
                self.telnet_line = None if negate else line
            elif low[1] == "ssh":
                self.ssh_off_line = line if negate else None
        elif head in ("hostname", "switchname") and len(words) >= 2 and not negate:
            self.facts["hostname"] = words[1]
        elif head == "version" and len(words) >= 2:
            self.facts["version"] = words[1]
        elif head == "line" and low[1:] == ["vty"] and not negate:
            self.vty_header = self.vty_header or line
            for child in block.children:
                self._line_vty(child)
        elif head in ("ip", "ipv6") and len(low) >= 3 and low[1] == "access-list":
            table = self.acls if head == "ip" else self.ipv6_acls
            name = words[2]
            if negate:
                table.pop(name, None)
                return
            acl = table.setdefault(name, {"line": line, "entries": []})
            acl["entries"] += sequenced_entries(block)
        elif head == "username" and len(words) >= 2:
            self._username(words, low, negate, line, block.cmd.text)
        elif head == "aaa" and low[1:4] == ["authentication", "login", "default"]:
            self.aaa_login = None if negate else " ".join(words[4:])

    def _line_vty(self, cmd) -> None:
        words, low, negate = command_words(cmd.text)
        ipv6 = low[:1] == ["ipv6"]
        if ipv6:
            words, low = words[1:], low[1:]
        if low[:1] != ["access-class"] or len(words) < 2:
            return
        direction = low[2] if len(low) >= 3 else "in"
        if direction != "in":
            return  # `out` filters sessions started from the switch
        key = "acl6_in" if ipv6 else "acl_in"
        self.vty[key] = None if negate else AccessClass(name=words[1], line=cmd.line)

    def _username(self, words, low, negate: bool, line: int, text: str) -> None:
        name = words[1]
        if negate:
            self.users.pop(name, None)
            return
        user = self.users.setdefault(name, {"name": name, "line": line, "lines": []})
        user["lines"].append((line, text))
        if "role" in low[2:] and low.index("role", 2) + 1 < len(low) and low[low.index("role", 2) + 1] == "network-admin":
            user["privilege"] = 15
        if len(low) < 4 or low[2] != "password":
            return
        rest = words[3:]
        typed = rest[0] in ("0", "5") and len(rest) >= 2
        kind, value = (rest[0], rest[1]) if typed else ("0", rest[0])
        masked = value.startswith("<") and value.endswith(">") or set(value) <= {"*"}
        cred = Credential(type=int(kind), line=line, text=text, masked=masked and kind == "0")
        # Type 5 is a one-way hash (`!` a locked account): the neutral model's `secret`.
        user["secret" if kind == "5" else "password"] = cred
        user.pop("password" if kind == "5" else "secret", None)

    def model(self, lines: list[str]) -> DeviceModel:
        protocols = tuple(sorted(({"ssh"} if self.ssh_off_line is None else set()) | ({"telnet"} if self.telnet_line else set())))
        aaa = bool(self.aaa_login)
        settings = LineSettings(
            transport_input=protocols,
            transport_line=self.telnet_line or self.ssh_off_line,
            access_class_in=self.vty.get("acl_in"),
            ipv6_access_class_in=self.vty.get("acl6_in"),
            login=LoginMode.AAA if aaa else LoginMode.LOCAL,
            login_list="default" if aaa else None,
        )
        first_config = next((i for i, t in enumerate(lines, 1) if t.strip() and not t.lstrip().startswith("!")), 1)
        header = self.vty_header or first_config
        vty = Section(kind=LineKind.VTY, first=0, last=0, header_line=header, implicit=self.vty_header is None, numbered=False, settings=settings)
        return DeviceModel(
            platform="nxos",
            hostname=self.facts.get("hostname"),
            version=self.facts.get("version"),
            sections=(vty,),
            acls={k: Acl(name=k, family="ipv4", kind="extended", **v) for k, v in self.acls.items()},
            ipv6_acls={k: Acl(name=k, family="ipv6", kind="ipv6", **v) for k, v in self.ipv6_acls.items()},
            users={k: User(**{**v, "lines": tuple(v["lines"])}) for k, v in self.users.items()},
            aaa_new_model=aaa,
            aaa_login_lists={"default": self.aaa_login} if self.aaa_login else {},
            first_line_header=header,
            first_config_line=first_config,
            ssh_configured="ssh" in protocols,
            source_lines=tuple(lines),
        )
