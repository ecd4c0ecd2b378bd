"""The `vty-auditor` command: one module per sub-command, joined here."""

from __future__ import annotations

from typing import Optional

import typer

from auditor import __version__
from auditor.cli import baseline_cmd, fleet_cmd, merge_cmd, probe_cmd, rules_cmd, scan

app = typer.Typer(
    name="vty-auditor",
    help="Audit the VTY, console and aux lines of Cisco IOS / IOS-XE configs.",
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
    """Audit the VTY, console and aux lines of Cisco IOS / IOS-XE configs."""


app.command("scan")(scan.scan)
app.command("pull")(fleet_cmd.pull)
app.command("probe")(probe_cmd.probe)
app.command("merge")(merge_cmd.merge)
app.command("rules")(rules_cmd.list_rules)
app.command("explain")(rules_cmd.explain)
app.add_typer(baseline_cmd.app, name="baseline")


def main() -> None:
    """Run the CLI. A bug ends in one line on stderr, never a traceback: a traceback can
    carry config or inventory text, secrets included (VTY_AUDITOR_DEBUG=1 shows it)."""
    import os
    import sys

    from auditor.cli.exitcodes import INCOMPLETE, INTERRUPTED

    import signal

    def terminate(signum, frame):
        raise KeyboardInterrupt  # SIGTERM stops a run the way Ctrl-C does: finished work is reported

    signal.signal(signal.SIGTERM, terminate)
    try:
        app()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(INTERRUPTED)
    except Exception as exc:
        if os.environ.get("VTY_AUDITOR_DEBUG"):
            raise
        print(f"error: internal error ({exc.__class__.__name__}); details are withheld because they may quote the input", file=sys.stderr)
        sys.exit(INCOMPLETE)
