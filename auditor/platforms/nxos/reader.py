"""NX-OS (Nexus switches): the config read as the device applies it, into the neutral model.

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

import re

from auditor.model import AccessClass, Acl, Credential, DeviceModel, LineKind, LineSettings, LoginMode, Section, User
from auditor.parse import command_words
from auditor.platforms import define_sequenced_acl


WANTED = re.compile(
    r"^(?:no\s+)?(?:feature\s|line\s+vty\s*$|ip\s+access-list\s|ipv6\s+access-list\s|username\s|hostname\s|switchname\s"
    r"|version\s|aaa\s+authentication\s+login\s)",
    re.I,
)


# What the reader reads, written in full (see auditor.platforms.abbreviated).
TOP = {
    "feature": {"telnet", "ssh"},
    "line": {"vty", "console"},
    "ip": {"access-list"},
    "ipv6": {"access-list"},
    "username": {"password", "role"},
    "hostname": None,
    "switchname": None,
    "aaa": {"authentication", "login"},
}


CHILDREN = {"line": {"access-class", "ipv6"}}


class State:
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
            define_sequenced_acl(self.acls if head == "ip" else self.ipv6_acls, words[2], block, line, negate)
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
