"""Fleet work from an inventory: `scan --inventory` (pull and audit) and `pull` (collect only).

Credentials come from the inventory, from VTY_AUDITOR_USERNAME /
VTY_AUDITOR_PASSWORD / VTY_AUDITOR_SECRET, or from a hidden prompt when a
terminal is attached; never from an argument. Progress and the summary table
go to stderr so the report on stdout stays machine-readable.
"""

from __future__ import annotations

import getpass
import os
import sys
import time
from pathlib import Path
from typing import List, Mapping, Optional

import typer

from auditor.cli.options import comma_list, shard_option

from auditor.cli.common import exit_interrupted, load_hosts, load_settings, run_probes, usage
from auditor.reports import printable
from auditor.cli.exitcodes import CLEAN, INCOMPLETE
from auditor.findings import DeviceReport, DeviceStatus

ENV_USERNAME = "VTY_AUDITOR_USERNAME"
ENV_PASSWORD = "VTY_AUDITOR_PASSWORD"
ENV_SECRET = "VTY_AUDITOR_SECRET"


def prepare_save_dir(save_dir: Path, hosts) -> None:
    """Create the directory (and its parents) when missing; refuse, before any pull, two devices
    whose saved file names would be the same (`core/a` and `core_a` both make `core_a.cfg`)."""
    from auditor.fleet import saved_name

    owners: dict[str, list[str]] = {}
    for host in hosts:
        owners.setdefault(saved_name(host).lower(), []).append(host.name)  # case-insensitive file systems too
    clashes = {name: who for name, who in owners.items() if len(who) > 1}
    if clashes:
        usage("--save-dir: these devices would be saved to one file: " + "; ".join(
            f"{', '.join(who)} -> {name}" for name, who in sorted(clashes.items())))
    try:
        save_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        usage(f"--save-dir {save_dir}: {exc.strerror or exc.__class__.__name__}")
    if not save_dir.is_dir():
        usage(f"--save-dir {save_dir}: not a directory")


def credentials_for(hosts, env: Mapping[str, str] = os.environ, interactive: Optional[bool] = None):
    """Fallback credentials for the hosts the inventory gives none; prompt only on a terminal."""
    from pydantic import SecretStr

    from auditor.pull import Credentials

    username = env.get(ENV_USERNAME) or None
    password = env.get(ENV_PASSWORD) or None
    secret = env.get(ENV_SECRET) or None
    need_username = username is None and any(h.username is None for h in hosts)
    need_password = password is None and any(h.password is None for h in hosts)
    if need_username or need_password:
        interactive = sys.stdin.isatty() and sys.stderr.isatty() if interactive is None else interactive
        if not interactive:
            missing = " and ".join(v for v, needed in ((ENV_USERNAME, need_username), (ENV_PASSWORD, need_password)) if needed)
            usage(f"no credentials for some devices: set {missing} (or run on a terminal to be asked)")
        if need_username:
            username = typer.prompt("Username", err=True)
        if need_password:
            password = getpass.getpass("Password: ", stream=sys.stderr)
    return Credentials(
        username=username,
        password=SecretStr(password) if password else None,
        secret=SecretStr(secret) if secret else None,
    )


