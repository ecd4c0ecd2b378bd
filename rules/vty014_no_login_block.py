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
    login quiet-mode access-class MGMT

## Fix safety
Unsafe: during a quiet period every login is refused, including yours, unless
`login quiet-mode access-class` exempts the management network. The fix names
the restrictive ACL the VTY lines already use (when they share one), else the
`--acl-name` ACL when the script defines it from `--mgmt-net` or the config
has it; never an ACL that does not exist. `login block-for` comes first. The
values are parameters (`block_for`, `attempts`, `within`); the `stig` profile
uses DISA CISC-ND-000150's 900 s, 3 attempts, 120 s. Releases: `login
block-for` and `login quiet-mode` exist from 12.3(4)T and 12.2(33)SRA on
(Cisco IOS Login Enhancements), so on every 12.4, 15.x and IOS-XE release.

## References
Cisco IOS Security Configuration Guide, "Cisco IOS Login Enhancements
(Login Block)"; no CIS benchmark item; DISA STIG CISC-ND-000150.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, Change, Phase, Severity
from auditor.rule import Found, Rule, RuleMeta, stig


class NoLoginBlock(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="VTY014",
        name="no-login-block",
        severity=Severity.LOW,
        summary="no login block-for: no brute-force protection",
        references=(stig("CISC-ND-000150", "limit of three consecutive invalid logon attempts"),),
        tags=("authentication", "CWE-307"),
    )

    block_for: int = 120  # seconds of quiet period
    attempts: int = 5
    within: int = 60  # seconds

    def check(self, device) -> Iterator[Found]:
        from auditor.remediation import acl_is_restrictive

        if device.login_block_for or not any(s.accepts_connections for s in device.vty_sections()):
            return
        # `login block-for` first: the other `login` commands need it (CIS orders them so).
        lines = [f"login block-for {self.block_for} attempts {self.attempts} within {self.within}"]
        # Exempt the addresses the VTY lines already admit, by the ACL they really use; else
        # the management ACL when this run's script defines it; never an ACL that does not exist.
        used = {s.settings.access_class_in.name for s in device.vty_sections() if s.accepts_connections and s.settings.access_class_in}
        usable = sorted(n for n in used if acl_is_restrictive(device.acls.get(n), device.object_groups))
        acl = usable[0] if len(usable) == 1 else (self.options.acl_name if self.options.mgmt_nets or acl_is_restrictive(device.acls.get(self.options.acl_name), device.object_groups) else None)
        if acl is not None:
            lines.append(f"login quiet-mode access-class {acl}")
        line = device.first_config_line
        yield self.finding(
            message="no login block-for: unlimited login attempts",
            section="global",
            line=line,
            evidence="(no `login block-for` configured)",  # what is missing, not whatever line comes first
            applicability=Applicability.UNSAFE,
            changes=[Change(phase=Phase.CLEANUP, lines=tuple(lines))],
            note="During a quiet period all logins are refused except from the quiet-mode access-class.",
        )
