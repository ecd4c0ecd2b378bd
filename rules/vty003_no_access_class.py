"""VTY003 no-access-class: a VTY line accepts connections from anywhere.

## What it does
Flags VTY lines that accept inbound connections (any `transport input` but
`none`, or none set) and have no inbound IPv4 `access-class`. An
`access-class ... out` does not count: it filters outgoing sessions only.

## Why is this bad?
Without an access-class every address that can route to the device can try
to log in: brute force, and exposure of any login flaw, to the whole network
or the internet.

## Example
    line vty 0 4
     transport input ssh

Use instead:

    ip access-list standard VTY-ACCESS
     permit 192.0.2.0 0.0.0.255
     deny any log
    line vty 0 4
     access-class VTY-ACCESS in
     transport input ssh

## Fix safety
Unsafe with `--mgmt-net`: an operator outside the management networks is locked
out. Needs input without it: the management network is a placeholder.

## Platforms
IOS / IOS-XE, and NX-OS, where `line vty` has no numbers and governs every
VTY session (a second `line vty` block adds to the first). The NX-OS fix
defines `ip access-list VTY-ACCESS` with sequence numbers and prefix
notation (`10 permit ip 192.0.2.0/24 any`, then `deny ip any any log`) and
sets `access-class VTY-ACCESS in`, which applies in every VRF. Source: Cisco
Nexus 9000 Series NX-OS Security Configuration Guide, "Configuring IP ACLs"
("Applying an IP ACL to a VTY line").

IOS-XR: each line template a VTY pool uses (`line default` for the default
pool) is fenced by `access-class ingress NAME`, inherited from `line default`
when the template has none. Management Plane Protection stands in for it
only when every `allow` covering SSH or Telnet names peers and the management
Ethernet interfaces are covered; otherwise the message says what MPP leaves
open. The fix defines `ipv4 access-list VTY-ACCESS` (`10 permit ipv4 PREFIX
any`, `deny ipv4 any any`) and sets `access-class ingress VTY-ACCESS` on the
template. Source: Cisco IOS XR System Security Configuration Guide,
"Implementing Management Plane Protection" ("if no specific peer is
configured, all peers are allowed").

## References
CIS Cisco IOS 15 and IOS XE 17.x Benchmarks 1.2.5 (Set 'access-class' for 'line vty');
DISA STIG CISC-ND-000140.
"""

from typing import ClassVar, Iterator

from auditor.findings import Severity
from auditor.rule import CAPPED, Found, Rule, RuleMeta, cis, stig
from auditor.platforms import platform_of


class NoAccessClass(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="VTY003",
        name="no-access-class",
        severity=Severity.HIGH,
        summary="A VTY line accepting connections has no inbound IPv4 access-class",
        references=cis("Set 'access-class' for 'line vty'", "1.2.5", "1.2.5") + (stig("CISC-ND-000140", "enforce approved authorizations for the flow of management information"),),
        tags=("vty", "acl"),
        platforms=("ios", "nxos", "asa", "iosxr"),
    )

    def check(self, device) -> Iterator[Found]:
        for section in device.vty_sections():
            if not section.accepts_connections or section.settings.access_class_in is not None:
                continue
            if self.capped():
                yield CAPPED
                continue
            platform = platform_of(device)
            applicability, changes, note = platform.fence(self.options, device, section)
            yield self.finding(
                message=f"{section.name} accepts connections from any address: {platform.unfenced(device, section)}",
                section=section.name,
                line=section.header_line,
                evidence=device.header_evidence(section),
                applicability=applicability,
                changes=changes,
                note=note,
            )
