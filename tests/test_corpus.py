"""The public corpus beside the project (../shared/corpus/ioscfg): no crash, a status for every file."""

import json

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from conftest import CORPUS

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/ioscfg is not present")


def test_every_corpus_file_is_accounted_for():
    files = sorted(p for p in CORPUS.iterdir() if p.is_file() and p.name != "SOURCES.md")
    result = CliRunner().invoke(app, ["scan", str(CORPUS), "--include", "*", "--exclude", "SOURCES.md", "-f", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    data = json.loads(result.output)
    assert sorted(d["source"] for d in data["devices"]) == sorted(str(p) for p in files)
    statuses = {d["source"].rsplit("/", 1)[-1]: d for d in data["devices"]}
    assert all(d["status"] in ("audited", "unrecognized") for d in statuses.values())
    assert not any((d["error"] or "").startswith("internal error") for d in statuses.values())
    unrecognized = {name for name, d in statuses.items() if d["status"] == "unrecognized"}
    # Only the files SOURCES.md labels NX-OS are not audited, each with its reason.
    assert unrecognized == _nxos_files()
    assert all("NX-OS" in statuses[name]["error"] for name in unrecognized)
    assert result.exit_code == 3


def _nxos_files() -> set[str]:
    names = set()
    for row in (CORPUS.parent / "SOURCES.md").read_text().splitlines():
        cells = [c.strip() for c in row.split("|")]
        if len(cells) > 7 and cells[1].endswith(".cfg") and cells[6] == "nxos":
            names.add(cells[1])
    return names


def _rules(data, name):
    device = next(d for d in data["devices"] if d["source"].endswith(name))
    return sorted((f["rule_id"], f["section"]) for f in device["findings"])


def test_corpus_tricky_cases():
    result = CliRunner().invoke(app, ["scan", str(CORPUS), "--include", "*", "--exclude", "SOURCES.md", "-f", "json"])
    data = json.loads(result.output)
    # vty 0 2 telnet-only, vty 3 5 ssh-only
    assert ("VTY001", "line vty 0 2") in _rules(data, "batfish__lhr-border-02.cfg")
    assert not any(r == "VTY001" and s == "line vty 3 5" for r, s in _rules(data, "batfish__lhr-border-02.cfg"))
    # flattened config: unindented vty sub-commands still apply
    assert ("VTY001", "line vty 0 4") in _rules(data, "internet-rtr01.cfg")
    # undefined ACL on access-class
    assert ("VTY004", "line vty 0 15") in _rules(data, "batfish__ios-line.cfg")
    # transport input telnet only on async lines, not vty: no VTY001
    assert not any(r == "VTY001" for r, _ in _rules(data, "batfish__cisco_line.cfg"))
    # CLI transcript with show version before show run
    assert ("VTY001", "line vty 0 4") in _rules(data, "mpn3__iosv-2_output.txt.cfg")
