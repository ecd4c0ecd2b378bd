"""ASA: management access read from its `telnet` / `ssh` entries, as the ASA applies them."""

from __future__ import annotations

import pytest

from auditor.engine import audit, read_model
from auditor.rule import AuditOptions
from conftest import FIXTURES

HEAD = "ASA Version 9.14(2)\nhostname fw\naaa authentication ssh console LOCAL\nusername ops password AbC123xYz encrypted privilege 15\n"


def findings(config: str, **options) -> set[tuple[str, str]]:
    report = audit((HEAD + config).encode(), source="fw.cfg", options=AuditOptions(**options))
    assert report.status.value == "audited" and report.platform == "asa", report.error
    return {(f.rule_id, f.section) for f in report.findings}


def test_each_protocol_and_interface_is_one_access_path_fenced_by_its_entries():
    model = read_model((HEAD + "ssh 192.0.2.0 255.255.255.0 inside\nssh 2001:db8::/32 inside\ntelnet 192.0.2.7 255.255.255.255 inside\n").encode())
    assert [s.name for s in model.vty_sections()] == ["ssh inside", "telnet inside"]
    ssh = model.vty_sections()[0]
    assert ssh.settings.transport_input == ("ssh",) and ssh.settings.access_class_in.name == "ssh inside"
    assert ssh.settings.ipv6_access_class_in.name == "ssh inside"
    assert findings("ssh 192.0.2.0 255.255.255.0 inside\n") == set()


@pytest.mark.parametrize("entry", ["ssh 0.0.0.0 0.0.0.0 outside", "ssh 0 0 outside", "ssh ::/0 outside"])
def test_an_entry_for_every_source_leaves_the_path_open(entry):
    assert findings(entry + "\nssh 192.0.2.0 255.255.255.0 outside\n") == {("VTY003", "ssh outside")}


def test_telnet_is_reported_and_closed_after_ssh_from_the_same_sources():
    config = "name 192.0.2.10 jump\ntelnet jump 255.255.255.255 inside\ntelnet 0 0 inside\n"
    report = audit((HEAD + config).encode(), options=AuditOptions(mgmt_nets=("192.0.2.0/24",)))
    assert {(f.rule_id, f.section) for f in report.findings} == {("VTY001", "telnet inside"), ("VTY003", "telnet inside")}
    script = report.remediation.splitlines()
    # SSH from the named host first; `telnet 0 0` gets no SSH twin for every source
    assert "ssh jump 255.255.255.255 inside" in script and not any(line.startswith("ssh 0") for line in script)
    assert script.index("ssh jump 255.255.255.255 inside") < script.index("no telnet jump 255.255.255.255 inside")
    assert "no telnet 0 0 inside" in script and script[-1] == "write memory"


def test_no_removes_one_entry_and_the_last_one_closes_the_path():
    assert findings("telnet 192.0.2.0 255.255.255.0 inside\nno telnet 192.0.2.0 255.255.255.0 inside\n") == set()
    assert findings("ssh 0 0 outside\nssh 192.0.2.0 255.255.255.0 outside\nno ssh 0 0 outside\n") == set()


def test_passwords_typed_in_clear_are_found_and_hashes_are_not():
    found = findings("enable password Cl3arEnable\nusername temp password T3mpPass privilege 3\nssh 192.0.2.0 255.255.255.0 inside\n")
    assert found == {("PWD003", "global"), ("PWD004", "username temp")}
    assert findings("enable password 8Ry2YjIyt7RRXU24 encrypted\nusername a password x pbkdf2\nssh 192.0.2.0 255.255.255.0 inside\n") == set()
    report = audit((HEAD + "enable password Cl3arEnable\n").encode())
    assert "enable password <NEW-ENABLE-SECRET>" in report.remediation and "Cl3arEnable" not in report.model_dump_json()


def test_an_asa_is_never_read_with_ios_rules_or_ios_commands():
    report = audit((HEAD + "telnet 192.0.2.0 255.255.255.0 inside\n").encode())
    assert "line vty" not in report.remediation and "transport input" not in report.remediation
    assert "configure terminal revert timer" not in report.remediation  # the ASA has none
    assert {f.rule_id for f in report.findings} <= {"VTY001", "VTY003", "PWD003", "PWD004"}


