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

# No two adjacent unbounded repeats can share a character, so a match costs one pass
# over the line (`\]\s*(...)?\s*$` once took 27 s on a 60 kB comment); what follows the
# closing bracket is checked by hand.
_SUPPRESSION = re.compile(r"^\s*!\s*vty-auditor:\s*(?P<kind>ignore|file-ignore)\[(?P<ids>[^\]]*)\](?P<rest>.*)$", re.I)
_REASON = re.compile(r'reason="(?P<reason>[^"]*)"', re.I)


def _match(text: str):
    """(kind, ids, reason) of a well-formed suppression comment, or None."""
    m = _SUPPRESSION.match(text)
    if not m:
        return None
    rest = m.group("rest").strip()
    reason = _REASON.fullmatch(rest) if rest else None
    if rest and reason is None:
        return None
    return m.group("kind"), m.group("ids"), reason.group("reason") if reason else None


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
    from auditor.rule import FINDINGS_PER_RULE, capped_finding

    found: list[Suppression] = []
    problems: list[Finding] = []
    invalid_more = 0  # past the cap: counted, not built
    if "vty-auditor" not in "\n".join(lines).lower():  # one scan of the text: most configs have none
        return found, problems
    block_of = _next_blocks(lines)
    for index in [i for i, text in enumerate(lines) if "vty-auditor" in text.lower()]:
        text = lines[index]
        if not _MENTION.match(text):
            continue
        number = index + 1
        m = _match(text)
        ids = tuple(i.strip().upper() for i in (m[1].split(",") if m else []) if i.strip())
        unknown = [i for i in ids if i not in known_ids]
        if not m or not ids or not (m[2] or "").strip() or unknown:
            why = f"unknown rule {', '.join(unknown[:5])}{' ...' if len(unknown) > 5 else ''}" if m and unknown else 'needs ignore[ID,...] or file-ignore[ID,...] and reason="..."'
            if len(problems) < FINDINGS_PER_RULE:
                problems.append(_meta_finding("VTY901", "invalid-suppression", f"suppression ignored: {why}", number, text.strip()[:200]))
            else:
                invalid_more += 1
            continue
        s = Suppression(kind=m[0].lower(), rule_ids=ids, reason=m[2].strip(), line=number)
        if s.kind == "ignore":
            s.start, s.end = block_of[index]
            s.header = lines[s.start - 1].strip() if s.start > 0 else ""
        found.append(s)
    if invalid_more:
        problems.append(capped_finding(META_RULES[1].meta, invalid_more))
    return found, problems


# A `line` header indented under another section: IOS runs it as the global command it is (no
# section's mode has `line`), so it opens a block of its own and ends the one above.
_LINE_HEADER = re.compile(r"^\s+line\s+(?:vty|con|console|aux)\b", re.I)


def _next_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """For each line: (first, last) 1-based lines of the next block after it, or (-1, -1).

    The next non-comment line and, if it is a section header, its children. One
    pass from the end, so 10,000 consecutive suppression comments cost 10,000
    steps, not 10,000 walks over each other.
    """
    n = len(lines)
    out: list[tuple[int, int]] = [(-1, -1)] * n
    following = (-1, -1)  # the block that starts after line i
    block_end = -1  # last non-comment line of the top-level block being walked back over
    for i in range(n - 1, -1, -1):
        out[i] = following
        text = lines[i]
        if not text.strip() or text.lstrip().startswith("!"):
            continue
        if text[:1].isspace() and not _LINE_HEADER.match(text):
            following = (i + 1, i + 1)  # a single sub-command
            if block_end < 0:
                block_end = i + 1
        else:
            following = (i + 1, max(block_end, i + 1))
            block_end = -1
    return out


