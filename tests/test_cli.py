"""The command line: exit codes, formats, options, through CliRunner and a real subprocess."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from conftest import DATA, FIXTURES

runner = CliRunner()
CLEAN = str(FIXTURES / "clean-ssh-only.cfg")
TELNET = str(FIXTURES / "telnet-explicit.cfg")


def run(*args, input=None):
    return runner.invoke(app, list(args), input=input)


def test_clean_config_exits_0():
    result = run("scan", CLEAN)
    assert result.exit_code == 0, result.output
    assert "no findings" in result.output


def test_findings_exit_1():
    result = run("scan", TELNET)
    assert result.exit_code == 1
    assert "VTY001" in result.output and "transport input ssh" in result.output


def test_fail_on_threshold():
    assert run("scan", TELNET, "--fail-on", "critical").exit_code == 0
    assert run("scan", TELNET, "--fail-on", "high").exit_code == 1


def test_unrecognized_wins_over_findings():
    result = run("scan", TELNET, str(DATA / "show-version.txt"))
    assert result.exit_code == 3
    assert "unrecognized" in result.output


def test_unreadable_file_is_error_status(tmp_path):
    if os.geteuid() == 0:  # root reads any mode: a dangling symlink cannot be read either way
        target = tmp_path / "x.cfg"
        target.symlink_to(tmp_path / "gone.cfg")
    else:
        target = tmp_path / "x.cfg"
        target.write_text("line vty 0 4\n")
        target.chmod(0)
    result = run("scan", str(target), "-f", "json")
    assert result.exit_code == 3
    device = json.loads(result.output)["devices"][0]
    assert device["status"] == "error" and "cannot read" in device["error"]


@pytest.mark.parametrize(
    "args",
    [
        ["scan", "/nonexistent/router.cfg"],
        ["scan", CLEAN, "--format", "xml"],
        ["scan", CLEAN, "--fail-on", "severe"],
        ["scan", CLEAN, "--select", "XYZ"],
        ["scan", CLEAN, "--mgmt-net", "10.0.0.300/8"],
        ["scan", CLEAN, "--acl-name", "two words"],
        ["explain", "VTY999"],
        ["scan"],
    ],
)
def test_usage_errors_exit_2(args):
    result = run(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_select_and_ignore_by_prefix():
    data = json.loads(run("scan", str(FIXTURES / "passwords.cfg"), "-f", "json", "--select", "PWD", "--ignore", "PWD00").output)
    assert data["devices"][0]["findings"] == []
    data = json.loads(run("scan", str(FIXTURES / "passwords.cfg"), "-f", "json", "--select", "PWD").output)
    assert {f["rule_id"] for f in data["devices"][0]["findings"]} == {"PWD001", "PWD002", "PWD003", "PWD004", "PWD006"}


def test_json_schema_and_stdin():
    text = (FIXTURES / "telnet-explicit.cfg").read_text()
    result = run("scan", "-", "--format", "json", input=text)
    data = json.loads(result.output)
    assert data["schema_version"] == 1 and data["tool"]["name"] == "vty-auditor"
    device = data["devices"][0]
    assert device["source"] == "<stdin>" and device["hostname"] == "branch-telnet" and device["status"] == "audited"
    finding = device["findings"][0]
    assert set(finding) == {"rule_id", "rule_name", "severity", "message", "section", "line", "evidence", "remediation"}
    assert set(finding["remediation"]) == {"applicability", "config", "note"}
    assert (finding["section"], finding["line"]) == ("line vty 0 4", 15)
    assert data["summary"]["by_rule"] == {"VTY001": 2}


def test_directory_scan_with_include_exclude(tmp_path):
    shutil.copy(TELNET, tmp_path / "a.cfg")
    (tmp_path / "sub").mkdir()
    shutil.copy(CLEAN, tmp_path / "sub" / "b.conf")
    (tmp_path / "notes.md").write_text("not a config")

    def sources(*extra):
        return [d["source"] for d in json.loads(run("scan", str(tmp_path), "-f", "json", *extra).output)["devices"]]

    assert [s.rsplit("/", 1)[-1] for s in sources()] == ["a.cfg", "b.conf"]
    assert [s.rsplit("/", 1)[-1] for s in sources("--exclude", "*.conf")] == ["a.cfg"]
    assert [s.rsplit("/", 1)[-1] for s in sources("--include", "*.conf")] == ["b.conf"]


def test_output_file_is_written_atomically(tmp_path):
    out = tmp_path / "report.json"
    result = run("scan", TELNET, "-f", "json", "-o", str(out))
    assert result.exit_code == 1 and result.output == ""
    assert json.loads(out.read_text())["summary"]["findings"] == 2
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_mgmt_net_writes_wildcards():
    result = run("scan", str(FIXTURES / "transport-implicit.cfg"), "--mgmt-net", "10.20.0.0/14", "--mgmt-net", "192.0.2.7/32")
    assert " permit 10.20.0.0 0.3.255.255" in result.output
    assert " permit host 192.0.2.7" in result.output


def test_rules_and_explain():
    listing = run("rules").output
    assert all(rid in listing for rid in ("VTY001", "VTY006", "PWD004"))
    doc = run("explain", "vty001").output
    assert "## Fix safety" in doc and "telnet-allowed" in doc


def test_installed_command_in_a_subprocess(tmp_path):
    exe = shutil.which("vty-auditor")
    assert exe, "the vty-auditor command is not installed"
    clean = subprocess.run([exe, "scan", CLEAN], capture_output=True, text=True)
    assert clean.returncode == 0 and clean.stderr == ""
    dirty = subprocess.run([exe, "scan", TELNET, "--format", "json"], capture_output=True, text=True)
    assert dirty.returncode == 1 and json.loads(dirty.stdout)["summary"]["findings"] == 2
    bad = subprocess.run([exe, "scan", str(DATA / "binary.cfg")], capture_output=True, text=True)
    assert bad.returncode == 3 and "binary" in bad.stdout
    usage = subprocess.run([sys.executable, "-m", "auditor", "scan", "--format", "nope", CLEAN], capture_output=True, text=True)
    assert usage.returncode == 2 and "unknown format" in usage.stderr
    version = subprocess.run([sys.executable, "-m", "auditor", "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("vty-auditor ")


def test_output_to_a_fifo_or_through_a_symlink_keeps_the_file_system_intact(tmp_path):
    """`-o /dev/null` once replaced the device node with a plain file (rename over it): never again."""
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(open(fifo).read()))
    reader.start()
    result = run("scan", TELNET, "--format", "json", "--output", str(fifo))
    reader.join(10)
    assert result.exit_code == 1
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still a FIFO, not a regular file
    assert json.loads(received[0])["summary"]["findings"] == 2
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert run("scan", TELNET, "--format", "json", "--output", str(link)).exit_code == 1
    # A symlink at the output path (one committed in a repository, say) is replaced, never followed.
    assert not link.is_symlink() and json.loads(link.read_text())["summary"]["findings"] == 2
    assert target.read_text() == "old"


def test_reports_are_private_unless_told(tmp_path):
    out = tmp_path / "r.json"
    assert run("scan", TELNET, "--format", "json", "--output", str(out)).exit_code == 1
    assert stat_mode(out) == 0o600
    assert run("scan", TELNET, "--format", "json", "--output", str(out), "--output-mode", "644").exit_code == 1
    assert stat_mode(out) == 0o644
    bad = run("scan", TELNET, "--output", str(out), "--output-mode", "rw")
    assert bad.exit_code == 2 and "octal" in bad.output


def stat_mode(path) -> int:
    return os.stat(path).st_mode & 0o777


def test_no_color_is_honoured_on_a_terminal():
    """NO_COLOR (no-color.org) turns colour off even on a terminal; --color still forces it."""
    import os
    import pty
    import shutil
    import subprocess

    from conftest import FIXTURES

    def on_a_terminal(*args, env=None):
        leader, follower = pty.openpty()
        environment = {**os.environ, **(env or {})}
        run = subprocess.run([shutil.which("vty-auditor"), "scan", str(FIXTURES / "telnet-explicit.cfg"), "--isolated", *args], stdout=follower, stderr=subprocess.DEVNULL, env=environment, timeout=60)
        os.close(follower)
        chunks = []
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        os.close(leader)
        return run.returncode, b"".join(chunks)

    assert b"\x1b[" in on_a_terminal()[1]
    assert b"\x1b[" not in on_a_terminal(env={"NO_COLOR": "1"})[1]
    assert b"\x1b[" in on_a_terminal("--color", env={"NO_COLOR": "1"})[1]


def test_the_default_text_report_has_one_line_fixes_and_show_fixes_adds_the_scripts():
    """A person reads the default report: per finding its message and a one-line fix; the framed
    scripts, evidence and safety notes with --show-fixes; the counts last."""
    from conftest import FIXTURES

    short = CliRunner().invoke(app, ["scan", str(FIXTURES / "telnet-explicit.cfg")])
    assert "fix (unsafe): line vty 0 4: transport input ssh" in short.stdout
    assert "configure terminal" not in short.stdout and "--show-fixes prints it" in short.stdout
    assert short.stdout.rstrip().splitlines()[-1].startswith("1 input(s): 1 audited; 2 finding(s)")
    full = CliRunner().invoke(app, ["scan", str(FIXTURES / "telnet-explicit.cfg"), "--show-fixes"])
    assert "combined remediation:" in full.stdout and "configure terminal revert timer 10" in full.stdout
    assert "evidence: transport input telnet ssh" in full.stdout
    # every fixture's device fits a screen: its name, 3 lines per finding, the script line
    import re

    report = CliRunner().invoke(app, ["scan", str(FIXTURES)])
    checked = 0
    for block in report.stdout.split("\n\n"):
        head = re.search(r": (\d+) finding\(s\)", block.splitlines()[0]) if block.strip() else None
        if head and "input(s)" not in block.splitlines()[0]:
            assert len(block.strip().splitlines()) <= 3 * int(head.group(1)) + 2, block
            checked += 1
    assert checked > 40


def test_help_names_what_each_option_takes_and_flags_take_nothing():
    """The installed command's help: `--select ID`, `--output FILE`; no `<bool>` or `<list[str]>`."""
    import shutil
    import subprocess

    import pytest

    exe = shutil.which("vty-auditor")
    if exe is None:
        pytest.skip("the command is not installed")
    from tests_support import invoke

    # every command's help from the command the entry point runs (in this process), then the installed command's
    for command in ([], ["scan"], ["fix"], ["pull"], ["probe"], ["merge"], ["rules"], ["explain"], ["baseline", "create"]):
        out = invoke([*command, "--help"], env={"COLUMNS": "200"}).stdout
        assert "Usage:" in out and "<bool>" not in out and "<list[" not in out and "<str>" not in out, (command, out)
    scan_help = subprocess.run([exe, "scan", "--help"], capture_output=True, text=True, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"}).stdout
    assert "<bool>" not in scan_help and "<list[" not in scan_help and "<str>" not in scan_help
    assert "--select" in scan_help and " ID " in scan_help and " FILE " in scan_help and " CIDR " in scan_help


def test_quiet_drops_notes_and_verbose_adds_a_line_per_input(tmp_path):
    from tests_support import configs_with_a_note

    configs = configs_with_a_note(tmp_path, "telnet-explicit.cfg")
    runner = CliRunner()
    default = runner.invoke(app, ["scan", str(configs), "-f", "concise"])
    quiet = runner.invoke(app, ["-q", "scan", str(configs), "-f", "concise"])
    verbose = runner.invoke(app, ["-v", "scan", str(configs), "-f", "concise"])
    assert "skipped" in default.stderr and quiet.stderr == "" and quiet.stdout == default.stdout
    assert "r1.cfg: audited (ios" in verbose.stderr and "2 finding(s)" in verbose.stderr and "notes.txt: not-a-config" in verbose.stderr
    assert "skipped" in runner.invoke(app, ["scan", str(configs), "-f", "concise"]).stderr  # set again by every run
