"""NX-OS remediation syntax the platform writes: helpers of `auditor.platforms.nxos`."""

from __future__ import annotations


CHECKPOINT = "vty-auditor-before"


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
