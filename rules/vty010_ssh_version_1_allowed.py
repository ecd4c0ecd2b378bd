"""VTY010 ssh-version-1-allowed: SSH is accepted but not pinned to version 2.

## What it does
Flags a device where some VTY line accepts SSH (`transport input ssh`, `all`,
or no `transport input`) and `ip ssh version 2` is not configured: IOS then
runs in compatibility mode 1.99 and accepts SSH protocol version 1.

## Why is this bad?
SSHv1 has known design flaws (CRC-32 compensation attack, session key
recovery); a client can be downgraded to it.

## Example
    line vty 0 4
     transport input ssh

Use instead:

    ip ssh version 2
    line vty 0 4
     transport input ssh

## Fix safety
Safe for any current client. Requires an RSA key of at least 768 bits, which
SSH needs anyway. Releases: `ip ssh version 2` exists from 12.3(4)T and
12.2(25)S on, so on every 12.4, 15.x and IOS-XE release (auditor/release.py).

## Platforms
IOS / IOS-XE (`ip ssh version 2`), ASA (`ssh version 1` allows it) and
IOS-XR, whose releases that implement SSHv1 accept it unless `ssh server v2`
is configured (Cisco ASR 9000 System Security Configuration Guide 4.2,
"Implementing Secure Shell": "supports both SSHv1 and SSHv2"); the fix is
`ssh server v2`.

## References
Cisco IOS Security Configuration Guide, "Secure Shell Version 2 Support"
(default is 1.99 compatibility mode); CIS Cisco IOS 15 and IOS XE 17.x
Benchmarks 2.1.1.2 ('ip ssh version 2'); DISA STIG CISC-ND-001210.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, Severity
from auditor.platforms import platform_of
from auditor.rule import Found, Rule, RuleMeta, cis, stig


class SshVersion1Allowed(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="VTY010",
        name="ssh-version-1-allowed",
        severity=Severity.MEDIUM,
        summary="SSH is accepted but ip ssh version 2 is not configured",
        references=cis("Set version 2 for 'ip ssh version'", "2.1.1.2", "2.1.1.2") + (stig("CISC-ND-001210", "protect the confidentiality of remote maintenance sessions"),),
        tags=("ssh", "CWE-327"),
        platforms=("ios", "asa", "iosxr"),
    )

    def check(self, device) -> Iterator[Found]:
        if device.ip_ssh_version == 2 or device.release.crypto is False:
            return  # an image without crypto has no SSH at all
        ssh_lines = [s for s in device.vty_sections() if s.settings.transport_input is None or {"ssh", "all"} & set(s.settings.transport_input)]
        if not ssh_lines:
            return
        why, evidence, changes = platform_of(device).ssh_v1(device)
        yield self.finding(
            message=f"SSH is accepted ({ssh_lines[0].name}) but {why}: SSHv1 is allowed",
            section="global",
            line=device.first_config_line,
            evidence=evidence,
            applicability=Applicability.SAFE,
            changes=changes,
            note="Needs an RSA key of at least 768 bits, as SSH does anyway.",
        )
