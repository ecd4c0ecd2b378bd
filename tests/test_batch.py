"""Parallel and serial scans give the same report; start-up stays light."""

import json
import shutil
import subprocess
import sys

from typer.testing import CliRunner

from auditor.cli import app
from conftest import FIXTURE_FILES

runner = CliRunner()


def test_jobs_give_identical_results(tmp_path):
    for i in range(3):  # enough files for the pool to be used
        for path in FIXTURE_FILES:
            shutil.copy(path, tmp_path / f"{i}-{path.name}")
    (tmp_path / "bad.cfg").write_bytes(b"\x00\x01binary")
    serial = runner.invoke(app, ["scan", str(tmp_path), "-f", "json", "--jobs", "1"])
    parallel = runner.invoke(app, ["scan", str(tmp_path), "-f", "json", "--jobs", "2"])
    assert serial.exit_code == parallel.exit_code == 3
    assert json.loads(serial.stdout)["devices"] == json.loads(parallel.stdout)["devices"]


def test_jobs_must_be_positive():
    assert runner.invoke(app, ["scan", str(FIXTURE_FILES[0]), "--jobs", "0"]).exit_code == 2


def test_version_and_rules_do_not_import_the_parser():
    code = (
        "import sys\nfrom typer.testing import CliRunner\nfrom auditor.cli import app\n"
        "r = CliRunner()\nassert r.invoke(app, ['--version']).exit_code == 0\nassert r.invoke(app, ['rules']).exit_code == 0\n"
        "heavy = [m for m in ('ciscoconfparse', 'ciscoconfparse2', 'loguru', 'netmiko', 'paramiko', 'yaml', 'jinja2') if m in sys.modules]\nassert heavy == [], heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_streamed_report_writes_exactly_what_the_gathered_one_does():
    """`scan PATHS` audits while writing (flat memory); the output must not differ in any format."""
    import io

    from auditor.engine import audit
    from auditor.reports import FORMATS, Report, render, write
    from conftest import FIXTURE_FILES

    devices = [audit(p.read_bytes(), source=p.name) for p in FIXTURE_FILES]
    for fmt in FORMATS:
        gathered = render(fmt, Report(devices=tuple(devices), generated_at="2026-11-24T00:00:00+00:00"))
        streamed = Report.streamed(iter(devices), generated_at="2026-11-24T00:00:00+00:00")
        buffer = io.StringIO()
        write(fmt, streamed, buffer)
        assert buffer.getvalue() == gathered, fmt
        assert streamed.summary == Report(devices=tuple(devices)).summary  # counted while written


def test_one_typed_request_reaches_the_worker_processes(tmp_path):
    """The audit's settings cross to the batch's workers as one AuditRequest (it pickles): a rule
    parameter and a severity override from the configuration file hold in every worker."""
    import pickle

    from auditor.batch import audit_all
    from auditor.engine import AuditRequest
    from auditor.findings import Severity

    request = AuditRequest(select=("VTY007",), params={"VTY007": {"max_minutes": 5}}, severity={"VTY007": Severity.CRITICAL})
    assert pickle.loads(pickle.dumps(request)) == request
    for i in range(8):
        (tmp_path / f"r{i}.cfg").write_text(f"hostname r{i}\nline vty 0 4\n exec-timeout 7 0\n transport input ssh\nline con 0\n exec-timeout 5 0\nend\n")
    sources = sorted(str(p) for p in tmp_path.iterdir())
    for jobs in (1, 2):
        reports = list(audit_all(sources, jobs, request, seconds=None))
        assert [[(f.rule_id, f.severity) for f in r.findings] for r in reports] == [[("VTY007", Severity.CRITICAL)]] * 8, jobs
