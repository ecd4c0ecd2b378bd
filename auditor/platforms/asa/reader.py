"""ASA (Adaptive Security Appliance firewalls): the config read as the device applies it, into the neutral model.

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
import re

from auditor.model import AccessClass, Acl, AclEntry, Credential, DeviceModel, LineKind, LineSettings, LoginMode, Section, User
from auditor.parse import command_words


WANTED = re.compile(r"^(?:no\s+)?(?:telnet\s|ssh\s|username\s|enable\s+password\s|hostname\s|name\s|aaa\s+authentication\s|ASA\s+Version\s|passwd\s|password\s)", re.I)


_HASHED = {"encrypted": 5, "pbkdf2": 8, "nt-encrypted": 5}  # what the ASA prints: one-way hashes (MD5-based, PBKDF2)


# What the reader reads, written in full (see auditor.platforms.abbreviated).
TOP = {
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


class State:
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
                if admits_any(words[1:-1]) and wide is None:
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


def admits_any(source: list[str]) -> bool:
    if len(source) == 2:
        return source[1] in ("0", "0.0.0.0")
    return len(source) == 1 and source[0].endswith("/0")
