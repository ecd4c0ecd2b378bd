"""`fix --apply` against stateful simulated IOS devices (real SSH on loopback; tests/fakestate.py)."""

from __future__ import annotations

import json

import pytest

from test_pull import PASSWORD, _device, _inventory, _keypair, cli, devices

OPEN = (
    "version 15.2\nservice password-encryption\nhostname {name}\nip domain name example.net\nip ssh version 2\n"
    "username admin privilege 15 secret 9 $9$ZPbaCmpfMNgIhk$VdZ5yDq0ppmAeD1SnFaRz7BYXpcs0xTQZcIHEDmLSs2\n"
    "login block-for 120 attempts 5 within 60\nline vty 0 4\n login local\n transport input telnet ssh\nline vty 5 15\n"
    " login local\n transport input ssh\nline con 0\n login local\nend\n"
)


def _stateful(tmp_path, template: str, named: dict[str, dict]):
    """Stateful simulated devices, one per name, each with `template` as its config and its own
    options (faults); they share a host key and a command log."""
    key = tmp_path / "device"
    keys = {"device": (key, _keypair(key))}
    log = tmp_path / "commands.log"
    specs = []
    for name, extra in named.items():
        config = tmp_path / f"{name}.cfg"
        config.write_text(template.format(name=name))
        specs.append(_device(name, "stateful", keys, config=config, command_log=str(log), hostname=name, **extra))
    return specs, log


@pytest.fixture()
def fleet(tmp_path):
    specs, log = _stateful(tmp_path, OPEN, {"fixme": {}, "breaks": {"ssh_breaks_after_change": True}, "dropped": {"drop_after_change": True, "revert_unit": 1.0}})
    with devices(specs, tmp_path) as ports:
        yield {"inventory": _inventory(tmp_path / "hosts.yaml", ports), "ports": ports, "log": log}


def _show(port: int, command: str) -> str:
    """What a simulated device answers to an exec command, from a session of our own."""
    from netmiko import ConnectHandler

    session = ConnectHandler(device_type="cisco_ios", host="127.0.0.1", port=port, username="admin", password=PASSWORD, use_keys=False, allow_agent=False, ssh_config_file=None)
    try:
        # through ` --More-- ` on a device that ignores `terminal length 0`, as a person pages
        out = session.send_command(command, expect_string=r"(?:--More--|#)\s*$", read_timeout=10)
        while out.rstrip().endswith("--More--"):
            session.write_channel(" ")
            out = out.rstrip()[: -len("--More--")] + session.read_until_pattern(r"(?:--More--|#)\s*$", read_timeout=10)
        return out
    finally:
        session.disconnect()


def _startup(port: int) -> str:
    return _show(port, "show startup-config")


def _fix(fleet, *args):
    run = cli("fix", "--inventory", fleet["inventory"], "--timeout", "5", "-f", "json", *args)
    return run, {d["source"]: d for d in json.loads(run.stdout)["devices"]} if run.stdout.startswith("{") else {}


def test_a_fix_is_applied_proven_confirmed_and_saved(fleet):
    run, plans = _fix(fleet, "--mgmt-net", "127.0.0.0/8", "--limit", "fixme", "--apply", "--yes")
    assert plans["fixme"]["status"] == "fixed" and run.returncode == 0, (run.stdout, run.stderr)
    # a later scan finds none of what was fixed, and the saved config is the verified one
    scan = cli("scan", "--inventory", fleet["inventory"], "--limit", "fixme", "-f", "json", "--timeout", "5")
    rules = {f["rule_id"] for f in json.loads(scan.stdout)["devices"][0]["findings"]}
    assert not rules & {"VTY001", "VTY003"}, rules
    saved = _startup(fleet["ports"]["fixme"])
    assert "access-class VTY-ACCESS in" in saved and " transport input ssh" in saved and "transport input telnet" not in saved
    sent = fleet["log"].read_text()
    assert "configure terminal revert timer 10" in sent and "configure confirm" in sent and "write mem" in sent


def test_a_change_that_breaks_ssh_is_reverted_and_nothing_is_saved(fleet):
    run, plans = _fix(fleet, "--mgmt-net", "127.0.0.0/8", "--limit", "breaks", "--apply", "--yes")
    assert plans["breaks"]["status"] == "reverted" and run.returncode == 1, (run.stdout, run.stderr)
    assert "a new session failed" in plans["breaks"]["reasons"][0]
    assert "the running config is back to the pulled one" in plans["breaks"]["reasons"][1]
    sent = fleet["log"].read_text()
    assert "configure revert now" in sent and "configure confirm" not in sent and "write mem" not in sent


def test_a_change_whose_session_is_lost_is_undone_by_the_timer_and_checked(fleet):
    # the device closes the applying session at the `end` of the armed change: nothing can
    # confirm or revert it there, so the tool waits for the timer (1 "minute" = 1 s here)
    run, plans = _fix(fleet, "--mgmt-net", "127.0.0.0/8", "--limit", "dropped", "--revert-minutes", "1", "--deadline", "10", "--apply", "--yes")
    plan = plans["dropped"]
    assert plan["status"] == "reverted-by-timer" and run.returncode == 1, (run.stdout, run.stderr)
    assert "the applying session was lost" in plan["reasons"][0]
    assert "back to the pulled one" in plan["reasons"][1]
    assert "configure terminal revert timer 1" in plan["script"]
    sent = fleet["log"].read_text()
    assert "configure terminal revert timer 1" in sent and "configure confirm" not in sent and "write mem" not in sent
    assert _startup(fleet["ports"]["dropped"]).strip() == OPEN.format(name="dropped").strip()  # nothing saved
    scan = cli("scan", "--inventory", fleet["inventory"], "--limit", "dropped", "-f", "json", "--timeout", "5")
    assert "VTY001" in {f["rule_id"] for f in json.loads(scan.stdout)["devices"][0]["findings"]}  # Telnet is still open


