"""The JSON report (schema_version 1, documented in the README)."""

from __future__ import annotations

import json


def render_json(report) -> str:
    devices = []
    for device in report.devices:
        suppressed = [{"rule_id": f.rule_id, "section": f.section, "line": f.line} for f in device.suppressed]
        devices.append(
            {
                "source": device.source,
                "hostname": device.hostname,
                **({"address": device.address} if device.address is not None else {}),
                "status": device.status.value,
                "error": device.error,
                "findings": [
                    {
                        "rule_id": f.rule_id,
                        "rule_name": f.rule_name,
                        "severity": f.severity.value,
                        "message": f.message,
                        "section": f.section,
                        "line": f.line,
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
            }
        )
    doc = {
        "schema_version": report.schema_version,
        "tool": report.tool,
        "generated_at": report.generated_at,
        "devices": devices,
        "summary": report.summary.model_dump(),
        "stale_baseline": list(report.stale_baseline),
    }
    return json.dumps(doc, indent=2) + "\n"


def _change(change) -> dict:
    def brief(findings):
        return [{"rule_id": f.rule_id, "section": f.section, "line": f.line, "message": f.message} for f in findings]

    return {
        "introduced": brief(change.introduced),
        "resolved": brief(change.resolved),
        "unchanged": brief(change.unchanged),
    }
