"""GitHub Actions workflow commands: one annotation per finding."""

from __future__ import annotations

from auditor.findings import DeviceStatus

_COMMAND = {"critical": "error", "high": "error", "medium": "warning", "low": "notice", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report) -> str:
    out = []
    for device in report.devices:
        if device.status is not DeviceStatus.AUDITED:
            out.append(
                f"::error file={_prop(device.source)}::"
                + _data(f"{device.source} could not be audited: {device.status.value}: {device.error}")
            )
            continue
        for f in device.findings:
            out.append(
                f"::{_COMMAND[f.severity.value]} file={_prop(device.source)},{f'line={f.line},' if f.line > 0 else ''}"
                f"title={_prop(f'{f.rule_id} {f.rule_name}')}::{_data(f.message)}"
            )
    return "\n".join(out) + ("\n" if out else "")