def test_refused_and_dry_runs_send_no_config_command(fleet):
    run, plans = _fix(fleet, "--mgmt-net", "192.0.2.0/24", "--apply", "--yes")
    assert {p["status"] for p in plans.values()} == {"refused"} and run.returncode == 1, (run.returncode, run.stdout[:300], run.stderr)
    run, plans = _fix(fleet, "--mgmt-net", "127.0.0.0/8")  # no --apply
    assert {p["status"] for p in plans.values()} == {"ready"}
    sent = set(fleet["log"].read_text().splitlines())
    assert sent <= {"terminal length 0", "terminal width 511", "show running-config", "exit", ""}, sent


def test_apply_without_a_terminal_needs_yes(fleet):
    run = cli("fix", "--inventory", fleet["inventory"], "--mgmt-net", "127.0.0.0/8", "--apply")
    assert run.returncode == 2 and "--yes" in run.stderr


def test_steps_of_a_framed_script():
    from auditor.remediation import steps_of
    from auditor.engine import audit
    from auditor.rule import AuditOptions

    report = audit(OPEN.format(name="r").encode(), options=AuditOptions(mgmt_nets=("127.0.0.0/8",)))
    archive, steps = steps_of(report.remediation)
    assert archive == ["archive", " path flash:vty-auditor-archive"]
    assert [minutes for minutes, _ in steps] == [10, 10]  # the fence first; Telnet closed in step 2
    assert " transport input ssh" in steps[1][1] and not any("transport" in line for line in steps[0][1])
    unknown = audit(OPEN.format(name="r").replace("version 15.2\n", "").encode(), options=AuditOptions(mgmt_nets=("127.0.0.0/8",)))
    assert steps_of(unknown.remediation)[1] == []  # no revert timer: nothing is applied automatically


FENCED = OPEN.replace(
    "line vty 0 4\n login local\n transport input telnet ssh\nline vty 5 15\n login local\n",
    "ip access-list standard VTY-ACCESS\n permit 127.0.0.0 0.255.255.255\n deny any log\nline vty 0 4\n access-class VTY-ACCESS in\n"
    " login local\n transport input ssh\nline vty 5 15\n access-class VTY-ACCESS in\n login local\n",
)
MIXED = (  # name prefix, count, config, simulator options, the status fix must end with
    ("fix", 8, OPEN, {}, "fixed"),
    ("breaks", 3, OPEN, {"ssh_breaks_after_change": True}, "reverted"),
    ("dropped", 1, OPEN, {"drop_after_change": True, "revert_unit": 1.0}, "reverted-by-timer"),
    ("clean", 4, FENCED, {}, "clean"),
    ("user", 2, OPEN.replace("login block-for", "username ops privilege 1 password 0 Opensesame1\nlogin block-for"), {}, "skipped"),
    ("oldrel", 2, OPEN.replace("version 15.2\n", ""), {}, "refused"),  # no release: no revert timer known
)


def test_twenty_devices_with_mixed_outcomes_are_changed_four_at_a_time(tmp_path):
    key = tmp_path / "device"
    keys = {"device": (key, _keypair(key))}
    events, specs, expected = tmp_path / "events.log", [], {}
    for prefix, count, text, extra, status in MIXED:
        for k in range(count):
            name = f"{prefix}{k}"
            config = tmp_path / f"{name}.cfg"
            config.write_text(text.format(name=name))
            specs.append(_device(name, "stateful", keys, config=config, hostname=name, event_log=str(events), **extra))
            expected[name] = status
    assert len(specs) == 20
    with devices(specs, tmp_path) as ports:
        inventory = _inventory(tmp_path / "hosts.yaml", ports)
        run = cli(
            "fix",
            "--inventory",
            inventory,
            "--timeout",
            "5",
            "-f",
            "json",
            "--mgmt-net",
            "127.0.0.0/8",
            "--revert-minutes",
            "1",
            "--deadline",
            "10",
            "--workers",
            "4",
            "--keep-going",
            "--apply",
            "--yes",
        )
        report = json.loads(run.stdout)
        assert {d["source"]: d["status"] for d in report["devices"]} == expected, run.stderr
        assert run.returncode == 1  # some skipped, refused or reverted
        assert report["summary"] == {"fixed": 8, "reverted": 3, "reverted-by-timer": 1, "clean": 4, "skipped": 2, "refused": 2}
        for k in range(8):
            assert "access-class VTY-ACCESS in" in _startup(ports[f"fix{k}"])
    # changes under way at once, from the devices' own record of armed and settled timers
    under_way, most = 0, 0
    for line in sorted(events.read_text().splitlines(), key=lambda event: float(event.split()[0])):
        under_way += 1 if line.endswith(" armed") else -1
        most = max(most, under_way)
    assert 1 < most <= 4, most


