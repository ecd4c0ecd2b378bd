"""Every config read as its device would take it pasted: flat, deeper or oddly indented text gives
the findings `show running-config` layout gives, and the corpus results stay pinned.

The three layouts, applied to every fixture and corpus file the auditor audits:

* flat: every line's indentation removed (a template or day-0 config as many repositories keep
  them). The findings are the same, except that VTY016 may be added: a sub-command of a mode
  the reader does not model (`host` under `object network`, `use` under a BGP neighbor) reads,
  flat, like an abbreviated global command too, and the tool reports that it cannot tell
  rather than guess. It never loses a finding.
* deeper: every indented line indented three spaces more. Identical.
* indented globals: every single-line global command indented one space, as if typed inside the
  block above. The device runs it in global mode; the findings are identical, compared by rule
  and section (a device-level finding is anchored on the first unindented line, which moves).

Templates with directives (Mako `% if`, Jinja `{%`) are left out: flattening changes what their
directive lines mean.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from auditor.engine import audit
from auditor.findings import DeviceStatus
from conftest import CORPUS, DATA, FIXTURE_FILES

MORE = CORPUS.parent / "more"
PIN = DATA / "pinned-reports.json"


def _inputs() -> list[Path]:
    files = list(FIXTURE_FILES)
    for folder in (CORPUS, MORE):
        if folder.is_dir():
            files += sorted(p for p in folder.iterdir() if p.is_file() and p.name != "SOURCES.md")
    return files


def _lines(data: bytes) -> list[bytes]:
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")


def _flat(data: bytes) -> bytes:
    return b"\n".join(line.lstrip(b" \t") for line in _lines(data))


def _deeper(data: bytes) -> bytes:
    return b"\n".join(b"   " + line if line[:1] in (b" ", b"\t") else line for line in _lines(data))


def _indented_globals(data: bytes) -> bytes:
    lines = _lines(data)
    out = []
    for i, line in enumerate(lines):
        following = next((x for x in lines[i + 1 :] if x.strip() and not x.lstrip().startswith(b"!")), b"")
        single = i > 0 and line[:1] not in (b" ", b"\t", b"!", b":", b"") and following[:1] not in (b" ", b"\t") and not line.lower().startswith((b"banner", b"end", b"version", b"asa version"))
        out.append(b" " + line if single else line)
    return b"\n".join(out)


def _audited() -> list[tuple[Path, bytes, object]]:
    out = []
    for path in _inputs():
        data = path.read_bytes()
        if b"% if" in data or b"{%" in data:
            continue
        report = audit(data, source=path.name)
        if report.status is DeviceStatus.AUDITED:
            out.append((path, data, report))
    return out


@pytest.fixture(scope="module")
def audited():
    return _audited()


def _by_line(report) -> Counter:
    return Counter((f.rule_id, f.line) for f in report.findings)


def test_flat_text_reads_as_the_device_takes_it(audited):
    assert len(audited) > 40
    for path, data, report in audited:
        flat = audit(_flat(data), source=path.name)
        assert (flat.status, flat.platform) == (report.status, report.platform), path.name
        printed, read = _by_line(report), _by_line(flat)
        assert read - printed == Counter({k: n for k, n in (read - printed).items() if k[0] == "VTY016"}), path.name
        assert not printed - read, path.name


def test_deeper_indentation_changes_nothing(audited):
    for path, data, report in audited:
        deeper = audit(_deeper(data), source=path.name)
        assert (deeper.platform, _by_line(deeper)) == (report.platform, _by_line(report)), path.name


def test_indented_global_commands_run_in_global_mode(audited):
    for path, data, report in audited:
        odd = audit(_indented_globals(data), source=path.name)
        assert odd.platform == report.platform, path.name
        assert Counter((f.rule_id, f.section) for f in odd.findings) == Counter((f.rule_id, f.section) for f in report.findings), path.name


@pytest.mark.parametrize(
    "text, rule",
    [
        ("hostname n1\n feature telnet\nline vty\n", "VTY001"),  # NX-OS, one space after hostname
        ("ASA Version 9.8(2)\nhostname a1\n telnet 0.0.0.0 0.0.0.0 outside\n", "VTY001"),
        ("hostname x1\n telnet vrf default ipv4 server max-servers 10\nline default\n", "VTY001"),  # IOS-XR
        ("hostname x1\nssh server v2\nusername cisco\ngroup root-lr\npassword cisco\n", "PWD004"),  # flat IOS-XR user
        ("hostname n1\nfeature telnet\nip access-list A\npermit ip any any\nline vty\naccess-class A in\n", "VTY005"),
    ],
)
def test_each_platform_reads_flat_and_indented_globals(text, rule):
    report = audit(text, source="t.cfg")
    assert report.status is DeviceStatus.AUDITED, report.error
    assert rule in {f.rule_id for f in report.findings}


def test_a_sub_mode_takes_its_own_commands_first():
    from auditor.cli_model import as_pasted
    from auditor.platforms.asa.cli import CLI as ASA
    from auditor.platforms.iosxr.cli import CLI as IOSXR
    from auditor.platforms.nxos.cli import CLI as NXOS

    # `ssh authentication` belongs to `username ... attributes` on the ASA; another `ssh` there is global
    lines = ["username ops attributes", " ssh authentication publickey AAAA", " ssh 0 0 outside", "hostname a1"]
    assert as_pasted(lines, ASA) == ["username ops attributes", " ssh authentication publickey AAAA", "ssh 0 0 outside", "hostname a1"]
    # IOS-XR: `group root-lr` flat after `username` is the user's group; a block printed indented
    # ends at the next unindented line, whatever it is
    assert as_pasted(["username ops", "group root-lr", "!", "password 0 x"], IOSXR) == ["username ops", " group root-lr", "!", " password 0 x"]
    assert as_pasted(["username ops", " group root-lr", "group G1"], IOSXR) == ["username ops", " group root-lr", "group G1"]
    # NX-OS: an unknown indented line stays where it is; a global command after a flat block ends it
    assert as_pasted(["line vty", "access-class A in", "feature telnet", " exec-timeout 5"], NXOS) == ["line vty", " access-class A in", "feature telnet", " exec-timeout 5"]
    # banner bodies are untouched
    assert as_pasted(["banner motd ^C", " feature telnet", "^C"], NXOS) == ["banner motd ^C", " feature telnet", "^C"]


def _digest(report) -> dict:
    """What a report of one input says, readable where it matters (status, platform, findings) and,
    for the rest, a digest of every format's bytes: a change of shape that alters any byte of any
    report of any fixture or corpus file fails the pin."""
    import hashlib

    from auditor.reports import FORMATS, Report, render

    def sha(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:16]

    # the time and the tool's version are set aside: the same input gives the same bytes in every run
    whole = Report(devices=(report,), generated_at="2026-01-01T00:00:00+00:00", tool={"name": "vty-auditor", "version": "pinned"})
    here = os.getcwd()
    os.chdir("/")  # SARIF names the directory it ran in (originalUriBaseIds): the same one on every machine
    try:
        reports = {name: sha(render(name, whole)) for name in sorted(FORMATS)}
    finally:
        os.chdir(here)
    return {
        "status": str(report.status.value),
        "platform": report.platform,
        "findings": sorted(f"{f.rule_id}:{f.line}:{f.section}" for f in report.findings),
        "remediation": sha(report.remediation or ""),
        "reports": reports,
    }


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_fixture_and_corpus_reports_are_pinned():
    """What every fixture and corpus file gives: status, platform, findings, a digest of the
    remediation and of each format's report, byte for byte. A change of shape keeps them all; a
    change that moves any fails here. Regenerate with VTY_AUDITOR_REPIN=1 only for a change meant
    to alter results, and say why in the commit."""
    got = {f"{p.parent.name}/{p.name}": _digest(audit(p.read_bytes(), source=p.name)) for p in _inputs()}
    if os.environ.get("VTY_AUDITOR_REPIN"):
        PIN.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n")
    pinned = json.loads(PIN.read_text())
    changed = sorted(k for k in got.keys() | pinned.keys() if got.get(k) != pinned.get(k))
    assert not changed, changed[:10]
