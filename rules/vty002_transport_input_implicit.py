"""VTY002 transport-input-implicit: a VTY line has no `transport input`.

## What it does
Flags VTY lines with no `transport input` command at all (including the VTY
lines 0-4 that exist even when the config has no block for them, and lines
reset with `default transport input`). The platform default then decides.

## Why is this bad?
On classic IOS (12.x, most 15.x) the default is `transport input all`, which
admits Telnet; on newer IOS-XE releases it is `ssh` or `none`. The same config
therefore means Telnet on one box and not on another, and a grep for
`transport input telnet` does not see it.

## Example
    line vty 0 4
     login local

Use instead:

    line vty 0 4
     login local
     transport input ssh

The platform table (`auditor/platforms/ios/defaults.py`, overridable with
`--platform-version`) words the finding: classic IOS (12.x-15.x) admits
Telnet by default; on IOS-XE (16.x+) the default is release-dependent.

## Fix safety
Unsafe for the same reason as VTY001: closing Telnet locks operators out if SSH
is not ready. Test an SSH login and keep a console open.

## References
Cisco IOS Terminal Services Command Reference, `transport input` (default
varies by release: `all` on classic IOS); CIS Cisco IOS 15 and IOS XE 17.x Benchmarks 1.2.2;
DISA STIG CISC-ND-001210.
"""

from typing import ClassVar, Iterator

from auditor.findings import Severity
from auditor.platforms.ios import transport_default
from auditor.rule import CAPPED, Found, Rule, RuleMeta, cis, stig
from auditor.platforms.ios.fixes import restrict_to_ssh


class TransportInputImplicit(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="VTY002",
        name="transport-input-implicit",
        severity=Severity.MEDIUM,
        confidence="medium",
        summary="A VTY line has no transport input; the platform default (all, on classic IOS) decides",
        references=cis("Set 'transport input ssh' for 'line vty' connections", "1.2.2", "1.2.2") + (stig("CISC-ND-001210", "protect the confidentiality of remote maintenance sessions"),),
        tags=("vty", "transport", "CWE-319"),
    )

    def check(self, device) -> Iterator[Found]:
        default = transport_default(self.options.platform_version or device.version)
        for section in device.vty_sections():
            if section.settings.transport_input is not None:
                continue
            if self.capped():
                yield CAPPED
                continue
            applicability, changes, note = restrict_to_ssh(device, section)
            yield self.finding(
                message=f"{section.name} has no transport input: {default.explanation}",
                section=section.name,
                line=section.header_line,
                evidence=device.header_evidence(section),
                applicability=applicability,
                changes=changes,
                note=note,
            )
