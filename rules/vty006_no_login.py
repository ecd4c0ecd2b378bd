"""VTY006 no-login: a line that accepts connections authenticates nobody.

## What it does
Flags VTY lines with `no login` that accept inbound connections, when
`aaa new-model` is off. (With `aaa new-model` the AAA method lists decide and
`no login` is not how a line's authentication is set.)

## Why is this bad?
Anyone who reaches the line gets a shell with no username or password.

## Example
    line vty 0 4
     no login
     transport input ssh

Use instead:

    username admin privilege 15 algorithm-type scrypt secret <NEW-SECRET-ADMIN>
    line vty 0 4
     login local
     transport input ssh

## Fix safety
Unsafe: sessions need a local username afterwards. Needs input when no user
with a secret exists: the fix creates one with a placeholder secret first.

## References
Cisco IOS Security Configuration Guide, "Configuring Security with Passwords,
Privileges, and Logins" (`no login` disables password checking); CIS Cisco IOS
15 Benchmark 1.1.6 and IOS XE 17.x Benchmark 1.1.4 (login authentication for 'line vty'); DISA STIG CISC-ND-001370.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, Severity
from auditor.model import LoginMode
from auditor.remediation import local_login_changes, needs_local_user
from auditor.rule import CAPPED, Found, Rule, RuleMeta, cis, stig


class NoLogin(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="VTY006",
        name="no-login",
        severity=Severity.CRITICAL,
        summary="A line accepting connections has no login: no authentication at all",
        references=cis("Set 'login authentication' for 'line vty'", "1.1.6", "1.1.4") + (stig("CISC-ND-001370", "authenticate administrators before granting access"),),
        tags=("vty", "authentication", "CWE-306"),
    )

    def check(self, device) -> Iterator[Found]:
        for section in device.vty_sections():
            if not section.accepts_connections or section.settings.login is not LoginMode.NONE:
                continue
            if self.capped():
                yield CAPPED
                continue
            line = section.settings.login_line or section.header_line
            yield self.finding(
                message=f"{section.name} accepts connections with no authentication (no login)",
                section=section.name,
                line=line,
                evidence=device.text_at(line),
                applicability=Applicability.NEEDS_INPUT if needs_local_user(device) else Applicability.UNSAFE,
                changes=local_login_changes(device, section.name),
                note="Sessions need a local username and secret afterwards: create one and test it before you log out.",
            )
