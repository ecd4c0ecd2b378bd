"""Remediation a CCIE would paste: release-aware, service-preserving, never a lockout."""

import pytest

from auditor.engine import audit
from auditor.rule import AuditOptions


def script(config: str, **options) -> list[str]:
    return audit(config, options=AuditOptions(**options)).remediation.splitlines()


USER = "username admin privilege 15 password 7 0822455D0A16\nline vty 0 4\n login local\n transport input ssh\nend\n"


@pytest.mark.parametrize(
    "version, scrypt",
    [("12.2", False), ("12.4", False), ("15.0", False), ("15.2", False), ("15.3", False), ("15.5", True), ("16.9", True), ("17.3", True), (None, False)],
)
def test_a_secret_uses_a_form_the_release_accepts(version, scrypt):
    head = f"version {version}\n" if version else ""
    lines = script(head + "hostname r\nenable password 7 0822455D0A16\n" + USER)
    assert "no username admin" in lines and "no enable password" in lines
    user = next(line for line in lines if line.startswith("username admin"))
    enable = next(line for line in lines if line.startswith("enable "))
    if scrypt:
        assert user == "username admin privilege 15 algorithm-type scrypt secret <NEW-SECRET-ADMIN>"
        assert enable == "enable algorithm-type scrypt secret <NEW-ENABLE-SECRET>"
    else:  # the form every release accepts: nothing is removed that cannot come back
        assert user == "username admin privilege 15 secret <NEW-SECRET-ADMIN>"
        assert enable == "enable secret <NEW-ENABLE-SECRET>"
    assert lines.index(enable) < lines.index("no enable password")


def test_iosxe_markers_and_platform_version_decide_the_release():
    xe = "version 15.5\nlicense boot level network-advantage\nhostname r\n" + USER
    assert any("algorithm-type scrypt" in line for line in script(xe))
    isr_g2 = "version 15.2\nlicense boot module c2900 technology-package securityk9\nhostname r\n" + USER
    assert not any("algorithm-type" in line for line in script(isr_g2))
    assert any("algorithm-type scrypt" in line for line in script("version 15.2\nhostname r\n" + USER, platform_version="17.6"))


def test_a_recreated_user_keeps_every_attribute():
    config = (
        "version 17.3\nhostname r\nusername ops privilege 5 view OPS-VIEW password 7 0822455D0A16\n"
        "username ops autocommand show ip interface brief\nusername ops nohangup\nusername ops noescape\n"
        "line vty 0 4\n login local\n transport input ssh\nend\n"
    )
    lines = script(config)
    start = lines.index("no username ops")
    assert lines[start + 1] == "username ops privilege 5 view OPS-VIEW algorithm-type scrypt secret <NEW-SECRET-OPS>"
    assert lines[start + 2:start + 5] == ["username ops autocommand show ip interface brief", "username ops nohangup", "username ops noescape"]


def test_ppp_chap_peers_keep_their_reversible_password():
    config = (
        "version 15.2\nhostname r\nusername BRANCH7 password 7 0822455D0A16\nusername admin privilege 15 secret 9 $9$x\n"
        "interface Dialer1\n encapsulation ppp\n dialer remote-name BRANCH7\n ppp authentication chap\n"
        "interface Serial0/0\n encapsulation ppp\n ppp authentication chap\nusername hq password 0 chapsecret\n"
        "line vty 0 4\n login local\n transport input ssh\nend\n"
    )
    report = audit(config)
    peers = {f.section: f for f in report.findings if f.rule_id == "PWD004"}
    assert set(peers) == {"username BRANCH7", "username hq"}
    assert all("PPP peer" in f.message and not any("no username" in c for ch in f.remediation.changes for c in ch.lines) for f in peers.values())
    assert "no username" not in report.remediation and "service password-encryption" in report.remediation


def test_one_placeholder_per_credential():
    lines = script("version 17.3\nhostname r\nline con 0\nline vty 0 4\n no login\n transport input ssh\n privilege level 15\nend\n")
    text = "\n".join(lines)
    assert "<NEW-SECRET-ADMIN>" in text and "<NEW-ENABLE-SECRET>" in text and "<NEW-SECRET>" not in text
