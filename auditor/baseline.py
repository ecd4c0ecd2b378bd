"""Baselines: accept today's findings as known debt, report only what is new.

Entries are keyed by (source, rule id, section), never by line number, so
editing a file above a known finding does not make it new. Sources are stored
as given (use paths relative to the repository root, as CI does).
"""

from __future__ import annotations

import json
from collections import Counter

from pydantic import ValidationError

from auditor.findings import DeviceReport, Frozen

BASELINE_VERSION = 1


class BaselineEntry(Frozen):
    source: str
    rule_id: str
    section: str


class Baseline(Frozen):
    schema_version: int = BASELINE_VERSION
    entries: tuple[BaselineEntry, ...] = ()


class BaselineError(Exception):
    """The baseline file is not a vty-auditor baseline (a usage error)."""


def key(source: str, finding) -> BaselineEntry:
    return BaselineEntry(source=source, rule_id=finding.rule_id, section=finding.section)


def create(devices) -> Baseline:
    entries = sorted(
        {key(d.source, f) for d in devices for f in d.findings if not f.rule_id.startswith("VTY90")},
        key=lambda e: (e.source, e.rule_id, e.section),
    )
    return Baseline(entries=tuple(entries))


def dumps(baseline: Baseline) -> str:
    return json.dumps(baseline.model_dump(), indent=2) + "\n"


def loads(text: str, name: str) -> Baseline:
    try:
        baseline = Baseline.model_validate(json.loads(text))
    except (ValueError, ValidationError) as exc:
        raise BaselineError(f"{name}: not a vty-auditor baseline ({exc.__class__.__name__})") from None
    if baseline.schema_version != BASELINE_VERSION:
        raise BaselineError(f"{name}: baseline schema_version {baseline.schema_version} is not supported")
    return baseline


def apply(devices, baseline: Baseline) -> tuple[list[DeviceReport], list[BaselineEntry]]:
    """Move baselined findings out of each device's findings; return the entries that matched nothing."""
    remaining = Counter(baseline.entries)
    used: set[BaselineEntry] = set()
    out = []
    for device in devices:
        kept, known = [], []
        for f in device.findings:
            entry = key(device.source, f)
            if entry in remaining:
                known.append(f)
                used.add(entry)
            else:
                kept.append(f)
        out.append(device.model_copy(update={"findings": tuple(kept), "baselined": tuple(known)}))
    stale = [e for e in baseline.entries if e not in used]
    return out, stale
