"""VTY014 no-login-block: no brute-force protection for logins.

## What it does
Flags a device whose VTY lines accept connections and that has no
`login block-for` command.

## Why is this bad?
Without it, an attacker can try passwords as fast as the device answers.
`login block-for` enters a quiet period after repeated failures.

## Example
    (no login block-for)

Use instead:

    login block-for 120 attempts 5 within 60

## Fix safety
Unsafe: during a quiet period every login is refused, including yours, unless
`login quiet-mode access-class` exempts the management network. The fix
exempts the management ACL when the config has one named `--acl-name`.

## References
Cisco IOS Security Configuration Guide, "Cisco IOS Login Enhancements
(Login Block)"; no CIS benchmark item; DISA STIG CISC-ND-000150.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, Change, Finding, Phase, Severity
from auditor.rule import Rule, RuleMeta, stig


class NoLoginBlock(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="VTY014",
        name="no-login-block",
        severity=Severity.LOW,
        summary="no login block-for: no brute-force protection",
        references=(stig("CISC-ND-000150", "limit of three consecutive invalid logon attempts"),),
        tags=("authentication", "CWE-307"),
    )

    def check(self, device) -> Iterator[Finding]:
        if device.login_block_for or not any(s.accepts_connections for s in device.vty_sections()):
            return
        lines = ["login block-for 120 attempts 5 within 60"]
        acl = self.options.acl_name
        if acl in device.acls or self.options.mgmt_nets:
            lines.insert(0, f"login quiet-mode access-class {acl}")
        line = device.first_config_line
        yield self.finding(
            message="no login block-for: unlimited login attempts",
            section="global",
            line=line,
            evidence=device.text_at(line),
            applicability=Applicability.UNSAFE,
            changes=[Change(phase=Phase.CLEANUP, lines=tuple(lines))],
            note="During a quiet period all logins are refused except from the quiet-mode access-class.",
        )
