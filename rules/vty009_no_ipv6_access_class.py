"""VTY009 no-ipv6-access-class: VTY lines are reachable over IPv6 from anywhere.

## What it does
Flags VTY lines that accept connections and have no `ipv6 access-class ... in`
on a device with IPv6 on at least one interface (`ipv6 address` or
`ipv6 enable`).

## Why is this bad?
An IPv4 `access-class` does not filter IPv6 sessions: the management plane is
open to every IPv6 source while the config looks fenced.

## Example
    interface GigabitEthernet0/0
     ipv6 address 2001:DB8::1/64
    line vty 0 4
     access-class VTY-ACCESS in

Use instead:

    ipv6 access-list VTY-ACCESS-V6
     permit ipv6 2001:DB8:100::/48 any
     deny ipv6 any any log
    line vty 0 4
     access-class VTY-ACCESS in
     ipv6 access-class VTY-ACCESS-V6 in

## Fix safety
Unsafe with IPv6 `--mgmt-net` prefixes (operators outside them lose IPv6
access); needs input without them. Releases: `ipv6 access-class` on lines
exists from 12.2(2)T on, so on every 12.3 and later release.

## References
Cisco IOS IPv6 Command Reference, `ipv6 access-class`; CIS Cisco IOS 15
and IOS XE 17.x Benchmarks 1.2.5; DISA STIG CISC-ND-000140.
"""

from typing import ClassVar, Iterator

from auditor.findings import Severity
from auditor.rule import CAPPED, Found, Rule, RuleMeta, cis, stig
from auditor.platforms.ios.fixes import fence_ipv6


class NoIpv6AccessClass(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="VTY009",
        name="no-ipv6-access-class",
        severity=Severity.HIGH,
        summary="IPv6 is on and a VTY line accepting connections has no ipv6 access-class",
        references=cis("Set 'access-class' for 'line vty'", "1.2.5", "1.2.5") + (stig("CISC-ND-000140", "enforce approved authorizations for the flow of management information"),),
        tags=("vty", "acl", "ipv6"),
    )

    def check(self, device) -> Iterator[Found]:
        if not device.ipv6_interfaces:
            return
        for section in device.vty_sections():
            if not section.accepts_connections or section.settings.ipv6_access_class_in is not None:
                continue
            if self.capped():
                yield CAPPED
                continue
            applicability, changes = fence_ipv6(self.options, device, section)
            yield self.finding(
                message=f"{section.name} accepts IPv6 connections from any address (IPv6 on {device.ipv6_interfaces[0]})",
                section=section.name,
                line=section.header_line,
                evidence=device.header_evidence(section),
                applicability=applicability,
                changes=changes,
                note="Operators outside the permitted IPv6 prefixes lose IPv6 access to the line.",
            )
