"""Remediation helpers for AAA method lists."""

from __future__ import annotations

from auditor.findings import Change, Phase
from auditor.remediation import PLACEHOLDER_SECRET, PLACEHOLDER_USER, needs_local_user


def user_first(device) -> list[Change]:
    """A local user with a secret, when none exists, so a `local` method can succeed."""
    if not needs_local_user(device):
        return []
    return [
        Change(
            phase=Phase.USERS,
            lines=(f"username {PLACEHOLDER_USER} privilege 15 algorithm-type scrypt secret {PLACEHOLDER_SECRET}",),
        )
    ]


def define_list(name: str, methods: list[str]) -> Change:
    return Change(phase=Phase.USERS, lines=(f"aaa authentication login {name} {' '.join(methods)}",), order=20)
