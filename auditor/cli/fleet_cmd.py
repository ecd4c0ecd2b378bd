"""Fleet work from an inventory: `scan --inventory` (pull and audit) and `pull` (collect only).

Credentials come from the inventory, from VTY_AUDITOR_USERNAME /
VTY_AUDITOR_PASSWORD / VTY_AUDITOR_SECRET, or from a hidden prompt when a
terminal is attached; never from an argument. Progress and the summary table
go to stderr so the report on stdout stays machine-readable.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from auditor.cli.options import comma_list, shard_option

from auditor.cli.common import exit_interrupted, resolve_settings, note
from auditor.cli.stages import inventory_source
from auditor.reports import printable
from auditor.cli.exitcodes import CLEAN, INCOMPLETE
from auditor.findings import DeviceStatus


def pull(
    inventory: Path = typer.Option(..., "--inventory", "-i", "--nornir-config", help="Nornir hosts.yaml (groups.yaml/defaults.yaml beside it), a Nornir config file or a text file of hosts."),
    save_dir: Path = typer.Option(..., "--save-dir", help="Write <inventory name>.cfg per device here (atomically)."),
    limit: List[str] = typer.Option([], "--limit", callback=comma_list, help="Only hosts whose inventory name matches this glob (repeatable)."),
    filter: List[str] = typer.Option([], "--filter", callback=comma_list, help="Only hosts with group=NAME, platform=NAME, name=GLOB, hostname=GLOB or data.KEY=VALUE (repeatable, all must hold)."),
    workers: Optional[int] = typer.Option(None, "--workers", help="Devices pulled at once (default 32)."),
    timeout: Optional[float] = typer.Option(None, "--timeout", help="Seconds for connect, login, and of silence while reading (default 15)."),
    retries: Optional[int] = typer.Option(None, "--retries", help="Retries for transient failures (default 1)."),
    known_hosts: Optional[Path] = typer.Option(None, "--known-hosts", help="Check host keys strictly against this OpenSSH known_hosts file."),
    accept_any_host_key: bool = typer.Option(False, "--accept-any-host-key", help="Do not check host keys at all (default: trust on first use, then check)."),
    allow_proxy_command: bool = typer.Option(
        False,
        "--allow-proxy-command",
        help="Follow ProxyCommand/ProxyJump from ssh_config files an inventory or Nornir config names (they run a command on this host).",
    ),
    deadline: Optional[float] = typer.Option(None, "--deadline", help="Seconds one device may take in all, retries included (default 10 x --timeout)."),
    max_output: Optional[int] = typer.Option(None, "--max-output", help="MiB of output read from one device (default 64)."),
    source_address: Optional[str] = typer.Option(None, "--source-address", help="Connect from this local address (a collector with several interfaces: the one devices' ACLs admit)."),
    config: Optional[Path] = typer.Option(None, "--config", help="Configuration file (default: nearest .vty-auditor.toml or pyproject.toml)."),
    isolated: bool = typer.Option(False, "--isolated", help="Ignore every configuration file."),
    shard: Optional[str] = typer.Option(None, "--shard", callback=shard_option, help="Take the K-th of N stable shares of the inventory (K/N)."),
) -> None:
    """Pull running-configs into a directory, one <name>.cfg per device, without auditing.

    Exit codes: 0 every device saved, 2 usage error, 3 some device could not be pulled.
    """

    resolved, settings, config_path = resolve_settings(
        dict(
            workers=workers, timeout=timeout, retries=retries, known_hosts=known_hosts, deadline=deadline, max_output=max_output, accept_any_host_key=accept_any_host_key, source_address=source_address
        ),
        config,
        isolated,
    )
    if config_path is not None:
        from auditor.reports import one_line

        note(f"configuration: {one_line(str(config_path))}")
    # scan's inventory source, given no audit request: the devices are pulled and saved only
    reports = inventory_source(inventory, paths=[], change=None, limit=limit, filters=filter, resolved=resolved, request=None, save_dir=save_dir, shard=shard, allow_proxy_command=allow_proxy_command)
    for report in reports:
        if report.status is not DeviceStatus.AUDITED:
            typer.echo(f"{printable(report.source)} [{report.address}]: {report.status.value}: {printable(report.error or '')}", err=True)
    if any(r.status is DeviceStatus.CANCELLED for r in reports):
        exit_interrupted()
    raise typer.Exit(CLEAN if all(r.status is DeviceStatus.AUDITED for r in reports) else INCOMPLETE)