def pull_settings(settings, workers, timeout, retries, known_hosts, deadline=None, max_output=None, accept_any_host_key=False):
    from pydantic import ValidationError

    from auditor.pull import PullSettings

    accept_any = accept_any_host_key or settings.accept_any_host_key
    strict = known_hosts or settings.known_hosts
    if accept_any and strict:
        usage("--accept-any-host-key and --known-hosts contradict each other: give one")
    if accept_any:
        print("warning: --accept-any-host-key: host keys are not checked; a device impersonator would receive the credentials", file=sys.stderr)
    values = {
        "host_keys": "strict" if strict else "any" if accept_any else "tofu",
        "workers": workers if workers is not None else settings.workers,
        "timeout": timeout if timeout is not None else settings.timeout,
        "retries": retries if retries is not None else settings.retries,
        "known_hosts": known_hosts or (Path(settings.known_hosts) if settings.known_hosts else None),
        "deadline": deadline if deadline is not None else settings.deadline,
        "max_output": (max_output if max_output is not None else settings.max_output),
    }
    if values["max_output"] is not None:
        if values["max_output"] < 1:
            usage("--max-output must be at least 1 (MiB)")
        values["max_output"] *= 1024 * 1024
    if values["known_hosts"] is not None and not values["known_hosts"].is_file():
        usage(f"--known-hosts {values['known_hosts']}: no such file")
    try:
        return PullSettings(**{k: v for k, v in values.items() if v is not None})
    except ValidationError as exc:
        usage("; ".join(f"--{'-'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_url=False)))


def run(
    hosts, credentials, settings, audit_kwargs=None, save_dir: Optional[Path] = None, probe: bool = False, telnet_ports=(23,)
) -> list[DeviceReport]:
    """Pull (and audit) every host with a progress bar on stderr; reports in inventory order.

    With `probe`, every host's Telnet port(s) (23) and SSH port (the inventory's)
    is probed first, all at once (seconds), and the wire rules judge each
    result against the device's config.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from auditor.fleet import scan_fleet

    console = Console(stderr=True)
    wires = None
    interrupted = False
    if probe:
        from auditor.probe import Target, ports_for

        targets = [Target(name=h.name, host=h.hostname, ports=ports_for(tuple(telnet_ports), (h.port,))) for h in hosts]
        results, unprobed = run_probes(targets, timeout=3.0, workers=64)
        interrupted = unprobed is not False  # interrupted while probing: nothing is pulled, everything is cancelled
        wires = {r.name: r for r in results}
    order = {h.name: i for i, h in enumerate(hosts)}
    reports: list[DeviceReport] = []
    failed = 0
    started = time.monotonic()
    with Progress(
        TextColumn("pulling"), BarColumn(), MofNCompleteColumn(), TextColumn("[red]{task.fields[failed]} failed"),
        TimeElapsedColumn(), console=console, transient=True, disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task("pull", total=len(hosts), failed=0)
        try:
            for report in () if interrupted else scan_fleet(hosts, credentials, settings, audit_kwargs, save_dir, wires=wires):
                failed += report.status.pull_failure or report.status is DeviceStatus.ERROR
                progress.update(task, advance=1, failed=failed)
                reports.append(report)
        except KeyboardInterrupt:
            # Ctrl-C or SIGTERM: pull_all has closed the open sessions; keep what finished.
            interrupted = True
    if interrupted:
        finished = {r.source for r in reports}
        reports += [
            DeviceReport(source=h.name, address=h.address, status=DeviceStatus.CANCELLED, error="the run was interrupted before this device was done")
            for h in hosts if h.name not in finished
        ]
    reports.sort(key=lambda r: order[r.source])
    summary_table(console, reports, time.monotonic() - started)
    if interrupted:
        console.print(f"interrupted: {sum(r.status is DeviceStatus.CANCELLED for r in reports)} device(s) cancelled")
    return reports


def summary_table(console, reports: list[DeviceReport], seconds: float) -> None:
    from rich.markup import escape
    from rich.table import Table

    from auditor.reports import printable

    counts: dict[str, list[str]] = {}
    for report in reports:
        counts.setdefault(report.status.value, []).append(report.source)
    table = Table(title=f"{len(reports)} device(s) in {seconds:.1f} s", title_justify="left")
    table.add_column("status")
    table.add_column("devices", justify="right")
    table.add_column("examples")
    for status, names in sorted(counts.items(), key=lambda item: (item[0] != "audited", item[0])):
        shown = ", ".join(names[:5]) + (f", … (+{len(names) - 5})" if len(names) > 5 else "")
        shown = escape(printable(shown))  # inventory names are untrusted: never markup
        table.add_row(status if status != "audited" else "pulled", str(len(names)), shown)
    console.print(table)


def pull(
    inventory: Path = typer.Option(..., "--inventory", "-i", help="Nornir hosts.yaml (groups.yaml/defaults.yaml beside it) or a text file of hosts."),
    save_dir: Path = typer.Option(..., "--save-dir", help="Write <inventory name>.cfg per device here (atomically)."),
    limit: List[str] = typer.Option([], "--limit", callback=comma_list, help="Only hosts whose inventory name matches this glob (repeatable)."),
    filter: List[str] = typer.Option([], "--filter", callback=comma_list, help="Only hosts with group=NAME, platform=NAME, name=GLOB, hostname=GLOB or data.KEY=VALUE (repeatable, all must hold)."),
    workers: Optional[int] = typer.Option(None, "--workers", help="Devices pulled at once (default 32)."),
    timeout: Optional[float] = typer.Option(None, "--timeout", help="Seconds for connect, login, and of silence while reading (default 15)."),
    retries: Optional[int] = typer.Option(None, "--retries", help="Retries for transient failures (default 1)."),
    known_hosts: Optional[Path] = typer.Option(None, "--known-hosts", help="Check host keys strictly against this OpenSSH known_hosts file."),
    accept_any_host_key: bool = typer.Option(False, "--accept-any-host-key", help="Do not check host keys at all (default: trust on first use, then check)."),
    deadline: Optional[float] = typer.Option(None, "--deadline", help="Seconds one device may take in all, retries included (default 10 x --timeout)."),
    max_output: Optional[int] = typer.Option(None, "--max-output", help="MiB of output read from one device (default 64)."),
    config: Optional[Path] = typer.Option(None, "--config", help="Configuration file (default: nearest .vty-auditor.toml or pyproject.toml)."),
    shard: Optional[str] = typer.Option(None, "--shard", callback=shard_option, help="Take the K-th of N stable shares of the inventory (K/N)."),
) -> None:
    """Pull running-configs into a directory, one <name>.cfg per device, without auditing.

    Exit codes: 0 every device saved, 2 usage error, 3 some device could not be pulled.
    """

    settings = load_settings(config)[0]
    hosts = load_hosts(inventory, limit, filter, shard)
    prepare_save_dir(save_dir, hosts)
    credentials = credentials_for(hosts)
    pull = pull_settings(settings, workers, timeout, retries, known_hosts, deadline, max_output, accept_any_host_key)
    reports = run(hosts, credentials, pull, None, save_dir)
    for report in reports:
        if report.status is not DeviceStatus.AUDITED:
            typer.echo(f"{printable(report.source)} [{report.address}]: {report.status.value}: {printable(report.error or '')}", err=True)
    if any(r.status is DeviceStatus.CANCELLED for r in reports):
        exit_interrupted()
    raise typer.Exit(CLEAN if all(r.status is DeviceStatus.AUDITED for r in reports) else INCOMPLETE)


