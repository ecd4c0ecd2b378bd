"""The JSON report (schema_version 1, documented in the README)."""

from __future__ import annotations

import io
import json
from typing import TextIO


def render_json(report) -> str:
    buffer = io.StringIO()
    write_json(report, buffer)
    return buffer.getvalue()


def write_json(report, stream: TextIO) -> None:
    """Write the report device by device: a fleet's document is never built whole in memory."""
    head = {"schema_version": report.schema_version, "tool": report.tool, "generated_at": report.generated_at}
    if report.run:
        head["run"] = report.run
    stream.write(json.dumps(head, indent=2)[:-2] + ",\n  \"devices\": [")
    written = 0
    for device in report.devices:
        stream.write(("," if written else "") + "\n    " + json.dumps(_device(device), indent=2).replace("\n", "\n    "))
        written += 1
    tail = {"summary": report.summary.model_dump(), "stale_baseline": list(report.stale_baseline)}
    stream.write(("\n  " if written else "") + "],\n" + json.dumps(tail, indent=2)[2:] + "\n")


def _device(device) -> dict:
    suppressed = [
        {"rule_id": f.rule_id, "section": f.section, "line": f.line, **({"justification": f.justification} if f.justification else {})}
        for f in device.suppressed
    ]
    return {
        "source": device.source,
        "hostname": device.hostname,
        **({"address": device.address} if device.address is not None else {}),
        "status": device.status.value,
        "error": device.error,
        "platform": device.platform,
        "platform_evidence": list(device.platform_evidence),
        "findings": [
            {
                "rule_id": f.rule_id,
                "rule_name": f.rule_name,
                "severity": f.severity.value,
                "message": f.message,
                "section": f.section,
                "line": f.line,
                **({"file": f.file} if f.file else {}),
                "evidence": f.evidence,
                "remediation": {
                    "applicability": f.remediation.applicability.value,
                    "config": f.remediation.config,
                    "note": f.remediation.note,
                },
            }
            for f in device.findings
        ],
        "suppressed": suppressed,
        "baselined": [{"rule_id": f.rule_id, "section": f.section, "line": f.line} for f in device.baselined],
        "remediation": device.remediation,
        **({"change": _change(device.change)} if device.change is not None else {}),
        **({"probe": [p.model_dump(mode="json") for p in device.probe]} if device.probe else {}),
    }


def _change(change) -> dict:
    def brief(findings):
        return [{"rule_id": f.rule_id, "section": f.section, "line": f.line, "message": f.message} for f in findings]

    return {
        "introduced": brief(change.introduced),
        "resolved": brief(change.resolved),
        "unchanged": brief(change.unchanged),
    }
