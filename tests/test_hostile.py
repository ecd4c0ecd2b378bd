"""Hostile input: configs written to slip past the audit, hide secrets or exhaust it."""

import pytest

from auditor.engine import audit
from auditor.inventory import load
from auditor.keywords import canonical_lines
from auditor.text import config_lines


def rules_at(report):
    return sorted((f.rule_id, f.line) for f in report.findings)


# ------------------------------------------------------------ transcript and banners

HIDDEN = "line vty 5 15\n transport input telnet\n no login\n privilege level 15\n"


@pytest.mark.parametrize(
    "banner",
    [
        "banner motd ^C\nCORE1#show running-config\n^C\n",
        "banner motd \x03\nCORE1#show running-config\n\x03\n",
        "banner login #\nCORE1#show run\n#\n",
        "banner exec %CORE1#sh run%\n",
        "banner incoming $\nCORE1#show startup-config\n$\n",
    ],
    ids=["caret-c", "etx", "hash", "one-line", "dollar"],
)
def test_a_prompt_in_a_banner_body_hides_nothing(banner):
    config = "hostname CORE1\n" + HIDDEN + banner + "line vty 0 4\n transport input ssh\nend\n"
    report = audit(config)
    found = {f.rule_id for f in report.findings if f.section == "line vty 5 15"}
    assert {"VTY001", "VTY006", "VTY008"} <= found


def test_a_prompt_after_the_first_config_line_is_text():
    lines = config_lines("version 15.2\nline vty 0 4\n no login\nR1#show running-config\nhostname R1\nend\n")
    assert lines[:3] == ["version 15.2", "line vty 0 4", " no login"]


def test_a_real_transcript_still_starts_at_the_last_prompt():
    text = "R2#terminal length 0\nR2#show version\nCisco IOS Software, Version 15.6\ncisco IOSv (revision 1.0)\nR2#show run\nBuilding configuration...\n\nversion 15.6\nline vty 0 4\nend\nR2#\n"
    lines = config_lines(text)
    assert lines[:6] == [""] * 6 and lines[7] == "version 15.6" and lines[-1] == ""


def test_an_abbreviated_command_before_a_fake_prompt_counts_as_config():
    lines = config_lines("lin vty 5 15\n transport input telnet\nR1#show run\nhostname R1\nline vty 0 4\nend\n")
    assert lines[0] == "lin vty 5 15"


# ------------------------------------------------------------ abbreviations


def test_unique_prefixes_are_expanded_as_the_device_would():
    lines, ambiguous = canonical_lines(
        [
            "ena sec 9 $9$x",
            "usern ops priv 15 pass 7 0822455D0A16",
            "lin vty 0 4",
            " transport inp telnet",
            " no logi",
            " access-cl MGMT in vrf-al",
            " exec-t 0 0",
            " privi lev 15",
            "lin con 0",
            "ip access-l st MGMT",
            " 10 per any",
            "aaa new",
            "aaa authe log default gr tacacs+ local",
            "service password-e",
            "ip ss ver 2",
        ]
    )
    assert lines == [
        "enable secret 9 $9$x",
        "username ops privilege 15 password 7 0822455D0A16",
        "line vty 0 4",
        " transport input telnet",
        " no login",
        " access-class MGMT in vrf-also",
        " exec-timeout 0 0",
        " privilege level 15",
        "line con 0",
        "ip access-list standard MGMT",
        " 10 permit any",
        "aaa new-model",
        "aaa authentication login default group tacacs+ local",
        "service password-encryption",
        "ip ssh version 2",
    ]
    assert ambiguous == []


def test_values_are_never_expanded():
    lines, _ = canonical_lines(["username te password tel", "line vty 0 4", " password tel"])
    assert lines == ["username te password tel", "line vty 0 4", " password tel"]


