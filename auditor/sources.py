"""Where configs come from: files, directories, stdin. The only file-system reads."""

from __future__ import annotations

import fnmatch
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


def discover(paths: list[str], include=DEFAULT_INCLUDE, exclude=()) -> list[str]:
    """Expand directories (recursively, by glob) into a sorted list of files; `-` is stdin."""
    found: list[str] = []
    for raw in paths:
        if raw == "-":
            found.append("-")
            continue
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file())
            found += [
                str(p)
                for p in files
                if any(fnmatch.fnmatch(p.name, g) for g in include)
                and not any(fnmatch.fnmatch(p.name, g) or fnmatch.fnmatch(str(p), g) for g in exclude)
            ]
        elif path.exists() or path.is_symlink():
            found.append(str(path))
        else:
            raise SourceError(f"{raw}: no such file or directory")
    return found


def read(source: str) -> Input:
    if source == "-":
        return Input(source="<stdin>", data=sys.stdin.buffer.read())
    try:
        return Input(source=source, data=Path(source).read_bytes())
    except OSError as exc:
        return Input(source=source, error=f"cannot read: {exc.strerror or exc.__class__.__name__}")
