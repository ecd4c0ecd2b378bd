"""`vty-auditor rules` and `vty-auditor explain RULE`."""

from __future__ import annotations

import typer

from auditor.cli.exitcodes import USAGE


def list_rules(
    profile: str = typer.Option("all", "--profile", help="Only the rules of this profile, with their references."),
    platform: str = typer.Option("all", "--platform", help="Only the rules that run on this platform: ios, nxos, asa or iosxr."),
) -> None:
    """List the rules: id, name, severity and summary (and references with --profile)."""
    from auditor.platforms import NAMES
    from auditor.profiles import PROFILES, rules_in

    if profile not in PROFILES:
        typer.echo(f"error: unknown profile {profile!r}; choose from {', '.join(PROFILES)}", err=True)
        raise typer.Exit(USAGE)
    if platform != "all" and platform not in NAMES:
        typer.echo(f"error: unknown platform {platform!r}; choose from {', '.join(NAMES)}", err=True)
        raise typer.Exit(USAGE)
    selected = PROFILES[profile].selects
    for rule, params in rules_in(profile):
        m = rule.meta
        if platform != "all" and platform not in m.platforms:
            continue
        typer.echo(f"{m.id}  {m.name:30} {m.severity.value:8} {m.summary}")
        if profile != "all":
            for ref in m.references:
                if selected(ref):
                    typer.echo(f"        {ref}")
            for key, value in params.items():
                typer.echo(f"        parameter {key} = {value}")
    if profile == "all":
        from rules import WIRE_RULES

        typer.echo("wire rules (`probe`, `scan --inventory ... --probe`):")
        for rule in WIRE_RULES:
            m = rule.meta
            if platform != "all" and platform not in m.platforms:
                continue
            typer.echo(f"{m.id}  {m.name:30} {m.severity.value:8} {m.summary}")


def explain(rule_id: str = typer.Argument(..., help="A rule id, e.g. VTY001.")) -> None:
    """Print a rule's documentation: what it flags, why, an example, the fix and its safety."""
    from rules import rule_by_id

    rule = rule_by_id(rule_id)
    if rule is None:
        typer.echo(f"error: unknown rule {rule_id!r} (see `vty-auditor rules`)", err=True)
        raise typer.Exit(USAGE)
    m = rule.meta
    from auditor.docs import platforms

    typer.echo(f"{m.id} {m.name}  severity: {m.severity.value}  confidence: {m.confidence}  platforms: {platforms(rule)}\n")
    typer.echo(rule.doc())
