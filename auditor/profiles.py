"""Profiles: which rules run, with which parameters, for a compliance regime.

A profile selects rules by their structured references, so mapping a rule to
a benchmark item is what puts it in the profile.
"""

from __future__ import annotations

from typing import Any, Callable

from pydantic import ConfigDict
from pydantic.dataclasses import dataclass


@dataclass(frozen=True, config=ConfigDict(arbitrary_types_allowed=True))
class Profile:
    name: str
    description: str
    selects: Callable[[Any], bool]  # Reference -> bool; the rule runs if any reference matches
    params: dict[str, dict[str, Any]]


def _all(_ref) -> bool:
    return True


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile("all", "every rule (the default)", _all, {}),
        Profile(
            "cis-l1",
            "CIS Cisco IOS 15 / IOS XE 17 Benchmark, Level 1 items",
            lambda r: r.standard.startswith("CIS") and r.level == 1,
            {"VTY007": {"max_minutes": 10}},
        ),
        Profile(
            "cis-l2",
            "CIS Cisco IOS 15 / IOS XE 17 Benchmark, Level 1 and 2 items",
            lambda r: r.standard.startswith("CIS") and r.level in (1, 2),
            {"VTY007": {"max_minutes": 10}},
        ),
        Profile(
            "stig",
            "DISA STIG for Cisco IOS / IOS-XE Router NDM",
            lambda r: r.standard == "DISA STIG",
            # IOS XE Router NDM STIG: 5-minute idle timeout (CISC-ND-000720); 3 attempts in 15 minutes,
            # then a 15-minute block (CISC-ND-000150: `login block-for 900 attempts 3 within 120`).
            {"VTY007": {"max_minutes": 5}, "VTY015": {"max_lines": 5}, "VTY014": {"block_for": 900, "attempts": 3, "within": 120}},
        ),
    )
}


def rules_in(profile_name: str):
    """(rule class, parameters) for every rule of the profile, in registry order."""
    from rules import ALL_RULES

    profile = PROFILES[profile_name]
    if profile.selects is _all:
        return [(r, profile.params.get(r.meta.id, {})) for r in ALL_RULES]
    return [(r, profile.params.get(r.meta.id, {})) for r in ALL_RULES if any(profile.selects(ref) for ref in r.meta.references)]
