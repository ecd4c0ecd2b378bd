"""Where configs come from: files, directories, stdin. The only file-system reads."""

from __future__ import annotations

import fnmatch
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

DEFAULT_INCLUDE = ("*.cfg", "*.conf", "*.txt", "*.ios")


@dataclass(frozen=True)
class Input:
    source: str
    data: bytes | None = None
    error: str | None = None  # could not be read


class SourceError(Exception):
    """A path given on the command line does not exist (a usage error)."""


MAX_INPUT_BYTES = 64 * 1024 * 1024  # a running-config is at most a few MB; /dev/zero is not one


def discover(paths: list[str], include=DEFAULT_INCLUDE, exclude=(), skipped: list[str] | None = None) -> list[str]:
    """Expand directories (recursively, by glob) into a sorted list of files; `-` is stdin.

    A symlink inside a scanned directory that leads outside it is not followed
    (a repository can commit a link to /etc/shadow): it is left out and named
    in `skipped`. Paths named on the command line are taken as given.
    """
    found: list[str] = []
    for raw in paths:
        if raw == "-":
            found.append("-")
            continue
        path = Path(raw)
        if path.is_dir():
            root = path.resolve()
            files = sorted(p for p in path.rglob("*") if p.is_file() or p.is_symlink())
            for p in files:
                if not selected(p, include, exclude):
                    continue
                if p.is_symlink() and not inside(p, root):
                    if skipped is not None:
                        skipped.append(f"{p}: a symlink leading outside {raw}")
                    continue
                found.append(str(p))
        elif path.exists() or path.is_symlink():
            found.append(str(path))
        else:
            raise SourceError(f"{raw}: no such file or directory")
    return found


def selected(path: Path, include=DEFAULT_INCLUDE, exclude=()) -> bool:
    """A file the scan takes: its name matches an include glob, and neither its name nor its
    path matches an exclude glob."""
    name, whole = path.name, str(path)
    return any(fnmatch.fnmatch(name, g) for g in include) and not any(fnmatch.fnmatch(name, g) or fnmatch.fnmatch(whole, g) for g in exclude)


def inside(path: Path, root: Path) -> bool:
    """Whether `path`, its symlinks followed, is under `root`."""
    try:
        path.resolve().relative_to(root)
        return True
    except (ValueError, OSError, RuntimeError):
        return False


def read(source: str, limit: int = MAX_INPUT_BYTES) -> Input:
    """The bytes of one input, or why not: a regular file (or stdin) of at most `limit` bytes.

    A FIFO, a device or a socket would block or never end (`/dev/zero`), so it
    is refused with the reason; a file that grows while it is read is cut at
    the limit and refused too.
    """
    if source == "-":
        data = sys.stdin.buffer.read(limit + 1)
        if len(data) > limit:
            return Input(source="<stdin>", error=f"larger than {limit // (1024 * 1024)} MiB: not a running-config")
        return Input(source="<stdin>", data=data)
    try:
        info = os.stat(source)
        if not stat.S_ISREG(info.st_mode):
            return Input(source=source, error="not a regular file (a FIFO, device or socket): not read")
        with open(source, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        return Input(source=source, error=f"cannot read: {exc.strerror or exc.__class__.__name__}")
    if len(data) > limit:
        return Input(source=source, error=f"larger than {limit // (1024 * 1024)} MiB: not a running-config")
    return Input(source=source, data=data)
