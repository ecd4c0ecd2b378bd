"""Audit many inputs: in this process, or spread over a process pool.

Workers read the files themselves (the parent never holds all the bytes) and
results stream back in input order, so memory stays flat on large fleets.
stdin is read in the parent.
"""

from __future__ import annotations

import os
from typing import Iterator

from auditor.findings import DeviceReport, DeviceStatus


def audit_path(source: str, kwargs: dict) -> DeviceReport:
    """Read and audit one input; never raises (a bug becomes status `error`)."""
    from auditor.engine import audit
    from auditor.sources import read

    item = read(source)
    if item.error:
        return DeviceReport(source=item.source, status=DeviceStatus.ERROR, error=item.error)
    try:
        return audit(item.data, source=item.source, **kwargs)
    except Exception as exc:  # a bug must not hide the other inputs' results
        return DeviceReport(source=item.source, status=DeviceStatus.ERROR, error=f"internal error: {exc.__class__.__name__}")


def _worker(args: tuple[str, dict]) -> str:
    # JSON crosses the process boundary: cheaper to make and to read back than a pickle
    # of the model tree (measured: 0.03 + 0.18 ms against 0.08 + 0.24 ms per report).
    return audit_path(*args).model_dump_json()


def audit_all(sources: list[str], jobs: int | None, **kwargs) -> Iterator[DeviceReport]:
    jobs = jobs or os.cpu_count() or 1
    files = [s for s in sources if s != "-"]
    if jobs == 1 or len(files) < 2 * jobs:
        for source in sources:
            yield audit_path(source, kwargs)
        return
    import multiprocessing

    chunk = max(1, min(64, len(files) // (jobs * 8)))
    with multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn").Pool(jobs) as pool:
        results = pool.imap(_worker, ((s, kwargs) for s in files), chunksize=chunk)
        for source in sources:
            yield audit_path(source, kwargs) if source == "-" else DeviceReport.model_validate_json(next(results))
