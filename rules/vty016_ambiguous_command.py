"""VTY016 ambiguous-command: an abbreviated command could be more than one command.

## What it does
Flags a command whose abbreviated keyword is the prefix of more than one
keyword valid at that point (`l vty 5 15`, `log`, `transport input t`), where
one of the candidates is a command this audit reads. Unique abbreviations
(`transport inp telnet`, `no logi`, `access-cl MGMT in`) are not findings:
they are expanded and audited as the device applies them.

## Why is this bad?
IOS answers "% Ambiguous command" and applies nothing, so the config in the
repository does not say what the device does: a `line` block or a
`transport input` meant to close Telnet may never have been applied, and the
settings the audit sees are not the device's. An attacker can also use
abbreviations to make a config read differently to a reviewer and to a tool.

## Example
    line vty 0 4
     log local

Use instead:

    line vty 0 4
     login local

## Fix safety
Needs input: only the author knows which command was meant. Write every
keyword out in full, as the device prints it in `show running-config`.

## References
Cisco IOS Configuration Fundamentals Configuration Guide, "Using the Cisco IOS
Command-Line Interface" (abbreviated commands must be unique); no CIS
benchmark item or DISA STIG id.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, Finding, Severity
from auditor.rule import Rule, RuleMeta


class AmbiguousCommand(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="VTY016",
        name="ambiguous-command",
        severity=Severity.MEDIUM,
        confidence="medium",
        summary="an abbreviated command is ambiguous: the device applies nothing",
        tags=("config-integrity",),
    )

    def check(self, device) -> Iterator[Finding]:
        for item in device.ambiguous_commands:
            yield self.finding(
                message=f"`{item.word}` is ambiguous ({', '.join(item.candidates)}): the device refuses the command",
                section="config",
                line=item.line,
                evidence=device.text_at(item.line),
                applicability=Applicability.NEEDS_INPUT,
                changes=(),
                note="Write the command out in full.",
            )
