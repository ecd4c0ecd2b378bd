"""Bad input gets a status and a reason, never a traceback and never a silent pass."""

import pytest

from auditor.engine import audit
from auditor.findings import DeviceStatus
from conftest import DATA


@pytest.mark.parametrize(
    "name, reason",
    [
        ("empty.cfg", "empty"),
        ("binary.cfg", "binary"),
        ("show-version.txt", "show version"),
        ("ambiguous.cfg", "ambiguous platform"),
        ("no-lines.cfg", "no `line` sections"),
    ],
)
def test_not_a_config_is_unrecognized(name, reason):
    report = audit((DATA / name).read_bytes(), source=name)
    assert report.status is DeviceStatus.UNRECOGNIZED
    assert reason in report.error
    assert report.findings == ()


def test_latin1_and_crlf_are_audited():
    report = audit(b"hostname r\xe9\r\nline vty 0 4\r\n transport input telnet\r\n access-class 1 in\r\naccess-list 1 permit host 192.0.2.1\r\nline con 0\r\n login local\r\n")
    assert report.status is DeviceStatus.AUDITED
    assert [f.rule_id for f in report.findings] == ["PWD006", "VTY014", "VTY001"]  # telnet only: no SSH, so no VTY010
    assert report.hostname == "r\xe9"


def test_a_note_found_in_a_directory_is_skipped_and_named_one_named_fails(tmp_path):
    """`scan configs/` with a notes.txt beside the configs: the note is listed as skipped (stderr and
    run.skipped), the exit code is the configs'; named on the command line, it still fails (3)."""
    import json

    from typer.testing import CliRunner

    from auditor.cli import app
    from tests_support import configs_with_a_note

    configs = configs_with_a_note(tmp_path)
    runner = CliRunner()
    walked = runner.invoke(app, ["scan", str(configs), "-f", "json"])
    assert walked.exit_code == 0, walked.stderr
    data = json.loads(walked.stdout)
    assert [d["source"] for d in data["devices"]] == [str(configs / "r1.cfg")]
    assert "notes.txt" in data["run"]["skipped"][0] and "skipped" in walked.stderr
    named = runner.invoke(app, ["scan", str(configs / "r1.cfg"), str(configs / "notes.txt")])
    assert named.exit_code == 3
    baseline = runner.invoke(app, ["baseline", "create", str(configs), "-o", str(tmp_path / "b.json")])
    assert baseline.exit_code == 0 and "skipped" in baseline.stderr
