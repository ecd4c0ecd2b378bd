"""Plumbing the commands share: settings, usage errors, report output, exit codes, hosts.

Commands import from here, never from each other, so a new command plugs in
without joining an import circle.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import List, Optional

import typer

from auditor.cli.exitcodes import CLEAN, FINDINGS, INCOMPLETE, USAGE
from auditor.findings import Severity

REPORT_MODE = 0o600  # reports quote configs: readable by their owner only, like saved configs


def run_probes(targets, timeout: float, workers: int):
    """Probe with a progress bar on stderr (on a terminal): (results in input order, the
    targets an interrupt left unprobed, or False when none was)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from auditor.probe import probe_all

    console = Console(stderr=True)
    finished = []

    def done(result) -> None:
        finished.append(result)
        progress.advance(task)

    with Progress(TextColumn("probing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                  transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task("probe", total=len(targets))
        try:
            return probe_all(targets, timeout=timeout, workers=workers, on_result=done), False
        except KeyboardInterrupt:  # Ctrl-C or SIGTERM: what finished is kept, in input order
            names = {r.name for r in finished}
            order = {t.name: i for i, t in enumerate(targets)}
            return sorted(finished, key=lambda r: order[r.name]), [t for t in targets if t.name not in names]


def load_hosts(inventory: Path, limit: List[str], filters: List[str], shard=None):
    from auditor.cli.options import in_shard
    from auditor.inventory import InventoryError, load, select

    try:
        hosts = select(load(inventory), tuple(limit), tuple(filters))
    except InventoryError as exc:
        usage(str(exc))
    if not hosts:
        usage(f"no host in {inventory} matches --limit/--filter")
    return [h for h in hosts if in_shard(h.name, shard)]  # a shard may be empty: a clean, empty report


def output_options(format: str, fail_on: str) -> Severity:
    """Check --format; return the --fail-on threshold. Usage errors exit 2."""
    from auditor.reports import FORMATS

    if format not in FORMATS:
        usage(f"unknown format {format!r}; choose from {', '.join(FORMATS)}")
    try:
        return Severity(fail_on.lower())
    except ValueError:
        usage(f"unknown severity {fail_on!r}; choose from {', '.join(s.value for s in Severity)}")


def emit_report(report, format: str, output: Optional[Path], color: Optional[bool] = None, mode: int = REPORT_MODE) -> None:
    """The report to stdout, or atomically to --output; colour only for text on a terminal."""
    from auditor.reports import write

    use_color = (output is None and sys.stdout.isatty()) if color is None else color
    emit = lambda stream: write(format, report, stream, color=use_color and format == "text")  # noqa: E731
    if output is None:
        emit(sys.stdout)
    else:
        write_atomically(output, emit, mode)


def load_settings(path: Optional[Path], isolated: bool = False):
    """(settings, the file they came from); defaults with --isolated."""
    from auditor.config import ConfigError, Settings, load

    if isolated:
        return Settings(), None
    try:
        return load(path)
    except ConfigError as exc:
        usage(str(exc))


def exit_code(report, threshold: Severity, new_only: bool = False) -> int:
    """From the summary (so it also works once a streamed report has been written)."""
    summary = report.summary
    if summary.audited < summary.devices:
        return INCOMPLETE
    if not new_only:
        gated = any(n for s, n in summary.by_severity.items() if Severity(s).rank >= threshold.rank)
        return FINDINGS if gated else CLEAN

    def gating(device):
        return device.change.introduced if new_only and device.change is not None else device.findings

    if any(f.severity.rank >= threshold.rank for d in report.devices for f in gating(d)):
        return FINDINGS
    return CLEAN


def usage(message: str):
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(USAGE)


def parse_mode(text: Optional[str]) -> int:
    """`--output-mode 640` (octal) -> 0o640; usage error when it is not a file mode."""
    if text is None:
        return REPORT_MODE
    try:
        mode = int(text, 8)
    except ValueError:
        usage(f"--output-mode {text!r}: give an octal file mode such as 600 or 644")
    if not 0 <= mode <= 0o777:
        usage(f"--output-mode {text!r}: give an octal file mode such as 600 or 644")
    return mode


def write_atomically(path: Path, content, mode: int = REPORT_MODE) -> None:
    """Write `content` (a string, or a function writing to a stream) to a temp file, then rename.

    The file is created with `mode` (0600 by default). A symlink at `path` is
    replaced by the new file, never followed: a link committed in a repository
    must not make the report overwrite a file outside the checkout. A device or
    FIFO (`-o /dev/null`, `-o /dev/stdout`, a pipe) is written in place:
    renaming over it would replace the device node with a plain file.
    """
    target = path.resolve() if path.is_symlink() else path
    special = target.exists() and not target.is_file()
    if special and (not path.is_symlink() or str(path).startswith("/dev/")):
        try:
            with open(target, "w", encoding="utf-8") as handle:
                handle.write(content) if isinstance(content, str) else content(handle)
        except OSError as exc:
            usage(f"cannot write {path}: {exc.strerror}")
        return
    directory = path.parent if str(path.parent) else Path(".")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        os.chmod(tmp, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            if isinstance(content, str):
                handle.write(content)
            else:
                content(handle)
        os.replace(tmp, path)  # replaces a symlink itself, not what it points to
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        usage(f"cannot write {path}: {exc.strerror}")


def exit_interrupted() -> None:
    """End an interrupted run now, with 130, once its report is written. Worker threads still
    connecting to unreachable devices are not waited for: they hold nothing worth keeping."""
    from auditor.cli.exitcodes import INTERRUPTED

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(INTERRUPTED)
