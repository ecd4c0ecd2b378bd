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
    username admin privilege 15 algorithm-type scrypt secret <NEW-SECRET-ADMIN>

## Fix safety
Needs input: the new secret. IOS refuses a `secret` for a user that has a
`password`, so the user is removed and re-created in the same paste, with
every attribute it had (`privilege`, `view`, `access-class` on its line, and
each other `username NAME ...` line: `autocommand`, `nohangup`, `noescape`,
`one-time`...), since `no username` removes them all. The secret uses
`algorithm-type scrypt` only where the release surely has it (IOS 15.4 /
IOS-XE or later: it arrived in 15.3(3)M and IOS-XE 3.10S), else
`secret <clear>`, which every release accepts. Keep your session open (a
logged-in session survives). Newer releases ask to confirm `no username`.

A PPP peer (a `dialer remote-name` or `ppp chap hostname` name, or, where
interfaces authenticate PPP, a user without privilege) is left alone: CHAP and
PAP need the shared secret in recoverable form, and a `secret` would break
the link. So is a VPN client where FlexVPN authenticates by EAP
(`authentication remote eap` in an IKEv2 profile, or `aaa authentication
eap`) and the user has no CLI privilege: EAP-MSCHAPv2 against local users needs
the password in recoverable form too. The finding says so and asks for
`service password-encryption`.

## Platforms
IOS / IOS-XE, and NX-OS, where `username NAME password 5 HASH` is a one-way
hash (no finding; `password 5 !` is a locked account) and `password 0 TEXT`
or an untyped password is clear text: NX-OS hashes what it is given, so
clear text is found in intended configs. The NX-OS fix is `username NAME
password <NEW-SECRET-NAME>`, which keeps the user's roles. Source: Cisco
Nexus 9000 Series NX-OS Security Configuration Guide, "Configuring User
Accounts and RBAC".

IOS-XR: `password [0|7] VALUE` under `username NAME` is recoverable; `secret
5|8|9|10 HASH` is not. The fix, under `username NAME`, is `secret 0
<NEW-SECRET-NAME>` (the router hashes it) and `no password`, in one commit;
the user's groups are kept.

## References
CIS Cisco IOS 15 and IOS XE 17.x Benchmarks 1.4.3 (username secret); DISA STIG CISC-ND-000620.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, Change, Phase, Severity
from auditor.platforms import platform_of
from auditor.rule import CAPPED, Found, Rule, RuleMeta, cis, stig


class UsernamePassword(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="PWD004",
        name="username-password",
        severity=Severity.MEDIUM,
        summary="A local user is defined with password (type 0/7) instead of secret",
        references=cis("Set 'username secret' for all local users", "1.4.3", "1.4.3") + (stig("CISC-ND-000620", "only store cryptographic representations of passwords"),),
        tags=("password", "CWE-256"),
        platforms=("ios", "nxos", "asa", "iosxr"),
    )

    def check(self, device) -> Iterator[Found]:
        for user in device.users.values():
            cred = user.password
            if cred is None:
                continue
            if self.capped():
                yield CAPPED  # counted, not built: past the cap a re-created user is not worth 100 µs each
                continue
            if device.ppp_peer(user):
                kind = "a PPP peer's" if device.ppp_authentication or user.name in device.ppp_peers else "a VPN (EAP) client's"
                message = f"user {user.name} has a password stored as {_stored(cred)}: {kind}, which must stay reversible"
                applicability = Applicability.UNSAFE
                changes = [] if device.service_password_encryption else [Change(phase=Phase.USERS, lines=("service password-encryption",))]
                note = (
                    "CHAP/PAP and EAP-MSCHAPv2 need the shared secret in recoverable form: a `secret` breaks the link "
                    "(or the VPN login) at its next authentication. Left as it is; keep `service password-encryption` on, and limit the user "
                    "(no privilege, `autocommand exit`) so it cannot log in to the CLI."
                )
            else:
                message = f"user {user.name} has a password stored as {_stored(cred)}; {platform_of(device).password_advice}"
                applicability, changes, note = platform_of(device).replace_password(device, user)
            yield self.finding(
                message=message,
                section=f"username {user.name}",
                line=cred.line,
                evidence=device.text_at(cred.line),
                applicability=applicability,
                changes=changes,
                note=note,
            )


def _stored(cred) -> str:
    return "an unknown type (masked by a backup tool)" if cred.masked else f"type {cred.type}"