def test_flat_abbreviated_line_commands_apply_to_the_line():
    report = audit("hostname r\nline vty 0 4\ntransport inp telnet\nno logi\nend\n")
    assert {"VTY001", "VTY006"} <= {f.rule_id for f in report.findings}


def test_an_ambiguous_prefix_is_a_finding_not_a_silent_skip():
    report = audit("hostname r\nline vty 0 4\n transport input ssh\n log local\nl vty 5 15\n transport input telnet\nend\n")
    ambiguous = [(f.line, f.message) for f in report.findings if f.rule_id == "VTY016"]
    assert [line for line, _ in ambiguous] == [4, 5]
    assert "login" in ambiguous[0][1] and "line" in ambiguous[1][1]


def test_banner_bodies_are_not_expanded_or_flagged():
    lines, ambiguous = canonical_lines(["banner motd ^C", "lin vty 0 4", " log x", "^C", "ban exec #", "l vty", "#"])
    assert lines[1:3] == ["lin vty 0 4", " log x"] and lines[5] == "l vty" and ambiguous == []


# ------------------------------------------------------------ secrets


@pytest.mark.parametrize(
    "line, visible, hidden",
    [
        (" password two words here", " password ", ["two", "words", "here"]),
        ("username ops privilege 15 secret 9 $9$abc def", "secret 9 ", ["$9$abc", "def"]),
        ("usern ops priv 15 pass 7 0822455D0A16", "pass 7 ", ["0822455D0A16"]),
        ("enable password level 15 0 foo bar", "level 15 0 ", ["foo", "bar"]),
        ("tacacs-server key 0 my TacKey", "key 0 ", ["my", "TacKey"]),
        ("radius-server key RadKey", "radius-server key ", ["RadKey"]),
        (" key 7 0822455D0A16", " key 7 ", ["0822455D0A16"]),
        ("crypto isakmp key IsaKey address 192.0.2.1", "isakmp key ", ["IsaKey"]),
        ("snmp-server user U G v3 auth sha AuthPass priv aes 128 PrivPass", "v3 auth ", ["AuthPass", "PrivPass"]),
        ("ntp authentication-key 1 md5 NtpKey 7", "md5 ", ["NtpKey"]),
        ("snmp-server host 192.0.2.9 version 2c HostComm", "192.0.2.9 ", ["HostComm"]),
        ("snmp-server community PubComm RO 10", "community ", ["PubComm"]),
        (" ip ospf message-digest-key 1 md5 OspfKey", "md5 ", ["OspfKey"]),
    ],
)
def test_every_credential_is_masked_to_the_end_of_the_line(line, visible, hidden):
    from auditor.masking import mask_secrets

    masked = mask_secrets(line)
    assert visible in masked and masked.endswith("****")
    assert not any(value in masked for value in hidden)


def test_non_secrets_are_left_alone():
    from auditor.masking import mask_secrets

    for line in ("key chain OSPF", "crypto key generate rsa modulus 2048", "password encryption aes", "service password-encryption", "line vty 0 4", "username <ADMIN-USER> secret <NEW-SECRET>"):
        assert mask_secrets(line) == line


def test_a_finding_cannot_carry_a_secret_whoever_builds_it():
    from auditor.findings import Applicability, Finding, Remediation, Severity

    f = Finding(rule_id="X", rule_name="x", severity=Severity.LOW, message="m", section="s", line=1, evidence=" password clear text", remediation=Remediation(applicability=Applicability.SAFE))
    assert f.evidence == " password ****"


