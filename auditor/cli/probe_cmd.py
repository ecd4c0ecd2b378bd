"""`vty-auditor probe HOST...`: is Telnet really refused and SSH v2 really there?

TCP connects only: nothing is sent beyond the handshake, no credential is used.
Findings (NET001-NET003) go into the same report model, formats and exit
codes as an audit; a host that does not resolve makes the exit code 3.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from auditor.cli.options import comma_list, shard_option

from auditor.cli.common import exit_interrupted, load_hosts, run_probes, usage


def probe(
    hosts: List[str] = typer.Argument(None, help="Host names or addresses (or use --inventory)."),
    inventory: Optional[Path] = typer.Option(None, "--inventory", "-i", "--nornir-config", help="Probe the hosts of this Nornir hosts.yaml, Nornir config file or text file."),
    limit: List[str] = typer.Option([], "--limit", callback=comma_list, help="Only inventory hosts whose name matches this glob (repeatable)."),
    filter: List[str] = typer.Option([], "--filter", callback=comma_list, help="Only inventory hosts with group=NAME, platform=NAME, name=GLOB, hostname=GLOB or data.KEY=VALUE."),
    telnet_port: List[int] = typer.Option([], "--telnet-port", help="Port(s) checked as Telnet (default 23)."),
    ssh_port: List[int] = typer.Option([], "--ssh-port", help="Port(s) checked as SSH (default 22, or the inventory's port)."),
    port: List[int] = typer.Option([], "--port", help="Further ports to probe and report (repeatable)."),
    timeout: float = typer.Option(3.0, "--timeout", help="Seconds to wait for each TCP connect."),
    workers: int = typer.Option(64, "--workers", help="Hosts probed at once."),
    format: str = typer.Option("text", "--format", "-f", help="Report format: text, json, sarif, junit, github, html."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file (atomically)."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", help="Lowest severity that makes the exit code 1 (default low)."),
    select: List[str] = typer.Option([], "--select", callback=comma_list, help="Only these rule ids or prefixes (repeatable)."),
    ignore: List[str] = typer.Option([], "--ignore", callback=comma_list, help="Skip these rule ids or prefixes (repeatable)."),
    shard: Optional[str] = typer.Option(None, "--shard", callback=shard_option, help="Take the K-th of N stable shares of the hosts (K/N)."),
) -> None:
    """Probe the management ports (Telnet 23, SSH 22) of hosts and report what answers.

    Outcomes read like `telnet HOST PORT`: open (something listens), refused (host
    reached, nothing listening), timeout (dropped on the path, or host down),
    unresolved (DNS), unreachable (no route). Exit codes: 0 clean, 1 findings,
    2 usage error, 3 a host could not be probed.
    """
    from auditor.cli.common import emit_report, exit_code, output_options, resolve_settings
    from auditor.engine import probe_report, unknown_selectors
    from auditor.reports import Report

    # The command line over the environment (probe reads no configuration file: it reads no config).
    resolved = resolve_settings(dict(fail_on=fail_on, select=select, ignore=ignore), read_file=False)[0]
    select, ignore = list(resolved.select), list(resolved.ignore)
    threshold = output_options(format, resolved.fail_on)
    from auditor.config import nearest_rule

    bad = unknown_selectors(tuple(select) + tuple(ignore))
    if bad:
        usage(f"no rule matches {', '.join(bad)}{nearest_rule(bad[0])} (see `vty-auditor rules`)")
    if timeout <= 0 or workers < 1 or any(not 1 <= p <= 65535 for p in [*telnet_port, *ssh_port, *port]):
        usage("--timeout must be positive, --workers at least 1, ports 1-65535")
    targets = build_targets(hosts or [], inventory, limit, filter, telnet_port, ssh_port, port, shard)
    results, unprobed = run_probes(targets, timeout, workers)
    from auditor.engine import ran_rule_ids
    from auditor.findings import DeviceReport, DeviceStatus

    ran = ran_rule_ids(select, ignore, profile=None, wire=True)
    run = {"command": "probe", "timeout": timeout, "select": list(select), "ignore": list(ignore), "fail_on": threshold.value, "rules": ran}
    devices = [probe_report(r, tuple(select), tuple(ignore)) for r in results]
    if unprobed is not False:
        run["interrupted"] = True
        devices += [DeviceReport(source=t.name, address=t.host, status=DeviceStatus.CANCELLED, error="the run was interrupted before this host was probed") for t in unprobed]
    report = Report(devices=tuple(devices), run=run)
    emit_report(report, format, output)
    if unprobed is not False:
        exit_interrupted()
    raise typer.Exit(exit_code(report, threshold))


def build_targets(hosts, inventory, limit, filters, telnet_ports, ssh_ports, other_ports, shard=None):
    """Targets from the command line or an inventory; the inventory's port is the SSH port unless --ssh-port says."""
    from auditor.probe import Target, ports_for

    if hosts and inventory is not None:
        usage("give hosts or --inventory, not both")
    if not hosts and inventory is None:
        usage("give hosts to probe, or --inventory")
    telnet = tuple(telnet_ports) or (23,)
    if inventory is not None:
        return [Target(name=h.name, host=h.hostname, ports=ports_for(telnet, tuple(ssh_ports) or (h.port,), tuple(other_ports))) for h in load_hosts(inventory, limit, filters, shard)]
    from auditor.cli.options import in_shard

    return [Target(name=h, host=h, ports=ports_for(telnet, tuple(ssh_ports) or (22,), tuple(other_ports))) for h in dict.fromkeys(hosts) if in_shard(h, shard)]
