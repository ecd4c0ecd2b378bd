"""VTY007 exec-timeout-disabled-or-long: idle sessions never (or only late) time out.

## What it does
Flags vty, console and aux lines with `exec-timeout 0 0` (or `exec-timeout 0`:
disabled) or an idle timeout longer than the `max_minutes` parameter (default
10). A line with no `exec-timeout` uses the IOS default of 10 minutes: it is
flagged only when `max_minutes` is below 10 (the `stig` profile's 5 minutes,
DISA CISC-ND-000720).

## Why is this bad?
An abandoned session stays logged in, with its privilege level, for anyone who
reaches the terminal or hijacks the session.

## Example
    line vty 0 4
     exec-timeout 0 0

Use instead:

    line vty 0 4
     exec-timeout 10 0

## Fix safety
Safe: only idle sessions are closed.

## Platforms
IOS / IOS-XE (`exec-timeout M S`, default 10 minutes), ASA (`ssh timeout` /
`telnet timeout`, default 5 minutes) and IOS-XR (`exec-timeout M S` on the
line template a VTY pool uses, inherited from `line default`, default 10
minutes; the fix goes under the template).

## References
Cisco IOS Configuration Fundamentals Command Reference, `exec-timeout`
(default 10 minutes; 0 0 disables); CIS Cisco IOS 15 Benchmark 1.2.6 / 1.2.7 / 1.2.9
and IOS XE 17.x Benchmark 1.2.6 / 1.2.7 / 1.2.8 (exec-timeout ≤ 10 min on aux, con, vty); DISA STIG CISC-ND-000720.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, Severity
from auditor.platforms import platform_of
from auditor.rule import CAPPED, Found, Rule, RuleMeta, cis, stig


class ExecTimeout(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="VTY007",
        name="exec-timeout-disabled-or-long",
        severity=Severity.MEDIUM,
        summary="exec-timeout is disabled (0 0) or longer than the threshold",
        references=cis("Set 'exec-timeout' ≤ 10 minutes for 'line aux 0'", "1.2.6", "1.2.6")
        + cis("Set 'exec-timeout' ≤ 10 minutes for 'line console 0'", "1.2.7", "1.2.7")
        + cis("Set 'exec-timeout' ≤ 10 minutes for 'line vty'", "1.2.9", "1.2.8")
        + (stig("CISC-ND-000720", "terminate idle management connections (5 min in the IOS XE Router NDM STIG)"),),
        tags=("vty", "session"),
        platforms=("ios", "asa", "iosxr"),
    )
    max_minutes: int = 10

    def check(self, device) -> Iterator[Found]:
        platform = platform_of(device)
        default = platform.idle_default_minutes
        seen: set[tuple[str, int]] = set()
        for section in device.sections:
            timeout = section.settings.exec_timeout
            if timeout is None:
                if self.max_minutes >= default or (section.kind.value == "vty" and not section.accepts_connections):
                    continue  # the platform's default (IOS 10 minutes, ASA 5) is within the limit
                timeout = (default, 0)  # absent: the default applies, and it exceeds this profile's limit
            minutes, seconds = timeout
            total = minutes * 60 + seconds
            if total == 0:
                problem = "is disabled (exec-timeout 0 0): idle sessions never end"
            elif total > self.max_minutes * 60:
                problem = f"is {minutes} min {seconds} s, longer than {self.max_minutes} min"
            else:
                continue
            line = section.settings.exec_timeout_line or section.header_line
            change = platform.idle_timeout(device, section, self.max_minutes)
            where = change.parent or section.name  # IOS-XR: the template the timeout is inherited from
            if (where, line) in seen:
                continue
            seen.add((where, line))
            if self.capped():
                yield CAPPED
                continue
            yield self.finding(
                message=f"{where} idle timeout {problem}",
                section=where,
                line=line,
                evidence=device.text_at(line),
                applicability=Applicability.SAFE,
                changes=[change],
                note="Only idle sessions are closed.",
            )
