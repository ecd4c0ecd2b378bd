"""Audit many inputs: in this process, or spread over a process pool.

Workers read the files themselves (the parent never holds all the bytes) and
results stream back in input order, so memory stays flat on large fleets.
stdin is read in the parent.
"""

from __future__ import annotations

import os
from typing import Iterator

from auditor.engine import AuditRequest
from auditor.findings import DeviceReport, DeviceStatus


INPUT_SECONDS = 60.0  # per input: a normal config takes milliseconds
INPUT_MEMORY = 2 * 1024 * 1024 * 1024  # bytes one input may add to the auditor's own address space


class _OverBudget(Exception):
    pass


def audit_path(source: str, request: AuditRequest, seconds: float | None = INPUT_SECONDS) -> DeviceReport:
    """Read and audit one input; never raises (a bug becomes status `error`).

    Each input has a time budget (SIGALRM, where this runs in a main thread: the
    CLI and the pool's workers): one input built to be slow becomes status
    `error` and the others are still reported.
    """
    from auditor.sources import read

    item = read(source)
    if item.error or item.data is None:
        return DeviceReport(source=item.source, status=DeviceStatus.ERROR, error=item.error or "nothing was read")
    return audit_data(item.source, item.data, request, seconds)


def audit_data(source: str, data: bytes, request: AuditRequest, seconds: float | None = INPUT_SECONDS) -> DeviceReport:
    """Audit bytes already read (a file's version at a git commit, say), under the same budget."""
    try:
        with _budget(seconds), _memory(INPUT_MEMORY if seconds else None):
            return request.audit(data, source=source)
    except _OverBudget:
        return DeviceReport(source=source, status=DeviceStatus.ERROR, error=f"not audited: over the {seconds:g} s budget per input")
    except MemoryError:
        return DeviceReport(source=source, status=DeviceStatus.ERROR, error="not audited: out of memory")
    except Exception as exc:  # a bug must not hide the other inputs' results
        return DeviceReport(source=source, status=DeviceStatus.ERROR, error=f"internal error: {exc.__class__.__name__}")


class _budget:
    def __init__(self, seconds: float | None):
        import threading

        self.seconds = seconds if seconds and threading.current_thread() is threading.main_thread() else None

    def __enter__(self):
        if self.seconds:
            import signal

            def expired(_signum, _frame):
                raise _OverBudget()

            self.previous = signal.signal(signal.SIGALRM, expired)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    def __exit__(self, *exc) -> None:
        if self.seconds:
            import signal

            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)


class _memory:
    """Cap the address space at what the process uses now plus `extra` bytes while one input
    is audited (RLIMIT_AS, Linux): an input that needs more fails alone with MemoryError, which
    becomes its status, and the limit is lifted again for the next one."""

    def __init__(self, extra: int | None):
        self.extra = extra if extra and _address_space() is not None else None

    def __enter__(self):
        if self.extra:
            import resource

            self.previous = resource.getrlimit(resource.RLIMIT_AS)
            soft, hard = self.previous
            limit = _address_space() + self.extra
            if hard != resource.RLIM_INFINITY:
                limit = min(limit, hard)
            if soft == resource.RLIM_INFINITY or limit < soft:
                resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
            else:
                self.extra = None  # a tighter limit is already in force
        return self

    def __exit__(self, *exc) -> None:
        if self.extra:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, self.previous)


def memory_budget(extra: int | None) -> _memory:
    """A context in which the process may grow by at most `extra` bytes of address space (Linux;
    elsewhere, or with `extra` None, no limit): past it, allocations raise MemoryError."""
    return _memory(extra)


def _address_space() -> int | None:
    """This process's virtual memory size in bytes (Linux), or None where it cannot be read."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


def _worker_start() -> None:
    """A worker ends quietly when the pool stops it (SIGTERM): the command's own handler, which turns
    SIGTERM into an interrupt of the whole run, is the parent's alone. Ctrl-C reaches the parent."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _worker(args: tuple[str, AuditRequest, float | None]) -> str:
    # JSON crosses the process boundary: cheaper to make and to read back than a pickle
    # of the model tree (measured: 0.03 + 0.18 ms against 0.08 + 0.24 ms per report).
    return audit_path(*args).model_dump_json()


def audit_all(sources: list[str], jobs: int | None, request: AuditRequest, seconds: float | None = INPUT_SECONDS) -> Iterator[DeviceReport]:
    jobs = jobs or os.cpu_count() or 1
    files = [s for s in sources if s != "-"]
    if jobs == 1 or len(files) < 2 * jobs:
        for source in sources:
            yield audit_path(source, request, seconds)
        return
    import multiprocessing

    chunk = max(1, min(64, len(files) // (jobs * 8)))
    if hasattr(os, "fork"):
        from auditor.parse import load_parser

        load_parser()  # imported once here, inherited by every forked worker
    with multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn").Pool(jobs, initializer=_worker_start) as pool:
        results = pool.imap(_worker, ((s, request, seconds) for s in files), chunksize=chunk)
        for source in sources:
            yield audit_path(source, request, seconds) if source == "-" else DeviceReport.model_validate_json(next(results))
