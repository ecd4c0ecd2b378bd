"""CI formats: SARIF (validated against the official 2.1.0 schema), JUnit (parsed back), GitHub annotations."""

import json
import xml.etree.ElementTree as ET

import jsonschema
import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.engine import audit
from auditor.reports import Report, render
from conftest import DATA, FIXTURE_FILES, FIXTURES


def fleet_report():
    devices = [audit(p.read_bytes(), source=str(p.relative_to(FIXTURES.parent))) for p in FIXTURE_FILES]
    devices.append(audit((DATA / "show-version.txt").read_bytes(), source="tests/data/show-version.txt"))
    return Report(devices=tuple(devices))


def test_sarif_is_valid_and_complete(monkeypatch):
    monkeypatch.chdir(FIXTURES.parent)
    report = fleet_report()
    doc = json.loads(render("sarif", report))
    schema = json.loads((DATA / "sarif-2.1.0.json").read_text())
    jsonschema.Draft7Validator(schema).validate(doc)
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "vty-auditor" and driver["version"] and driver["informationUri"]
    rule_ids = [r["id"] for r in driver["rules"]]
    assert {"VTY001", "PWD006", "VTY900"} <= set(rule_ids)
    vty001 = driver["rules"][rule_ids.index("VTY001")]
    assert vty001["properties"]["security-severity"] == "8.0" and "## Fix safety" in vty001["help"]["markdown"]
    # the rule's documentation is carried once (markdown); the required text points at it
    assert "## Fix safety" not in vty001["help"]["text"] and "vty-auditor explain VTY001" in vty001["help"]["text"]
    expected = sorted((d.source, f.rule_id, f.line) for d in report.devices for f in d.findings + d.suppressed)
    # suppressed findings stay visible to reviewers, as SARIF suppressions with the comment's reason
    silenced = [r for r in run["results"] if r.get("suppressions")]
    assert len(silenced) == sum(len(d.suppressed) for d in report.devices) > 0
    assert all(r["suppressions"][0]["kind"] == "inSource" and r["suppressions"][0]["justification"] for r in silenced)
    got = sorted(
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in run["results"]
    )
    assert got == expected
    assert all(driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])
    assert run["invocations"][0]["executionSuccessful"] is False
    assert "show-version.txt" in run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]


def test_sarif_fingerprints_survive_moved_lines():
    data = (FIXTURES / "telnet-explicit.cfg").read_bytes()

    def prints(payload):
        doc = json.loads(render("sarif", Report(devices=(audit(payload, source="r.cfg"),))))
        return [(r["locations"][0]["physicalLocation"]["region"]["startLine"], r["partialFingerprints"]["vtyAuditor/v1"]) for r in doc["runs"][0]["results"]]

    before, after = prints(data), prints(b"!\n!\n" + data)
    assert [p for _, p in before] == [p for _, p in after]
    assert [line + 2 for line, _ in before] == [line for line, _ in after]
    assert len({p for _, p in before}) == len(before)  # different sections, different prints


def test_junit_parses_back_with_counts():
    report = fleet_report()
    root = ET.fromstring(render("junit", report))
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {d.source for d in report.devices}
    for device in report.devices:
        suite = suites[device.source]
        assert int(suite.get("failures")) == len(device.findings) == len(suite.findall("testcase/failure"))
        assert int(suite.get("skipped")) == len(device.suppressed) + len(device.baselined)
    errors = suites["tests/data/show-version.txt"].findall("testcase/error")
    assert len(errors) == 1 and "unrecognized" in errors[0].get("message")
    clean = suites["fixtures/clean-ssh-only.cfg"]
    assert int(clean.get("tests")) > 0 and clean.findall("testcase/failure") == []
    assert int(root.get("failures")) == sum(len(d.findings) for d in report.devices)


def test_github_annotations_escape_properties_and_data():
    report = fleet_report()
    lines = render("github", report).splitlines()
    # one line per finding, one per device not audited, one per device with suppressed findings
    assert len(lines) == sum(len(d.findings) + bool(d.suppressed) for d in report.devices) + 1
    assert any(line.startswith("::notice file=") and "suppressed by comments" in line for line in lines)
    assert any(line.startswith("::error file=fixtures/telnet-explicit.cfg,line=15,title=VTY001 telnet-allowed::") for line in lines)
    assert any(line.startswith("::error file=tests/data/show-version.txt::") for line in lines)
    from auditor.reports.github import _data, _prop

    assert _prop("a,b:c") == "a%2Cb%3Ac" and _data("50%\nnext") == "50%25%0Anext"


def test_cli_sarif_and_junit(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["scan", str(FIXTURES / "telnet-explicit.cfg"), "--format", "sarif"])
    assert result.exit_code == 1 and json.loads(result.output)["version"] == "2.1.0"
    out = tmp_path / "junit.xml"
    result = runner.invoke(app, ["scan", str(FIXTURES / "clean-ssh-only.cfg"), "--format", "junit", "-o", str(out)])
    assert result.exit_code == 0 and ET.parse(out).getroot().get("failures") == "0"


def test_json_report_matches_the_documented_schema():
    schema = json.loads((FIXTURES.parent / "docs" / "report.schema.json").read_text())
    doc = json.loads(render("json", fleet_report()))
    jsonschema.Draft7Validator(schema).validate(doc)
    assert any(d["status"] == "unrecognized" for d in doc["devices"])


@pytest.mark.parametrize("fmt", ["text", "concise"])
def test_a_file_name_with_a_newline_never_prints_a_workflow_command(tmp_path, fmt):
    """A committed file name holding a newline and `::error ...` (GitHub Actions runs such lines)
    is one escaped field in every human format."""
    import subprocess
    import shutil

    from conftest import FIXTURES

    name = tmp_path / "a\n::error file=x::pwned\x1b[31m.cfg"
    name.write_bytes((FIXTURES / "telnet-explicit.cfg").read_bytes())
    run = subprocess.run([shutil.which("vty-auditor"), "scan", str(tmp_path), "--isolated", "-f", fmt], capture_output=True, text=True)
    lines = (run.stdout + run.stderr).splitlines()
    assert not any(line.startswith("::") for line in lines), lines
    assert "\x1b" not in run.stdout + run.stderr and "\\n::error" in run.stdout
