"""IOS-XR: management access read from its servers, VTY pools and line templates, as IOS-XR applies them."""

from __future__ import annotations

import pytest

from auditor.engine import audit, read_model
from auditor.remediation import config_lines
from auditor.rule import AuditOptions
from conftest import DATA

HEAD = "!! IOS XR Configuration 7.9.2\nhostname xr1\nusername ops\n group root-lr\n secret 10 $6$sim$hash\n!\n"
SSH = "ssh server v2\nssh server vrf default\n"
FENCE = "ipv4 access-list MGMT\n 10 permit ipv4 192.0.2.0 0.0.0.255 any\n 20 deny ipv4 any any\n"


def report_of(config: str, **options):
    report = audit((HEAD + config + "end\n").encode(), source="xr1.cfg", options=AuditOptions(**options))
    assert report.status.value == "audited" and report.platform == "iosxr", report.error
    return report


def findings(config: str, **options) -> set[tuple[str, str]]:
    return {(f.rule_id, f.section) for f in report_of(config, **options).findings}


@pytest.mark.parametrize(
    "text",
    [
        "!! IOS XR Configuration 7.3.2\nhostname a\nend\n",
        # no header: line templates and VTY pools exist on no other platform; `line console` is not NX-OS here
        "hostname a\nline console\n exec-timeout 10 0\n!\nline default\n transport input ssh\n!\nvty-pool default 0 4\nend\n",
    ],
    ids=["header", "structure"],
)
def test_detected_by_its_header_or_its_structure(text):
    assert audit(text.encode()).platform == "iosxr"


def test_a_cli_transcript_with_iosxr_prompts_is_read_from_the_config_on():
    from auditor.text import config_lines

    lines = config_lines((DATA / "iosxr-transcript.cfg").read_text())
    # the `RP/0/RP0/CPU0:core1#` prompts, the timestamp IOS-XR prints and the preamble are not config
    assert lines[:3] == ["", "", ""] and lines[3].startswith("!! IOS XR") and lines[-1] == ""
    report = audit((DATA / "iosxr-transcript.cfg").read_bytes(), source="core1.txt")
    assert report.platform == "iosxr" and report.hostname == "core1"
    assert {(f.rule_id, f.line) for f in report.findings} == {("VTY001", 8), ("VTY003", 9)}


def test_numbered_line_sections_are_refused_when_forced_to_iosxr():
    report = audit(b"hostname r1\nline vty 0 4\n transport input ssh\nend\n", options=AuditOptions(platform="iosxr"))
    assert report.status.value == "unrecognized" and "not an IOS-XR configuration" in report.error


def test_telnet_is_served_only_when_a_telnet_server_is_configured():
    assert ("VTY001", "line default") not in findings(SSH + "line default\n transport input telnet ssh\n access-class ingress MGMT\n" + FENCE)
    with_server = SSH + "telnet vrf default ipv4 server max-servers 10\nline default\n access-class ingress MGMT\n" + FENCE
    assert findings(with_server) == {("VTY001", "line default")}  # transport input defaults to all
    # a template that leaves Telnet out, and a server removed again
    assert findings(with_server.replace(" access-class", " transport input ssh\n access-class")) == set()
    assert findings(with_server + "no telnet vrf default ipv4 server max-servers 10\n") == set()


def test_the_fix_removes_the_telnet_server_in_step_two_and_starts_ssh_first_when_it_is_off():
    report = report_of("telnet ipv4 server max-servers 5\nline default\n access-class ingress MGMT\n" + FENCE)
    assert {f.rule_id for f in report.findings} == {"VTY001"}  # no SSH server: nothing accepts SSHv1 (VTY010)
    script = report.remediation.splitlines()
    step_two = script.index("! Step 2: close Telnet only after you have logged in over SSH, from a second session,")
    assert script.index("ssh server vrf default") < step_two < script.index("no telnet ipv4 server")
    assert script.count("commit confirmed minutes 10") == 2 and "configure terminal" not in script
    assert not any(line.startswith(("write memory", "copy running-config", "line vty")) for line in script)
    assert "commit confirmed minutes 3" in report_of("telnet ipv4 server max-servers 5\n", revert_minutes=3).remediation


