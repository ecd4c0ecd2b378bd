"""VTY016 refused-command: the device refuses a command the audit reads.

## What it does
Flags two kinds of command that IOS rejects with an error and does not apply:

* an abbreviated keyword that is the prefix of more than one keyword valid at
  that point (`l vty 5 15`, `log`, `transport input t`), where one of the
  candidates is a command this audit reads. Unique abbreviations (`transport
  inp telnet`, `no logi`, `access-cl MGMT in`) are not findings: they are
  expanded and audited as the device applies them;
* a `line` header with numbers IOS does not take: beyond `line vty 0 1869`,
  other than `line con 0` / `line aux 0`, or written with non-ASCII digits
  (`line vty ٣ 5`). The device stays in the mode it was in, so the
  sub-commands below such a header apply to the previous line block; the
  audit models exactly that, and never expands the range.

## Why is this bad?
IOS answers "% Ambiguous command" or "% Invalid input" and applies nothing,
so the config in the repository does not say what the device does: a `line` block or a
`transport input` meant to close Telnet may never have been applied, and the
settings the audit sees are not the device's. An attacker can also use
abbreviations to make a config read differently to a reviewer and to a tool.

## Example
    line vty 0 4
     log local

Use instead:

    line vty 0 4
     login local

## Platforms
IOS / IOS-XE as above. NX-OS, ASA and IOS-XR configs are read with keywords
written in full, as those devices print them; a keyword the audit reads
written as an abbreviation (`feature tel`, `tel vrf default ipv4 serv max 10`,
` access-cl ingress X`, `pass VALUE`) is reported here, because the device
may take it while the audit would not see it: an abbreviation can never hide
a command.

## Fix safety
Needs input: only the author knows which command was meant. Write every
keyword out in full, as the device prints it in `show running-config`, and
keep line numbers within what the platform has.

## References
Cisco IOS Configuration Fundamentals Configuration Guide, "Using the Cisco IOS
Command-Line Interface" (abbreviated commands must be unique); `line vty 0 ?`
answers <1-1869> (the IOS-XE YANG model's vty range is 0-1869); no CIS
benchmark item or DISA STIG id.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, Severity
from auditor.rule import Found, Rule, RuleMeta


class RefusedCommand(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="VTY016",
        name="refused-command",
        severity=Severity.MEDIUM,
        confidence="medium",
        summary="a command the device refuses (ambiguous abbreviation, impossible line number)",
        tags=("config-integrity",),
        platforms=("ios", "nxos", "asa", "iosxr"),
    )

    def check(self, device) -> Iterator[Found]:
        refused = [
            (item.line, f"`{item.word}` is ambiguous ({', '.join(item.candidates)}): the device refuses the command", "Write the command out in full.")
            if item.kind == "ambiguous"
            else (
                item.line,
                f"`{item.word}` abbreviates {' or '.join(f'`{c}`' for c in item.candidates)}: this platform's config is read "
                "with keywords written in full, so the audit cannot say what the command does",
                "Write the command out in full, as the device prints it.",
            )
            for item in device.ambiguous_commands
        ] + [(item.line, f"the device rejects `{item.text}` ({item.reason}): its sub-commands apply to the previous mode", "Use line numbers the platform has.") for item in device.rejected_lines]
        for line, message, note in refused:
            yield self.finding(
                message=message,
                section="config",
                line=line,
                evidence=device.text_at(line),
                applicability=Applicability.NEEDS_INPUT,
                changes=(),
                note=note,
            )