def test_from_another_loopback_address_the_fence_decides_who_gets_in(fleet):
    # the tool connects from 127.0.0.3: a fence admitting only 127.0.0.2 would lock it out
    run, plans = _fix(fleet, "--mgmt-net", "127.0.0.2/32", "--limit", "fixme", "--source-address", "127.0.0.3", "--apply", "--yes")
    assert plans["fixme"]["status"] == "refused" and plans["fixme"]["local_address"] == "127.0.0.3", run.stdout
    assert "would lock out this host: 127.0.0.3" in plans["fixme"]["reasons"][0]
    assert "configure terminal revert timer" not in fleet["log"].read_text()  # refused before any config command
    # from 127.0.0.2 it is inside the fence it applies: fixed, and proven from a new session from there
    run, plans = _fix(fleet, "--mgmt-net", "127.0.0.2/32", "--limit", "fixme", "--source-address", "127.0.0.2", "--apply", "--yes")
    assert plans["fixme"]["status"] == "fixed" and run.returncode == 0, (run.stdout, run.stderr)
    # the device now refuses 127.0.0.3 and admits 127.0.0.2
    outside = cli("scan", "--inventory", fleet["inventory"], "--limit", "fixme", "-f", "json", "--timeout", "5", "--retries", "0", "--source-address", "127.0.0.3")
    assert json.loads(outside.stdout)["devices"][0]["status"] != "audited" and outside.returncode == 3
    inside = cli("scan", "--inventory", fleet["inventory"], "--limit", "fixme", "-f", "json", "--timeout", "5", "--source-address", "127.0.0.2")
    device = json.loads(inside.stdout)["devices"][0]
    assert device["status"] == "audited" and not {"VTY001", "VTY003"} & {f["rule_id"] for f in device["findings"]}


def test_the_source_address_may_come_from_the_configuration_file(fleet, tmp_path):
    config = tmp_path / "vty-auditor.toml"
    config.write_text('source-address = "127.0.0.5"\n')
    run, plans = _fix(fleet, "--mgmt-net", "127.0.0.0/8", "--limit", "fixme", "--config", config)  # a dry run: nothing sent
    assert plans["fixme"]["local_address"] == "127.0.0.5", (run.stdout, run.stderr)
    config.write_text('source-address = "192.0.2.1"\n')  # not an address of this host
    refused = cli("scan", "--inventory", fleet["inventory"], "--limit", "fixme", "--config", config)
    assert refused.returncode == 2 and "192.0.2.1 is not an address of this host" in refused.stderr


NXOS = (
    "version 9.3(5) Bios:version 05.39\nhostname {name}\nfeature telnet\nfeature ssh\n"
    "username admin password 5 $5$KLMNOP$Zo3v8sMd0dPq1Qx2B3tU4vW5xY6zA7bC8dE9fG0hI1J  role network-admin\n"
    "line console\n  exec-timeout 10\nline vty\n  exec-timeout 10\n"
)


@pytest.mark.parametrize("breaks", [False, True])
def test_nx_os_is_changed_behind_a_checkpoint_and_rolled_back_when_the_proof_fails(tmp_path, breaks):
    key = tmp_path / "device"
    keys = {"device": (key, _keypair(key))}
    log = tmp_path / "commands.log"
    config = tmp_path / "leaf.cfg"
    config.write_text(NXOS.format(name="leaf"))
    spec = _device("leaf", "stateful", keys, config=config, command_log=str(log), hostname="leaf", nxos=True, **({"ssh_breaks_after_change": True} if breaks else {}))
    with devices([spec], tmp_path) as ports:
        inventory = _inventory(tmp_path / "hosts.yaml", ports, {"leaf": {"platform": "cisco_nxos"}})
        run = cli("fix", "--inventory", inventory, "--timeout", "5", "-f", "json", "--mgmt-net", "127.0.0.0/8", "--apply", "--yes")
        plan = json.loads(run.stdout)["devices"][0]
        sent = log.read_text()
        checkpoint = next(line for line in sent.splitlines() if line.startswith("checkpoint vty-auditor-"))
        if not breaks:
            assert plan["status"] == "fixed" and run.returncode == 0, (plan, run.stderr)
            assert "the checkpoint was removed" in plan["reasons"][0]
            assert f"no checkpoint {checkpoint.split()[1]}" in sent  # NX-OS keeps at most 10 user checkpoints
            saved = _startup(ports["leaf"])
            assert "access-class VTY-ACCESS in" in saved and "feature telnet" not in saved
            scan = cli("scan", "--inventory", inventory, "-f", "json", "--timeout", "5")
            assert not {"VTY001", "VTY003"} & {f["rule_id"] for f in json.loads(scan.stdout)["devices"][0]["findings"]}
        else:
            assert plan["status"] == "reverted" and run.returncode == 1, (plan, run.stderr)
            assert f"rollback running-config checkpoint {checkpoint.split()[1]}" in sent and "copy running-config startup-config" not in sent
            assert "the running config is back to the pulled one" in plan["reasons"][1]
            assert _startup(ports["leaf"]).strip().removesuffix("end").strip() == NXOS.format(name="leaf").strip()  # nothing saved


def test_nx_os_rolls_back_from_a_new_session_when_the_applying_one_is_lost(tmp_path):
    key = tmp_path / "device"
    keys = {"device": (key, _keypair(key))}
    log = tmp_path / "commands.log"
    config = tmp_path / "leaf.cfg"
    config.write_text(NXOS.format(name="leaf"))
    spec = _device("leaf", "stateful", keys, config=config, command_log=str(log), hostname="leaf", nxos=True, drop_after_change=True)
    with devices([spec], tmp_path) as ports:
        inventory = _inventory(tmp_path / "hosts.yaml", ports, {"leaf": {"platform": "cisco_nxos"}})
        run = cli("fix", "--inventory", inventory, "--timeout", "5", "-f", "json", "--mgmt-net", "127.0.0.0/8", "--apply", "--yes")
        plan = json.loads(run.stdout)["devices"][0]
        assert plan["status"] == "reverted" and run.returncode == 1, (plan, run.stderr)
        assert "the applying session was lost" in plan["reasons"][0] and "from a new session" in plan["reasons"][1]
        sent = log.read_text()
        assert "rollback running-config checkpoint vty-auditor-" in sent and "copy running-config startup-config" not in sent
        scan = cli("scan", "--inventory", inventory, "-f", "json", "--timeout", "5")
        assert "VTY001" in {f["rule_id"] for f in json.loads(scan.stdout)["devices"][0]["findings"]}  # back as it was


