"""PWD003 enable-password: `enable password` is in use.

## What it does
Flags an `enable password` command (any type, any level) that is still in
effect. `enable secret` takes precedence when both exist, but the password
is still in the config, in clear or reversible form.

## Why is this bad?
`enable password` is stored in clear (type 0) or as reversible type 7;
whoever reads the config gets privileged EXEC.

## Example
    enable password Tr4nsit-Lab

Use instead:

    enable algorithm-type scrypt secret <NEW-SECRET>
    no enable password

## Fix safety
Needs input: the new secret. The secret is set before the password is
removed, so enable mode is never left without a credential.

## References
CIS Cisco IOS 15 and IOS XE 17.x Benchmarks 1.4.1 ('enable secret'); DISA STIG CISC-ND-000620.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, Change, Finding, Phase, Severity
from auditor.remediation import PLACEHOLDER_SECRET
from auditor.rule import Rule, RuleMeta, cis, stig


class EnablePassword(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="PWD003",
        name="enable-password",
        severity=Severity.MEDIUM,
        summary="enable password is used instead of enable secret",
        references=cis("Set 'password' for 'enable secret'", "1.4.1", "1.4.1") + (stig("CISC-ND-000620", "only store cryptographic representations of passwords"),),
        tags=("password", "CWE-256"),
    )

    def check(self, device) -> Iterator[Finding]:
        cred = device.enable_password
        if cred is None:
            return
        changes = [Change(phase=Phase.CLEANUP, lines=("no enable password",))]
        if device.enable_secret is None or device.enable_secret.type in (0, 5, 7):
            changes.insert(0, Change(phase=Phase.ENABLE, lines=(f"enable algorithm-type scrypt secret {PLACEHOLDER_SECRET}",)))
        yield self.finding(
            message=f"enable password is stored as type {cred.type}; use enable secret",
            section="global",
            line=cred.line,
            evidence=device.text_at(cred.line),
            applicability=Applicability.NEEDS_INPUT if len(changes) > 1 else Applicability.SAFE,
            changes=changes,
            note="The new enable secret is set before the old password is removed.",
        )
