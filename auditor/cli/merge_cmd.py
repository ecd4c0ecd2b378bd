"""`vty-auditor merge A.json B.json ...`: one report from the JSON reports of a run done in parts."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from auditor.cli.common import emit_report, exit_code, output_options, parse_mode, resolve_settings, usage
from auditor.cli.exitcodes import INCOMPLETE


MAX_REPORT_BYTES = 1024 * 1024 * 1024  # a JSON report of a very large fleet; /dev/zero is not one
# What reading the parts and merging them may add to the address space, as one input of a scan
# may (auditor.batch.INPUT_MEMORY): a part crafted to blow up when parsed fails alone, cleanly.
MERGE_MEMORY = 2 * 1024 * 1024 * 1024


def merge(
    reports: List[Path] = typer.Argument(..., help="JSON reports (`scan -f json`), e.g. one per shard or collector."),
    format: str = typer.Option("json", "--format", "-f", help="Report format: json, text, sarif, junit, github, html, concise."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file (atomically)."),
    output_mode: Optional[str] = typer.Option(None, "--output-mode", help="File mode of --output, octal (default 600)."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", help="Lowest severity that makes the exit code 1 (default low)."),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", help="Colour the text report (default: when a terminal)."),
    show_fixes: bool = typer.Option(False, "--show-fixes", help="Text report: each finding's evidence and fix note, and each device's framed script."),
    allow_partial: bool = typer.Option(False, "--allow-partial", help="Merge a sharded run with shards missing (named in run.missing_shards; exit 3)."),
) -> None:
    """Merge JSON reports into one (same schema), recompute the summary and the exit code.

    A device in two reports is an error naming both files. Exit codes as for
    scan: 0 clean, 1 findings at or above --fail-on, 2 usage error, 3 some
    device was not audited.
    """
    from auditor.merge import MergeError, merge as combine
    from auditor.reports.json_report import ReportError, read_json

    # The command line over the environment (merge reads no configuration file: it reads no config).
    threshold = output_options(format, resolve_settings(dict(fail_on=fail_on), read_file=False)[0].fail_on)
    mode = parse_mode(output_mode)
    from auditor.sources import read

    from auditor.batch import memory_budget

    parts = []
    try:
        with memory_budget(MERGE_MEMORY):
            for path in reports:
                # Bounded, and never a FIFO or a device: a part may come from another collector.
                item = read(str(path), limit=MAX_REPORT_BYTES)
                if item.error or item.data is None:
                    usage(f"cannot read {path}: {item.error or 'nothing was read'}")
                try:
                    parts.append((str(path), read_json(item.data.decode("utf-8"), str(path))))
                except (ReportError, UnicodeDecodeError) as exc:
                    usage(str(exc) if isinstance(exc, ReportError) else f"{path}: not UTF-8 text")
                del item
            report = combine(parts, allow_partial=allow_partial)
    except MergeError as exc:
        usage(str(exc))
    except MemoryError:
        parts.clear()
        usage(f"reading {len(reports)} report(s) needs more than merge's memory budget ({MERGE_MEMORY // 2**30} GiB): merge them in groups with --allow-partial, then merge the results")
    emit_report(report, format, output, color, mode=mode, show_fixes=show_fixes)
    missing = report.run.get("missing_shards")
    if missing:
        import sys

        print(f"shard(s) {', '.join(missing)} missing: this report does not cover the whole run", file=sys.stderr)
        raise typer.Exit(INCOMPLETE)
    raise typer.Exit(exit_code(report, threshold))
