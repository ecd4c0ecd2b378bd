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
        assert user == "username admin privilege 15 algorithm-type scrypt secret <NEW-SECRET-ADMIN-2>"
        assert enable == "enable algorithm-type scrypt secret <NEW-ENABLE-SECRET>"
    else:  # the form every release accepts: nothing is removed that cannot come back
        assert user == "username admin privilege 15 secret <NEW-SECRET-ADMIN-2>"
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
    start = lines.index("no username ops") + 1
    assert lines[start].startswith("! PAUSE: the device asks")  # IOS-XE 17 asks [confirm] here
    assert lines[start + 1] == "username ops privilege 5 view OPS-VIEW algorithm-type scrypt secret <NEW-SECRET-OPS>"
    assert lines[start + 2 : start + 5] == ["username ops autocommand show ip interface brief", "username ops nohangup", "username ops noescape"]


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


def test_no_two_credentials_share_a_placeholder_and_no_extra_admin_is_made():
    """A user named `admin` whose password is replaced, a console on a line password, users whose
    names differ only in case or in characters a placeholder cannot hold: one placeholder each,
    and no new privilege-15 user where the re-created ones can log in."""
    config = (
        "version 15.2\nhostname r\nusername admin privilege 15 password 7 0822455D0A16\n"
        "username Ops privilege 15 password 0 first\nusername ops privilege 15 password 0 second\n"
        "username j.smith privilege 15 password 0 third\nusername j-smith privilege 15 password 0 fourth\n"
        "line con 0\n password 7 0822455D0A16\n login\nline vty 0 4\n login local\n transport input ssh\nend\n"
    )
    lines = script(config)
    users = [line for line in lines if line.startswith("username ") and " secret " in line]
    placeholders = [line.split()[-1] for line in users]
    assert len(users) == 5 and len(set(placeholders)) == 5, users
    assert "<NEW-SECRET-ADMIN>" not in placeholders and not any("<ADMIN-USER>" in line for line in lines)
    import re

    assert all(re.fullmatch(r"<NEW-SECRET-[A-Z][A-Z0-9-]*>", p) for p in placeholders), placeholders  # what fix recognises


def test_only_the_line_method_of_an_aaa_list_is_replaced():
    config = (
        "version 15.2\nhostname r\naaa new-model\naaa authentication login REMOTE group TACACS-SRV line\n"
        "username admin privilege 15 secret 5 $1$x\nline vty 0 4\n login authentication REMOTE\n password 7 0822455D0A16\n"
        " transport input ssh\nend\n"
    )
    lines = script(config)
    assert "aaa authentication login REMOTE group TACACS-SRV local" in lines
    assert not any(line.startswith("aaa authentication login REMOTE local") for line in lines)


@pytest.mark.parametrize("vrf", ["interface GigabitEthernet0\n vrf forwarding Mgmt-vrf\n ip address 192.0.2.10 255.255.255.0\n", ""])
def test_a_management_vrf_keeps_its_sessions_allowed(vrf):
    config = (
        f"version 16.9\nhostname r\n{vrf}line vty 0 4\n login local\n transport input ssh\nline vty 5 15\n access-class OLD in vrf-also\n"
        " transport input ssh\nip access-list standard OLD\n permit 192.0.2.0 0.0.0.255\nend\n"
    )
    lines = script(config, mgmt_nets=("192.0.2.0/24",))
    # the other block's restrictive ACL (which admits --mgmt-net) is reused, with vrf-also
    assert " access-class OLD in vrf-also" in lines


def test_quiet_mode_names_the_acl_the_lines_use_after_block_for():
    config = (
        "version 15.5\nhostname r\nip access-list standard MGMT-SOURCES\n permit 192.0.2.0 0.0.0.255\n deny any\n"
        "username a privilege 15 secret 9 $9$x\nline vty 0 15\n access-class MGMT-SOURCES in\n login local\n transport input ssh\nend\n"
    )
    lines = script(config)
    assert lines.index("login block-for 120 attempts 5 within 60") < lines.index("login quiet-mode access-class MGMT-SOURCES")
    assert not any("quiet-mode access-class VTY-ACCESS" in line for line in lines)
    stig = audit(config, profile="stig").remediation.splitlines()
    assert "login block-for 900 attempts 3 within 120" in stig


