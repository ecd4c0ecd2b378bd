"""The pure core: text in, DeviceReport out. No file system, network or terminal."""

from __future__ import annotations

from auditor.findings import DeviceReport, DeviceStatus, Finding
from auditor.rule import AuditOptions


def selected_rules(select: tuple[str, ...] = (), ignore: tuple[str, ...] = (), profile: str = "all"):
    """(rule class, parameters) of the profile, narrowed by id or id prefix (`--select VTY`, `--ignore PWD002`)."""
    from auditor.profiles import rules_in

    def matches(rule_id: str, patterns) -> bool:
        return any(rule_id.startswith(p.upper()) for p in patterns)

    chosen = [(r, params) for r, params in rules_in(profile) if not select or matches(r.meta.id, select)]
    return [(r, params) for r, params in chosen if not matches(r.meta.id, ignore)]


def unknown_selectors(patterns: tuple[str, ...]) -> list[str]:
    from rules import ALL_RULES

    return [p for p in patterns if not any(r.meta.id.startswith(p.upper()) for r in ALL_RULES)]


def audit(
    data: bytes | str,
    source: str = "<string>",
    options: AuditOptions | None = None,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    profile: str = "all",
    params: dict | None = None,
    severity: dict | None = None,
    full_parse: bool = False,
) -> DeviceReport:
    """Audit one config and return its report (status `unrecognized` if it is not a config).

    `full_parse` hands every line to ciscoconfparse2 instead of the relevant
    slice; it exists for the equivalence test and for debugging.
    """
    from auditor.model import build_model
    from auditor.parse import parse
    from auditor.remediation import combined_script
    from auditor.text import load

    options = options or AuditOptions()
    raw = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
    decoded = load(raw)
    if decoded.lines is None:
        return DeviceReport(source=source, status=DeviceStatus.UNRECOGNIZED, error=decoded.reason)
    acl_names = frozenset({options.acl_name, options.acl_name + "-V6"})
    device = build_model(parse(decoded.lines, full=full_parse, acl_names=acl_names), decoded.lines)
    from auditor import suppress
    from rules import ALL_RULES

    findings: list[Finding] = []
    chosen = selected_rules(select, ignore, profile)
    for rule_cls, profile_params in chosen:
        merged = {**profile_params, **(params or {}).get(rule_cls.meta.id, {})}
        findings.extend(rule_cls(options=options, **merged).check(device))
    if severity:
        findings = [f.model_copy(update={"severity": severity[f.rule_id]}) if f.rule_id in severity else f for f in findings]
    suppressions, invalid = suppress.parse_suppressions(decoded.lines, {r.meta.id for r in ALL_RULES})
    findings, suppressed, unused = suppress.apply(findings, suppressions, {r.meta.id for r, _ in chosen})
    findings += invalid + unused
    findings.sort(key=lambda f: (f.line, f.rule_id, f.section))
    return DeviceReport(
        source=source,
        hostname=device.hostname,
        status=DeviceStatus.AUDITED,
        findings=tuple(findings),
        suppressed=tuple(sorted(suppressed, key=lambda f: (f.line, f.rule_id))),
        remediation=combined_script(findings),
    )
