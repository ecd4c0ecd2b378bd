"""NET001 telnet-port-open: the Telnet port accepts TCP connections.

## What it does
Flags a probed host whose Telnet port (23, or what `--telnet-port` names)
completes a TCP handshake, whatever it then says. The banner, if any, is in
the evidence: Telnet option negotiation (IAC) is a Telnet server answering.

## Why is this bad?
Whatever the config says, a listener on 23 is an open door for clear-text
logins (CWE-319). It may be the device's own VTY (`transport input` admits
Telnet), or something the config does not show: a NAT rule, another device on
the address, a terminal server.

## Example
    $ vty-auditor probe r1.example.net
    NET001 telnet-port-open  tcp/23  connected (Telnet option negotiation)
Use instead: nothing answering on 23:
    line vty 0 15
     transport input ssh

## Fix safety
Needs input: the fix is on whatever answers. Closing Telnet on the device's
VTY lines can lock you out if SSH does not work yet: check `probe` reports
port 22 open with an `SSH-2.0` banner, and log in over SSH first.

## References
DISA STIG CISC-ND-001210 (protect the confidentiality of remote maintenance
sessions); CIS Cisco IOS 15 and IOS XE 17.x Benchmarks 1.2.2.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, PortOutcome, Severity
from auditor.rule import Found, RuleMeta, WireRule, cis, stig


class TelnetPortOpen(WireRule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="NET001",
        name="telnet-port-open",
        severity=Severity.HIGH,
        summary="The Telnet port accepts TCP connections",
        references=cis("Set 'transport input ssh' for 'line vty' connections", "1.2.2", "1.2.2") + (stig("CISC-ND-001210", "protect the confidentiality of remote maintenance sessions"),),
        tags=("wire", "telnet", "CWE-319"),
        platforms=("ios", "nxos"),
    )

    def check(self, probe, device=None) -> Iterator[Found]:  # type: ignore[override]  # a wire rule reads a probe
        for port in probe.ports:
            if port.role != "telnet" or port.outcome is not PortOutcome.OPEN:
                continue
            said = port.banner or "no banner within the wait"
            yield self.finding(
                message=f"{probe.host} accepts TCP connections on the Telnet port {port.port}",
                section=f"tcp/{port.port}",
                line=0,
                evidence=f"{port.address}:{port.port} {port.outcome.explanation}; {said}",
                applicability=Applicability.NEEDS_INPUT,
                changes=(),
                note="Close Telnet where it answers: on the device, `transport input ssh` on every VTY line (VTY001); "
                "if the config already denies Telnet, find what answers on the address (NAT, another device, a terminal server).",
            )
