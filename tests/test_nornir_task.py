"""The Nornir task: a Nornir run over the simulated fleet gives the reports `scan --inventory` gives."""

from __future__ import annotations

import json

import pytest
from nornir import InitNornir

from auditor.nornir import vty_audit
from auditor.pull import PullError, PullSettings, read_running_config
from test_pull import PASSWORD, cli, fleet, keys  # noqa: F401  (module fixtures: the simulated fleet)

NAMES = ("ok", "enable", "paging", "nxos", "asa", "iosxr", "truncated", "wrong-password", "privilege")


def _summary(device: dict) -> tuple:
    return (device["status"], device["hostname"], device["platform"], device["error"], [(f["rule_id"], f["line"], f["section"]) for f in device["findings"]], device["remediation"])


@pytest.fixture()
def nornir(fleet, tmp_path):  # noqa: F811
    nr = InitNornir(
        inventory={"plugin": "SimpleInventory", "options": {"host_file": str(fleet["inventory"]), "group_file": str(tmp_path / "none.yaml"), "defaults_file": str(tmp_path / "none.yaml")}},
        runner={"plugin": "threaded", "options": {"num_workers": 4}},
        logging={"enabled": False},
    )
    nr.inventory.defaults.username, nr.inventory.defaults.password = "admin", PASSWORD
    return nr


def test_a_nornir_run_gives_the_reports_scan_gives(fleet, nornir, tmp_path):  # noqa: F811
    settings = PullSettings(timeout=2, retries=0, tofu_file=tmp_path / "known_hosts")
    results = nornir.filter(filter_func=lambda h: h.name in NAMES).run(task=vty_audit, settings=settings)
    args = ["scan", "--inventory", fleet["inventory"], "--timeout", "2", "--retries", "0", "--format", "json"]
    for name in NAMES:
        args += ["--limit", name]
    scanned = {d["source"]: d for d in json.loads(cli(*args).stdout)["devices"]}
    assert set(results) == set(NAMES) == set(scanned)
    for name, multi in results.items():
        report = multi[0].result
        assert multi.failed == (report.status.value != "audited")
        mine = json.loads(report.model_dump_json())
        assert _summary(mine) == _summary(scanned[name]), name
    assert results["iosxr"][0].result.platform == "iosxr" and results["truncated"].failed


def test_read_running_config_on_a_connection_the_caller_holds(fleet):  # noqa: F811
    from netmiko import ConnectHandler

    def connect(name):
        return ConnectHandler(
            device_type="cisco_ios", host="127.0.0.1", port=fleet["ports"][name], username="admin", password=PASSWORD, use_keys=False, allow_agent=False, ssh_config_file=None, fast_cli=True
        )

    with connect("ok") as conn:
        config = read_running_config(conn, "cisco_ios", timeout=5)
    assert config.rstrip().endswith(b"end") and b"line vty" in config
    with connect("truncated") as conn, pytest.raises(PullError) as info:
        read_running_config(conn, "cisco_ios", timeout=2)
    assert info.value.status.value == "truncated" and "without the final `end`" in info.value.detail
