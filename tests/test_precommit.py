"""The pre-commit hook definition runs the installed command on staged files."""

import shlex
import shutil
import subprocess

from conftest import FIXTURES, ROOT
from tests_support import telnet_branches


def _hook(hook_id: str = "vty-auditor"):
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    return next(h for h in hooks if h["id"] == hook_id)


def _git_repo(tmp_path):
    """An empty directory `configs` and a `git` runner for it, with a fixed identity."""
    repo = tmp_path / "configs"
    repo.mkdir()
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.net", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.net", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}

    def git(*args):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)

    return repo, git


def test_hook_entry_blocks_what_a_commit_introduces_and_passes_notes(tmp_path):
    """The entry gates staged files against HEAD, as `--diff-base` gates a branch in CI."""
    hook = _hook()
    assert hook["id"] == "vty-auditor" and hook["language"] == "python"
    exe = shutil.which(shlex.split(hook["entry"])[0])
    assert exe, "the hook's entry command is not installed"
    entry = shlex.split(hook["entry"])
    repo, git = _git_repo(tmp_path)

    def run(*files):
        return subprocess.run([exe, *entry[1:], *files], cwd=repo, capture_output=True, text=True).returncode

    git("init", "-q")
    shutil.copy(FIXTURES / "telnet-explicit.cfg", repo / "legacy.cfg")
    git("add", ".")
    assert run("legacy.cfg") == 1  # the first commit: every finding is new
    git("commit", "-qm", "legacy")
    shutil.copy(FIXTURES / "clean-ssh-only.cfg", repo / "r2.cfg")
    (repo / "notes.txt").write_text("meeting notes: upgrade the core switches\n")
    (repo / "legacy.cfg").write_text((repo / "legacy.cfg").read_text() + "! reviewed\n")
    git("add", ".")
    assert run("legacy.cfg", "r2.cfg", "notes.txt") == 0  # legacy's Telnet was there before; notes are not a config
    shutil.copy(FIXTURES / "telnet-explicit.cfg", repo / "r3.cfg")
    git("add", ".")
    assert run("r3.cfg") == 1
    (repo / "broken.cfg").write_text("username bob password 0 x\n")  # a config, but not one that can be audited
    git("add", ".")
    assert run("broken.cfg") == 3


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
    run = subprocess.run([exe, "try-repo", str(ROOT), "vty-auditor", "--all-files"], cwd=repo, capture_output=True, text=True, env=env, timeout=600)
    if "An unexpected error has occurred" in run.stdout + run.stderr and "CalledProcessError" in run.stdout + run.stderr:
        pytest.skip("pre-commit could not build the hook environment (package index unreachable?)")
    assert run.returncode == 1, run.stdout[-2000:]
    assert "VTY001" in run.stdout and "r1.cfg" in run.stdout


def test_in_ci_the_diff_hook_gates_the_branch_and_the_full_hook_every_file(tmp_path):
    """`pre-commit run --from-ref main --to-ref HEAD` sets PRE_COMMIT_FROM_REF: the diff hook
    compares with it, so a branch whose commit adds Telnet fails even though nothing differs from
    HEAD; the full hook (for --all-files) audits the files whatever their history. A branch that
    only resolves findings passes both."""
    import os

    repo, git = _git_repo(tmp_path)

    def hook(hook_id, *files, from_ref=None):
        entry = shlex.split(_hook(hook_id)["entry"])
        environment = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "VTY_AUDITOR"))}
        if from_ref:
            environment.update(PRE_COMMIT_FROM_REF=from_ref, PRE_COMMIT_TO_REF="HEAD")
        return subprocess.run([shutil.which(entry[0]), *entry[1:], *files], cwd=repo, capture_output=True, text=True, env=environment).returncode

    telnet_branches(repo, git)
    git("checkout", "-q", "adds-telnet")
    assert hook("vty-auditor", "r1.cfg") == 0  # what a commit hook sees after the commit: nothing staged
    assert hook("vty-auditor", "r1.cfg", from_ref="main") == 1  # the CI range: the branch adds Telnet
    assert hook("vty-auditor-full", "r1.cfg", "r2.cfg") == 1
    git("checkout", "-q", "resolves")
    assert hook("vty-auditor", "r1.cfg", "r2.cfg", from_ref="main") == 0
    assert hook("vty-auditor-full", "r1.cfg", "r2.cfg") == 0


def test_real_pre_commit_runs_both_hooks_over_a_ci_range(tmp_path):
    """pre-commit itself, as CI runs it: `pre-commit run --from-ref main --to-ref HEAD` (the diff hook)
    and `pre-commit run vty-auditor-full --all-files` on a branch that adds Telnet fail; on a branch that
    only resolves findings both pass. The hooks are this repository's definitions (id, entry, files),
    declared `repo: local` with `language: system` so pre-commit builds no environment (no network)."""
    import os

    import pytest
    import yaml

    exe = shutil.which("pre-commit")
    if exe is None or shutil.which("vty-auditor") is None:
        pytest.skip("pre-commit or the installed command is missing")
    repo, git = _git_repo(tmp_path)
    hooks = [{"id": h["id"], "name": h["name"], "entry": h["entry"], "files": h["files"], "language": "system"} for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "VTY_AUDITOR", "GIT_"))},
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "HOME": str(tmp_path),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.net",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.net",
    }

    def pre_commit(*args):
        return subprocess.run([exe, "run", *args], cwd=repo, capture_output=True, text=True, env=env, timeout=300)

    telnet_branches(repo, git, before_commit=lambda r: (r / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{"repo": "local", "hooks": hooks}]})))
    git("checkout", "-q", "adds-telnet")
    diff = pre_commit("vty-auditor", "--from-ref", "main", "--to-ref", "HEAD")
    assert diff.returncode == 1 and "VTY001" in diff.stdout and "r1.cfg" in diff.stdout, diff.stdout[-2000:]
    full = pre_commit("vty-auditor-full", "--all-files")
    assert full.returncode == 1 and "r2.cfg" in full.stdout, full.stdout[-2000:]
    git("checkout", "-q", "resolves")
    assert pre_commit("vty-auditor", "--from-ref", "main", "--to-ref", "HEAD").returncode == 0
    assert pre_commit("vty-auditor-full", "--all-files").returncode == 0
