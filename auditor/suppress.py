"""Inline suppressions in IOS comments, for config-repo files.

    ! vty-auditor: ignore[VTY003] reason="lab router"        (next section or command)
    ! vty-auditor: file-ignore[PWD002,PWD006] reason="..."    (whole file)

A reason is required: a suppression without one, or naming an unknown rule,
suppresses nothing and is reported as VTY901. A valid suppression that
suppresses nothing is reported as VTY900, so stale ones do not pile up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditor.findings import Applicability, Finding, Remediation, Severity

_SUPPRESSION = re.compile(
    r"^\s*!\s*vty-auditor:\s*(?P<kind>ignore|file-ignore)\[(?P<ids>[^\]]*)\]\s*(?:reason=\"(?P<reason>[^\"]*)\")?\s*$",
    re.I,
)
_MENTION = re.compile(r"^\s*!\s*vty-auditor:", re.I)


@dataclass
class Suppression:
    kind: str
    rule_ids: tuple[str, ...]
    reason: str
    line: int  # the comment's line
    start: int = 0  # lines it covers (ignore: the next block)
    end: int = 0
    header: str = ""
    used: bool = False


class _MetaRule:
    """Registry entry for the engine's own findings about suppressions (reports list them as rules)."""

    def __init__(self, rule_id: str, name: str, summary: str, doc: str):
        from auditor.rule import RuleMeta

        self.meta = RuleMeta(id=rule_id, name=name, severity=Severity.LOW, summary=summary, tags=("suppression",))
        self._doc = doc

    def doc(self) -> str:
        return self._doc


META_RULES = (
    _MetaRule(
        "VTY900",
        "unused-suppression",
        "A suppression comment suppresses nothing",
        "VTY900 unused-suppression: a suppression comment suppresses nothing.\n\n## What it does\n"
        "Flags `! vty-auditor: ignore[...]` / `file-ignore[...]` comments that matched no finding.\n\n"
        "## Fix safety\nSafe: remove the comment.",
    ),
    _MetaRule(
        "VTY901",
        "invalid-suppression",
        "A suppression comment has no reason or names an unknown rule",
        "VTY901 invalid-suppression: a suppression comment is malformed.\n\n## What it does\n"
        'Flags suppression comments without `reason="..."` or with an unknown rule id; they suppress nothing.\n\n'
        "## Fix safety\nSafe: fix the comment.",
    ),
)


def _meta_finding(rule_id: str, name: str, message: str, line: int, evidence: str) -> Finding:
    return Finding(
        rule_id=rule_id,
        rule_name=name,
        severity=Severity.LOW,
        message=message,
        section="suppression",
        line=line,
        evidence=evidence,
        remediation=Remediation(applicability=Applicability.SAFE, note="Fix or remove the suppression comment."),
    )


def parse_suppressions(lines: list[str], known_ids: set[str]) -> tuple[list[Suppression], list[Finding]]:
    found: list[Suppression] = []
    problems: list[Finding] = []
    if "vty-auditor" not in "\n".join(lines).lower():  # one scan of the text: most configs have none
        return found, problems
    for index in [i for i, text in enumerate(lines) if "vty-auditor" in text.lower()]:
        text = lines[index]
        if not _MENTION.match(text):
            continue
        number = index + 1
        m = _SUPPRESSION.match(text)
        ids = tuple(i.strip().upper() for i in (m.group("ids").split(",") if m else []) if i.strip())
        unknown = [i for i in ids if i not in known_ids]
        if not m or not ids or not (m.group("reason") or "").strip() or unknown:
            why = (
                f"unknown rule {', '.join(unknown)}" if m and unknown else 'needs ignore[ID,...] or file-ignore[ID,...] and reason="..."'
            )
            problems.append(
                _meta_finding("VTY901", "invalid-suppression", f"suppression ignored: {why}", number, text.strip())
            )
            continue
        s = Suppression(kind=m.group("kind").lower(), rule_ids=ids, reason=m.group("reason").strip(), line=number)
        if s.kind == "ignore":
            _cover_next_block(s, lines, index + 1)
        found.append(s)
    return found, problems


def _cover_next_block(s: Suppression, lines: list[str], start: int) -> None:
    """The next non-comment line and, if it is a section header, its children."""
    i = start
    while i < len(lines) and (not lines[i].strip() or lines[i].lstrip().startswith("!")):
        i += 1
    if i >= len(lines):
        s.start = s.end = -1
        return
    s.start = s.end = i + 1
    s.header = lines[i].strip()
    if lines[i][:1].isspace():
        return  # a single sub-command
    j = i + 1
    while j < len(lines) and (lines[j][:1].isspace() or lines[j].lstrip().startswith("!") or not lines[j].strip()):
        if lines[j].strip() and not lines[j].lstrip().startswith("!"):
            s.end = j + 1
        j += 1


def apply(findings, suppressions: list[Suppression], ran: set[str]):
    """Split findings into (kept, suppressed); return VTY900 findings for unused suppressions.

    A suppression naming only rules that did not run (`--select`, a profile)
    is not reported as unused: it may well be needed by a wider run.
    """
    kept, suppressed = [], []
    for f in findings:
        match = next((s for s in suppressions if f.rule_id in s.rule_ids and _covers(s, f)), None)
        if match is None:
            kept.append(f)
        else:
            match.used = True
            suppressed.append(f)
    unused = [
        _meta_finding(
            "VTY900",
            "unused-suppression",
            f"suppression of {', '.join(s.rule_ids)} suppresses nothing",
            s.line,
            f"{s.kind}[{','.join(s.rule_ids)}]",
        )
        for s in suppressions
        if not s.used and ran & set(s.rule_ids)
    ]
    return kept, suppressed, unused


_RANGE = re.compile(r"^line\s+(vty|con|console|aux)\s+([0-9]{1,9})(?:\s+([0-9]{1,9}))?$", re.I)


def _line_range(text: str):
    m = _RANGE.match(text)
    if not m:
        return None
    kind = "con" if m.group(1).lower().startswith("con") else m.group(1).lower()
    first = int(m.group(2))
    return kind, first, int(m.group(3) or first)


def _covers(s: Suppression, f: Finding) -> bool:
    """File-wide; or the finding is inside the block; or its section's lines all lie in the block's range.

    Sections are regrouped by effective settings, so `line vty 0 15` can come
    from two blocks: a suppression on `line vty 0 4` does not silence a
    finding that also covers vty 5-15.
    """
    if s.kind == "file-ignore":
        return True
    block, section = _line_range(s.header), _line_range(f.section)
    if block and section:
        return block[0] == section[0] and block[1] <= section[1] and section[2] <= block[2]
    return s.start <= f.line <= s.end or f.section == s.header
