"""IOS / IOS-XE, read: the line model (what the device will actually do on each VTY, console and aux
line), users, enable credentials and ACLs.

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
from typing import cast

from auditor.keywords import number
from auditor.model import (
    MASKED,
    AccessClass,
    Acl,
    AclEntry,
    AmbiguousCommand,
    Credential,
    DeviceModel,
    EnableLevel,
    LineKind,
    LineSettings,
    LoginMode,
    RejectedLine,
    Section,
    User,
)
from auditor.parse import Block, Cmd, command_words, is_global_command, line_mode_takes


# ---------------------------------------------------------------- building

_LINE_HEADER = re.compile(r"^line\s+(vty|con|console|aux)\s+([0-9]{1,9})(?:\s+([0-9]{1,9}))?\s*$", re.I)
_OUR_LINE = re.compile(r"^line\s+(vty|con|console|aux)\b", re.I)
_DEFAULT_VTYS = range(0, 5)
# Lines that exist on every IOS device whether the config names them or not: five VTYs and the
# console. An intended config without `line con 0` leaves the console at its defaults (no
# `login`: a shell without authentication, LIN002).
_DEFAULT_LINES = {LineKind.VTY: _DEFAULT_VTYS, LineKind.CON: range(0, 1)}
# The highest line number IOS accepts per kind: `line vty 0 ?` answers <1-1869> on IOS and
# IOS-XE (the IOS-XE YANG model's vty range is 0-1869); console and aux are line 0 only.
MAX_LINE = {"vty": 1869, "con": 0, "aux": 0}


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
    modem: str | None = None  # `modem InOut|Dialin|...`: the line answers a modem
    modem_line: int | None = None


@dataclass
class _LineBlock:
    """One `line` header and what its sub-commands write: the last value per field."""

    kind: LineKind
    first: int
    last: int
    header: int
    writes: dict = field(default_factory=dict)


class _Writes:
    """Records the fields a sub-command sets (last write wins), for the interval sweep."""

    writes: dict

    def __init__(self, writes: dict):
        object.__setattr__(self, "writes", writes)

    def __setattr__(self, name: str, value) -> None:
        self.writes[name] = value


@dataclass
class _Builder:
    blocks: list[_LineBlock] = field(default_factory=list)
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # (line, word, why)
    acls: dict[str, dict] = field(default_factory=dict)
    ipv6_acls: dict[str, dict] = field(default_factory=dict)
    users: dict[str, dict] = field(default_factory=dict)
    facts: dict = field(default_factory=dict)
    first_line_header: int | None = None


def build_model(blocks: list[Block], source_lines: list[str] | None = None, ambiguous=()) -> DeviceModel:
    b = _Builder()
    current: _LineBlock | None = None  # the line block a sub-command applies to
    in_line_mode = False  # inside some `line` mode (ours or tty/async)
    line_flat = False  # the line block has no indented sub-command
    for block in blocks:
        text = block.cmd.text
        if text.startswith("!"):
            continue
        if _OUR_LINE.match(text):
            entered = _enter_line(b, text, block.cmd.line)
            if entered is not None:
                current, in_line_mode = entered, True
                line_flat = not block.children  # flat so far: line mode takes its own commands first
            # A header the device rejects leaves it in the mode it was in: the
            # sub-commands below apply to the previous line block, if any.
            if current is not None:
                for child in block.children:
                    _apply_line_cmd(current, child)
            continue
        if in_line_mode and not block.children and line_mode_takes(text, line_flat):
            if current is not None:
                _apply_line_cmd(current, block.cmd)
            continue
        if in_line_mode and not is_global_command(text):
            # Invalid in global mode (`^C` ending a vacant-message, a typo): the device stays
            # in line mode, and the indented lines below are line sub-commands.
            if current is not None:
                for child in block.children:
                    _apply_line_cmd(current, child)
            continue
        current, in_line_mode = None, False
        if re.match(r"^line\s", text, re.I):
            in_line_mode = True  # another kind of line (tty, async): its sub-commands are not ours
            continue
        _apply_global(b, block)
    b.facts["ambiguous_commands"] = tuple(AmbiguousCommand(line=a.line, word=a.word, candidates=a.candidates) for a in ambiguous)
    b.facts["rejected_lines"] = tuple(RejectedLine(line=line, text=word, reason=why) for line, word, why in b.rejected)
    return _finish(b, source_lines or [])


def _enter_line(b: _Builder, text: str, line: int) -> _LineBlock | None:
    """The block a valid header opens, or None (reported) for one IOS rejects."""
    m = _LINE_HEADER.match(text)
    ours = _OUR_LINE.match(text)
    assert ours is not None  # the caller matched it
    kind_word = ours.group(1).lower()
    kind = {"vty": LineKind.VTY, "con": LineKind.CON, "console": LineKind.CON, "aux": LineKind.AUX}[kind_word]
    limit = MAX_LINE[kind.value]
    if m is None:
        b.rejected.append((line, text, "line numbers must be plain ASCII digits"))
        return None
    first = int(m.group(2))
    last = int(m.group(3)) if m.group(3) else first
    if last < first:
        first, last = last, first
    if last > limit:
        b.rejected.append((line, text, f"IOS accepts line {kind.value} {'0' if limit == 0 else f'0-{limit}'} only"))
        return None
    if kind is LineKind.VTY and b.first_line_header is None:
        b.first_line_header = line
    block = _LineBlock(kind=kind, first=first, last=last, header=line)
    b.blocks.append(block)
    return block


def _apply_line_cmd(block: _LineBlock, cmd: Cmd) -> None:
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
    _apply_one(cast(_LineState, _Writes(block.writes)), words, low, negate, default, cmd.line)  # records what it sets


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
            ptype = number(low[1], 2) if len(words) >= 3 else None
            ptype = MASKED if _masked_value(low[1:]) else (0 if ptype is None else ptype)
            s.password_type, s.password_line = ptype, line
    elif head == "exec-timeout":
        s.exec_timeout_line = line
        if negate or default:
            s.exec_timeout = None
        else:
            nums = [n for n in (number(w, 6) for w in low[1:3]) if n is not None]
            if nums:
                s.exec_timeout = (nums[0], nums[1] if len(nums) > 1 else 0)
    elif head == "privilege" and len(low) >= 2 and low[1] == "level":
        s.privilege_line = line
        level = low[2] if len(low) >= 3 else ""
        s.privilege = None if (negate or default) else number(level, 2)
    elif head == "exec" and len(low) == 1:
        s.exec_enabled, s.exec_line = not negate, line
    elif head == "modem" and len(low) >= 2 and low[1] in _DIAL_IN:
        s.modem, s.modem_line = (None if negate or default else _DIAL_IN[low[1]]), line


# `modem` settings under which the line answers incoming calls (Cisco IOS Dial Technologies
# Command Reference, `modem`: InOut and Dialin configure the line for incoming calls; Callin and
# RI-is-CD answer them too). Host and the others only shape outgoing or reverse connections.
_DIAL_IN = {"inout": "InOut", "dialin": "Dialin", "callin": "Callin", "ri-is-cd": "RI-is-CD"}


def _apply_access_class(s: _LineState, words, low, remove: bool, line: int, ipv6: bool) -> None:
    # access-class NAME {in [vrf-also] | out}
    direction = next((w for w in low[2:3] if w in ("in", "out")), "in")
    if remove:
        if ipv6:
            if direction == "in":
                s.acl6_in = None
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
    words, low, negate = command_words(text)
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
        level = _enable_level(low[4:])
        key = "enable_secret" if level == 15 else f"enable_secret_level_{level}"
        if negate:
            facts.pop(key, None)
        else:
            facts[key] = Credential(type=_ALGORITHM_TYPES.get(low[2], 0), line=line, text=text)
    elif head == "enable" and len(low) >= 2 and low[1] in ("password", "secret"):
        # `enable password|secret [level N] ...`: without a level, or with level 15, it is the credential
        # of privileged EXEC; any other level guards only `enable N` (Cisco IOS Security Command
        # Reference, `enable password` / `enable secret`: "level level ... default is 15").
        level = _enable_level(low[2:])
        key = "enable_" + low[1] if level == 15 else f"enable_{low[1]}_level_{level}"
        if negate:
            facts.pop(key, None)
        else:
            facts[key] = Credential(type=_credential_type(low[2:]), line=line, text=text, masked=_masked_value(low[2:]))
    elif head == "service" and len(low) >= 2 and low[1] == "password-encryption":
        facts["service_password_encryption"] = not negate
    elif head == "aaa" and len(low) >= 2 and low[1] == "new-model":
        facts["aaa_new_model"] = not negate
    elif head == "aaa" and low[1:3] == ["authentication", "eap"]:
        facts["eap_authentication"] = not negate
    elif head == "aaa" and len(low) >= 4 and low[1] == "authentication" and low[2] == "login":
        lists = facts.setdefault("aaa_login_lists", {})
        if negate:
            lists.pop(words[3], None)
        else:
            lists[words[3]] = " ".join(words[4:])  # server group names keep their case: IOS matches them exactly
    elif head == "crypto" and low[1:3] == ["ikev2", "profile"]:
        # FlexVPN clients authenticated by EAP (EAP-MSCHAPv2 against local users needs the password
        # in recoverable form, as CHAP does: Cisco FlexVPN and IKEv2 Configuration Guide, "EAP as
        # remote authentication"): their users' passwords must stay reversible.
        if any(c.text.lower().split()[:3] == ["authentication", "remote", "eap"] for c in block.children):
            facts["eap_authentication"] = True
    elif head == "login" and len(low) >= 2 and low[1] == "block-for":
        facts["login_block_for"] = not negate
    elif head == "interface" and len(words) >= 2:
        for child in block.children:
            child_low = child.text.lower().split()
            if child_low[:2] in (["ipv6", "address"], ["ipv6", "enable"]):
                if words[1] not in facts.setdefault("ipv6_interfaces", []):
                    facts["ipv6_interfaces"].append(words[1])
            elif child_low[:1] == ["ppp"] and len(child_low) >= 2 and child_low[1] in ("authentication", "chap", "pap"):
                facts["ppp_authentication"] = True
                if child_low[1:3] == ["chap", "hostname"] and len(child_low) >= 4:
                    facts.setdefault("ppp_peers", []).append(child.text.split()[3])
            elif child_low[:2] == ["dialer", "remote-name"] and len(child_low) >= 3:
                facts.setdefault("ppp_peers", []).append(child.text.split()[2])
            elif "vrf" in child_low[:2] and "forwarding" in child_low[:3]:
                facts.setdefault("vrf_interfaces", []).append(words[1])
                vrf_at = child_low.index("forwarding") + 1
                if vrf_at < len(child_low):
                    facts.setdefault("interface_vrf", {})[words[1]] = child.text.split()[vrf_at]
            elif child_low[:2] == ["ip", "address"] and len(child_low) >= 4 and child_low[2][:1].isdigit():
                facts.setdefault("interface_addresses", {}).setdefault(words[1], []).append(f"{child_low[2]}/{child_low[3]}")
    elif head == "object-group" and len(low) >= 3 and low[1] in ("network", "ipv6"):
        groups = facts.setdefault("object_groups", {})
        if negate:
            groups.pop(words[2], None)
        else:
            groups[words[2]] = groups.get(words[2], ()) + tuple(c.text for c in block.children)
    elif head == "archive" and len(low) == 1:
        facts["archive_path"] = not negate and any(c.text.lower().startswith("path ") for c in block.children)
    elif head == "platform" or (head == "license" and low[1:3] == ["boot", "level"] and _xe_license_level(low[3:4])):
        # ISR G2 classic IOS says `license boot module ...`; the classic Catalyst 3560-X / 3750-X
        # (15.0(2)SE) `license boot level lanbase|ipbase|ipservices` too (Cisco Software Activation
        # and Compatibility Document, Catalyst 3750-X/3560-X 15.0(2)SE): only IOS-XE's own levels count.
        facts["iosxe_markers"] = True
    elif head == "boot" and low[1:2] == ["system"] and len(words) >= 3 and not negate:
        facts.setdefault("boot_image", words[-1])  # the first `boot system` image is the one tried first
    elif head == "vrf" and len(low) >= 3 and low[1] == "definition" or head == "ip" and len(low) >= 3 and low[1] == "vrf":
        name = words[2]
        facts.setdefault("vrfs", []).append(name)
        if name.lower() in ("mgmt-intf", "mgmt-vrf"):
            facts["iosxe_markers"] = True
    elif head == "ip" and len(low) >= 3 and low[1] in ("domain", "domain-name"):
        facts["ip_domain_name"] = not negate if low[1] == "domain-name" or low[2] == "name" else facts.get("ip_domain_name", False)
    elif head == "crypto" and low[1:3] == ["pki", "trustpoint"] and len(low) >= 4 and low[3].startswith("tp-self-signed"):
        facts["ssh_configured"] = True
    elif head == "ip" and len(low) >= 4 and low[1] == "ssh" and low[2] == "version":
        facts["ip_ssh_version"] = None if negate else number(low[3], 1)
        facts["ssh_configured"] = True
    elif head == "ip" and len(low) >= 3 and low[1] == "ssh" and not negate:
        facts["ssh_configured"] = True


_ALGORITHM_TYPES = {"md5": 5, "sha256": 8, "scrypt": 9}


def numbered_acl_kind(name: str) -> str:
    n = number(name, 4)
    if n is not None:
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
        elif len(words) > 1 and words[0].lower() == "sequence" and words[1].isdigit():  # IPv6 ACLs as IOS prints them
            words = words[2:]
        if not words or words[0].lower() in ("remark", "!", "statistics") or words[0].startswith("!"):
            continue
        entries.append(AclEntry(text=" ".join(words), line=child.line))
    return entries


def _enable_levels(facts: dict) -> dict[int, EnableLevel]:
    """The enable credentials of levels other than 15, by level."""
    levels: dict[int, dict] = {}
    for key, credential in facts.items():
        if key.startswith(("enable_password_level_", "enable_secret_level_")):
            kind, level = key.split("_")[1], int(key.rsplit("_", 1)[1])
            levels.setdefault(level, {"level": level})[kind] = credential
    return {level: EnableLevel(**fields) for level, fields in sorted(levels.items())}


def _masked_value(rest: list[str]) -> bool:
    """The value after `password|secret [level N] [TYPE]` was hidden by a backup tool
    (Oxidized `<secret hidden>`, RANCID / NAPALM `<removed>`, `*****`): its type is unknown."""
    if len(rest) >= 2 and rest[0] == "level":
        rest = rest[2:]
    if len(rest) >= 2 and number(rest[0], 2) is not None:
        rest = rest[1:]
    value = " ".join(rest)
    if value.lower().startswith("<new-"):
        return False  # a placeholder of our own remediation, pasted as is
    return bool(value) and ((value.startswith("<") and value.endswith(">")) or set(value) <= {"*"})


def _xe_license_level(level: list[str]) -> bool:
    """A `license boot level` only IOS-XE has: network-essentials/-advantage/-premier, dna-*."""
    return bool(level) and level[0].startswith(("network-", "dna-"))


def _enable_level(rest: list[str]) -> int:
    """The privilege level of `enable password|secret [level N] ...` (15 without one)."""
    if len(rest) >= 2 and rest[0] == "level":
        level = number(rest[1], 2)
        if level is not None and 0 <= level <= 15:
            return level
    return 15


def _credential_type(rest: list[str]) -> int:
    """Type of `... password|secret [level N] [TYPE] VALUE` from the words after the keyword."""
    if len(rest) >= 2 and rest[0] == "level":
        rest = rest[2:]
    if len(rest) >= 2 and number(rest[0], 2) is not None:
        return int(rest[0])
    return 0


def _apply_username(b: _Builder, words, low, negate: bool, line: int, text: str) -> None:
    name = words[1]
    if negate:
        b.users.pop(name, None)
        return
    user = b.users.setdefault(name, {"name": name, "line": line, "lines": []})
    user["lines"].append((line, text))
    rest = low[2:]
    i = 0
    while i < len(rest):
        word = rest[i]
        if word == "privilege" and i + 1 < len(rest) and number(rest[i + 1], 2) is not None:
            user["privilege"] = int(rest[i + 1])
            i += 2
            continue
        if word in ("password", "secret"):
            cred = Credential(type=_credential_type(rest[i + 1 :]), line=line, text=text, masked=_masked_value(rest[i + 1 :]))
            user[word] = cred
            user.pop("secret" if word == "password" else "password", None)
            user.pop("nopassword", None)
            break
        if word == "nopassword":  # replaces any credential the user had (its last form wins)
            user["nopassword"] = line
            user.pop("password", None)
            user.pop("secret", None)
            break
        if word == "algorithm-type" and i + 2 < len(rest) and rest[i + 2] == "secret":
            algo = _ALGORITHM_TYPES.get(rest[i + 1], 0)
            user["secret"] = Credential(type=algo, line=line, text=text)
            user.pop("password", None)
            user.pop("nopassword", None)
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
        modem=state.modem,
        modem_line=state.modem_line,
    )


_UNSET = object()


def _sweep(blocks: list[_LineBlock], defaults: range | None):
    """(first, last, state) per run of line numbers with the same writers, in number order.

    Every block is an interval with its field writes; a number's value of a field
    is the last write among the blocks covering it. Painting each field from the
    last block back, with a "next unpainted segment" pointer, touches each
    segment once per field: linear in blocks and segments, never in the numbers
    a range spans (`line vty 0 1869` is one segment, not 1,870 states).
    """
    from bisect import bisect_right

    bounds = sorted({x for blk in blocks for x in (blk.first, blk.last + 1)} | (set() if defaults is None else {defaults.start, defaults.stop}))
    nseg = len(bounds) - 1
    if nseg <= 0:
        return []

    def segments(blk):
        return bisect_right(bounds, blk.first) - 1, bisect_right(bounds, blk.last) - 1

    def paint(writers) -> list:
        values = [_UNSET] * nseg
        nxt = list(range(nseg + 1))  # nxt[i]: the first unpainted segment >= i

        def find(i: int) -> int:
            root = i
            while nxt[root] != root:
                root = nxt[root]
            while nxt[i] != root:
                nxt[i], i = root, nxt[i]
            return root

        for (lo, hi), value in writers:
            i = find(lo)
            while i <= hi:
                values[i] = value
                nxt[i] = i + 1
                i = find(i + 1)
        return values

    spans = [segments(blk) for blk in blocks]
    order = range(len(blocks) - 1, -1, -1)
    headers = paint((spans[k], blocks[k].header) for k in order)
    fields = {name for blk in blocks for name in blk.writes}
    painted = {name: paint((spans[k], blocks[k].writes[name]) for k in order if name in blocks[k].writes) for name in fields}
    out = []
    for i in range(nseg):
        first, last = bounds[i], bounds[i + 1] - 1
        if headers[i] is _UNSET:
            if defaults is None or not (defaults.start <= first and last < defaults.stop):
                continue
            state = _LineState(header=0, configured=False)
        else:
            state = _LineState(header=headers[i])
            for name, values in painted.items():
                if values[i] is not _UNSET:
                    setattr(state, name, values[i])
        out.append((first, last, state))
    return out


def _finish(b: _Builder, source_lines: list[str]) -> DeviceModel:
    facts = b.facts
    # `aaa authentication login ...` cannot exist without AAA on (IOS refuses it before `aaa
    # new-model`), so it implies AAA where the text omits the command (`show sdwan
    # running-config` does); an explicit `no aaa new-model` still wins.
    aaa = facts.get("aaa_new_model", bool(facts.get("aaa_login_lists")))
    first_header = b.first_line_header or 1
    sections: list[Section] = []
    for kind in LineKind:
        runs = _sweep([blk for blk in b.blocks if blk.kind is kind], _DEFAULT_LINES.get(kind))
        group: list[tuple[int, int, _LineState]] = []
        group_settings = LineSettings(login=LoginMode.NONE)  # replaced with the first group's
        for first, last, state in runs:
            if not state.configured:
                state.header = first_header
            settings = _effective(state, kind, aaa)
            if group and first == group[-1][1] + 1 and (settings.key(), state.configured) == (group_settings.key(), group[-1][2].configured):
                group.append((first, last, state))
                continue
            if group:
                sections.append(_section(kind, group, group_settings))
            group, group_settings = [(first, last, state)], settings
        if group:
            sections.append(_section(kind, group, group_settings))
    return DeviceModel(
        hostname=facts.get("hostname"),
        version=facts.get("version"),
        sections=tuple(sections),
        acls={k: Acl(name=k, **v) for k, v in b.acls.items()},
        ipv6_acls={k: Acl(name=k, **v) for k, v in b.ipv6_acls.items()},
        users={k: User(**v) for k, v in b.users.items()},
        enable_password=facts.get("enable_password"),
        enable_secret=facts.get("enable_secret"),
        enable_levels=_enable_levels(facts),
        service_password_encryption=facts.get("service_password_encryption", False),
        aaa_new_model=aaa,
        aaa_login_lists=facts.get("aaa_login_lists", {}),
        ip_ssh_version=facts.get("ip_ssh_version"),
        login_block_for=facts.get("login_block_for", False),
        ipv6_interfaces=tuple(facts.get("ipv6_interfaces", ())),
        first_line_header=first_header,
        first_config_line=next((i for i, text in enumerate(source_lines, 1) if text.strip() and not text.lstrip().startswith("!")), 1),
        ambiguous_commands=facts.get("ambiguous_commands", ()),
        iosxe_markers=facts.get("iosxe_markers", False),
        boot_image=facts.get("boot_image"),
        vrfs=tuple(facts.get("vrfs", ())),
        object_groups=facts.get("object_groups", {}),
        vrf_interfaces=tuple(facts.get("vrf_interfaces", ())),
        interface_vrf=facts.get("interface_vrf", {}),
        interface_addresses={k: tuple(v) for k, v in facts.get("interface_addresses", {}).items()},
        ppp_authentication=facts.get("ppp_authentication", False),
        eap_authentication=facts.get("eap_authentication", False),
        ppp_peers=tuple(facts.get("ppp_peers", ())),
        ip_domain_name=facts.get("ip_domain_name", False),
        ssh_configured=facts.get("ssh_configured", False),
        rejected_lines=facts.get("rejected_lines", ()),
        archive_path=facts.get("archive_path", False),
        source_lines=tuple(source_lines),
    )


def _section(kind: LineKind, runs: list[tuple[int, int, _LineState]], settings: LineSettings) -> Section:
    return Section(
        kind=kind,
        first=runs[0][0],
        last=runs[-1][1],
        header_line=max(state.header for _, _, state in runs),
        implicit=not runs[0][2].configured,
        settings=settings,
    )
