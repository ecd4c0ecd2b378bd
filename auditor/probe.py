"""Check on the wire what the config promises: TCP connects to the management ports.

For each host and port: resolve, connect with a timeout, and classify the way
an engineer reads `telnet HOST PORT`:

| outcome | what happened | what it means |
|---|---|---|
| open | the connection was accepted | something listens |
| refused | TCP reset | the host was reached; nothing listens on the port |
| timeout | no answer within the timeout | dropped on the path (firewall, ACL), or the host is down |
| unresolved | the name lookup failed | DNS |
| unreachable | no route to host / network | routing |

On `open`, the first bytes the service sends within `banner_wait` are read,
without sending anything: an SSH identification string (`SSH-2.0-…`;
`SSH-1.99-…` means SSHv1 is still accepted), Telnet option negotiation (IAC),
or another greeting. Nothing is sent beyond the TCP handshake (and the close);
no credential is ever used.
"""

from __future__ import annotations

import asyncio
import errno
import socket
from typing import Callable, Iterable, Optional

from auditor.findings import BannerKind, Frozen, PortOutcome, PortResult

TELNET_DO_WILL = {251, 252, 253, 254}  # WILL, WONT, DO, DONT


class Target(Frozen):
    """A host to probe and which port plays which role."""

    name: str  # how reports name it (the inventory name, or the host as given)
    host: str
    ports: tuple[tuple[int, str], ...]  # (port, role)


class ProbeResult(Frozen):
    name: str
    host: str
    ports: tuple[PortResult, ...]

    @property
    def resolved(self) -> bool:
        return not self.ports or any(p.outcome is not PortOutcome.UNRESOLVED for p in self.ports)


def ports_for(telnet_ports=(23,), ssh_ports=(22,), other_ports=()) -> tuple[tuple[int, str], ...]:
    """(port, role) pairs, each port once; the first role given to a port wins."""
    seen: dict[int, str] = {}
    for role, ports in (("telnet", telnet_ports), ("ssh", ssh_ports), ("other", other_ports)):
        for port in ports:
            seen.setdefault(int(port), role)
    return tuple(seen.items())


def classify_banner(data: bytes) -> tuple[BannerKind, str, Optional[str]]:
    """(kind, printable text, SSH protocol version) of a service's first bytes."""
    if not data:
        return BannerKind.NONE, "", None
    if data.startswith(b"SSH-"):
        line = data.split(b"\n", 1)[0]
        version = line[4:].split(b"-", 1)[0].decode("ascii", "replace")
        return BannerKind.SSH, _printable(line), version
    if data[0] == 0xFF and len(data) > 1 and data[1] in TELNET_DO_WILL:
        return BannerKind.TELNET, "Telnet option negotiation (IAC " + " ".join(f"{b:02x}" for b in data[:6]) + ")", None
    return BannerKind.OTHER, _printable(data), None


def _printable(data: bytes) -> str:
    text = data.decode("latin-1")
    text = "".join(c if c.isprintable() else " " for c in text).strip()
    return " ".join(text.split())[:80]


async def _probe_port(address: str, port: int, role: str, timeout: float, banner_wait: float) -> PortResult:
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(address, port), timeout)
    except (asyncio.TimeoutError, TimeoutError):
        return PortResult(port=port, role=role, outcome=PortOutcome.TIMEOUT, address=address)
    except ConnectionRefusedError:
        return PortResult(port=port, role=role, outcome=PortOutcome.REFUSED, address=address)
    except OSError as exc:
        outcome = PortOutcome.UNREACHABLE if exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH) else PortOutcome.TIMEOUT
        if exc.errno == errno.ECONNREFUSED:
            outcome = PortOutcome.REFUSED
        return PortResult(port=port, role=role, outcome=outcome, address=address)
    try:
        data = await asyncio.wait_for(reader.read(256), banner_wait)
    except (asyncio.TimeoutError, TimeoutError, OSError):
        data = b""
    finally:
        writer.close()
    kind, banner, version = classify_banner(data)
    return PortResult(port=port, role=role, outcome=PortOutcome.OPEN, address=address, banner_kind=kind, banner=banner, ssh_version=version)


async def probe_target(target: Target, timeout: float = 3.0, banner_wait: float = 1.0) -> ProbeResult:
    loop = asyncio.get_running_loop()
    try:
        infos = await asyncio.wait_for(loop.getaddrinfo(target.host, None, type=socket.SOCK_STREAM), timeout + 5)
    except (socket.gaierror, UnicodeError, asyncio.TimeoutError, TimeoutError):
        infos = []
    if not infos:
        ports = tuple(PortResult(port=p, role=r, outcome=PortOutcome.UNRESOLVED) for p, r in target.ports)
        return ProbeResult(name=target.name, host=target.host, ports=ports)
    address = str(infos[0][4][0])
    results = await asyncio.gather(*(_probe_port(address, p, r, timeout, banner_wait) for p, r in target.ports))
    return ProbeResult(name=target.name, host=target.host, ports=tuple(results))


def probe_all(
    targets: Iterable[Target],
    timeout: float = 3.0,
    workers: int = 64,
    banner_wait: float = 1.0,
    on_result: Callable[[ProbeResult], None] = lambda result: None,
) -> list[ProbeResult]:
    """Probe every target, at most `workers` hosts at a time; results in input order."""
    targets = list(targets)

    async def run() -> list[ProbeResult]:
        gate = asyncio.Semaphore(workers)

        async def one(target: Target) -> ProbeResult:
            async with gate:
                result = await probe_target(target, timeout, banner_wait)
            on_result(result)
            return result

        return list(await asyncio.gather(*(one(t) for t in targets)))

    return asyncio.run(run())


def probe_one(target: Target, timeout: float = 3.0, banner_wait: float = 1.0) -> ProbeResult:
    """Blocking form for worker threads (`scan --inventory --probe`): its own event loop."""
    return asyncio.run(probe_target(target, timeout, banner_wait))
