"""Shared option handling for the commands."""

from __future__ import annotations


def comma_list(values):
    """`--select VTY,PWD` and `--select VTY --select PWD` mean the same, as ruff users expect."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def shard_option(value):
    """`--shard K/N` -> (K, N): this run takes the K-th of N stable shares (1-based)."""
    import re

    import typer

    if value is None:
        return None
    m = re.fullmatch(r"\s*([0-9]{1,6})\s*/\s*([0-9]{1,6})\s*", value)
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
        raise typer.BadParameter("give K/N with 1 <= K <= N, e.g. 2/4")
    return int(m.group(1)), int(m.group(2))


def in_shard(key: str, shard) -> bool:
    """Whether `key` (an inventory name, a file path) falls in the shard. A hash of the key alone:
    shards never overlap and always cover everything, whatever the order or the machine."""
    import hashlib

    if shard is None:
        return True
    k, n = shard
    digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % n == k - 1
