"""`vty-auditor rules` and `vty-auditor explain RULE`."""

from __future__ import annotations

import typer

from auditor.cli.exitcodes import USAGE


def list_rules() -> None:
    """List every rule: id, name, severity and summary."""
    from rules import ALL_RULES

    for rule in ALL_RULES:
        m = rule.meta
        typer.echo(f"{m.id}  {m.name:28} {m.severity.value:8} {m.summary}")


def explain(rule_id: str = typer.Argument(..., help="A rule id, e.g. VTY001.")) -> None:
    """Print a rule's documentation: what it flags, why, an example, the fix and its safety."""
    from rules import rule_by_id

    rule = rule_by_id(rule_id)
    if rule is None:
        typer.echo(f"error: unknown rule {rule_id!r} (see `vty-auditor rules`)", err=True)
        raise typer.Exit(USAGE)
    m = rule.meta
    typer.echo(f"{m.id} {m.name}  severity: {m.severity.value}  confidence: {m.confidence}\n")
    typer.echo(rule.doc())