def test_a_lost_session_whose_timer_does_not_restore_the_config_is_unverified(tmp_path):
    """The applying session is lost and the device's revert timer fires but leaves the change:
    polling from new sessions never sees the pulled config again, so after the timer's minutes
    and one more the status is `unverified` (a fake clock stands in for those minutes)."""
    from pydantic import SecretStr

    from auditor.apply import apply_plan
    from auditor.engine import audit
    from auditor.engine import AuditRequest
    from auditor.fix import plan
    from auditor.inventory import Host
    from auditor.pull import Credentials, PullSettings, pull_one
    from auditor.rule import AuditOptions

    key = tmp_path / "device"
    keys = {"device": (key, _keypair(key))}
    config = tmp_path / "stuck.cfg"
    config.write_text(OPEN.format(name="stuck"))
    spec = [_device("stuck", "stateful", keys, config=config, hostname="stuck", drop_after_change=True, revert_unit=3.0, revert_fails=True)]
    with devices(spec, tmp_path) as ports:
        host = Host(name="stuck", hostname="127.0.0.1", port=ports["stuck"])
        credentials = Credentials(username="admin", password=SecretStr(PASSWORD))
        settings = PullSettings(timeout=5, retries=0, tofu_file=tmp_path / "known_hosts")
        options = AuditOptions(mgmt_nets=("127.0.0.0/8",), revert_minutes=1)
        pulled = pull_one(host, credentials, settings)
        report = audit(pulled.config, source="stuck", options=options)
        planned = plan(report, pulled.config, pulled.local_address, AuditRequest(options=options), "admin")
        assert planned.status == "ready", planned.reasons
        now = [0.0]
        slept = []

        def sleep(seconds):  # each wait advances the fake clock ten intervals: a few real polls stand for the minutes
            slept.append(seconds)
            now[0] += 10 * seconds

        result = apply_plan(host, credentials, settings, planned, report, pulled.config, AuditRequest(options=options), sleep=sleep, clock=lambda: now[0])
    assert result.status == "unverified", result.reasons
    assert "the applying session was lost" in result.reasons[0] and "check the device" in result.reasons[1]
    assert "still differs from the pulled one" in result.reasons[1]
    assert slept and 10 * sum(slept) <= 2 * 60 and all(2 <= s <= 30 for s in slept)  # polled, bounded by the timer's minutes and one more


XE17_USERS = (
    "version 17.6\nservice password-encryption\nhostname {name}\nip domain name example.net\nip ssh version 2\n"
    "username admin privilege 15 secret 9 $9$ZPbaCmpfMNgIhk$VdZ5yDq0ppmAeD1SnFaRz7BYXpcs0xTQZcIHEDmLSs2\n"
    "username ops privilege 15 password 7 0822455D0A16\n"
    "login block-for 120 attempts 5 within 60\nline vty 0 4\n login local\n transport input ssh\nend\n"
)


@pytest.fixture()
def xe17(tmp_path):
    """An IOS-XE 17 device whose `no username X` asks `[confirm]`, and one that refuses a chosen line."""
    specs, log = _stateful(tmp_path, XE17_USERS, {"asks": {"asks_no_username": True}, "refuses": {"asks_no_username": True, "refuse": [r"username ops .*secret .*"]}})
    fill = tmp_path / "fill.toml"
    fill.write_text('NEW-SECRET-OPS = "Fresh-0ps-Secret"\n')
    with devices(specs, tmp_path) as ports:
        yield {"inventory": _inventory(tmp_path / "hosts.yaml", ports), "ports": ports, "log": log, "fill": fill}


def test_a_user_removal_that_asks_is_answered_and_the_new_secret_saved(xe17):
    run, plans = _fix(xe17, "--mgmt-net", "127.0.0.0/8", "--select", "PWD004", "--limit", "asks")
    assert plans["asks"]["status"] == "skipped" and "<NEW-SECRET-OPS>" in plans["asks"]["reasons"][0]  # no --fill: nothing to send
    run, plans = _fix(xe17, "--mgmt-net", "127.0.0.0/8", "--select", "PWD004", "--limit", "asks", "--fill", xe17["fill"], "--apply", "--yes")
    assert plans["asks"]["status"] == "fixed" and run.returncode == 0, (run.stdout, run.stderr)
    assert "! PAUSE: the device asks" in plans["asks"]["script"]  # the pasted form stops at the question
    saved = _startup(xe17["ports"]["asks"])
    assert "username ops privilege 15 algorithm-type scrypt secret Fresh-0ps-Secret" in saved
    assert "password 7 0822455D0A16" not in saved
    assert "Fresh-0ps-Secret" not in run.stdout + run.stderr  # the value is sent, never shown


def test_a_refused_line_reverts_the_step_and_names_the_line_without_its_secret(xe17):
    run, plans = _fix(xe17, "--mgmt-net", "127.0.0.0/8", "--select", "PWD004", "--limit", "refuses", "--fill", xe17["fill"], "--apply", "--yes")
    plan = plans["refuses"]
    assert plan["status"] == "reverted" and run.returncode == 1, (run.stdout, run.stderr)
    assert "the device refused `username ops" in plan["reasons"][0] and "% Invalid input" in plan["reasons"][0]
    assert "back to the pulled one" in plan["reasons"][1]
    assert "Fresh-0ps-Secret" not in run.stdout + run.stderr
    assert "configure confirm" not in xe17["log"].read_text()
    assert "username ops privilege 15 password 7 0822455D0A16" in _startup(xe17["ports"]["refuses"])


