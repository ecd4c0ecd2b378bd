"""LIN002 console-no-auth: the console gives a shell without authentication.

## What it does
Flags `line con 0` when its effective authentication is none: without AAA,
no `login` (the console default) or `login` with no password (IOS then
reports "Login disabled on line 0, until 'password' is set" and lets you in);
with `aaa new-model`, a list whose first method is `none`, or no list at all
(the console is exempt from the implicit local default).

## Why is this bad?
Anyone with physical access, or access to the terminal server the console is
cabled to, gets a shell.

## Example
    line con 0
     exec-timeout 5 0

Use instead:

    username admin privilege 15 algorithm-type scrypt secret <NEW-SECRET-ADMIN>
    line con 0
     login local

## Fix safety
Unsafe: the console is the last way in. Make sure the user exists and works
(test over SSH first); needs input when no user with a secret exists.

## References
Cisco IOS Security Configuration Guide, "Configuring Security with Passwords,
Privileges, and Logins" and "Configuring Authentication"; CIS Cisco IOS 15
Benchmark 1.1.4 (login authentication for 'line con 0'); DISA STIG CISC-ND-001370.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, Change, Phase, Severity
from auditor.model import LineKind, LoginMode
from auditor.remediation import needs_local_user
from auditor.rule import CAPPED, Found, Rule, RuleMeta, cis, stig
from rules._aaa import define_list, user_first


class ConsoleNoAuth(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="LIN002",
        name="console-no-auth",
        severity=Severity.MEDIUM,
        summary="The console needs no authentication",
        references=cis("Set 'login authentication' for 'line con 0'", "1.1.4") + (stig("CISC-ND-001370", "authenticate administrators before granting access"),),
        tags=("console", "authentication"),
    )

    def check(self, device) -> Iterator[Found]:
        for section in device.sections:
            if section.kind is not LineKind.CON:
                continue
            if self.capped():
                yield CAPPED
                continue
            s = section.settings
            if s.login is LoginMode.AAA:
                methods = device.login_methods(section)
                if not methods or methods[0] != "none":
                    continue
                changes = user_first(device) + [
                    define_list("CONSOLE", ["local"]),
                    Change(phase=Phase.LINES, parent=section.name, lines=("login authentication CONSOLE",), order=10),
                ]
            elif s.login is LoginMode.NONE or (s.login is LoginMode.PASSWORD and s.password_type is None):
                changes = user_first(device) + [Change(phase=Phase.LINES, parent=section.name, lines=("login local",), order=10)]
            else:
                continue
            line = s.login_line or section.header_line
            yield self.finding(
                message=f"{section.name} gives a shell without authentication" + (" (the config has no `line con 0`: the console keeps its defaults)" if section.implicit else ""),
                section=section.name,
                line=line,
                evidence=device.text_at(line) if s.login_line else device.header_evidence(section),
                applicability=Applicability.NEEDS_INPUT if needs_local_user(device) else Applicability.UNSAFE,
                changes=changes,
                note="The console is the last way in: test the local user before you log out.",
            )
