"""VTY012 login-method-none: the AAA login list lets a user in without authenticating.

## What it does
With `aaa new-model`, flags VTY lines accepting connections whose effective
login method list contains `none`: when the methods before it error out (for
example the TACACS+ servers are unreachable), or at once if it comes first,
the login succeeds with no credentials.

## Why is this bad?
An attacker who can make the AAA servers unreachable (or simply waits for an
outage) logs in without a password.

## Example
    aaa authentication login default group tacacs+ none

Use instead:

    aaa authentication login default group tacacs+ local

## Fix safety
Unsafe when no local user exists: during an AAA outage nobody could log in.
The fix replaces `none` with `local` and creates a local user first (needs
input) when there is none.

## References
Cisco IOS Security Configuration Guide, "Configuring Authentication" (method
`none`); CIS Cisco IOS 15 Benchmark 1.1.2 / 1.1.6 and IOS XE 17.x Benchmark 1.1.2 / 1.1.4; DISA STIG CISC-ND-001370.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, Severity
from auditor.rule import CAPPED, Found, Rule, RuleMeta, cis, stig
from rules._aaa import define_list, user_first


class LoginMethodNone(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="VTY012",
        name="login-method-none",
        severity=Severity.HIGH,
        summary="The effective AAA login method list contains none",
        references=cis("Enable 'aaa authentication login'", "1.1.2", "1.1.2")
        + cis("Set 'login authentication' for 'line vty'", "1.1.6", "1.1.4")
        + (stig("CISC-ND-001370", "authenticate administrators before granting access"),),
        tags=("aaa", "authentication", "CWE-287"),
    )

    def check(self, device) -> Iterator[Found]:
        for section in device.vty_sections():
            methods = device.login_methods(section)
            if not methods or "none" not in methods or not section.accepts_connections:
                continue
            if self.capped():
                yield CAPPED
                continue
            name = section.settings.login_list or "default"
            kept = [m for m in methods if m != "none"]
            if "local" not in kept:
                kept.append("local")
            changes = user_first(device) + [define_list(name, kept)]
            yield self.finding(
                message=f"{section.name} AAA login list {name} ends in none: login without credentials is possible",
                section=section.name,
                line=section.settings.login_line or section.header_line,
                evidence=f"aaa authentication login {name} {' '.join(methods)}",
                applicability=Applicability.NEEDS_INPUT if len(changes) > 1 else Applicability.UNSAFE,
                changes=changes,
                note=f"Changes list {name} for every line using it; local users are the fallback during AAA outages.",
            )