def test_fill_files_are_checked_and_never_echoed(xe17, tmp_path):
    for text, says in (
        ('NEW-SECRET-OPS = "two words"', "one word"),
        ('MGMT-PREFIX = "0.0.0.0/0"', "--mgmt-net"),
        ('NEW-SECRET-OPS = "what?"', "without `?`"),
        ("not toml", "not valid TOML"),
        ('"lower" = "x"', "not a placeholder"),
    ):
        bad = tmp_path / "bad.toml"
        bad.write_text(text + "\n")
        run = cli("fix", "--inventory", xe17["inventory"], "--fill", bad)
        assert run.returncode == 2 and says in run.stderr, (text, run.stderr)
        assert "two words" not in run.stderr and "what?" not in run.stderr


def _faulty(tmp_path, **fault):
    """One stateful device named r with the OPEN config and the given fault: (specs, command log)."""
    return _stateful(tmp_path, OPEN, {"r": fault})


def _apply_with(tmp_path, *extra, **fault):
    specs, log = _faulty(tmp_path, **fault)
    with devices(specs, tmp_path) as ports:
        inventory = _inventory(tmp_path / "hosts.yaml", ports)
        run = cli("fix", "--inventory", inventory, "--timeout", "5", "-f", "json", "--mgmt-net", "127.0.0.0/8", "--apply", "--yes", *extra)
        plan = json.loads(run.stdout)["devices"][0] if run.stdout.startswith("{") else None
        return run, plan, _startup(ports["r"]), _running(ports["r"]), log.read_text()


def _running(port: int) -> str:
    return _show(port, "show running-config")


def test_a_question_at_the_confirm_is_cancelled_never_answered_and_the_step_reverted(tmp_path):
    """Exec commands are read up to the prompt or a question, never for a fixed idle time: a
    release whose `configure confirm` asks gets Ctrl-C, and the armed change is reverted."""
    run, plan, startup, running, sent = _apply_with(tmp_path, ask_on_confirm=True)
    assert plan["status"] == "reverted" and run.returncode == 1, (plan, run.stderr)
    assert "asked a question the tool does not know" in plan["reasons"][0] and "[yes/no]" in plan["reasons"][0]
    assert "back to the pulled one" in plan["reasons"][1]
    assert "'\\x03' (reply to the confirm question)" in sent and "write mem" not in sent
    assert "transport input telnet ssh" in running and _lines(startup) == _lines(OPEN.format(name="r"))


def test_a_refused_confirm_is_reverted_and_nothing_is_saved(tmp_path):
    """Defect 1: `Command authorization failed` on `configure confirm` used to be ignored, the
    config saved, the status `fixed`; the timer then reverted the running config only."""
    run, plan, startup, running, sent = _apply_with(tmp_path, refuse_confirm=True)
    assert plan["status"] == "reverted" and run.returncode == 1, plan
    assert "`configure confirm` of step 1 of 2 was refused: Command authorization failed" in plan["reasons"][0]
    assert "write mem" not in sent and "configure revert now" in sent
    assert "transport input telnet ssh" in startup and "transport input telnet ssh" in running  # what was pulled, both


def test_a_failed_save_is_unverified_not_fixed(tmp_path):
    """Defect 2: a `write memory` error used to be ignored ("confirmed and saved")."""
    run, plan, startup, running, _ = _apply_with(tmp_path, refuse_save=True)
    assert plan["status"] == "unverified" and run.returncode == 3, plan
    assert "`write memory` failed" in plan["reasons"][0] and "%Error opening nvram" in plan["reasons"][0]
    assert "access-class VTY-ACCESS in" in running and "access-class VTY-ACCESS in" not in startup


def test_a_refused_revert_waits_for_the_timer(tmp_path):
    """Defect 5: a refused `configure revert now` used to be reported `reverted`."""
    run, plan, startup, running, sent = _apply_with(tmp_path, "--revert-minutes", "1", "--deadline", "10", refuse_confirm=True, refuse_revert=True, revert_unit=5.0)
    assert plan["status"] == "reverted-by-timer" and run.returncode == 1, plan
    assert "`configure revert now` was refused" in plan["reasons"][0]
    assert "transport input telnet ssh" in running and "write mem" not in sent


def test_a_refused_revert_timer_is_refused_and_changes_nothing(tmp_path):
    """Defect 7: a rejected `configure terminal revert timer` used to read as a lost session."""
    run, plan, startup, running, sent = _apply_with(tmp_path, refuse_timer=True)
    assert plan["status"] == "refused" and run.returncode == 1, plan
    assert "the device refused `configure terminal revert timer 10`" in plan["reasons"][0] and "nothing was armed" in plan["reasons"][0]
    assert "configure confirm" not in sent and running.strip().endswith("end") and "VTY-ACCESS" not in running


def test_a_device_that_ignores_terminal_length_is_read_back_through_the_pager(tmp_path):
    """Defect 10: after a revert, `show running-config` stopped at `--More--` (a timeout)."""
    run, plan, _, running, _ = _apply_with(tmp_path, refuse_confirm=True, paging=True)
    assert plan["status"] == "reverted" and "the running config is back to the pulled one" in plan["reasons"][1], plan


