"""A fleet scan: pull each inventory device, save and/or audit it as it arrives.

Results stream: a config is audited (and optionally saved) as soon as its pull
completes and is then dropped, so memory holds the small per-device reports,
not the fleet's configs. A device is named by its inventory name in every
report (`source`), with the address it was reached at (`address`); the
`hostname` stays the one the config declares.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Optional

from auditor.engine import AuditRequest
from auditor.findings import DeviceReport, DeviceStatus
from auditor.inventory import Host
from auditor.pull import Credentials, Pulled, PullSettings, pull_all

if TYPE_CHECKING:
    import threading

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._@+-]")


def saved_name(host: Host) -> str:
    """`<inventory name>.cfg`, with characters unsafe in a file name replaced by `_`."""
    name = _SAFE_NAME.sub("_", host.name).lstrip(".") or "_"
    return f"{name}.cfg"


def save(directory: Path, host: Host, config: bytes) -> Path:
    """Write `<directory>/<name>.cfg` atomically: a temporary file in the same directory, then rename."""
    target = directory / saved_name(host)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(config)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def scan_fleet(
    hosts: Iterable[Host],
    credentials: Credentials,
    settings: PullSettings,
    request: Optional[AuditRequest] = None,
    save_dir: Optional[Path] = None,
    on_result: Callable[[DeviceReport], None] = lambda report: None,
    wires: Optional[dict] = None,
) -> Iterator[DeviceReport]:
    """Pull every host; yield one DeviceReport each, in completion order.

    With a `request` (None = pull only) a pulled config is audited; with
    `save_dir` it is also saved. Without auditing, a pulled device reports
    status `audited` with no findings, meaning "collected". `wires` maps
    inventory names to probe results (`scan --probe`): the wire rules then
    judge them against each config.
    """
    for pulled in pull_all(hosts, credentials, settings):
        report = report_of(pulled, request, save_dir, (wires or {}).get(pulled.host.name))
        on_result(report)
        yield report


def report_of(pulled: Pulled, request: Optional[AuditRequest], save_dir: Optional[Path] = None, wire=None) -> DeviceReport:
    """One pulled device's report: its failure, or its config audited as its inventory platform says."""
    host = pulled.host
    if pulled.status is not DeviceStatus.AUDITED or pulled.config is None:
        failed = DeviceReport(source=host.name, address=host.address, status=pulled.status, error=pulled.detail)
        if wire is None:
            return failed
        # Not audited, but what the wire showed still helps to say why (and is kept).
        from auditor.engine import wire_findings

        asked = request or AuditRequest()
        found = wire_findings(wire, None, asked.options, asked.select, asked.ignore)
        return failed.model_copy(update={"probe": wire.ports, "findings": tuple(found)})
    if save_dir is not None:
        try:
            save(save_dir, host, pulled.config)
        except OSError as exc:
            return DeviceReport(
                source=host.name,
                address=host.address,
                status=DeviceStatus.ERROR,
                error=f"pulled, but cannot save to {save_dir}: {exc.strerror or exc.__class__.__name__}",
            )
    if request is None:
        return DeviceReport(source=host.name, address=host.address, status=DeviceStatus.AUDITED)
    try:
        report = _for_host(host, request).audit(pulled.config, source=host.name, wire=wire)
    except Exception as exc:  # a bug must not hide the other devices' results
        return DeviceReport(source=host.name, address=host.address, status=DeviceStatus.ERROR, error=f"internal error: {exc.__class__.__name__}")
    return report.model_copy(update={"address": host.address})


def _for_host(host: Host, request: AuditRequest) -> AuditRequest:
    """The audit of one pulled device: its inventory platform decides how it is read."""
    if request.options.platform != "auto":
        return request
    from auditor.platforms import DEVICE_TYPES

    return request.with_options(platform=DEVICE_TYPES.get(host.platform, "auto"))


# After one of these, no new device is changed: a change undone, an end state unknown, or a device
# lost while being changed (its session dropped or timed out mid-change).
STOPPING = ("reverted", "reverted-by-timer", "unverified", "ssh-error", "timeout", "truncated")


