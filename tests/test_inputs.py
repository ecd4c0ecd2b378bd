"""Bad input gets a status and a reason, never a traceback and never a silent pass."""

import pytest

from auditor.engine import audit
from auditor.findings import DeviceStatus
from conftest import DATA


@pytest.mark.parametrize(
    "name, reason",
    [
        ("empty.cfg", "empty"),
        ("binary.cfg", "binary"),
        ("show-version.txt", "show version"),
        ("ambiguous.cfg", "ambiguous platform"),
        ("no-lines.cfg", "no `line` sections"),
    ],
)
def test_not_a_config_is_unrecognized(name, reason):
    report = audit((DATA / name).read_bytes(), source=name)
    assert report.status is DeviceStatus.UNRECOGNIZED
    assert reason in report.error
    assert report.findings == ()


def test_latin1_and_crlf_are_audited():
    report = audit(b"hostname r\xe9\r\nline vty 0 4\r\n transport input telnet\r\n access-class 1 in\r\naccess-list 1 permit host 192.0.2.1\r\nline con 0\r\n login local\r\n")
    assert report.status is DeviceStatus.AUDITED
    assert [f.rule_id for f in report.findings] == ["PWD006", "VTY014", "VTY001"]  # telnet only: no SSH, so no VTY010
    assert report.hostname == "r\xe9"