def test_a_named_template_inherits_what_it_does_not_set_from_line_default():
    config = SSH + FENCE + "line default\n access-class ingress MGMT\n exec-timeout 5 0\n!\nline template NOC\n transport input ssh\n!\nvty-pool default 0 4 line-template NOC\n"
    model = read_model((HEAD + config).encode())
    (section,) = model.vty_sections()
    assert section.name == "line template NOC" and section.settings.access_class_in.name == "MGMT"
    assert section.settings.exec_timeout == (5, 0) and section.settings.transport_input == ("ssh",)
    assert findings(config) == set()


def test_each_template_a_pool_uses_is_an_access_path_and_the_eem_pool_is_not():
    config = SSH + FENCE + "line default\n access-class ingress MGMT\n!\nline template OPS\n access-class ingress NOPE\n!\nline template EEM\n!\n"
    config += "vty-pool ops 5 9 line-template OPS\nvty-pool eem 100 105 line-template EEM\n"
    model = read_model((HEAD + config).encode())
    assert [(s.name, s.first, s.last) for s in model.vty_sections()] == [("line default", 0, 4), ("line template OPS", 5, 9)]
    assert findings(config) == {("VTY004", "line template OPS")}


def test_management_plane_protection_fences_only_when_every_allow_names_peers_and_covers_mgmteth():
    mpp = "control-plane\n management-plane\n  out-of-band\n   interface MgmtEth0/RP0/CPU0/0\n    allow SSH peer\n     address ipv4 192.0.2.0/24\n    !\n   !\n  !\n !\n!\n"
    assert findings(SSH + mpp) == set()
    model = read_model((HEAD + SSH + mpp).encode())
    assert model.vty_sections()[0].settings.access_class_in.name == "management-plane"
    # peers that admit every address are judged like any ACL
    assert findings(SSH + mpp.replace("192.0.2.0/24", "0.0.0.0/0")) == {("VTY005", "line default")}
    # an allow without peers, or peers on an in-band interface only: MPP is not the fence, and the message says why
    no_peers = report_of(SSH + mpp.replace(" peer\n     address ipv4 192.0.2.0/24\n", "\n"))
    assert [f.rule_id for f in no_peers.findings] == ["VTY003"] and "from every peer" in no_peers.findings[0].message
    inband = report_of(SSH + mpp.replace("out-of-band", "inband").replace("MgmtEth0/RP0/CPU0/0", "GigabitEthernet0/0/0/0"))
    assert [f.rule_id for f in inband.findings] == ["VTY003"] and "management Ethernet" in inband.findings[0].message


def test_no_server_at_all_means_no_remote_cli():
    assert findings("line default\n transport input ssh\n") == {("VTY017", "line default")}


def test_ssh_server_v2_pins_the_version():
    assert ("VTY010", "global") in findings("ssh server vrf default\nline default\n access-class ingress MGMT\n" + FENCE)
    assert findings(SSH + "line default\n access-class ingress MGMT\n" + FENCE) == set()


def test_user_passwords_are_found_hashes_are_not_and_the_fix_keeps_the_groups():
    config = SSH + FENCE + "line default\n access-class ingress MGMT\n!\nusername tech\n group operator\n password 7 0822455D0A16\n!\n"
    report = report_of(config)
    assert {(f.rule_id, f.section) for f in report.findings} == {("PWD004", "username tech")}
    assert "0822455D0A16" not in report.model_dump_json()
    lines = config_lines(report.remediation)
    assert lines == ["username tech", " secret 0 <NEW-SECRET-TECH>", " no password"]
    # as the router prints it after the fix: hashed, and the password gone
    assert findings(config + "username tech\n no password\n secret 10 $6$kFVLf1$Ab0cD\n") == set()
    # the same typed in clear in an intended config is PWD008 (the file keeps the secret)
    assert findings(config + "username tech\n no password\n secret 0 n3wSecret\n") == {("PWD008", "username tech")}
    assert read_model((HEAD + config).encode()).users["ops"].privilege == 15  # group root-lr


