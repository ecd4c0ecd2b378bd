"""The banner-aware slice gives exactly the findings of a full ciscoconfparse parse."""

import pytest

from auditor.engine import audit
from auditor.parse import relevant_slice
from auditor.rule import AuditOptions
from conftest import CORPUS, FIXTURE_FILES


def _same(data: bytes, name: str):
    for options in (AuditOptions(), AuditOptions(acl_name="MGMT", mgmt_nets=("192.0.2.0/24",))):
        sliced = audit(data, source=name, options=options)
        full = audit(data, source=name, options=options, full_parse=True)
        assert sliced == full, name


def test_slice_equals_full_parse_on_fixtures():
    for path in FIXTURE_FILES:
        _same(path.read_bytes(), path.name)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/ioscfg is not present")
def test_slice_equals_full_parse_on_corpus():
    files = sorted(p for p in CORPUS.iterdir() if p.is_file())
    assert len(files) >= 80
    for path in files:
        _same(path.read_bytes(), path.name)


def test_slice_skips_banner_bodies_and_keeps_flat_line_commands():
    lines = [
        "hostname r",
        "banner motd ^C",
        "line vty 0 4",
        " transport input telnet",
        "^C",
        "interface Gi0/1",
        " description x",
        " ipv6 address 2001:db8::1/64",
        "router ospf 1",
        " network 0.0.0.0 255.255.255.255 area 0",
        "line vty 0 4",
        "transport input ssh",
        "login block-for 1 attempts 1 within 1",
        "interface Gi0/2",
        " ip address 192.0.2.1 255.255.255.0",
    ]
    kept = [i for i, _ in relevant_slice(lines)]
    assert kept == [0, 5, 7, 10, 11, 12]
