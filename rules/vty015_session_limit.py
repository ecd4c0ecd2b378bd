"""VTY015 session-limit: more VTY lines accept sessions than the policy allows.

## What it does
Counts the VTY line numbers that accept inbound connections (any `transport
input` but `none`) and flags the device when there are more than the
`max_lines` parameter (default 16; the `stig` profile uses 5 — set it to
your organisation's number).

The line `session-limit` command is not what bounds this: it caps the
sessions a user on a line may open onward (Cisco IOS Terminal Services
Command Reference, `session-limit`: "maximum number of terminal sessions per
line"), so its absence is not flagged; the number of accepting lines is.

## Why is this bad?
Every accepting line is one more concurrent management session: more room for
brute force in parallel and for exhausting the lines so that operators cannot
get in during an incident.

## Example
    line vty 0 4
     transport input ssh
    line vty 5 97
     transport input ssh

Use instead:

    line vty 0 4
     transport input ssh
    line vty 5 97
     transport input none

## Fix safety
Unsafe if more operators than `max_lines` need to be logged in at once; the
lowest-numbered lines keep accepting, so the first sessions are unaffected.

## References
DISA STIG CISC-ND-000010 (limit the number of concurrent management
sessions to an organization-defined number; its check counts the VTY lines
that accept connections).
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, Change, Phase, Severity
from auditor.rule import Found, Rule, RuleMeta, stig


class SessionLimit(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="VTY015",
        name="session-limit",
        severity=Severity.LOW,
        summary="More VTY lines accept connections than the policy allows",
        references=(stig("CISC-ND-000010", "limit the number of concurrent management sessions"),),
        tags=("vty", "session"),
    )
    max_lines: int = 16

    def check(self, device) -> Iterator[Found]:
        accepting = [n for s in device.vty_sections() if s.accepts_connections for n in range(s.first, s.last + 1)]
        if len(accepting) <= self.max_lines:
            return
        excess = accepting[self.max_lines :]
        ranges = _ranges(excess)
        first = next(s for s in device.vty_sections() if s.accepts_connections and s.last >= excess[0])
        changes = [Change(phase=Phase.LINES, parent=_name(a, b), lines=("transport input none",), order=50) for a, b in ranges]
        yield self.finding(
            message=f"{len(accepting)} VTY lines accept connections; the policy allows {self.max_lines}",
            section=first.name,
            line=first.header_line,
            evidence=device.header_evidence(first),
            applicability=Applicability.UNSAFE,
            changes=changes,
            note=f"Only {self.max_lines} concurrent management sessions remain possible.",
        )


def _ranges(numbers: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for n in numbers:
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out


def _name(a: int, b: int) -> str:
    return f"line vty {a}" if a == b else f"line vty {a} {b}"
