"""Property-based tests (hypothesis): mutated fixtures and corpus configs never break the audit.

Every input gets a status, no exception escapes, every report format stays
valid, and rewriting a config the way an attacker might (abbreviations, a
prompt line in a banner) changes nothing the audit finds.
"""

from __future__ import annotations

import json
import re
import xml.dom.minidom

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.engine import audit
from auditor.findings import DeviceStatus
from auditor.reports import Report, render
from conftest import CORPUS, FIXTURE_FILES

SOURCES = [p.read_bytes() for p in FIXTURE_FILES]
if CORPUS.is_dir():
    SOURCES += [p.read_bytes() for p in sorted(CORPUS.iterdir()) if p.is_file() and p.suffix == ".cfg"][:40]

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
NASTY = [
    b"\x00",
    b"\x1b[2J",
    b"\x07",
    b"\r",
    b"\t",
    b"\xff\xfe",
    b"\xc3\x28",
    b"^C",
    b"#",
    b"R1#show run\n",
    b"!",
    b" ",
    b"line vty 0 99999999\n",
    b"exec-timeout \xc2\xb2\n",
    b"9" * 5000,
    b"! vty-auditor: ignore[VTY001]" + b" " * 500 + b"x\n",
]


@st.composite
def mutated(draw):
    data = bytearray(draw(st.sampled_from(SOURCES)))
    lines = data.split(b"\n")
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["insert", "delete", "replace", "shuffle", "dup", "indent", "dedent"]))
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        if op == "insert":
            lines.insert(i, draw(st.sampled_from(NASTY)) + draw(st.binary(max_size=20)))
        elif op == "delete" and lines:
            del lines[i]
        elif op == "replace" and lines:
            line = bytearray(lines[i])
            if line:
                j = draw(st.integers(0, len(line) - 1))
                line[j] = draw(st.integers(0, 255))
            lines[i] = bytes(line)
        elif op == "shuffle" and len(lines) > 1:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "dup" and lines:
            lines.insert(i, lines[i])
        elif op == "indent" and lines:
            lines[i] = b" " * draw(st.integers(1, 40)) + lines[i]
        elif op == "dedent" and lines:
            lines[i] = lines[i].lstrip()
    return b"\n".join(lines)


@FUZZ
@given(mutated())
def test_a_mutated_config_always_gets_a_status_and_valid_reports(data):
    report = audit(data, source="fuzz.cfg")
    assert report.status in (DeviceStatus.AUDITED, DeviceStatus.UNRECOGNIZED)
    assert (report.error is None) == (report.status is DeviceStatus.AUDITED)
    doc = Report(devices=(report,))
    json.loads(render("json", doc))
    json.loads(render("sarif", doc))
    xml.dom.minidom.parseString(render("junit", doc).encode("utf-8"))
    for name in ("text", "github", "html"):
        out = render(name, doc)
        out.encode("utf-8")
        assert "\x1b" not in out and "\x00" not in out


_ABBREVIATE = [
    (r"^(\s*)transport input ", r"\1transp inp "),
    (r"^(\s*)access-class ", r"\1access-cl "),
    (r"^(\s*)exec-timeout ", r"\1exec-t "),
    (r"^(\s*)privilege level ", r"\1privi lev "),
    (r"^(\s*)no login$", r"\1no logi"),
    (r"^line vty ", "lin vty "),
    (r"^username (\S+) privilege ", r"usern \1 priv "),
    (r"^service password-encryption$", "service password-e"),
    (r"^ip access-list standard ", "ip access-l st "),
    (r"^ip ssh version ", "ip ss ver "),
]


def _findings(report):
    return sorted((f.rule_id, f.line, f.section) for f in report.findings)


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_unique_abbreviations_change_no_finding(path):
    text = path.read_text(encoding="latin-1")
    if "ambiguous" in text:
        pytest.skip("the fixture tests ambiguity itself")
    if audit(text.encode("latin-1")).platform in ("nxos", "iosxr"):
        pytest.skip("IOS abbreviations: NX-OS and IOS-XR configs are read as written")
    abbreviated = text
    for pattern, replacement in _ABBREVIATE:
        abbreviated = re.sub(pattern, replacement, abbreviated, flags=re.M)
    assert _findings(audit(abbreviated.encode("latin-1"))) == _findings(audit(text.encode("latin-1")))


@FUZZ
@given(st.sampled_from(SOURCES), st.sampled_from(["^C", "#", "%", "\x03", "$"]), st.sampled_from(["R1#show running-config", "CORE-1#sh run", "sw1#show startup-config"]))
def test_a_prompt_in_a_banner_hides_nothing(data, delimiter, prompt):
    before = audit(data)
    if before.status is not DeviceStatus.AUDITED:
        return
    text = data.decode("latin-1").replace("\r\n", "\n").rstrip("\n")
    banner = f"banner exec {delimiter}\n{prompt}\n{delimiter}"
    after = audit((text + "\n" + banner + "\n").encode("latin-1"))
    assert after.status is DeviceStatus.AUDITED
    assert set(_findings(before)) <= set(_findings(after))
