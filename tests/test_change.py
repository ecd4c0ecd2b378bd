"""Pre-change audits: --change introduces, resolves and keeps findings; --fail-on-new gates on new ones."""

import json

from typer.testing import CliRunner

from auditor.change import apply_change
from auditor.cli import app
from conftest import FIXTURES

runner = CliRunner()
TELNET = str(FIXTURES / "telnet-explicit.cfg")


def scan(change_text: str, tmp_path, *extra, base=TELNET):
    change = tmp_path / "change.txt"
    change.write_text(change_text)
    result = runner.invoke(app, ["scan", base, "--change", str(change), "-f", "json", *extra])
    return result, (json.loads(result.stdout)["devices"][0]["change"] if result.stdout.startswith("{") else None)


def test_change_resolves_and_keeps(tmp_path):
    result, change = scan("conf t\nline vty 0 4\n transport input ssh\nend\n", tmp_path)
    assert [(f["rule_id"], f["section"]) for f in change["resolved"]] == [("VTY001", "line vty 0 4")]
    assert [(f["rule_id"], f["section"]) for f in change["unchanged"]] == [("VTY001", "line vty 5 15")]
    assert change["introduced"] == [] and result.exit_code == 1


def test_change_that_introduces_telnet_fails_only_then_with_fail_on_new(tmp_path):
    clean = str(FIXTURES / "clean-ssh-only.cfg")
    change_text = "line vty 3\n transport input telnet ssh\n no access-class VTY-ACCESS in\n"
    result, change = scan(change_text, tmp_path, "--fail-on-new", base=clean)
    introduced = {(f["rule_id"], f["section"]) for f in change["introduced"]}
    assert introduced == {("VTY001", "line vty 3"), ("VTY003", "line vty 3")}
    assert result.exit_code == 1
    # Telnet on vty 3 was already there in telnet-explicit.cfg: unchanged, so --fail-on-new passes.
    result, change = scan("line vty 0 15\n transport input ssh\nline vty 3\n transport input telnet\n", tmp_path, "--fail-on-new")
    assert change["introduced"] == [] and ("VTY001", "line vty 3") in {(f["rule_id"], f["section"]) for f in change["unchanged"]}
    assert result.exit_code == 0


def test_change_needs_one_file_and_fail_on_new_needs_change(tmp_path):
    change = tmp_path / "c.txt"
    change.write_text("line vty 0 4\n")
    assert runner.invoke(app, ["scan", str(FIXTURES), "--change", str(change)]).exit_code == 2
    assert runner.invoke(app, ["scan", TELNET, "--fail-on-new"]).exit_code == 2


def test_apply_change_drops_mode_commands():
    out = apply_change(b"hostname r\nend\n", b"configure terminal\nline vty 0 4\n transport input ssh\nend\nwrite memory\n")
    assert out == b"hostname r\nline vty 0 4\n transport input ssh\nend\n"


def test_a_finding_on_a_line_of_the_change_names_the_snippet_and_its_line(tmp_path):
    clean = str(FIXTURES / "clean-ssh-only.cfg")
    change = tmp_path / "change.txt"
    change.write_text("configure terminal\n! open the lab lines\nline vty 5 15\n transport input telnet ssh\nend\n")
    result = runner.invoke(app, ["scan", clean, "--change", str(change), "-f", "json"])
    device = json.loads(result.stdout)["devices"][0]
    telnet = [f for f in device["findings"] if f["rule_id"] == "VTY001"]
    assert telnet and all(f["file"] == str(change) and f["line"] == 4 for f in telnet)
    github = runner.invoke(app, ["scan", clean, "--change", str(change), "-f", "github"]).stdout
    assert f"file={str(change).replace(':', '%3A')},line=4," in github
    concise = runner.invoke(app, ["scan", clean, "--change", str(change), "-f", "concise"]).stdout
    assert f"{change}:4: VTY001" in concise


def test_concise_says_what_the_change_did(tmp_path):
    """`-f concise` with --change marks each finding introduced or unchanged, lists the resolved ones
    and counts both on the summary line (it used to drop the comparison)."""
    change = tmp_path / "c.txt"
    change.write_text("line vty 0 4\n transport input ssh\nline vty 0 4\n access-class 10 in\n")
    result = runner.invoke(app, ["scan", TELNET, "--change", str(change), "-f", "concise"])
    lines = result.stdout.splitlines()
    assert any("[resolved]" in line and "line vty 0 4" in line for line in lines)
    assert any("[unchanged]" in line and "line vty 5 15" in line for line in lines)
    assert lines[-1].endswith("0 introduced, 1 resolved")


def test_a_fence_that_reuses_the_existing_acl_asks_for_nothing(tmp_path):
    """A change that drops a line's access-class, on a device whose VTY-ACCESS is restrictive: the
    fix points the line at it again. It said "needs-input: fill in your management network" and the
    script "Replace every <PLACEHOLDER>" though it held none."""
    from conftest import FIXTURES

    change = tmp_path / "c.txt"
    change.write_text("line vty 3\n transport input telnet ssh\n no access-class VTY-ACCESS in\n")
    result = runner.invoke(app, ["scan", str(FIXTURES / "clean-ssh-only.cfg"), "--change", str(change), "-f", "json"])
    device = json.loads(result.stdout)["devices"][0]
    fence = next(f for f in device["findings"] if f["rule_id"] == "VTY003")
    assert fence["remediation"]["applicability"] == "unsafe" and "existing VTY-ACCESS" in fence["remediation"]["note"]
    assert "access-class VTY-ACCESS in" in device["remediation"] and "<" not in device["remediation"].replace("<PLACEHOLDER>", "")
    assert "Replace every <PLACEHOLDER>" not in device["remediation"]


def test_the_config_after_the_change_is_audited_with_the_same_rule_parameters(tmp_path):
    """Before and after are audited with one request: a rule parameter from the configuration file
    (VTY007's five minutes) holds on both sides, so an untouched 7-minute timeout stays unchanged."""
    base = tmp_path / "r1.cfg"
    base.write_text("hostname r1\nline vty 0 4\n exec-timeout 7 0\n transport input ssh\nline con 0\n exec-timeout 5 0\nend\n")
    config = tmp_path / "vty.toml"
    config.write_text("[rules.VTY007]\nmax_minutes = 5\n")
    result, change = scan("banner motd ^Authorised use only^\n", tmp_path, "--config", str(config), base=str(base))
    assert result.exit_code == 1, result.output
    assert "VTY007" in [f["rule_id"] for f in change["unchanged"]] and change["introduced"] == change["resolved"] == []


def test_a_stage_checks_its_usage_before_the_source_reads_anything(tmp_path):
    """--fail-on-new without --change is refused before an inventory is read or a device pulled."""
    inventory = tmp_path / "hosts.yaml"
    inventory.write_text("r1:\n  hostname: 127.0.0.1\n  port: 1\n")
    result = runner.invoke(app, ["scan", "--inventory", str(inventory), "--fail-on-new", "--timeout", "1"])
    assert result.exit_code == 2 and "--fail-on-new needs --change" in result.output
