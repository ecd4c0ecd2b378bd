"""`fix` (dry run): each device's framed change is planned and checked; nothing is sent (real SSH on loopback)."""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES
from test_pull import CLEAN, TELNET, _device, _inventory, _keypair, cli, devices


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("fix")
    key = workdir / "device"
    public = _keypair(key)
    keys = {"device": (key, public)}
    log = workdir / "commands.log"
    open_config = workdir / "open.cfg"  # SSH set up, Telnet open, no fence: fixable without input but --mgmt-net
    open_config.write_text(
        "version 15.2\nservice password-encryption\nhostname open\nip domain name example.net\nip ssh version 2\n"
        "username admin privilege 15 secret 9 $9$ZPbaCmpfMNgIhk$VdZ5yDq0ppmAeD1SnFaRz7BYXpcs0xTQZcIHEDmLSs2\n"
        "login block-for 120 attempts 5 within 60\nline vty 0 4\n login local\n transport input telnet ssh\nline vty 5 15\n"
        " login local\n transport input ssh\nend\n"
    )
    specs = [
        _device("telnet", "ok", keys, config=TELNET, command_log=str(log)),  # its ACL 10 does not admit 127.0.0.1
        _device("clean", "ok", keys, config=CLEAN, command_log=str(log)),
        _device("open", "ok", keys, config=open_config, command_log=str(log)),
        _device("nossh", "ok", keys, config=FIXTURES / "transport-implicit.cfg", command_log=str(log)),  # needs <DOMAIN>
    ]
    with devices(specs, workdir) as ports:
        yield {"inventory": _inventory(workdir / "hosts.yaml", ports), "log": log}


def _plan(fleet, *args):
    run = cli("fix", "--inventory", fleet["inventory"], "--timeout", "5", "-f", "json", *args)
    return run, {d["source"]: d for d in json.loads(run.stdout)["devices"]} if run.stdout.startswith("{") else {}


def test_a_change_that_keeps_this_host_in_is_ready_and_nothing_is_sent(fleet):
    run, plans = _plan(fleet, "--mgmt-net", "127.0.0.0/8", "--limit", "open,clean")
    assert plans["open"]["status"] == "ready" and plans["clean"]["status"] == "clean" and run.returncode == 0, run.stderr
    ready = plans["open"]
    assert ready["findings_after"] == 0 < ready["findings_before"] and ready["local_address"] == "127.0.0.1"
    assert "configure terminal revert timer 10" in ready["script"] and "configure confirm" in ready["script"]
    # the devices saw the pull's read-only commands and nothing else
    sent = set(fleet["log"].read_text().splitlines())
    assert sent <= {"terminal length 0", "terminal width 511", "show running-config", "exit", ""}, sent


def test_a_change_whose_acl_would_shut_this_host_out_is_refused(fleet):
    run, plans = _plan(fleet, "--mgmt-net", "192.0.2.0/24")
    assert plans["open"]["status"] == "refused" and run.returncode == 1
    assert "would lock out this host: 127.0.0.1" in plans["open"]["reasons"][0]
    # telnet-explicit.cfg fences with its own ACL 10, which does not admit 127.0.0.1 either: the
    # change keeps that fence, so this host could not get in after it
    assert plans["telnet"]["status"] == "refused" and "(10)" in plans["telnet"]["reasons"][0]


def test_a_change_that_needs_input_is_skipped_and_names_it(fleet):
    run, plans = _plan(fleet)
    assert plans["open"]["status"] == "skipped" and run.returncode == 1
    assert "<MGMT-NETWORK>" in plans["open"]["reasons"][0]
    run, plans = _plan(fleet, "--mgmt-net", "127.0.0.0/8", "--limit", "nossh")
    # its config shows no SSH set-up, so the plan would generate a key (after asking for <DOMAIN>);
    # but this tool logged in over SSH: a new key would change the host key, so it is refused
    assert plans["nossh"]["status"] == "refused" and "generates an SSH key" in plans["nossh"]["reasons"][0]
    assert "<DOMAIN>" in plans["nossh"]["script"]


def test_too_many_devices_is_a_usage_error(fleet):
    run = cli("fix", "--inventory", fleet["inventory"], "--max-devices", "3", "--mgmt-net", "127.0.0.0/8")
    assert run.returncode == 2 and "--max-devices" in run.stderr


def test_the_text_plan_says_it_is_a_dry_run(fleet):
    run = cli("fix", "--inventory", fleet["inventory"], "--timeout", "5", "--mgmt-net", "127.0.0.0/8", "--limit", "open")
    assert run.stdout.startswith("dry run: nothing was sent to any device") and "open: ready" in run.stdout


LINE_PASSWORD = b"""version 15.2
service password-encryption
hostname r
ip domain name example.net
ip ssh version 2
username ops privilege 15 secret 9 $9$ZPbaCmpfMNgIhk$VdZ5yDq0ppmAeD1SnFaRz7BYXpcs0xTQZcIHEDmLSs2
ip access-list standard VTY-ACCESS
 permit 127.0.0.0 0.255.255.255
 deny any log
line vty 0 15
 access-class VTY-ACCESS in
 password 7 0822455D0A16
 login
 transport input ssh
end
"""


