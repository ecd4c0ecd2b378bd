"""Pre-change audits: apply a change snippet to a config and compare findings.

The snippet is applied as pasted into configuration mode (the model's usual
semantics: re-entered sections, replaced `transport input`, `no` forms), by
appending it to the config. Findings are compared per line number, so a
change that regroups `line vty 0 4` into `0 2` and `3 4` is judged by what
each line does, not by how the sections are named.
"""

from __future__ import annotations

import re

from auditor.findings import ChangeSummary, DeviceReport

_MODE = re.compile(r"^\s*(conf(igure)?(\s+t(erminal)?)?|end|exit|wr(ite)?(\s+mem(ory)?)?|copy\s+run\S*\s+start\S*)\s*$", re.I)
_RANGE = re.compile(r"^line (vty|con|aux) ([0-9]{1,9})(?: ([0-9]{1,9}))?$")


def apply_change(config: bytes, change: bytes) -> bytes:
    """The config a change will produce: config without its final `end`, then the change."""
    lines = config.replace(b"\r\n", b"\n").rstrip(b"\n").split(b"\n")
    while lines and lines[-1].strip() in (b"end", b""):
        lines.pop()
    extra = [line for line in change.replace(b"\r\n", b"\n").split(b"\n") if not _MODE.match(line.decode("latin-1"))]
    while extra and not extra[-1].strip():
        extra.pop()
    return b"\n".join(lines + extra + [b"end"]) + b"\n"


def _atoms(finding) -> set[tuple]:
    m = _RANGE.match(finding.section)
    if not m:
        return {(finding.rule_id, finding.section)}
    first = int(m.group(2))
    last = int(m.group(3) or first)
    return {(finding.rule_id, m.group(1), n) for n in range(first, last + 1)}


def compare(before: DeviceReport, after: DeviceReport) -> ChangeSummary:
    before_atoms = set().union(*(_atoms(f) for f in before.findings)) if before.findings else set()
    after_atoms = set().union(*(_atoms(f) for f in after.findings)) if after.findings else set()
    return ChangeSummary(
        introduced=tuple(f for f in after.findings if _atoms(f) - before_atoms),
        unchanged=tuple(f for f in after.findings if not _atoms(f) - before_atoms),
        resolved=tuple(f for f in before.findings if _atoms(f) - after_atoms),
    )
