"""Pull running-configs from devices with netmiko: the only network I/O of a scan.

Each device gets one SSH session: log in, enter enable mode when the prompt is
`>` and a secret is known, `show running-config`, log out. Whatever goes wrong
becomes one `DeviceStatus` failure class (never an exception), so one broken
device never hides the others:

| class | meaning |
|---|---|
| unreachable-refused | TCP reset: the host is up, nothing listens on the port |
| unreachable-timeout | the TCP connect got no answer (host down, or dropped by a filter) |
| unreachable-no-route | no route to the host or its network |
| dns-failure | the hostname does not resolve |
| auth-failed | username/password (or the enable secret) rejected |
| ssh-error | no SSH banner, protocol or negotiation error |
| host-key-mismatch | with --known-hosts: the device presented a different key |
| host-key-unknown | with --known-hosts: the file has no key for the device |
| command-rejected | `show running-config` refused: `% Invalid input` (privilege), authorization failed |
| truncated | the output ended before the config's final `end` |
| timeout | the device stopped sending in the middle of the session |

The read timeout is an *idle* timeout: a 50,000-line config that streams for a
minute is fine, a device silent for `timeout` seconds is not. Transient classes
(`unreachable-timeout`, `ssh-error`, `timeout`, `truncated`) are retried.

Every device is also bounded whatever it sends: a total deadline (default 10 ×
`timeout`, retries included) and a cap on the output (default 64 MiB). A
device that streams its config forever, or answers every `--More--` with
another page, ends as `timeout` or `truncated` while the fleet goes on; it is
not retried, since it would do the same again.

Credentials are `SecretStr` until the moment they are handed to netmiko; no
message built here contains a username, password or secret, and netmiko's and
paramiko's loggers are silenced (they would log protocol errors to stderr).
"""

from __future__ import annotations

import errno
import logging
import re
import shlex
import socket
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Literal, Optional, cast

from pydantic import Field, SecretStr, field_validator

from auditor.findings import DeviceStatus, Frozen
from auditor.inventory import PLATFORMS, Host

TRANSIENT = frozenset({DeviceStatus.UNREACHABLE_TIMEOUT, DeviceStatus.SSH_ERROR, DeviceStatus.TIMEOUT, DeviceStatus.TRUNCATED})

_COMMAND = "show running-config"
_MORE = re.compile(r"--More--\s*$")
# The pager's prompt and what IOS sends to erase it once a key is pressed.
_MORE_ERASED = re.compile(r" ?--More-- ?(?:\x08+ *\x08*)?")
_VOLATILE = re.compile(r"^\s*(Building configuration\.\.\.|Current configuration : \d+ bytes)\s*$")

# What IOS prints instead of the config when the command is refused.
_REJECTED = re.compile(
    r"^\s*(% ?Invalid input|% ?Incomplete command|% ?Ambiguous command|Command authorization failed|"
    r"% ?Authorization failed|% ?Permission denied|% ?Access denied|% ?Not authorized)",
    re.IGNORECASE | re.MULTILINE,
)


class Credentials(Frozen):
    """Fallback credentials for hosts whose inventory entry has none."""

    username: Optional[str] = None
    password: Optional[SecretStr] = None
    secret: Optional[SecretStr] = None


class PullSettings(Frozen):
    timeout: float = Field(15.0, gt=0)  # TCP connect, SSH banner, auth, and read idle timeout
    retries: int = Field(1, ge=0)
    workers: int = Field(32, ge=1)
    known_hosts: Optional[Path] = None  # strict host key checking against this file
    host_keys: Literal["tofu", "strict", "any"] = "tofu"  # strict: known_hosts; tofu: the state file; any: unchecked
    tofu_file: Optional[Path] = None  # trust-on-first-use known_hosts (default: the user's state directory)
    retry_delay: float = Field(1.0, ge=0)
    deadline: Optional[float] = Field(None, gt=0)  # seconds per device in all; None: 10 x timeout
    max_output: int = Field(64 * 1024 * 1024, ge=1024)  # bytes of `show running-config` output
    source_address: Optional[str] = None  # connect from this local address (a multi-homed collector's management side)
    allow_proxy_command: bool = False  # follow ProxyCommand/ProxyJump from ssh_config files the operator did not write

    @field_validator("source_address")
    @classmethod
    def _an_address(cls, value: Optional[str]) -> Optional[str]:
        import ipaddress

        return None if value is None else str(ipaddress.ip_address(value))

    @property
    def device_deadline(self) -> float:
        return self.deadline if self.deadline is not None else 10 * self.timeout


