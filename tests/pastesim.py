"""A paste simulator for the test suite (not product code).

Applies a remediation script to a config the way a given release's CLI would
take it, line by line, and says what the device refused:

* `algorithm-type` (and so type 8/9 secrets) only where the release has it;
  `ip ssh version 2` and `login block-for` likewise;
* `no username X` removes every `username X ...` line;
* a `secret` for a user that still has a `password` is refused
  ("% ERROR: Can not have both a user password and a user secret");
* `login quiet-mode access-class` needs `login block-for` first;
* `no ip access-list standard|extended NAME` and `no access-list N` remove the
  whole list; `ip access-list ... NAME` enters ACL mode, `line ...` line mode;
* a command that asks a question on this release (`auditor.cli_model`: `no
  username X` on 15.x and IOS-XE) takes the next line of the paste as its
  answer, unless the script pauses there (`! PAUSE:`, the operator answers): the
  line is eaten and the command cancelled, both reported as refused;
* comments, `configure terminal` and `end` are not commands; the frame's exec
  commands (`configure confirm`, `copy running-config startup-config`, ...) add
  no config line, and `configure terminal revert timer N` is refused by a
  release without it, or without an archive `path`.

Placeholders are filled the way an operator would, with distinct values. The
result is a config text (the original, less what was removed, plus what was
accepted before `end`), ready to be audited again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from auditor.cli_model import PAUSE
from auditor.platforms.ios.cli import CLI as IOS
from auditor.release import Release

FILL = {
    "<MGMT-NETWORK> <WILDCARD>": "192.0.2.0 0.0.0.255",
    "<ADMIN-USER>": "netadmin",
    "<DOMAIN>": "example.net",
}
EXEC = {"configure confirm", "configure revert now", "copy running-config startup-config", "reload cancel"}
OPERATOR = "192.0.2.10"  # the engineer's own address, inside the --mgmt-net the tests use


@dataclass
class Pasted:
    config: str
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (command, why)


def fill(line: str) -> str:
    for placeholder, value in FILL.items():
        line = line.replace(placeholder, value)
    return re.sub(r"<NEW-([A-Z0-9-]+)>", lambda m: f"Fill-{m.group(1).lower()}-9x", line)


def paste(config: str, script: str, release: Release) -> Pasted:
    lines = config.replace("\r\n", "\n").rstrip("\n").split("\n")
    while lines and lines[-1].strip() in ("end", ""):
        lines.pop()
    added: list[str] = []
    rejected: list[tuple[str, str]] = []
    mode = None  # the header of the sub-mode we are in
    asking: str | None = None  # a command waiting for the answer to its question
    for raw in script.splitlines():
        if asking is not None:
            if raw.strip().startswith(PAUSE):
                raw, asking = asking, None  # the operator answers; the command takes effect
            else:
                rejected.append((fill(asking), "cancelled: its question was answered by the next pasted line"))
                rejected.append((fill(raw.strip()), "eaten as the answer to the question of the line before"))
                asking = None
                continue
        elif IOS.prompt_for(raw) is not None and IOS.prompt_for(raw).asks(release) is not False:
            asking = raw
            continue
        if not raw.strip() or raw.lstrip().startswith("!") or raw.strip() in ("configure terminal", "end"):
            if raw.strip() == "end":
                mode = None
            continue
        if raw.strip() in EXEC:  # the frame's exec-mode commands: no config line
            continue
        if raw.strip().startswith("configure terminal revert timer "):
            if release.supports("revert-timer") is not True:
                rejected.append((raw.strip(), "% Invalid input: this release may have no revert timer"))
            elif not any(line.strip().startswith("path ") for line in lines + added):
                rejected.append((raw.strip(), "% Archive path is not configured"))
            mode = None
            continue
        command = fill(raw)
        if raw.startswith(" "):
            why = "a sub-command outside any mode" if mode is None else _refused(command.strip(), release, lines + added)
            if why:
                rejected.append((command, why))
            else:
                added.append(command)
            continue
        why = _refused(command, release, lines + added)
        if why:
            rejected.append((command, why))
            mode = None
            continue
        words = command.split()
        if words[:2] == ["no", "username"]:
            name = words[2]
            lines = [x for x in lines if not x.startswith(f"username {name} ")]
            added = [x for x in added if not x.startswith(f"username {name} ")]
            mode = None
            continue
        if words[:2] == ["no", "enable"]:  # one level's credential: 15 unless `level N` is given
            kind, level = words[2], _enable_level(words[3:])
            lines = [x for x in lines if not (_enable_kind(x) == kind and _enable_level(x.split()[2:]) == level)]
            continue
        if words[:2] == ["no", "ip"] and len(words) >= 5 and words[2] == "access-list":
            lines = _drop_block(lines, f"ip access-list {words[3]} {words[4]}")
            added = _drop_block(added, f"ip access-list {words[3]} {words[4]}")
            continue
        if words[:2] == ["no", "access-list"]:
            lines = [x for x in lines if not x.startswith(f"access-list {words[2]} ")]
            added = [x for x in added if not x.startswith(f"access-list {words[2]} ")]
            continue
        if words[:3] == ["aaa", "authentication", "login"] and len(words) > 3:
            prefix = f"aaa authentication login {words[3]} "
            lines = [x for x in lines if not x.startswith(prefix)]
            added = [x for x in added if not x.startswith(prefix)]
        if words[0] == "enable" and "secret" in words:  # replaces that level's secret only
            level = _enable_level(words[words.index("secret") + 1 :])
            lines = [x for x in lines if not _enable_secret_of(x, level)]
            added = [x for x in added if not _enable_secret_of(x, level)]
        mode = command if words[0] in ("line", "interface", "archive") or words[:2] in (["ip", "access-list"], ["ipv6", "access-list"]) else None
        added.append(command)
    return Pasted("\n".join(lines + added + ["end"]) + "\n", rejected)


def _drop_block(lines: list[str], header: str) -> list[str]:
    out, skipping = [], False
    for line in lines:
        if not line.startswith(" "):
            skipping = line.strip() == header
        if not skipping:
            out.append(line)
    return out


def _refused(command: str, release: Release, config: list[str]) -> str | None:
    words = command.split()
    if release.crypto is False and (words[:2] in (["crypto", "key"], ["ip", "ssh"]) or (words[:2] == ["transport", "input"] and "ssh" in words)):
        return "% Invalid input: this image has no crypto (no SSH)"
    if "algorithm-type" in words and release.supports("scrypt") is not True:
        return f"% Invalid input: {release.describe()} has no algorithm-type"
    if words[:3] == ["ip", "ssh", "version"] and release.supports("ssh-v2") is False:
        return "% Invalid input: no SSH version 2 on this release"
    if words[:2] == ["login", "block-for"] and release.supports("login-block") is False:
        return "% Invalid input: no login block-for on this release"
    if words[:3] == ["login", "quiet-mode", "access-class"] and not any(x.startswith("login block-for") for x in config):
        return "% login block-for must be configured first"
    if words[0] == "username" and len(words) > 2 and "secret" in words:
        name = words[1]
        if any(x.startswith(f"username {name} ") and _credential_keyword(x) == "password" for x in config):
            return "% ERROR: Can not have both a user password and a user secret"
    return None


def _credential_keyword(line: str) -> str | None:
    """`password` or `secret`: the first credential keyword of a `username` line (the value may be any word)."""
    return next((w for w in line.split()[2:] if w in ("password", "secret")), None)


def _enable_kind(line: str) -> str | None:
    """`password` or `secret` for an `enable` credential line, else None."""
    words = line.split()
    if words[:1] != ["enable"]:
        return None
    return "secret" if "secret" in words[1:4] else "password" if words[1:2] == ["password"] else None


def _enable_secret_of(line: str, level: int) -> bool:
    """The line is the enable secret of `level`."""
    words = line.split()
    return _enable_kind(line) == "secret" and _enable_level(words[words.index("secret") + 1 :]) == level


def _enable_level(rest: list[str]) -> int:
    """The level of `... password|secret [level N] ...` from the words after the keyword (15 without one)."""
    return int(rest[1]) if len(rest) >= 2 and rest[0] == "level" and rest[1].isdigit() else 15
