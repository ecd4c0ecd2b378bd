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
