"""`scan --diff-base REF`: gate a branch on what it changes, in a real git repository."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from conftest import CORPUS

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

SSH_ONLY = """version 15.2
hostname {name}
ip domain name example.net
ip ssh version 2
service password-encryption
username admin privilege 15 secret 9 $9$ZPbaCmpfMNgIhk$VdZ5yDq0ppmAeD1SnFaRz7BYXpcs0xTQZcIHEDmLSs2
login block-for 120 attempts 5 within 60
ip access-list standard VTY-ACCESS
 permit 192.0.2.0 0.0.0.255
 deny any log
line vty 0 4
 access-class VTY-ACCESS in
 exec-timeout 5 0
 login local
 transport input ssh
line vty 5 15
 access-class VTY-ACCESS in
 exec-timeout 5 0
 login local
 transport input ssh
line con 0
 login local
end
"""
TELNET = SSH_ONLY.replace(" transport input ssh\nline vty 5 15", " transport input telnet ssh\nline vty 5 15")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        check=True,
        env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.net", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.net", "HOME": str(repo), "PATH": "/usr/bin:/bin"},
    )
    return done.stdout


def scan(repo: Path, *args: str, monkeypatch):
    monkeypatch.chdir(repo)
    return CliRunner().invoke(app, ["scan", "--isolated", *args])


@pytest.fixture()
def repo(tmp_path):
    """main: five configs. feature: Telnet added on one device and removed on another, one
    file renamed, one deleted, one added with a finding; then an uncommitted edit and an
    untracked file. The path has a space in it, as a user's checkout may."""
    root = tmp_path / "config repo"
    configs = root / "configs"
    configs.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    for name, text in (("core1", SSH_ONLY), ("core2", TELNET), ("edge1", SSH_ONLY), ("old", TELNET), ("same", TELNET)):
        (configs / f"{name}.cfg").write_text(text.format(name=name))
    (root / "README.txt").write_text("not under configs/\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    git(root, "checkout", "-qb", "feature")
    (configs / "core1.cfg").write_text(TELNET.format(name="core1"))  # introduces VTY001
    (configs / "core2.cfg").write_text(SSH_ONLY.format(name="core2"))  # resolves VTY001
    git(root, "mv", "configs/edge1.cfg", "configs/edge1-renamed.cfg")  # renamed, unchanged content
    git(root, "rm", "-q", "configs/old.cfg")
    # added (and unlike old.cfg, or git would call it a rename): all its findings are new
    (configs / "new.cfg").write_text("version 15.2\nhostname new\nline vty 0 15\n transport input telnet\nend\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "feature")
    # uncommitted: the renamed file gains a finding; an untracked file too
    renamed = SSH_ONLY.format(name="edge1").replace(" exec-timeout 5 0\n login local\n transport input ssh\nline vty 5", " exec-timeout 0 0\n login local\n transport input ssh\nline vty 5")
    (configs / "edge1-renamed.cfg").write_text(renamed)
    (configs / "untracked.cfg").write_text(SSH_ONLY.format(name="untracked"))
    return root


def _status(repo: Path) -> tuple[str, str]:
    return git(repo, "status", "--porcelain=v1", "-uall"), git(repo, "diff", "--cached", "--stat")


def test_every_change_is_classified_and_only_introduced_findings_fail(repo, monkeypatch):
    before = _status(repo)
    result = scan(repo, "configs", "--diff-base", "main", "-f", "json", monkeypatch=monkeypatch)
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    devices = {d["source"]: d for d in report["devices"]}
    assert sorted(devices) == ["configs/core1.cfg", "configs/core2.cfg", "configs/edge1-renamed.cfg", "configs/new.cfg", "configs/untracked.cfg"]
    change = {name: {k: sorted(f["rule_id"] for f in d["change"][k]) for k in ("introduced", "resolved", "unchanged")} for name, d in devices.items()}
    assert change["configs/core1.cfg"] == {"introduced": ["VTY001"], "resolved": [], "unchanged": []}
    assert change["configs/core2.cfg"] == {"introduced": [], "resolved": ["VTY001"], "unchanged": []}
    assert change["configs/edge1-renamed.cfg"]["introduced"] == ["VTY007"]  # exec-timeout 0 0: compared with edge1.cfg at the base
    assert "VTY001" in change["configs/new.cfg"]["introduced"] and not change["configs/new.cfg"]["unchanged"]
    assert change["configs/untracked.cfg"] == {"introduced": [], "resolved": [], "unchanged": []}
    diff = report["run"]["diff_base"]
    assert diff["ref"] == "main" and diff["removed"] == ["configs/old.cfg"]
    assert diff["renamed"] == {"configs/edge1-renamed.cfg": "configs/edge1.cfg"}
    assert "configs/same.cfg" not in devices  # unchanged files are not audited at all
    assert _status(repo) == before  # neither the work tree nor the index was touched


def test_text_github_junit_and_sarif_carry_the_classification(repo, monkeypatch):
    report = json.loads(scan(repo, "configs", "--diff-base", "main", "-f", "json", monkeypatch=monkeypatch).stdout)
    introduced = sum(len(d["change"]["introduced"]) for d in report["devices"])
    assert introduced >= 3
    text = scan(repo, "configs", "--diff-base", "main", monkeypatch=monkeypatch)
    assert text.exit_code == 1
    assert f"{introduced} introduced, 1 resolved in 5 changed config(s) against main" in text.stdout
    assert "1 removed: configs/old.cfg" in text.stdout

    github = scan(repo, "configs", "--diff-base", "main", "-f", "github", monkeypatch=monkeypatch).stdout
    errors = [line for line in github.splitlines() if re.match(r"::(error|warning|notice) file=[^:]*title=[A-Z]+[0-9]{3} ", line)]
    assert len(errors) == introduced
    assert {line.split("file=")[1].split(",")[0] for line in errors} == {"configs/core1.cfg", "configs/edge1-renamed.cfg", "configs/new.cfg"}

    junit = ET.fromstring(scan(repo, "configs", "--diff-base", "main", "-f", "junit", monkeypatch=monkeypatch).stdout)
    assert junit.get("failures") == str(introduced)

    sarif = json.loads(scan(repo, "configs", "--diff-base", "main", "-f", "sarif", monkeypatch=monkeypatch).stdout)
    states = sorted((r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"], r["baselineState"]) for r in sarif["runs"][0]["results"])
    assert ("configs/core1.cfg", "VTY001", "new") in states and ("configs/core2.cfg", "VTY001", "absent") in states
    assert {s for _, _, s in states} == {"new", "absent"}
    import jsonschema

    schema = CORPUS.parent.parent / "schemas" / "sarif-2.1.0.json"
    if schema.exists():
        jsonschema.validate(sarif, json.loads(schema.read_text()))


def test_unchanged_findings_are_skipped_in_junit_and_absent_from_annotations(repo, monkeypatch):
    # same.cfg keeps its Telnet; a comment edit makes it a changed file with an unchanged finding
    same = repo / "configs" / "same.cfg"
    same.write_text("! reviewed\n" + same.read_text())
    junit = ET.fromstring(scan(repo, "configs/same.cfg", "--diff-base", "main", "-f", "junit", monkeypatch=monkeypatch).stdout)
    skipped = [case.find("skipped").get("message") for case in junit.iter("testcase") if case.find("skipped") is not None]
    assert skipped and all(m.startswith("unchanged by this change") for m in skipped)
    result = scan(repo, "configs/same.cfg", "--diff-base", "main", "-f", "github", monkeypatch=monkeypatch)
    assert result.exit_code == 0 and "::error" not in result.stdout and "were there before this change" in result.stdout


def test_fail_on_applies_to_introduced_findings(repo, monkeypatch):
    assert scan(repo, "configs", "--diff-base", "main", "--fail-on", "critical", monkeypatch=monkeypatch).exit_code == 0


def test_a_config_that_becomes_unreadable_is_a_failure_not_a_pass(repo, monkeypatch):
    (repo / "configs" / "core2.cfg").write_text("meeting notes: upgrade the core switches\n")
    result = scan(repo, "configs", "--diff-base", "main", "--fail-on", "critical", monkeypatch=monkeypatch)
    assert result.exit_code == 3 and "unrecognized" in result.stdout


@pytest.mark.parametrize("disguise", ["!RANCID-CONTENT-TYPE: juniper\nset system host-name core2\n", "set system host-name core2\nset system services telnet\n"])
def test_a_config_that_leaves_the_audit_on_the_branch_fails_even_with_allow_unsupported(repo, monkeypatch, disguise):
    """Audited at the merge base, another vendor's (unsupported) on the branch: the classic way to
    hide a device from the gate fails, and --allow-unsupported does not cover it."""
    (repo / "configs" / "core2.cfg").write_text(disguise)
    result = scan(repo, "configs", "--diff-base", "main", "--allow-unsupported", "-f", "json", monkeypatch=monkeypatch)
    assert result.exit_code == 3, result.stdout
    core2 = next(d for d in json.loads(result.stdout)["devices"] if d["source"].endswith("core2.cfg"))
    assert core2["status"] == "unrecognized" and "audited at the merge base (ios), not audited now" in core2["error"]


def test_a_ref_that_does_not_exist_or_a_directory_outside_git_is_a_usage_error(repo, tmp_path, monkeypatch):
    result = scan(repo, "configs", "--diff-base", "no-such-branch", monkeypatch=monkeypatch)
    assert result.exit_code == 2 and "no such branch, tag or commit" in result.output
    result = scan(repo, "configs", "--diff-base", "--output=/tmp/x", monkeypatch=monkeypatch)
    assert result.exit_code == 2 and "no such branch" in result.output  # a ref is never an option to git
    outside = tmp_path / "plain"
    outside.mkdir()
    (outside / "r.cfg").write_text(TELNET.format(name="r"))
    result = scan(outside, "r.cfg", "--diff-base", "main", monkeypatch=monkeypatch)
    assert result.exit_code == 2 and "not inside a git work tree" in result.output


def test_a_shallow_clone_says_how_to_fetch_the_base(repo, tmp_path, monkeypatch):
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "feature", "--single-branch", repo.as_uri(), str(clone)], check=True, capture_output=True)
    result = scan(clone, "configs", "--diff-base", "origin/main", monkeypatch=monkeypatch)
    assert result.exit_code == 2 and "shallow clone" in result.output and "git fetch" in result.output
    git(clone, "fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main")  # the base alone: still no merge base
    result = scan(clone, "configs", "--diff-base", "origin/main", monkeypatch=monkeypatch)
    assert result.exit_code == 2 and "merge base" in result.output and "--deepen" in result.output


@pytest.mark.skipif(not CORPUS.exists(), reason="the public corpus (../shared) is not here")
def test_on_the_public_corpus_one_added_telnet_is_exactly_what_fails(tmp_path, monkeypatch):
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root / "configs")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "corpus")
    target = next(
        p
        for p in sorted((root / "configs").iterdir())
        if "\nline vty 0 4\n" in p.read_text(errors="replace") and "transport input" not in p.read_text(errors="replace") and "hostname" in p.read_text(errors="replace")
    )
    git(root, "checkout", "-qb", "telnet")
    original = target.read_bytes()
    target.write_bytes(original.replace(b"\nline vty 0 4\n", b"\nline vty 0 4\n transport input telnet\n", 1))
    result = scan(root, "configs", "--diff-base", "main", "-f", "json", monkeypatch=monkeypatch)
    report = json.loads(result.stdout)
    introduced = [(d["source"], f["rule_id"]) for d in report["devices"] for f in d["change"]["introduced"]]
    assert result.exit_code == 1 and [d["source"] for d in report["devices"]] == [f"configs/{target.name}"]
    assert [rule for _, rule in introduced] == ["VTY001"], introduced
    target.write_bytes(original)
    result = scan(root, "configs", "--diff-base", "main", "-f", "json", monkeypatch=monkeypatch)
    assert result.exit_code == 0 and json.loads(result.stdout)["devices"] == []


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def test_the_ci_examples_parse_name_real_options_and_gate_a_branch(repo, tmp_path, monkeypatch):
    import shlex

    import typer.main
    import yaml

    docs = Path(__file__).resolve().parent.parent / "docs" / "ci.md"
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", docs.read_text(encoding="utf-8"), re.S)]
    commands = [s for block in blocks for s in _strings(block) if s.startswith("vty-auditor ")]
    assert len(commands) >= 3
    scan_command = typer.main.get_command(app).commands["scan"]
    known = {opt for param in scan_command.params for opt in param.opts}
    for command in commands:
        named = {w.split("=")[0] for w in shlex.split(command) if w.startswith("--")}
        assert named <= known, (command, named - known)
    # the diff-base jobs, run in a clone of the feature branch as CI checks it out
    clone = tmp_path / "ci checkout"
    subprocess.run(["git", "clone", "-q", "--branch", "feature", repo.as_uri(), str(clone)], check=True, capture_output=True)
    base = git(clone, "merge-base", "origin/main", "HEAD").strip()
    jobs = [c for c in commands if "--diff-base" in c]
    assert len(jobs) == 2
    for command in jobs:
        command = command.replace("${{ github.base_ref }}", "main").replace("$CI_MERGE_REQUEST_DIFF_BASE_SHA", base)
        argv = shlex.split(command)
        assert argv[:2] == ["vty-auditor", "scan"]
        monkeypatch.chdir(clone)
        result = CliRunner().invoke(app, argv[1:])
        assert result.exit_code == 1, (command, result.output)  # core1 gained Telnet on the branch
        written = clone / argv[argv.index("-o") + 1]
        assert written.read_text().startswith(("{", "<?xml"))


