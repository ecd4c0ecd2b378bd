"""PWD002 reversible-line-password: a line password is stored as type 7.

## What it does
Flags `password 7 ...` on any vty, console or aux line.

## Why is this bad?
Type 7 is a reversible Vigenère-style obfuscation, not a hash: free tools
decode it instantly. A config with type 7 passwords is a config with clear
text passwords. (This tool never decodes them in its reports.)

## Example
    line vty 0 4
     password 7 045802150C2E
     login

Use instead:

    username admin privilege 15 algorithm-type scrypt secret <NEW-SECRET-ADMIN>
    line vty 0 4
     login local
     no password

## Fix safety
As PWD001: needs input when no user with a secret exists; unsafe for whoever
still uses the shared password.

## Platforms
IOS / IOS-XE, and IOS-XR line templates (`password 7 VALUE` in `line
default`, `line template NAME` or `line console`), fixed as PWD001 fixes them
there: a `secret` in its place where a login list has the `line` method, else
`no password`.

## References
Cisco, "Cisco IOS Password Encryption Facts" (type 7 is reversible); DISA STIG
CISC-ND-000620. (The CIS benchmarks accept type 7; this rule is stricter.)
"""

from typing import ClassVar, Iterator

from auditor.findings import Severity
from auditor.platforms import platform_of
from auditor.rule import CAPPED, Found, Rule, RuleMeta, stig
from rules._credentials import line_credentials


class ReversibleLinePassword(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="PWD002",
        name="reversible-line-password",
        severity=Severity.MEDIUM,
        summary="A line password is stored as reversible type 7",
        references=(stig("CISC-ND-000620", "only store cryptographic representations of passwords"),),
        tags=("password", "CWE-261"),
        platforms=("ios", "iosxr"),
    )

    def check(self, device) -> Iterator[Found]:
        for fields in line_credentials(self, device, lambda s: s.password_type == 7, platform_of(device).replace_line_password):
            yield fields if fields is CAPPED else self.finding(message=f"{fields['section']} has a line password stored as reversible type 7", **fields)
