"""`--shard K/N`: stable shares of the files or inventory hosts that never overlap and cover everything."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from auditor.cli import app
from auditor.cli.options import in_shard
from conftest import CORPUS, FIXTURES


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=20), min_size=1, max_size=60, unique=True), st.integers(1, 7))
def test_shards_partition_any_set_of_names_whatever_the_order(names, n):
    shares = [[x for x in names if in_shard(x, (k, n))] for k in range(1, n + 1)]
    assert sorted(x for share in shares for x in share) == sorted(names)  # cover, no overlap
    assert [x for x in reversed(names) if in_shard(x, (1, n))] == list(reversed(shares[0]))  # order does not matter


def test_sharded_scans_together_equal_the_whole_scan():
    root = CORPUS if CORPUS.is_dir() else FIXTURES
    runner = CliRunner()
    args = ["scan", str(root), "--include", "*.cfg", "-f", "json", "--jobs", "1"]
    whole = json.loads(runner.invoke(app, args).stdout)["devices"]
    parts = [json.loads(runner.invoke(app, args + ["--shard", f"{k}/3"]).stdout)["devices"] for k in (1, 2, 3)]
    merged = sorted((d for part in parts for d in part), key=lambda d: d["source"])
    assert merged == sorted(whole, key=lambda d: d["source"])


def test_a_bad_shard_is_a_usage_error():
    result = CliRunner().invoke(app, ["scan", str(FIXTURES), "--shard", "4/3"])
    assert result.exit_code == 2


def test_inventory_shards_partition_the_hosts(tmp_path):
    """Hosts on loopback port 1 (refused at once): each appears in exactly one shard."""
    names = [f"127.0.0.{i}:1" for i in range(1, 9)]
    inventory = tmp_path / "hosts.txt"
    inventory.write_text("\n".join(names) + "\n")
    env = {"VTY_AUDITOR_USERNAME": "a", "VTY_AUDITOR_PASSWORD": "b"}
    seen = []
    for k in (1, 2, 3):
        result = CliRunner().invoke(app, ["scan", "--inventory", str(inventory), "--shard", f"{k}/3", "--retries", "0", "--timeout", "2", "-f", "json"], env=env)
        devices = json.loads(result.stdout)["devices"]
        assert all(d["status"] == "unreachable-refused" for d in devices)
        assert json.loads(result.stdout)["run"]["shard"] == f"{k}/3"
        seen += [d["source"] for d in devices]
    assert sorted(seen) == sorted(names)
