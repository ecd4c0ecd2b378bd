"""NET002 sshv1-advertised: the SSH server offers protocol version 1.

## What it does
Flags an SSH port whose identification string is `SSH-1.99-…` (versions 1
and 2 both accepted) or `SSH-1.x-…` (version 1 only), read from the banner
without logging in.

## Why is this bad?
SSH protocol 1 has known cryptographic weaknesses (session hijacking, CRC-32
compensation attack; CWE-327). `SSH-1.99` is what IOS announces when `ip ssh
version 2` is not configured, so this is the wire's confirmation of VTY010.

## Example
    $ vty-auditor probe r1.example.net
    NET002 sshv1-advertised  tcp/22  SSH-1.99-Cisco-1.25
Use instead:
    ip ssh version 2

## Fix safety
Safe: every SSH client of the last twenty years speaks version 2.

## References
Cisco IOS Security Command Reference, `ip ssh version` (without it the server
runs in 1.99 compatibility mode); RFC 4253 section 5.1 (`1.99` means both
versions); DISA STIG CISC-ND-001210; CIS Cisco IOS 15 and IOS XE 17.x
Benchmarks 2.1.1.2.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, BannerKind, Change, Phase, Severity
from auditor.rule import Found, RuleMeta, WireRule, cis, stig


class Sshv1Advertised(WireRule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="NET002",
        name="sshv1-advertised",
        severity=Severity.MEDIUM,
        summary="The SSH banner offers protocol version 1 (SSH-1.99 or SSH-1.x)",
        references=cis("Set version 2 for 'ip ssh version'", "2.1.1.2", "2.1.1.2") + (stig("CISC-ND-001210", "protect the confidentiality of remote maintenance sessions"),),
        tags=("wire", "ssh", "CWE-327"),
        platforms=("ios", "nxos"),
    )

    def check(self, probe, device=None) -> Iterator[Found]:  # type: ignore[override]  # a wire rule reads a probe
        for port in probe.ports:
            if port.banner_kind is not BannerKind.SSH or not (port.ssh_version or "").startswith("1."):
                continue
            both = port.ssh_version == "1.99"
            yield self.finding(
                message=f"{probe.host} port {port.port} offers SSH protocol 1" + (" (and 2)" if both else " only"),
                section=f"tcp/{port.port}",
                line=0,
                evidence=port.banner,
                applicability=Applicability.SAFE,
                changes=(Change(phase=Phase.SSH, lines=("ip ssh version 2",)),),
                note="Every current SSH client speaks version 2.",
            )
