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
