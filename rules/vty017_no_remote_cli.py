"""VTY017 no-remote-cli: no VTY line accepts an inbound session, so the device has no remote CLI.

## What it does
Reports, as information, a device on which no VTY session can be opened:
on IOS / IOS-XE every VTY line says `transport input none`; on NX-OS the SSH
server is off (`no feature ssh`) and Telnet is off (no `feature telnet`, its
default). The line that decides it is named: the `no feature ssh` line on
NX-OS, the `transport input none` of the first VTY line on IOS.

## Why is this bad?
It is not a fault in itself: an out-of-band-only device may be meant so. But
it explains why the VTY rules say nothing about the device (an unfenced
`line vty` that nothing can reach is not reported), and a switch that lost
SSH by accident can only be repaired from its console.

## Example
    no feature ssh
    line vty

Use instead, when remote management is intended:

    feature ssh
    line vty
      access-class VTY-ACCESS in

## Fix safety
Nothing to paste: whether the device should be reachable is the operator's
decision. Enabling SSH opens a way in, so fence it first (VTY003 applies as
soon as a VTY line accepts sessions).

## Platforms
IOS / IOS-XE (`transport input none` on every VTY line) and NX-OS (SSH server
enabled by default, Telnet server disabled by default: Cisco Nexus 9000 Series
NX-OS Security Configuration Guide, "Configuring SSH and Telnet").

IOS-XR: neither the SSH server (`ssh server v2` / `ssh server vrf`) nor a
Telnet server is configured, or every template's `transport input` leaves
both out.

## References
No CIS benchmark item or DISA STIG id; informational.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, Severity
from auditor.rule import Found, Rule, RuleMeta


class NoRemoteCli(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="VTY017",
        name="no-remote-cli",
        severity=Severity.INFO,
        summary="No VTY line accepts inbound sessions: the device is managed from the console only",
        tags=("vty", "availability"),
        platforms=("ios", "nxos", "iosxr"),
    )

    def check(self, device) -> Iterator[Found]:
        sections = device.vty_sections()
        if not sections or any(s.accepts_connections for s in sections):
            return
        first = sections[0]
        line = first.settings.transport_line or first.header_line
        evidence = device.text_at(line) if first.settings.transport_line else device.header_evidence(first)
        yield self.finding(
            message=f"no VTY line accepts inbound sessions ({evidence}): the device can be managed from its console only",
            section=first.name,
            line=line,
            evidence=evidence,
            applicability=Applicability.SAFE,
            changes=[],
            note="Nothing to change if the device is managed out of band only; otherwise enable SSH and fence the VTY lines first.",
        )
