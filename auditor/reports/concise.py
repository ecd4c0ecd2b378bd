"""One line per finding, for a fleet's worth of output to grep and skim (ruff's `concise`).

    configs/r1.cfg:15: VTY001 high line vty 0 4 accepts Telnet (transport input telnet)
    configs/r2.cfg: error unrecognized: no `line` sections (vty/con/aux): not a complete running-config

then the summary line. No evidence, no remediation: the text or JSON report has them.
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
    for device in report.devices:
        source = one_line(device.source)
        if device.status is not DeviceStatus.AUDITED:
            stream.write(f"{source}: error {device.status.value}: {one_line(device.error or '')}\n")
            continue
        for f in device.findings:
            where = one_line(f.location(device.source))
            stream.write(f"{where}: {f.rule_id} {f.severity.value} {one_line(f.message)}\n")
    s = report.summary
    not_audited = "".join(f", {n} {status}" for status, n in s.not_audited.items())
    severities = ", ".join(f"{k} {v}" for k, v in s.by_severity.items() if v)
    interrupted = " (interrupted)" if report.run.get("interrupted") else ""
    stream.write(f"{s.devices} input(s){interrupted}: {s.audited} audited{not_audited}; {s.findings} finding(s)" + (f" ({severities})" if severities else "") + "\n")