def test_a_session_lost_after_the_confirm_is_settled_from_a_new_session(tmp_path):
    """Defect 4: a session dropped after `configure confirm` used to read as "lost before any change was armed"."""
    run, plan, startup, running, _ = _apply_with(tmp_path, drop_after_confirm=True)
    assert plan["status"] in ("fixed", "unverified"), plan
    assert "after" not in plan["reasons"][0] or "before any change" not in plan["reasons"][0]
    assert "confirmed and saved from a new session" in " ".join(plan["reasons"]), plan
    assert "access-class VTY-ACCESS in" in startup  # step 1 was saved from the new session


def test_a_failed_second_step_is_reverted_to_the_saved_first_one(tmp_path):
    """Defect 6: with step 1 confirmed and saved, a step 2 the device refuses is reverted to the
    step-1 state, and the report says step 1 is saved."""
    run, plan, startup, running, sent = _apply_with(tmp_path, refuse=[r"transport input ssh"])
    assert plan["status"] == "reverted" and run.returncode == 1, plan
    reasons = " ".join(plan["reasons"])
    assert "in step 2 of 2, the device refused `transport input ssh`" in reasons
    assert "back to the one saved after step 1" in reasons and "saved on the device: step 1 of 2: confirmed and saved" in reasons
    assert "access-class VTY-ACCESS in" in startup and "access-class VTY-ACCESS in" in running  # step 1 stays
    assert "transport input telnet ssh" in running  # step 2 undone


def test_an_unknown_question_is_cancelled_and_the_step_reverted(tmp_path):
    """Defect 9: a question mid-script used to look like a timeout (a lost session)."""
    run, plan, startup, running, sent = _apply_with(tmp_path, asks_unknown=[r"access-class VTY-ACCESS in.*"])
    assert plan["status"] == "reverted" and run.returncode == 1, plan
    assert "asked a question the tool does not know" in plan["reasons"][0]
    assert "configure revert now" in sent and "write mem" not in sent


def test_a_proof_that_cannot_fit_in_the_timer_is_refused_before_anything_is_sent(tmp_path):
    """Defect 3: a proof could take longer than the timer, so the tool confirmed a reverted config."""
    specs, log = _faulty(tmp_path)
    with devices(specs, tmp_path) as ports:
        inventory = _inventory(tmp_path / "hosts.yaml", ports)
        run = cli("fix", "--inventory", inventory, "--timeout", "15", "--revert-minutes", "1", "--mgmt-net", "127.0.0.0/8", "--apply", "--yes")
        assert run.returncode == 2 and "more than half of the 1-minute revert timer" in run.stderr
        assert not log.exists() or "configure" not in log.read_text()


def test_two_names_for_one_device_are_changed_once(tmp_path):
    """Defect 12: two inventory names for one address were changed at once."""
    specs, log = _faulty(tmp_path)
    with devices(specs, tmp_path) as ports:
        inventory = tmp_path / "hosts.yaml"
        inventory.write_text("".join(f"{name}:\n  hostname: 127.0.0.1\n  port: {ports['r']}\n" for name in ("r", "r-alias")))
        run = cli("fix", "--inventory", inventory, "--timeout", "5", "-f", "json", "--mgmt-net", "127.0.0.0/8", "--apply", "--yes")
        plans = {d["source"]: d for d in json.loads(run.stdout)["devices"]}
        assert plans["r"]["status"] == "fixed" and plans["r-alias"]["status"] == "refused", plans
        assert "the same device as r" in plans["r-alias"]["reasons"][0]
        assert log.read_text().count("configure terminal revert timer") == 2  # r's two steps only


def test_an_unknown_release_is_refused_in_the_dry_run_as_at_apply(tmp_path):
    """Also seen: an IOS device whose release is unknown was `ready` in the dry run and `refused` at --apply."""
    key = tmp_path / "device"
    keys = {"device": (key, _keypair(key))}
    config = tmp_path / "r.cfg"
    config.write_text(OPEN.format(name="r").replace("version 15.2\n", ""))
    with devices([_device("r", "stateful", keys, config=config, hostname="r")], tmp_path) as ports:
        run, plans = _fix({"inventory": _inventory(tmp_path / "hosts.yaml", ports)}, "--mgmt-net", "127.0.0.0/8")
        assert plans["r"]["status"] == "refused" and "revert timer" in plans["r"]["reasons"][0], plans


