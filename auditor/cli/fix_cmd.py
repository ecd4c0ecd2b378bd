"""`vty-auditor fix --inventory ...`: plan each device's framed change, and say what would stop it.

This increment is the dry run: devices are pulled and audited (read-only
commands only), each framed change is checked against the address this host
connects from, and nothing is sent to any device. Applying (`--apply`) comes
with the stateful device simulator it must be tested against.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from auditor.cli.common import audit_options, credentials_for, load_hosts, load_settings, pull_settings, usage, write_atomically
from auditor.cli.exitcodes import CLEAN, FINDINGS, INCOMPLETE
from auditor.cli.options import comma_list

GOOD = ("clean", "ready")
HELD = ("skipped", "refused")


def fix(
    inventory: Path = typer.Option(..., "--inventory", "-i", help="Nornir hosts.yaml or a text file of hosts."),
    limit: List[str] = typer.Option([], "--limit", callback=comma_list, help="Only hosts whose inventory name matches this glob."),
    filter: List[str] = typer.Option([], "--filter", callback=comma_list, help="Only hosts with group=NAME, platform=NAME, name=GLOB, ..."),
    mgmt_net: List[str] = typer.Option([], "--mgmt-net", callback=comma_list, help="Management network CIDR for the ACL (repeatable)."),
    acl_name: Optional[str] = typer.Option(None, "--acl-name", help="Name of the management ACL (default VTY-ACCESS)."),
    select: List[str] = typer.Option([], "--select", callback=comma_list, help="Only fix findings of these rule ids or prefixes."),
    ignore: List[str] = typer.Option([], "--ignore", callback=comma_list, help="Leave findings of these rule ids or prefixes alone."),
    max_devices: int = typer.Option(50, "--max-devices", help="Refuse a run over this many devices (say larger runs explicitly)."),
    workers: Optional[int] = typer.Option(4, "--workers", help="Devices handled at once (default 4)."),
    timeout: Optional[float] = typer.Option(None, "--timeout", help="Seconds for connect, login, and of silence while reading (default 15)."),
    retries: Optional[int] = typer.Option(None, "--retries", help="Retries for transient failures (default 1)."),
    known_hosts: Optional[Path] = typer.Option(None, "--known-hosts", help="Check host keys strictly against this known_hosts file."),
    accept_any_host_key: bool = typer.Option(False, "--accept-any-host-key", help="Do not check host keys at all."),
    format: str = typer.Option("text", "--format", "-f", help="text or json."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the plan to this file (atomically)."),
    config: Optional[Path] = typer.Option(None, "--config", help="Configuration file (default: nearest .vty-auditor.toml or pyproject.toml)."),
) -> None:
    """Dry run: pull, audit and plan each device's framed change; nothing is sent to any device.

    Statuses: clean (nothing to fix), ready (the change would be sent), skipped
    (it needs input you have not given), refused (it would lock this host out),
    or the pull's failure class. Exit codes: 0 every device clean or ready,
    1 some skipped or refused, 2 usage error, 3 some device not reached or audited.
    """
    from auditor.fleet import plan_fleet

    if format not in ("text", "json"):
        usage(f"unknown format {format!r}; choose from text, json")
    settings = load_settings(config)[0]
    options = audit_options(select, ignore, "all", mgmt_net or list(settings.mgmt_nets), acl_name or settings.acl_name or "VTY-ACCESS", None)
    hosts = load_hosts(inventory, limit, filter)
    if len(hosts) > max_devices:
        usage(f"{len(hosts)} devices selected, more than --max-devices {max_devices}: narrow with --limit/--filter or raise it")
    pull = pull_settings(settings, workers, timeout, retries, known_hosts, None, None, accept_any_host_key)
    credentials = credentials_for(hosts)
    kwargs = dict(options=options, select=tuple(select), ignore=tuple(ignore))
    order = {h.name: i for i, h in enumerate(hosts)}
    plans = sorted(plan_fleet(hosts, credentials, pull, kwargs), key=lambda p: order[p.source])
    text = _json(plans) if format == "json" else _text(plans)
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomically(output, text)
    statuses = {p.status for p in plans}
    if statuses - set(GOOD) - set(HELD):
        raise typer.Exit(INCOMPLETE)
    raise typer.Exit(FINDINGS if statuses & set(HELD) else CLEAN)


def _json(plans) -> str:
    counts: dict[str, int] = {}
    for p in plans:
        counts[p.status] = counts.get(p.status, 0) + 1
    return json.dumps({"dry_run": True, "devices": [p.model_dump(mode="json") for p in plans], "summary": counts}, indent=2) + "\n"


def _text(plans) -> str:
    from auditor.reports import printable

    out = ["dry run: nothing was sent to any device (applying comes in a later release)", ""]
    for p in plans:
        counts = f" ({p.findings_before} finding(s) now, {p.findings_after} after)" if p.findings_after is not None else ""
        out.append(f"{printable(p.source)}: {p.status}{counts}")
        out += [f"  {printable(reason)}" for reason in p.reasons]
        if p.status in ("ready", "refused", "skipped") and p.script:
            out += ["  " + line for line in printable(p.script).splitlines()]
        out.append("")
    summary: dict[str, int] = {}
    for p in plans:
        summary[p.status] = summary.get(p.status, 0) + 1
    out.append(f"{len(plans)} device(s): " + ", ".join(f"{n} {s}" for s, n in sorted(summary.items())))
    return "\n".join(out) + "\n"
