"""GitHub Actions workflow commands: one annotation per finding."""

from __future__ import annotations

from auditor.findings import DeviceStatus

_COMMAND = {"critical": "error", "high": "error", "medium": "warning", "low": "notice", "info": "notice"}


def _data(text: str) -> str:
    from auditor.reports import printable

    return printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report) -> str:
    out = []
    config = report.run.get("config")
    if config and not config.startswith("("):
        settings = report.run.get("config_settings") or {}
        told = "; ".join(f"{k}: {v}" for k, v in settings.items()) or "no setting differs from the defaults"
        out.append(f"::notice title={_prop('vty-auditor configuration')}::" + _data(f"settings from {config}: {told}"))
    for device in report.devices:
        if device.status is not DeviceStatus.AUDITED:
            out.append(f"::error file={_prop(device.source)}::" + _data(f"{device.source} could not be audited: {device.status.value}: {device.error}"))
            continue
        carried = set(device.change.unchanged) if device.change is not None else set()
        for f in device.findings:
            if f in carried:
                continue  # a change is reviewed for what it introduces (`--diff-base`, `--change`)
            out.append(f"::{_COMMAND[f.severity.value]} file={_prop(f.file or device.source)},{f'line={f.line},' if f.line > 0 else ''}title={_prop(f'{f.rule_id} {f.rule_name}')}::{_data(f.message)}")
        if carried:
            out.append(
                f"::notice file={_prop(device.source)},title={_prop('findings the change did not introduce')}::"
                + _data(f"{len(carried)} finding(s) were there before this change; {len(device.change.resolved)} resolved by it")
            )
        if device.suppressed:  # reviewers see what a suppression comment hides
            ids = ", ".join(sorted({f.rule_id for f in device.suppressed}))
            out.append(f"::notice file={_prop(device.source)},title={_prop('suppressed findings')}::" + _data(f"{len(device.suppressed)} finding(s) suppressed by comments in this file: {ids}"))
    return "\n".join(out) + ("\n" if out else "")
