"""The platform layer: detection, forced platforms, NX-OS semantics, and NX-OS through every path."""

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.engine import audit
from auditor.findings import DeviceStatus
from auditor.platforms import detect
from auditor.rule import AuditOptions
from auditor.text import config_lines
from conftest import FIXTURES

runner = CliRunner()
NXOS_HEADER = "!Command: show running-config\n!Time: Mon Nov 30 09:20:01 2026\n\nversion 9.3(5) Bios:version 05.39\n"
ADMIN = "username admin password 5 $5$KLMNOP$Zo3v8sMd0dPq1Qx2B3tU4vW5xY6zA7bC8dE9fG0hI1J  role network-admin\n"


def nxos(body: str, header: str = NXOS_HEADER):
    return audit((header + "hostname nx1\n" + ADMIN + body).encode(), source="nx1.cfg")


def found(report):
    return sorted((f.rule_id, f.section, f.evidence) for f in report.findings)


# ---------------------------------------------------------------- detection


@pytest.mark.parametrize(
    "text, platform",
    [
        ("hostname r1\nline con 0\nline vty 0 4\n transport input ssh\n", "ios"),
        ("version 15.2\nhostname r1\nfeature ssh\nline vty 0 4\n", "ios"),  # a stray `feature` line: still IOS
        ("hostname s1\nline console\nline vty\n  access-class X in\nline vty 0 4\n", "ios"),  # numbered wins over structure
        ("feature telnet\nhostname n1\nline vty\n", "nxos"),
        ("!Command: show running-config\nhostname n1\n", "nxos"),
        ("!RANCID-CONTENT-TYPE: cisco-nx\nhostname n1\nline console\n", "nxos"),
        ("version 7.0(3)I7(6) Bios:version 07.64\nhostname n1\n", "nxos"),
        ("hostname x\ninterface Gi0/1\n", "ios"),  # nothing else says otherwise: IOS reads it (and says why not)
    ],
)
def test_detection(text, platform):
    detection = detect(config_lines(text))
    assert detection.platform == platform and detection.evidence


def test_ambiguous_evidence_is_reported_with_each_candidate_never_guessed():
    report = audit((FIXTURES.parent / "tests" / "data" / "ambiguous.cfg").read_bytes())
    assert report.status is DeviceStatus.UNRECOGNIZED
    assert "ambiguous platform" in report.error and "IOS / IOS-XE: line 6" in report.error and "NX-OS: line 1" in report.error
    assert len(report.platform_evidence) >= 2


def test_forced_platform_is_read_as_that_platform_or_refused_with_the_reason():
    text = (FIXTURES / "nxos-telnet-open.cfg").read_bytes()
    as_ios = audit(text, options=AuditOptions(platform="ios"))
    assert as_ios.status is DeviceStatus.UNRECOGNIZED and "--platform nxos" in as_ios.error
    ios_text = (FIXTURES / "telnet-explicit.cfg").read_bytes()
    as_nxos = audit(ios_text, options=AuditOptions(platform="nxos"))
    assert as_nxos.status is DeviceStatus.UNRECOGNIZED and "NX-OS line sections have no numbers" in as_nxos.error
    forced = audit(b"feature telnet\nhostname n1\n", options=AuditOptions(platform="nxos"))
    assert forced.platform == "nxos" and forced.platform_evidence[0] == "platform set to nxos"


