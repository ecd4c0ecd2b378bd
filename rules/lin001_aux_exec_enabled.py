"""LIN001 aux-exec-enabled: the aux port gives an EXEC shell or accepts connections.

## What it does
Flags `line aux 0` when it is in the config without `no exec`, or with a
`transport input` other than `none` (reverse Telnet to the aux port).

## Why is this bad?
The aux port is typically cabled to a modem or terminal server and forgotten;
an EXEC shell there is an unmonitored way in.

## Example
    line aux 0
     transport input all

Use instead:

    line aux 0
     no exec
     transport input none

## Fix safety
Safe unless you manage the device through the aux port (then keep it and
protect it with `login local`).

## References
CIS Cisco IOS 15 Benchmark 1.2.3 ('no exec' for 'line aux 0') and 1.2.10
('transport input none' for 'line aux 0'); CIS Cisco IOS XE 17.x Benchmark 1.2.3.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, Change, Finding, Phase, Severity
from auditor.model import LineKind
from auditor.rule import Rule, RuleMeta, cis


class AuxExecEnabled(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="LIN001",
        name="aux-exec-enabled",
        severity=Severity.MEDIUM,
        summary="line aux 0 without no exec, or accepting connections",
        references=cis("Set 'no exec' for 'line aux 0'", "1.2.3", "1.2.3") + cis("Set 'transport input none' for 'line aux 0'", "1.2.10"),
        tags=("aux",),
    )

    def check(self, device) -> Iterator[Finding]:
        for section in device.sections:
            if section.kind is not LineKind.AUX:
                continue
            s = section.settings
            reasons, lines = [], []
            if s.exec_enabled:
                reasons.append("EXEC is enabled")
                lines.append("no exec")
            if s.transport_input != ():
                reasons.append("it accepts inbound connections")
                lines.append("transport input none")
            if not reasons:
                continue
            line = s.transport_line if s.transport_input else section.header_line
            yield self.finding(
                message=f"{section.name}: {' and '.join(reasons)}",
                section=section.name,
                line=line,
                evidence=device.text_at(line),
                applicability=Applicability.SAFE,
                changes=[Change(phase=Phase.LINES, parent=section.name, lines=tuple(lines), order=80)],
                note="Unless you manage the device through the aux port.",
            )
