"""PWD009 user-without-password: a local user logs in with no password at all.

## What it does
Flags a `username X nopassword` user while some line accepting logins
(VTY, console or aux) authenticates against the local user database: `login
local`, or an AAA login list with the `local` method (with `aaa new-model` and
no default list, VTY lines use the local database too). A user whose later
`username X secret ...` line replaced `nopassword` is not flagged: the last
credential form of a user is the one in effect.

## Why is this bad?
Whoever can reach the line and knows (or guesses) the user name is logged in
without a credential; at privilege 15 that is full control of the device
(CWE-521, CWE-306). Names such as `admin`, `cisco` or `support` are the first
anyone tries.

## Example
    username support privilege 15 nopassword
    line vty 0 4
     login local

Use instead:

    no username support
    username support privilege 15 algorithm-type scrypt secret <NEW-SECRET-SUPPORT>

## Fix safety
Needs input: the new secret. `no username X` asks `[confirm]` on IOS 15.x and
IOS-XE (the script pauses there), and removes every `username X` line, so the
user is re-created with every attribute it had (privilege, view, autocommand).
Whoever used the account needs the new secret before the change.

## References
CIS Cisco IOS 15 and IOS XE 17.x Benchmarks 1.4.3 ('Set username secret for
all local users': a user with no secret at all fails it first); Cisco IOS
Security Command Reference, `username` (`nopassword`: "no password is required
for this user to log in").
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, Severity
from auditor.model import LineKind, LoginMode
from auditor.rule import Found, Rule, RuleMeta, cis


class UserWithoutPassword(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="PWD009",
        name="user-without-password",
        severity=Severity.CRITICAL,
        summary="a local user with nopassword, where a line logs in against local users",
        references=cis("Set 'username secret' for all local users", "1.4.3", "1.4.3"),
        tags=("password", "authentication", "CWE-306"),
    )

    def check(self, device) -> Iterator[Found]:
        users = [u for u in device.users.values() if u.nopassword is not None]
        if not users:
            return
        lines = [s.name for s in device.sections if _local_login(device, s)]
        if not lines:
            return
        from auditor.remediation import recreate_user

        for user in users:
            level = user.privilege if user.privilege is not None else 1
            yield self.finding(
                message=f"user {user.name} (privilege {level}) logs in with no password through {', '.join(lines[:3])}" + (f" and {len(lines) - 3} more" if len(lines) > 3 else ""),
                section=f"username {user.name}",
                line=user.nopassword,
                evidence=device.text_at(user.nopassword),
                severity=Severity.CRITICAL if level >= 15 else Severity.HIGH,
                applicability=Applicability.NEEDS_INPUT,
                changes=recreate_user(device, user),
                note="The user is removed and re-created with a secret and every attribute it had; tell whoever uses it the new secret first.",
            )


def _local_login(device, section) -> bool:
    """The section takes logins checked against the local user database."""
    if section.kind is LineKind.VTY and not section.accepts_connections:
        return False
    if section.kind is LineKind.AUX and not section.settings.exec_enabled:
        return False
    if section.settings.login is LoginMode.LOCAL:
        return True
    methods = device.login_methods(section) or ()
    return "local" in methods or "local-case" in methods