def apply(findings, suppressions: list[Suppression], ran: set[str]):
    """Split findings into (kept, suppressed); return VTY900 findings for unused suppressions.

    A suppression naming only rules that did not run (`--select`, a profile)
    is not reported as unused: it may well be needed by a wider run.
    Suppressions are indexed by rule id and by what they cover, so the cost is
    linear in findings plus suppressions.
    """
    from auditor.rule import FINDINGS_PER_RULE, capped_finding

    index = _Index(suppressions)
    kept, suppressed = [], []
    for f in findings:
        match = index.find(f)
        if match is None:
            kept.append(f)
        else:
            match.used = True
            suppressed.append(f.model_copy(update={"justification": match.reason}))
    stale = [s for s in suppressions if not s.used and ran & set(s.rule_ids)]
    unused = [
        _meta_finding(
            "VTY900",
            "unused-suppression",
            f"suppression of {', '.join(s.rule_ids)} suppresses nothing",
            s.line,
            f"{s.kind}[{','.join(s.rule_ids)}]",
        )
        for s in stale[:FINDINGS_PER_RULE]  # capped as every rule is: the rest are counted
    ]
    if len(stale) > FINDINGS_PER_RULE:
        unused.append(capped_finding(META_RULES[0].meta, len(stale) - FINDINGS_PER_RULE))
    return kept, suppressed, unused


class _Intervals:
    """Which of a set of intervals contains a point or an interval: sorted starts with a
    running maximum of the ends (the one reaching furthest among those starting before)."""

    def __init__(self, items: list[tuple[int, int, Suppression]]):
        items.sort(key=lambda item: item[0])
        self.starts = [a for a, _, _ in items]
        self.best: list[tuple[int, Suppression]] = []
        for _, b, s in items:
            self.best.append((b, s) if not self.best or b > self.best[-1][0] else self.best[-1])

    def containing(self, first: int, last: int) -> Suppression | None:
        from bisect import bisect_right

        k = bisect_right(self.starts, first) - 1
        if k >= 0 and self.best[k][0] >= last:
            return self.best[k][1]
        return None


class _Index:
    def __init__(self, suppressions: list[Suppression]):
        by_rule: dict[str, list[Suppression]] = {}
        for s in suppressions:
            for rule_id in s.rule_ids:
                by_rule.setdefault(rule_id, []).append(s)
        self.rules = {rule_id: _RuleIndex(items) for rule_id, items in by_rule.items()}

    def find(self, f: Finding) -> Suppression | None:
        index = self.rules.get(f.rule_id)
        return index.find(f) if index is not None else None


class _RuleIndex:
    """The suppressions of one rule, per way of covering (see `_covers`)."""

    def __init__(self, items: list[Suppression]):
        self.file = next((s for s in items if s.kind == "file-ignore"), None)
        ignores = [s for s in items if s.kind == "ignore" and s.start > 0]
        self.ranges: dict[str, _Intervals] = {}
        by_kind: dict[str, list] = {}
        plain = []
        for s in ignores:
            block = _line_range(s.header)
            if block:
                by_kind.setdefault(block[0], []).append((block[1], block[2], s))
            else:
                plain.append(s)
        self.ranges = {kind: _Intervals(items) for kind, items in by_kind.items()}
        self.plain_lines = _Intervals([(s.start, s.end, s) for s in plain])
        self.all_lines = _Intervals([(s.start, s.end, s) for s in ignores])
        self.plain_headers = {s.header: s for s in reversed(plain)}
        self.all_headers = {s.header: s for s in reversed(ignores)}

    def find(self, f: Finding) -> Suppression | None:
        if self.file is not None:
            return self.file
        section = _line_range(f.section)
        if section:
            ranges = self.ranges.get(section[0])
            hit = ranges.containing(section[1], section[2]) if ranges else None
            return hit or self.plain_lines.containing(f.line, f.line) or self.plain_headers.get(f.section)
        return self.all_lines.containing(f.line, f.line) or self.all_headers.get(f.section)


_RANGE = re.compile(r"^line\s+(vty|con|console|aux)\s+([0-9]{1,9})(?:\s+([0-9]{1,9}))?$", re.I)


def _line_range(text: str):
    m = _RANGE.match(text)
    if not m:
        return None
    kind = "con" if m.group(1).lower().startswith("con") else m.group(1).lower()
    first = int(m.group(2))
    return kind, first, int(m.group(3) or first)
