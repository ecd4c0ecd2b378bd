"""Other platforms' configs are recognised and named (`unsupported`), never audited with Cisco IOS or NX-OS rules."""

import json

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.engine import audit
from conftest import DATA, FIXTURES

VENDORS = DATA / "vendors"
runner = CliRunner()


@pytest.mark.parametrize(
    "name, platform",
    [
        ("junos-curly.conf", "Juniper Junos"),
        ("junos-set.conf", "Juniper Junos"),
        ("eos.cfg", "Arista EOS"),
        ("fortios.conf", "Fortinet FortiOS"),
        ("panos.xml", "Palo Alto PAN-OS"),
    ],
)
def test_each_platform_is_named_and_not_audited(name, platform):
    report = audit((VENDORS / name).read_bytes(), source=name)
    assert report.status.value == "unsupported" and report.error.startswith(platform) and report.findings == ()
    assert report.platform_evidence and report.platform is None


def test_a_marker_in_an_ios_banner_does_not_turn_the_config_into_another_platform():
    config = (FIXTURES / "telnet-explicit.cfg").read_text().replace("hostname branch-telnet\n", "hostname branch-telnet\nbanner motd ^C\nASA Version 9.12(4)\n^C\n")
    report = audit(config.encode())
    # A banner is text the device prints: it is not evidence, so the config is audited as the IOS config it is.
    assert report.status.value == "audited" and report.platform == "ios" and "VTY001" in {f.rule_id for f in report.findings}


def test_unsupported_inputs_make_the_exit_code_3_unless_allowed_and_are_always_listed(tmp_path):
    args = ["scan", str(VENDORS), str(FIXTURES / "clean-ssh-only.cfg"), "--include", "*", "--isolated", "-f", "json"]
    strict = runner.invoke(app, args)
    assert strict.exit_code == 3
    allowed = runner.invoke(app, [*args, "--allow-unsupported"])
    assert allowed.exit_code == 0
    report = json.loads(allowed.stdout)
    assert report["summary"]["not_audited"] == {"unsupported": 5} and report["run"]["allow_unsupported"] is True
    # the same from the configuration file
    (tmp_path / ".vty-auditor.toml").write_text("allow-unsupported = true\n")
    from_file = runner.invoke(app, [a for a in args if a != "--isolated"] + ["--config", str(tmp_path / ".vty-auditor.toml")])
    assert from_file.exit_code == 0


def test_an_asa_config_is_audited_as_asa_not_named_unsupported():
    report = audit((VENDORS.parent / "asa.cfg").read_bytes(), source="asa.cfg")
    assert report.status.value == "audited" and report.platform == "asa"
    assert any("ASA Version" in e for e in report.platform_evidence)
