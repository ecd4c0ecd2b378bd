"""Every fixture's findings equal its `! expect:` annotations; remediation closes them."""

import re
from collections import Counter

import pytest

from auditor.engine import audit
from auditor.findings import DeviceStatus
from auditor.remediation import FRAME_EXEC
from auditor.rule import AuditOptions
from conftest import FIXTURE_FILES, expectations


def test_fixtures_exist():
    assert len(FIXTURE_FILES) >= 8


def test_findings_equal_annotations(fixture_path):
    report = audit(fixture_path.read_bytes(), source=fixture_path.name)
    assert report.status is DeviceStatus.AUDITED, report.error
    found = Counter((f.rule_id, f.line) for f in report.findings)
    assert found == expectations(fixture_path)


def _apply(config: bytes, script: str, platform: str | None = "ios") -> bytes:
    body = [line for line in script.splitlines() if not FRAME_EXEC.match(line) and not line.startswith("!")]
    if platform == "nxos":
        # NX-OS stores a password it is given in clear as a type-5 hash (it never keeps the clear text).
        body = [re.sub(r"^(username \S+ password) (?:0 )?(?!5 )\S+", r"\1 5 $5$simulated$hash", line) for line in body]
    if platform == "asa":
        # The ASA stores a password it is given in clear as a PBKDF2 hash, printed with `pbkdf2`.
        body = [re.sub(r"^(username \S+ password) (\S+)((?: privilege \d+)?)$", r"\1 $sha512$simulated pbkdf2\3", line) for line in body]
    text = config.decode("latin-1").replace("\r\n", "\n")
    text = text.rstrip("\n")
    if text.endswith("end"):
        text = text[: -len("end")]
    return (text + "\n" + "\n".join(body) + "\nend\n").encode("latin-1")


@pytest.mark.parametrize(
    "options",
    [AuditOptions(), AuditOptions(mgmt_nets=("192.0.2.0/24", "10.20.0.0/16", "2001:db8:1::/48"))],
    ids=["placeholders", "mgmt-nets"],
)
def test_remediation_closure(fixture_path, options):
    """Appending a device's combined remediation and re-auditing clears its findings."""
    data = fixture_path.read_bytes()
    before = audit(data, source=fixture_path.name, options=options)
    after = audit(_apply(data, before.remediation, before.platform), source=fixture_path.name, options=options)
    assert after.status is DeviceStatus.AUDITED
    # Findings with nothing to paste stay: VTY016 (only the author knows what was meant), a
    # type-5 secret on a release that has nothing stronger (PWD005), a PPP peer's password.
    unfixable = {(f.rule_id, f.section) for f in before.findings if not f.remediation.changes}
    remaining = sorted((f.rule_id, f.section) for f in after.findings if not f.rule_id.startswith("VTY90") and (f.rule_id, f.section) not in unfixable)
    assert remaining == []


def test_combined_script_orders_prerequisites_first():
    data = (FIXTURE_FILES[0].parent / "passwords.cfg").read_bytes()
    script = audit(data, options=AuditOptions(mgmt_nets=("192.0.2.0/24",))).remediation.splitlines()
    # passwords.cfg is IOS 15.1: no `algorithm-type` yet, so every secret uses the form every release takes
    assert script.index("username helpdesk privilege 5 secret <NEW-SECRET-HELPDESK>") < script.index("line vty 0 4")
    assert script.index(" login local") < script.index(" no password")
    assert script.index("no enable password") > script.index("enable secret <NEW-ENABLE-SECRET>")
    assert not any("algorithm-type" in line for line in script)
    assert script[0].startswith("! Keep a console session")
