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


def _import_cycles() -> list[set[str]]:
    """Groups of project modules that import each other (at any level of the code), by AST."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    modules = {}
    for package in ("auditor", "rules"):
        for path in (root / package).rglob("*.py"):
            name = ".".join(path.relative_to(root).with_suffix("").parts)
            modules[name.removesuffix(".__init__")] = path
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                graph[name] |= {t for t in (node.module, *(f"{node.module}.{a.name}" for a in node.names)) if t in modules}
            elif isinstance(node, ast.Import):
                graph[name] |= {a.name for a in node.names if a.name in modules}
    cycles, seen = [], set()
    for start in graph:  # a module's cycle: every module it reaches that reaches it back
        if start in seen:
            continue
        reach, todo = set(), [start]
        while todo:
            for nxt in graph[todo.pop()] - reach:
                reach.add(nxt)
                todo.append(nxt)
        group = {m for m in reach if start in _reaches(graph, m)} | ({start} if start in reach else set())
        if len(group) > 1:
            cycles.append(group)
            seen |= group
    return cycles


def _reaches(graph, start):
    reach, todo = set(), [start]
    while todo:
        for nxt in graph[todo.pop()] - reach:
            reach.add(nxt)
            todo.append(nxt)
    return reach


def test_reading_has_no_import_circle():
    """Text -> keywords -> CLI model, parse -> keywords: one direction (banner rules are the CLI
    model's, IOS's running-config check is the IOS platform's), and the platform registry imports
    each platform package by name (`SPECS`), never the other way round. The cycles left are
    facades: `auditor.audit` and the engine, the CLI entry and its command tree, an inventory
    and the pull it describes."""
    allowed = [
        {"auditor", "auditor.engine"},
        {"auditor.inventory", "auditor.pull"},
        {"auditor.cli", "auditor.cli.commands"},
    ]
    cycles = _import_cycles()
    assert all(c in allowed for c in cycles), [sorted(c) for c in cycles if c not in allowed]
    reading = {"auditor.keywords", "auditor.parse", "auditor.cli_model", "auditor.text"}
    assert not any(reading & c for c in cycles)
