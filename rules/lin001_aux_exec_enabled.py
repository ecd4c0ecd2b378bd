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

An aux port that answers a modem (`modem InOut`, `Dialin`, `Callin`,
`RI-is-CD`) is an out-of-band dial-in path, often the only way in when the
network is down: its EXEC is not flagged, only reverse Telnet to it
(`transport input` other than `none`) and a dial-in EXEC without
authentication.

## Fix safety
Safe: `no exec` is written only where no modem answers on the port. On a
dial-in port the fix keeps EXEC (removing it would remove a way in) and only
closes reverse Telnet, or sets `login local` (with a local user first) where
the dial-in has no authentication. If you manage the device through an aux
port without a `modem` line (a terminal server on it), keep EXEC and protect
it with `login local` instead.

## References
CIS Cisco IOS 15 Benchmark 1.2.3 ('no exec' for 'line aux 0') and 1.2.10
('transport input none' for 'line aux 0'); CIS Cisco IOS XE 17.x Benchmark 1.2.3.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, Change, Phase, Severity
from auditor.model import LineKind, LoginMode
from auditor.remediation import local_login_changes
from auditor.rule import CAPPED, Found, Rule, RuleMeta, cis


class AuxExecEnabled(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="LIN001",
        name="aux-exec-enabled",
        severity=Severity.MEDIUM,
        summary="line aux 0 without no exec, or accepting connections",
        references=cis("Set 'no exec' for 'line aux 0'", "1.2.3", "1.2.3") + cis("Set 'transport input none' for 'line aux 0'", "1.2.10"),
        tags=("aux",),
    )

    def check(self, device) -> Iterator[Found]:
        for section in device.sections:
            if section.kind is not LineKind.AUX:
                continue
            if self.capped():
                yield CAPPED
                continue
            s = section.settings
            dial_in = s.exec_enabled and s.modem is not None
            reasons, lines = [], []
            changes: list[Change] = []
            note = "Unless you manage the device through the aux port."
            if s.exec_enabled and not dial_in:
                reasons.append("EXEC is enabled")
                lines.append("no exec")
            if s.transport_input != ():
                reasons.append("it accepts inbound connections")
                lines.append("transport input none")
            if dial_in and s.login is LoginMode.NONE and not device.aaa_new_model:
                reasons.append(f"its modem dial-in (modem {s.modem}) gives EXEC with no authentication")
                changes += local_login_changes(device, section.name)
            if not reasons:
                continue
            if lines:
                changes.append(Change(phase=Phase.LINES, parent=section.name, lines=tuple(lines), order=80))
            if dial_in:
                note = f"The port answers a modem (modem {s.modem}): an out-of-band way in, so EXEC stays; only reverse Telnet is closed and the dial-in must authenticate."
            line = s.transport_line if s.transport_input else (s.modem_line if dial_in else section.header_line)
            needs_input = any("<" in text for c in changes for text in c.lines)
            yield self.finding(
                message=f"{section.name}: {' and '.join(reasons)}",
                section=section.name,
                line=line or section.header_line,
                evidence=device.text_at(line or section.header_line),
                applicability=Applicability.NEEDS_INPUT if needs_input else Applicability.SAFE,
                changes=changes,
                note=note,
            )
