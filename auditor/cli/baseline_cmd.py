"""`vty-auditor baseline create PATH... -o FILE`: record today's findings as known debt."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from auditor.cli.options import comma_list

from auditor.cli.exitcodes import CLEAN, INCOMPLETE
from auditor.cli.common import audit_request, note, resolve_settings, write_atomically
from auditor.cli.stages import files_source, without_non_configs
from auditor.findings import DeviceStatus

app = typer.Typer(help="Create a baseline of accepted findings.", no_args_is_help=True)


@app.command("create")
def create(
    paths: List[str] = typer.Argument(..., help="Config files or directories, as CI will scan them."),
    output: Path = typer.Option(Path(".vty-auditor-baseline.json"), "--output", "-o", help="Baseline file to write."),
    select: List[str] = typer.Option([], "--select", callback=comma_list, help="Only these rule ids or prefixes."),
    ignore: List[str] = typer.Option([], "--ignore", callback=comma_list, help="Skip these rule ids or prefixes."),
    include: List[str] = typer.Option([], "--include", help="Glob of files to take from directories."),
    exclude: List[str] = typer.Option([], "--exclude", help="Glob of files to skip."),
    profile: Optional[str] = typer.Option(None, "--profile", help="Rule set: all (the default), cis-l1, cis-l2, stig."),
    skip_non_configs: bool = typer.Option(False, "--skip-non-configs", help="Leave out files named here that hold no device config too (those found in directories always are), as scan does."),
    config: Optional[Path] = typer.Option(None, "--config", help="Configuration file (default: nearest .vty-auditor.toml or pyproject.toml), read as scan reads it."),
    isolated: bool = typer.Option(False, "--isolated", help="Ignore every configuration file."),
) -> None:
    """Record every current finding keyed by (source, rule id, section), without line numbers.
    The inputs are audited as `scan` audits them: the same configuration file, environment,
    rule parameters and severities. Exit 3 when some input could not be audited: each one is
    named on stderr."""
    from auditor.baseline import create as make, dumps
    from auditor.reports import one_line

    given = dict(select=select, ignore=ignore, include=include, exclude=exclude, profile=profile, skip_non_configs=skip_non_configs)
    resolved, settings, _ = resolve_settings(given, config, isolated)
    request = audit_request(list(resolved.select), list(resolved.ignore), resolved.profile, (), "VTY-ACCESS", None, settings.platform_choice(), params=settings.rules, severity=settings.severity)
    # scan's source and stage: the files audited as they are read, notes found in directories left out
    devices = files_source(paths, list(resolved.include), list(resolved.exclude), request)
    devices = list(without_non_configs(devices, paths, resolved.skip_non_configs, []))
    baseline = make(devices)
    write_atomically(output, dumps(baseline))
    note(f"wrote {len(baseline.entries)} baseline entries to {output}")
    failed = [d for d in devices if d.status is not DeviceStatus.AUDITED]
    for d in failed:  # why the exit code is 3, never a silent one
        print(f"not audited: {one_line(d.source)}: {d.status.value}: {one_line(d.error or '')}", file=sys.stderr)
    raise typer.Exit(INCOMPLETE if failed else CLEAN)
