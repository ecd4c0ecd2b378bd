"""NET004 config-wire-mismatch: the wire contradicts the audited config.

## What it does
When the same run audited a device's config and probed its address (`scan
--inventory ... --probe`), compares the two:

- every VTY line's `transport input` denies Telnet, yet the Telnet port is open;
- a VTY line accepts SSH, yet the SSH port is refused, times out or has no route;
- no VTY line accepts SSH, yet the SSH port answers with an SSH banner.

A line with no `transport input` takes the platform default: `all` on classic
IOS (so it accepts both); on IOS-XE the default is release-dependent and the
line is left out of the comparison.

## Why is this bad?
An audit that reads only the config passes a device whose address still
answers Telnet: a NAT rule forwarding to another box, a second device on the
address, a terminal server, or a running config that is not the one audited.
The reverse (SSH expected but not reachable) is a lockout waiting for the day
Telnet is closed.

## Example
    line vty 0 15
     transport input ssh
with TCP/23 open on the device's address.

## Fix safety
Needs input: find what answers (or what filters) on the path; the config is
not the thing to change.

## References
Cisco IOS Terminal Services Command Reference, `transport input` (classic IOS
default `all`); DISA STIG CISC-ND-001210.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, BannerKind, PortOutcome, Severity
from auditor.platforms.ios import transport_default
from auditor.rule import Found, RuleMeta, WireRule, stig


class ConfigWireMismatch(WireRule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="NET004",
        name="config-wire-mismatch",
        severity=Severity.HIGH,
        summary="What the probe saw contradicts the audited config's VTY transport",
        references=(stig("CISC-ND-001210", "protect the confidentiality of remote maintenance sessions"),),
        tags=("wire", "telnet", "ssh"),
        platforms=("ios", "nxos"),
    )

    def check(self, probe, device=None) -> Iterator[Found]:  # type: ignore[override]  # a wire rule reads a probe
        if device is None or not probe.resolved:
            return
        default = transport_default(self.options.platform_version or device.version).protocols
        sections = device.vty_sections()
        effective = [(s, s.settings.transport_input if s.settings.transport_input is not None else default) for s in sections]
        known = [(s, t) for s, t in effective if t is not None]
        telnet_denied = bool(sections) and len(known) == len(sections) and not any({"telnet", "all"} & set(t) for _, t in known)
        ssh_lines = [s for s, t in known if {"ssh", "all"} & set(t)]
        for port in probe.ports:
            if port.role == "telnet" and port.outcome is PortOutcome.OPEN and telnet_denied:
                anchor = sections[0]
                yield self._mismatch(
                    device,
                    anchor,
                    f"every VTY line denies Telnet, yet {probe.host} port {port.port} accepts connections (NAT, another device on the address, or not the running config)",
                )
            if port.role == "ssh" and port.outcome in (PortOutcome.REFUSED, PortOutcome.TIMEOUT, PortOutcome.UNREACHABLE) and ssh_lines:
                yield self._mismatch(
                    device,
                    ssh_lines[0],
                    f"{ssh_lines[0].name} accepts SSH, yet {probe.host} port {port.port}: {port.outcome.explanation}",
                )
            if port.role == "ssh" and port.banner_kind is BannerKind.SSH and len(known) == len(sections) and not ssh_lines:
                anchor = sections[0] if sections else None
                if anchor is not None:
                    yield self._mismatch(
                        device,
                        anchor,
                        f"no VTY line accepts SSH, yet {probe.host} port {port.port} answers {port.banner}",
                    )

    def _mismatch(self, device, section, message: str) -> Found:
        line = section.settings.transport_line or section.header_line
        return self.finding(
            message=message,
            section=section.name,
            line=line,
            evidence=device.text_at(line) or device.header_evidence(section),
            applicability=Applicability.NEEDS_INPUT,
            changes=(),
            note="Find what answers (or what filters) on the path to the device; the config is not what to change.",
        )