def test_stig_flags_an_absent_exec_timeout():
    config = "version 15.5\nhostname r\nusername a privilege 15 secret 9 $9$x\nline vty 0 4\n login local\n transport input ssh\nend\n"
    assert "VTY007" in {f.rule_id for f in audit(config, profile="stig").findings}
    assert "VTY007" not in {f.rule_id for f in audit(config).findings}


def test_mgmt_net_of_every_address_is_a_usage_error():
    from typer.testing import CliRunner

    from auditor.cli import app
    from conftest import FIXTURES

    for net in ("0.0.0.0/0", "::/0"):
        result = CliRunner().invoke(app, ["scan", str(FIXTURES / "telnet-explicit.cfg"), "--mgmt-net", net])
        assert result.exit_code == 2 and "every address" in result.output


def test_a_cisco_business_switch_is_not_audited_as_ios():
    config = (
        "config-file-header\nsw1\nv2.5.0.83 / RCBS3.0.0.8\n@\nhostname sw1\nline console\nexec-timeout 0\nexit\nline ssh\nexec-timeout 0\nexit\n"
        "line telnet\nexit\nusername admin password encrypted abc privilege 15\n"
    )
    report = audit(config)
    assert report.status.value == "unsupported" and "Cisco Business" in report.error  # named, never audited as IOS


def test_no_ssh_set_up_means_real_key_commands_and_telnet_closed_only_in_step_two():
    config = "version 15.2\nhostname r\nusername a privilege 15 secret 5 $1$x\nline vty 0 4\n login local\n transport input telnet\nend\n"
    lines = script(config, mgmt_nets=("192.0.2.0/24",))
    keys = lines.index("crypto key generate rsa modulus 2048 label SSH-KEY")
    assert lines.index("ip domain name <DOMAIN>") < keys < lines.index("ip ssh rsa keypair-name SSH-KEY") < lines.index("ip ssh version 2")
    step_two = lines.index(next(line for line in lines if line.startswith("! Step 2")))
    first_end = lines.index("end")
    assert first_end < step_two < lines.index(" transport input ssh")  # Telnet closes after an SSH login, not before
    assert lines[step_two + 2 : step_two + 4] == ["configure terminal", "line vty 0 4"] or "line vty 0 4" in lines[step_two:]


def test_ssh_already_set_up_is_not_rekeyed():
    config = "version 15.2\nhostname r\nip domain name example.net\nip ssh time-out 60\nusername a privilege 15 secret 5 $1$x\nline vty 0 4\n login local\n transport input telnet\nend\n"
    lines = script(config)
    assert not any(line.startswith("crypto key generate") for line in lines)
    assert "not part of a running-config" in "\n".join(lines)  # the script says what it cannot know


@pytest.mark.parametrize(
    "acl, admits",
    [
        ("ip access-list standard A\n permit 10.0.0.0 255.255.255.255\n", True),
        ("ip access-list standard A\n permit 0.0.0.0 127.255.255.255\n permit 128.0.0.0 127.255.255.255\n", True),
        ("ip access-list standard A\n deny host 192.0.2.66\n permit any\n", True),
        ("ip access-list extended A\n permit tcp object-group ALL any eq 22\nobject-group network ALL\n host 192.0.2.1\n any\n", True),
        ("ip access-list standard A\n permit 192.0.2.0 0.0.0.255\n deny any log\n", False),
        ("ip access-list standard A\n deny any\n permit any\n", False),
        ("ip access-list extended A\n permit udp any any\n permit tcp 192.0.2.0 0.0.0.255 any eq 22\n", False),
        ("ip access-list standard A\n permit 10.0.0.0 0.0.255.0\n", False),  # non-contiguous: 256 /24s of 10/8, not everything
        ("access-list 5 permit 0.0.0.0 255.255.255.255\nip access-list standard A\n permit 192.0.2.1\n", False),
    ],
)
def test_an_acl_is_judged_as_the_addresses_it_admits(acl, admits):
    config = f"version 15.5\nhostname r\n{acl}username a privilege 15 secret 9 $9$x\nline vty 0 4\n access-class A in\n login local\n transport input ssh\nend\n"
    assert ("VTY005" in {f.rule_id for f in audit(config).findings}) is admits