def test_an_inventory_password_of_the_wrong_type_never_prints_its_value(tmp_path):
    from typer.testing import CliRunner

    from auditor.cli import app

    for body in ("  connection_options: {netmiko: {password: [Sekr1tValue, 4455667]}}\n", "  password: [Sekr1tValue, 4455667]\n"):
        (tmp_path / "hosts.yaml").write_text("r1:\n  hostname: 127.0.0.1\n" + body)
        result = CliRunner().invoke(app, ["scan", "--inventory", str(tmp_path / "hosts.yaml")])
        assert result.exit_code == 2, result.output
        assert "hosts.yaml:3" in result.output and "password" in result.output
        assert "Sekr1tValue" not in result.output and "4455667" not in result.output
    # A number is a password, as Nornir reads it (YAML 1.2); it is held secret like any other.
    (tmp_path / "hosts.yaml").write_text("r1:\n  hostname: 127.0.0.1\n  connection_options: {netmiko: {password: 918273}}\n")
    (host,) = load(tmp_path / "hosts.yaml")
    assert host.password.get_secret_value() == "918273" and "918273" not in repr(host)


# ------------------------------------------------------------ configuration files


def _git_repo(root):
    import subprocess

    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def test_a_config_file_is_named_in_every_report_with_what_it_changes(tmp_path, monkeypatch):
    import json

    from typer.testing import CliRunner

    from auditor.cli import app
    from conftest import FIXTURES

    repo = _git_repo(tmp_path / "repo")
    (repo / ".vty-auditor.toml").write_text('fail-on = "critical"\n[severity]\nVTY001 = "info"\n')
    monkeypatch.chdir(repo)
    config = str(FIXTURES / "abbreviated.cfg")
    runner = CliRunner()
    text = runner.invoke(app, ["scan", config]).output
    assert "configuration: " + str(repo / ".vty-auditor.toml") in text and "VTY001=info" in text
    doc = json.loads(runner.invoke(app, ["scan", config, "-f", "json"]).output)
    assert doc["run"]["config"].endswith(".vty-auditor.toml") and doc["run"]["config_settings"]["fail-on"] == "critical"
    sarif = json.loads(runner.invoke(app, ["scan", config, "-f", "sarif"]).output)
    assert sarif["runs"][0]["invocations"][0]["properties"]["config_settings"]["severity"] == "VTY001=info"
    github = runner.invoke(app, ["scan", config, "-f", "github"]).output
    assert github.startswith("::notice title=vty-auditor configuration::") and "VTY001=info" in github.splitlines()[0]
    html = runner.invoke(app, ["scan", config, "-f", "html"]).output
    assert ".vty-auditor.toml" in html and "VTY001=info" in html
    isolated = runner.invoke(app, ["scan", config, "--isolated", "-f", "json"])
    assert json.loads(isolated.output)["run"]["config"] == "(none: --isolated)"
    assert isolated.exit_code == 1  # the defaults gate again: VTY001 is high
    assert runner.invoke(app, ["scan", config, "--isolated", "--config", "x.toml"]).exit_code == 2


def test_discovery_stops_at_the_repository_root(tmp_path, monkeypatch):
    from auditor.config import find

    (tmp_path / ".vty-auditor.toml").write_text('fail-on = "critical"\n')
    repo = _git_repo(tmp_path / "repo")
    (repo / "configs").mkdir()
    assert find(repo / "configs") is None
    (repo / ".vty-auditor.toml").write_text("")
    assert find(repo / "configs") == repo / ".vty-auditor.toml"


# ------------------------------------------------------------ line numbers and numbers


def test_a_huge_line_range_is_refused_never_expanded_and_its_commands_reach_the_previous_block():
    report = audit("hostname r\nline vty 0 4\n transport input ssh\nline vty 0 99999999\n transport input telnet\nend\n")
    by_rule = {(f.rule_id, f.section) for f in report.findings}
    assert ("VTY016", "config") in by_rule and ("VTY001", "line vty 0 4") in by_rule
    assert not any(f.section.startswith("line vty 0 9") for f in report.findings)


def test_full_vty_range_is_one_interval():
    from auditor.model import LineKind
    from tests_support import model_of

    m = model_of("line vty 0 1869\n transport input ssh\nline vty 7\n transport input telnet\n")
    assert [(s.first, s.last, s.settings.transport_input) for s in m.sections if s.kind is LineKind.VTY] == [(0, 6, ("ssh",)), (7, 7, ("telnet",)), (8, 1869, ("ssh",))]