def test_platform_from_the_config_file_with_per_glob_overrides_and_the_command_line_wins(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "dc").mkdir()
    config = (FIXTURES / "nxos-telnet-open.cfg").read_text()
    (tmp_path / "dc" / "leaf.cfg").write_text(config)
    (tmp_path / "edge.cfg").write_text(config)
    (tmp_path / ".vty-auditor.toml").write_text('[platform]\ndefault = "auto"\n"dc/*.cfg" = "ios"\n')
    result = subprocess.run([sys.executable, "-m", "auditor", "scan", "dc/leaf.cfg", "edge.cfg", "-f", "json"], cwd=tmp_path, capture_output=True, text=True)
    devices = {d["source"]: d for d in json.loads(result.stdout)["devices"]}
    assert devices["dc/leaf.cfg"]["status"] == "unrecognized" and devices["edge.cfg"]["platform"] == "nxos"
    assert json.loads(result.stdout)["run"]["config_settings"]["platform"] == "default=auto, dc/*.cfg=ios"
    result = subprocess.run([sys.executable, "-m", "auditor", "scan", "dc/leaf.cfg", "--platform", "nxos", "-f", "json"], cwd=tmp_path, capture_output=True, text=True)
    assert json.loads(result.stdout)["devices"][0]["platform"] == "nxos"
    (tmp_path / ".vty-auditor.toml").write_text('platform = "junos"\n')
    result = subprocess.run([sys.executable, "-m", "auditor", "scan", "edge.cfg"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 2 and "unknown platform 'junos'" in result.stderr


# ---------------------------------------------------------------- NX-OS semantics


def test_telnet_is_off_by_default_and_the_last_feature_line_wins():
    assert not [f for f in nxos("line vty\n  access-class M in\nip access-list M\n  10 permit ip 10.0.0.0/8 any\n").findings]
    report = nxos("feature telnet\nno feature telnet\nfeature telnet\nline vty\n")
    assert ("VTY001", "line vty", "feature telnet") in found(report)
    assert next(f for f in report.findings if f.rule_id == "VTY001").line == 9  # the last `feature telnet`


def test_no_feature_ssh_leaves_no_remote_cli_and_telnet_alone_gets_ssh_enabled_first():
    # no remote CLI: nothing reaches the unfenced line, and the report says why (info)
    assert found(nxos("no feature ssh\nline vty\n")) == [("VTY017", "line vty", "no feature ssh")]
    report = nxos("no feature ssh\nfeature telnet\nline vty\n  access-class M in\nip access-list M\n  10 permit ip 10.0.0.0/8 any\n")
    telnet = next(f for f in report.findings if f.rule_id == "VTY001")
    assert "SSH server is off" in telnet.remediation.note
    script = report.remediation.splitlines()
    assert script.index("feature ssh") < script.index("no feature telnet")
    assert script.index("checkpoint vty-auditor-before") < script.index("configure terminal")
    assert script[-1] == "copy running-config startup-config"


def test_line_vty_blocks_add_to_each_other_and_no_forms_remove():
    acl = "ip access-list M\n  10 permit ip 10.0.0.0/8 any\n"
    assert found(nxos(acl + "line vty\n  access-class M in\nline vty\n  exec-timeout 5\n")) == []
    report = nxos(acl + "line vty\n  access-class M in\nline vty\n  no access-class M in\n")
    assert [f.rule_id for f in report.findings] == ["VTY003"]
    # `access-class ... out` filters sessions started from the switch: no fence
    assert [f.rule_id for f in nxos(acl + "line vty\n  access-class M out\n").findings] == ["VTY003"]


def test_acls_in_prefix_notation_are_judged_as_address_sets():
    everyone = nxos("ip access-list A\n  10 permit tcp 0.0.0.0/1 any eq 22\n  20 permit tcp 128.0.0.0/1 any\nline vty\n  access-class A in\n")
    assert [(f.rule_id, f.line) for f in everyone.findings] == [("VTY005", 9)]  # where the cover completes
    udp_only = nxos("ip access-list A\n  10 permit udp any any\nline vty\n  access-class A in\n")
    assert found(udp_only) == []  # no session protocol admitted
    removed = nxos("ip access-list A\n  10 permit ip 10.0.0.0/8 any\nno ip access-list A\nline vty\n  access-class A in\n")
    assert [f.rule_id for f in removed.findings] == ["VTY004"]


def test_users_hashed_locked_and_clear():
    report = nxos(
        "username locked password 5 !  role network-operator\n"
        "username typed password 0 Clear1 role network-operator\n"
        "username bare password Clear2\n"
        "username hashed password 5 $5$abc$def role network-operator\n"
        "line vty\n  access-class M in\nip access-list M\n  10 permit ip 10.0.0.0/8 any\n"
    )
    assert sorted(f.section for f in report.findings) == ["username bare", "username typed"]
    assert all("Clear" not in f.evidence for f in report.findings)
    assert "username typed password <NEW-SECRET-TYPED>" in report.remediation


def test_a_banner_cannot_hide_or_invent_nxos_lines():
    report = nxos("banner motd #\nfeature telnet\nline vty\n  access-class X in\n#\nline vty\n  access-class M in\nip access-list M\n  10 permit ip 10.0.0.0/8 any\n")
    assert found(report) == []


def test_ios_only_rules_do_not_run_on_nxos():
    report = nxos("line vty\n  exec-timeout 120\n")  # VTY007 is IOS and ASA; NX-OS is not judged by it
    assert [f.rule_id for f in report.findings] == ["VTY003"]


# ---------------------------------------------------------------- everything else keeps working


def test_suppression_baseline_and_change_on_an_nxos_file(tmp_path):
    config = tmp_path / "nx.cfg"
    config.write_text(NXOS_HEADER + "hostname nx1\n" + ADMIN + '! vty-auditor: ignore[VTY003] reason="lab switch"\nline vty\n')
    data = json.loads(runner.invoke(app, ["scan", str(config), "-f", "json", "--isolated"]).stdout)
    device = data["devices"][0]
    assert device["findings"] == [] and device["suppressed"][0]["rule_id"] == "VTY003"
    change = tmp_path / "change.txt"
    change.write_text("feature telnet\n")
    result = runner.invoke(app, ["scan", str(config), "--change", str(change), "--fail-on-new", "-f", "json", "--isolated"])
    introduced = json.loads(result.stdout)["devices"][0]["change"]["introduced"]
    assert [(f["rule_id"], f["section"]) for f in introduced] == [("VTY001", "line vty")] and result.exit_code == 1
    baseline = tmp_path / "baseline.json"
    fenced = FIXTURES / "nxos-fenced.cfg"
    assert runner.invoke(app, ["baseline", "create", str(fenced), "-o", str(baseline)]).exit_code == 0
    result = runner.invoke(app, ["scan", str(fenced), "--baseline", str(baseline), "-f", "json", "--isolated"])
    assert result.exit_code == 0 and json.loads(result.stdout)["devices"][0]["baselined"][0]["rule_id"] == "VTY004"


def test_stdin_and_every_format_carry_the_platform():
    text = (FIXTURES / "nxos-telnet-open.cfg").read_text()
    for fmt, marker in (
        ("json", '"platform": "nxos"'),
        ("sarif", '"platform": "nxos"'),
        ("junit", 'name="platform" value="nxos"'),
        ("html", 'data-platform="nxos"'),
        ("text", "(platform nxos)"),
        ("github", "VTY001"),
        ("concise", "VTY001"),
    ):
        result = runner.invoke(app, ["scan", "-", "-f", fmt, "--isolated", "--no-color"], input=text)
        assert result.exit_code == 1 and marker in result.stdout, fmt
    junit = runner.invoke(app, ["scan", "-", "-f", "junit", "--isolated"], input=text).stdout
    assert "VTY007" not in junit  # an IOS-only rule is not a pass on NX-OS: it did not run


def test_rules_and_explain_name_the_platforms():
    listed = runner.invoke(app, ["rules", "--platform", "nxos"]).stdout
    assert "VTY001" in listed and "VTY003" in listed and "VTY007" not in listed and "PWD001" not in listed
    assert "platforms: IOS / IOS-XE, NX-OS" in runner.invoke(app, ["explain", "VTY001"]).stdout
    assert "platforms: IOS / IOS-XE\n" in runner.invoke(app, ["explain", "VTY006"]).stdout
    assert runner.invoke(app, ["rules", "--platform", "junos"]).exit_code == 2


@pytest.mark.parametrize(
    "marker",
    ["ASA Version 9.8(2)", "line default", "vty-pool default 0 4", "!! IOS XR Configuration 7.3.2", "set system host-name fw01", "feature telnet", "!Command: show running-config", "nameif outside"],
)
def test_no_text_inside_a_banner_changes_the_platform(marker):
    """Each platform's markers inserted into the banner of every fixture leave its platform as it was."""
    from auditor.engine import audit
    from conftest import FIXTURE_FILES

    for path in FIXTURE_FILES:
        text = path.read_bytes().decode("latin-1")
        before = audit(text.encode("latin-1"), source=path.name)
        if before.status.value != "audited" or before.platform not in ("ios", "iosxe"):
            continue  # IOS banners are `^C`-delimited; the others are covered by their own markers' tests
        lines = text.splitlines()
        at = next((i for i, line in enumerate(lines) if line.startswith("hostname")), 0) + 1
        steered = "\n".join(lines[:at] + ["banner motd ^C", marker, "^C"] + lines[at:]) + "\n"
        after = audit(steered.encode("latin-1"), source=path.name)
        assert (after.status, after.platform) == (before.status, before.platform), (path.name, marker, after.error)


@pytest.mark.parametrize(
    "text, platform, status",
    [
        ("!RANCID-CONTENT-TYPE: juniper\ninterfaces ge-0/0/0 unit 0 family inet address 192.0.2.1/24\n", None, "unsupported"),
        ("!RANCID-CONTENT-TYPE: fortigate\nconfig system global\n", None, "unsupported"),
        ("deviceconfig {\n  system {\n    hostname pa1;\n  }\n}\n", None, "unsupported"),
        ("config-file-header\nfw01\nv1.4.5.2 / R800_NIK_1_4_202_004\nline ssh\nexit\n", None, "unsupported"),
        ("hostname fw\nfeature tier standard\ninterface Gi0/0\n nameif inside\nssh 10.0.0.0 255.0.0.0 inside\n", "asa", "audited"),
        ("hostname xr\nusername u\n group root-lr\n secret 10 $6$x\nssh server vrf MGMT\n", "iosxr", "audited"),
    ],
)
def test_detection_by_what_only_each_device_executes(text, platform, status):
    from auditor.engine import audit

    report = audit(text.encode())
    assert (report.status.value, report.platform) == (status, platform), report.error


def test_platform_asa_takes_a_config_whose_only_telltale_lines_are_ssh_entries():
    from auditor.engine import audit
    from auditor.rule import AuditOptions

    report = audit(b"ssh 10.0.0.0 255.0.0.0 inside\ntelnet 0.0.0.0 0.0.0.0 inside\n", options=AuditOptions(platform="asa"))
    assert report.status.value == "audited" and "VTY001" in {f.rule_id for f in report.findings}, report.error