@dataclass(frozen=True)
class Pulled:
    """One device's outcome: its config, or the failure class and a printable reason."""

    host: Host
    status: DeviceStatus  # AUDITED here means "pulled"; the audit decides the rest
    detail: str = ""
    config: bytes | None = None
    attempts: int = 1
    seconds: float = 0.0
    local_address: str | None = None  # the address this host connected from (what the device's ACLs see)


def pull_all(hosts: Iterable[Host], credentials: Credentials, settings: PullSettings, cancel: Optional[threading.Event] = None) -> Iterator[Pulled]:
    """Pull every host with a bounded pool; yield results as they complete.

    At most `workers` sessions run, and no more results wait unconsumed than
    there are workers, so memory holds a bounded number of configs at a time.

    Interrupted (KeyboardInterrupt, or `cancel` set), no new device is started,
    queued ones are dropped, open sessions are closed so their reads end at
    once, and the pool is not waited for: the caller reports what finished.
    """
    _quiet_libraries()
    cancel = cancel or threading.Event()
    pending = iter(hosts)
    pool = ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="pull")
    running: set[Future] = set()

    def refill() -> None:
        while len(running) < settings.workers and not cancel.is_set():
            host = next(pending, None)
            if host is None:
                return
            running.add(pool.submit(pull_one, host, credentials, settings, cancel=cancel))

    try:
        refill()
        while running and not cancel.is_set():
            done, _ = wait(running, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in done:
                running.discard(future)
                yield future.result()
            refill()
    except BaseException:
        cancel.set()
        raise
    finally:
        if cancel.is_set():
            _close_sessions()
            pool.shutdown(wait=False, cancel_futures=True)
        else:
            pool.shutdown(wait=True)


def default_tofu_file() -> Path:
    from auditor.hostkeys import state_file

    return state_file()


_OPEN: set = set()  # netmiko connections in use, closed from the main thread on interrupt
_OPEN_LOCK = threading.Lock()


def _close_sessions() -> None:
    """Close every open session's transport: a worker blocked reading it returns at once."""
    with _OPEN_LOCK:
        sessions = list(_OPEN)
    for connection in sessions:
        try:
            connection.remote_conn.close()
            connection.remote_conn_pre.close()
        except Exception:  # already closing in its own thread
            pass


def pull_one(
    host: Host,
    credentials: Credentials,
    settings: PullSettings,
    sleep: Callable[[float], None] = time.sleep,
    cancel: Optional[threading.Event] = None,
) -> Pulled:
    """Pull one device, retrying transient failures; never raises."""
    if host.unsupported is not None:  # named in the inventory as a platform we do not audit: never contacted
        detail = f"inventory platform {host.unsupported!r} is not audited here (supported: {', '.join(sorted(set(PLATFORMS.values())))})"
        return Pulled(host, DeviceStatus.UNSUPPORTED, detail, None, 0, 0.0, None)
    started = time.monotonic()
    deadline = started + settings.device_deadline
    attempt = 0
    while True:
        attempt += 1
        final = False
        try:
            status, detail, config, final, local = _session(host, credentials, settings, deadline, cancel)
        except Exception as exc:  # a bug or an unforeseen library error must not stop the fleet
            status, detail, config, local = DeviceStatus.SSH_ERROR, f"unexpected {exc.__class__.__name__}", None, None
        out_of_time = time.monotonic() + settings.retry_delay >= deadline
        if status not in TRANSIENT or attempt > settings.retries or final or out_of_time or (cancel is not None and cancel.is_set()):
            return Pulled(host, status, detail, config, attempt, time.monotonic() - started, local)
        sleep(settings.retry_delay)


def ssh_route(host: Host, config_file: Optional[str]) -> tuple[str, int, Optional[str]]:
    """(address, port, ProxyCommand) a session to `host` takes under an ssh_config file, read as
    netmiko reads it: HostName, Port (when the inventory left 22), ProxyCommand or a one-hop ProxyJump."""
    if not config_file:
        return host.hostname, host.port, None
    import paramiko

    try:
        with open(config_file, encoding="utf-8") as handle:
            text = handle.read(1024 * 1024)  # an ssh_config is small; a huge one is not read past 1 MiB
        config = paramiko.SSHConfig.from_text(text)
        source = config.lookup(host.hostname)
    except (OSError, UnicodeDecodeError, paramiko.ssh_exception.ConfigParseError, ValueError):
        return host.hostname, host.port, None
    port = int(source.get("port", host.port)) if host.port == 22 else host.port
    hostname = source.get("hostname", host.hostname)
    proxy = source.get("proxycommand")
    if proxy is None and "proxyjump" in source and "," not in source["proxyjump"]:
        # paramiko splits the command with shlex: every part is quoted, so nothing from the
        # inventory (a hostname) or the file can add an option or a second command.
        proxy = " ".join(shlex.quote(part) for part in ("ssh", "-F", config_file, "-W", f"{hostname}:{port}", "--", source["proxyjump"]))
    return hostname, port, proxy


class ProxyRefused(Exception):
    """An ssh_config the operator did not vouch for routes a session through a command."""


def _operators_own(config_file: str | None) -> bool:
    """The operator's own ssh_config (`~/.ssh/config`): its ProxyCommand is the operator's choice."""
    if config_file is None:
        return False
    try:
        return Path(config_file).resolve() == (Path.home() / ".ssh" / "config").resolve()
    except (OSError, RuntimeError):
        return False


# The netmiko extras an inventory may set, each with the types it may have. Everything else is
# refused when the inventory is loaded (`auditor.inventory`), because an inventory is often fed
# from data many people edit: `default_enter` / `response_return` type text into the device (a
# read-only scan once typed twelve configuration commands and saved them), `session_log*` write
# the transcript (credentials) to a file, `verbose` prints it, `sock`, the timeouts and the
# host-key settings are the tool's own, `secret` is read as the enable secret.
ALLOWED_EXTRAS: dict[str, tuple[type, ...]] = {
    "use_keys": (bool,),
    "key_file": (str,),
    "passphrase": (str,),
    "allow_agent": (bool,),
    "disabled_algorithms": (dict,),
    "disable_sha2_fix": (bool,),
    "fast_cli": (bool,),
    "global_delay_factor": (int, float),  # bounded below: netmiko sleeps by it before the tool reads
    "keepalive": (int,),
    "ssh_config_file": (str,),  # its ProxyCommand / ProxyJump only with --allow-proxy-command
    "secret": (str, int),  # the enable secret, read into Host.secret
}
MAX_DELAY_FACTOR = 4.0


def unsafe_extra(key: str, value) -> str | None:
    """Why the netmiko extra `key` with `value` is refused (never quoting the value), or None."""
    types = ALLOWED_EXTRAS.get(key)
    if types is None:
        return "not an extra the tool passes on (see the README's security model)"
    if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
        return f"must be {' or '.join(t.__name__ for t in types)}"
    if key == "global_delay_factor" and not 0 < cast(float, value) <= MAX_DELAY_FACTOR:
        return f"must be between 0 and {MAX_DELAY_FACTOR:g} (netmiko sleeps by it, past --deadline)"
    return None


_OURS = frozenset({"secret"})  # checked extras the session does not pass to netmiko as they are


def open_session(host: Host, credentials: Credentials, settings: PullSettings):
    """A logged-in netmiko session, host key checked as the settings say; raises what netmiko
    and paramiko raise (`classify` names it)."""
    from netmiko import ConnectHandler

    password = host.password or (None if host.key_auth else credentials.password)
    secret = host.secret or credentials.secret
    params = dict(
        device_type=host.platform,
        host=host.hostname,
        port=host.port,
        username=host.username or credentials.username or "",
        password=password.get_secret_value() if password else "",
        secret=secret.get_secret_value() if secret else "",
        conn_timeout=settings.timeout,
        auth_timeout=settings.timeout,
        banner_timeout=settings.timeout,
        blocking_timeout=settings.timeout,
        read_timeout_override=settings.timeout,
        use_keys=False,
        allow_agent=False,
        ssh_config_file=None,
        session_log=None,
        fast_cli=True,
    )
    # Every other netmiko extra from the inventory, as nornir-netmiko passes them (keys, passphrase,
    # agent, ssh_config_file, algorithms, delays). Ours stay: where to connect, the bounded waits,
    # no session log (it would hold the transcript), and the host-key settings below.
    params.update({k: v for k, v in host.extras.items() if k in ALLOWED_EXTRAS and k not in _OURS and unsafe_extra(k, v) is None})
    # The ssh_config file (Nornir's default `~/.ssh/config`, or the host's `ssh_config_file` extra): an
    # alias's HostName, Port and ProxyCommand are netmiko's to follow; the host key is checked on that route.
    config_file = host.extras.get("ssh_config_file", host.ssh_config_file)
    ssh_config = str(Path(config_file).expanduser()) if config_file and Path(config_file).expanduser().is_file() else None
    params["ssh_config_file"] = ssh_config
    hostname, port, proxy = ssh_route(host, ssh_config)
    if proxy is not None and not settings.allow_proxy_command and not _operators_own(ssh_config):
        raise ProxyRefused(
            "its ssh_config (named by the inventory or a Nornir config) routes the session through "
            "ProxyCommand/ProxyJump, which runs a command on this host: not followed without --allow-proxy-command"
        )
    if settings.source_address is not None and proxy is None:
        # netmiko has no bind option; it takes a connected socket (paramiko's `sock`)
        params["sock"] = socket.create_connection((host.hostname, host.port), timeout=settings.timeout, source_address=(settings.source_address, 0))
    if settings.host_keys == "strict" and settings.known_hosts is not None:
        params.update(ssh_strict=True, system_host_keys=False, alt_host_keys=True, alt_key_file=str(settings.known_hosts))
    elif settings.host_keys == "tofu":
        from auditor.hostkeys import remember

        # First contact records the key (a bare key exchange: nothing else is sent); every
        # session, the first included, is then checked strictly against the recorded key.
        known = remember(settings.tofu_file or default_tofu_file(), hostname, port, settings.timeout, settings.source_address, proxy)
        params.update(ssh_strict=True, system_host_keys=False, alt_host_keys=True, alt_key_file=str(known))
    return ConnectHandler(**params)


def _session(
    host: Host, credentials: Credentials, settings: PullSettings, deadline: float | None = None, cancel: Optional[threading.Event] = None
) -> tuple[DeviceStatus, str, bytes | None, bool, str | None]:
    """One attempt: (status, detail, config, final, local address). `final`: not worth retrying (a limit was hit)."""
    secret = host.secret or credentials.secret
    try:
        connection = open_session(host, credentials, settings)
    except Exception as exc:
        status, detail = classify(exc, host, key_file(settings))
        return status, detail, None, False, None
    try:
        local = connection.remote_conn.get_transport().sock.getsockname()[0]
    except Exception:  # not a socket we can ask: the fix planner then says it cannot check
        local = None
    limits = _Limits(deadline or time.monotonic() + settings.device_deadline, settings.max_output, cancel=cancel)
    with _OPEN_LOCK:
        _OPEN.add(connection)
    if cancel is not None and cancel.is_set():
        _close_sessions()
    try:
        status, detail, config = _read_config(connection, secret is not None, settings.timeout, end=END_MARKERS.get(host.platform, "end"), limits=limits)
        return status, detail, config, limits.hit is not None, local
    except Exception as exc:
        status, detail = classify(exc, host)
        return status, detail, None, False, local
    finally:
        with _OPEN_LOCK:
            _OPEN.discard(connection)
        try:
            connection.disconnect()
        except Exception:  # the session may already be gone; nothing to report
            pass


@dataclass
class _Limits:
    deadline: float  # time.monotonic() by which the device must be done
    max_bytes: int
    hit: Optional[str] = None  # "deadline" or "size" once one is reached
    cancel: Optional[threading.Event] = None  # set when the run is interrupted


# The last line of a whole `show running-config`, per netmiko device type: its absence means the
# output was cut. IOS and IOS-XE print `end`, the ASA `: end`; NX-OS prints no such line.
END_MARKERS: dict[str, str | None] = {"cisco_nxos": None, "cisco_asa": ": end"}


class PullError(Exception):
    """A running-config that could not be read whole: `status` is the failure class, `detail` why."""

    def __init__(self, status: DeviceStatus, detail: str):
        super().__init__(f"{status.value}: {detail}")
        self.status, self.detail = status, detail


def read_running_config(connection, platform: str = "cisco_ios", timeout: float = 15.0, deadline: Optional[float] = None, max_output: int = 64 * 1024 * 1024) -> bytes:
    """`show running-config` through an open netmiko session, read as `scan --inventory` reads it.

    Enable mode is entered when the prompt is `>` and the session has a secret; the output is
    read until the prompt returns, paged through `--More--` if paging was left on, and accepted
    only whole: it ends with the platform's last line (`end`; `: end` on an ASA), is no longer
    than `max_output` bytes, arrives within `deadline` seconds in all (default 10 x `timeout`)
    and never pauses longer than `timeout`. Raises `PullError` (with a `DeviceStatus`) otherwise.
    """
    limits = _Limits(time.monotonic() + (deadline if deadline is not None else 10 * timeout), max_output)
    has_secret = bool(getattr(connection, "secret", ""))
    status, detail, config = _read_config(connection, has_secret, timeout, end=END_MARKERS.get(platform, "end"), limits=limits)
    if status is not DeviceStatus.AUDITED or config is None:
        raise PullError(status, detail)
    return config


def _read_config(connection, has_secret: bool, idle_timeout: float, end: str | None = "end", limits: Optional[_Limits] = None) -> tuple[DeviceStatus, str, bytes | None]:
    """`show running-config` through the session, complete only if it ends with `end` (see END_MARKERS)."""
    prompt = connection.find_prompt()
    if prompt.endswith(">") and has_secret:
        try:
            connection.enable()
        except ValueError:  # netmiko: the secret was sent and the prompt stayed `>`
            return DeviceStatus.AUTH_FAILED, "enable secret rejected (still at the `>` prompt)", None
    base = re.escape(connection.base_prompt)
    done = re.compile(rf"(?:^|\n)[\r\x00]*{base}[^\n]{{0,40}}[>#]\s*$")
    connection.clear_buffer()
    connection.write_channel(_COMMAND + connection.RETURN)
    limits = limits or _Limits(time.monotonic() + 10 * idle_timeout, 64 * 1024 * 1024)
    text, finished = _read_until(connection, done, idle_timeout, limits)
    if limits.hit == "size":
        return DeviceStatus.TRUNCATED, f"more than {limits.max_bytes // (1024 * 1024) or 1} MiB of output: stopped reading (--max-output)", None
    if limits.hit == "deadline":
        return DeviceStatus.TIMEOUT, "still sending at the per-device deadline (--deadline): stopped reading", None
    body = _strip_session(text)
    if _REJECTED.search(body[:2000]) and not re.search(r"^end\s*$", body, re.MULTILINE):
        return DeviceStatus.COMMAND_REJECTED, "show running-config was refused: " + _first_error(body), None
    if not finished:
        closed = connection.remote_conn.closed or connection.remote_conn.eof_received
        if body.strip() and closed:
            return DeviceStatus.TRUNCATED, f"the session closed after {body.count(chr(10))} lines, before the prompt came back", None
        return DeviceStatus.TIMEOUT, _silence(idle_timeout, body), None
    if end is not None and not _ends_with(body, end):
        return DeviceStatus.TRUNCATED, f"output stopped after {body.count(chr(10)) + 1} lines without the final `{end}`", None
    return DeviceStatus.AUDITED, "", body.encode("utf-8", "surrogateescape")


def _read_until(connection, done: re.Pattern, idle_timeout: float, limits: _Limits) -> tuple[str, bool]:
    """Read until the prompt comes back; give up after `idle_timeout` seconds without data,
    at the device's deadline, or past the output cap (`limits.hit` says which)."""
    chunks: list[str] = []
    size = 0
    tail = ""
    echoed = False  # prompts before the command's echo are stale (left from the login)
    last_data = time.monotonic()
    while True:
        if limits.cancel is not None and limits.cancel.is_set():
            return "".join(chunks), False
        chunk = connection.read_channel()
        now = time.monotonic()
        if now > limits.deadline:
            limits.hit = "deadline"
            return "".join(chunks), False
        if chunk:
            chunks.append(chunk)
            size += len(chunk)
            if size > limits.max_bytes:
                limits.hit = "size"
                return "", False
            last_data = now
            if echoed:
                tail = (tail + chunk)[-300:]
            else:
                # Only the end of what came before can hold the start of the echo: a device
                # that never echoes costs one pass over its output, not one per chunk.
                window = tail + chunk
                if _COMMAND in window:
                    echoed = True
                    tail = window[window.index(_COMMAND) + len(_COMMAND) :][-300:]
                else:
                    tail = window[-len(_COMMAND) :]
            if echoed and done.search(tail):
                return "".join(chunks), True
            if echoed and _MORE.search(tail):
                # Paging is still on (`terminal length 0` refused, e.g. by command
                # authorization): a space asks IOS for the next page.
                connection.write_channel(" ")
                tail = ""
            continue
        channel = connection.remote_conn
        if channel.closed or channel.eof_received:
            return "".join(chunks), False
        if now - last_data > idle_timeout:
            return "".join(chunks), False
        time.sleep(0.01)


def _strip_session(text: str) -> str:
    """Keep the config text: drop the echoed command, the trailing prompt, and the
    `Building configuration...` / `Current configuration : N bytes` preamble, which
    changes on every pull (a config repo's history should show only real changes,
    and finding line numbers should match the saved file)."""
    text = text.replace("\r\n", "\n").replace("\r", "")
    text = _MORE_ERASED.sub("", text)
    if _COMMAND in text:
        text = text[text.index(_COMMAND) + len(_COMMAND) :]
    lines = text.split("\n")
    head = [line for line in lines[:6] if not _VOLATILE.match(line)]
    lines = head + lines[6:]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    if lines and re.fullmatch(r"\S+[>#]\s*", lines[-1]):
        lines.pop()
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines) + "\n"


