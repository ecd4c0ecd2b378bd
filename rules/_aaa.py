"""Remediation helpers for AAA method lists."""

from __future__ import annotations

from auditor.findings import Change, Phase
from auditor.remediation import admin_user_changes as user_first  # noqa: F401  (re-exported for the AAA rules)


def define_list(name: str, methods: list[str]) -> Change:
    return Change(phase=Phase.USERS, lines=(f"aaa authentication login {name} {' '.join(methods)}",), order=20)
