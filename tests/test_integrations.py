"""The GitHub composite action and the GitLab CI template, run as CI would run them: their audit
steps in a real git repository whose branch adds Telnet (fails) or only resolves findings (passes).
The install steps are checked, not run: they need a package index, and CI's own install covers them."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from auditor import __version__
from conftest import ROOT
from tests_support import git_runner, telnet_branches

ACTION = ROOT / "docs" / "integrations" / "github-action" / "action.yml"
GITLAB = ROOT / "docs" / "integrations" / "gitlab-ci.yml"

pytestmark = pytest.mark.skipif(shutil.which("git") is None or shutil.which("vty-auditor") is None, reason="git or the installed command is missing")


def _branches(tmp_path: Path):
    """The config repository of `tests_support.telnet_branches`, and its git runner."""
    repo = tmp_path / "configs repo"
    repo.mkdir()
    git = git_runner(repo, tmp_path)
    telnet_branches(repo, git)
    return repo, git


def _expand(text: str, values: dict[str, str]) -> str:
    """GitHub/GitLab `${{ name }}` expressions replaced as the runner would."""
    return re.sub(r"\$\{\{\s*([\w.]+)\s*\}\}", lambda m: values[m.group(1)], text)


def test_the_github_action_gates_a_pull_request(tmp_path):
    action = yaml.safe_load(ACTION.read_text())
    install, audit = action["runs"]["steps"]
    assert action["runs"]["using"] == "composite" and f"@v{__version__}" in ACTION.read_text()
    # the install step installs this very checkout: the action's directory, three levels up
    values = {"github.action_path": str(ACTION.parent)}
    values |= {f"inputs.{k}": v.get("default", "") for k, v in action["inputs"].items()}
    target = _expand(install["env"]["ACTION_PATH"], values) + "/../../.."
    assert Path(target).resolve() == ROOT and "$ACTION_PATH/../../.." in install["run"]
    repo, git = _branches(tmp_path)

    def run_audit(branch: str) -> subprocess.CompletedProcess:
        git("checkout", "-q", branch)
        env = {**os.environ, "GITHUB_BASE_REF": "main"}
        env |= {k: _expand(v, values) for k, v in audit["env"].items()}
        env["INPUT_BASE"] = "main"  # the runner's clone has origin/main; this one has main
        return subprocess.run(["bash", "-c", audit["run"]], cwd=repo, capture_output=True, text=True, env=env, timeout=300)

    added = run_audit("adds-telnet")
    assert added.returncode == 1, added.stderr
    assert "::error" in added.stdout and "r1.cfg" in added.stdout
    sarif = json.loads((repo / "vty-auditor.sarif").read_text())
    assert any(r["ruleId"] == "VTY001" and r.get("baselineState") == "new" for r in sarif["runs"][0]["results"])
    (repo / "vty-auditor.sarif").unlink()
    resolved = run_audit("resolves")
    assert resolved.returncode == 0, resolved.stdout + resolved.stderr
    assert (repo / "vty-auditor.sarif").is_file()


def test_the_gitlab_template_gates_a_merge_request(tmp_path):
    job = yaml.safe_load(GITLAB.read_text())["vty-auditor"]
    install, scan = job["script"]
    assert job["variables"]["VTY_AUDITOR_VERSION"] == f"v{__version__}" and "@${VTY_AUDITOR_VERSION}" in install
    assert job["variables"]["GIT_DEPTH"] == "0" and job["artifacts"]["reports"]["junit"] == "vty-auditor.xml"
    repo, git = _branches(tmp_path)

    def run_job(branch: str) -> subprocess.CompletedProcess:
        git("checkout", "-q", branch)
        base = git("merge-base", "main", "HEAD")
        env = {**os.environ, **{k: str(v) for k, v in job["variables"].items()}, "CI_MERGE_REQUEST_DIFF_BASE_SHA": base}
        return subprocess.run(["bash", "-c", scan], cwd=repo, capture_output=True, text=True, env=env, timeout=300)

    added = run_job("adds-telnet")
    assert added.returncode == 1, added.stderr
    assert 'failures="' in (repo / "vty-auditor.xml").read_text() and "VTY001" in (repo / "vty-auditor.xml").read_text()
    assert run_job("resolves").returncode == 0
