"""VTY011 login-method-undefined: a line names an AAA login list that does not exist.

## What it does
With `aaa new-model`, flags lines whose `login authentication LIST` names a
method list that no `aaa authentication login LIST ...` defines.

## Why is this bad?
IOS accepts the reference and warns only once; the line then has no working
authentication method: logins fail (a lockout waiting to happen) or, on some
releases, fall back to methods nobody reviewed. Usually a typo or a list
removed later.

## Example
    aaa new-model
    aaa authentication login VTY-AUTH group tacacs+ local
    line vty 0 4
     login authentication VTY-AUHT

Use instead:

    line vty 0 4
     login authentication VTY-AUTH

## Fix safety
Needs input when no local user with a secret exists. The fix defines the
missing list as `local` (with a user first), which lets the lines' intended
operators in with local credentials; rename the list if it was a typo.

## References
Cisco IOS Security Configuration Guide, "Configuring Authentication"
(`login authentication` must reference a defined list); CIS Cisco IOS 15
Benchmark 1.1.2 / 1.1.6 and IOS XE 17.x Benchmark 1.1.2 / 1.1.4; DISA STIG
CISC-ND-001370.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, Severity
from auditor.rule import CAPPED, Found, Rule, RuleMeta, cis, stig
from rules._aaa import define_list, user_first


class LoginMethodUndefined(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="VTY011",
        name="login-method-undefined",
        severity=Severity.MEDIUM,
        summary="login authentication names an AAA method list that is not defined",
        references=cis("Enable 'aaa authentication login'", "1.1.2", "1.1.2")
        + cis("Set 'login authentication' for 'line vty'", "1.1.6", "1.1.4")
        + (stig("CISC-ND-001370", "authenticate administrators before granting access"),),
        tags=("aaa", "authentication"),
    )

    def check(self, device) -> Iterator[Found]:
        for section in device.sections:
            if device.login_methods(section) is not None:
                continue
            if self.capped():
                yield CAPPED
                continue
            name = section.settings.login_list
            changes = user_first(device) + [define_list(name, ["local"])]
            line = section.settings.login_line or section.header_line
            yield self.finding(
                message=f"{section.name} uses AAA login list {name}, which is not defined",
                section=section.name,
                line=line,
                evidence=device.text_at(line),
                applicability=Applicability.NEEDS_INPUT if len(changes) > 1 else Applicability.SAFE,
                changes=changes,
                note=f"Defines {name} as local authentication; if {name} is a typo, point the line at the right list instead.",
            )
