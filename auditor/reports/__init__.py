"""Reports are functions ``(Report) -> str``, chosen by name."""

from __future__ import annotations

from datetime import datetime, timezone

from pydantic import Field

from auditor import __version__
from auditor.findings import DeviceReport, DeviceStatus, Frozen, Severity

SCHEMA_VERSION = 1


class Summary(Frozen):
    devices: int
    audited: int
    unrecognized: int
    error: int
    not_audited: dict[str, int]  # devices not audited, by status (pull failures included)
    findings: int
    by_severity: dict[str, int]
    by_rule: dict[str, int]


class Report(Frozen):
    schema_version: int = SCHEMA_VERSION
    tool: dict = Field(default_factory=lambda: {"name": "vty-auditor", "version": __version__})
    generated_at: str = Field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    devices: tuple[DeviceReport, ...]
    stale_baseline: tuple[dict, ...] = ()  # baseline entries that matched no finding
    run: dict = Field(default_factory=dict)  # how the report was made: command, profile, selection (no credentials)

    @property
    def summary(self) -> Summary:
        findings = [f for d in self.devices for f in d.findings]
        by_rule: dict[str, int] = {}
        for f in findings:
            by_rule[f.rule_id] = by_rule.get(f.rule_id, 0) + 1
        return Summary(
            devices=len(self.devices),
            audited=sum(d.status is DeviceStatus.AUDITED for d in self.devices),
            unrecognized=sum(d.status is DeviceStatus.UNRECOGNIZED for d in self.devices),
            error=sum(d.status is DeviceStatus.ERROR for d in self.devices),
            not_audited={
                s.value: n for s in DeviceStatus if s is not DeviceStatus.AUDITED and (n := sum(d.status is s for d in self.devices))
            },
            findings=len(findings),
            by_severity={s.value: sum(f.severity is s for f in findings) for s in Severity},
            by_rule=dict(sorted(by_rule.items())),
        )


def render(name: str, report: Report, color: bool = False) -> str:
    if name == "json":
        from auditor.reports.json_report import render_json

        return render_json(report)
    if name == "text":
        from auditor.reports.text import render_text

        return render_text(report, color=color)
    if name == "sarif":
        from auditor.reports.sarif import render_sarif

        return render_sarif(report)
    if name == "junit":
        from auditor.reports.junit import render_junit

        return render_junit(report)
    if name == "html":
        from auditor.reports.html import render_html

        return render_html(report)
    if name == "github":
        from auditor.reports.github import render_github

        return render_github(report)
    raise KeyError(name)


def write(name: str, report: Report, stream, color: bool = False) -> None:
    """Render into a stream; JSON is written device by device (flat memory on a large fleet)."""
    if name == "json":
        from auditor.reports.json_report import write_json

        write_json(report, stream)
        return
    stream.write(render(name, report, color=color))


FORMATS = ("text", "json", "sarif", "junit", "github", "html")