def test_notes_are_skipped_but_a_config_that_cannot_be_audited_fails(repo, monkeypatch):
    (repo / "configs" / "notes.txt").write_text("meeting notes: upgrade the core switches\nOwner: network team\n")
    result = scan(repo, "configs", "--diff-base", "main", "--fail-on", "critical", "-f", "json", monkeypatch=monkeypatch)
    report = json.loads(result.stdout)
    assert result.exit_code == 0 and "configs/notes.txt" not in {d["source"] for d in report["devices"]}
    assert any(s.startswith("configs/notes.txt: not a device config") for s in report["run"]["skipped"])
    # on the command line, a file that is not a config still fails unless it is asked for
    assert scan(repo, "configs/notes.txt", monkeypatch=monkeypatch).exit_code == 3
    assert scan(repo, "configs/notes.txt", "--skip-non-configs", monkeypatch=monkeypatch).exit_code == 0
    # one line the device would take as a command the model reads (abbreviated, capitalised)
    # makes it a config, audited or failing: "In this ..." is `interface this ...` to IOS,
    # so prose may fail closed, and a config cannot pass itself off as notes
    for text in ("meeting notes\nusern bob pass 0 x\n", "Lin Vty 0 4\n", "In this repository: one file per device\n"):
        (repo / "configs" / "notes.txt").write_text(text)
        assert scan(repo, "configs/notes.txt", "--skip-non-configs", monkeypatch=monkeypatch).exit_code in (1, 3), text


