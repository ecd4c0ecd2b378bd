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

import json


class MergeError(Exception):
    """The reports cannot be merged (a usage error, exit 2)."""


def merge(parts: list[tuple[str, object]]):
    from auditor.reports import Report

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
        "parts": [{"file": name, **report.run} for name, report in parts],
    }
    return Report(devices=tuple(devices), run=run, stale_baseline=_stale_everywhere([r.stale_baseline for _, r in parts]))


def _stale_everywhere(lists: list[tuple[dict, ...]]) -> tuple[dict, ...]:
    if not lists:
        return ()
    key = lambda entry: json.dumps(entry, sort_keys=True)  # noqa: E731
    common = set.intersection(*({key(e) for e in entries} for entries in lists))
    return tuple(e for e in lists[0] if key(e) in common)