@pytest.mark.parametrize("username, status", [("admin", "refused"), ("ops", "ready"), ("OPS", "refused")])
def test_a_change_to_login_local_is_refused_unless_this_tool_s_user_is_local(username, status):
    # the line password gives way to `login local`; only `ops` is in the local database
    # (IOS user names are case-sensitive)
    from auditor.engine import audit
    from auditor.engine import AuditRequest
    from auditor.fix import plan
    from auditor.rule import AuditOptions

    options = AuditOptions(mgmt_nets=("127.0.0.0/8",))
    report = audit(LINE_PASSWORD, options=options)
    assert " login local" in report.remediation
    planned = plan(report, LINE_PASSWORD, "127.0.0.1", AuditRequest(options=options), username)
    assert planned.status == status, planned.reasons
    if status == "refused":
        assert f"no user {username!r}" in planned.reasons[0] and "line vty 0 15" in planned.reasons[0]


def test_a_plan_as_html_is_one_page_with_every_status_escaped(fleet, tmp_path):
    from html.parser import HTMLParser

    page = tmp_path / "plan.html"
    run = cli("fix", "--inventory", fleet["inventory"], "--timeout", "5", "-f", "html", "-o", str(page))
    assert run.returncode == 1, run.stderr  # without --mgmt-net the open device is skipped
    html = page.read_text()
    cells: list[str] = []

    class Cells(HTMLParser):
        def handle_data(self, data):
            cells.append(data.strip())

    Cells().feed(html)
    assert "Dry run: nothing was sent to any device." in " ".join(cells)
    assert {"skipped", "clean", "refused"} <= set(cells)
    assert "&lt;MGMT-NETWORK&gt;" in html and "<MGMT-NETWORK>" not in html  # script text is escaped
    assert "<script" not in html and "http" not in html.split("</style>")[1]  # nothing runs, nothing is fetched


def test_a_skipped_plan_says_what_supplies_each_placeholder():
    """`--mgmt-net 127.0.0.0/8` on a device with IPv6 used to say "give --mgmt-net" although it
    needed an IPv6 prefix, and no option could supply a new secret."""
    from auditor.engine import audit
    from auditor.engine import AuditRequest
    from auditor.fix import plan
    from auditor.rule import AuditOptions

    config = (
        b"version 17.3\nhostname r\nusername ops privilege 15 password 7 0822455D0A16\ninterface Gi1\n ipv6 address 2001:db8::1/64\n"
        b"ip ssh version 2\nline vty 0 4\n login local\n transport input ssh\nend\n"
    )
    options = AuditOptions(mgmt_nets=("127.0.0.0/8",))
    planned = plan(audit(config, source="r", options=options), config, "127.0.0.1", AuditRequest(options=options))
    assert planned.status == "skipped"
    assert "an IPv6 --mgmt-net" in planned.reasons[0] and "--fill FILE with NEW-SECRET-OPS" in planned.reasons[0], planned.reasons


def test_apply_takes_no_management_networks_from_a_file_found_in_the_checkout(tmp_path, monkeypatch):
    """A merge request's `.vty-auditor.toml` could name its author's network: `--apply` would fence
    the devices to admit it. The operator says the networks, or names a file they trust."""
    from typer.testing import CliRunner

    from auditor.cli import app

    (tmp_path / ".git").mkdir()
    (tmp_path / ".vty-auditor.toml").write_text('mgmt-nets = ["198.51.100.0/24"]\n')
    inventory = tmp_path / "hosts.txt"
    inventory.write_text("127.0.0.1\n")
    monkeypatch.chdir(tmp_path)
    env = {"VTY_AUDITOR_USERNAME": "u", "VTY_AUDITOR_PASSWORD": "p", "VTY_AUDITOR_MGMT_NETS": ""}
    runner = CliRunner()
    refused = runner.invoke(app, ["fix", "-i", str(inventory), "--apply", "--yes"], env=env)
    assert refused.exit_code == 2 and "a configuration file found in the repository cannot (give --mgmt-net" in refused.output
    # the command line, the environment or a named file may: each run goes on to the next check
    for args, extra in (
        (["--mgmt-net", "192.0.2.0/24"], {}),
        ([], {"VTY_AUDITOR_MGMT_NETS": "192.0.2.0/24"}),
        (["--config", str(tmp_path / ".vty-auditor.toml")], {}),
    ):
        run = runner.invoke(app, ["fix", "-i", str(inventory), "--apply", "--yes", "--max-devices", "0", *args], env={**env, **extra})
        assert run.exit_code == 2 and "more than --max-devices 0" in run.output, run.output
    # a dry run changes nothing: it plans with the file's networks and says where they came from
    dry = runner.invoke(app, ["fix", "-i", str(inventory), "--max-devices", "0"], env=env)
    assert "management networks: 198.51.100.0/24 (from " in dry.output and "more than --max-devices 0" in dry.output
