"""IOS semantics of the line model: defaults, ranges, later commands, `no` forms."""

from auditor.model import LineKind, LoginMode
from auditor.platforms.ios import build_model
from auditor.parse import parse
from auditor.text import config_lines


def model(text: str):
    lines = config_lines(text)
    return build_model(parse(lines, full=True), lines)  # the slice has its own equivalence tests


def sections(text: str) -> dict:
    return {s.name: s.settings for s in model(text).sections}


def test_ranges_are_expanded_and_regrouped():
    got = sections("line vty 0 15\n transport input ssh\nline vty 3 4\n transport input telnet\n")
    assert set(got) == {"line con 0", "line vty 0 2", "line vty 3 4", "line vty 5 15"}  # the console exists unwritten
    assert got["line vty 3 4"].transport_input == ("telnet",)
    assert got["line vty 5 15"].transport_input == ("ssh",)


def test_later_transport_input_replaces_earlier():
    got = sections("line vty 0 4\n transport input telnet\n transport input ssh\n")
    assert got["line vty 0 4"].transport_input == ("ssh",)


def test_no_and_default_transport_input():
    got = sections("line vty 0 1\n transport input ssh\n no transport input\nline vty 2 4\n transport input ssh\n default transport input\n")
    assert got["line vty 0 1"].transport_input == ()
    assert got["line vty 2 4"].transport_input is None


def test_transport_input_none_accepts_nothing():
    m = model("line vty 0 4\n transport input none\n")
    assert not m.sections[0].accepts_connections


def test_vty_0_4_exist_without_a_block():
    m = model("hostname r\nline vty 5 15\n transport input ssh\n")
    implicit = [s for s in m.sections if s.implicit]
    assert [s.name for s in implicit] == ["line con 0", "line vty 0 4"]
    assert implicit[1].settings.transport_input is None
    assert implicit[0].settings.login is LoginMode.NONE  # the console's default: no login


def test_login_defaults_and_forms():
    got = sections("line con 0\nline vty 0 4\nline vty 5 6\n login local\nline vty 7\n no login\n")
    assert got["line con 0"].login is LoginMode.NONE
    assert got["line vty 0 4"].login is LoginMode.PASSWORD
    assert got["line vty 5 6"].login is LoginMode.LOCAL
    assert got["line vty 7"].login is LoginMode.NONE


def test_aaa_new_model_uses_method_lists():
    got = sections("aaa new-model\nline vty 0 4\n login authentication VTY\nline vty 5 15\n no login\n")
    assert got["line vty 0 4"].login is LoginMode.AAA and got["line vty 0 4"].login_list == "VTY"
    assert got["line vty 5 15"].login_list == "default"


def test_no_password_and_no_access_class_remove():
    got = sections("line vty 0 4\n password 7 0822455D0A16\n access-class 10 in\n no password\n no access-class 10 in\n")
    assert got["line vty 0 4"].password_type is None
    assert got["line vty 0 4"].access_class_in is None


def test_access_class_out_and_vrf_also():
    s = sections("line vty 0 4\n access-class A out\n access-class B in vrf-also\n")["line vty 0 4"]
    assert s.access_class_out.name == "A"
    assert s.access_class_in.name == "B" and s.access_class_in.vrf_also


def test_banner_text_is_not_a_section():
    m = model("banner motd ^C\nline vty 0 4\n transport input telnet\n^C\nline vty 0 4\n transport input ssh\n")
    assert [s.settings.transport_input for s in m.vty_sections()] == [("ssh",)]


def test_crlf_tabs_and_preamble_keep_line_numbers():
    lines = config_lines("Building configuration...\r\n\r\nCurrent configuration : 10 bytes\r\nline vty 0 4\r\n\ttransport input telnet\r\nend\r\nR1#\r\n")
    assert lines[3] == "line vty 0 4" and lines[4] == " transport input telnet"
    assert lines[0] == lines[2] == lines[6] == ""


def test_transcript_keeps_only_show_run():
    lines = config_lines("R2#terminal length 0\nR2#show version\nline vty 0 4 is in this output\nR2#show run\nhostname R2\nend\nR2#\n")
    assert lines[:4] == ["", "", "", ""] and lines[4] == "hostname R2" and lines[6] == ""


def test_acls_users_and_globals():
    m = model(
        "hostname r\naccess-list 10 permit 192.0.2.0 0.0.0.255\nip access-list extended EXT\n 10 permit tcp any any eq 22\n"
        "ipv6 access-list V6\n permit ipv6 any any\nusername a password 7 0822455D0A16\nusername b secret 9 $9$x\n"
        "username c password 0 x\nno username c\nenable secret 5 $1$x\nservice password-encryption\nip ssh version 2\n"
        "line con 0\n"
    )
    assert m.acls["10"].kind == "standard" and m.acls["EXT"].kind == "extended"
    assert m.acls["EXT"].entries[0].text == "permit tcp any any eq 22"
    assert "V6" in m.ipv6_acls
    assert m.users["a"].password.type == 7 and m.users["b"].secret.type == 9 and "c" not in m.users
    assert m.enable_secret.type == 5 and m.service_password_encryption and m.ip_ssh_version == 2
    assert m.hostname == "r" and m.sections[0].kind is LineKind.CON


def test_flat_subcommands_apply_to_the_line_above():
    got = sections("line vty 0 4\ntransport input telnet\nlogin local\npassword encryption aes\n")
    assert got["line vty 0 4"].transport_input == ("telnet",)
    assert got["line vty 0 4"].login is LoginMode.LOCAL
    assert got["line vty 0 4"].password_type is None


def test_aaa_effective_method_lists():
    m = model("aaa new-model\naaa authentication login VTY group tacacs+ none\nline con 0\nline vty 0 1\n login authentication VTY\nline vty 2 3\n login authentication MISSING\nline vty 4\n")
    by_name = {s.name: s for s in m.sections}
    assert m.login_methods(by_name["line vty 0 1"]) == ("group", "tacacs+", "none")
    assert m.login_methods(by_name["line vty 2 3"]) is None  # undefined list
    assert m.login_methods(by_name["line vty 4"]) == ("local",)  # no default list: local database
    assert m.login_methods(by_name["line con 0"]) == ("none",)  # the console is exempt
    assert model("line vty 0 4\n").login_methods(model("line vty 0 4\n").sections[0]) == ()


def test_login_block_and_ipv6_interfaces():
    m = model("login block-for 60 attempts 3 within 30\ninterface Gi0/0\n ipv6 enable\ninterface Gi0/1\n no ipv6 address\nline vty 0 4\n")
    assert m.login_block_for and m.ipv6_interfaces == ("Gi0/0",)


def test_no_exec_on_aux():
    assert sections("line aux 0\n no exec\n")["line aux 0"].exec_enabled is False


def test_enable_algorithm_type_and_no_privilege_level():
    m = model("enable algorithm-type scrypt secret 9 $9$x\nline vty 0 4\n privilege level 15\n no privilege level\n")
    assert m.enable_secret.type == 9
    assert m.sections[-1].settings.privilege is None
