"""Combine the JSON reports of a run done in parts (shards, collectors) into one report.

Pure: reports in, report out. A device may be in one part only (the same
`source` twice is an error naming both files: two collectors audited it, or a
part was given twice). Devices are sorted by source path, the order a scan of
files gives, so the shards of one scan merge into exactly the unsharded
report. The summary is recomputed from the devices; every part's `run` record
is kept under `run.parts`. A baseline entry is stale only if every part found
it stale (each part saw only its own devices).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from auditor.reports import Report

import json


class MergeError(Exception):
    """The reports cannot be merged (a usage error, exit 2)."""


def missing_shards(parts: list[tuple[str, Report]]) -> list[str]:
    """The shards of a sharded run that no part holds (`2/3`), checked from each part's
    `run.shard`. Parts of different shard counts, or a shard given twice, are an error."""
    seen: dict[int, str] = {}
    counts: set[int] = set()
    for name, report in parts:
        shard = report.run.get("shard") if isinstance(report.run, dict) else None
        if not shard:
            continue
        try:
            index, count = (int(x) for x in str(shard).split("/"))
        except ValueError:
            raise MergeError(f"{name}: run.shard {str(shard)[:20]!r} is not K/N") from None
        counts.add(count)
        if index in seen:
            raise MergeError(f"shard {index}/{count} is in two reports ({seen[index]} and {name})")
        seen[index] = name
    if not counts:
        return []
    if len(counts) > 1:
        raise MergeError(f"the reports are shards of different splits ({', '.join(f'/{n}' for n in sorted(counts))}): merge one run's shards")
    (count,) = counts
    return [f"{k}/{count}" for k in range(1, count + 1) if k not in seen]


def merge(parts: list[tuple[str, Report]], allow_partial: bool = False):
    """One report from the parts. Every shard of a sharded run must be there, or the merged
    report would pass for the whole fleet: with `allow_partial`, the missing ones are named
    in `run.missing_shards` instead."""
    from auditor.reports import Report

    missing = missing_shards(parts)
    if missing and not allow_partial:
        raise MergeError(f"shard(s) {', '.join(missing)} missing: give every shard's report, or --allow-partial")

    owner: dict[str, str] = {}
    clashes: list[str] = []
    devices = []
    for name, report in parts:
        for device in report.devices:
            if device.source in owner:
                clashes.append(f"{device.source} ({owner[device.source]} and {name})")
                continue
            owner[device.source] = name
            devices.append(device)
    if clashes:
        more = f" and {len(clashes) - 5} more" if len(clashes) > 5 else ""
        raise MergeError("the same device is in two reports: " + "; ".join(clashes[:5]) + more)
    devices.sort(key=lambda d: tuple(d.source.split("/")))
    rules: dict[str, None] = {}
    for _, report in parts:
        rules.update(dict.fromkeys(report.run.get("rules") or ()))
    run = {
        "command": "merge",
        "inputs": ", ".join(name for name, _ in parts),
        "rules": list(rules),
        **({"interrupted": True} if any(r.run.get("interrupted") for _, r in parts) else {}),
        **({"missing_shards": missing} if missing else {}),
        "parts": [{"file": name, **report.run} for name, report in parts],
    }
    return Report(devices=tuple(devices), run=run, stale_baseline=_stale_everywhere([r.stale_baseline for _, r in parts]))


def _stale_everywhere(lists: list[tuple[dict, ...]]) -> tuple[dict, ...]:
    if not lists:
        return ()
    key = lambda entry: json.dumps(entry, sort_keys=True)  # noqa: E731
    common = set.intersection(*({key(e) for e in entries} for entries in lists))
    return tuple(e for e in lists[0] if key(e) in common)
