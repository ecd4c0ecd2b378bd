"""The HTML report: one self-contained page (inline CSS, SVG and script; no fetches).

Config text is untrusted input, so the page is rendered by Jinja2 with
autoescaping on for everything, and data reaches the script only through
escaped `data-` attributes, never through inline JSON or markup.
"""

from __future__ import annotations

from auditor.findings import DeviceStatus, Severity

SEVERITY_COLOURS = {"critical": "#991b1b", "high": "#dc2626", "medium": "#d97706", "low": "#2563eb", "info": "#6b7280"}
PAGE_SIZE = 100  # table rows per page once the script runs; everything shows without it


def _template(name: str):
    from importlib.resources import files

    from jinja2 import Environment

    from auditor.reports import printable

    # Every value is untrusted text: control characters made visible, then HTML-escaped.
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, finalize=lambda v: printable(v) if isinstance(v, str) else v)
    return env.from_string(files("auditor.reports").joinpath(f"templates/{name}").read_text(encoding="utf-8"))


def render_html(report) -> str:
    return _template("report.html.j2").render(**_context(report))


def render_plans_html(plans, dry_run: bool, counts: dict[str, int]) -> str:
    """`fix --format html`: each device's status, why, and its framed change (no script, no fetch)."""
    from auditor.fix import GOOD, HELD

    rows = [{**p.model_dump(mode="json"), "kind": "good" if p.status in GOOD else "held" if p.status in HELD else "failed"} for p in plans]
    return _template("plans.html.j2").render(plans=rows, dry_run=dry_run, counts=sorted(counts.items()))


def _context(report) -> dict:
    from auditor.suppress import META_RULES
    from rules import REGISTRY

    names = {r.meta.id: r.meta.name for r in (*REGISTRY, *META_RULES)}
    summary = report.summary
    devices = [_device(i, d) for i, d in enumerate(report.devices)]
    audited = [d for d in devices if d["status"] == DeviceStatus.AUDITED.value]
    compliant = sum(1 for d in audited if not d["findings"])
    chart = _chart(summary.by_rule, names)
    return {
        "report": report,
        "summary": summary,
        "devices": devices,
        "compliant": compliant,
        "compliant_pct": round(100 * compliant / len(audited)) if audited else None,
        "not_audited": summary.not_audited,
        "severities": [s.value for s in reversed(Severity)],
        "colours": SEVERITY_COLOURS,
        "chart": chart,
        "chart_height": 28 * len(chart) + 8,
        "rules_present": [(rule_id, names.get(rule_id, "")) for rule_id in summary.by_rule],
        "statuses": sorted({d["status"] for d in devices}),
        "platforms": sorted({d["platform"] for d in devices if d["platform"]}),
        "page_size": PAGE_SIZE,
        "run": dict(report.run),
    }


def _device(index: int, device) -> dict:
    worst = max((f.severity for f in device.findings), key=lambda s: s.rank, default=None)
    counts = {s.value: 0 for s in Severity}
    for f in device.findings:
        counts[f.severity.value] += 1
    return {
        "index": index,
        "source": device.source,
        "hostname": device.hostname or "",
        "address": device.address or "",
        "status": device.status.value,
        "platform": device.platform or "",
        "error": device.error or "",
        "findings": device.findings,
        "counts": counts,
        "worst": worst.value if worst else "",
        "worst_rank": worst.rank + 1 if worst else 0,
        "rules": " ".join(sorted({f.rule_id for f in device.findings})),
        "suppressed": len(device.suppressed) + len(device.baselined),
        "remediation": device.remediation,
        "probe": device.probe,
    }


def _chart(by_rule: dict[str, int], names: dict[str, str]) -> list[dict]:
    from rules import rule_by_id

    top = max(by_rule.values(), default=0)
    bars = []
    for rule_id, count in sorted(by_rule.items(), key=lambda item: (-item[1], item[0])):
        rule = rule_by_id(rule_id)
        severity = rule.meta.severity.value if rule is not None else "info"
        bars.append(
            {
                "rule_id": rule_id,
                "name": names.get(rule_id, ""),
                "count": count,
                "width": max(0.5, 100 * count / top) if top else 0,
                "colour": SEVERITY_COLOURS[severity],
            }
        )
    return bars