@pytest.mark.parametrize(
    "config",
    [
        "line con " + "9" * 5000 + "\n",
        "version " + "9" * 5000 + "\nline vty 0 4\n",
        "line vty 0 4\n exec-timeout " + "9" * 5000 + "\n privilege level " + "9" * 5000 + "\n",
        "line vty 0 4\n exec-timeout \u00b2\n access-class \u2460\uff10 in\nline vty \u0663 5\n",
        "access-list " + "9" * 5000 + " permit any\nline vty 0 4\n access-class " + "9" * 5000 + " in\n",
        "username a privilege " + "9" * 5000 + " secret " + "9" * 5000 + " x\nip ssh version " + "9" * 5000 + "\nline vty 0 4\n",
    ],
    ids=["line", "version", "exec-timeout", "unicode-digits", "acl", "username"],
)
def test_numbers_ios_would_not_take_never_raise(config):
    report = audit("hostname r\n" + config + "end\n")
    assert report.status.value == "audited"


# ------------------------------------------------------------ inputs that never end


def _scan(*args):
    from typer.testing import CliRunner

    from auditor.cli import app

    return CliRunner().invoke(app, ["scan", *args])


def test_a_fifo_or_a_device_is_refused_not_read(tmp_path):
    import json
    import os

    fifo = tmp_path / "pipe.cfg"
    os.mkfifo(fifo)  # opening it for reading would block forever
    result = _scan(str(fifo), "/dev/zero", "-f", "json")
    devices = {d["source"]: d for d in json.loads(result.output)["devices"]}
    assert result.exit_code == 3
    assert all(d["status"] == "error" and "not a regular file" in d["error"] for d in devices.values())


def test_an_input_over_the_size_cap_is_refused(tmp_path):
    from auditor.sources import read

    big = tmp_path / "big.cfg"
    big.write_bytes(b"hostname r\n" * 200)
    assert read(str(big), limit=100).error.startswith("larger than")
    assert read(str(big)).data is not None


def test_a_symlink_leaving_the_scanned_tree_is_skipped_and_named(tmp_path):
    import json

    from conftest import FIXTURES

    tree = tmp_path / "configs"
    tree.mkdir()
    (tree / "ok.cfg").write_bytes((FIXTURES / "clean-ssh-only.cfg").read_bytes())
    outside = tmp_path / "secret.cfg"
    outside.write_text("hostname leaked\nline vty 0 4\n")
    (tree / "link.cfg").symlink_to(outside)
    (tree / "inside.cfg").symlink_to(tree / "ok.cfg")
    result = _scan(str(tree), "-f", "json")
    doc = json.loads(result.stdout)
    assert sorted(d["source"].rsplit("/", 1)[-1] for d in doc["devices"]) == ["inside.cfg", "ok.cfg"]
    assert "link.cfg" in doc["run"]["skipped"][0] and "leaked" not in result.output


def test_one_slow_input_becomes_an_error_and_the_rest_are_reported():
    from auditor.batch import audit_path
    from auditor.engine import AuditRequest
    from conftest import FIXTURES

    source = str(FIXTURES / "telnet-explicit.cfg")
    slow = audit_path(source, AuditRequest(), seconds=1e-6)
    assert slow.status.value == "error" and "budget" in slow.error
    assert audit_path(source, AuditRequest()).status.value == "audited"


# ------------------------------------------------------------ reports valid whatever the bytes


def _hostile_tree(tmp_path):
    from conftest import FIXTURES

    body = (FIXTURES / "legacy-router.cfg").read_text(encoding="latin-1")
    body = body.replace("hostname", "hostname \x01\x02\x1b[2J\x1b]0;owned\x07", 1) + "\n! \x0b\x0c\x7f comment\n"
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "ctrl.cfg").write_text(body, encoding="latin-1")
    with open(bytes(tree) + b"/n\xff\xfeame.cfg", "w", encoding="latin-1") as handle:
        handle.write(body)
    return tree


