"""The line model: what the device will actually do on each VTY, console and aux line.

Config text is applied the way IOS applies pasted commands:

* ``line vty 0 15`` then ``line vty 3 4`` — the later block applies on top of the
  earlier one, per line number;
* a later ``transport input`` replaces the earlier set; ``no transport input``
  leaves no protocol (IOS shows it as ``transport input none``); ``default
  transport input`` returns to the platform default;
* ``no password``, ``no access-class ...``, ``no login`` remove or switch off;
* a flat (unindented) line sub-command right after a ``line`` header still
  applies to that line, as it would when pasted.

Defaults when a command is absent (Cisco IOS Security Configuration Guide,
"Configuring Security with Passwords, Privileges, and Logins"): VTY lines do
password checking (``login``) by default, and with no password set a
connection is refused ("Password required, but none set"); console and aux
lines do no password checking. VTY lines 0-4 always exist, configured or not.
With ``aaa new-model`` the line's ``login authentication`` list (or the
``default`` list) decides, and line passwords are not used for login.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from pydantic import BaseModel, ConfigDict

from auditor.parse import FLAT_LINE_CMD, Block, Cmd


class LineKind(str, Enum):
    # in the order IOS prints the sections
    CON = "con"
    AUX = "aux"
    VTY = "vty"


class LoginMode(str, Enum):
    NONE = "none"  # `no login`: nobody is authenticated
    PASSWORD = "password"  # `login`: the line password
    LOCAL = "local"  # `login local`: the username database
    AAA = "aaa"  # aaa new-model: a method list decides


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AccessClass(Model):
    name: str
    vrf_also: bool = False
    line: int


class LineSettings(Model):
    """Effective settings of one line number. ``*_line`` fields point at the source."""

    transport_input: tuple[str, ...] | None = None  # None: not set, the platform default decides
    transport_line: int | None = None
    access_class_in: AccessClass | None = None
    access_class_out: AccessClass | None = None
    ipv6_access_class_in: AccessClass | None = None
    login: LoginMode
    login_list: str | None = None  # AAA method list in effect (aaa new-model only)
    login_line: int | None = None
    password_type: int | None = None  # None: no line password
    password_line: int | None = None
    exec_timeout: tuple[int, int] | None = None  # None: default 10 minutes
    exec_timeout_line: int | None = None
    privilege: int | None = None
    privilege_line: int | None = None
    exec_enabled: bool = True  # False after `no exec`
    exec_line: int | None = None

    def key(self) -> tuple:
        """What makes two lines behave alike, ignoring where the commands came from."""
        return (
            self.transport_input,
            self.access_class_in and (self.access_class_in.name, self.access_class_in.vrf_also),
            self.access_class_out and self.access_class_out.name,
            self.ipv6_access_class_in and self.ipv6_access_class_in.name,
            self.login,
            self.login_list,
            self.password_type,
            self.exec_timeout,
            self.privilege,
            self.exec_enabled,
        )


class Section(Model):
    """Consecutive line numbers of one kind with identical effective settings."""

    kind: LineKind
    first: int
    last: int
    header_line: int  # the last `line` header that configured these lines
    implicit: bool = False  # not in the config: the lines exist with defaults
    settings: LineSettings

    @property
    def name(self) -> str:
        if self.first == self.last:
            return f"line {self.kind.value} {self.first}"
        return f"line {self.kind.value} {self.first} {self.last}"

    @property
    def accepts_connections(self) -> bool:
        """A VTY accepts inbound sessions unless `transport input none`."""
        return self.kind is LineKind.VTY and self.settings.transport_input != ()


class AclEntry(Model):
    text: str
    line: int


class Acl(Model):
    name: str
    family: str  # "ipv4" or "ipv6"
    kind: str  # "standard", "extended" or "ipv6"
    line: int
    entries: tuple[AclEntry, ...] = ()


class Credential(Model):
    type: int
    line: int
    text: str


class User(Model):
    name: str
    privilege: int | None = None
    password: Credential | None = None  # `username X password ...`
    secret: Credential | None = None  # `username X secret ...`
    line: int


class AmbiguousCommand(Model):
    line: int
    word: str
    candidates: tuple[str, ...]


class DeviceModel(Model):
    hostname: str | None = None
    version: str | None = None
    sections: tuple[Section, ...] = ()
    acls: dict[str, Acl] = {}
    ipv6_acls: dict[str, Acl] = {}
    users: dict[str, User] = {}
    enable_password: Credential | None = None
    enable_secret: Credential | None = None
    service_password_encryption: bool = False
    aaa_new_model: bool = False
    aaa_login_lists: dict[str, str] = {}
    ip_ssh_version: int | None = None
    login_block_for: bool = False
    ipv6_interfaces: tuple[str, ...] = ()  # interfaces with an IPv6 address or `ipv6 enable`
    first_line_header: int = 1
    first_config_line: int = 1  # where a missing global command is reported
    ambiguous_commands: tuple[AmbiguousCommand, ...] = ()  # abbreviations the device would refuse
    source_lines: tuple[str, ...] = ()

    def vty_sections(self) -> list[Section]:
        return [s for s in self.sections if s.kind is LineKind.VTY]

    def login_methods(self, section: Section) -> tuple[str, ...] | None:
        """The AAA login methods in effect on a section; None when the named list is undefined.

        With `aaa new-model` a line uses its `login authentication` list, else the
        `default` list. With no default list, VTY lines use the local user
        database while the console is not authenticated (Cisco IOS Security
        Configuration Guide, "Configuring Authentication": "if no default list is
        defined, only the local user database is checked", with the console
        exempt). Without AAA this returns an empty tuple: the line's login mode
        decides.
        """
        if section.settings.login is not LoginMode.AAA:
            return ()
        name = section.settings.login_list or "default"
        methods = self.aaa_login_lists.get(name)
        if methods is not None:
            return tuple(methods.split())
        if name != "default":
            return None
        return ("none",) if section.kind is LineKind.CON else ("local",)

    def header_evidence(self, section: Section) -> str:
        """Evidence for a missing command: the section header, or why there is none."""
        if section.implicit:
            return f"(no {section.name} in the config: the lines exist with default settings)"
        return self.text_at(section.header_line)

    def text_at(self, line: int) -> str:
        if 1 <= line <= len(self.source_lines):
            return self.source_lines[line - 1].strip()
        return ""


# ---------------------------------------------------------------- building

_LINE_HEADER = re.compile(r"^line\s+(vty|con|console|aux)\s+(\d+)(?:\s+(\d+))?\s*$", re.I)
_DEFAULT_VTYS = range(0, 5)


@dataclass
class _LineState:
    header: int  # the last `line` header that configured this line number
    configured: bool = True  # False: not in the config at all, defaults apply
    transport: tuple[str, ...] | None = None
    transport_line: int | None = None
    acl_in: AccessClass | None = None
    acl_out: AccessClass | None = None
    acl6_in: AccessClass | None = None
    login_cmd: LoginMode | None = None
    login_line: int | None = None
    login_list: str | None = None
    login_list_line: int | None = None
    password_type: int | None = None
    password_line: int | None = None
    exec_timeout: tuple[int, int] | None = None
    exec_timeout_line: int | None = None
    privilege: int | None = None
    privilege_line: int | None = None
    exec_enabled: bool = True
    exec_line: int | None = None


@dataclass
class _Builder:
    lines: dict[tuple[LineKind, int], _LineState] = field(default_factory=dict)
    acls: dict[str, dict] = field(default_factory=dict)
    ipv6_acls: dict[str, dict] = field(default_factory=dict)
    users: dict[str, dict] = field(default_factory=dict)
    facts: dict = field(default_factory=dict)
    first_line_header: int | None = None


def build_model(blocks: list[Block], source_lines: list[str] | None = None, ambiguous=()) -> DeviceModel:
    b = _Builder()
    current: list[_LineState] | None = None  # line states a flat sub-command would apply to
    for block in blocks:
        text = block.cmd.text
        if text.startswith("!"):
            continue
        m = _LINE_HEADER.match(text)
        if m:
            current = _enter_line(b, m, block.cmd.line)
            for child in block.children:
                _apply_line_cmd(current, child)
            continue
        if current is not None and not block.children and FLAT_LINE_CMD.match(text):
            _apply_line_cmd(current, block.cmd)
            continue
        current = None
        if re.match(r"^line\s", text, re.I):
            current = []  # another kind of line (tty, async): its sub-commands are not ours
            continue
        _apply_global(b, block)
    b.facts["ambiguous_commands"] = tuple(AmbiguousCommand(line=a.line, word=a.word, candidates=a.candidates) for a in ambiguous)
    return _finish(b, source_lines or [])


def _enter_line(b: _Builder, m: re.Match, line: int) -> list[_LineState]:
    kind = {"vty": LineKind.VTY, "con": LineKind.CON, "console": LineKind.CON, "aux": LineKind.AUX}[m.group(1).lower()]
    first = int(m.group(2))
    last = int(m.group(3)) if m.group(3) else first
    if last < first:
        first, last = last, first
    if kind is LineKind.VTY and b.first_line_header is None:
        b.first_line_header = line
    states = []
    for n in range(first, last + 1):
        state = b.lines.get((kind, n))
        if state is None:
            state = b.lines[(kind, n)] = _LineState(header=line)
        state.header = line
        states.append(state)
    return states


def _apply_line_cmd(states: list[_LineState], cmd: Cmd) -> None:
    text = cmd.text
    if text.startswith("!"):
        return
    words = text.split()
    low = [w.lower() for w in words]
    negate = low[0] == "no"
    default = low[0] == "default"
    if negate or default:
        words, low = words[1:], low[1:]
    if not low:
        return
    for s in states:
        _apply_one(s, words, low, negate, default, cmd.line)


def _apply_one(s: _LineState, words: list[str], low: list[str], negate: bool, default: bool, line: int) -> None:
    head = low[0]
    if head == "transport" and len(low) >= 2 and low[1] == "input":
        if default:
            s.transport, s.transport_line = None, line
        elif negate:
            s.transport, s.transport_line = (), line
        else:
            protocols = tuple(sorted(set(low[2:]) - {"none"}))
            s.transport, s.transport_line = protocols, line
    elif head == "access-class":
        _apply_access_class(s, words, low, negate or default, line, ipv6=False)
    elif head == "ipv6" and len(low) >= 2 and low[1] == "access-class":
        _apply_access_class(s, words[1:], low[1:], negate or default, line, ipv6=True)
    elif head == "login":
        if len(low) >= 2 and low[1] == "authentication":
            if negate or default:
                s.login_list, s.login_list_line = None, line
            elif len(words) >= 3:
                s.login_list, s.login_list_line = words[2], line
        elif negate:
            s.login_cmd, s.login_line = LoginMode.NONE, line
        elif default:
            s.login_cmd, s.login_line = None, line
        elif len(low) >= 2 and low[1] == "local":
            s.login_cmd, s.login_line = LoginMode.LOCAL, line
        else:
            s.login_cmd, s.login_line = LoginMode.PASSWORD, line
    elif head == "password":
        if negate or default:
            s.password_type, s.password_line = None, line
        elif len(words) >= 2:
            ptype = int(low[1]) if len(words) >= 3 and low[1].isdigit() else 0
            s.password_type, s.password_line = ptype, line
    elif head == "exec-timeout":
        s.exec_timeout_line = line
        if negate or default:
            s.exec_timeout = None
        else:
            nums = [int(w) for w in low[1:3] if w.isdigit()]
            if nums:
                s.exec_timeout = (nums[0], nums[1] if len(nums) > 1 else 0)
    elif head == "privilege" and len(low) >= 2 and low[1] == "level":
        s.privilege_line = line
        level = low[2] if len(low) >= 3 else ""
        s.privilege = None if (negate or default) else (int(level) if level.isdigit() else None)
    elif head == "exec" and len(low) == 1:
        s.exec_enabled, s.exec_line = not negate, line


def _apply_access_class(s: _LineState, words, low, remove: bool, line: int, ipv6: bool) -> None:
    # access-class NAME {in [vrf-also] | out}
    direction = next((w for w in low[2:3] if w in ("in", "out")), "in")
    if remove:
        if ipv6:
            s.acl6_in = None if direction == "in" else s.acl6_in
        elif direction == "out":
            s.acl_out = None
        else:
            s.acl_in = None
        return
    if len(words) < 2:
        return
    ac = AccessClass(name=words[1], vrf_also="vrf-also" in low, line=line)
    if ipv6:
        if direction == "in":
            s.acl6_in = ac
    elif direction == "out":
        s.acl_out = ac
    else:
        s.acl_in = ac


def _apply_global(b: _Builder, block: Block) -> None:
    text = block.cmd.text
    line = block.cmd.line
    words = text.split()
    low = [w.lower() for w in words]
    negate = low[0] == "no"
    if negate:
        words, low = words[1:], low[1:]
    if not low:
        return
    head = low[0]
    facts = b.facts
    if head == "hostname" and len(words) > 1:
        facts["hostname"] = words[1]
    elif head == "version" and len(words) > 1:
        facts["version"] = words[1]
    elif head == "access-list" and len(words) > 2:
        name = words[1]
        if negate:
            b.acls.pop(name, None)
            return
        acl = b.acls.setdefault(name, {"line": line, "entries": [], "kind": numbered_acl_kind(name), "family": "ipv4"})
        entry = " ".join(words[2:])
        if low[2] != "remark":
            acl["entries"].append(AclEntry(text=entry, line=line))
    elif head == "ip" and len(low) >= 3 and low[1] == "access-list":
        if low[2] in ("standard", "extended") and len(words) >= 4:
            kind, name = low[2], words[3]
        elif low[2] in ("resequence", "logging", "role-based"):
            return
        else:
            kind, name = numbered_acl_kind(words[2]), words[2]
        if negate:
            b.acls.pop(name, None)
            return
        acl = b.acls.setdefault(name, {"line": line, "entries": [], "kind": kind, "family": "ipv4"})
        acl["entries"].extend(_acl_children(block))
    elif head == "ipv6" and len(low) >= 3 and low[1] == "access-list":
        name = words[2]
        if negate:
            b.ipv6_acls.pop(name, None)
            return
        acl = b.ipv6_acls.setdefault(name, {"line": line, "entries": [], "kind": "ipv6", "family": "ipv6"})
        acl["entries"].extend(_acl_children(block))
    elif head == "username" and len(words) >= 2:
        _apply_username(b, words, low, negate, line, text)
    elif head == "enable" and len(low) >= 4 and low[1] == "algorithm-type" and low[3] == "secret":
        if negate:
            facts.pop("enable_secret", None)
        else:
            facts["enable_secret"] = Credential(type=_ALGORITHM_TYPES.get(low[2], 0), line=line, text=text)
    elif head == "enable" and len(low) >= 2 and low[1] in ("password", "secret"):
        key = "enable_" + low[1]
        if negate:
            facts.pop(key, None)
        else:
            facts[key] = Credential(type=_credential_type(low[2:]), line=line, text=text)
    elif head == "service" and len(low) >= 2 and low[1] == "password-encryption":
        facts["service_password_encryption"] = not negate
    elif head == "aaa" and len(low) >= 2 and low[1] == "new-model":
        facts["aaa_new_model"] = not negate
    elif head == "aaa" and len(low) >= 4 and low[1] == "authentication" and low[2] == "login":
        lists = facts.setdefault("aaa_login_lists", {})
        if negate:
            lists.pop(words[3], None)
        else:
            lists[words[3]] = " ".join(low[4:])
    elif head == "login" and len(low) >= 2 and low[1] == "block-for":
        facts["login_block_for"] = not negate
    elif head == "interface" and len(words) >= 2:
        for child in block.children:
            child_low = child.text.lower().split()
            if child_low[:2] in (["ipv6", "address"], ["ipv6", "enable"]):
                facts.setdefault("ipv6_interfaces", []).append(words[1])
                break
    elif head == "ip" and len(low) >= 4 and low[1] == "ssh" and low[2] == "version":
        facts["ip_ssh_version"] = None if negate else (int(low[3]) if low[3].isdigit() else None)


_ALGORITHM_TYPES = {"md5": 5, "sha256": 8, "scrypt": 9}


def numbered_acl_kind(name: str) -> str:
    if name.isdigit():
        n = int(name)
        if 1 <= n <= 99 or 1300 <= n <= 1999:
            return "standard"
        return "extended"
    return "standard"


def _acl_children(block: Block) -> list[AclEntry]:
    entries = []
    for child in block.children:
        words = child.text.split()
        if words and words[0].isdigit():  # sequence number
            words = words[1:]
        if not words or words[0].lower() in ("remark", "!", "statistics") or words[0].startswith("!"):
            continue
        entries.append(AclEntry(text=" ".join(words), line=child.line))
    return entries


def _credential_type(rest: list[str]) -> int:
    """Type of `... password|secret [level N] [TYPE] VALUE` from the words after the keyword."""
    if len(rest) >= 2 and rest[0] == "level":
        rest = rest[2:]
    if len(rest) >= 2 and rest[0].isdigit():
        return int(rest[0])
    return 0


def _apply_username(b: _Builder, words, low, negate: bool, line: int, text: str) -> None:
    name = words[1]
    if negate:
        b.users.pop(name, None)
        return
    user = b.users.setdefault(name, {"name": name, "line": line})
    rest = low[2:]
    i = 0
    while i < len(rest):
        word = rest[i]
        if word == "privilege" and i + 1 < len(rest) and rest[i + 1].isdigit():
            user["privilege"] = int(rest[i + 1])
            i += 2
            continue
        if word in ("password", "secret"):
            cred = Credential(type=_credential_type(rest[i + 1 :]), line=line, text=text)
            user[word] = cred
            user.pop("secret" if word == "password" else "password", None)
            break
        if word == "algorithm-type" and i + 2 < len(rest) and rest[i + 2] == "secret":
            algo = _ALGORITHM_TYPES.get(rest[i + 1], 0)
            user["secret"] = Credential(type=algo, line=line, text=text)
            user.pop("password", None)
            break
        i += 1


def _effective(state: _LineState, kind: LineKind, aaa: bool) -> LineSettings:
    if aaa:
        login, login_list = LoginMode.AAA, state.login_list or "default"
        login_line = state.login_list_line
    else:
        default = LoginMode.PASSWORD if kind is LineKind.VTY else LoginMode.NONE
        login, login_list, login_line = state.login_cmd or default, None, state.login_line
    return LineSettings(
        transport_input=state.transport,
        transport_line=state.transport_line,
        access_class_in=state.acl_in,
        access_class_out=state.acl_out,
        ipv6_access_class_in=state.acl6_in,
        login=login,
        login_list=login_list,
        login_line=login_line,
        password_type=state.password_type,
        password_line=state.password_line,
        exec_timeout=state.exec_timeout,
        exec_timeout_line=state.exec_timeout_line,
        privilege=state.privilege,
        privilege_line=state.privilege_line,
        exec_enabled=state.exec_enabled,
        exec_line=state.exec_line,
    )


def _finish(b: _Builder, source_lines: list[str]) -> DeviceModel:
    facts = b.facts
    aaa = facts.get("aaa_new_model", False)
    first_header = b.first_line_header or 1
    for n in _DEFAULT_VTYS:
        b.lines.setdefault((LineKind.VTY, n), _LineState(header=first_header, configured=False))
    sections: list[Section] = []
    for kind in LineKind:
        numbers = sorted(n for (k, n) in b.lines if k is kind)
        group: list[int] = []
        for n in numbers:
            settings = _effective(b.lines[(kind, n)], kind, aaa)
            configured = b.lines[(kind, n)].configured
            if group and n == group[-1] + 1 and (settings.key(), configured) == (group_settings.key(), group_configured):
                group.append(n)
                continue
            if group:
                sections.append(_section(b, kind, group, group_settings))
            group, group_settings, group_configured = [n], settings, configured
        if group:
            sections.append(_section(b, kind, group, group_settings))
    return DeviceModel(
        hostname=facts.get("hostname"),
        version=facts.get("version"),
        sections=tuple(sections),
        acls={k: Acl(name=k, **v) for k, v in b.acls.items()},
        ipv6_acls={k: Acl(name=k, **v) for k, v in b.ipv6_acls.items()},
        users={k: User(**v) for k, v in b.users.items()},
        enable_password=facts.get("enable_password"),
        enable_secret=facts.get("enable_secret"),
        service_password_encryption=facts.get("service_password_encryption", False),
        aaa_new_model=aaa,
        aaa_login_lists=facts.get("aaa_login_lists", {}),
        ip_ssh_version=facts.get("ip_ssh_version"),
        login_block_for=facts.get("login_block_for", False),
        ipv6_interfaces=tuple(facts.get("ipv6_interfaces", ())),
        first_line_header=first_header,
        first_config_line=next(
            (i for i, text in enumerate(source_lines, 1) if text.strip() and not text.lstrip().startswith("!")), 1
        ),
        ambiguous_commands=facts.get("ambiguous_commands", ()),
        source_lines=tuple(source_lines),
    )


def _section(b: _Builder, kind: LineKind, numbers: list[int], settings: LineSettings) -> Section:
    states = [b.lines[(kind, n)] for n in numbers]
    return Section(
        kind=kind,
        first=numbers[0],
        last=numbers[-1],
        header_line=max(s.header for s in states),
        implicit=not states[0].configured,
        settings=settings,
    )
