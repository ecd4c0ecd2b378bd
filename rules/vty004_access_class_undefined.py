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

## References
Cisco IOS Security Configuration Guide, "IP Access List Overview" (a reference
to an undefined list permits all traffic); CIS Cisco IOS 15 and IOS XE 17.x Benchmarks 1.2.4 and 1.2.5;
DISA STIG CISC-ND-000140.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, Change, Finding, Phase, Severity
from auditor.model import numbered_acl_kind
from auditor.remediation import acl_changes, ipv6_acl_changes
from auditor.rule import Rule, RuleMeta, cis, stig


class AccessClassUndefined(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="VTY004",
        name="access-class-undefined",
        severity=Severity.HIGH,
        summary="An access-class names an ACL that is not defined",
        references=cis("Create 'access-list' for use with 'line vty'", "1.2.4", "1.2.4") + cis("Set 'access-class' for 'line vty'", "1.2.5", "1.2.5") + (stig("CISC-ND-000140", "enforce approved authorizations for the flow of management information"),),
        tags=("vty", "acl"),
    )

    def check(self, device) -> Iterator[Finding]:
        for section in device.sections:
            settings = section.settings
            refs = [(settings.access_class_in, device.acls, "IPv4"), (settings.ipv6_access_class_in, device.ipv6_acls, "IPv6")]
            for ref, defined, family in refs:
                if ref is None or ref.name in defined:
                    continue
                opts = self.options
                if family == "IPv4":
                    changes = acl_changes(device, ref.name, opts.mgmt_nets, numbered_kind=_numbered_kind(ref.name))
                else:
                    changes = ipv6_acl_changes(ref.name, opts.mgmt_nets) or [
                        Change(
                            phase=Phase.ACLS,
                            lines=(f"ipv6 access-list {ref.name}", " permit ipv6 <MGMT-PREFIX> any", " deny ipv6 any any log"),
                        )
                    ]
                has_nets = any((":" in n) == (family == "IPv6") for n in opts.mgmt_nets)
                yield self.finding(
                    message=f"{section.name} uses {family} access-class {ref.name}, which is not defined: nothing is filtered",
                    section=section.name,
                    line=ref.line,
                    evidence=device.text_at(ref.line),
                    applicability=Applicability.UNSAFE if has_nets else Applicability.NEEDS_INPUT,
                    changes=changes,
                    note=f"Defining {ref.name} starts filtering at once: make sure your own address is permitted.",
                )


def _numbered_kind(name: str) -> str | None:
    return numbered_acl_kind(name) if name.isdigit() else None