@pytest.mark.parametrize("format", ["junit", "sarif", "json", "html", "text", "github"])
def test_every_format_stays_valid_and_inert_whatever_the_bytes(tmp_path, format):
    import json
    import xml.dom.minidom

    result = _scan(str(_hostile_tree(tmp_path)), "-f", format)
    assert result.exit_code == 1, result.output
    out = result.stdout
    out.encode("utf-8")  # no lone surrogate survives
    assert "\x1b" not in out and "\x07" not in out and "\x01" not in out
    if format == "junit":
        xml.dom.minidom.parseString(out.encode("utf-8"))
    elif format in ("sarif", "json"):
        doc = json.loads(out)
        names = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]] if format == "sarif" else [d["source"] for d in doc["devices"]]
        assert any("\\xff\\xfe" in n or "%5Cxff" in n for n in names)
    if format == "text":
        assert "\\x1b[2J\\x1b]0;owned\\x07" in out  # shown, escaped


def test_reports_list_only_the_rules_that_ran():
    import json
    import xml.etree.ElementTree as ET

    from conftest import FIXTURES

    config = str(FIXTURES / "clean-ssh-only.cfg")
    junit = ET.fromstring(_scan(config, "--select", "VTY001", "-f", "junit").stdout)
    assert [c.get("name").split()[0] for c in junit.iter("testcase")] == ["VTY001"]
    sarif = json.loads(_scan(config, "--select", "VTY001", "-f", "sarif").stdout)
    assert {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]} == {"VTY001", "VTY900", "VTY901"}
    doc = json.loads(_scan(config, "--select", "VTY00", "--ignore", "VTY002", "-f", "json").stdout)
    assert doc["run"]["rules"] == ["VTY001", "VTY003", "VTY004", "VTY005", "VTY006", "VTY007", "VTY008", "VTY009"]


def test_a_markup_like_inventory_name_is_text():
    from rich.console import Console

    from auditor.cli.common import summary_table
    from auditor.findings import DeviceReport, DeviceStatus

    console = Console(record=True, width=100)
    summary_table(console, [DeviceReport(source="edge[/bold]\x1b[2J", status=DeviceStatus.AUTH_FAILED, error="x")], 1.0)
    shown = console.export_text()
    assert "edge[/bold]\\x1b[2J" in shown


def test_yaml_aliases_are_refused_in_inventories(tmp_path):
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]" for p, c in zip("abcdefgh", "bcdefghi")]
    (tmp_path / "hosts.yaml").write_text("r1:\n  hostname: 127.0.0.1\n  data:\n" + "".join(f"    {line}\n" for line in bomb))
    result = _scan("--inventory", str(tmp_path / "hosts.yaml"), "--filter", "data.i=x")
    assert result.exit_code == 2 and "aliases" in result.output and "hosts.yaml:5" in result.output


def test_an_indented_global_command_is_run_in_global_mode_as_the_device_does():
    config = (
        "hostname r\nline vty 0 4\n transport input ssh\n username bob password 0 x\ninterface Loopback0\n"
        " ip address 192.0.2.1 255.255.255.255\n line vty 5 15\n transport input telnet\n no login\n"
        "interface Gi0/1\n service instance 10 ethernet\nrouter rip\n version 2\nend\n"
    )
    report = audit(config)
    found = {(f.rule_id, f.section) for f in report.findings}
    assert {("VTY001", "line vty 5 15"), ("VTY006", "line vty 5 15"), ("PWD004", "username bob")} <= found
    lines, _ = canonical_lines(config.splitlines())
    assert lines[10] == " service instance 10 ethernet" and lines[12] == " version 2"  # sub-mode commands stay


