"""The pre-commit hook definition runs the installed command on staged files."""

import shlex
import shutil
import subprocess

from conftest import FIXTURES, ROOT


def _hook():
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    fields = dict(line.strip().lstrip("- ").split(": ", 1) for line in text.splitlines() if ": " in line)
    return fields


def test_hook_entry_runs_on_files():
    hook = _hook()
    assert hook["id"] == "vty-auditor" and hook["language"] == "python"
    exe = shutil.which(shlex.split(hook["entry"])[0])
    assert exe, "the hook's entry command is not installed"
    entry = shlex.split(hook["entry"])
    clean = subprocess.run([exe, *entry[1:], str(FIXTURES / "clean-ssh-only.cfg")], capture_output=True)
    dirty = subprocess.run([exe, *entry[1:], str(FIXTURES / "telnet-explicit.cfg")], capture_output=True)
    assert (clean.returncode, dirty.returncode) == (0, 1)


def test_pre_commit_try_repo(tmp_path):
    """The real pre-commit runs the hook from this repository on a config repo."""
    import pytest

    exe = shutil.which("pre-commit")
    if exe is None or not (ROOT / ".git").exists():
        pytest.skip("pre-commit is not installed, or this checkout is not a git repository")
    repo = tmp_path / "configs"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    shutil.copy(FIXTURES / "telnet-explicit.cfg", repo / "r1.cfg")
    shutil.copy(FIXTURES / "clean-ssh-only.cfg", repo / "r2.cfg")
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    env = {**__import__("os").environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    run = subprocess.run(
        [exe, "try-repo", str(ROOT), "vty-auditor", "--all-files"], cwd=repo, capture_output=True, text=True, env=env, timeout=600
    )
    if "An unexpected error has occurred" in run.stdout + run.stderr and "CalledProcessError" in run.stdout + run.stderr:
        pytest.skip("pre-commit could not build the hook environment (package index unreachable?)")
    assert run.returncode == 1, run.stdout[-2000:]
    assert "VTY001" in run.stdout and "r1.cfg" in run.stdout
