"""NET003 ssh-unreachable: the SSH port does not answer.

## What it does
Flags a resolvable host whose SSH port (22, the inventory's port, or what
`--ssh-port` names) is refused, times out, or has no route. The message says
which, read the way an engineer reads `telnet HOST 22`: refused = the host
was reached and nothing listens (SSH not enabled: no RSA key, no `ip domain
name`, or `transport input` without ssh); timeout = dropped on the path (an
ACL or firewall between the probe and the device) or the host is down.

## Why is this bad?
If SSH does not work, the only remote way in is Telnet or nothing: closing
Telnet (VTY001) would lock operators out, and leaving it open keeps clear-text
logins (CWE-319).

## Example
    $ vty-auditor probe r1.example.net
    NET003 ssh-unreachable  tcp/22  refused: host reached, nothing listening
Use instead (on the device):
    ip domain name example.net
    crypto key generate rsa modulus 2048
    ip ssh version 2

## Fix safety
Needs input: enabling SSH is safe; what blocks the port on the path is for
the network's owner to say.

## References
Cisco IOS Security Configuration Guide, "Configuring Secure Shell"
(prerequisites: hostname, domain name, RSA key); DISA STIG CISC-ND-001210.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, PortOutcome, Severity
from auditor.rule import Found, RuleMeta, WireRule, stig

_WHY = {
    PortOutcome.REFUSED: "nothing listens: is SSH enabled (RSA key, `ip domain name`, `transport input ssh`)?",
    PortOutcome.TIMEOUT: "the connect was dropped on the path (ACL, firewall) or the host is down",
    PortOutcome.UNREACHABLE: "there is no route to the host",
}


class SshUnreachable(WireRule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="NET003",
        name="ssh-unreachable",
        severity=Severity.MEDIUM,
        summary="The SSH port is refused, times out or has no route",
        references=(stig("CISC-ND-001210", "protect the confidentiality of remote maintenance sessions"),),
        tags=("wire", "ssh", "lockout"),
        platforms=("ios", "nxos"),
    )

    def check(self, probe, device=None) -> Iterator[Found]:  # type: ignore[override]  # a wire rule reads a probe
        for port in probe.ports:
            if port.role != "ssh" or port.outcome not in _WHY:
                continue
            yield self.finding(
                message=f"SSH on {probe.host} port {port.port} {port.outcome.value}: {_WHY[port.outcome]}",
                section=f"tcp/{port.port}",
                line=0,
                evidence=f"{port.address}:{port.port} {port.outcome.explanation}",
                applicability=Applicability.NEEDS_INPUT,
                changes=(),
                note="Make SSH reachable before closing Telnet, or operators lose remote access.",
            )