def test_ssh_version_1_and_long_idle_timeouts_are_read_in_asa_terms():
    found = findings("ssh 192.0.2.0 255.255.255.0 inside\nssh version 1\nssh timeout 60\n")
    assert found == {("VTY010", "global"), ("VTY007", "ssh inside")}
    report = audit((HEAD + "ssh 192.0.2.0 255.255.255.0 inside\nssh version 1\nssh timeout 60\n").encode())
    assert "ssh version 2" in report.remediation.splitlines() and "ssh timeout 10" in report.remediation.splitlines()
    assert "ip ssh version 2" not in report.remediation and "exec-timeout" not in report.remediation
    # absent, the ASA's 5 minutes hold even under a 5-minute profile
    quiet = audit((HEAD + "ssh 192.0.2.0 255.255.255.0 inside\n").encode(), profile="stig")
    assert "VTY007" not in {f.rule_id for f in quiet.findings}


def test_fix_plans_an_asa_change_but_never_applies_it():
    from auditor.apply import apply_plan
    from auditor.engine import AuditRequest
    from auditor.fix import plan

    data = (HEAD + "telnet 192.0.2.0 255.255.255.0 inside\nssh 0 0 outside\n").encode()
    options = AuditOptions(mgmt_nets=("192.0.2.0/24",))
    report = audit(data, source="fw", options=options)
    request = AuditRequest(options=options)
    planned = plan(report, data, "192.0.2.50", request, "ops")
    assert planned.status == "ready" and planned.findings_after == 0, planned.reasons
    locked = plan(report, data, "198.51.100.9", request, "ops")
    assert locked.status == "refused" and "would lock out this host: 198.51.100.9" in locked.reasons[0]
    from auditor.remediation import config_lines

    assert "write memory" not in config_lines(report.remediation)  # the frame's save, not configuration
    refused = apply_plan(None, None, None, planned, report, data, request)
    assert refused.status == "refused" and "paste the plan" in refused.reasons[0]


@pytest.mark.parametrize("version, severity, says", [("9.12(4)", "low", "nobody can log in over SSH"), ("8.2(5)", "medium", "shared user pix")])
def test_ssh_without_aaa_is_found_with_a_severity_by_release(version, severity, says):
    config = f"ASA Version {version}\nhostname fw\nusername ops password x encrypted privilege 15\nssh 192.0.2.0 255.255.255.0 inside\n"
    report = audit(config.encode())
    [finding] = [f for f in report.findings if f.rule_id == "VTY018"]
    assert finding.severity.value == severity and says in finding.message
    assert finding.remediation.applicability.value == "safe"  # a user with a password exists: only the aaa line
    assert [line for c in finding.remediation.changes for line in c.lines] == ["aaa authentication ssh console LOCAL"]


def test_passwd_in_clear_is_a_clear_login_password_and_never_printed():
    found = audit((HEAD + "passwd Lo9inSecr3t\nssh 192.0.2.0 255.255.255.0 inside\n").encode())
    assert [(f.rule_id, f.section, f.evidence) for f in found.findings] == [("PWD001", "passwd", "passwd ****")]
    assert "passwd <NEW-LOGIN-PASSWORD>" in found.remediation and "Lo9inSecr3t" not in found.model_dump_json()
    assert findings("passwd 2KFQnbNIdI.2KYOU encrypted\nssh 192.0.2.0 255.255.255.0 inside\n") == set()
    assert findings("passwd Lo9inSecr3t\nno passwd Lo9inSecr3t\nssh 192.0.2.0 255.255.255.0 inside\n") == set()


def test_telnet_from_anywhere_becomes_ssh_from_the_management_networks():
    """The ssh entries the fix writes use --mgmt-net (IPv4 and IPv6); without it, a placeholder."""
    from auditor.engine import audit
    from auditor.rule import AuditOptions

    data = (FIXTURES / "asa-telnet-any-mgmt.cfg").read_bytes()
    given = audit(data, options=AuditOptions(mgmt_nets=("10.99.0.0/16", "2001:db8:99::/48"))).remediation
    assert "ssh 10.99.0.0 255.255.0.0 management" in given and "ssh 2001:db8:99::/48 management" in given
    assert "<MGMT-NETWORK>" not in given and "ssh 0.0.0.0 0.0.0.0" not in given
    assert "ssh <MGMT-NETWORK> <MGMT-MASK> management" in audit(data).remediation
