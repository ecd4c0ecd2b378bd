"""A Nornir task for users' own Nornir scripts: `vty_audit` pulls one host and returns its device report.

    from nornir import InitNornir
    from auditor.nornir import vty_audit

    nr = InitNornir(config_file="config.yaml")
    results = nr.run(task=vty_audit)
    reports = {name: result[0].result for name, result in results.items()}   # auditor.findings.DeviceReport

The host is reached with the connection parameters Nornir gives its netmiko plugin
(`get_connection_parameters("netmiko")`: hostname, port, credentials, platform and every
extra), in a session of its own, so the host key is checked as `scan --inventory` checks it
(trust on first use by default) and every wait is bounded: a task that hangs on one host
holds a worker, not the run. The report is the one `scan --inventory` gives for that host.
To read the config through a connection you already hold, use
`auditor.pull.read_running_config(connection, platform)`.
"""

from __future__ import annotations

from typing import Any, Optional

from auditor.findings import DeviceStatus


def vty_audit(task: Any, settings: Optional[Any] = None, options: Optional[Any] = None, select: tuple[str, ...] = (), ignore: tuple[str, ...] = (), profile: str = "all") -> Any:
    """Pull `task.host`'s running-config and audit it; the Result's `result` is its DeviceReport
    (failed when the host could not be audited, as its status says)."""
    from nornir.core.task import Result

    from auditor.engine import AuditRequest
    from auditor.fleet import report_of
    from auditor.inventory import from_nornir
    from auditor.pull import Credentials, PullSettings, pull_one
    from auditor.rule import AuditOptions

    host = from_nornir(task.host, task.nornir.config.ssh.config_file)
    pulled = pull_one(host, Credentials(), settings or PullSettings())
    request = AuditRequest(options=options or AuditOptions(), select=tuple(select), ignore=tuple(ignore), profile=profile)
    report = report_of(pulled, request)
    return Result(host=task.host, result=report, failed=report.status is not DeviceStatus.AUDITED, changed=False)
