"""Host keys: trust on first use by default, a changed key is refused before any credential is sent."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading

from auditor.hostkeys import entry_name, remember
from test_pull import _device, _inventory, _keypair, cli, devices


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_first_use_records_the_key_and_a_new_key_later_is_refused_without_a_credential(tmp_path):
    state = tmp_path / "state"
    log = tmp_path / "auth.log"
    port = _free_port()
    first, second = tmp_path / "key1", tmp_path / "key2"
    public = _keypair(first)
    _keypair(second)
    keys = {"device": (first, public)}
    spec = _device("r1", "ok", keys, port=port, auth_log=str(log))
    with devices([spec], tmp_path) as ports:
        inventory = _inventory(tmp_path / "hosts.yaml", ports)
        run = cli("scan", "--inventory", inventory, "--timeout", "5", "-f", "json", env={"XDG_STATE_HOME": str(state)})
        assert json.loads(run.stdout)["devices"][0]["status"] == "audited", run.stderr
    known = (state / "vty-auditor" / "known_hosts").read_text()
    assert known == f"[127.0.0.1]:{port} {public}\n"
    assert log.read_text().count("password attempt") == 1
    log.unlink()
    # The same device, restarted with another key on the same port: an impostor as far as we know.
    with devices([{**spec, "hostkey": str(second)}], tmp_path) as ports:
        assert ports["r1"] == port
        run = cli("scan", "--inventory", inventory, "--timeout", "5", "-f", "json", env={"XDG_STATE_HOME": str(state)})
        device = json.loads(run.stdout)["devices"][0]
        assert device["status"] == "host-key-mismatch" and run.returncode == 3
        # the message names the file holding the recorded key, and how to forget it on purpose
        recorded = state / "vty-auditor" / "known_hosts"
        assert str(recorded) in device["error"] and f"ssh-keygen -R '[127.0.0.1]:{port}' -f {recorded}" in device["error"]
        assert not log.exists()  # no password was offered to it
        # The explicit opt-out is announced, and then the key is not checked.
        run = cli("scan", "--inventory", inventory, "--timeout", "5", "-f", "json", "--accept-any-host-key", env={"XDG_STATE_HOME": str(state)})
        assert json.loads(run.stdout)["devices"][0]["status"] == "audited" and "--accept-any-host-key" in run.stderr
    assert (state / "vty-auditor" / "known_hosts").read_text() == known  # nothing learnt without checking


def test_accept_any_and_known_hosts_together_are_a_usage_error(tmp_path):
    known = tmp_path / "known"
    known.write_text("")
    inventory = tmp_path / "hosts.txt"
    inventory.write_text("127.0.0.1\n")
    run = cli("scan", "--inventory", inventory, "--known-hosts", known, "--accept-any-host-key")
    assert run.returncode == 2 and "contradict" in run.stderr


def test_concurrent_recording_keeps_every_key(tmp_path):
    """Workers and runs recording at once lose no entry."""
    path = tmp_path / "known_hosts"
    keys = {}
    specs = []
    for i in range(12):
        public = _keypair(tmp_path / f"k{i}")
        keys[f"d{i}"] = public
        specs.append(_device(f"d{i}", "ok", {"device": (tmp_path / f"k{i}", public)}))
    with devices(specs, tmp_path) as ports:
        values = list(ports.values())
        # half by threads of this process, half by other processes, all at once
        threads = [threading.Thread(target=remember, args=(path, "127.0.0.1", port, 5.0)) for port in values[:6]]
        code = "import sys; from pathlib import Path; from auditor.hostkeys import remember; remember(Path(sys.argv[1]), '127.0.0.1', int(sys.argv[2]), 5.0)"
        others = [subprocess.Popen([sys.executable, "-c", code, str(path), str(port)]) for port in values[6:]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert all(process.wait(60) == 0 for process in others)
    lines = sorted(path.read_text().splitlines())
    assert lines == sorted(f"{entry_name('127.0.0.1', ports[name])} {keys[name]}" for name in ports)