def _ends_with(body: str, last: str) -> bool:
    """The output's last line is `last` (`end`, `: end`)."""
    stripped = body.rstrip()
    return stripped.endswith("\n" + last) or stripped == last


def _first_error(body: str) -> str:
    match = _REJECTED.search(body)
    line = body[match.start() :].strip().splitlines()[0] if match else ""
    return line[:120]


def _silence(idle_timeout: float, body: str) -> str:
    received = f"after {body.count(chr(10))} lines" if body.strip() else "before any config arrived"
    return f"no data for {idle_timeout:g} s {received}"


def key_file(settings: PullSettings) -> Path:
    """The known_hosts file a session's host key is checked against: --known-hosts when strict,
    else the trust-on-first-use file."""
    return settings.known_hosts if settings.host_keys == "strict" and settings.known_hosts is not None else settings.tofu_file or default_tofu_file()


def classify(exc: BaseException, host: Host | None, keys: Path | None = None) -> tuple[DeviceStatus, str]:
    """Map an exception from netmiko / paramiko / the socket layer to a failure class. A host-key
    failure names `keys`, the file the key was checked against, and for a changed key the
    `ssh-keygen -R` line that forgets it (a replaced device).

    netmiko wraps the original error (raised inside its `except`), so the
    chain (`__cause__` / `__context__`) is walked, nearest first.
    """
    import paramiko
    from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException, ReadTimeout

    where = host.address if host is not None else "the device"
    if isinstance(exc, ProxyRefused):
        return DeviceStatus.ERROR, f"{where}: {exc}"
    if any("protocol banner" in str(error).lower() or "no existing session" in str(error).lower() for error in _chain(exc)):
        # One fault, one message: a port that accepts TCP and never speaks SSH surfaces as
        # paramiko's banner error, or, when paramiko's transport thread hit it first, as
        # netmiko's "No existing session".
        return DeviceStatus.SSH_ERROR, f"{where} accepted TCP but no SSH session came up (no SSH banner, or the negotiation broke off)"
    for error in _chain(exc):
        if type(error) is NetmikoTimeoutException and (error.__cause__ or error.__context__):
            continue  # netmiko's wrapper (an SSHException itself): classify what it wraps
        if isinstance(error, (paramiko.AuthenticationException, NetmikoAuthenticationException)):
            return DeviceStatus.AUTH_FAILED, f"{where} rejected the credentials"
        if isinstance(error, paramiko.BadHostKeyException):
            from auditor.hostkeys import entry_name

            forget = f"; if the device was replaced, forget the old key: ssh-keygen -R '{_printable(entry_name(host.hostname, host.port))}' -f {keys}" if keys is not None and host is not None else ""
            return (
                DeviceStatus.HOST_KEY_MISMATCH,
                f"{where} presented a host key that differs from the key recorded in {keys or 'the known_hosts file'} (possible interception, or a replaced device){forget}",
            )
        if isinstance(error, socket.gaierror):
            return DeviceStatus.DNS_FAILURE, f"{host.hostname if host else 'the hostname'} does not resolve ({error.strerror or 'lookup failed'})"
        if isinstance(error, paramiko.ssh_exception.NoValidConnectionsError) and error.errors:
            error = next(iter(error.errors.values()))  # one per address tried; the first tells
        if isinstance(error, ConnectionRefusedError):
            return DeviceStatus.UNREACHABLE_REFUSED, f"{where} refused the connection (host reached, nothing listening)"
        if isinstance(error, OSError) and error.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH):
            return DeviceStatus.UNREACHABLE_NO_ROUTE, f"no route to {where}"
        if isinstance(error, ReadTimeout):
            return DeviceStatus.TIMEOUT, f"{where} stopped answering during the session"
        if isinstance(error, paramiko.SSHException):
            message = str(error)
            if "not found in known_hosts" in message:
                return DeviceStatus.HOST_KEY_UNKNOWN, f"{where} is not in {keys or 'the known_hosts file'} (strict host key checking)"
            return DeviceStatus.SSH_ERROR, f"SSH negotiation with {where} failed: {_printable(message)}"
        if isinstance(error, (socket.timeout, TimeoutError)):
            return DeviceStatus.UNREACHABLE_TIMEOUT, f"TCP connect to {where} timed out (host down, or dropped by a filter on the path)"
        if isinstance(error, (EOFError, ConnectionResetError, BrokenPipeError)):
            return DeviceStatus.SSH_ERROR, f"{where} closed the connection"
    if "DNS failure" in str(exc):
        return DeviceStatus.DNS_FAILURE, f"{host.hostname if host else 'the hostname'} does not resolve"
    if "timed out" in str(exc).lower() or "timeout" in exc.__class__.__name__.lower():
        return DeviceStatus.TIMEOUT, f"{where} stopped answering during the session"
    return DeviceStatus.SSH_ERROR, f"{exc.__class__.__name__} talking to {where}"


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else " " for c in text)[:160]


def _quiet_libraries() -> None:
    """paramiko logs protocol errors at ERROR; without a handler Python prints them to stderr."""
    for name in ("paramiko", "netmiko"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())
        logger.propagate = False