def test_one_interrupt_lets_the_change_under_way_finish_and_writes_the_report(tmp_path):
    """Defect 11: one Ctrl-C used to exit 130 with no report while changes under way went on
    (or, at a second one, were left changed and unsaved). Now the change under way reaches a
    safe end, no other device is changed, and the report says so."""
    import os
    import shutil
    import signal
    import subprocess
    import time

    key = tmp_path / "device"
    keys = {"device": (key, _keypair(key))}
    log = tmp_path / "commands.log"
    specs = []
    for name in ("first", "second"):
        config = tmp_path / f"{name}.cfg"
        config.write_text(OPEN.format(name=name))
        specs.append(_device(name, "stateful", keys, config=config, command_log=str(log), hostname=name))
    with devices(specs, tmp_path) as ports:
        inventory = _inventory(tmp_path / "hosts.yaml", ports)
        report = tmp_path / "plan.json"
        env = {k: v for k, v in os.environ.items() if not k.startswith("VTY_AUDITOR_")}
        env.update(VTY_AUDITOR_USERNAME="admin", VTY_AUDITOR_PASSWORD=PASSWORD, XDG_STATE_HOME=str(tmp_path / "state"))
        process = subprocess.Popen(
            [shutil.which("vty-auditor"), "fix", "--inventory", str(inventory), "--timeout", "5", "--workers", "1", "--mgmt-net", "127.0.0.0/8", "--apply", "--yes", "-f", "json", "-o", str(report)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        stop = time.monotonic() + 60
        while time.monotonic() < stop and "configure terminal revert timer" not in (log.read_text() if log.exists() else ""):
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=120)
        assert process.returncode == 130, err
        assert "changes under way finish" in err
        plans = {d["source"]: d for d in json.loads(report.read_text())["devices"]}
        changed = [name for name, d in plans.items() if d["status"] == "fixed"]
        assert len(changed) == 1, plans  # the one under way reached its end: confirmed and saved
        other = "second" if changed == ["first"] else "first"
        assert plans[other]["status"] in ("skipped", "cancelled"), plans
        assert "access-class VTY-ACCESS in" in _startup(ports[changed[0]])
        assert "VTY-ACCESS" not in _startup(ports[other])


def _lines(text: str) -> list[str]:
    """A config's lines for comparison, read here apart from the product's own comparison; the
    archive path the tool adds for the revert timer (unsaved, and said so) aside."""
    return sorted(
        line.rstrip()
        for line in text.splitlines()
        if line.strip() and not line.startswith(("!", "Building", "Current configuration")) and line.strip() != "end" and line.strip() not in ("archive", "path flash:vty-auditor-archive")
    )


def _timer(port: int) -> str:
    return _show(port, "show archive config rollback timer")


FAULTS = {
    "none": {},
    "line refused in step 1": {"refuse": [r"access-class VTY-ACCESS in.*"]},
    "line refused in step 2": {"refuse": [r"transport input ssh"]},
    "ssh breaks": {"ssh_breaks_after_change": True},
    "confirm refused": {"refuse_confirm": True},
    "save refused": {"refuse_save": True},
    "session drops after the confirm": {"drop_after_confirm": True},
    "unknown question in step 2": {"asks_unknown": [r"transport input ssh"]},
    "confirm and revert refused": {"refuse_confirm": True, "refuse_revert": True, "revert_unit": 5.0},
}


@pytest.mark.parametrize("fault", list(FAULTS), ids=list(FAULTS))
def test_the_reported_status_is_what_the_device_holds(tmp_path, fault):
    """For every injected fault at every step, the status matches the device's own running and
    startup configs: `fixed` is saved and the same in both; `reverted` is back to a saved state
    with no timer left; `refused` changed nothing; anything the tool cannot prove is `unverified`."""
    options = dict(FAULTS[fault])
    extra = ("--revert-minutes", "1", "--deadline", "10") if options.get("revert_unit") else ()
    specs, _ = _faulty(tmp_path, **options)
    with devices(specs, tmp_path) as ports:
        inventory = _inventory(tmp_path / "hosts.yaml", ports)
        run = cli("fix", "--inventory", inventory, "--timeout", "5", "-f", "json", "--mgmt-net", "127.0.0.0/8", "--apply", "--yes", *extra)
        plan = json.loads(run.stdout)["devices"][0]
        startup, running, timer = _startup(ports["r"]), _running(ports["r"]), _timer(ports["r"])
    pulled = OPEN.format(name="r")
    status = plan["status"]
    assert status in ("fixed", "reverted", "reverted-by-timer", "refused", "unverified"), plan
    assert run.returncode == {"fixed": 0, "unverified": 3}.get(status, 1), (status, run.stderr)
    assert plan["reasons"], plan
    if status == "unverified":
        return  # the tool says it cannot prove the end state: whatever the device holds, it said so
    assert "Timer type" not in timer, (plan, timer)  # nothing left armed
    if status == "fixed":
        assert _lines(startup) == _lines(running) and "access-class VTY-ACCESS in" in running and "telnet" not in running
    elif status in ("reverted", "reverted-by-timer"):
        assert _lines(startup) == _lines(running), (plan, startup, running)  # back to a saved state
        if "path flash:vty-auditor-archive" in running and "path flash:vty-auditor-archive" not in startup:
            assert any("archive path added for the revert timer stays" in r for r in plan["reasons"]), plan
        assert "transport input telnet ssh" in running  # Telnet's closing (step 2) is undone
    else:  # refused
        assert _lines(running) == _lines(pulled)


def test_a_session_lost_at_apply_time_stops_the_run(tmp_path):
    """Defect 13: an apply-time ssh-error ("check the device") did not stop the run."""
    key = tmp_path / "device"
    keys = {"device": (key, _keypair(key))}
    specs = []
    for name, extra in (("a-drops", {"drop_at_config": True}), ("b-next", {})):
        config = tmp_path / f"{name}.cfg"
        config.write_text(OPEN.format(name=name))
        specs.append(_device(name, "stateful", keys, config=config, hostname=name, **extra))
    with devices(specs, tmp_path) as ports:
        inventory = _inventory(tmp_path / "hosts.yaml", ports)
        run = cli("fix", "--inventory", inventory, "--timeout", "5", "--workers", "1", "-f", "json", "--mgmt-net", "127.0.0.0/8", "--apply", "--yes")
        assert run.stdout.startswith("{"), (run.returncode, run.stderr)
        plans = {d["source"]: d for d in json.loads(run.stdout)["devices"]}
        assert plans["a-drops"]["status"] in ("ssh-error", "timeout") and "before any change was armed" in plans["a-drops"]["reasons"][0], plans
        assert plans["b-next"]["status"] == "skipped", plans
        assert "VTY-ACCESS" not in _startup(ports["b-next"])


def test_lines_the_device_rewrites_itself_do_not_make_a_revert_unverified(tmp_path):
    """Also seen: `ntp clock-period` changes by itself, so an exact comparison after a revert failed."""
    run, plan, _, running, _ = _apply_with(tmp_path, refuse_confirm=True, clock_drift=True)
    assert "ntp clock-period" in running
    assert plan["status"] == "reverted" and "back to the pulled one" in plan["reasons"][1], plan


def test_a_save_slower_than_the_timeout_is_waited_for(tmp_path):
    """Defect 4 / also seen: netmiko's read_timeout_override capped the save's read at --timeout,
    so a slow `write memory` read as a lost session although the change was confirmed."""
    run, plan, startup, running, _ = _apply_with(tmp_path, "--timeout", "2", save_delay=4)  # the last --timeout wins
    assert plan["status"] == "fixed" and run.returncode == 0, plan
    assert "access-class VTY-ACCESS in" in startup


def test_a_repository_configuration_cannot_make_fix_open_every_address(fleet, tmp_path, monkeypatch):
    """Issue 31: a `.vty-auditor.toml` with mgmt-nets 0.0.0.0/1 + 128.0.0.0/1 made fix save an ACL
    admitting every IPv4 address. A file found in the checkout may not give `--apply` its nets at
    all; named with --config, those nets are still refused; fix names the file it used, and
    --isolated ignores it."""
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".vty-auditor.toml").write_text('mgmt-nets = ["0.0.0.0/1", "128.0.0.0/1"]\n')
    monkeypatch.chdir(repo)
    run = cli("fix", "--inventory", fleet["inventory"], "--limit", "fixme", "--timeout", "5", "-f", "json", "--apply", "--yes")
    assert run.returncode == 2 and "a configuration file found in the repository cannot" in run.stderr, (run.stdout, run.stderr)
    # named with --config, the file is trusted, and its nets are still refused for what they cover
    named_file = cli("fix", "--inventory", fleet["inventory"], "--limit", "fixme", "--timeout", "5", "--apply", "--yes", "--config", repo / ".vty-auditor.toml")
    assert named_file.returncode == 2 and "cover every address" in named_file.stderr, (named_file.stdout, named_file.stderr)
    # who the fences would admit, and which file said so, before anything else
    assert f"management networks: 0.0.0.0/1, 128.0.0.0/1 (from {repo / '.vty-auditor.toml'})" in run.stderr, run.stderr
    assert not fleet["log"].exists() or "configure" not in fleet["log"].read_text()
    isolated = cli("fix", "--inventory", fleet["inventory"], "--limit", "fixme", "--timeout", "5", "-f", "json", "--isolated")
    assert isolated.returncode in (0, 1) and json.loads(isolated.stdout)["config"] is None
    named = cli("fix", "--inventory", fleet["inventory"], "--limit", "fixme", "--timeout", "5", "-f", "json", "--mgmt-net", "127.0.0.0/8")
    assert named.returncode == 0 and f"configuration: {repo / '.vty-auditor.toml'}" in named.stderr, named.stderr
    assert "management networks: 127.0.0.0/8 (from command line)" in named.stderr
    assert json.loads(named.stdout)["config"] == str(repo / ".vty-auditor.toml")


