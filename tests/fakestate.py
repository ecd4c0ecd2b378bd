"""The stateful part of the simulated IOS device (behaviour `stateful`), for `fix --apply` tests.

A running config that config-mode commands change, a saved one, and IOS's
Configuration Replace and Rollback: `configure terminal revert timer N`
(minutes, counted in seconds of `revert_unit` for tests), `configure confirm`,
`configure revert now`, and `write memory`. Every new connection is checked
the way IOS checks it: the VTY lines' `transport input` must admit SSH, and an
`access-class NAME in` must permit the client's source address (standard ACLs,
named or numbered: `permit|deny any|host A|A WILDCARD`). The option
`ssh_breaks_after_change` makes the device refuse SSH once any change was
applied (a release whose SSH does not come back), to test the way back;
`drop_after_change` closes the session that ends an armed change (`end` with
the revert timer running, or after an NX-OS checkpoint), so that session can
no longer undo it; `revert_fails` makes the revert timer fire without
restoring anything (the change stays). A refused line leaves `refusal` set to
what IOS prints (a secret for a user that has a password, or a line matching
one of the device's `refuse` patterns: "% Invalid input").

Kept apart from the product's own model on purpose: a test must not judge the
auditor with the auditor's semantics.
"""

from __future__ import annotations

import ipaddress
import re
import threading
import time


# Sub-mode commands: typed without indentation after a header, IOS still applies them to it.
CHILD_WORDS = {"transport", "access-class", "login", "password", "exec-timeout", "privilege", "permit", "deny", "remark", "path", "ipv6", "exec", "session-timeout", "description"}


