"""`vty-auditor scan PATH...`: audit config files, directories or stdin."""

from __future__ import annotations

import os
from pathlib import Path
from typing import List, Optional

import typer

from auditor.cli.options import comma_list, shard_option

from auditor.cli.common import (
    audit_request,
    emit_report,
    exit_code,
    exit_interrupted,
    resolve_settings,
    output_options,
    parse_mode,
    usage,
)
from auditor.cli.stages import against_baseline, diff_source, files_source, inventory_source, load_baseline, pre_change, without_non_configs
from auditor.findings import DeviceStatus


def scan(
    paths: List[str] = typer.Argument(None, help="Config files, directories (recursive) or - for stdin."),
    format: str = typer.Option("text", "--format", "-f", help="Report format: text, json, sarif, junit, github, html, concise."),
    statistics: bool = typer.Option(False, "--statistics", help="Also print findings per rule and devices per status (stderr)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file (atomically)."),
    output_mode: Optional[str] = typer.Option(None, "--output-mode", help="File mode of --output, octal (default 600: reports quote configs)."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", help="Lowest severity that makes the exit code 1 (default low)."),
    select: List[str] = typer.Option([], "--select", callback=comma_list, help="Only these rule ids or prefixes (repeatable)."),
    ignore: List[str] = typer.Option([], "--ignore", callback=comma_list, help="Skip these rule ids or prefixes (repeatable)."),
    mgmt_net: List[str] = typer.Option([], "--mgmt-net", callback=comma_list, help="Management network CIDR for ACL remediation (repeatable)."),
    acl_name: Optional[str] = typer.Option(None, "--acl-name", help="Name of the management ACL in remediations (default VTY-ACCESS)."),
    include: List[str] = typer.Option([], "--include", help="Glob of files to take from directories (repeatable)."),
    exclude: List[str] = typer.Option([], "--exclude", help="Glob of files to skip (repeatable)."),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", help="Colour the text report (default: when a terminal)."),
    show_fixes: bool = typer.Option(False, "--show-fixes", help="Text report: each finding's evidence and fix note, and each device's framed script."),
    profile: Optional[str] = typer.Option(None, "--profile", help="Rule set and parameters: all (default), cis-l1, cis-l2, stig."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help="Processes auditing in parallel (default: the core count)."),
    shard: Optional[str] = typer.Option(None, "--shard", callback=shard_option, help="Take the K-th of N stable shares of the files or inventory hosts (K/N)."),
    input_timeout: float = typer.Option(60.0, "--input-timeout", help="Seconds one input may take before it is reported as an error (0: no limit)."),
    config: Optional[Path] = typer.Option(None, "--config", help="Configuration file (default: nearest .vty-auditor.toml or pyproject.toml)."),
    isolated: bool = typer.Option(False, "--isolated", help="Ignore every configuration file (for gating untrusted merge requests)."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="Report only findings not in this baseline file."),
    change: Optional[Path] = typer.Option(None, "--change", help="Apply this change snippet to the (single) config and audit the result, before vs after."),
    fail_on_new: bool = typer.Option(False, "--fail-on-new", help="With --change: exit 1 only for findings the change introduces."),
    skip_non_configs: bool = typer.Option(
        False,
        "--skip-non-configs",
        help="Leave out files that hold no device config at all (notes, READMEs): listed as skipped, not a failure. A config that cannot be audited still exits 3. Implied by --diff-base.",
    ),
    diff_base: Optional[str] = typer.Option(
        None,
        "--diff-base",
        help="In a git work tree: audit only the configs that differ from the merge base with this ref, each against its old version; exit 1 only for introduced findings.",
    ),
    pre_commit: bool = typer.Option(
        False,
        "--pre-commit",
        help="--diff-base with the range pre-commit gives: $PRE_COMMIT_FROM_REF (`pre-commit run --from-ref REF --to-ref HEAD`, as CI runs it), else HEAD (the staged changes of a commit).",
    ),
    platform: Optional[str] = typer.Option(None, "--platform", help="How configs are read: auto (detect, the default), ios, nxos, asa or iosxr. Wins over the config file."),
    allow_unsupported: bool = typer.Option(False, "--allow-unsupported", help="Other platforms' configs (Junos, EOS, ...: status unsupported) do not make the exit code 3."),
    platform_version: Optional[str] = typer.Option(None, "--platform-version", help="IOS version to assume for platform defaults (default: the config's `version` line)."),
    inventory: Optional[Path] = typer.Option(
        None,
        "--inventory",
        "-i",
        "--nornir-config",
        help="Pull running-configs with SSH from the hosts of this Nornir hosts.yaml, Nornir config file (any inventory plugin) or text file.",
        rich_help_panel="Fleet",
    ),
    limit: List[str] = typer.Option([], "--limit", callback=comma_list, help="Only hosts whose inventory name matches this glob (repeatable).", rich_help_panel="Fleet"),
    filter: List[str] = typer.Option(
        [],
        "--filter",
        callback=comma_list,
        help="Only hosts with group=NAME, platform=NAME, name=GLOB, hostname=GLOB or data.KEY=VALUE (repeatable).",
        rich_help_panel="Fleet",
    ),
    workers: Optional[int] = typer.Option(None, "--workers", help="Devices pulled at once (default 32).", rich_help_panel="Fleet"),
    timeout: Optional[float] = typer.Option(None, "--timeout", help="Seconds for connect, login, and of silence while reading (default 15).", rich_help_panel="Fleet"),
    retries: Optional[int] = typer.Option(None, "--retries", help="Retries for transient failures (default 1).", rich_help_panel="Fleet"),
    deadline: Optional[float] = typer.Option(None, "--deadline", help="Seconds one device may take in all, retries included (default 10 x --timeout).", rich_help_panel="Fleet"),
    max_output: Optional[int] = typer.Option(None, "--max-output", help="MiB of output read from one device (default 64).", rich_help_panel="Fleet"),
    known_hosts: Optional[Path] = typer.Option(None, "--known-hosts", help="Check host keys strictly against this OpenSSH known_hosts file.", rich_help_panel="Fleet"),
    accept_any_host_key: bool = typer.Option(False, "--accept-any-host-key", help="Do not check host keys at all (default: trust on first use, then check).", rich_help_panel="Fleet"),
    allow_proxy_command: bool = typer.Option(
        False,
        "--allow-proxy-command",
        help="Follow ProxyCommand/ProxyJump from ssh_config files an inventory or Nornir config names (they run a command on this host).",
        rich_help_panel="Fleet",
    ),
    probe: bool = typer.Option(
        False,
        "--probe",
        help="Also probe TCP 23 and the SSH port of every host and hold the wire against the config (NET rules).",
        rich_help_panel="Fleet",
    ),
    telnet_port: List[int] = typer.Option([], "--telnet-port", help="With --probe: port(s) checked as Telnet (default 23).", rich_help_panel="Fleet"),
    source_address: Optional[str] = typer.Option(
        None,
        "--source-address",
        help="Connect from this local address (a collector with several interfaces: the one devices' ACLs admit).",
        rich_help_panel="Fleet",
    ),
    save_dir: Optional[Path] = typer.Option(None, "--save-dir", help="Also save each pulled config as <name>.cfg here (atomically).", rich_help_panel="Fleet"),
) -> None:
    """Audit configs and report findings with lockout-safe remediation.

    Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error,
    3 an input could not be audited (wins over 1).
    """
    from auditor.config import describe
    from auditor.reports import Report

    # The command line over the environment over the configuration file over the defaults, resolved
    # once; read below, never the raw options.
    resolved, settings, config_path = resolve_settings(
        dict(
            select=select,
            ignore=ignore,
            include=include,
            exclude=exclude,
            mgmt_nets=mgmt_net,
            acl_name=acl_name,
            profile=profile,
            fail_on=fail_on,
            skip_non_configs=skip_non_configs,
            allow_unsupported=allow_unsupported,
            workers=workers,
            timeout=timeout,
            retries=retries,
            known_hosts=known_hosts,
            deadline=deadline,
            max_output=max_output,
            accept_any_host_key=accept_any_host_key,
            source_address=source_address,
        ),
        config,
        isolated,
    )
    select, ignore, include, exclude = list(resolved.select), list(resolved.ignore), list(resolved.include), list(resolved.exclude)
    mgmt_net, acl_name, profile, fail_on = list(resolved.mgmt_nets), resolved.acl_name, resolved.profile, resolved.fail_on
    reader = (platform, ()) if platform is not None else settings.platform_choice()
    # What every input is audited with: the command line over the configuration file, checked once.
    request = audit_request(select, ignore, profile, mgmt_net, acl_name, platform_version, reader, params=settings.rules, severity=settings.severity)
    threshold = output_options(format, fail_on)
    mode = parse_mode(output_mode)
    known = load_baseline(baseline) if baseline is not None else None
    paths = list(paths or [])
    skipped: list[str] = []  # symlinks leading out of a scanned directory
    configured = settings.inventory or settings.nornir_config
    inventory = inventory or (Path(configured) if configured and not paths else None)
    if pre_commit:
        if diff_base is not None:
            usage("--pre-commit takes its base from pre-commit: do not give --diff-base too")
        # pre-commit sets these for `pre-commit run --from-ref A --to-ref B` (CI); a commit hook
        # compares the staged files with HEAD. The files audited are the work tree's: check out B.
        diff_base = os.environ.get("PRE_COMMIT_FROM_REF") or os.environ.get("PRE_COMMIT_SOURCE") or "HEAD"
    if diff_base is not None and inventory is not None:
        usage("--diff-base compares config files in a git work tree: give their paths, not --inventory")
    diff_base = diff_base or (settings.diff_base if inventory is None else None)
    if fail_on_new and change is None:
        usage("--fail-on-new needs --change")
    # The scan as stages. A source gives the devices' reports (pulled from an inventory, the files a
    # branch changes, or files); each source checks its own usage first. The stages after it take
    # the reports and give them on: streamed where they can be, collected where they need every one.
    if inventory is not None:
        devices = inventory_source(
            inventory,
            paths,
            change,
            limit,
            filter,
            resolved,
            request,
            probe=probe,
            telnet_ports=tuple(telnet_port) or (23,),
            save_dir=save_dir,
            shard=shard,
            allow_proxy_command=allow_proxy_command,
        )
    elif diff_base is not None:
        devices, diffed = diff_source(diff_base, paths, change, known, include, exclude, request, input_timeout or None, skipped)
    else:
        devices = files_source(paths, include, exclude, request, jobs, input_timeout, skipped, shard, save_dir, probe or bool(telnet_port))
    if inventory is None:
        # A note or README found while walking a directory is listed as skipped; one named on the
        # command line still fails (exit 3), unless --skip-non-configs leaves out those too.
        kept = without_non_configs(devices, paths, resolved.skip_non_configs or diff_base is not None, skipped)
        devices = list(kept) if isinstance(devices, list) else kept  # a collected source stays collected
    if change is not None:
        devices = pre_change(devices, change, paths, request)
    stale: list = []
    if known is not None:
        devices, stale = against_baseline(devices, known)
    run = {
        "command": "scan",
        "inputs": str(inventory) if inventory is not None else ", ".join(paths),
        "profile": profile,
        "select": list(select),
        "ignore": list(ignore),
        "fail_on": threshold.value,
        "mgmt_nets": list(mgmt_net),
        **({"allow_unsupported": True} if resolved.allow_unsupported else {}),
        "rules": ran_rules(select, ignore, profile, probe),
        **describe(settings, config_path, isolated),
        "settings_from": {k: v for k, v in resolved.origins.items() if v != "default"},
        "skipped": skipped,  # filled as the devices stream by; the JSON report writes it after them
        **({"shard": f"{shard[0]}/{shard[1]}"} if shard else {}),
        **({"probe": True} if probe else {}),
        **({"baseline": str(baseline)} if baseline is not None else {}),
        **({"change": str(change)} if change is not None else {}),
        **({"diff_base": diffed} if diff_base is not None else {}),
    }
    interrupted = isinstance(devices, list) and any(d.status is DeviceStatus.CANCELLED for d in devices)
    if interrupted:
        run["interrupted"] = True
    if isinstance(devices, list):
        report = Report(devices=tuple(devices), stale_baseline=tuple(e.model_dump() for e in stale), run=run)
    else:  # audited while the report is written: memory stays flat however many inputs
        report = Report.streamed(devices, run=run)
    emit_report(report, format, output, color, mode=mode, show_fixes=show_fixes)
    if statistics:
        print_statistics(report, settings.severity, show_statuses=inventory is None)
    if interrupted:
        exit_interrupted()
    new_only = fail_on_new or diff_base is not None
    raise typer.Exit(exit_code(report, threshold, new_only=new_only, allow_unsupported=resolved.allow_unsupported))


def print_statistics(report, overrides: dict, show_statuses: bool = True) -> None:
    """Findings per rule (with its severity) and devices per status, on stderr (ruff's --statistics).
    A fleet run has printed its devices per status already (`show_statuses` False)."""
    from rich.console import Console
    from rich.table import Table

    from auditor.suppress import META_RULES
    from rules import REGISTRY

    known = {r.meta.id: r for r in (*REGISTRY, *META_RULES)}
    summary = report.summary
    console = Console(stderr=True, highlight=False)
    rules = Table(title="findings per rule", title_justify="left")
    for column in ("count", "rule", "name", "severity"):
        rules.add_column(column, justify="right" if column == "count" else "left")
    for rule_id, count in sorted(summary.by_rule.items(), key=lambda item: (-item[1], item[0])):
        rule = known.get(rule_id)
        severity = overrides.get(rule_id) or (rule.meta.severity if rule else None)
        rules.add_row(str(count), rule_id, rule.meta.name if rule else "", getattr(severity, "value", "") or "")
    statuses = Table(title="devices per status", title_justify="left")
    statuses.add_column("count", justify="right")
    statuses.add_column("status")
    statuses.add_row(str(summary.audited), "audited")
    for status, count in summary.not_audited.items():
        statuses.add_row(str(count), status)
    console.print(rules)
    if show_statuses:
        console.print(statuses)


def ran_rules(select, ignore, profile: str, probe: bool = False) -> list[str]:
    """Ids of the rules this run executes, after --select/--ignore/--profile: reports list these."""
    from auditor.engine import ran_rule_ids
    from auditor.profiles import PROFILES

    return ran_rule_ids(select, ignore, profile, wire=probe) if profile in PROFILES else []
