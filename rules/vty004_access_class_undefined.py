"""VTY004 access-class-undefined: `access-class` names an ACL that does not exist.

## What it does
Flags `access-class NAME in` (and `ipv6 access-class NAME in`) on a line whose
ACL is not defined anywhere in the config: neither `access-list NAME`,
`ip access-list standard|extended NAME`, nor (for IPv6) `ipv6 access-list NAME`.

## Why is this bad?
IOS accepts the reference without complaint, and an access-class pointing at a
missing ACL filters nothing: the line is open to every source while the config
looks fenced. Typically a typo or an ACL removed later.

## Example
    line vty 0 4
     access-class MGMT in
    ! (no ip access-list ... MGMT anywhere)

Use instead:

    ip access-list standard MGMT
     permit 192.0.2.0 0.0.0.255
     deny any log
    line vty 0 4
     access-class MGMT in

## Fix safety
Unsafe: defining the ACL starts filtering at once; an operator outside the
permitted networks is locked out. Needs input without `--mgmt-net`.

## Platforms
IOS / IOS-XE, and NX-OS (`access-class NAME in` / `ipv6 access-class NAME in`
under `line vty`, ACLs defined as `ip access-list NAME`). The NX-OS fix
defines the ACL in NX-OS syntax (sequence numbers, prefix notation).

IOS-XR: `access-class ingress NAME` on a line template, ACLs defined as
`ipv4 access-list NAME` / `ipv6 access-list NAME`; the fix defines it in
IOS-XR syntax.

## References
Cisco IOS Security Configuration Guide, "IP Access List Overview" (a reference
to an undefined list permits all traffic); CIS Cisco IOS 15 and IOS XE 17.x Benchmarks 1.2.4 and 1.2.5;
DISA STIG CISC-ND-000140.
"""

from typing import ClassVar, Iterator

from auditor.findings import Severity
from auditor.platforms import platform_of
from auditor.rule import CAPPED, Found, Rule, RuleMeta, cis, stig


class AccessClassUndefined(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="VTY004",
        name="access-class-undefined",
        severity=Severity.HIGH,
        summary="An access-class names an ACL that is not defined",
        references=cis("Create 'access-list' for use with 'line vty'", "1.2.4", "1.2.4")
        + cis("Set 'access-class' for 'line vty'", "1.2.5", "1.2.5")
        + (stig("CISC-ND-000140", "enforce approved authorizations for the flow of management information"),),
        tags=("vty", "acl"),
        platforms=("ios", "nxos", "iosxr"),
    )

    def check(self, device) -> Iterator[Found]:
        for section in device.sections:
            settings = section.settings
            refs = [(settings.access_class_in, device.acls, "IPv4"), (settings.ipv6_access_class_in, device.ipv6_acls, "IPv6")]
            for ref, defined, family in refs:
                if ref is None or ref.name in defined:
                    continue
                if self.capped():
                    yield CAPPED
                    continue
                applicability, changes, note = platform_of(device).define_acl(self.options, device, ref.name, family, section)
                yield self.finding(
                    message=f"{section.name} uses {family} access-class {ref.name}, which is not defined: nothing is filtered",
                    section=section.name,
                    line=ref.line,
                    evidence=device.text_at(ref.line),
                    applicability=applicability,
                    changes=changes,
                    note=note,
                )
