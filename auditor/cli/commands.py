"""The command tree: one module per sub-command, joined here (imported by `auditor.cli` when needed)."""

from __future__ import annotations

from typing import Optional

import typer

from auditor import __version__
from auditor.cli import baseline_cmd, fix_cmd, fleet_cmd, merge_cmd, probe_cmd, rules_cmd, scan

app = typer.Typer(
    name="vty-auditor",
    help="Audit how Cisco IOS / IOS-XE, NX-OS, IOS-XR and ASA devices can be reached for management.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish, PowerShell
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"vty-auditor {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Optional[bool] = typer.Option(None, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only the report, warnings and errors: no notes or progress on stderr."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Also one line per input on stderr as it is audited: status, platform and why."),
) -> None:
    """Audit how Cisco IOS / IOS-XE, NX-OS, IOS-XR and ASA devices can be reached for management."""
    from auditor.cli.common import set_verbosity

    set_verbosity(quiet, verbose)


app.command("scan")(scan.scan)
app.command("pull")(fleet_cmd.pull)
app.command("probe")(probe_cmd.probe)
app.command("merge")(merge_cmd.merge)
app.command("fix")(fix_cmd.fix)
app.command("rules")(rules_cmd.list_rules)
app.command("explain")(rules_cmd.explain)
app.add_typer(baseline_cmd.app, name="baseline")


# Help shows a name for what an option takes (typer's own labels read `<list[str]>`, `<bool>`).
METAVARS = {
    "--select": "ID",
    "--ignore": "ID",
    "--mgmt-net": "CIDR",
    "--format": "FORMAT",
    "--fail-on": "SEVERITY",
    "--include": "GLOB",
    "--exclude": "GLOB",
    "--shard": "K/N",
    "--output": "FILE",
    "--config": "FILE",
    "--inventory": "FILE",
    "--baseline": "FILE",
    "--change": "FILE",
    "--known-hosts": "FILE",
    "--fill": "FILE",
    "--save-dir": "DIR",
    "--profile": "NAME",
    "--platform": "NAME",
    "--acl-name": "NAME",
    "--output-mode": "MODE",
    "--jobs": "N",
    "--workers": "N",
    "--retries": "N",
    "--input-timeout": "SECONDS",
    "--timeout": "SECONDS",
    "--deadline": "SECONDS",
    "--diff-base": "REF",
    "--limit": "GLOB",
    "--filter": "KEY=VALUE",
    "--source-address": "ADDRESS",
    "--telnet-port": "PORT",
    "--platform-version": "VERSION",
    "--revert-minutes": "MINUTES",
}


def command():
    """The click command `main` runs: the typer tree with clean metavars (flags show none)."""
    import typer.main

    root = typer.main.get_command(app)

    def clean(cmd) -> None:  # duck-typed: typer bundles its own click in some releases, uses click in others
        for sub in getattr(cmd, "commands", {}).values():
            clean(sub)
        for param in cmd.params:
            kind = getattr(param, "param_type_name", "")
            if kind == "option" and (getattr(param, "is_flag", False) or getattr(param, "count", False)):
                param.metavar = ""
            elif kind == "option":
                param.metavar = next((METAVARS[o] for o in param.opts if o in METAVARS), param.name.upper().replace("_", "-"))
            elif kind == "argument" and hasattr(param, "display_type_rich"):
                param.display_type_rich = lambda ctx: ""  # the name says it: no `<list[str]>` beside it
        help_option = getattr(cmd, "get_help_option", None)
        if help_option is not None:  # --help is made per context: a flag, with no value to show either

            def get_help_option(ctx, made=help_option):
                option = made(ctx)
                if option is not None:
                    option.metavar = ""
                return option

            cmd.get_help_option = get_help_option

    clean(root)
    return root
