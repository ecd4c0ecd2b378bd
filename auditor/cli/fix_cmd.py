"""`vty-auditor fix --inventory ...`: plan each device's framed change, say what would stop it,
and with `--apply` make it (`auditor.apply`): armed revert timer, proof from a new
session, confirm and save, or revert."""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path
from typing import List, Optional

import typer

from auditor.cli.common import audit_request, credentials_for, load_fill, load_hosts, resolve_settings, note, pull_settings, usage, write_atomically
from auditor.cli.exitcodes import CLEAN, FINDINGS, INCOMPLETE
from auditor.cli.options import comma_list


def fix(
    inventory: Path = typer.Option(..., "--inventory", "-i", "--nornir-config", help="Nornir hosts.yaml, a Nornir config file or a text file of hosts."),
    limit: List[str] = typer.Option([], "--limit", callback=comma_list, help="Only hosts whose inventory name matches this glob."),
    filter: List[str] = typer.Option([], "--filter", callback=comma_list, help="Only hosts with group=NAME, platform=NAME, name=GLOB, ..."),
    mgmt_net: List[str] = typer.Option([], "--mgmt-net", callback=comma_list, help="Management network CIDR for the ACL (repeatable)."),
    acl_name: Optional[str] = typer.Option(None, "--acl-name", help="Name of the management ACL (default VTY-ACCESS)."),
    select: List[str] = typer.Option([], "--select", callback=comma_list, help="Only fix findings of these rule ids or prefixes."),
    ignore: List[str] = typer.Option([], "--ignore", callback=comma_list, help="Leave findings of these rule ids or prefixes alone."),
    revert_minutes: int = typer.Option(10, "--revert-minutes", help="Minutes before an unconfirmed change reverts by itself (1-120)."),
    max_devices: int = typer.Option(50, "--max-devices", help="Refuse a run over this many devices (say larger runs explicitly)."),
    workers: Optional[int] = typer.Option(4, "--workers", help="Devices handled at once (default 4)."),
    timeout: Optional[float] = typer.Option(None, "--timeout", help="Seconds for connect, login, and of silence while reading (default 15)."),
    retries: Optional[int] = typer.Option(None, "--retries", help="Retries for transient failures (default 1)."),
    deadline: Optional[float] = typer.Option(None, "--deadline", help="Seconds per pull or proof in all, retries included (default 10 x --timeout)."),
    known_hosts: Optional[Path] = typer.Option(None, "--known-hosts", help="Check host keys strictly against this known_hosts file."),
    accept_any_host_key: bool = typer.Option(False, "--accept-any-host-key", help="Do not check host keys at all."),
    allow_proxy_command: bool = typer.Option(
        False,
        "--allow-proxy-command",
        help="Follow ProxyCommand/ProxyJump from ssh_config files an inventory or Nornir config names (they run a command on this host).",
    ),
    source_address: Optional[str] = typer.Option(None, "--source-address", help="Connect from this local address (a collector with several interfaces: the one devices' ACLs admit)."),
    fill: Optional[Path] = typer.Option(None, "--fill", help='TOML file of placeholder values (NEW-SECRET-ADMIN = "..."): sent to the device, never shown.'),
    apply: bool = typer.Option(False, "--apply", help="Change the devices whose plan is ready (IOS / IOS-XE with a revert timer; NX-OS behind a checkpoint)."),
    yes: bool = typer.Option(False, "--yes", help="With --apply: do not ask for confirmation."),
    keep_going: bool = typer.Option(False, "--keep-going", help="With --apply: go on changing devices after one was reverted."),
    format: str = typer.Option("text", "--format", "-f", help="text, json or html."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the plan to this file (atomically)."),
    config: Optional[Path] = typer.Option(None, "--config", help="Configuration file (default: nearest .vty-auditor.toml or pyproject.toml)."),
    isolated: bool = typer.Option(False, "--isolated", help="Ignore every configuration file (a repository's cannot set --mgmt-net and the rest)."),
) -> None:
    """Plan each device's framed change (a dry run: nothing is sent); with --apply, make it.

    Statuses: clean (nothing to fix), ready (the change would be sent), skipped
    (it needs input you have not given), refused (it would lock this host out,
    or the release has no revert timer), fixed (applied, proven from a new
    session, confirmed and saved), reverted (the proof failed: undone from the
    open session), reverted-by-timer (that session was lost: the device's timer
    undid the change, checked from a new session), unverified (lost, and the
    config was not seen back: check the device), or the pull's failure class.
    Devices are changed --workers at a time. Exit codes: 0 every device clean,
    ready or fixed, 1 some skipped, refused or reverted (either way), 2 usage
    error, 3 some device not reached, audited or verified.
    """
    from auditor.fix import GOOD, HELD, FixPlan
    from auditor.fleet import plan_fleet

    if format not in ("text", "json", "html"):
        usage(f"unknown format {format!r}; choose from text, json, html")
    resolved, settings, config_path = resolve_settings(
        dict(
            select=select,
            ignore=ignore,
            mgmt_nets=mgmt_net,
            acl_name=acl_name,
            workers=workers,
            timeout=timeout,
            retries=retries,
            known_hosts=known_hosts,
            deadline=deadline,
            accept_any_host_key=accept_any_host_key,
            source_address=source_address,
        ),
        config,
        isolated,
    )
    if config_path is not None:  # what changes devices says where its settings came from
        from auditor.reports import one_line

        note(f"configuration: {one_line(str(config_path))}")
    if resolved.mgmt_nets:  # who the fences will admit, and who said so: a repository's file may be the one
        from auditor.reports import one_line

        note(f"management networks: {one_line(', '.join(resolved.mgmt_nets))} (from {one_line(resolved.origins['mgmt_nets'])})")
        if apply and config is None and config_path is not None and resolved.origins["mgmt_nets"] == str(config_path):
            # A file found in the checkout may be a merge request's: the fences `--apply` writes would
            # admit whatever networks it names. The operator says them, or names a file they trust.
            usage(
                f"{one_line(str(config_path))} sets mgmt-nets, and --apply would fence the devices to admit them: a configuration file found "
                "in the repository cannot (give --mgmt-net, or name a file you trust with --config)"
            )
    request = audit_request(
        list(resolved.select),
        list(resolved.ignore),
        "all",
        list(resolved.mgmt_nets),
        resolved.acl_name,
        None,
        revert_minutes=revert_minutes,
        params=settings.rules,
        severity=settings.severity,
    )
    values = load_fill(fill)
    hosts = load_hosts(inventory, limit, filter)
    if len(hosts) > max_devices:
        usage(f"{len(hosts)} devices selected, more than --max-devices {max_devices}: narrow with --limit/--filter or raise it")
    pull = pull_settings(resolved, allow_proxy_command)
    if apply:
        from auditor.apply import proof_budget

        budget = proof_budget(pull)
        if budget > revert_minutes * 60 / 2:
            # The proof runs under the revert timer: it must end well inside it, or the timer undoes a
            # change the tool then confirms and saves.
            usage(
                f"a proof may take up to {budget:.0f} s (--timeout {pull.timeout:g}, --deadline {pull.device_deadline:g}), more than half of "
                f"the {revert_minutes}-minute revert timer: raise --revert-minutes or lower --timeout/--deadline"
            )
    credentials = credentials_for(hosts)
    if apply and not yes:
        if not sys.stdin.isatty():
            usage("--apply changes devices: confirm with --yes (no terminal to ask on)")
        if not typer.confirm(f"Change up to {len(hosts)} device(s)?", err=True):
            raise typer.Exit(CLEAN)
    order = {h.name: i for i, h in enumerate(hosts)}
    interrupted, under_change = threading.Event(), {}  # type: ignore[var-annotated]  # host name -> what is under change (set by the fleet)

    def on_interrupt(signum, frame):
        if interrupted.is_set():
            raise KeyboardInterrupt  # the second one: stop now, saying what is left under change
        interrupted.set()
        print("interrupted: no new device is pulled or changed; changes under way finish (confirmed and saved, or reverted). Ctrl-C again stops at once.", file=sys.stderr)

    previous = {sig: signal.signal(sig, on_interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    plans: list = []
    try:
        for planned in plan_fleet(hosts, credentials, pull, request, apply=apply, keep_going=keep_going, values=values, cancel=interrupted, under_change=under_change):
            plans.append(planned)
    except KeyboardInterrupt:
        from auditor.reports import printable

        left = sorted(under_change.items())
        for name, platform in left:
            way_back = (
                (f"an unconfirmed step is undone by its revert timer within --revert-minutes ({revert_minutes} min) of being armed; a confirmed one may be unsaved")
                if platform in ("ios", "iosxe")
                else "NX-OS has no timer: roll back with `rollback running-config checkpoint vty-auditor-...` (show checkpoint summary)"
            )
            print(f"left under change: {printable(name)} ({platform}): {way_back}", file=sys.stderr)
        done = {p.source for p in plans}
        plans += [
            FixPlan(source=h.name, status="cancelled", reasons=("stopped by a second interrupt" + (": left under change, check it" if h.name in under_change else ""),))
            for h in hosts
            if h.name not in done
        ]
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    plans = sorted(plans, key=lambda p: order[p.source])
    if format == "html":
        from auditor.reports.html import render_plans_html

        text = render_plans_html(plans, not apply, _counts(plans))
    else:
        text = _json(plans, not apply, config_path) if format == "json" else _text(plans, not apply)
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomically(output, text)
    if interrupted.is_set():
        from auditor.cli.common import exit_interrupted

        print("interrupted", file=sys.stderr)
        exit_interrupted()
    statuses = {p.status for p in plans}
    if statuses - set(GOOD) - set(HELD):
        raise typer.Exit(INCOMPLETE)
    raise typer.Exit(FINDINGS if statuses & set(HELD) else CLEAN)


def _counts(plans) -> dict[str, int]:
    counts: dict[str, int] = {}
    for p in plans:
        counts[p.status] = counts.get(p.status, 0) + 1
    return counts


def _json(plans, dry_run: bool, config_path=None) -> str:
    return json.dumps({"dry_run": dry_run, "config": str(config_path) if config_path else None, "devices": [p.model_dump(mode="json") for p in plans], "summary": _counts(plans)}, indent=2) + "\n"


def _text(plans, dry_run: bool) -> str:
    from auditor.reports import one_line, printable

    out = ["dry run: nothing was sent to any device (--apply changes the ready ones)", ""] if dry_run else []
    for p in plans:
        counts = f" ({p.findings_before} finding(s) now, {p.findings_after} after)" if p.findings_after is not None else ""
        out.append(f"{one_line(p.source)}: {p.status}{counts}")
        out += [f"  {one_line(reason)}" for reason in p.reasons]
        if p.status not in ("clean", "fixed") and p.script:
            out += ["  " + line for line in printable(p.script).splitlines()]
        out.append("")
    out.append(f"{len(plans)} device(s): " + ", ".join(f"{n} {s}" for s, n in sorted(_counts(plans).items())))
    return "\n".join(out) + "\n"
