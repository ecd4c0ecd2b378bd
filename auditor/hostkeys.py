"""Trust on first use for SSH host keys: recorded in an OpenSSH known_hosts file, checked after.

The file is `$XDG_STATE_HOME/vty-auditor/known_hosts`, else
`~/.local/state/vty-auditor/known_hosts` (the XDG Base Directory
specification's state directory). The first time a host:port is seen, its key
is fetched with a bare key exchange (no authentication, nothing else sent) and
recorded; every session, that first one included, is then checked strictly
against the file, so a device presenting another key later is
`host-key-mismatch` and receives no credential. Recording is safe under
concurrent workers and concurrent runs: an exclusive lock on a lock file
beside it, and the new file written whole to a temporary file, then renamed.
"""

from __future__ import annotations

import os
import socket
import tempfile
import threading
from pathlib import Path

_THREADS = threading.Lock()  # flock is per open file; this keeps one process's workers in line too


def state_file() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "vty-auditor" / "known_hosts"


def entry_name(hostname: str, port: int) -> str:
    """How OpenSSH and paramiko name a host in known_hosts: `host`, or `[host]:port` off port 22."""
    return hostname if port == 22 else f"[{hostname}]:{port}"


def known(path: Path, hostname: str, port: int) -> bool:
    name = entry_name(hostname, port)
    try:
        with open(path, encoding="utf-8") as handle:
            return any(line.split(" ", 1)[0] == name for line in handle)
    except FileNotFoundError:
        return False


def remember(path: Path, hostname: str, port: int, timeout: float, source: str | None = None, proxy: str | None = None) -> Path:
    """Make sure `path` holds a key for host:port, fetching and recording it on first use; return `path`.
    `proxy`: the ssh_config ProxyCommand the session will go through; the key is fetched the same way."""
    if known(path, hostname, port):
        return path
    key = fetch_key(hostname, port, timeout, source, proxy)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with _THREADS, open(path.with_suffix(".lock"), "a") as lock:
        _lock(lock)
        try:
            if not known(path, hostname, port):  # another worker or run may have recorded it meanwhile
                old = path.read_text(encoding="utf-8") if path.exists() else ""
                if old and not old.endswith("\n"):
                    old += "\n"
                fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".known_hosts.", suffix=".tmp")
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(old + f"{entry_name(hostname, port)} {key.get_name()} {key.get_base64()}\n")
                os.replace(tmp, path)
        finally:
            _unlock(lock)
    return path


def fetch_key(hostname: str, port: int, timeout: float, source: str | None = None, proxy: str | None = None):
    """The host key a server presents: TCP connect (or the ProxyCommand) and SSH key exchange only."""
    import paramiko

    if proxy is not None:
        sock = paramiko.ProxyCommand(proxy)
        sock.settimeout(timeout)
    else:
        sock = socket.create_connection((hostname, port), timeout=timeout, source_address=(source, 0) if source else None)
    transport = paramiko.Transport(sock)
    try:
        transport.banner_timeout = timeout
        transport.start_client(timeout=timeout)
        return transport.get_remote_server_key()
    finally:
        transport.close()
        sock.close()


def _lock(handle) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: the thread lock still orders this process
        return
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX)


def _unlock(handle) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover
        return
    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
