"""Fleet scans against real SSH servers on 127.0.0.1 that behave like IOS devices.

netmiko is not mocked: tests/fakeios.py runs paramiko SSH servers in a separate
process, one loopback port per simulated device, and `vty-auditor` connects to
them with netmiko exactly as it would to a router.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from auditor.engine import audit
from auditor.findings import DeviceStatus
from conftest import FIXTURES

HERE = Path(__file__).resolve().parent
PASSWORD = "pw-Zq8!fleet"
SECRET = "en-Xy3!enable"
WRONG = "not-the-password"
TELNET = FIXTURES / "telnet-explicit.cfg"
CLEAN = FIXTURES / "clean-ssh-only.cfg"


def _keypair(path: Path) -> str:
    """Write an OpenSSH Ed25519 private key; return the public key's known_hosts form."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()))
    return key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()


@contextmanager
def devices(specs: list[dict], workdir: Path):
    """Start the simulated devices; yield {name: port}."""
    spec_path = workdir / f"spec-{len(specs)}-{id(specs)}.json"
    spec_path.write_text(json.dumps(specs))
    process = subprocess.Popen([sys.executable, str(HERE / "fakeios.py"), str(spec_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line, "the simulated devices did not start"
        yield json.loads(line)
    finally:
        process.stdin.close()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def _inventory(path: Path, ports: dict, extra: dict | None = None) -> Path:
    lines = []
    for name, port in ports.items():
        lines += [f"{name}:", "  hostname: 127.0.0.1", f"  port: {port}"]
        for key, value in (extra or {}).get(name, {}).items():
            lines.append(f"  {key}: {json.dumps(value)}")
    path.write_text("\n".join(lines) + "\n")
    return path


def cli(*args, secret: bool = False, env: dict | None = None, process: bool = False) -> subprocess.CompletedProcess:
    """Run `vty-auditor ARGS` with the test credentials in its environment and stdin closed.

    By default in this process, through typer's test runner: the same command tree, netmiko and
    SSH sessions, without a Python start-up and the imports per call (half of the suite's CPU
    time went there). The entry point's own behaviour (signals, `--version` before any import,
    an internal error as one line) is the installed command's: `process=True` runs that, as
    the signal and installation tests do."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("VTY_AUDITOR_")}
    environment.update(VTY_AUDITOR_USERNAME="admin", VTY_AUDITOR_PASSWORD=PASSWORD)
    # A fresh trust-on-first-use state per call (simulated devices reuse ports with other keys); the
    # host key tests pass their own XDG_STATE_HOME to keep it across calls.
    environment["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="vty-auditor-state-")
    if secret:
        environment["VTY_AUDITOR_SECRET"] = SECRET
    environment.update(env or {})
    if not process:
        from tests_support import invoke

        delta: dict[str, str | None] = {k: None for k in os.environ if k not in environment}
        delta.update({k: v for k, v in environment.items() if os.environ.get(k) != v})
        return invoke(args, delta)
    exe = shutil.which("vty-auditor")
    assert exe, "the vty-auditor command is not installed"
    return subprocess.run([exe, *map(str, args)], capture_output=True, text=True, env=environment, stdin=subprocess.DEVNULL, timeout=300)


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    directory = tmp_path_factory.mktemp("keys")
    return {name: (directory / name, _keypair(directory / name)) for name in ("device", "other")}


def _device(name, behaviour, keys, config=TELNET, **extra):
    return {"name": name, "behaviour": behaviour, "config": str(config), "username": "admin", "password": PASSWORD, "hostkey": str(keys["device"][0]), **extra}


EXPECTED = {
    "ok": "audited",
    "enable": "audited",
    "slow": "audited",
    "paging": "audited",
    "nxos": "audited",  # pulled whole (NX-OS prints no `end`), then audited as NX-OS
    "asa": "audited",  # netmiko's cisco_asa session; complete at `: end`; audited as ASA
    "asa-cut": "truncated",  # an ASA config without its last line `: end`, then the prompt
    "iosxr": "audited",  # netmiko's cisco_xr session at `RP/0/RP0/CPU0:pe1#`; timestamp and header, then the config
    "iosxr-cut": "truncated",  # an IOS-XR config without its final `end`
    "stall": "timeout",
    "drop": "truncated",
    "truncated": "truncated",
    "privilege": "command-rejected",
    "authorization": "command-rejected",
    "no-banner": "ssh-error",
    "refused": "unreachable-refused",
    "blackhole": "unreachable-timeout",
    "wrong-password": "auth-failed",
}


@pytest.fixture(scope="module")
def fleet(keys, tmp_path_factory):
    """One simulated device per behaviour, serving for the whole module."""
    workdir = tmp_path_factory.mktemp("fleet")
    specs = [
        _device("ok", "ok", keys),
        _device("enable", "ok", keys, config=CLEAN, secret=SECRET),
        # streams for ~3.5 s in 0.6 s gaps: longer than --timeout 2 in all, never silent that long
        _device("slow", "slow", keys, delay=0.6),
        _device("paging", "paging", keys, config=FIXTURES / "acl-problems.cfg"),  # 3 pages
        _device("nxos", "nxos", keys, config=HERE / "data" / "nxos.cfg", hostname="switch"),
        _device("asa", "ok", keys, config=FIXTURES / "asa-telnet-open.cfg", hostname="edge-fw1", asa=True),
        _device("asa-cut", "truncated", keys, config=FIXTURES / "asa-telnet-open.cfg", hostname="edge-fw1", asa=True),
        _device("iosxr", "ok", keys, config=FIXTURES / "iosxr-telnet-open.cfg", hostname="RP/0/RP0/CPU0:pe1", iosxr=True),
        _device("iosxr-cut", "truncated", keys, config=FIXTURES / "iosxr-telnet-open.cfg", hostname="RP/0/RP0/CPU0:pe1", iosxr=True),
        _device("stall", "stall", keys),
        _device("drop", "drop", keys),
        _device("truncated", "truncated", keys),
        _device("privilege", "privilege", keys),
        _device("authorization", "authorization", keys),
        _device("no-banner", "no-banner", keys),
        _device("refused", "refused", keys),
        _device("blackhole", "blackhole", keys),
        _device("wrong-password", "ok", keys, password=WRONG),
        _device("rekeyed", "ok", keys, hostkey=str(keys["other"][0])),
    ]
    with devices(specs, workdir) as ports:
        # `enable` needs the enable secret; everyone else lands at privilege 15 or has none to offer.
        inventory = _inventory(
            workdir / "hosts.yaml",
            ports,
            {
                "enable": {"connection_options": {"netmiko": {"extras": {"secret": SECRET}}}},
                "nxos": {"platform": "cisco_nxos"},
                "asa": {"platform": "cisco_asa"},
                "asa-cut": {"platform": "cisco_asa"},
                "iosxr": {"platform": "iosxr"},
                "iosxr-cut": {"platform": "cisco_xr"},
            },
        )
        yield {"ports": ports, "inventory": inventory, "workdir": workdir}


def _scan(fleet, *extra, limit=tuple(EXPECTED), timeout="2"):
    # 2 s: short enough that the `slow` device (five pauses of 0.5 s) proves the timeout is an idle
    # one; tests that do not depend on it give more, for a machine loaded by parallel tests.
    args = ["scan", "--inventory", fleet["inventory"], "--timeout", timeout, "--retries", "0", "--format", "json"]
    for name in limit:
        args += ["--limit", name]
    return cli(*args, *extra)


def test_mixed_fleet_every_failure_class_and_healthy_devices_audited(fleet):
    result = _scan(fleet)
    assert result.returncode == 3, result.stderr  # incomplete coverage is never clean
    report = json.loads(result.stdout)
    status = {d["source"]: d["status"] for d in report["devices"]}
    assert status == EXPECTED
    by_name = {d["source"]: d for d in report["devices"]}
    for name, device in by_name.items():
        assert device["address"] == f"127.0.0.1:{fleet['ports'][name]}"
        assert (device["error"] is None) == (device["status"] == "audited"), device
    nxos = by_name["nxos"]
    assert (nxos["platform"], nxos["hostname"]) == ("nxos", "n9k")
    assert any("!Command: show running-config" in e for e in nxos["platform_evidence"])
    assert [(f["rule_id"], f["section"], f["evidence"]) for f in nxos["findings"]] == [("VTY001", "line vty", "feature telnet"), ("VTY003", "line vty", "line vty")]
    assert "no feature telnet" in nxos["remediation"]
    asa = by_name["asa"]
    from_file = audit((FIXTURES / "asa-telnet-open.cfg").read_bytes(), source="asa")
    assert (asa["platform"], asa["hostname"]) == ("asa", "edge-fw1")
    assert [(f["rule_id"], f["section"], f["line"]) for f in asa["findings"]] == [(f.rule_id, f.section, f.line) for f in from_file.findings]
    assert "without the final `: end`" in by_name["asa-cut"]["error"]
    iosxr = by_name["iosxr"]
    from_file = audit((FIXTURES / "iosxr-telnet-open.cfg").read_bytes(), source="iosxr")
    assert (iosxr["platform"], iosxr["hostname"]) == ("iosxr", "pe1-lab")
    assert [(f["rule_id"], f["section"], f["evidence"]) for f in iosxr["findings"]] == [(f.rule_id, f.section, f.evidence) for f in from_file.findings]
    assert "commit confirmed minutes 10" in iosxr["remediation"] and "without the final `end`" in by_name["iosxr-cut"]["error"]
    # a pulled device is audited exactly like the same config read from a file
    for name, config in (("ok", TELNET), ("slow", TELNET), ("paging", FIXTURES / "acl-problems.cfg"), ("enable", CLEAN)):
        from_file = audit(config.read_bytes(), source=name)
        assert by_name[name]["hostname"] == from_file.hostname
        assert [(f["rule_id"], f["line"]) for f in by_name[name]["findings"]] == [(f.rule_id, f.line) for f in from_file.findings]
    assert {f["rule_id"] for f in by_name["ok"]["findings"]} >= {"VTY001"}
    assert report["summary"]["not_audited"] == {
        "timeout": 1,
        "truncated": 4,
        "command-rejected": 2,
        "ssh-error": 1,
        "unreachable-refused": 1,
        "unreachable-timeout": 1,
        "auth-failed": 1,
    }
    # the order of the report is the inventory's, whatever order the pulls finished in
    assert [d["source"] for d in report["devices"]] == list(EXPECTED)
    # every class is explained, in the summary table on stderr too
    assert "unreachable-refused" in result.stderr and "device(s) in" in result.stderr
    # and the findings of the devices pulled and audited, beside their count
    import re

    pulled = re.search(r"pulled\s*\S\s*(\d+)\s*\S\s*(\d+)", result.stderr)
    assert pulled and int(pulled.group(2)) == sum(len(d["findings"]) for d in report["devices"] if d["status"] == "audited"), result.stderr
    assert "refused the connection (host reached, nothing listening)" in by_name["refused"]["error"]
    assert "% Invalid input" in by_name["privilege"]["error"]


def test_fleet_statistics_do_not_repeat_the_status_table(fleet):
    """A fleet run prints its devices per status (with their findings); --statistics adds the
    findings per rule, not a second status table."""
    result = _scan(fleet, "--statistics", limit=("ok", "refused"))
    assert "findings per rule" in result.stderr and "device(s) in" in result.stderr
    assert "devices per status" not in result.stderr


def test_no_credential_in_any_output(fleet):
    for fmt in ("text", "json", "sarif", "junit", "github"):
        result = _scan(fleet, "--format", fmt, limit=("ok", "enable", "wrong-password", "privilege"))
        assert result.returncode == 3
        for value in (PASSWORD, SECRET, WRONG):
            assert value not in result.stdout and value not in result.stderr, fmt


def test_text_report_names_inventory_host_config_hostname_and_address(fleet):
    result = _scan(fleet, "--format", "text", limit=("ok", "refused"), timeout="10")
    port = fleet["ports"]["ok"]
    assert f"ok (branch-telnet) [127.0.0.1:{port}]: " in result.stdout
    assert "refused [127.0.0.1:" in result.stdout and "unreachable-refused" in result.stdout
    assert result.returncode == 3


def test_all_healthy_scan_exits_on_findings_only(fleet):
    assert _scan(fleet, limit=("enable",)).returncode == 0  # clean-ssh-only: nothing to report
    assert _scan(fleet, limit=("ok", "slow")).returncode == 1


def test_pull_saves_one_file_per_device_atomically(fleet, tmp_path):
    result = cli(
        "pull",
        "--inventory",
        fleet["inventory"],
        "--save-dir",
        tmp_path,
        "--timeout",
        "10",
        "--retries",
        "0",
        *[arg for name in ("ok", "enable", "slow", "paging", "truncated", "refused") for arg in ("--limit", name)],
    )
    assert result.returncode == 3, result.stderr
    saved = sorted(p.name for p in tmp_path.iterdir())
    assert saved == ["enable.cfg", "ok.cfg", "paging.cfg", "slow.cfg"]  # no temporary files, nothing for the failed devices
    assert (tmp_path / "ok.cfg").read_text() == TELNET.read_text()  # the device's config, without `Building configuration...`
    assert (tmp_path / "paging.cfg").read_text() == (FIXTURES / "acl-problems.cfg").read_text()  # no pager residue
    assert "truncated" in result.stderr and "unreachable-refused" in result.stderr
    again = cli("pull", "--inventory", fleet["inventory"], "--save-dir", tmp_path, "--limit", "enable")
    assert again.returncode == 0 and (tmp_path / "enable.cfg").read_text() == CLEAN.read_text()
    # scan can save what it pulls as well; the findings' line numbers are those of the saved file
    both = tmp_path / "both"
    both.mkdir()
    scanned = _scan(fleet, "--save-dir", both, limit=("ok",), timeout="10")
    finding = json.loads(scanned.stdout)["devices"][0]["findings"][0]
    saved_lines = (both / "ok.cfg").read_text().splitlines()
    assert finding["evidence"] == saved_lines[finding["line"] - 1].strip()


def test_strict_host_keys(fleet, keys, tmp_path):
    known = tmp_path / "known_hosts"
    public = keys["device"][1]
    ports = fleet["ports"]
    known.write_text("".join(f"[127.0.0.1]:{ports[name]} {public}\n" for name in ("ok", "rekeyed")))
    result = _scan(fleet, "--known-hosts", known, limit=("ok", "rekeyed", "enable"))
    status = {d["source"]: d["status"] for d in json.loads(result.stdout)["devices"]}
    assert status == {"ok": "audited", "rekeyed": "host-key-mismatch", "enable": "host-key-unknown"}
    errors = {d["source"]: d["error"] for d in json.loads(result.stdout)["devices"]}
    assert str(known) in errors["rekeyed"] and str(known) in errors["enable"]  # the file checked against is named
    assert result.returncode == 3
    # without --known-hosts a first contact is trusted (and recorded): the key is accepted
    assert {d["source"]: d["status"] for d in json.loads(_scan(fleet, limit=("rekeyed",)).stdout)["devices"]} == {"rekeyed": "audited"}


def test_known_hosts_from_the_config_file(fleet, keys, tmp_path):
    (tmp_path / "known").write_text(f"[127.0.0.1]:{fleet['ports']['ok']} {keys['other'][1]}\n")
    (tmp_path / ".vty-auditor.toml").write_text('known-hosts = "known"\ntimeout = 2\n')
    result = cli("scan", "--inventory", fleet["inventory"], "--limit", "ok", "--format", "json", "--config", tmp_path / ".vty-auditor.toml")
    assert json.loads(result.stdout)["devices"][0]["status"] == "host-key-mismatch"


def test_enable_secret_from_the_environment(fleet, tmp_path):
    inventory = _inventory(tmp_path / "hosts.yaml", {"enable": fleet["ports"]["enable"]})
    without = cli("scan", "--inventory", inventory, "--format", "json", "--timeout", "2")
    assert json.loads(without.stdout)["devices"][0]["status"] == "command-rejected"  # stuck at `>`
    with_secret = cli("scan", "--inventory", inventory, "--format", "json", "--timeout", "2", secret=True)
    assert with_secret.returncode == 0 and json.loads(with_secret.stdout)["devices"][0]["status"] == "audited"
    wrong = cli("scan", "--inventory", inventory, "--format", "json", "--timeout", "2", env={"VTY_AUDITOR_SECRET": WRONG})
    device = json.loads(wrong.stdout)["devices"][0]
    assert device["status"] == "auth-failed" and "enable secret" in device["error"]


def test_credentials_never_from_arguments_and_required(fleet, tmp_path):
    inventory = _inventory(tmp_path / "hosts.yaml", {"ok": fleet["ports"]["ok"]})
    missing = cli("scan", "--inventory", inventory, env={"VTY_AUDITOR_PASSWORD": ""})
    assert missing.returncode == 2 and "VTY_AUDITOR_PASSWORD" in missing.stderr
    assert cli("scan", "--inventory", inventory, "--password", PASSWORD).returncode == 2  # no such option


def test_usage_errors(fleet, tmp_path):
    bad = tmp_path / "hosts.yaml"
    bad.write_text("r1:\n  hostname: a\n  colour: red\n  port: 99999\n")  # an unknown key is Nornir's to ignore; a bad port is not
    result = cli("scan", "--inventory", bad)
    assert result.returncode == 2 and "hosts.yaml:4: r1: port:" in result.stderr and "colour" not in result.stderr
    assert cli("scan", "--inventory", fleet["inventory"], "--limit", "nothing-matches").returncode == 2
    assert cli("scan", "--inventory", fleet["inventory"], str(TELNET)).returncode == 2
    assert cli("scan", "--inventory", fleet["inventory"], "--workers", "0").returncode == 2
    (tmp_path / "a-file").write_text("")
    assert cli("pull", "--inventory", fleet["inventory"], "--save-dir", tmp_path / "a-file" / "sub").returncode == 2
    made = cli("pull", "--inventory", fleet["inventory"], "--limit", "ok", "--save-dir", tmp_path / "new" / "dir")
    assert made.returncode == 0 and (tmp_path / "new" / "dir" / "ok.cfg").is_file()  # created when missing
    assert cli("scan", "--inventory", fleet["inventory"], "--known-hosts", tmp_path / "missing").returncode == 2


def test_transient_failures_are_retried_once(fleet):
    from pydantic import SecretStr

    from auditor.inventory import Host
    from auditor.pull import Credentials, PullSettings, pull_one

    credentials = Credentials(username="admin", password=SecretStr(PASSWORD))
    settings = PullSettings(timeout=1, retries=1, retry_delay=0)
    host = lambda name: Host(name=name, hostname="127.0.0.1", port=fleet["ports"][name])  # noqa: E731
    silent = pull_one(host("no-banner"), credentials, settings)
    assert (silent.status.value, silent.attempts) == ("ssh-error", 2)
    rejected = pull_one(host("wrong-password"), credentials, settings)
    assert (rejected.status.value, rejected.attempts) == ("auth-failed", 1)  # retrying cannot help
    ok = pull_one(host("ok"), credentials, settings)
    assert (ok.status.value, ok.attempts) == ("audited", 1) and ok.config.rstrip().endswith(b"end")


def _in_empty_network_namespace(*args) -> subprocess.CompletedProcess:
    """Run the CLI in a new network namespace: no interfaces, so no packet can leave it."""
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-n", "true"], capture_output=True).returncode != 0:
        pytest.skip("cannot create a network namespace here (unshare -n not permitted)")
    exe = shutil.which("vty-auditor")
    env = dict(os.environ, VTY_AUDITOR_USERNAME="admin", VTY_AUDITOR_PASSWORD=PASSWORD)
    return subprocess.run([unshare, "-n", exe, *map(str, args)], capture_output=True, text=True, env=env, timeout=120)


def test_dns_failure_and_no_route_in_an_empty_namespace(tmp_path):
    # Inside the namespace the resolver's server is unreachable, so the lookup fails
    # locally (and the documentation prefix 192.0.2.0/24 has no route): nothing is sent.
    inventory = tmp_path / "hosts.yaml"
    inventory.write_text("gone:\n  hostname: no-such-device.invalid\nnoroute:\n  hostname: 192.0.2.10\n")
    result = _in_empty_network_namespace("scan", "--inventory", inventory, "--format", "json", "--timeout", "2", "--retries", "0")
    status = {d["source"]: d["status"] for d in json.loads(result.stdout)["devices"]}
    assert status == {"gone": "dns-failure", "noroute": "unreachable-no-route"}
    assert result.returncode == 3


def test_scale_two_hundred_devices_with_the_default_workers(keys, tmp_path):
    """Every one of 200 simulated devices is pulled and audited in one scan (figures: bench/pull.py)."""
    configs = [TELNET, CLEAN]
    specs = [_device(f"r{i:03}", "ok", keys, config=configs[i % 2]) for i in range(200)]
    with devices(specs, tmp_path) as ports:
        inventory = _inventory(tmp_path / "hosts.yaml", ports)
        result = cli("scan", "--inventory", inventory, "--format", "json")
    report = json.loads(result.stdout)
    assert result.returncode == 1, result.stderr  # half of them accept Telnet
    assert [d["source"] for d in report["devices"]] == sorted(ports)
    assert {d["status"] for d in report["devices"]} == {"audited"}
    assert sum(bool(d["findings"]) for d in report["devices"]) == 100


def test_hidden_prompt_on_a_terminal(fleet, tmp_path):
    """With a terminal and no credentials in the environment, the user is asked; the password is not echoed."""
    import pty
    import select

    inventory = _inventory(tmp_path / "hosts.yaml", {"ok": fleet["ports"]["ok"]})
    env = {k: v for k, v in os.environ.items() if not k.startswith("VTY_AUDITOR_")}
    pid, fd = pty.fork()
    if pid == 0:  # the child: the CLI on the terminal
        os.execve(shutil.which("vty-auditor"), ["vty-auditor", "scan", "--inventory", str(inventory), "--timeout", "5", "--output", str(tmp_path / "report.txt")], env)
    seen = b""
    answers = [(b"Username", b"admin\n"), (b"Password", PASSWORD.encode() + b"\n")]
    while True:
        ready, _, _ = select.select([fd], [], [], 60)
        assert ready, f"no output from the CLI: {seen!r}"
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
        if answers and answers[0][0] in seen.split(b"\n")[-1]:
            os.write(fd, answers.pop(0)[1])
    _, status = os.waitpid(pid, 0)
    assert answers == [], seen
    assert PASSWORD.encode() not in seen  # not echoed
    assert os.waitstatus_to_exitcode(status) == 1  # audited: the Telnet fixture has findings
    assert "VTY001" in (tmp_path / "report.txt").read_text()


def test_scan_with_probe_holds_the_wire_against_the_config(fleet, tmp_path):
    """`enable` runs clean-ssh-only (Telnet denied everywhere); a Telnet listener answers on its address."""
    import socket
    import threading

    telnet = socket.socket()
    telnet.bind(("127.0.0.1", 0))
    telnet.listen(8)

    def serve():
        while True:
            try:
                conn, _ = telnet.accept()
            except OSError:
                return
            conn.sendall(b"\xff\xfb\x01\xff\xfb\x03")
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    try:
        result = _scan(fleet, "--probe", "--telnet-port", telnet.getsockname()[1], limit=("enable", "refused"))
    finally:
        telnet.close()
    devices = {d["source"]: d for d in json.loads(result.stdout)["devices"]}
    enable = devices["enable"]
    assert enable["status"] == "audited"
    assert sorted(f["rule_id"] for f in enable["findings"]) == ["NET001", "NET004"]
    assert {p["role"]: (p["outcome"], p["banner_kind"]) for p in enable["probe"]} == {"telnet": ("open", "telnet"), "ssh": ("open", "ssh")}
    refused = devices["refused"]  # not pulled, but the wire says why: nothing listens on its SSH port
    # (both simulated devices share 127.0.0.1, so the Telnet listener answers for it too)
    assert refused["status"] == "unreachable-refused" and [f["rule_id"] for f in refused["findings"]] == ["NET001", "NET003"]
    assert result.returncode == 3


def test_public_corpus_pulled_through_simulated_devices_matches_the_files(keys, tmp_path):
    """Every complete IOS config of ../shared/corpus, served by a simulated device, is pulled and
    audited to the same findings as the file itself (banners, odd bytes, long configs included)."""
    from conftest import CORPUS

    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus/ioscfg is not beside the checkout")
    files = []
    for path in sorted(CORPUS.iterdir()):
        if not path.is_file() or path.suffix == ".md":
            continue
        text = path.read_bytes().decode("utf-8", "replace").rstrip()
        # a device always ends its config with `end` and prints no prompt inside it
        if text.endswith("\nend") and not any(line.rstrip().endswith("#") and " " not in line.strip() for line in text.splitlines()):
            if audit(path.read_bytes()).status is DeviceStatus.AUDITED:
                files.append(path)
    assert len(files) >= 50
    specs = [_device(f"c{i:03}", "ok", keys, config=path) for i, path in enumerate(files)]
    with devices(specs, tmp_path) as ports:
        result = cli("scan", "--inventory", _inventory(tmp_path / "hosts.yaml", ports), "--format", "json", "--timeout", "10")
    report = json.loads(result.stdout)
    for device, path in zip(report["devices"], files):
        expected = audit(path.read_bytes())
        assert device["status"] == "audited", (path.name, device["error"])
        assert sorted((f["rule_id"], f["section"]) for f in device["findings"]) == sorted((f.rule_id, f.section) for f in expected.findings), path.name


def test_a_silent_port_is_one_fault_with_one_message():
    """A loopback port that accepts TCP and never sends an SSH banner, reached through netmiko with
    two timeouts: the fault surfaces as paramiko's banner error or as netmiko's "No existing
    session", depending on which thread saw it first; both read the same."""
    import logging
    import socket
    import threading

    import paramiko
    from netmiko import ConnectHandler

    from auditor.inventory import Host
    from auditor.pull import classify

    logging.getLogger("paramiko").setLevel(logging.CRITICAL)  # its transport thread logs the banner error
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held = []
    threading.Thread(target=lambda: [held.append(server.accept()) for _ in range(8)], daemon=True).start()
    port = server.getsockname()[1]
    host = Host(name="r1", hostname="127.0.0.1", port=port, platform="ios")
    messages = set()
    for seconds in (1, 2):
        try:
            ConnectHandler(
                device_type="cisco_ios",
                host="127.0.0.1",
                port=port,
                username="u",
                password="p",
                timeout=seconds,
                banner_timeout=seconds,
                auth_timeout=seconds,
                conn_timeout=seconds,
                use_keys=False,
                allow_agent=False,
            )
        except Exception as exc:
            messages.add(classify(exc, host))
    messages.add(classify(paramiko.SSHException("Error reading SSH protocol banner"), host))
    server.close()
    assert len(messages) == 1, messages
    assert "accepted TCP but no SSH session came up" in messages.pop()[1]
