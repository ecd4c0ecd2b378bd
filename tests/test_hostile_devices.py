"""Hostile devices, through real SSH on 127.0.0.1 (tests/fakeios.py; netmiko not mocked).

A compromised or broken device must not hide from the audit, stall the fleet,
or exhaust the collector.
"""

from __future__ import annotations

import json

from conftest import FIXTURES
from test_pull import _device, _inventory, cli, devices, keys  # noqa: F401  (keys is a fixture)


def test_endless_output_and_an_endless_pager_end_one_device_while_the_fleet_goes_on(keys, tmp_path):  # noqa: F811
    specs = [
        _device("endless", "endless", keys),
        _device("capped", "endless", keys),
        _device("pager", "pager-forever", keys),
        _device("healthy", "ok", keys),
    ]
    with devices(specs, tmp_path) as ports:
        inventory = _inventory(tmp_path / "hosts.yaml", ports)
        run = cli("scan", "--inventory", inventory, "--timeout", "2", "--deadline", "4", "--max-output", "64", "--format", "json", "--limit", "endless", "--limit", "pager", "--limit", "healthy")
        capped = cli("scan", "--inventory", inventory, "--timeout", "5", "--deadline", "60", "--max-output", "1", "--format", "json", "--limit", "capped")
    assert run.returncode == 3, run.stderr
    status = {d["source"]: d for d in json.loads(run.stdout)["devices"]}
    assert status["healthy"]["status"] == "audited" and status["healthy"]["findings"]
    assert status["endless"]["status"] == "timeout" and "deadline" in status["endless"]["error"]
    assert status["pager"]["status"] == "timeout" and "deadline" in status["pager"]["error"]
    only = json.loads(capped.stdout)["devices"][0]
    assert only["status"] == "truncated" and "MiB" in only["error"]


def test_a_device_cannot_hide_its_config_behind_a_prompt_in_a_banner(keys, tmp_path):  # noqa: F811
    config = FIXTURES / "banner-prompt.cfg"
    with devices([_device("core1", "ok", keys, config=config)], tmp_path) as ports:
        run = cli("scan", "--inventory", _inventory(tmp_path / "hosts.yaml", ports), "--timeout", "5", "--format", "json")
    device = json.loads(run.stdout)["devices"][0]
    assert device["status"] == "audited"
    assert {"VTY001", "VTY006", "VTY008"} <= {f["rule_id"] for f in device["findings"] if f["section"] == "line vty 0 4"}


def test_a_markup_like_inventory_name_does_not_crash_the_run(keys, tmp_path):  # noqa: F811
    with devices([_device("edge", "ok", keys)], tmp_path) as ports:
        inventory = tmp_path / "hosts.yaml"
        inventory.write_text(f'"edge[/bold]":\n  hostname: 127.0.0.1\n  port: {ports["edge"]}\n')
        run = cli("scan", "--inventory", inventory, "--timeout", "5", "--format", "text")
    assert run.returncode == 1, run.stderr
    assert "edge[/bold]" in run.stdout and "internal error" not in run.stderr
