"""Each command imports only what it needs: start-up is most of a single audit's cost."""

import json
import subprocess
import sys

import pytest

from conftest import FIXTURES

FLEET = ("netmiko", "paramiko", "cryptography", "auditor.fleet", "auditor.pull", "auditor.inventory", "auditor.probe", "auditor.hostkeys")
REPORTS = ("jinja2",)  # the HTML report's only
PARSER = ("ciscoconfparse", "loguru")


def _loaded(*args: str) -> set[str]:
    code = (
        "import sys, json\nfrom typer.testing import CliRunner\nfrom auditor.cli import app\n"
        f"result = CliRunner().invoke(app, {list(args)!r})\n"
        "assert result.exit_code in (0, 1), result.output\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return set(json.loads(run.stdout.splitlines()[-1]))


def _heavy(modules: set[str], names) -> list[str]:
    return sorted(n for n in names if n in modules)


@pytest.mark.parametrize("args", [["--version"], ["rules"], ["rules", "--platform", "nxos"], ["explain", "VTY001"]])
def test_commands_that_audit_nothing_import_no_parser_fleet_or_report_engine(args):
    modules = _loaded(*args)
    assert _heavy(modules, FLEET + REPORTS + PARSER + ("yaml",)) == []


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "concise"])
def test_a_scan_of_files_imports_no_fleet_module_and_no_template_engine(fmt):
    modules = _loaded("scan", str(FIXTURES / "telnet-explicit.cfg"), "-f", fmt, "--jobs", "1")
    assert _heavy(modules, FLEET + REPORTS) == []
    # yaml is loaded only because ciscoconfparse imports it itself; nothing of ours reads YAML here
    assert "auditor.inventory" not in modules


def test_the_html_report_loads_jinja2_and_still_no_fleet_module():
    modules = _loaded("scan", str(FIXTURES / "telnet-explicit.cfg"), "-f", "html", "--jobs", "1")
    assert "jinja2" in modules and _heavy(modules, FLEET) == []


def test_a_scan_writes_only_the_report_to_stdout():
    run = subprocess.run([sys.executable, "-m", "auditor", "scan", str(FIXTURES), "-f", "json", "--isolated"], capture_output=True, text=True)
    assert run.returncode == 1
    json.loads(run.stdout)  # the whole of stdout is the report: no parser log line
    assert run.stderr == ""
