"""`merge`: shards of one scan merge into exactly the unsharded report; clashes and bad input are usage errors."""

import json
import os
import shutil
from pathlib import Path

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from auditor.cli import app
from conftest import CORPUS, DATA, FIXTURES

runner = CliRunner()


def _comparable(text: str) -> str:
    """The report without what differs by construction: when it was made, and how (`run`)."""
    data = json.loads(text)
    data.pop("generated_at")
    data.pop("run")
    return json.dumps(data)


def _scan(paths, *extra) -> str:
    result = runner.invoke(app, ["scan", *map(str, paths), "-f", "json", "--isolated", "--jobs", "1", *extra])
    assert result.exit_code in (0, 1, 3), result.output
    return result.stdout


def _merge(tmp_path, texts, *extra):
    files = []
    for k, text in enumerate(texts, 1):
        files.append(tmp_path / f"part{k}.json")
        files[-1].write_text(text)
    return runner.invoke(app, ["merge", *map(str, files), *extra])


def test_shards_merged_equal_the_unsharded_scan(tmp_path):
    paths = [FIXTURES] + ([CORPUS] if CORPUS.is_dir() else [])
    extra = ("--include", "*", "--exclude", "SOURCES.md") if CORPUS.is_dir() else ()
    whole = _scan(paths, *extra)
    for n in (2, 3, 5):
        parts = [_scan(paths, *extra, "--shard", f"{k}/{n}") for k in range(1, n + 1)]
        merged = _merge(tmp_path, parts)
        assert merged.exit_code == runner.invoke(app, ["scan", *map(str, paths), *extra, "--isolated"]).exit_code
        assert _comparable(merged.stdout) == _comparable(whole), n
        run = json.loads(merged.stdout)["run"]
        assert run["command"] == "merge" and [p["shard"] for p in run["parts"]] == [f"{k}/{n}" for k in range(1, n + 1)]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    picks=st.lists(st.sampled_from(sorted(p.name for p in FIXTURES.iterdir())), min_size=1, max_size=12),
    names=st.lists(st.text("abcxyz-_.", min_size=1, max_size=6), min_size=12, max_size=12, unique=True),
    n=st.integers(1, 6),
)
def test_generated_fleets_merge_whatever_the_shard_count(tmp_path, picks, names, n):
    fleet = tmp_path / "fleet"
    shutil.rmtree(fleet, ignore_errors=True)
    for i, (pick, name) in enumerate(zip(picks, names)):
        folder = fleet / ("dc" if i % 2 else "edge")
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / pick, folder / f"{name}.cfg")
    whole = _scan([fleet])
    parts = [_scan([fleet], "--shard", f"{k}/{n}") for k in range(1, n + 1)]
    assert _comparable(_merge(tmp_path, parts).stdout) == _comparable(whole)


def test_the_same_device_twice_names_both_files_and_bad_input_is_a_usage_error(tmp_path):
    part = _scan([FIXTURES / "telnet-explicit.cfg"])
    clash = _merge(tmp_path, [part, part])
    assert clash.exit_code == 2 and "telnet-explicit.cfg" in clash.output and "part1.json and" in clash.output
    not_json = _merge(tmp_path, ["{not json"])
    assert not_json.exit_code == 2 and "not JSON" in not_json.output
    future = json.loads(part)
    future["schema_version"] = 99
    assert "schema_version 99" in _merge(tmp_path, [json.dumps(future)]).output
    assert runner.invoke(app, ["merge", str(tmp_path / "missing.json")]).exit_code == 2
    # a FIFO or a device is refused, never read (it could block, or never end)
    fifo = tmp_path / "part.fifo"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        result = runner.invoke(app, ["merge", str(path)])
        assert result.exit_code == 2 and "not a regular file" in result.output


