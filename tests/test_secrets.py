"""No password, secret or key value appears in any output format."""

import re

import pytest

from auditor.engine import audit
from auditor.masking import mask_secrets
from auditor.reports import FORMATS, Report, render
from auditor.rule import AuditOptions
from conftest import FIXTURE_FILES

SECRET_VALUES = ["Summer2024", "ConsolePass1", "0822455D0A16", "060506324F41", "$9$ZPbaCmpf", "$1$mERr", "cisco"]


def _secret_values(paths):
    """Every credential value written in the fixtures (after password/secret [level N] [type])."""
    values = set()
    pattern = re.compile(r"\b(?:password|secret)(?:\s+level\s+\d+)?(?:\s+\d{1,2})?\s+(\S+)")
    for path in paths:
        text = path.read_bytes().decode("latin-1")
        for line in text.splitlines():
            if line.lstrip().startswith("!"):
                continue
            for m in pattern.finditer(line):
                # masked by a backup tool, or NX-OS's locked-account `password 5 !`: no secret
                if not m.group(1).startswith("<") and set(m.group(1)) != {"*"} and m.group(1) != "!":
                    values.add(m.group(1))
    return values


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_secret_in_any_format(fmt):
    devices = tuple(audit(p.read_bytes(), source=p.name, options=AuditOptions(mgmt_nets=("192.0.2.0/24",))) for p in FIXTURE_FILES)
    out = render(fmt, Report(devices=devices), show_fixes=True) if fmt == "text" else render(fmt, Report(devices=devices))
    if fmt == "text":  # the default text report too
        assert not [v for v in _secret_values(FIXTURE_FILES) if v in render(fmt, Report(devices=devices))]
    values = _secret_values(FIXTURE_FILES)
    assert {"Summer2024", "ConsolePass1", "0822455D0A16"} <= values
    leaked = [v for v in values if v in out]
    assert leaked == []
    if fmt in ("text", "json", "junit"):  # the formats that carry evidence show it masked
        assert "password 7 ****" in out


def test_masking_keeps_keyword_and_type():
    assert mask_secrets("username a privilege 15 password 7 0822455D0A16") == "username a privilege 15 password 7 ****"
    assert mask_secrets("enable password level 15 cisco") == "enable password level 15 ****"
    assert mask_secrets("enable secret 9 $9$abc") == "enable secret 9 ****"
    assert mask_secrets("password cisco") == "password ****"
    assert mask_secrets("service password-encryption") == "service password-encryption"
    assert mask_secrets("username x secret <NEW-SECRET>") == "username x secret <NEW-SECRET>"