@pytest.mark.parametrize("child", [" ip", " ipv6", " no ip", " default ipv6", " IP"])
def test_an_incomplete_indented_ip_command_is_read_not_crashed_on(child):
    # a lone `ip` under an interface once raised IndexError: the device was "not audited"
    report = audit(f"hostname r\ninterface Gi0/1\n{child}\nline vty 0 4\n transport input telnet\nend\n")
    assert report.status.value == "audited" and "VTY001" in {f.rule_id for f in report.findings}


def test_indented_globals_among_interface_children_are_found_on_every_kind_of_indent():
    # global commands indented under an interface run in global mode; interface commands stay
    lines = [
        "interface Gi0/1",
        " description uplink",
        "\tLINE VTY 5 15",
        " transp inp tel",
        "  no ip access-list X",
        " ipv6 traffic-filter V6 in",
        "  \x1cusername bob password 0 x",
        "ſervice password-encryption",
        " service-policy in P",
        "interface Gi0/2",
        "   ip address 192.0.2.1 255.255.255.0",
        " Ip Access-List standard A",
        "  permit any",
    ]
    out, _ = canonical_lines(lines)
    assert out[2] == "line vty 5 15" and out[3] == " transport input telnet"
    assert out[4] == "no ip access-list X" and out[6] == "username bob password 0 x" and out[11] == "ip access-list standard A"
    assert out[1] == " description uplink" and out[10] == "   ip address 192.0.2.1 255.255.255.0"
    # a global command typed in interface mode leaves it: what follows is typed in global mode
    assert out[8] == "service-policy in P"


# ------------------------------------------------------------ inputs built to be slow: correct results
# (their cost is measured in bench/hostile.py, not timed here)


def test_a_huge_suppression_comment_and_thousands_of_them_keep_their_meaning():
    long = "hostname r\n! vty-auditor: ignore[VTY001]" + " " * 60000 + "x\nline vty 0 4\n transport input telnet\nend\n"
    assert "VTY901" in {f.rule_id for f in audit(long).findings}  # malformed: reported, suppresses nothing
    many = "hostname r\n" + '! vty-auditor: ignore[VTY001] reason="lab"\n' * 10000 + "line vty 0 4\n transport input telnet\nend\n"
    report = audit(many)
    assert [f.rule_id for f in report.suppressed] == ["VTY001"]
    # the others suppress nothing: listed up to the cap, as every rule's findings are, the rest counted
    unused = [f for f in report.findings if f.rule_id == "VTY900"]
    assert len(unused) == 100 + 1 and unused[0].message.startswith("9899 more VTY900")
    invalid = audit("hostname r\n" + "! vty-auditor: ignore[VTY001]\n" * 500 + "line vty 0 4\n transport input ssh\nend\n")
    assert [f.message[:15] for f in invalid.findings if f.rule_id == "VTY901" and f.section == "(more)"] == ["400 more VTY901"]


def test_thirty_thousand_users_render_one_script():
    """Findings are capped per rule per device: the first 100 are listed (and fixed), one more
    finding counts the rest, so the report stays the size a reader can use."""
    from auditor.rule import FINDINGS_PER_RULE

    config = "hostname r\n" + "".join(f"username u{i} password 0 p{i}\n" for i in range(30000)) + "line vty 0 4\n login local\nend\n"
    report = audit(config)
    pwd004 = [f for f in report.findings if f.rule_id == "PWD004"]
    assert len(pwd004) == FINDINGS_PER_RULE + 1
    assert pwd004[0].section == "(more)" and pwd004[0].message.startswith(f"{30000 - FINDINGS_PER_RULE} more PWD004")
    assert report.remediation.count("no username u") == FINDINGS_PER_RULE  # each listed user once
    assert report.remediation.splitlines().count("configure terminal") == 2  # step 2 closes Telnet after an SSH login


