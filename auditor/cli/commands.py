"""The command tree: one module per sub-command, joined here (imported by `auditor.cli` when needed)."""

from __future__ import annotations

from typing import Optional

import typer

from auditor import __version__
from auditor.cli import baseline_cmd, fix_cmd, fleet_cmd, merge_cmd, probe_cmd, rules_cmd, scan

app = typer.Typer(
    name="vty-auditor",
    help="Audit the VTY, console and aux lines of Cisco IOS / IOS-XE and NX-OS configs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"vty-auditor {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Optional[bool] = typer.Option(None, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Audit the VTY, console and aux lines of Cisco IOS / IOS-XE and NX-OS configs."""


app.command("scan")(scan.scan)
app.command("pull")(fleet_cmd.pull)
app.command("probe")(probe_cmd.probe)
app.command("merge")(merge_cmd.merge)
app.command("fix")(fix_cmd.fix)
app.command("rules")(rules_cmd.list_rules)
app.command("explain")(rules_cmd.explain)
app.add_typer(baseline_cmd.app, name="baseline")
