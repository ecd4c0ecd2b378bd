"""PWD001 plaintext-line-password: a line password is stored in clear.

## What it does
Flags `password TEXT` or `password 0 TEXT` on any vty, console or aux line
(the effective one: a later `no password` clears it).

## Why is this bad?
Anyone who sees the config (backups, config repos, tickets, `show run` over a
shoulder) has the password. Line passwords are also shared by everyone, so
nobody is accountable.

## Example
    line vty 0 4
     password Tr4nsit-Lab
     login

Use instead:

    username admin privilege 15 algorithm-type scrypt secret <NEW-SECRET-ADMIN>
    line vty 0 4
     login local
     no password

## Fix safety
Needs input when no user with a secret exists (the fix creates one with a
placeholder). Unsafe: whoever logs in with the shared password afterwards
needs a username; `login local` is set before the password is removed.

## Platforms
IOS / IOS-XE, and ASA, whose one remote login password is `passwd` (Telnet
sessions, and SSH before 8.4, log in with it when no `aaa authentication ...
console` says otherwise): `passwd VALUE encrypted` is what the ASA prints, a
hash; without `encrypted` (an intended config) the value is in clear. The ASA
fix is `passwd <NEW-LOGIN-PASSWORD>`, which the ASA hashes. Source: Cisco ASA
Series Command Reference, `passwd`; ASA General Operations CLI Configuration
Guide, "Management Access".

IOS-XR: `password [0] VALUE` in a line template (`line default`, `line
template NAME`, `line console`; the console and VTY templates inherit what
they do not set from `line default`). Only a login list with the `line`
method uses it ("line: Use the line password or user group for
authentication", IOS XR System Security Configuration Guide, "Configuring
AAA Services"): there a `secret` replaces it in the same commit (needs
input); elsewhere `no password` changes no access (safe).

## References
CIS Cisco IOS 15 and IOS XE 17.x Benchmarks 1.4.2
(`service password-encryption`); DISA STIG CISC-ND-000620.
"""

from typing import ClassVar, Iterator

from auditor.findings import Severity
from auditor.rule import CAPPED, Found, Rule, RuleMeta, cis, stig
from auditor.platforms import platform_of
from rules._credentials import line_credentials


class PlaintextLinePassword(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="PWD001",
        name="plaintext-line-password",
        severity=Severity.HIGH,
        summary="A line password is stored in clear text (type 0)",
        references=cis("Enable 'service password-encryption'", "1.4.2", "1.4.2") + (stig("CISC-ND-000620", "only store cryptographic representations of passwords"),),
        tags=("password", "CWE-256"),
        platforms=("ios", "asa", "iosxr"),
    )

    def check(self, device) -> Iterator[Found]:
        login = device.login_password
        if login is not None and login.type == 0 and not login.masked:
            applicability, changes, note = platform_of(device).replace_login_password(device)
            yield self.finding(
                message="the remote login password (`passwd`) is stored in clear text",
                section="passwd",
                line=login.line,
                evidence=device.text_at(login.line),
                applicability=applicability,
                changes=changes,
                note=note,
            )
        for fields in line_credentials(self, device, lambda s: s.password_type == 0, platform_of(device).replace_line_password):
            yield fields if fields is CAPPED else self.finding(message=f"{fields['section']} has a line password stored in clear text", **fields)
