"""VTY005 access-class-permits-any: the line's ACL lets any source in.

## What it does
Flags an inbound `access-class` or `ipv6 access-class` whose ACL admits every
source address: the union of the sources its reachable permit entries match
covers the whole space. Sources are address sets: `permit any`, a wildcard
of all ones (`permit 10.0.0.0 255.255.255.255`), entries that cover the
space between them (`0.0.0.0 127.255.255.255` and `128.0.0.0 127.255.255.255`),
a network object-group holding `any`, `permit ipv6 any any`. Entries are read
top-down, first match wins: after a deny that covers every address still
unmatched, nothing is reachable. Denying a few hosts before `permit any` does
not make a fence, so it is still flagged. Only entries that can carry a
session count (`ip`, `ipv6`, `tcp`); `udp` and `icmp` entries do not.

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

## Platforms
IOS / IOS-XE, and NX-OS, whose ACL entries use prefix notation
(`permit ip 0.0.0.0/0 any` admits everyone) and sequence numbers; first
match applies on both. The NX-OS fix defines the management ACL and
replaces the line's access-class (`no access-class OLD in`, then the new one).

IOS-XR: entries are `permit ipv4|tcp SOURCE ...` with sequence numbers,
wildcards or prefixes; the peers of Management Plane Protection, when they
are the fence, are judged the same way (as the ACL `management-plane`).

## References
Cisco IOS Security Configuration Guide, "IP Access List Overview" (first
match); CIS Cisco IOS 15 and IOS XE 17.x Benchmarks 1.2.4; DISA STIG CISC-ND-000140.
"""

from typing import ClassVar, Iterator

from auditor.acl import permits_any_source
from auditor.findings import Severity
from auditor.rule import CAPPED, Found, Rule, RuleMeta, cis, stig
from auditor.platforms import platform_of


class AccessClassPermitsAny(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="VTY005",
        name="access-class-permits-any",
        severity=Severity.HIGH,
        summary="The ACL used by an access-class permits any source",
        references=cis("Create 'access-list' for use with 'line vty'", "1.2.4", "1.2.4") + (stig("CISC-ND-000140", "enforce approved authorizations for the flow of management information"),),
        tags=("vty", "acl"),
        platforms=("ios", "nxos", "iosxr"),
    )

    def check(self, device) -> Iterator[Found]:
        for section in device.vty_sections():
            for ref, acls, family in (
                (section.settings.access_class_in, device.acls, "IPv4"),
                (section.settings.ipv6_access_class_in, device.ipv6_acls, "IPv6"),
            ):
                if ref is None or ref.name not in acls:
                    continue
                entry = permits_any_source(acls[ref.name], device.object_groups)
                if entry is not None:
                    yield CAPPED if self.capped() else self._finding(device, section, ref, family, entry)

    def _finding(self, device, section, ref, family: str, entry) -> Found:
        applicability, changes, note = platform_of(device).fence(self.options, device, section, family)
        if ref.name == self.options.acl_name and any(line.split()[:2] == ["ip", "access-list"] and line.split()[-1] == ref.name for c in changes for line in c.lines):
            note += f" {ref.name} itself is redefined."
        return self.finding(
            message=f"{section.name} {family} access-class {ref.name} admits every source (complete at: {entry.text})",
            section=section.name,
            line=entry.line,
            evidence=device.text_at(entry.line),
            applicability=applicability,
            changes=changes,
            note=note,
        )
