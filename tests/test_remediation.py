"""Remediation details: lockout-safe ordering, VRF reachability, AAA, wildcards."""

from auditor.engine import audit
from auditor.findings import Applicability
from auditor.remediation import wildcard
from auditor.rule import AuditOptions
import ipaddress


def findings(text: str, **opts):
    return {f.rule_id: f for f in audit(text.encode(), options=AuditOptions(**opts)).findings}


def test_wildcards():
    assert wildcard(ipaddress.ip_network("10.0.0.0/8")) == "0.255.255.255"
    assert wildcard(ipaddress.ip_network("192.0.2.128/25")) == "0.0.0.127"


def test_replacing_a_permissive_acl_keeps_vrf_also():
    f = findings(
        "access-list 5 permit any\nusername a secret 9 $9$x\nline vty 0 4\n access-class 5 in vrf-also\n login local\n transport input ssh\n",
        mgmt_nets=("192.0.2.0/24",),
    )["VTY005"]
    assert "access-class VTY-ACCESS in vrf-also" in f.remediation.config
    assert f.remediation.applicability is Applicability.UNSAFE


def test_line_password_under_aaa_with_line_method():
    f = findings(
        "aaa new-model\naaa authentication login default group tacacs+ line\nline vty 0 4\n password 7 0822455D0A16\n transport input ssh\n access-class 1 in\naccess-list 1 permit host 192.0.2.1\n"
    )["PWD002"]
    config = f.remediation.config.splitlines()
    assert "aaa authentication login default group tacacs+ local" in config  # the server group stays
    assert config.index("aaa authentication login default group tacacs+ local") < config.index(" no password")
    assert f.remediation.applicability is Applicability.NEEDS_INPUT


def test_unused_line_password_is_safe_to_remove():
    f = findings("line con 0\n password 7 0822455D0A16\n")["PWD002"]
    assert f.remediation.applicability is Applicability.SAFE
    assert f.remediation.config == "line con 0\n no password"


def test_ssh_needs_local_login_when_the_line_uses_a_password():
    f = findings("line vty 0 4\n password 0 x\n login\n transport input telnet\n")["VTY001"]
    config = f.remediation.config.splitlines()
    assert config[0] == "username <ADMIN-USER> privilege 15 secret <NEW-SECRET-ADMIN>"  # no version line: the form every release takes
    assert config.index("ip ssh version 2") < config.index(" transport input ssh")
    assert config.index(" login local") < config.index(" transport input ssh")
    assert f.remediation.applicability is Applicability.NEEDS_INPUT


def test_platform_table_words_the_implicit_transport_finding():
    classic = findings("version 15.2\nline vty 0 4\n")["VTY002"]
    assert "admits Telnet" in classic.message
    xe = findings("version 17.9\nline vty 0 4\n")["VTY002"]
    assert "release-dependent" in xe.message
    forced = findings("version 17.9\nline vty 0 4\n", platform_version="12.4")["VTY002"]
    assert "admits Telnet" in forced.message


def test_each_step_is_armed_verified_confirmed_and_saved():
    """IOS 15.x: `configure terminal revert timer`, the change, a fresh login, `configure confirm`, a save."""
    from auditor.engine import audit

    config = "version 15.2\nhostname r\nip domain name example.net\nip ssh version 2\nusername a privilege 15 secret 9 $9$x\nline vty 0 4\n login local\n transport input telnet ssh\nend\n"
    script = audit(config.encode()).remediation.splitlines()
    archive = script.index("archive")
    assert script[archive + 1] == " path flash:vty-auditor-archive" and script[archive - 1] == "configure terminal"
    steps = [i for i, line in enumerate(script) if line == "configure terminal revert timer 10"]
    confirms = [i for i, line in enumerate(script) if line == "configure confirm"]
    saves = [i for i, line in enumerate(script) if line == "copy running-config startup-config"]
    assert len(steps) == len(confirms) == len(saves) >= 1 and archive < steps[0]
    for step, confirm, save in zip(steps, confirms, saves):
        assert step < script.index("end", step) < confirm < save
        assert script[confirm - 1].startswith("! Log in again through the changed lines")
    # the config already has an archive path: none is added
    with_archive = config.replace("hostname r\n", "hostname r\narchive\n path flash:cfg\n")
    assert "archive" not in audit(with_archive.encode()).remediation.splitlines()
    # IOS-XE keeps its archive on bootflash:
    xe = audit(config.replace("version 15.2", "version 17.6").encode()).remediation
    assert " path bootflash:vty-auditor-archive" in xe.splitlines()


def test_a_release_that_may_lack_the_revert_timer_gets_a_reload_as_the_way_back():
    from auditor.engine import audit

    config = "hostname r\nusername a privilege 15 secret 9 $9$x\nline vty 0 4\n login local\n transport input telnet ssh\nend\n"
    script = audit(config.encode()).remediation.splitlines()  # no version line: the release is unknown
    assert not any("revert timer" in line and not line.startswith("!") for line in script)
    assert "reload cancel" in script and script.index("reload cancel") < script.index("copy running-config startup-config")
    assert not any(line.startswith("reload in") for line in script)  # typed by hand: it asks questions


def test_a_script_whose_only_step_closes_telnet_names_no_step_two():
    """telnet-explicit.cfg needs Telnet closed and nothing else: there is no step 1 to follow."""
    from auditor.engine import audit
    from conftest import FIXTURES

    script = audit((FIXTURES / "telnet-explicit.cfg").read_bytes()).remediation
    assert "Step 2" not in script and "! Close Telnet only after you have logged in over SSH" in script
    both = audit((FIXTURES / "abbreviated.cfg").read_bytes()).remediation
    assert "! Step 2: close Telnet only after" in both
