"""Plumbing the commands share: settings, usage errors, report output, exit codes, hosts.

Commands import from here, never from each other, so a new command plugs in
without joining an import circle.
"""

from __future__ import annotations

import getpass
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import List, Mapping, NoReturn, Optional

import typer
from pydantic import ValidationError

from auditor.cli.exitcodes import CLEAN, FINDINGS, INCOMPLETE, USAGE
from auditor.findings import DeviceReport, DeviceStatus, Severity

ENV_USERNAME = "VTY_AUDITOR_USERNAME"
ENV_PASSWORD = "VTY_AUDITOR_PASSWORD"
ENV_SECRET = "VTY_AUDITOR_SECRET"
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

    with Progress(TextColumn("probing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True, disable=not console.is_terminal) as progress:
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


_VERBOSITY = [0]  # -1 quiet, 0 default, 1 verbose: set once by the root command's -q / -v


def set_verbosity(quiet: bool, verbose: bool) -> None:
    _VERBOSITY[0] = -1 if quiet else 1 if verbose else 0


def note(message: str) -> None:
    """What the run did beside the report (a file skipped, a file written): stderr, unless -q.
    Warnings and errors are printed whatever the verbosity."""
    if _VERBOSITY[0] >= 0:
        print(message, file=sys.stderr)


def detail(message: str) -> None:
    """One line per input as it is audited: stderr, with -v only."""
    if _VERBOSITY[0] > 0:
        print(message, file=sys.stderr)


def emit_report(report, format: str, output: Optional[Path], color: Optional[bool] = None, mode: int = REPORT_MODE, show_fixes: bool = False) -> None:
    """The report to stdout, or atomically to --output; colour only for text on a terminal; the text
    report's scripts only with `show_fixes`."""
    from auditor.reports import write

    # NO_COLOR (no-color.org): any non-empty value turns colour off unless --color asks for it.
    use_color = (output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")) if color is None else color
    emit = lambda stream: write(format, report, stream, color=use_color and format == "text", show_fixes=show_fixes)  # noqa: E731
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


def resolve_settings(given: dict, config: Optional[Path] = None, isolated: bool = False, read_file: bool = True):
    """(resolved settings, the file's settings, the file's path), once per command: the command
    line (`given`: the options the command takes, None where not given) over the environment
    (`auditor.config.ENVIRONMENT`) over the configuration file (none with `isolated`, or for a
    command that reads none: `read_file`) over the defaults. A bad file or environment value is a
    usage error naming it."""
    from auditor.config import ConfigError, Settings, resolve

    if isolated and config is not None:
        usage("--isolated ignores configuration files: do not give --config too")
    settings, path = load_settings(config, isolated) if read_file else (Settings(), None)
    try:
        return resolve(given, settings, path), settings, path
    except ConfigError as exc:
        usage(str(exc))


def exit_code(report, threshold: Severity, new_only: bool = False, allow_unsupported: bool = False) -> int:
    """From the summary (so it also works once a streamed report has been written). With
    `allow_unsupported`, another platform's config (named, not audited) does not make it 3."""
    summary = report.summary
    accepted = summary.not_audited.get(DeviceStatus.UNSUPPORTED.value, 0) if allow_unsupported else 0
    if summary.audited + accepted < summary.devices:
        return INCOMPLETE
    if not new_only:
        gated = any(n for s, n in summary.by_severity.items() if Severity(s).rank >= threshold.rank)
        return FINDINGS if gated else CLEAN

    def gating(device):
        return device.change.introduced if new_only and device.change is not None else device.findings

    if any(f.severity.rank >= threshold.rank for d in report.devices for f in gating(d)):
        return FINDINGS
    return CLEAN


def usage(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(USAGE)


def load_fill(path: Optional[Path]) -> dict[str, str]:
    """The placeholder values of `fix --fill FILE` (TOML, at most 64 KiB); a usage error names the
    file and the key, never a value."""
    if path is None:
        return {}
    from auditor.config import tomllib
    from auditor.fix import fill_values
    from auditor.reports import printable

    try:
        with open(path, "rb") as handle:
            data = handle.read(65537)
        if len(data) > 65536:
            usage(f"--fill {printable(str(path))}: larger than 64 KiB")
        return fill_values(tomllib.loads(data.decode("utf-8")))
    except (OSError, UnicodeDecodeError) as exc:
        usage(f"--fill {printable(str(path))}: cannot read it ({exc.__class__.__name__})")
    except tomllib.TOMLDecodeError:
        usage(f"--fill {printable(str(path))}: not valid TOML")
    except ValueError as exc:
        usage(f"--fill {printable(str(path))}: {printable(str(exc))}")


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


def credentials_for(hosts, env: Mapping[str, str] = os.environ, interactive: Optional[bool] = None):
    """Fallback credentials for the hosts the inventory gives none; prompt only on a terminal."""
    from pydantic import SecretStr

    from auditor.pull import Credentials

    username = env.get(ENV_USERNAME) or None
    password = env.get(ENV_PASSWORD) or None
    secret = env.get(ENV_SECRET) or None
    hosts = [h for h in hosts if h.unsupported is None]  # never connected to
    need_username = username is None and any(h.username is None for h in hosts)
    # A host the inventory gives a key (`use_keys`, `key_file`) or the agent needs no password.
    need_password = password is None and any(h.password is None and not h.key_auth for h in hosts)
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


def _check_source(address: str, name: str = "--source-address") -> None:
    """--source-address must be an address of this host: bind to it once, before any device."""
    import ipaddress
    import socket

    try:
        family = socket.AF_INET6 if ipaddress.ip_address(address).version == 6 else socket.AF_INET
    except ValueError:
        usage(f"{name} {address!r} is not an IP address")
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((address, 0))
        except OSError as exc:
            usage(f"{name} {address} is not an address of this host ({exc.strerror})")


def pull_settings(resolved, allow_proxy_command=False):
    """The pull settings from the command's resolved settings (`auditor.config.resolve`: command
    line over the configuration file). `allow_proxy_command` is the command line's alone: a
    repository's configuration file must never let a scan run a command."""
    from pydantic import ValidationError

    from auditor.pull import PullSettings

    accept_any = resolved.accept_any_host_key
    strict = resolved.known_hosts
    if accept_any and strict:
        usage("--accept-any-host-key and --known-hosts contradict each other: give one")
    if accept_any:
        print("warning: --accept-any-host-key: host keys are not checked; a device impersonator would receive the credentials", file=sys.stderr)
    values = {
        "host_keys": "strict" if strict else "any" if accept_any else "tofu",
        "workers": resolved.workers,
        "timeout": resolved.timeout,
        "retries": resolved.retries,
        "known_hosts": Path(strict) if strict else None,
        "deadline": resolved.deadline,
        "max_output": resolved.max_output,
        "source_address": resolved.source_address,
        "allow_proxy_command": bool(allow_proxy_command),
    }
    if values["source_address"] is not None:
        _check_source(values["source_address"], named(resolved, "source_address"))
    if values["max_output"] is not None:
        if values["max_output"] < 1:
            usage(f"{named(resolved, 'max_output')} must be at least 1 (MiB)")
        values["max_output"] *= 1024 * 1024
    if values["known_hosts"] is not None and not values["known_hosts"].is_file():
        usage(f"{named(resolved, 'known_hosts')} {values['known_hosts']}: no such file")
    try:
        return PullSettings(**{k: v for k, v in values.items() if v is not None})
    except ValidationError as exc:
        usage("; ".join(f"{named(resolved, str(e['loc'][0]))}: {e['msg']}" for e in exc.errors(include_url=False)))


def named(resolved, name: str) -> str:
    """A setting as an error names it: `--timeout` when the command line gave it, else the key
    and where it came from (`timeout (from environment (VTY_AUDITOR_TIMEOUT))`)."""
    origin = resolved.origins.get(name, "command line")
    flag = name.replace("_", "-")
    return f"--{flag}" if origin == "command line" else f"{flag} (from {origin})"


def audit_options(select, ignore, profile, mgmt_net, acl_name, platform_version, reader=("auto", ()), revert_minutes: int = 10):
    """Check the rule selection and build AuditOptions; usage errors exit 2."""
    from auditor.engine import unknown_selectors
    from auditor.profiles import PROFILES
    from auditor.rule import AuditOptions

    if profile not in PROFILES:
        usage(f"unknown profile {profile!r}; choose from {', '.join(PROFILES)}")
    from auditor.config import nearest_rule

    bad = unknown_selectors(tuple(select) + tuple(ignore))
    if bad:
        usage(f"no rule matches {', '.join(bad)}{nearest_rule(bad[0])} (see `vty-auditor rules`)")
    try:
        return AuditOptions(
            mgmt_nets=tuple(mgmt_net),
            acl_name=acl_name,
            platform_version=platform_version,
            platform=reader[0],
            platform_overrides=reader[1],
            revert_minutes=revert_minutes,
        )
    except ValidationError as exc:
        usage("; ".join(f"{'/'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_url=False)))


def audit_request(select, ignore, profile, mgmt_net, acl_name, platform_version, reader=("auto", ()), revert_minutes: int = 10, params=None, severity=None):
    """The one AuditRequest a command audits with, its selection and options checked (usage errors
    exit 2): what reaches the batch workers, the fleet and `fix`."""
    from auditor.engine import AuditRequest

    options = audit_options(select, ignore, profile, mgmt_net, acl_name, platform_version, reader, revert_minutes)
    return AuditRequest(options=options, select=tuple(select), ignore=tuple(ignore), profile=profile, params=params or {}, severity=severity or {})


def prepare_save_dir(save_dir: Path, hosts) -> None:
    """Create the directory (and its parents) when missing; refuse, before any pull, two devices
    whose saved file names would be the same (`core/a` and `core_a` both make `core_a.cfg`)."""
    from auditor.fleet import saved_name

    owners: dict[str, list[str]] = {}
    for host in hosts:
        owners.setdefault(saved_name(host).lower(), []).append(host.name)  # case-insensitive file systems too
    clashes = {name: who for name, who in owners.items() if len(who) > 1}
    if clashes:
        usage("--save-dir: these devices would be saved to one file: " + "; ".join(f"{', '.join(who)} -> {name}" for name, who in sorted(clashes.items())))
    try:
        save_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        usage(f"--save-dir {save_dir}: {exc.strerror or exc.__class__.__name__}")
    if not save_dir.is_dir():
        usage(f"--save-dir {save_dir}: not a directory")


def run_fleet(hosts, credentials, settings, request=None, save_dir: Optional[Path] = None, probe: bool = False, telnet_ports=(23,)) -> list[DeviceReport]:
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
        TextColumn("pulling"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("[red]{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task("pull", total=len(hosts), failed=0)
        try:
            for report in () if interrupted else scan_fleet(hosts, credentials, settings, request, save_dir, wires=wires):
                failed += report.status.pull_failure or report.status is DeviceStatus.ERROR
                progress.update(task, advance=1, failed=failed)
                reports.append(report)
        except KeyboardInterrupt:
            # Ctrl-C or SIGTERM: pull_all has closed the open sessions; keep what finished.
            interrupted = True
    if interrupted:
        finished = {r.source for r in reports}
        reports += [DeviceReport(source=h.name, address=h.address, status=DeviceStatus.CANCELLED, error="the run was interrupted before this device was done") for h in hosts if h.name not in finished]
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
    findings = {status: 0 for status in counts}
    for report in reports:
        findings[report.status.value] += len(report.findings)
    table.add_column("status")
    table.add_column("devices", justify="right")
    table.add_column("findings", justify="right")
    table.add_column("examples")
    for status, names in sorted(counts.items(), key=lambda item: (item[0] != "audited", item[0])):
        shown = ", ".join(names[:5]) + (f", … (+{len(names) - 5})" if len(names) > 5 else "")
        shown = escape(printable(shown))  # inventory names are untrusted: never markup
        table.add_row(status if status != "audited" else "pulled", str(len(names)), str(findings[status]) if status == "audited" else "-", shown)
    console.print(table)


def iter_audits(paths, include, exclude, request, jobs=None, seconds=60.0, skipped=None, shard=None):
    """Validate the input options (usage errors exit 2 before anything is audited), then
    return an iterator of the inputs' reports (each audited as `request` says), audited as it is read."""
    from auditor.sources import DEFAULT_INCLUDE, SourceError, discover

    try:
        sources = discover(paths, include=tuple(include) or DEFAULT_INCLUDE, exclude=tuple(exclude), skipped=skipped)
    except SourceError as exc:
        usage(str(exc))
    for item in skipped or ():
        note(f"skipped {item}")
    if not sources:
        usage("no config files found in " + ", ".join(paths))
    if shard is not None:
        from auditor.cli.options import in_shard

        sources = [s for s in sources if in_shard(s, shard)]
    if jobs is not None and jobs < 1:
        usage("--jobs must be at least 1")

    from auditor.batch import audit_all

    from auditor.reports import one_line

    def audited():
        show = len(sources) > 20 and sys.stderr.isatty() and _VERBOSITY[0] == 0
        for i, device in enumerate(audit_all(sources, jobs, request, seconds=seconds), 1):
            if show:
                print(f"\r[{i}/{len(sources)}] {one_line(device.source)[-60:]:60}", end="", file=sys.stderr)
            detail(describe_device(device, i, len(sources)))
            yield device
        if show:
            print(file=sys.stderr)

    return audited()


def describe_device(device, index: int, total: int) -> str:
    """`-v`: an input as audited, on one line (untrusted text made printable)."""
    from auditor.reports import one_line

    what = f"{len(device.findings)} finding(s)" if device.status.value == "audited" else one_line(device.error or "")
    platform = f" ({device.platform}: {one_line('; '.join(device.platform_evidence[:1]))})" if device.platform else ""
    return f"[{index}/{total}] {one_line(device.source)}: {device.status.value}{platform}: {what}"
