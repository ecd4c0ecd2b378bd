"""PWD005 weak-secret-hash: enable or user secrets hashed with type 4 or 5.

## What it does
Flags `enable secret` and `username ... secret` stored as type 5 (salted MD5)
or type 4 (a single unsalted SHA-256 round, withdrawn by Cisco).

## Why is this bad?
Type 5 and type 4 hashes fall to offline cracking on commodity GPUs; Cisco
recommends type 8 (PBKDF2-SHA-256) or type 9 (scrypt).

## Example
    enable secret 5 $1$Xy7q$3kLqz0aP1mC9dRt5vW2nE.

Use instead:

    enable algorithm-type scrypt secret <NEW-ENABLE-SECRET>

## Fix safety
Needs input: a new secret. Replacing a secret does not end sessions.
Releases: types 8 and 9 (`algorithm-type sha256|scrypt`) arrived in 15.3(3)M
and IOS-XE 3.10S. On an older release (`version` 15.2 or below) nothing
stronger than type 5 exists: the finding stays, with no script, and says to
upgrade. Where the release is unknown the scrypt form is offered with that
caveat: if the release refuses it, the old secret is untouched.

## Platforms
IOS / IOS-XE, and IOS-XR, where `secret 5` under `username NAME` is MD5 and
`secret 8|9|10` (PBKDF2, scrypt, SHA-512) are not flagged. The IOS-XR fix is
`secret 0 <NEW-SECRET-NAME>` under the user, which the router hashes with
its release's default type: check that it prints 8, 9 or 10 afterwards. A
line template's `secret 5` is flagged too, and gets a new secret in the
template where it is written (`line default` for what the console and the
VTY templates inherit).
Source: Cisco IOS XR System Security Command Reference, `username` / `secret`.

## References
Cisco Security Response cisco-sr-20130318-type4 (type 4 weakness) and
"Cisco IOS Password Encryption Facts"; (the CIS benchmarks' 1.4.x items accept type 5; this rule is stricter);
DISA STIG CISC-ND-000620.
"""

from typing import ClassVar, Iterator

from auditor.findings import Severity
from auditor.platforms import platform_of
from auditor.rule import CAPPED, Found, Rule, RuleMeta, stig
from rules._credentials import line_credentials

WEAK = {4: "type 4 (unsalted SHA-256)", 5: "type 5 (MD5)"}


class WeakSecretHash(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="PWD005",
        name="weak-secret-hash",
        severity=Severity.MEDIUM,
        summary="enable or username secret hashed with type 4 or 5; use 8 or 9",
        references=(stig("CISC-ND-000620", "only store cryptographic representations of passwords"),),
        tags=("password", "CWE-916"),
        platforms=("ios", "iosxr"),
    )

    def check(self, device) -> Iterator[Found]:
        platform = platform_of(device)
        secret = device.enable_secret
        if secret is not None and secret.type in WEAK:
            applicability, changes, note = platform.stronger_secret(device, None)
            yield self.finding(
                message=f"enable secret is {WEAK[secret.type]}",
                section="global",
                line=secret.line,
                evidence=device.text_at(secret.line),
                applicability=applicability,
                changes=changes,
                note=note,
            )
        for level, credentials in device.enable_levels.items():
            if credentials.secret is None or credentials.secret.type not in WEAK:
                continue
            applicability, changes, note = platform.stronger_secret(device, None, level=level)
            yield self.finding(
                message=f"enable secret of level {level} is {WEAK[credentials.secret.type]}",
                section="global",
                line=credentials.secret.line,
                evidence=device.text_at(credentials.secret.line),
                applicability=applicability,
                changes=changes,
                note=note,
            )
        weak_secret = lambda s: s.secret is not None and s.secret.type in WEAK  # noqa: E731 - IOS-XR templates: `secret 5 HASH`
        for fields in line_credentials(self, device, weak_secret, platform.line_secret):
            if fields is CAPPED:
                yield fields
                continue
            kind = next(s.settings.secret.type for s in device.sections if s.settings.secret and s.settings.secret.line == fields["line"])
            yield self.finding(message=f"{fields['section']} secret is {WEAK[kind]}", **fields)
        for user in device.users.values():
            cred = user.secret
            if cred is None or cred.type not in WEAK:
                continue
            if self.capped():
                yield CAPPED
                continue
            applicability, changes, note = platform.stronger_secret(device, user)
            yield self.finding(
                message=f"user {user.name} secret is {WEAK[cred.type]}",
                section=f"username {user.name}",
                line=cred.line,
                evidence=device.text_at(cred.line),
                applicability=applicability,
                changes=changes,
                note=note,
            )