def test_an_iosxr_config_is_never_given_ios_commands():
    report = report_of("telnet ipv4 server max-servers 5\nline default\n exec-timeout 0 0\n", mgmt_nets=("192.0.2.0/24",))
    text = report.remediation
    assert "line vty" not in text and "ip access-list" not in text and "ip ssh" not in text
    assert "ipv4 access-list VTY-ACCESS\n 10 permit ipv4 192.0.2.0/24 any" in text and " access-class ingress VTY-ACCESS" in text


def test_an_md5_secret_is_weak_and_replaced_under_the_user():
    config = SSH + FENCE + "line default\n access-class ingress MGMT\n!\nusername old\n group operator\n secret 5 $1$abcd$simulatedMD5hash\n!\n"
    report = report_of(config)
    assert [(f.rule_id, f.section) for f in report.findings] == [("PWD005", "username old")]
    assert config_lines(report.remediation) == ["username old", " secret 0 <NEW-SECRET-OLD>"]
    assert findings(config.replace("secret 5 $1$abcd$simulatedMD5hash", "secret 10 $6$sim$sha512")) == set()


def _xr_configs():
    from conftest import FIXTURE_FILES, ROOT

    more = ROOT.parent / "shared" / "corpus" / "more"
    files = [p for p in FIXTURE_FILES if p.name.startswith("iosxr")]
    return files + (sorted(more.glob("iosxr_*.cfg")) if more.is_dir() else [])


@pytest.mark.parametrize("path", _xr_configs(), ids=lambda p: p.name)
def test_ssh_serves_every_vrf_whose_telnet_server_the_script_removes(path):
    """Every VRF that took Telnet before the script takes SSH after it (an out-of-band port in a
    management VRF keeps a CLI), read back from the config the script leaves."""
    data = path.read_bytes()
    before = audit(data, options=AuditOptions(mgmt_nets=("192.0.2.0/24",)))
    if before.platform != "iosxr" or not before.remediation:
        pytest.skip("no IOS-XR script")
    lines = config_lines(before.remediation)
    text = data.decode("latin-1").rstrip().removesuffix("end") + "\n" + "\n".join(lines) + "\nend\n"
    old, new = read_model(data), read_model(text.encode("latin-1"))
    telnet_before = {t.split()[2] if t.split()[1:2] == ["vrf"] else "default" for t in old.platform_notes.get("telnet", "").splitlines() if t}
    ssh_after = set(new.platform_notes.get("ssh_vrfs", "").split())
    assert telnet_before <= ssh_after, (telnet_before, ssh_after, lines)
    assert not new.platform_notes.get("telnet"), new.platform_notes.get("telnet")  # and Telnet is gone


def test_server_acls_fence_a_template_only_when_every_server_feeding_it_names_the_same_one():
    """`ssh server [vrf X] ipv4 access-list A` filters that server: one ACL on every server a template
    admits sessions from fences it as an access-class does; a server without one leaves it open."""
    head = "hostname r\nipv4 access-list M\n 10 permit ipv4 192.0.2.0/24 any\n"
    both = head + "ssh server v2\nssh server vrf default ipv4 access-list M\nssh server vrf MGMT ipv4 access-list M\n"
    assert findings(both) == set()
    assert ("VTY003", "line default") in findings(head + "ssh server v2\nssh server vrf default ipv4 access-list M\nssh server vrf MGMT\n")
    # Telnet accepted too: its server needs the ACL as well (and VTY001 reports Telnet itself)
    telnet = both + "telnet vrf default ipv4 server max-servers 5\n"
    assert {r for r, _ in findings(telnet)} == {"VTY001", "VTY003"}
    assert "VTY003" not in {r for r, _ in findings(both + "telnet vrf default ipv4 server max-servers 5 access-list M\n")}
    # a server ACL that permits everyone is judged like any access-class
    wide = both.replace("192.0.2.0/24", "0.0.0.0/0")
    assert ("VTY005", "line default") in findings(wide)
    # `no ssh server vrf MGMT ipv4 access-list M` removes that fence
    assert ("VTY003", "line default") in findings(both + "no ssh server vrf MGMT ipv4 access-list M\n")