def test_an_ipv6_access_class_that_admits_everyone_is_flagged():
    config = (
        "version 15.5\nhostname r\nipv6 access-list V6\n permit ipv6 any any\nip access-list standard A\n permit 192.0.2.0 0.0.0.255\n"
        "username a privilege 15 secret 9 $9$x\nline vty 0 4\n access-class A in\n ipv6 access-class V6 in\n login local\n transport input ssh\nend\n"
    )
    messages = [f.message for f in audit(config).findings if f.rule_id == "VTY005"]
    assert len(messages) == 1 and "IPv6 access-class V6" in messages[0]


def _pasted_model(path: str, mgmt: tuple[str, ...]):
    from auditor.release import release_of
    from conftest import FIXTURES
    from pastesim import paste
    from tests_support import model_of

    text = (FIXTURES / path).read_text()
    report = audit(text.encode(), options=AuditOptions(mgmt_nets=mgmt))
    pasted = paste(text, report.remediation, release_of(model_of(text)))
    assert pasted.rejected == []
    return model_of(text), model_of(pasted.config), report


def test_a_reused_fence_must_admit_the_management_networks():
    from auditor.acl import admits_address

    old, new, report = _pasted_model("fence-not-mgmt.cfg", ("10.0.0.0/8",))
    assert new.acls["VTY-ACCESS"] == old.acls["VTY-ACCESS"]  # the jump hosts keep vty 0 4
    fences = {s.name: s.settings.access_class_in.name for s in new.vty_sections()}
    assert fences["line vty 5 15"] != "VTY-ACCESS"
    assert admits_address(new.acls[fences["line vty 5 15"]], new.object_groups, "10.1.2.3")
    assert "does not admit 10.0.0.0/8" in report.findings[0].remediation.note


def test_an_acl_other_features_use_is_never_deleted_nor_narrowed():
    old, new, report = _pasted_model("shared-acl-snmp-ntp.cfg", ("10.0.0.0/8",))
    assert new.acls["VTY-ACCESS"] == old.acls["VTY-ACCESS"] and "no ip access-list" not in report.remediation
    assert {s.settings.access_class_in.name for s in new.vty_sections()} == {"VTY-ACCESS-MGMT"}
    undefined = "version 15.2\nhostname r\nusername a privilege 15 secret 9 $9$x\nsnmp-server community RO-C RO MGMT\nline vty 0 4\n access-class MGMT in\n login local\n transport input ssh\nend\n"
    lines = audit(undefined.encode(), options=AuditOptions(mgmt_nets=("10.0.0.0/8",))).remediation.splitlines()
    assert "ip access-list standard MGMT" not in lines  # SNMP behind the undefined MGMT would be narrowed
    assert "ip access-list standard MGMT-MGMT" in lines and " access-class MGMT-MGMT in" in lines


def test_a_classic_3750x_license_line_is_not_ios_xe():
    from conftest import FIXTURES

    text = (FIXTURES / "classic-3750x-license.cfg").read_bytes()
    script = audit(text).remediation
    assert "Written for IOS 15.0" in script and "algorithm-type" not in script and "bootflash:" not in script
    assert "path flash:vty-auditor-archive" in script and "username netops privilege 15 secret <NEW-SECRET-NETOPS>" in script
    xe = text.replace(b"license boot level ipservices", b"license boot level network-advantage")
    assert "IOS-XE" in audit(xe).remediation  # IOS-XE's own levels still mark it


@pytest.mark.parametrize(
    "image, crypto",
    [
        ("flash:/c2960-lanbase-mz.122-55.SE12/c2960-lanbase-mz.122-55.SE12.bin", False),
        ("flash:c2960-lanbasek9-mz.150-2.SE11.bin", True),
        ("sup-bootflash:c6sup22-jsv-mz.121-11b.EX1", False),
        ("flash:c2950-i6k2l2q4-mz.121-22.EA14.bin", True),
        ("flash:packages.conf", None),
        ("bootflash:cat9k_iosxe.17.06.05.SPA.bin", None),
    ],
)
def test_the_boot_image_says_whether_there_is_ssh(image, crypto):
    from auditor.release import Release

    assert Release("classic", (15, 0), "version line", image).crypto is crypto


def test_an_image_without_crypto_keeps_telnet_and_is_named():
    from conftest import FIXTURES

    report = audit((FIXTURES / "no-crypto-image.cfg").read_bytes(), options=AuditOptions(mgmt_nets=("10.0.0.0/8",)))
    telnet = next(f for f in report.findings if f.rule_id == "VTY001")
    assert telnet.remediation.changes == () and "c2960-lanbase-mz" in telnet.remediation.note
    assert "transport input ssh" not in report.remediation and "crypto key" not in report.remediation
    assert "access-class VTY-ACCESS in" in report.remediation  # fenced instead


