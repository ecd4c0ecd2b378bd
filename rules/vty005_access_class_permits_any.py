"""VTY005 access-class-permits-any: the line's ACL lets any source in.

## What it does
Flags an inbound `access-class` whose ACL has a reachable entry permitting any
source: standard `permit any` or `permit 0.0.0.0 255.255.255.255`, extended
`permit <proto> any ...` with any as the source. Entries are read top-down,
first match wins: a `deny any` before the permit makes it unreachable.

## Why is this bad?
The line looks fenced but is not: every address can reach the login prompt.

## Example
    ip access-list standard VTY
     permit 192.0.2.10
     permit any
    line vty 0 4
     access-class VTY in

Use instead:

    ip access-list standard VTY-ACCESS
     permit 192.0.2.0 0.0.0.255
     deny any log
    line vty 0 4
     access-class VTY-ACCESS in

## Fix safety
Unsafe: the new ACL filters at once; an operator outside the management
networks is locked out. The permissive ACL is left in place (other features
may use it); the line is pointed at the management ACL instead.

## References
Cisco IOS Security Configuration Guide, "IP Access List Overview" (first
match); CIS Cisco IOS 15 and IOS XE 17.x Benchmarks 1.2.4; DISA STIG CISC-ND-000140.
"""

from typing import ClassVar, Iterator

from auditor.acl import permits_any_source
from auditor.findings import Finding, Severity
from auditor.rule import Rule, RuleMeta, cis, stig
from rules._fixes import fence_with_acl


class AccessClassPermitsAny(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="VTY005",
        name="access-class-permits-any",
        severity=Severity.HIGH,
        summary="The ACL used by an access-class permits any source",
        references=cis("Create 'access-list' for use with 'line vty'", "1.2.4", "1.2.4") + (stig("CISC-ND-000140", "enforce approved authorizations for the flow of management information"),),
        tags=("vty", "acl"),
    )

    def check(self, device) -> Iterator[Finding]:
        for section in device.vty_sections():
            ref = section.settings.access_class_in
            if ref is None or ref.name not in device.acls:
                continue
            entry = permits_any_source(device.acls[ref.name])
            if entry is None:
                continue
            applicability, changes, note = fence_with_acl(self, device, section)
            if ref.name == self.options.acl_name:
                note += f" {ref.name} itself is redefined."
            yield self.finding(
                message=f"{section.name} access-class {ref.name} permits any source ({entry.text})",
                section=section.name,
                line=entry.line,
                evidence=device.text_at(entry.line),
                applicability=applicability,
                changes=changes,
                note=note,
            )
