"""PWD007 masked-credential: a backup tool hid a credential, so its type is unknown.

## What it does
Flags credentials whose value a config backup tool replaced: Oxidized writes
`password <secret hidden>` (and drops the type digit), RANCID and NAPALM
`<removed>`, others `*****`. Line passwords, `enable password|secret` and
`username ... password|secret` are covered.

## Why is this bad?
It is not a fault of the device: it says what this audit cannot know. The
stored form (clear, type 7, a hash) is not in the file, so PWD001/PWD002 cannot
judge a masked line password. Audit the device itself (`scan --inventory`) to
see the stored type; a `password` keyword is reported by PWD003/PWD004 anyway,
since it is reversible in every form.

## Example
    line vty 0 4
     password <secret hidden>

Use instead: audit the running-config pulled from the device.

## Fix safety
Nothing to paste: the finding is informational.

## References
Oxidized `remove_secret` and RANCID `filter_pwds` behaviour; no CIS benchmark
item or DISA STIG id.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, Severity
from auditor.model import MASKED
from auditor.rule import CAPPED, Found, Rule, RuleMeta


class MaskedCredential(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="PWD007",
        name="masked-credential",
        severity=Severity.INFO,
        summary="a credential was masked by a backup tool: its stored type is unknown",
        tags=("password", "audit-coverage"),
    )

    def check(self, device) -> Iterator[Found]:
        found: list[tuple[str, int]] = []
        for section in device.sections:
            if section.settings.password_type == MASKED:
                found.append((section.name, section.settings.password_line or section.header_line))
        for key, cred in (("enable password", device.enable_password), ("enable secret", device.enable_secret)):
            if cred is not None and cred.masked:
                found.append(("global", cred.line))
        for user in device.users.values():
            for cred in (user.password, user.secret):
                if cred is not None and cred.masked:
                    found.append((f"username {user.name}", cred.line))
        for section, line in found:
            if self.capped():
                yield CAPPED
                continue
            yield self.finding(
                message="credential type unknown: the value was masked by a backup tool",
                section=section,
                line=line,
                evidence=device.text_at(line),
                applicability=Applicability.SAFE,
                changes=(),
                note="Audit the config pulled from the device to judge how it is stored.",
            )
