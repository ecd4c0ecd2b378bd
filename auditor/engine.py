"""The pure core: text in, DeviceReport out. No file system, network or terminal."""

from __future__ import annotations

from pydantic import Field

from auditor.findings import DeviceReport, DeviceStatus, Finding, Frozen
from auditor.rule import AuditOptions


class AuditRequest(Frozen):
    """Everything an audit of one input needs besides its bytes, as one typed value: what the
    command line and the configuration file resolve to, and what reaches the batch's worker
    processes (it pickles), the fleet's threads and `fix`'s proofs. A new audit setting is a
    field here (or, for one rule, a field of that rule's model, set through `params`)."""

    options: AuditOptions = Field(default_factory=AuditOptions)
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    profile: str = "all"
    params: dict = Field(default_factory=dict)  # rule parameters: {"VTY007": {"max_minutes": 5}}
    severity: dict = Field(default_factory=dict)  # severity overrides: {"VTY002": Severity.LOW}

    def audit(self, data: bytes | str, source: str = "<string>", wire=None) -> DeviceReport:
        return audit(data, source=source, options=self.options, select=self.select, ignore=self.ignore, profile=self.profile, params=self.params, severity=self.severity, wire=wire)

    def with_options(self, **update) -> "AuditRequest":
        """The same request with some options replaced (a device's platform from its inventory)."""
        return self.model_copy(update={"options": self.options.model_copy(update=update)})


def _matches(rule_id: str, patterns) -> bool:
    return any(rule_id.startswith(p.upper()) for p in patterns)


def selected_rules(select: tuple[str, ...] = (), ignore: tuple[str, ...] = (), profile: str = "all"):
    """(rule class, parameters) of the profile, narrowed by id or id prefix (`--select VTY`, `--ignore PWD002`)."""
    from auditor.profiles import rules_in

    chosen = [(r, params) for r, params in rules_in(profile) if not select or _matches(r.meta.id, select)]
    return [(r, params) for r, params in chosen if not _matches(r.meta.id, ignore)]


def selected_wire_rules(select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()):
    """The wire rules (NET) narrowed by id or id prefix, like the config rules."""
    from rules import WIRE_RULES

    return [r for r in WIRE_RULES if (not select or _matches(r.meta.id, select)) and not _matches(r.meta.id, ignore)]


def ran_rule_ids(select=(), ignore=(), profile: str | None = "all", wire: bool = False) -> list[str]:
    """Ids of the rules a run executes: the profile's config rules (none when `profile` is None,
    as for `probe`) and, when hosts are probed, the wire rules. Reports list only these."""
    ids = [r.meta.id for r, _ in selected_rules(tuple(select), tuple(ignore), profile)] if profile else []
    return ids + ([r.meta.id for r in selected_wire_rules(tuple(select), tuple(ignore))] if wire else [])


def unknown_selectors(patterns: tuple[str, ...]) -> list[str]:
    from rules import REGISTRY

    return [p for p in patterns if not any(r.meta.id.startswith(p.upper()) for r in REGISTRY)]


def wire_findings(probe, device=None, options: AuditOptions | None = None, select=(), ignore=()) -> list[Finding]:
    """Findings of the wire rules (NET) on a probe result, with the config's model when there is one."""
    findings: list[Finding] = []
    for rule_cls in selected_wire_rules(tuple(select), tuple(ignore)):
        findings.extend(rule_cls(options=options or AuditOptions()).check(probe, device))
    return findings


def probe_report(probe, select=(), ignore=()) -> DeviceReport:
    """The report of a host that was probed but not audited (`vty-auditor probe`)."""
    from auditor.remediation import combined_script

    if not probe.resolved:
        return DeviceReport(
            source=probe.name,
            address=probe.host,
            status=DeviceStatus.DNS_FAILURE,
            error=f"{probe.host} does not resolve",
            probe=probe.ports,
        )
    findings = sorted(wire_findings(probe, select=select, ignore=ignore), key=lambda f: (f.section, f.rule_id))
    return DeviceReport(
        source=probe.name,
        address=probe.host,
        status=DeviceStatus.AUDITED,
        findings=tuple(findings),
        probe=probe.ports,
        remediation=combined_script(findings),
    )


def read_model(data: bytes | str, source: str = "<string>", options: AuditOptions | None = None):
    """The neutral model of one config (None when it is not a config a platform reads)."""
    from auditor.platforms import choose, get
    from auditor.text import load

    options = options or AuditOptions()
    raw = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
    decoded = load(raw, choose(source, options.platform, options.platform_overrides))
    if decoded.lines is None or decoded.platform is None:
        return None
    return get(decoded.platform).read(decoded, acl_names=frozenset({options.acl_name, options.acl_name + "-V6"}))


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
    wire=None,
) -> DeviceReport:
    """Audit one config and return its report (status `unrecognized` if it is not a config).

    `full_parse` hands every line to ciscoconfparse instead of the relevant
    slice; it exists for the equivalence test and for debugging. `wire`, a
    probe result for the same device, adds the wire rules' findings (NET).
    """
    from auditor.platforms import choose, get
    from auditor.text import load

    options = options or AuditOptions()
    raw = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
    decoded = load(raw, choose(source, options.platform, options.platform_overrides))
    if decoded.lines is None:
        status = DeviceStatus.UNSUPPORTED if decoded.unsupported else DeviceStatus.NOT_CONFIG if decoded.not_config else DeviceStatus.UNRECOGNIZED
        return DeviceReport(source=source, status=status, error=decoded.reason, platform_evidence=decoded.evidence)
    assert decoded.platform is not None  # a config read has its platform
    platform = get(decoded.platform)
    acl_names = frozenset({options.acl_name, options.acl_name + "-V6"})
    device = platform.read(decoded, acl_names=acl_names, full_parse=full_parse)
    if options.platform_version:
        device = device.model_copy(update={"platform_version": options.platform_version})
    from auditor import suppress
    from auditor.rule import CAPPED, capped_finding

    findings: list[Finding] = []
    chosen = [(r, p) for r, p in selected_rules(select, ignore, profile) if platform.name in r.meta.platforms]
    for rule_cls, profile_params in chosen:
        merged = {**profile_params, **(params or {}).get(rule_cls.meta.id, {})}
        capped = 0
        for found in rule_cls(options=options, **merged).check(device):
            if found is CAPPED:
                capped += 1
            else:
                findings.append(found)
        if capped:
            findings.append(capped_finding(rule_cls.meta, capped))
    if wire is not None:
        findings.extend(wire_findings(wire, device, options, select, ignore))
    if severity:
        findings = [f.model_copy(update={"severity": severity[f.rule_id]}) if f.rule_id in severity else f for f in findings]
    from rules import REGISTRY, WIRE_RULES

    suppressions, invalid = suppress.parse_suppressions(decoded.lines, {r.meta.id for r in REGISTRY})
    ran = {r.meta.id for r, _ in chosen} | ({r.meta.id for r in WIRE_RULES} if wire is not None else set())
    findings, suppressed, unused = suppress.apply(findings, suppressions, ran)
    findings += invalid + unused
    findings.sort(key=lambda f: (f.line, f.rule_id, f.section))
    return DeviceReport(
        source=source,
        hostname=device.hostname,
        status=DeviceStatus.AUDITED,
        findings=tuple(findings),
        suppressed=tuple(sorted(suppressed, key=lambda f: (f.line, f.rule_id))),
        remediation=platform.script(findings, device, options.revert_minutes),
        probe=wire.ports if wire is not None else (),
        platform=platform.label(device),
        platform_evidence=decoded.evidence,
    )