class DeviceState:
    def __init__(self, config_text: str, device: dict):
        lines = [line.rstrip() for line in config_text.splitlines()]
        self.running = [line for line in lines if line.strip() and line.strip() != "end" and not line.startswith("!")]
        self.saved = list(self.running)
        self.device = device
        self.lock = threading.RLock()
        self.snapshot: list[str] | None = None
        self.timer: threading.Timer | None = None
        self.changed = False
        self.log: list[str] = []  # the config commands applied, in order
        self.checkpoints: dict[str, list[str]] = {}  # NX-OS `checkpoint NAME`
        self.refusal: str | None = None  # what the device printed for the last line it refused

    # ---------------------------------------------------------------- config mode

    def command(self, header: str | None, line: str) -> str | None:
        """Apply one config-mode line as IOS would; return the sub-mode it leaves the CLI in."""
        with self.lock:
            self.refusal = None
            text = line.strip()
            words = text.split()
            if not words:
                return header
            if any(re.fullmatch(pattern, text) for pattern in self.device.get("refuse", ())):
                self.refusal = "                ^\n% Invalid input detected at '^' marker."
                return header
            self.changed = True
            self.log.append(text)
            head = words[1] if words[0] == "no" and len(words) > 1 else words[0]
            is_child = line.startswith(" ") or head in CHILD_WORDS or words[0].isdigit()
            if head == "ipv6" and "access-list" in words[:3]:
                is_child = False
            if header is not None and is_child:
                self._child(header, text)
                return header
            if words[0] == "no":
                self._remove(" ".join(words[1:]))
                return None
            if words[0] in ("line", "archive", "interface") or text.startswith(("ip access-list ", "ipv6 access-list ")):
                if text not in self.running:
                    self.running.append(text)
                return text
            if words[0] == "username":
                mine = [x for x in self.running if x.startswith(f"username {words[1]} ")]
                if "secret" in words and any(" password " in x for x in mine):
                    self.refusal = "% ERROR: Can not have both a user password and a user secret."
                    return None
            if words[0] == "enable" and "secret" in words:
                self.running = [x for x in self.running if not x.startswith(("enable secret", "enable algorithm-type"))]
            if text not in self.running:
                self.running.append(text)
            return None

    def _child(self, header: str, text: str) -> None:
        if header not in self.running:
            self.running.append(header)
        start = self.running.index(header)
        end = start + 1
        while end < len(self.running) and self.running[end].startswith(" "):
            end += 1
        block = [c.strip() for c in self.running[start + 1 : end]]
        words = text.split()
        if words[0] == "no":
            key = " ".join(words[1:3])
            block = [c for c in block if not c.startswith(key)]
        else:
            replaces = {
                "transport": lambda c: c.startswith("transport input"),
                "access-class": lambda c: c.startswith("access-class") and ("out" in c.split()) == ("out" in words),
                "ipv6": lambda c: c.startswith("ipv6 access-class") and ("out" in c.split()) == ("out" in words),
                "login": lambda c: c.split()[:2] != ["login", "authentication"] and c.startswith("login") and words[:2] != ["login", "authentication"],
                "password": lambda c: c.startswith("password"),
                "exec-timeout": lambda c: c.startswith("exec-timeout"),
                "path": lambda c: c.startswith("path"),
            }.get(words[0], lambda c: c == text)
            block = [c for c in block if not replaces(c)] + [text]
        self.running[start + 1 : end] = [" " + c for c in block]

    def _remove(self, rest: str) -> None:
        words = rest.split()
        if words[0] == "username":
            self.running = [line for line in self.running if not line.startswith(f"username {words[1]} ")]
            return
        if words[:2] in (["ip", "access-list"], ["ipv6", "access-list"]):
            self._drop_block(lambda line: line.startswith(" ".join(words[:2])) and line.split()[-1] == words[-1])
            return
        if words[0] == "access-list":
            self.running = [line for line in self.running if not line.startswith(f"access-list {words[1]} ")]
            return
        self.running = [line for line in self.running if line != rest]

    def _drop_block(self, match) -> None:
        out, skipping = [], False
        for line in self.running:
            if not line.startswith(" "):
                skipping = match(line)
            if not skipping:
                out.append(line)
        self.running = out

    # ---------------------------------------------------------------- rollback and save

    def arm(self, minutes: int) -> None:
        with self.lock:
            self.snapshot = list(self.running)
            unit = self.device.get("revert_unit", 60.0)
            self.timer = threading.Timer(minutes * unit, self.revert)
            self.timer.daemon = True
            self.timer.start()
            self.event("armed")

    def confirm(self) -> None:
        with self.lock:
            if self.timer is not None:
                self.timer.cancel()
                self.event("settled")
            self.timer, self.snapshot = None, None

    def revert(self) -> None:
        with self.lock:
            if self.snapshot is not None and not self.device.get("revert_fails"):  # `revert_fails`: the change stays
                self.running = self.snapshot
            if self.timer is not None:
                self.timer.cancel()
                self.event("settled")
            self.timer, self.snapshot = None, None
            self.changed = False
            self.device.setdefault("_reverts", []).append(True)

    def checkpoint(self, name: str, remove: bool = False) -> bool:
        """NX-OS `checkpoint NAME` (False if the name is taken) or `no checkpoint NAME`."""
        with self.lock:
            if remove:
                return self.checkpoints.pop(name, None) is not None
            if name in self.checkpoints:
                return False
            self.checkpoints[name] = list(self.running)
            return True

    def rollback(self, name: str) -> bool:
        """NX-OS `rollback running-config checkpoint NAME`."""
        with self.lock:
            if name not in self.checkpoints:
                return False
            self.running = list(self.checkpoints[name])
            self.changed = False
            self.device.setdefault("_reverts", []).append(True)
            return True

    def event(self, what: str) -> None:
        """`<monotonic seconds> <hostname> <what>` to the device's `event_log`: when a change was
        armed and when it was confirmed or reverted (tests count changes under way at once)."""
        if self.device.get("event_log"):
            with open(self.device["event_log"], "a", encoding="utf-8") as log:
                log.write(f"{time.monotonic():.3f} {self.device.get('hostname', '?')} {what}\n")

    def save(self) -> None:
        with self.lock:
            self.saved = list(self.running)

    def text(self) -> str:
        with self.lock:
            return "\n".join(self.running) + "\nend\n"

    # ---------------------------------------------------------------- who may connect

    def admits(self, client: str) -> bool:
        with self.lock:
            if self.device.get("ssh_breaks_after_change") and self.changed:
                return False
            blocks = self._vty_blocks()
            if not blocks:
                return True  # vty 0 4 with defaults: transport all, no access-class
            for lines in blocks:
                transport = next((line.split()[2:] for line in lines if line.startswith("transport input")), ["all"])
                if not ({"ssh", "all"} & set(transport)):
                    continue
                acl = next((line.split()[1] for line in lines if line.startswith("access-class ") and line.split()[-1] == "in"), None)
                if acl is None or self._permits(acl, client):
                    return True
            return False

    def _vty_blocks(self) -> list[list[str]]:
        blocks, current = [], None
        for line in self.running:
            if not line.startswith(" "):
                current = [] if line.startswith("line vty") else None
                if current is not None:
                    blocks.append(current)
            elif current is not None:
                current.append(line.strip())
        return blocks

    def _permits(self, name: str, client: str) -> bool:
        entries = [line.split()[2:] for line in self.running if line.startswith(f"access-list {name} ")]
        if not entries:
            inside = False
            for line in self.running:
                if not line.startswith(" "):
                    inside = line.startswith("ip access-list") and line.split()[-1] == name
                elif inside:
                    entries.append(line.split())
            if not entries and not any(line.startswith("ip access-list") and line.split()[-1] == name for line in self.running):
                return True  # an undefined ACL filters nothing
        address = int(ipaddress.ip_address(client))
        for words in entries:
            if words and words[0].isdigit():
                words = words[1:]
            if not words or words[0] not in ("permit", "deny"):
                continue
            source = words[1:]
            if source[:1] and source[0] in ("ip", "tcp", "udp", "icmp"):
                source = source[1:]  # extended entries (IOS and NX-OS): the source follows the protocol
            if source[:1] and "/" in source[0]:  # NX-OS: prefix notation
                hit = ipaddress.ip_address(client) in ipaddress.ip_network(source[0], strict=False)
            elif source[:1] == ["any"]:
                hit = True
            elif source[:1] == ["host"]:
                hit = address == int(ipaddress.ip_address(source[1]))
            else:
                base = int(ipaddress.ip_address(source[0]))
                wildcard = int(ipaddress.ip_address(source[1])) if len(source) > 1 and source[1][0].isdigit() else 0
                hit = address & ~wildcard == base & ~wildcard
            if hit:
                return words[0] == "permit"
        return False
