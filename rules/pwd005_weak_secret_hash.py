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

## References
Cisco Security Response cisco-sr-20130318-type4 (type 4 weakness) and
"Cisco IOS Password Encryption Facts"; (the CIS benchmarks' 1.4.x items accept type 5; this rule is stricter);
DISA STIG CISC-ND-000620.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, Change, Finding, Phase, Severity
from auditor.remediation import PLACEHOLDER_ENABLE_SECRET, user_secret_placeholder
from auditor.rule import Rule, RuleMeta, stig

WEAK = {4: "type 4 (unsalted SHA-256)", 5: "type 5 (MD5)"}


class WeakSecretHash(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="PWD005",
        name="weak-secret-hash",
        severity=Severity.MEDIUM,
        summary="enable or username secret hashed with type 4 or 5; use 8 or 9",
        references=(stig("CISC-ND-000620", "only store cryptographic representations of passwords"),),
        tags=("password", "CWE-916"),
    )

    def check(self, device) -> Iterator[Finding]:
        release = device.release
        scrypt = release.supports("scrypt")
        if scrypt is False:
            # Nothing stronger than type 5 exists on this release: a new secret would be type 5 again.
            fixable, note = False, f"{release.describe()} stores no stronger hash (types 8/9 arrived in 15.3(3)M): upgrade."
        else:
            fixable = True
            note = "Set a new secret with scrypt (type 9)." + ("" if scrypt else f" Needs 15.3(3)M / IOS-XE 3.10S or later; {release.describe()}.")
        secret = device.enable_secret
        if secret is not None and secret.type in WEAK:
            yield self.finding(
                message=f"enable secret is {WEAK[secret.type]}",
                section="global",
                line=secret.line,
                evidence=device.text_at(secret.line),
                applicability=Applicability.NEEDS_INPUT if fixable else Applicability.UNSAFE,
                changes=[Change(phase=Phase.ENABLE, lines=(f"enable algorithm-type scrypt secret {PLACEHOLDER_ENABLE_SECRET}",))] if fixable else [],
                note=note,
            )
        for user in device.users.values():
            cred = user.secret
            if cred is None or cred.type not in WEAK:
                continue
            privilege = f" privilege {user.privilege}" if user.privilege is not None else ""
            yield self.finding(
                message=f"user {user.name} secret is {WEAK[cred.type]}",
                section=f"username {user.name}",
                line=cred.line,
                evidence=device.text_at(cred.line),
                applicability=Applicability.NEEDS_INPUT if fixable else Applicability.UNSAFE,
                changes=[
                    Change(
                        phase=Phase.USERS,
                        lines=(f"username {user.name}{privilege} algorithm-type scrypt secret {user_secret_placeholder(user.name)}",),
                    )
                ] if fixable else [],
                note=note + (" The user's sessions are not affected." if fixable else ""),
            )