def test_every_section_rule_stops_building_fixes_at_the_cap(monkeypatch):
    """1,000 distinct line sections, each with faults of many rules: every rule lists at most the
    cap and counts the rest, and skips building the fixes past it (the ACL definitions here)."""
    from auditor.platforms.ios import IOS
    from auditor.rule import FINDINGS_PER_RULE

    calls = []
    define = IOS.define_acl
    monkeypatch.setattr(IOS, "define_acl", lambda self, *a, **k: calls.append(a[2]) or define(self, *a, **k))
    config = "hostname r\naaa new-model\n" + "".join(f"line vty {i}\n access-class UNDEF{i} in\n privilege level 15\n exec-timeout 0 0\n login authentication L{i}\n" for i in range(1000)) + "end\n"
    report = audit(config)
    for rule in ("VTY002", "VTY004", "VTY007", "VTY008", "VTY011"):
        found = [f for f in report.findings if f.rule_id == rule]
        assert len(found) == FINDINGS_PER_RULE + 1, rule
        assert found[0].section == "(more)" and found[0].message.startswith(f"{1000 - FINDINGS_PER_RULE} more {rule}"), rule
    assert len(calls) == FINDINGS_PER_RULE


def test_one_acl_shared_by_many_sections_is_judged_once(monkeypatch):
    import auditor.acl as acl

    calls = []
    judge = acl._judge
    monkeypatch.setattr(acl, "_judge", lambda a, groups: calls.append(a.name) or judge(a, groups))
    config = "hostname r\nip access-list standard BIG\n" + "".join(f" permit 10.0.{i // 256}.{i % 256}\n" for i in range(2000))
    config += " permit any\n" + "".join(f"line vty {i}\n access-class BIG in\n exec-timeout {i % 50} {i}\n" for i in range(1000)) + "end\n"
    report = audit(config)
    assert sum(f.rule_id == "VTY005" for f in report.findings) == 100 + 1  # listed up to the cap, the rest counted
    assert next(f for f in report.findings if f.rule_id == "VTY005" and f.section == "(more)").message.startswith("900 more VTY005")
    assert calls == ["BIG"]


def test_pathological_indentation_parses():
    growing = "hostname r\nline vty 0 4\n" + "".join(" " * (i + 1) + "exec-timeout 0 0\n" for i in range(1000)) + "end\n"
    alternating = "hostname r\nline vty 0 4\n" + "".join((" " if i % 2 else "  ") + "exec-timeout 0 0\n" for i in range(20000)) + "end\n"
    for config in (growing, alternating):
        report = audit(config)
        assert report.status.value == "audited" and "VTY007" in {f.rule_id for f in report.findings}


def test_recognition_and_transcripts_at_scale():
    assert audit("Cisco IOS " * 100000 + "\n").status.value == "not-a-config"  # no command at all
    report = audit("R1#show run\n" * 100000 + "hostname r\nline vty 0 4\n transport input telnet\nend\n")
    assert report.status.value == "audited" and "VTY001" in {f.rule_id for f in report.findings}


def test_baseline_create_replaces_a_symlink_instead_of_writing_through_it(tmp_path):
    from typer.testing import CliRunner

    from auditor.cli import app
    from conftest import FIXTURES

    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    link = tmp_path / "baseline.json"
    link.symlink_to(victim)
    result = CliRunner().invoke(app, ["baseline", "create", str(FIXTURES / "telnet-explicit.cfg"), "-o", str(link)])
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "keep me" and not link.is_symlink()


def test_a_hash_is_masked_whatever_keyword_precedes_it():
    from auditor.masking import mask_secrets

    for line in ("username admin password encrypted $15$abcdefg", "enable password encrypted $15$abcdefg"):
        assert "$15$" not in mask_secrets(line)


def test_bidi_overrides_and_controls_are_shown_as_escapes():
    from auditor.reports import printable

    assert printable("evil\u202etxt.cfg") == "evil\\u202etxt.cfg"
    assert printable("a\x00b\rc\x08d") == "a\\x00b\\x0dc\\x08d"


