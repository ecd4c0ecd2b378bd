"""PWD006 no-password-encryption: `service password-encryption` is not configured.

## What it does
Flags a config without `service password-encryption` (or with `no service
password-encryption`).

## Why is this bad?
Without it, line passwords and other type-0 passwords are shown in clear in
`show running-config` and in every backup. Type 7 is reversible, so this only
protects against shoulder-surfing — but that is the minimum (the real fix is
secrets and local users, see PWD001/PWD002).

## Example
    no service password-encryption

Use instead:

    service password-encryption

## Fix safety
Safe: it changes how passwords are stored, not what they are.

## References
CIS Cisco IOS 15 and IOS XE 17.x Benchmarks 1.4.2 ('service password-encryption'); DISA STIG
CISC-ND-000620.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, Change, Phase, Severity
from auditor.rule import Found, Rule, RuleMeta, cis, stig


class NoPasswordEncryption(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="PWD006",
        name="no-password-encryption",
        severity=Severity.LOW,
        summary="service password-encryption is absent",
        references=cis("Enable 'service password-encryption'", "1.4.2", "1.4.2") + (stig("CISC-ND-000620", "only store cryptographic representations of passwords"),),
        tags=("password", "CWE-256"),
    )

    def check(self, device) -> Iterator[Found]:
        if device.service_password_encryption:
            return
        line = device.first_config_line
        yield self.finding(
            message="service password-encryption is not configured: type-0 passwords show in clear",
            section="global",
            line=line,
            evidence="(no `service password-encryption` configured)",  # what is missing, not whatever line comes first
            applicability=Applicability.SAFE,
            changes=[Change(phase=Phase.USERS, lines=("service password-encryption",))],
            note="Changes only how passwords are stored.",
        )
