"""One line per finding, for a fleet's worth of output to grep and skim (ruff's `concise`).

    configs/r1.cfg:15: VTY001 high line vty 0 4 accepts Telnet (transport input telnet)
    configs/r2.cfg: error unrecognized: no `line` sections (vty/con/aux): not a complete running-config

then the summary line. With a change (`--change`, `--diff-base`) each finding says whether the
change introduced it, each resolved one is listed, and the summary line counts both. No
evidence, no remediation: the text or JSON report has them.
Written device by device, like JSON and text.
"""

from __future__ import annotations

from auditor.findings import DeviceStatus
from auditor.reports import one_line


def render_concise(report) -> str:
    import io

    buffer = io.StringIO()
    write_concise(report, buffer)
    return buffer.getvalue()


def write_concise(report, stream) -> None:
    introduced = resolved = 0
    changed = False
    for device in report.devices:
        source = one_line(device.source)
        if device.status is not DeviceStatus.AUDITED:
            stream.write(f"{source}: error {device.status.value}: {one_line(device.error or '')}\n")
            continue
        change = device.change
        new = {(f.rule_id, f.section) for f in change.introduced} if change is not None else set()
        for f in device.findings:
            where = one_line(f.location(device.source))
            effect = "" if change is None else (" [introduced]" if (f.rule_id, f.section) in new else " [unchanged]")
            stream.write(f"{where}: {f.rule_id} {f.severity.value}{effect} {one_line(f.message)}\n")
        if change is not None:
            changed = True
            introduced += len(change.introduced)
            resolved += len(change.resolved)
            for f in change.resolved:
                stream.write(f"{source}: {f.rule_id} {f.severity.value} [resolved] {one_line(f.message)}\n")
    s = report.summary
    not_audited = "".join(f", {n} {status}" for status, n in s.not_audited.items())
    severities = ", ".join(f"{k} {v}" for k, v in s.by_severity.items() if v)
    interrupted = " (interrupted)" if report.run.get("interrupted") else ""
    effect = f"; {introduced} introduced, {resolved} resolved" if changed else ""
    stream.write(f"{s.devices} input(s){interrupted}: {s.audited} audited{not_audited}; {s.findings} finding(s)" + (f" ({severities})" if severities else "") + effect + "\n")