def test_a_second_interrupt_stops_at_once_and_names_what_is_left_under_change(tmp_path):
    """Defect 11, the second Ctrl-C: the tool leaves at once and says which device is left under
    change and what its way back is (IOS: the revert timer undoes an unconfirmed step)."""
    import os
    import shutil
    import signal
    import subprocess
    import time

    key = tmp_path / "device"
    keys = {"device": (key, _keypair(key))}
    log = tmp_path / "commands.log"
    config = tmp_path / "slow.cfg"
    config.write_text(OPEN.format(name="slow"))
    spec = [_device("slow", "stateful", keys, config=config, command_log=str(log), hostname="slow", save_delay=20)]
    with devices(spec, tmp_path) as ports:
        inventory = _inventory(tmp_path / "hosts.yaml", ports)
        env = {k: v for k, v in os.environ.items() if not k.startswith("VTY_AUDITOR_")}
        env.update(VTY_AUDITOR_USERNAME="admin", VTY_AUDITOR_PASSWORD=PASSWORD, XDG_STATE_HOME=str(tmp_path / "state"))
        process = subprocess.Popen(
            [shutil.which("vty-auditor"), "fix", "--inventory", str(inventory), "--timeout", "5", "--mgmt-net", "127.0.0.0/8", "--apply", "--yes", "-f", "json"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        stop = time.monotonic() + 60
        while time.monotonic() < stop and "write mem" not in (log.read_text() if log.exists() else ""):
            time.sleep(0.05)  # the slow save of step 1 is under way
        process.send_signal(signal.SIGINT)
        time.sleep(0.5)
        sent = time.monotonic()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
        assert process.returncode == 130 and time.monotonic() - sent < 10, err
        assert "left under change: slow (ios)" in err and "revert timer" in err, err
        assert json.loads(out)["devices"][0]["status"] == "cancelled"


def test_a_slow_nx_os_rollback_is_read_to_its_end(tmp_path):
    """Also seen: the rollback was read until 2 s of silence, so `show running-config` was read
    mid-rollback. It is read until the prompt comes back, however long the pauses."""
    specs, log = _stateful(tmp_path, NXOS, {"leaf": {"nxos": True, "ssh_breaks_after_change": True, "rollback_delay": 3}})
    with devices(specs, tmp_path) as ports:
        inventory = _inventory(tmp_path / "hosts.yaml", ports, {"leaf": {"platform": "cisco_nxos"}})
        run = cli("fix", "--inventory", inventory, "--timeout", "5", "-f", "json", "--mgmt-net", "127.0.0.0/8", "--apply", "--yes")
        plan = json.loads(run.stdout)["devices"][0]
        assert plan["status"] == "reverted" and "the running config is back to the pulled one" in plan["reasons"][1], plan
