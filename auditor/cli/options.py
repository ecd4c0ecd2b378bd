"""Shared option handling for the commands."""

from __future__ import annotations


def comma_list(values):
    """`--select VTY,PWD` and `--select VTY --select PWD` mean the same, as ruff users expect."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]
