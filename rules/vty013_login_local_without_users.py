"""VTY013 login-local-without-users: local login with an empty user database.

## What it does
Flags VTY lines accepting connections that authenticate against the local
user database (`login local`, an AAA list ending in `local`, or `aaa
new-model` with no default list) when the config has no `username` at all.

## Why is this bad?
Nobody can log in through those lines: the first outage of the AAA servers,
or the first remote login after a reload, is a lockout — and the usual "fix"
under pressure is `no login`.

## Example
    line vty 0 4
     login local

Use instead:

    username admin privilege 15 algorithm-type scrypt secret <NEW-SECRET-ADMIN>
    line vty 0 4
     login local

## Fix safety
Needs input: the user name and secret.

## References
Cisco IOS Security Configuration Guide, "Configuring Security with Passwords,
Privileges, and Logins" (`login local`) and "Configuring Authentication" (no
default list: local database). No CIS or STIG item names it; it runs in
the `all` profile only.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, Severity
from auditor.model import LoginMode
from auditor.rule import CAPPED, Found, Rule, RuleMeta
from rules._aaa import user_first


class LoginLocalWithoutUsers(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="VTY013",
        name="login-local-without-users",
        severity=Severity.MEDIUM,
        summary="login local (or an AAA list ending in local) with no username defined",
        references=(),
        tags=("authentication",),
    )

    def check(self, device) -> Iterator[Found]:
        if device.users:
            return
        for section in device.vty_sections():
            methods = device.login_methods(section) or ()
            local = section.settings.login is LoginMode.LOCAL or (methods and methods[-1] == "local")
            if not local or not section.accepts_connections:
                continue
            if self.capped():
                yield CAPPED
                continue
            line = section.settings.login_line or section.header_line
            yield self.finding(
                message=f"{section.name} authenticates against local users, but no username is defined",
                section=section.name,
                line=line,
                evidence=device.text_at(line) if section.settings.login_line else device.header_evidence(section),
                applicability=Applicability.NEEDS_INPUT,
                changes=user_first(device),
                note="Create the user before you rely on local login.",
            )
