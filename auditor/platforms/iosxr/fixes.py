"""IOS-XR remediation syntax the platform writes: helpers of `auditor.platforms.iosxr`."""

from __future__ import annotations

import re


def without_access_list(text: str) -> str:
    """`telnet vrf X ipv4 server max-servers N [access-list A]` as its `no` form takes it."""
    words = text.split()
    return " ".join(words[: words.index("server") + 1]) if "server" in words else text


def line_secret_placeholder(template: str) -> str:
    """`<NEW-LINE-SECRET-DEFAULT>` for `line default`, `<NEW-LINE-SECRET-TEMPLATE-VTY>` for `line template vty`."""
    tail = re.sub(r"[^A-Z0-9]+", "-", template.upper().removeprefix("LINE ")).strip("-")
    return f"<NEW-LINE-SECRET-{tail}>"


def users_of(owner: str, sections) -> str:
    """Which access paths use a credential written in `owner`, when that is not only `owner` itself."""
    names = [s.name for s in sections]
    return "" if names == [owner] else f" Access paths that use it: {', '.join(names)}."


def template_at(device, line: int) -> str:
    """The template whose block holds `line` (what a section inherits is written in `line
    default`): the last template header at or above it, as the reader recorded them."""
    owner = "line default"
    for entry in device.platform_notes.get("line_headers", "").split("\n"):
        number, _, header = entry.partition(" ")
        if number.isdigit() and int(number) <= line:
            owner = header
    return owner
