"""Helpers shared by tests: the model of a config text, parsed the way the engine does; the
command run in this process; a config repository with a branch that adds Telnet and one that
only resolves findings; a directory of configs with a note beside them."""

import shutil
import subprocess
import sys
from pathlib import Path

from auditor.platforms.ios import build_model
from auditor.parse import parse
from auditor.text import load


def model_of(text: str):
    decoded = load(text.encode())
    return build_model(parse(decoded.canonical), decoded.lines, decoded.ambiguous)


def invoke(args, env=None) -> subprocess.CompletedProcess:
    """`vty-auditor ARGS` run in this process: the click command the entry point runs
    (`auditor.cli.commands.command`, metavars as installed), stdout and stderr apart, `env`
    laid over the environment (None unsets a variable) and stdin empty. An exception the
    command does not turn into an exit code is raised here, with its traceback. What only the
    installed entry point does (signals, `--version` before any import, an internal error as one
    line) needs a real process."""
    from typer.testing import CliRunner

    from auditor.cli.commands import command

    code = 0
    with CliRunner().isolation(env=env) as (out, err, _):
        try:
            command().main(args=[str(a) for a in args], prog_name="vty-auditor", standalone_mode=True)
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 0 if exit.code is None else 1
        sys.stdout.flush()
        sys.stderr.flush()
        stdout, stderr = out.getvalue().decode(), err.getvalue().decode()
    return subprocess.CompletedProcess(list(args), code, stdout, stderr)


def git_runner(repo: Path, home: Path):
    """A `git` runner for `repo` with a fixed identity and no user configuration."""
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.net", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.net", "HOME": str(home), "PATH": "/usr/bin:/bin"}

    def git(*args):
        return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True, env=env).stdout.strip()

    return git


def telnet_branches(repo: Path, git, before_commit=None) -> None:
    """main: r1 clean, r2 with Telnet; branch `adds-telnet` turns Telnet on in r1; branch
    `resolves` (from main) only cleans r2. `before_commit(repo)` may add files to the base commit."""
    from conftest import FIXTURES

    git("init", "-q", "-b", "main")
    if before_commit is not None:
        before_commit(repo)
    shutil.copy(FIXTURES / "clean-ssh-only.cfg", repo / "r1.cfg")
    shutil.copy(FIXTURES / "telnet-explicit.cfg", repo / "r2.cfg")
    git("add", ".")
    git("commit", "-qm", "base")
    git("checkout", "-qb", "adds-telnet")
    (repo / "r1.cfg").write_text((repo / "r1.cfg").read_text().replace(" transport input ssh\nline vty 5 15", " transport input telnet ssh\nline vty 5 15"))
    git("commit", "-qam", "telnet on r1")
    git("checkout", "-q", "main")
    git("checkout", "-qb", "resolves")
    shutil.copy(FIXTURES / "clean-ssh-only.cfg", repo / "r2.cfg")
    git("commit", "-qam", "r2 cleaned")


def configs_with_a_note(tmp_path: Path, config: str = "clean-ssh-only.cfg") -> Path:
    """`configs/` holding `r1.cfg` (a fixture) and `notes.txt`, which holds no device config."""
    from conftest import FIXTURES

    configs = tmp_path / "configs"
    configs.mkdir()
    shutil.copy(FIXTURES / config, configs / "r1.cfg")
    (configs / "notes.txt").write_text("Lab notes: r1 is the core router.\n")
    return configs