def test_comma_separated_lists_and_a_save_dir_made_for_you(tmp_path):
    import json

    from conftest import FIXTURES

    result = _scan(str(FIXTURES / "telnet-explicit.cfg"), "--select", "VTY001,VTY003", "--select", "PWD006", "-f", "json")
    assert json.loads(result.stdout)["run"]["rules"] == ["VTY001", "VTY003", "PWD006"]
    from auditor.cli.common import prepare_save_dir
    from auditor.inventory import Host

    target = tmp_path / "a" / "b"
    prepare_save_dir(target, [Host(name="r1", hostname="127.0.0.1")])
    assert target.is_dir()
    import typer

    with pytest.raises(typer.Exit):
        prepare_save_dir(target, [Host(name="core/a", hostname="127.0.0.1"), Host(name="core_a", hostname="127.0.0.2")])


def test_concise_format_is_one_line_per_finding_and_statistics_go_to_stderr():
    from conftest import FIXTURES

    result = _scan(str(FIXTURES / "telnet-explicit.cfg"), "tests/data/show-version.txt", "-f", "concise", "--statistics")
    lines = result.stdout.splitlines()
    report = audit((FIXTURES / "telnet-explicit.cfg").read_bytes())
    assert sum(": VTY" in line or ": PWD" in line or ": LIN" in line for line in lines) == len(report.findings)
    assert any(line.endswith("telnet-explicit.cfg:15: VTY001 high line vty 0 4 accepts Telnet (transport input telnet ssh)") or ":15: VTY001 high" in line for line in lines)
    assert any("show-version.txt: error unrecognized:" in line for line in lines)
    assert lines[-1].startswith("2 input(s): 1 audited, 1 unrecognized;")
    assert "findings per rule" in result.stderr and "devices per status" in result.stderr


def test_an_input_that_needs_too_much_memory_fails_alone():
    from auditor import batch

    if batch._address_space() is None:
        pytest.skip("no /proc/self/status: the address-space budget is Linux-only")
    with pytest.raises(MemoryError):
        with batch._memory(64 * 1024 * 1024):
            bytearray(512 * 1024 * 1024)
    assert len(bytearray(256 * 1024 * 1024)) > 0  # lifted again afterwards


@pytest.mark.parametrize(
    "config, hidden",
    [
        ("!! IOS XR Configuration 7.9.2\nhostname x\ntel vrf default ipv4 server max-servers 10\nssh server v2\nend\n", "tel"),
        ("!! IOS XR Configuration 7.9.2\nhostname x\ntelnet vrf default ipv4 serv max-servers 10\nssh server v2\nend\n", "serv"),
        ("!! IOS XR Configuration 7.9.2\nhostname x\nssh server v2\nline default\n access-cl ingress OPEN\nend\n", "access-cl"),
        ("!Command: show running-config\nhostname n\nfeature tel\nline vty\n access-class A in\n", "tel"),
        ("ASA Version 9.8(4)\nhostname f\nteln 0 0 inside\nssh 192.0.2.0 255.255.255.0 inside\n: end\n", "teln"),
        ("ASA Version 9.8(4)\nhostname f\npass L0gin-Secret\nssh 192.0.2.0 255.255.255.0 inside\n: end\n", "pass"),
    ],
)
def test_an_abbreviation_cannot_hide_a_command_on_platforms_read_as_written(config, hidden):
    """NX-OS, ASA and IOS-XR configs are read as the devices print them, keywords in full; a device may
    take an abbreviation anyway, so one the audit would not read is a finding of its own, never skipped."""
    report = audit(config.encode())
    assert report.status.value == "audited"
    refused = [f for f in report.findings if f.rule_id == "VTY016"]
    assert refused and f"`{hidden}` abbreviates" in refused[0].message
    assert "L0gin-Secret" not in report.model_dump_json()