def test_a_committed_symlink_out_of_the_repository_is_never_followed(repo, tmp_path, monkeypatch):
    secret = tmp_path / "shadow.cfg"
    secret.write_text("hostname leaked\nline vty 0 4\n transport input telnet\nend\n")
    (repo / "configs" / "evil.cfg").symlink_to(secret)
    result = scan(repo, "configs", "--diff-base", "main", "-f", "json", monkeypatch=monkeypatch)
    report = json.loads(result.stdout)
    assert "configs/evil.cfg" not in {d["source"] for d in report["devices"]}
    assert "configs/evil.cfg: a symlink leading outside the repository" in report["run"]["skipped"]
    assert "leaked" not in result.stdout


def test_the_readme_ci_gate_runs_as_written(repo, tmp_path, monkeypatch):
    """The README's CI gating command, as a newcomer copies it, in a CI-style clone of a branch
    that adds Telnet: it fails (exit 1) and writes a SARIF file that names the introduced finding."""
    import shlex

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## CI gating") :]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    commands = [line for line in block.splitlines() if line.startswith("vty-auditor ")]
    assert commands, block
    clone = tmp_path / "ci checkout"
    subprocess.run(["git", "clone", "-q", "--branch", "feature", repo.as_uri(), str(clone)], check=True, capture_output=True)
    monkeypatch.chdir(clone)
    for command in commands:
        argv = shlex.split(command)
        result = CliRunner().invoke(app, argv[1:])
        assert result.exit_code == 1, (command, result.output)
        sarif = json.loads((clone / argv[argv.index("-o") + 1]).read_text())
        assert any(r["ruleId"] == "VTY001" and r.get("baselineState") == "new" for r in sarif["runs"][0]["results"])
