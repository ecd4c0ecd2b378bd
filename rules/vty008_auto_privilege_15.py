"""VTY008 auto-privilege-15: a VTY shell lands directly in privileged EXEC.

## What it does
Flags `privilege level 15` on a VTY line that accepts connections.

## Why is this bad?
Whoever passes the line's login is in enable mode at once: a single shared or
stolen password gives full control, and there is no second barrier
(`enable secret`).

## Example
    line vty 0 4
     privilege level 15

Use instead:

    line vty 0 4
     no privilege level

## Fix safety
Unsafe when no `enable secret` exists: operators could no longer reach
privileged EXEC from a VTY (`% No password set`). The fix then sets an enable
secret first (needs input). Users with `username ... privilege 15` and
`login local` are not affected.

## References
Cisco IOS Security Configuration Guide, "Configuring Security with Passwords,
Privileges, and Logins" (`privilege level`). No CIS or STIG item names it
directly (CIS 1.2.1 'privilege 1' is about local users); it runs in the `all`
profile only.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, Change, Phase, Severity
from auditor.remediation import enable_secret_changes
from auditor.rule import CAPPED, Found, Rule, RuleMeta


class AutoPrivilege15(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="VTY008",
        name="auto-privilege-15",
        severity=Severity.MEDIUM,
        summary="privilege level 15 on a VTY line: sessions start in enable mode",
        references=(),
        tags=("vty", "privilege"),
    )

    def check(self, device) -> Iterator[Found]:
        for section in device.vty_sections():
            if section.settings.privilege != 15 or not section.accepts_connections:
                continue
            if self.capped():
                yield CAPPED
                continue
            changes = [Change(phase=Phase.LINES, parent=section.name, lines=("no privilege level",), order=70)]
            applicability, note = Applicability.UNSAFE, "Operators must then use `enable`; make sure an enable secret works."
            if device.enable_secret is None:
                changes = enable_secret_changes(device) + changes
                applicability = Applicability.NEEDS_INPUT
                note = "No enable secret exists: one is set first, or nobody could reach enable mode from a VTY."
            line = section.settings.privilege_line or section.header_line
            yield self.finding(
                message=f"{section.name} starts sessions at privilege level 15",
                section=section.name,
                line=line,
                evidence=device.text_at(line),
                applicability=applicability,
                changes=changes,
                note=note,
            )
