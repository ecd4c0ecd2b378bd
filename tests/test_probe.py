"""`vty-auditor probe` and the wire rules, against real sockets on 127.0.0.1 only.

Outcomes that need a network (a name that does not resolve, no route) are
produced inside a network namespace the test creates (`unshare -n`): it has no
interface at all, so nothing can leave it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.engine import audit
from auditor.findings import BannerKind, PortOutcome
from auditor.probe import Target, classify_banner, ports_for, probe_all
from conftest import FIXTURES

runner = CliRunner()

SSH2 = b"SSH-2.0-OpenSSH_9.6\r\n"
SSH199 = b"SSH-1.99-Cisco-1.25\r\n"
IAC = b"\xff\xfb\x01\xff\xfb\x03\xff\xfd\x18"


class Listener:
    """A TCP listener on 127.0.0.1 that greets each connection with `payload` (or says nothing)."""

    def __init__(self, payload: bytes = b"", backlog_full: bool = False):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        self.received = bytearray()
        if backlog_full:
            # A full accept queue that is never drained: Linux drops further SYNs, so
            # the connect times out exactly as behind a dropping firewall.
            self.sock.listen(0)
            self.held.append(socket.create_connection(("127.0.0.1", self.port)))
            return
        self.sock.listen(16)
        threading.Thread(target=self._serve, args=(payload,), daemon=True).start()

    def _serve(self, payload: bytes) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            if payload:
                conn.sendall(payload)
            conn.settimeout(2)
            try:
                data = conn.recv(100)  # anything the prober sends (it must send nothing)
                self.received += data
            except OSError:
                pass
            conn.close()

    def close(self) -> None:
        for s in self.held:
            s.close()
        self.sock.close()


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.fixture(scope="module")
def listeners():
    made = {
        "ssh2": Listener(SSH2),
        "ssh199": Listener(SSH199),
        "telnet": Listener(IAC),
        "silent": Listener(b""),
        "blackhole": Listener(backlog_full=True),
    }
    yield made
    for listener in made.values():
        listener.close()


def test_banner_classification():
    assert classify_banner(SSH2) == (BannerKind.SSH, "SSH-2.0-OpenSSH_9.6", "2.0")
    assert classify_banner(SSH199)[2] == "1.99"
    assert classify_banner(b"SSH-1.5-old\r\n")[2] == "1.5"
    kind, text, _ = classify_banner(IAC)
    assert kind is BannerKind.TELNET and "IAC ff fb 01" in text
    kind, text, _ = classify_banner(b"220 mail.example ESMTP\r\n\x1b[31m" + b"x" * 200)
    assert kind is BannerKind.OTHER and text.startswith("220 mail.example ESMTP") and len(text) <= 80 and "\x1b" not in text
    assert classify_banner(b"")[0] is BannerKind.NONE


def test_every_outcome_and_banner_on_loopback(listeners):
    refused = _closed_port()
    ports = {name: listener.port for name, listener in listeners.items()}
    target = Target(name="lo", host="127.0.0.1", ports=ports_for((ports["telnet"],), (ports["ssh2"],), (ports["ssh199"], ports["silent"], ports["blackhole"], refused)))
    (result,) = probe_all([target], timeout=1.0, banner_wait=0.5)
    by_port = {p.port: p for p in result.ports}
    assert (by_port[ports["telnet"]].outcome, by_port[ports["telnet"]].banner_kind) == (PortOutcome.OPEN, BannerKind.TELNET)
    assert by_port[ports["telnet"]].role == "telnet"
    assert (by_port[ports["ssh2"]].banner_kind, by_port[ports["ssh2"]].ssh_version, by_port[ports["ssh2"]].role) == (BannerKind.SSH, "2.0", "ssh")
    assert by_port[ports["ssh199"]].ssh_version == "1.99"
    assert (by_port[ports["silent"]].outcome, by_port[ports["silent"]].banner_kind) == (PortOutcome.OPEN, BannerKind.NONE)
    assert by_port[ports["blackhole"]].outcome is PortOutcome.TIMEOUT
    assert by_port[refused].outcome is PortOutcome.REFUSED
    assert all(p.address == "127.0.0.1" for p in result.ports)


def test_nothing_is_sent(listeners):
    silent = listeners["silent"]
    probe_all([Target(name="lo", host="127.0.0.1", ports=((silent.port, "other"),))], timeout=1.0, banner_wait=0.3)
    probe_all([Target(name="lo", host="127.0.0.1", ports=((listeners["ssh2"].port, "ssh"),))], timeout=1.0, banner_wait=0.3)
    assert bytes(silent.received) == b"" and bytes(listeners["ssh2"].received) == b""


def _probe_cli(listeners, *extra, telnet="telnet", ssh="ssh2"):
    return runner.invoke(app, ["probe", "127.0.0.1", "--telnet-port", str(listeners[telnet].port), "--ssh-port", str(listeners[ssh].port), "--timeout", "1", *extra])


def test_net_findings_in_every_format_and_exit_codes(listeners):
    result = _probe_cli(listeners, "--format", "json", ssh="ssh199")
    assert result.exit_code == 1
    device = json.loads(result.stdout)["devices"][0]
    assert device["status"] == "audited" and device["source"] == "127.0.0.1"
    assert sorted(f["rule_id"] for f in device["findings"]) == ["NET001", "NET002"]
    assert {p["role"]: p["outcome"] for p in device["probe"]} == {"telnet": "open", "ssh": "open"}
    for fmt, marker in (("text", "NET001 telnet-port-open"), ("sarif", '"ruleId": "NET002"'), ("junit", 'type="NET001"'), ("github", "title=NET001 telnet-port-open")):
        out = _probe_cli(listeners, "--format", fmt, ssh="ssh199")
        assert out.exit_code == 1 and marker in out.stdout, fmt
    # SSH v2 only and Telnet refused: clean
    clean = runner.invoke(app, ["probe", "127.0.0.1", "--telnet-port", str(_closed_port()), "--ssh-port", str(listeners["ssh2"].port)])
    assert clean.exit_code == 0, clean.stdout
    assert "refused: host reached, nothing listening" in clean.stdout and "SSH-2.0-OpenSSH_9.6" in clean.stdout
    assert _probe_cli(listeners, "--ignore", "NET", ssh="ssh199").exit_code == 0


def test_ssh_unreachable_explains_refused_and_timeout(listeners):
    refused = runner.invoke(app, ["probe", "127.0.0.1", "--telnet-port", str(_closed_port()), "--ssh-port", str(_closed_port()), "-f", "json"])
    finding = json.loads(refused.stdout)["devices"][0]["findings"][0]
    assert finding["rule_id"] == "NET003" and "nothing listens" in finding["message"]
    dropped = _probe_cli(listeners, "-f", "json", telnet="silent", ssh="blackhole")
    messages = {f["rule_id"]: f["message"] for f in json.loads(dropped.stdout)["devices"][0]["findings"]}
    assert "dropped on the path" in messages["NET003"] and "NET001" in messages  # a silent listener on 23 is still open


def test_sarif_of_wire_findings_is_valid(listeners):
    import jsonschema

    from conftest import DATA

    schema = json.loads((DATA / "sarif-2.1.0.json").read_text())
    out = _probe_cli(listeners, "-f", "sarif", ssh="ssh199")
    doc = json.loads(out.stdout)
    jsonschema.validate(doc, schema)
    assert all("region" not in r["locations"][0]["physicalLocation"] for r in doc["runs"][0]["results"])


def test_usage_errors():
    assert runner.invoke(app, ["probe"]).exit_code == 2
    assert runner.invoke(app, ["probe", "127.0.0.1", "--port", "70000"]).exit_code == 2
    assert runner.invoke(app, ["probe", "127.0.0.1", "--select", "NOPE"]).exit_code == 2
    assert runner.invoke(app, ["scan", str(FIXTURES / "clean-ssh-only.cfg"), "--probe"]).exit_code == 2


def _wire(listeners, telnet_port: int, ssh_port: int):
    (result,) = probe_all([Target(name="r1", host="127.0.0.1", ports=ports_for((telnet_port,), (ssh_port,)))], timeout=1.0, banner_wait=0.5)
    return result


def test_config_wire_mismatch(listeners):
    clean = (FIXTURES / "clean-ssh-only.cfg").read_bytes()  # every VTY line: transport input ssh
    telnet_cfg = (FIXTURES / "telnet-explicit.cfg").read_bytes()  # VTY lines accept Telnet
    telnet_open = _wire(listeners, listeners["telnet"].port, listeners["ssh2"].port)
    ids = lambda report: sorted(f.rule_id for f in report.findings)  # noqa: E731
    # config denies Telnet, the wire accepts it: NET001 and NET004 at the VTY line
    report = audit(clean, source="r1", wire=telnet_open)
    assert ids(report) == ["NET001", "NET004"]
    mismatch = next(f for f in report.findings if f.rule_id == "NET004")
    assert mismatch.line > 0 and "denies Telnet" in mismatch.message and report.probe == telnet_open.ports
    # the config accepts Telnet: the wire agrees, no NET004 (VTY001 and NET001 say it)
    assert "NET004" not in ids(audit(telnet_cfg, source="r1", wire=telnet_open))
    # the config accepts SSH but the SSH port is refused
    ssh_refused = _wire(listeners, _closed_port(), _closed_port())
    report = audit(clean, source="r1", wire=ssh_refused)
    assert ids(report) == ["NET003", "NET004"] and "accepts SSH" in next(f.message for f in report.findings if f.rule_id == "NET004")
    # consistent wire and config: nothing from the wire rules
    consistent = _wire(listeners, _closed_port(), listeners["ssh2"].port)
    assert audit(clean, source="r1", wire=consistent).findings == ()


def _in_empty_namespace(args) -> subprocess.CompletedProcess:
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-n", "true"], capture_output=True).returncode != 0:
        pytest.skip("cannot create a network namespace here (unshare -n not permitted)")
    return subprocess.run([unshare, "-n", shutil.which("vty-auditor"), *args], capture_output=True, text=True, timeout=120, env=dict(os.environ))


def test_unresolved_and_unreachable_in_an_empty_namespace():
    # The namespace has no interface: the resolver's server is unreachable (the lookup
    # fails locally) and 192.0.2.0/24 (documentation prefix) has no route. Nothing is sent.
    result = _in_empty_namespace(["probe", "no-such-device.invalid", "192.0.2.10", "-f", "json", "--timeout", "1"])
    devices = {d["source"]: d for d in json.loads(result.stdout)["devices"]}
    assert devices["no-such-device.invalid"]["status"] == "dns-failure"
    assert {p["outcome"] for p in devices["no-such-device.invalid"]["probe"]} == {"unresolved"}
    assert {p["outcome"] for p in devices["192.0.2.10"]["probe"]} == {"unreachable"}
    assert result.returncode == 3  # a host could not be probed


def test_ipv6_loopback():
    try:
        server = socket.socket(socket.AF_INET6)
        server.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback here")
    server.listen(4)
    port = server.getsockname()[1]

    def serve():
        conn, _ = server.accept()
        conn.sendall(SSH2)
        conn.close()

    threading.Thread(target=serve, daemon=True).start()
    (result,) = probe_all([Target(name="v6", host="::1", ports=((port, "ssh"),))], timeout=1.0, banner_wait=0.5)
    server.close()
    assert (result.ports[0].outcome, result.ports[0].address, result.ports[0].ssh_version) == (PortOutcome.OPEN, "::1", "2.0")
