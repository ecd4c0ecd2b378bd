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
    stream.write(json.dumps(head, indent=2)[:-2] + ',\n  "devices": [')
    written = 0
    for device in report.devices:
        stream.write(("," if written else "") + "\n    " + json.dumps(_device(device), indent=2).replace("\n", "\n    "))
        written += 1
    # `run` after the devices: what a streamed scan learns while auditing (the files it skipped) is in it
    tail = {**({"run": _run(report.run)} if report.run else {}), "summary": report.summary.model_dump(), "stale_baseline": list(report.stale_baseline)}
    stream.write(("\n  " if written else "") + "],\n" + json.dumps(tail, indent=2)[2:] + "\n")


def _run(run: dict) -> dict:
    return {k: v for k, v in run.items() if not (k == "skipped" and not v)}


def _brief(f) -> dict:
    """A suppressed or baselined finding: enough to report it again (`merge`), no remediation."""
    return {
        "rule_id": f.rule_id,
        "section": f.section,
        "line": f.line,
        "severity": f.severity.value,
        "message": f.message,
        **({"justification": f.justification} if f.justification else {}),
    }


def _device(device) -> dict:
    suppressed = [_brief(f) for f in device.suppressed]
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
        "baselined": [_brief(f) for f in device.baselined],
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


# ---------------------------------------------------------------- reading (for `merge`)


class ReportError(Exception):
    """A file is not a vty-auditor JSON report this version can read."""


def read_json(text: str, name: str):
    """A Report from a JSON report's text: what `write_json` wrote, read back."""
    from auditor.findings import SCHEMA_VERSION_READABLE
    from auditor.reports import Report

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportError(f"{name}: not JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("devices"), list):
        raise ReportError(f"{name}: not a vty-auditor JSON report (no devices list)")
    if data.get("schema_version") not in SCHEMA_VERSION_READABLE:
        raise ReportError(f"{name}: schema_version {data.get('schema_version')!r}; this version reads {', '.join(map(str, SCHEMA_VERSION_READABLE))}")
    try:
        devices = tuple(_read_device(d) for d in data["devices"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ReportError(f"{name}: a device entry is malformed ({exc.__class__.__name__})") from None
    return Report(
        schema_version=data["schema_version"],
        devices=devices,
        run=data.get("run") or {},
        stale_baseline=tuple(data.get("stale_baseline") or ()),
    )


def _read_device(d: dict):
    from auditor.findings import ChangeSummary, DeviceReport, DeviceStatus, PortResult

    return DeviceReport(
        source=d["source"],
        hostname=d.get("hostname"),
        address=d.get("address"),
        status=DeviceStatus(d["status"]),
        error=d.get("error"),
        platform=d.get("platform"),
        platform_evidence=tuple(d.get("platform_evidence") or ()),
        findings=tuple(_read_finding(f) for f in d.get("findings", ())),
        suppressed=tuple(_read_brief(f) for f in d.get("suppressed", ())),
        baselined=tuple(_read_brief(f) for f in d.get("baselined", ())),
        remediation=d.get("remediation") or "",
        probe=tuple(PortResult.model_validate(p) for p in d.get("probe", ())),
        change=ChangeSummary(**{k: tuple(_read_brief(f) for f in d["change"].get(k, ())) for k in ("introduced", "resolved", "unchanged")}) if d.get("change") else None,
    )


def _read_finding(f: dict):
    from auditor.findings import Applicability, Finding, Remediation, Severity

    fix = f["remediation"]
    return Finding(
        rule_id=f["rule_id"],
        rule_name=f["rule_name"],
        severity=Severity(f["severity"]),
        message=f["message"],
        section=f["section"],
        line=f["line"],
        file=f.get("file"),
        evidence=f["evidence"],
        remediation=Remediation(applicability=Applicability(fix["applicability"]), note=fix.get("note", ""), config=fix.get("config", "")),
    )


def _read_brief(f: dict):
    """A brief entry as a finding: name and, for older reports, severity from the rule registry."""
    from auditor.findings import Applicability, Finding, Remediation, Severity
    from auditor.suppress import META_RULES
    from rules import REGISTRY

    meta = next((r.meta for r in (*REGISTRY, *META_RULES) if r.meta.id == f["rule_id"]), None)
    return Finding(
        rule_id=f["rule_id"],
        rule_name=meta.name if meta else "",
        severity=Severity(f.get("severity") or (meta.severity if meta else "info")),
        message=f.get("message", ""),
        section=f["section"],
        line=f["line"],
        evidence="",
        justification=f.get("justification"),
        remediation=Remediation(applicability=Applicability.SAFE),
    )