def same_device(hosts: list[Host]) -> dict[str, str]:
    """Inventory name -> the earlier name with the same address and port: two names for one device
    must never be changed at once (two timers on one box, each from the same pre-change pull).
    Addresses are compared as written (an IP literal in its canonical form, a name lower-cased):
    no DNS lookup, which no deadline bounds."""
    import ipaddress

    seen: dict[tuple, str] = {}
    twins: dict[str, str] = {}
    for host in hosts:
        try:
            address = str(ipaddress.ip_address(host.hostname))
        except ValueError:
            address = host.hostname.lower().rstrip(".")
        key = (address, host.port)
        if key in seen:
            twins[host.name] = seen[key]
        else:
            seen[key] = host.name
    return twins


def plan_fleet(
    hosts: Iterable[Host],
    credentials: Credentials,
    settings: PullSettings,
    request: AuditRequest,
    apply: bool = False,
    keep_going: bool = False,
    values: dict[str, str] | None = None,
    cancel: threading.Event | None = None,
    under_change: dict | None = None,
) -> Iterator:
    """Pull and audit every host, and plan its fix (`auditor.fix`). Without `apply` nothing is
    sent but the pull's own read-only commands; with it, each `ready` device is changed
    (`auditor.apply`), at most `settings.workers` at a time, and once one ends `reverted`
    (or reverted by its timer, or unverified) no further change is started unless
    `keep_going`: changes already under way finish. Yields FixPlans in completion order."""
    import threading
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    from auditor.fix import FixPlan, plan

    stop = threading.Event()
    cancel = cancel or threading.Event()  # set by the first Ctrl-C: no new pull or change starts
    under_change = under_change if under_change is not None else {}  # name -> what is being done to it now
    hosts = list(hosts)
    twins = same_device(hosts) if apply else {}
    reached: set[str] = set()

    def change(host, planned, report, config, asked):
        if cancel.is_set():
            return planned.model_copy(update={"status": "skipped", "reasons": ("not changed: the run was interrupted",)})
        if stop.is_set():
            return planned.model_copy(update={"status": "skipped", "reasons": ("not changed: an earlier device was reverted (--keep-going goes on)",)})
        from auditor.apply import apply_plan

        under_change[host.name] = report.platform
        try:
            result = apply_plan(host, credentials, settings, planned, report, config, asked, values=values)
        except Exception as exc:  # a bug must not hide the other devices' results
            result = planned.model_copy(update={"status": DeviceStatus.ERROR.value, "reasons": (f"internal error while applying: {exc.__class__.__name__}",)})
        finally:
            under_change.pop(host.name, None)
        if result.status in STOPPING and not keep_going:
            stop.set()
        return result

    changing: set = set()
    # Not a `with`: a second interrupt must leave at once, not wait here for the changes under way.
    pool = ThreadPoolExecutor(max_workers=max(1, settings.workers), thread_name_prefix="apply")
    try:
        for pulled in pull_all(hosts, credentials, settings, cancel=cancel):
            reached.add(pulled.host.name)
            done = {f for f in changing if f.done()}
            changing -= done
            yield from (f.result() for f in done)
            host = pulled.host
            if pulled.status is not DeviceStatus.AUDITED or pulled.config is None:
                yield FixPlan(source=host.name, status=pulled.status.value, reasons=(pulled.detail,))
                continue
            asked = _for_host(host, request)
            report = asked.audit(pulled.config, source=host.name)
            if report.status is not DeviceStatus.AUDITED:
                yield FixPlan(source=host.name, status=report.status.value, reasons=(report.error or "",))
                continue
            planned = plan(report, pulled.config, pulled.local_address, asked, host.username or credentials.username, values)
            if apply and planned.status == "ready" and host.name in twins:
                yield planned.model_copy(update={"status": "refused", "reasons": (f"the same device as {twins[host.name]} (same address and port): changed once, under that name",)})
            elif apply and planned.status == "ready":
                changing.add(pool.submit(change, host, planned, report, pulled.config, asked))
            else:
                yield planned
        while changing:  # changes under way reach a safe end (confirmed and saved, or reverted), interrupted or not
            done, changing = wait(changing, return_when=FIRST_COMPLETED)
            yield from (f.result() for f in done)
    finally:
        pool.shutdown(wait=False)
    for host in hosts:
        if host.name not in reached:
            yield FixPlan(source=host.name, status="cancelled", reasons=("not pulled: the run was interrupted",))
