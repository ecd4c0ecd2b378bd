"""What a branch changes in a repository of configs: the `git` command, read-only.

`scan --diff-base REF` audits only the config files that differ between the
merge base of REF and HEAD and the work tree (commits since the base, staged
and unstaged edits, and untracked files), each against its version at the
merge base. Nothing here writes: no checkout, no index update; old versions are
read with `git cat-file`. Paths and the ref never reach a shell, and the ref is
passed after `--end-of-options`, so neither can be taken for an option.

Like pre-commit, this runs the `git` on the PATH; the repository's own
configuration is not trusted to run anything (`--no-ext-diff`, `--no-textconv`,
and `core.fsmonitor` switched off for these calls).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

GIT_SECONDS = 120  # one git call; a repository of configs answers in well under a second
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # git's empty tree: the base of a repository's first commit


class GitError(Exception):
    """Not a git work tree, an unknown ref, a shallow clone without the base: a usage error."""


@dataclass(frozen=True)
class Changed:
    path: str  # repository-relative, as it is now (as it was, for a deleted file)
    status: str  # added, modified, renamed or deleted
    old_path: str | None = None  # at the merge base (modified and renamed files)


def _git(root: Path | str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    command = ["git", "-c", "core.fsmonitor=false", "-c", "core.quotepath=false", "--literal-pathspecs", "-C", str(root), *args]
    try:
        done = subprocess.run(command, capture_output=True, timeout=GIT_SECONDS, stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise GitError("--diff-base needs the git command, and none is on the PATH") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took over {GIT_SECONDS} s") from None
    if check and done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {message[-1] if message else 'exit ' + str(done.returncode)}")
    return done


def work_tree(cwd: Path | str = ".") -> Path:
    done = _git(cwd, "rev-parse", "--show-toplevel", check=False)
    if done.returncode != 0:
        raise GitError(f"--diff-base: {Path(cwd).resolve()} is not inside a git work tree")
    return Path(done.stdout.decode("utf-8", "surrogateescape").strip())


def _shallow(root: Path) -> bool:
    return _git(root, "rev-parse", "--is-shallow-repository", check=False).stdout.strip() == b"true"


def merge_base(root: Path, ref: str) -> str:
    """The commit the branch left REF at: what its changes are judged against."""
    found = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}", check=False)
    if found.returncode != 0 and ref == "HEAD" and not _git(root, "rev-list", "-n", "1", "--all", check=False).stdout.strip():
        return EMPTY_TREE  # the first commit (the pre-commit hook): every file is new
    if found.returncode != 0:
        _missing(root, f"--diff-base {ref}: not in this shallow clone; fetch it first, e.g. `git fetch --depth=100 origin {ref}`", f"--diff-base {ref}: no such branch, tag or commit")
    base = _git(root, "merge-base", found.stdout.decode().strip(), "HEAD", check=False)
    if base.returncode != 0:
        _missing(
            root,
            f"--diff-base {ref}: its merge base with HEAD is not in this shallow clone; deepen it, e.g. `git fetch --deepen=100 origin {ref}`",
            f"--diff-base {ref}: it has no history in common with HEAD",
        )
    return base.stdout.decode().strip()


def _missing(root: Path, shallow: str, otherwise: str):
    """Raise the error that fits: in a shallow clone, how to fetch what is missing."""
    if _shallow(root):
        raise GitError(shallow + " (or check out with fetch-depth: 0)")
    raise GitError(otherwise)


def changed(root: Path, base: str, pathspecs: list[str]) -> list[Changed]:
    """Files under `pathspecs` (repository-relative) that differ from `base` in the work tree."""
    spec = ["--", *pathspecs] if pathspecs else []
    diff = _git(root, "diff", "--name-status", "-z", "-M", "--no-ext-diff", "--no-textconv", base, *spec).stdout
    fields = diff.decode("utf-8", "surrogateescape").split("\0")
    out: list[Changed] = []
    i = 0
    while i < len(fields) and fields[i]:
        kind = fields[i][0]
        if kind in "RC":
            old, new = fields[i + 1], fields[i + 2]
            out.append(Changed(new, "renamed", old) if kind == "R" else Changed(new, "added"))
            i += 3
            continue
        path = fields[i + 1]
        i += 2
        if kind == "A":
            out.append(Changed(path, "added"))
        elif kind == "D":
            out.append(Changed(path, "deleted"))
        else:  # M, T (a file that became a symlink or back), U (unmerged)
            out.append(Changed(path, "modified", path))
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z", *spec).stdout
    out += [Changed(p, "added") for p in untracked.decode("utf-8", "surrogateescape").split("\0") if p]
    return sorted(out, key=lambda c: c.path)


def blob(root: Path, commit: str, path: str, limit: int) -> bytes | None:
    """The file as it was at `commit`, or None when it is larger than `limit` bytes."""
    size = _git(root, "cat-file", "-s", f"{commit}:{path}").stdout.strip()
    if int(size or 0) > limit:
        return None
    return _git(root, "cat-file", "blob", f"{commit}:{path}").stdout
