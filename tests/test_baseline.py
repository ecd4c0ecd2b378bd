"""Baseline round trip: create, scan clean, add a fault, scan shows only the new one."""

import json
import shutil

from typer.testing import CliRunner

from auditor.cli import app
from conftest import FIXTURES

runner = CliRunner()


def test_baseline_round_trip(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "configs").mkdir()
    shutil.copy(FIXTURES / "passwords.cfg", tmp_path / "configs" / "r1.cfg")
    created = runner.invoke(app, ["baseline", "create", "configs", "-o", "base.json"])
    assert created.exit_code == 0, created.output
    entries = json.loads((tmp_path / "base.json").read_text())["entries"]
    assert {"source": "configs/r1.cfg", "rule_id": "VTY006", "section": "line vty 5 15"} in entries
    assert all("line" not in e for e in entries)

    clean = runner.invoke(app, ["scan", "configs", "--baseline", "base.json", "-f", "json"])
    assert clean.exit_code == 0
    device = json.loads(clean.stdout)["devices"][0]
    assert device["findings"] == [] and len(device["baselined"]) == len(entries)

    # Lines move (a comment on top) and a new fault appears: only the new one is reported.
    text = (tmp_path / "configs" / "r1.cfg").read_text()
    text = "! moved\n" + text.replace(" transport input ssh\nline vty 5 15", " transport input telnet\nline vty 5 15")
    (tmp_path / "configs" / "r1.cfg").write_text(text)
    dirty = runner.invoke(app, ["scan", "configs", "--baseline", "base.json", "-f", "json"])
    assert dirty.exit_code == 1
    assert [f["rule_id"] for f in json.loads(dirty.stdout)["devices"][0]["findings"]] == ["VTY001"]


def test_stale_entries_are_reported(tmp_path):
    base = tmp_path / "base.json"
    base.write_text(json.dumps({"schema_version": 1, "entries": [{"source": "gone.cfg", "rule_id": "VTY001", "section": "line vty 0 4"}]}))
    result = runner.invoke(app, ["scan", str(FIXTURES / "clean-ssh-only.cfg"), "--baseline", str(base), "-f", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["stale_baseline"] == [{"source": "gone.cfg", "rule_id": "VTY001", "section": "line vty 0 4"}]
    assert "matches nothing" in result.stderr


def test_bad_baseline_is_a_usage_error(tmp_path):
    bad = tmp_path / "base.json"
    bad.write_text("{not json")
    result = runner.invoke(app, ["scan", str(FIXTURES / "clean-ssh-only.cfg"), "--baseline", str(bad)])
    assert result.exit_code == 2 and "not a vty-auditor baseline" in result.stderr


def test_baseline_create_skips_notes_and_names_what_it_could_not_audit(tmp_path):
    """`baseline create configs/` printed "wrote N entries" then exited 3 without saying why."""
    import shutil

    from conftest import FIXTURES

    configs = tmp_path / "configs"
    configs.mkdir()
    shutil.copy(FIXTURES / "telnet-explicit.cfg", configs / "r1.cfg")
    (configs / "notes.txt").write_text("meeting notes: upgrade the core switches\n")
    out = tmp_path / "baseline.json"
    # found in a directory: skipped and named; named on the command line: not audited, named, exit 3
    walked = runner.invoke(app, ["baseline", "create", str(configs), "--include", "*", "-o", str(out)])
    assert walked.exit_code == 0 and "skipped" in walked.output and "notes.txt" in walked.output, walked.output
    strict = runner.invoke(app, ["baseline", "create", str(configs / "r1.cfg"), str(configs / "notes.txt"), "-o", str(out)])
    assert strict.exit_code == 3 and "not audited:" in strict.output and "notes.txt" in strict.output
    skipping = runner.invoke(app, ["baseline", "create", str(configs / "r1.cfg"), str(configs / "notes.txt"), "-o", str(out), "--skip-non-configs"])
    assert skipping.exit_code == 0 and "skipped" in skipping.output, skipping.output
