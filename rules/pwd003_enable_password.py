"""PWD003 enable-password: `enable password` is in use.

## What it does
Flags an `enable password` command (any type, any level) that is still in
effect. Each privilege level has its own: `enable password level 7 ...`
guards only `enable 7`, and its fix sets `enable secret level 7 ...` and
removes only that level's password; level 15 (no `level`) is privileged EXEC. `enable secret` takes precedence when both exist, but the password
is still in the config, in clear or reversible form.

## Why is this bad?
`enable password` is stored in clear (type 0) or as reversible type 7;
whoever reads the config gets privileged EXEC.

## Example
    enable password Tr4nsit-Lab

Use instead:

    enable algorithm-type scrypt secret <NEW-ENABLE-SECRET>
    no enable password

## Fix safety
Needs input: the new secret. The secret is set before the password is
removed, so enable mode is never left without a credential, and in a form the
release accepts: `algorithm-type scrypt` only where the `version` line (or
`--platform-version`) shows IOS 15.4 / IOS-XE or later (it arrived in
15.3(3)M and IOS-XE 3.10S); elsewhere `enable secret <clear>`, which every
release accepts and stores hashed. An existing type-5 enable secret is kept
(PWD005 covers its hash).

## References
CIS Cisco IOS 15 and IOS XE 17.x Benchmarks 1.4.1 ('enable secret'); DISA STIG CISC-ND-000620.
"""

from typing import ClassVar, Iterator

from auditor.findings import Severity
from auditor.platforms import platform_of
from auditor.rule import Found, Rule, RuleMeta, cis, stig


class EnablePassword(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="PWD003",
        name="enable-password",
        severity=Severity.MEDIUM,
        summary="enable password is used instead of enable secret",
        references=cis("Set 'password' for 'enable secret'", "1.4.1", "1.4.1") + (stig("CISC-ND-000620", "only store cryptographic representations of passwords"),),
        tags=("password", "CWE-256"),
        platforms=("ios", "asa"),
    )

    def check(self, device) -> Iterator[Found]:
        cred = device.enable_password
        if cred is not None:
            yield self._finding(device, cred, 15)
        for level, credentials in device.enable_levels.items():
            if credentials.password is not None:
                yield self._finding(device, credentials.password, level)

    def _finding(self, device, cred, level: int) -> Found:
        applicability, changes, note, advice = platform_of(device).replace_enable(device) if level == 15 else platform_of(device).replace_enable(device, level)
        what = "enable password" if level == 15 else f"enable password of level {level}"
        return self.finding(
            message=(f"{what} of an unknown type (masked by a backup tool)" if cred.masked else f"{what} is stored as type {cred.type}") + f"; {advice}",
            section="global",
            line=cred.line,
            evidence=device.text_at(cred.line),
            applicability=applicability,
            changes=changes,
            note=note,
        )
