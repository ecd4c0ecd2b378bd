"""PWD004 username-password: a local user has a `password` instead of a `secret`.

## What it does
Flags `username NAME password ...` (type 0 or 7) still in effect (a later
`username NAME secret ...` or `no username NAME` clears it).

## Why is this bad?
Type 0 is clear text and type 7 is reversible: the account's password is
readable by anyone who sees the config. `secret` stores a one-way hash.

## Example
    username admin privilege 15 password 7 094F471A1A0A

Use instead:

    no username admin
    username admin privilege 15 algorithm-type scrypt secret <NEW-SECRET>

## Fix safety
Needs input: the new secret. IOS refuses a `secret` for a user that has a
`password`, so the user is removed and re-created in the same paste; keep your
session open (a logged-in session survives) and paste both lines together.
Newer releases ask to confirm `no username`.

## References
CIS Cisco IOS 15 and IOS XE 17.x Benchmarks 1.4.3 (username secret); DISA STIG CISC-ND-000620.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, Change, Finding, Phase, Severity
from auditor.rule import Rule, RuleMeta, cis, stig


class UsernamePassword(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="PWD004",
        name="username-password",
        severity=Severity.MEDIUM,
        summary="A local user is defined with password (type 0/7) instead of secret",
        references=cis("Set 'username secret' for all local users", "1.4.3", "1.4.3") + (stig("CISC-ND-000620", "only store cryptographic representations of passwords"),),
        tags=("password", "CWE-256"),
    )

    def check(self, device) -> Iterator[Finding]:
        for user in device.users.values():
            cred = user.password
            if cred is None:
                continue
            privilege = f" privilege {user.privilege}" if user.privilege is not None else ""
            secret = f"<NEW-SECRET-{user.name.upper()}>"
            changes = [
                Change(
                    phase=Phase.USERS,
                    lines=(f"no username {user.name}", f"username {user.name}{privilege} algorithm-type scrypt secret {secret}"),
                )
            ]
            yield self.finding(
                message=f"user {user.name} has a password stored as type {cred.type}; use a secret",
                section=f"username {user.name}",
                line=cred.line,
                evidence=device.text_at(cred.line),
                applicability=Applicability.NEEDS_INPUT,
                changes=changes,
                note="Paste both lines together: IOS refuses a secret for a user that still has a password.",
            )
