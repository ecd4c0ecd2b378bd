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
    return applied(config, change)[0]


def applied(config: bytes, change: bytes) -> tuple[bytes, int, list[int]]:
    """(the combined config, how many of its lines are the config's, and for each line after
    those the snippet's own 1-based line number), so findings can point into the snippet."""
    lines = config.replace(b"\r\n", b"\n").rstrip(b"\n").split(b"\n")
    while lines and lines[-1].strip() in (b"end", b""):
        lines.pop()
    numbered = [(n, line) for n, line in enumerate(change.replace(b"\r\n", b"\n").split(b"\n"), 1) if not _MODE.match(line.decode("latin-1"))]
    while numbered and not numbered[-1][1].strip():
        numbered.pop()
    combined = b"\n".join(lines + [line for _, line in numbered] + [b"end"]) + b"\n"
    return combined, len(lines), [n for n, _ in numbered]


def in_snippet(report: DeviceReport, config_lines: int, snippet_lines: list[int], snippet: str) -> DeviceReport:
    """Findings on lines of the change snippet name the snippet file and its own line number."""

    def moved(f):
        k = f.line - config_lines
        if 1 <= k <= len(snippet_lines):
            return f.model_copy(update={"file": snippet, "line": snippet_lines[k - 1]})
        return f

    return report.model_copy(update={"findings": tuple(map(moved, report.findings)), "suppressed": tuple(map(moved, report.suppressed))})


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


def against(before: DeviceReport | None, after: DeviceReport) -> DeviceReport:
    """`after` with what it changes against `before` (None: a new file). A new file's findings,
    and those of a file that was not a config before, are all introduced. An input that is not
    audited now carries no comparison: its status decides the exit code."""
    from auditor.findings import DeviceStatus

    if after.status is not DeviceStatus.AUDITED:
        return after
    if before is None or before.status is not DeviceStatus.AUDITED:
        return after.model_copy(update={"change": ChangeSummary(introduced=after.findings)})
    return after.model_copy(update={"change": compare(before, after)})