POOL_LAB = "vty-pool lab 5 9 line-template LAB\nline template LAB\n transport input ssh\n access-class ingress MGMT\n"


def test_a_password_in_line_default_is_one_finding_for_every_path_that_inherits_it():
    # the console and the default pool take line default's password; LAB sets no password and inherits it too
    config = SSH + FENCE + POOL_LAB + "line default\n password 7 094F471A1A0A\n transport input ssh\n access-class ingress MGMT\n"
    report = report_of(config)
    [finding] = [f for f in report.findings if f.rule_id == "PWD002"]
    assert finding.section == "line default" and "line console" in finding.remediation.note and "line template LAB" in finding.remediation.note
    # no list has the `line` method: the password logs nobody in, removing it is safe
    assert finding.remediation.applicability.value == "safe"
    assert [(c.parent, c.lines) for c in finding.remediation.changes] == [("line default", ("no password",))]


def test_a_line_password_a_login_list_checks_is_replaced_by_a_secret_in_the_same_commit():
    config = "aaa authentication login CON local line\n" + SSH + "line console\n login authentication CON\n password Con-Pass1\n"
    [finding] = [f for f in report_of(config).findings if f.rule_id == "PWD001"]
    assert finding.section == "line console" and finding.remediation.applicability.value == "needs-input"
    assert finding.remediation.changes[0].lines == ("secret 0 <NEW-LINE-SECRET-CONSOLE>", "no password")
    assert "Con-Pass1" not in finding.evidence


def test_line_secrets_md5_and_clear_are_found_where_they_are_written():
    config = SSH + FENCE + POOL_LAB + "line console\n secret 5 $1$fT2a$Hq8m2nV0b9cXk3LpWz7Rt.\n!\nline template LAB\n secret 0 Lab-Pass1\n"
    found = {(f.rule_id, f.section, f.remediation.changes[0].lines) for f in report_of(config).findings if f.rule_id in ("PWD005", "PWD008")}
    assert found == {
        ("PWD005", "line console", ("secret 0 <NEW-LINE-SECRET-CONSOLE>",)),
        ("PWD008", "line template LAB", ("secret 0 <NEW-LINE-SECRET-TEMPLATE-LAB>",)),
    }
    hashed = SSH + "line console\n secret 10 $6$abc$def\n"
    assert not {f.rule_id for f in report_of(hashed).findings} & {"PWD005", "PWD008"}


def test_the_console_authenticates_locally_by_default_and_inherits_line_default():
    device = read_model(HEAD + SSH + "line default\n exec-timeout 0 0\n login authentication default\nend\n")
    [console] = [s for s in device.sections if s.kind.value == "con"]
    # no `aaa authentication login default`: the console, like the VTYs, checks the local users
    assert console.name == "line console" and console.implicit and console.settings.login.value == "local"
    assert console.settings.exec_timeout == (0, 0) and console.settings.access_class_in is None
    # the inherited timeout is one finding, fixed in line default where it is written
    report = report_of(SSH + "line default\n exec-timeout 0 0\n")
    assert [(f.section, f.remediation.changes[0].parent) for f in report.findings if f.rule_id == "VTY007"] == [("line default", "line default")]
    # the console's own timeout is its own finding; no console rule of IOS (LIN002) applies to IOS-XR
    own = report_of(SSH + "line console\n exec-timeout 0 0\n")
    assert {(f.rule_id, f.section) for f in own.findings} == {("VTY007", "line console"), ("VTY003", "line default")}