def test_a_merged_report_renders_every_format_and_keeps_the_exit_code(tmp_path):
    clean = _scan([FIXTURES / "clean-ssh-only.cfg"])
    assert _merge(tmp_path, [clean]).exit_code == 0
    parts = [clean, _scan([FIXTURES / "nxos-telnet-open.cfg"]), _scan([DATA / "ambiguous.cfg"])]
    for fmt in ("json", "text", "sarif", "junit", "github", "html", "concise"):
        result = _merge(tmp_path, parts, "-f", fmt)
        assert result.exit_code == 3, fmt  # one input was not audited: incomplete, as the scan said
        assert "nxos-telnet-open.cfg" in result.stdout, fmt
    sarif = json.loads(_merge(tmp_path, parts, "-f", "sarif").stdout)
    jsonschema.Draft7Validator(json.loads((DATA / "sarif-2.1.0.json").read_text())).validate(sarif)
    merged = json.loads(_merge(tmp_path, parts).stdout)
    jsonschema.Draft7Validator(json.loads((FIXTURES.parent / "docs" / "report.schema.json").read_text())).validate(merged)
    # suppressed findings survive the round trip with their message and reason
    lab = json.loads(_merge(tmp_path, [_scan([FIXTURES / "suppressed-lab.cfg"])]).stdout)["devices"][0]
    assert lab["suppressed"] and all(s["message"] and s["severity"] for s in lab["suppressed"])


def test_a_baseline_entry_is_stale_only_if_every_part_found_it_stale(tmp_path):
    baseline = tmp_path / "baseline.json"
    assert runner.invoke(app, ["baseline", "create", str(FIXTURES / "telnet-explicit.cfg"), str(FIXTURES / "passwords.cfg"), "-o", str(baseline)]).exit_code == 0
    one = _scan([FIXTURES / "telnet-explicit.cfg"], "--baseline", str(baseline))
    two = _scan([FIXTURES / "passwords.cfg"], "--baseline", str(baseline))
    assert json.loads(one)["stale_baseline"] and json.loads(two)["stale_baseline"]  # each sees only its own devices
    assert json.loads(_merge(tmp_path, [one, two]).stdout)["stale_baseline"] == []


def test_a_missing_shard_is_an_error_unless_allowed_and_then_named(tmp_path):
    """Issue 31: shards 1/3 and 3/3 merged exited 0 with no word of the missing 2/3."""
    parts = [_scan([FIXTURES], "--shard", f"{k}/3") for k in (1, 3)]
    refused = _merge(tmp_path, parts)
    assert refused.exit_code == 2 and "2/3 missing" in refused.output
    files = []
    for i, text in enumerate(parts):
        path = tmp_path / f"part{i}.json"
        path.write_text(text)
        files.append(str(path))
    allowed = runner.invoke(app, ["merge", *files, "--allow-partial"])
    assert allowed.exit_code == 3, allowed.output
    assert json.loads(allowed.stdout)["run"]["missing_shards"] == ["2/3"]
    twice = _merge(tmp_path, [parts[0], parts[0]])
    assert twice.exit_code == 2


def test_parts_that_outgrow_the_memory_budget_are_a_usage_error_not_a_crash(tmp_path):
    import subprocess
    import sys

    from auditor.batch import _address_space

    if _address_space() is None:
        import pytest

        pytest.skip("no address-space accounting here (Linux /proc)")
    # A valid report: 3,000 devices, each with the findings and scripts of telnet-explicit.cfg.
    # Parsed into report objects it needs several times its size on disk.
    part = json.loads(_scan([FIXTURES / "telnet-explicit.cfg"]))
    device = part["devices"][0]
    part["devices"] = [{**device, "source": f"site{i}/r{i}.cfg"} for i in range(3000)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(part))
    # merge itself, in its own process, with its budget lowered to 48 MiB (the shipped one is 2 GiB)
    code = "import sys; import auditor.cli.merge_cmd as m; m.MERGE_MEMORY = 48 * 2**20; from auditor.cli import main; sys.argv = ['vty-auditor', 'merge', sys.argv[1], '-f', 'concise']; main()"
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 2, out.stderr[-500:]
    assert "memory budget" in out.stderr and "Traceback" not in out.stderr
    # the same part within the shipped budget merges
    ok = subprocess.run([sys.executable, "-m", "auditor", "merge", str(path), "-f", "concise"], capture_output=True, text=True, timeout=300)
    assert ok.returncode == 1 and "3000 input(s)" in ok.stdout, ok.stderr[-500:]
