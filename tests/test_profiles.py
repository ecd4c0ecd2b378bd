"""Profiles select the rules their references say, with their parameters."""

from typer.testing import CliRunner

import rules
from auditor.cli import app
from auditor.engine import audit
from auditor.profiles import PROFILES, rules_in
from conftest import FIXTURES


def ids(profile):
    return {r.meta.id for r, _ in rules_in(profile)}


def test_profiles_select_by_reference():
    assert ids("all") == {r.meta.id for r in rules.ALL_RULES}
    assert ids("stig") == {r.meta.id for r in rules.ALL_RULES if any(ref.standard == "DISA STIG" for ref in r.meta.references)}
    assert ids("cis-l1") <= ids("cis-l2") < ids("all")
    assert {"VTY001", "VTY003"} <= ids("cis-l1")
    assert "VTY015" in ids("stig") and "VTY015" not in ids("cis-l2")


def test_profile_parameters_apply():
    data = (FIXTURES / "transport-implicit.cfg").read_bytes()
    # 16 implicit/explicit vty lines accept connections: fine by default (16), too many for stig (5)
    assert "VTY015" not in {f.rule_id for f in audit(data).findings}
    stig_findings = {f.rule_id: f for f in audit(data, profile="stig").findings}
    assert stig_findings["VTY015"].message.endswith("the policy allows 5")
    assert "LIN001" not in {f.rule_id for f in audit(data, profile="stig").findings}


def test_cli_profiles():
    runner = CliRunner()
    listing = runner.invoke(app, ["rules", "--profile", "stig"])
    assert listing.exit_code == 0 and "DISA STIG CISC-ND-000010" in listing.output and "max_lines = 5" in listing.output
    assert runner.invoke(app, ["rules", "--profile", "nope"]).exit_code == 2
    assert runner.invoke(app, ["scan", str(FIXTURES / "clean-ssh-only.cfg"), "--profile", "nope"]).exit_code == 2
    assert runner.invoke(app, ["scan", str(FIXTURES / "clean-ssh-only.cfg"), "--profile", "cis-l2"]).exit_code == 0
    assert set(PROFILES) == {"all", "cis-l1", "cis-l2", "stig"}
