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
    # Every file is audited, NX-OS included, with the platform SOURCES.md gives it (IOS and IOS-XE
    # are one reader, whose release heuristics decide the label; the file labelled `unknown` is IOS
    # syntax with stray NX-OS `feature` lines, and stays IOS).
    assert {name for name, d in statuses.items() if d["status"] != "audited"} == set()
    nxos = {name for name, d in statuses.items() if d["platform"] == "nxos"}
    assert nxos == _nxos_files() and len(nxos) == 10
    assert all(d["platform"] in ("ios", "iosxe") for name, d in statuses.items() if name not in nxos)
    assert all(d["platform_evidence"] for d in statuses.values())
    assert result.exit_code == 1


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


def test_corpus_nxos_findings():
    """NX-OS files get real findings: Telnet enabled, unfenced VTY, undefined ACL."""
    result = CliRunner().invoke(app, ["scan", str(CORPUS), "--include", "*", "--exclude", "SOURCES.md", "-f", "json"])
    data = json.loads(result.output)
    # `feature telnet` (line 28) with no access-class
    assert _rules(data, "ciscoconfparse__sample_01.nxos.cfg") == [("VTY001", "line vty"), ("VTY003", "line vty")]
    # `ipv6 access-class VTY_ACL6 in` names an ACL that is not defined; VTY_ACL (10.0.0.0/8) fences IPv4
    assert _rules(data, "batfish__nxos_line.cfg") == [("VTY004", "line vty")]
    # `no feature telnet`, and `access-class Mgmt in` with no `ip access-list Mgmt`
    assert _rules(data, "oxidized__nxos_N5548_7.3.13_output.txt.cfg") == [("VTY004", "line vty")]
    # hashed `password 5` users are no finding; the default SSH server with no fence is
    assert _rules(data, "network-importer__nyc-leaf-01.conf.cfg") == [("VTY003", "line vty")]
    telnet = next(d for d in data["devices"] if d["source"].endswith("ciscoconfparse__sample_01.nxos.cfg"))
    assert "no feature telnet" in telnet["remediation"] and "copy running-config startup-config" in telnet["remediation"]