@pytest.mark.parametrize("profile, limit", [("stig", 5), ("all", 16)])
def test_a_later_step_never_reopens_lines_an_earlier_one_closed(profile, limit):
    """The session limit closes lines with `transport input none` in step 1; closing Telnet in
    step 2 must leave them closed: after the paste, no more lines accept sessions than allowed."""
    from auditor.release import release_of
    from conftest import FIXTURES
    from pastesim import paste
    from tests_support import model_of

    text = (FIXTURES / "session-limit-telnet.cfg").read_text()
    report = audit(text.encode(), profile=profile)
    pasted = paste(text, report.remediation, release_of(model_of(text)))
    assert pasted.rejected == []
    after = model_of(pasted.config)
    accepting = sum(s.last - s.first + 1 for s in after.vty_sections() if s.accepts_connections)
    assert accepting <= limit, (accepting, report.remediation)
    assert not any("telnet" in (s.settings.transport_input or ()) for s in after.vty_sections())


def test_vrf_also_only_where_management_arrives_through_a_vrf():
    from conftest import FIXTURES

    text = (FIXTURES / "pe-customer-vrfs.cfg").read_bytes()
    global_table = audit(text, options=AuditOptions(mgmt_nets=("10.254.0.0/16",))).remediation
    assert " access-class VTY-ACCESS in" in global_table.splitlines() and "vrf-also" not in global_table
    # a --mgmt-net inside a VRF interface's subnet: management arrives through that VRF
    through_vrf = audit(text, options=AuditOptions(mgmt_nets=("10.20.0.0/24",))).remediation
    assert " access-class VTY-ACCESS in vrf-also" in through_vrf.splitlines()
    named = text.replace(b"CUST-GLOBEX", b"Mgmt-vrf")  # a VRF named for management
    assert "vrf-also" in audit(named, options=AuditOptions(mgmt_nets=("10.254.0.0/16",))).remediation


@pytest.mark.parametrize("credential, rule", [("secret 0 Clear-Typed-1", "PWD008"), ("secret 5 $1$mERr$9cTjUIEqNGurQiFU.ZeCi1", "PWD005")])
def test_a_new_secret_keeps_the_users_view_and_privilege(credential, rule):
    config = f"version 17.3\nhostname r\nusername ops privilege 5 view OPS-VIEW {credential}\nline vty 0 4\n login local\n transport input ssh\nend\n"
    finding = next(f for f in audit(config.encode()).findings if f.rule_id == rule)
    assert finding.remediation.config.startswith("username ops privilege 5 view OPS-VIEW "), finding.remediation.config


def test_evidence_of_a_merged_section_says_which_header_it_quotes():
    config = "version 15.2\nhostname r\nline vty 0 4\n login local\n transport input ssh\nline vty 5 15\n login local\n transport input ssh\nend\n"
    vty003 = next(f for f in audit(config.encode()).findings if f.rule_id == "VTY003")
    assert vty003.section == "line vty 0 15"
    assert vty003.evidence == "line vty 5 15 (the last header of line vty 0 15, whose lines have the same settings)"


def test_an_ipv6_fence_the_other_lines_use_is_reused():
    config = (
        "version 17.3\nhostname r\nusername a privilege 15 secret 9 $9$x\nip ssh version 2\ninterface Gi1\n ipv6 address 2001:db8:1::1/64\n"
        "ipv6 access-list MGMT6\n permit ipv6 2001:db8:100::/48 any\n deny ipv6 any any\n"
        "ip access-list standard MGMT4\n permit 10.0.0.0 0.255.255.255\n"
        "line vty 0 4\n access-class MGMT4 in\n ipv6 access-class MGMT6 in\n login local\n transport input ssh\n"
        "line vty 5 15\n access-class MGMT4 in\n login local\n transport input ssh\nend\n"
    )
    vty009 = next(f for f in audit(config.encode()).findings if f.rule_id == "VTY009")
    assert vty009.remediation.config.splitlines() == ["line vty 5 15", " ipv6 access-class MGMT6 in"], vty009.remediation.config
