"""Configuration files: discovery, precedence, severity overrides, rule parameters, errors."""

import json

from typer.testing import CliRunner

from auditor.cli import app
from conftest import FIXTURES

runner = CliRunner()


def scan_json(*args):
    result = runner.invoke(app, ["scan", *args, "-f", "json"])
    return result, (json.loads(result.stdout) if result.stdout.startswith("{") else None)


def test_pyproject_table_is_found_walking_up(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.vty-auditor]\nselect = ["VTY"]\nfail-on = "critical"\n[tool.vty-auditor.severity]\nVTY001 = "critical"\n')
    sub = tmp_path / "configs"
    sub.mkdir()
    monkeypatch.chdir(sub)
    result, data = scan_json(str(FIXTURES / "telnet-explicit.cfg"))
    assert {f["rule_id"] for f in data["devices"][0]["findings"]} == {"VTY001"}
    assert {f["severity"] for f in data["devices"][0]["findings"]} == {"critical"}
    assert result.exit_code == 1  # fail-on critical, and VTY001 was raised to critical
    # the command line wins over the file
    result, _ = scan_json(str(FIXTURES / "telnet-explicit.cfg"), "--fail-on", "info", "--select", "PWD")
    assert result.exit_code == 0


def test_rule_parameters_and_explicit_config(tmp_path):
    cfg = tmp_path / "audit.toml"
    cfg.write_text("[rules.VTY007]\nmax_minutes = 200\n[rules.VTY015]\nmax_lines = 2\n")
    result, data = scan_json(str(FIXTURES / "legacy-router.cfg"), "--config", str(cfg))
    ids = {f["rule_id"] for f in data["devices"][0]["findings"]}
    assert "VTY007" not in ids and "VTY015" in ids


def test_config_errors_exit_2_naming_key_and_file(tmp_path):
    cases = {
        "unknown.toml": "colour = true\n",
        "badsev.toml": 'fail-on = "severe"\n',
        "badrule.toml": '[severity]\nXYZ001 = "low"\n',
        "badparam.toml": "[rules.VTY007]\nmax_hours = 3\n",
        "notoml.toml": "this is = = not toml\n",
    }
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text)
        result = runner.invoke(app, ["scan", str(FIXTURES / "clean-ssh-only.cfg"), "--config", str(path)])
        assert result.exit_code == 2, name
        assert name in result.stderr and "Traceback" not in result.stderr, name
    assert "colour" in runner.invoke(app, ["scan", str(FIXTURES / "clean-ssh-only.cfg"), "--config", str(tmp_path / "unknown.toml")]).stderr


def test_skip_non_configs_may_come_from_the_configuration_file(tmp_path, monkeypatch):
    """`skip-non-configs = true` was "Extra inputs are not permitted"."""
    import shutil

    (tmp_path / ".vty-auditor.toml").write_text('skip-non-configs = true\ninclude = ["*"]\n')
    shutil.copy(FIXTURES / "telnet-explicit.cfg", tmp_path / "r1.cfg")
    (tmp_path / "notes.txt").write_text("meeting notes: upgrade the core switches\n")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["scan", "."])
    assert result.exit_code == 1 and "skipped" in result.output, result.output


def test_a_repository_configuration_file_cannot_turn_host_key_checks_off(tmp_path, monkeypatch):
    """The repository is untrusted in CI: `accept-any-host-key` from a file found in it is refused,
    naming the file; the operator may still give it on the command line or in a file named with --config."""
    (tmp_path / ".git").mkdir()
    (tmp_path / ".vty-auditor.toml").write_text("accept-any-host-key = true\n")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["scan", str(FIXTURES / "clean-ssh-only.cfg")])
    assert result.exit_code == 2 and ".vty-auditor.toml" in result.stderr and "--accept-any-host-key" in result.stderr
    named = runner.invoke(app, ["scan", str(FIXTURES / "clean-ssh-only.cfg"), "--config", str(tmp_path / ".vty-auditor.toml")])
    assert named.exit_code == 0, named.stderr
    assert runner.invoke(app, ["scan", str(FIXTURES / "clean-ssh-only.cfg"), "--isolated"]).exit_code == 0


def test_configuration_errors_name_the_file_and_suggest_the_nearest_key_or_rule(tmp_path):
    cases = {
        "typo.toml": ('selct = ["VTY001"]\n', "selct: unknown setting (did you mean `select`?)"),
        "alias.toml": ('mgmt-net = ["10.0.0.0/8"]\n', "did you mean `mgmt-nets`?"),
        "rule.toml": ('select = ["VTY999"]\n', "select: no rule matches VTY999 (did you mean VTY009?)"),
        "sev.toml": ('[severity]\nVTY0001 = "low"\n', "unknown rule id VTY0001 (did you mean VTY001?)"),
    }
    for name, (text, expected) in cases.items():
        path = tmp_path / name
        path.write_text(text)
        result = runner.invoke(app, ["scan", str(FIXTURES / "clean-ssh-only.cfg"), "--config", str(path)])
        assert result.exit_code == 2 and name in result.stderr and expected in result.stderr, result.stderr
        assert "Value error" not in result.stderr
    cli = runner.invoke(app, ["scan", str(FIXTURES / "clean-ssh-only.cfg"), "--ignore", "PWD0009"])
    assert cli.exit_code == 2 and "did you mean PWD009?" in cli.stderr


def test_one_resolution_says_where_each_setting_came_from(tmp_path):
    """The command line over the file over the defaults, resolved once: lists that only widen what
    is left out (ignore, exclude) take both; the report's run names each value's origin."""
    import json

    from typer.testing import CliRunner

    from auditor.cli import app
    from auditor.config import Settings, resolve
    from conftest import FIXTURES

    path = tmp_path / "vty.toml"
    settings = Settings.model_validate({"ignore": ["VTY014"], "mgmt-nets": ["10.0.0.0/8"], "fail-on": "high", "select": ["VTY"]})
    got = resolve(dict(ignore=["PWD006"], select=["PWD"], mgmt_nets=[], acl_name=None, skip_non_configs=False), settings, path)
    assert got.ignore == ("PWD006", "VTY014") and got.origins["ignore"] == f"command line + {path}"
    assert got.select == ("PWD",) and got.origins["select"] == "command line"
    assert got.mgmt_nets == ("10.0.0.0/8",) and got.origins["mgmt_nets"] == str(path)
    assert got.fail_on == "high" and got.acl_name == "VTY-ACCESS" and got.origins["acl_name"] == "default"
    # fleet settings too: `--retries 0` is given (0 is a value), the file's timeout fills the gap
    fleet = resolve(dict(retries=0, timeout=None, known_hosts=tmp_path / "kh"), Settings.model_validate({"retries": 3, "timeout": 7.5}), path)
    assert (fleet.retries, fleet.origins["retries"]) == (0, "command line") and (fleet.timeout, fleet.origins["timeout"]) == (7.5, str(path))
    assert fleet.known_hosts == str(tmp_path / "kh") and fleet.workers is None and fleet.origins["workers"] == "default"
    path.write_text('ignore = ["VTY014"]\nmgmt-nets = ["10.0.0.0/8"]\nfail-on = "high"\n')
    result = CliRunner().invoke(app, ["scan", str(FIXTURES / "telnet-explicit.cfg"), "--config", str(path), "--ignore", "PWD006", "-f", "json"])
    run = json.loads(result.stdout)["run"]
    assert run["settings_from"] == {"ignore": f"command line + {path}", "mgmt_nets": str(path), "fail_on": str(path)}
    assert run["ignore"] == ["PWD006", "VTY014"] and run["fail_on"] == "high"


def test_the_environment_sits_between_the_command_line_and_the_file(tmp_path, monkeypatch):
    """Command line > environment (`VTY_AUDITOR_*`, an explicit list) > file > defaults: lists
    that only widen what is left out add up across all three, each value names its layer, and
    the environment sets only what the command takes."""
    from auditor.config import ENVIRONMENT, Settings, resolve

    path = tmp_path / "vty.toml"
    settings = Settings.model_validate({"ignore": ["VTY014"], "fail-on": "high", "timeout": 7.5, "profile": "stig"})
    env = {"VTY_AUDITOR_IGNORE": "PWD001, PWD002", "VTY_AUDITOR_FAIL_ON": "critical", "VTY_AUDITOR_TIMEOUT": "3", "VTY_AUDITOR_SELECT": "VTY"}
    got = resolve(dict(ignore=["PWD006"], fail_on=None, profile=None, timeout=None, select=[]), settings, path, env)
    assert got.ignore == ("PWD006", "PWD001", "PWD002", "VTY014")
    assert got.origins["ignore"] == f"command line + environment (VTY_AUDITOR_IGNORE) + {path}"
    assert (got.fail_on, got.origins["fail_on"]) == ("critical", "environment (VTY_AUDITOR_FAIL_ON)")
    assert (got.timeout, got.profile, got.origins["profile"]) == (3.0, "stig", str(path))
    assert got.select == ("VTY",)
    # the command line wins; a command that takes no `select` is not given one by the environment
    assert resolve(dict(fail_on="low"), settings, path, env).fail_on == "low"
    assert resolve(dict(fail_on=None), Settings(), None, env).select == ()
    assert "accept_any_host_key" not in {name for name, _ in ENVIRONMENT.values()}  # said on the command line only


def test_a_bad_environment_value_is_a_usage_error_naming_the_variable(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["scan", str(FIXTURES / "telnet-explicit.cfg")], env={"VTY_AUDITOR_SKIP_NON_CONFIGS": "maybe"})
    assert result.exit_code == 2 and "VTY_AUDITOR_SKIP_NON_CONFIGS='maybe': skip-non-configs takes 1 or 0" in result.output
    result = runner.invoke(app, ["scan", str(FIXTURES / "telnet-explicit.cfg"), "-f", "json"], env={"VTY_AUDITOR_FAIL_ON": "critical"})
    assert result.exit_code == 0  # telnet-explicit's findings are high at most
    assert json.loads(result.stdout)["run"]["settings_from"] == {"fail_on": "environment (VTY_AUDITOR_FAIL_ON)"}
    # a fleet setting the pull refuses names the variable, not an option that was never given
    inventory = tmp_path / "hosts.txt"
    inventory.write_text("127.0.0.1\n")
    env = {"VTY_AUDITOR_TIMEOUT": "-1", "VTY_AUDITOR_USERNAME": "u", "VTY_AUDITOR_PASSWORD": "p"}
    result = runner.invoke(app, ["pull", "-i", str(inventory), "--save-dir", str(tmp_path / "out")], env=env)
    assert result.exit_code == 2 and "timeout (from environment (VTY_AUDITOR_TIMEOUT)): Input should be greater than 0" in result.output


def test_baseline_create_audits_with_the_configuration_file_as_scan_does(tmp_path, monkeypatch):
    """A baseline recorded without the project's rule parameters would miss what scan then reports."""
    from auditor.baseline import loads

    (tmp_path / ".vty-auditor.toml").write_text('ignore = ["VTY001"]\n[rules.VTY007]\nmax_minutes = 1\n')
    monkeypatch.chdir(tmp_path)
    config = FIXTURES / "telnet-explicit.cfg"
    assert runner.invoke(app, ["baseline", "create", str(config), "-o", "with.json"]).exit_code == 0
    assert runner.invoke(app, ["baseline", "create", str(config), "-o", "without.json", "--isolated"]).exit_code == 0
    with_file = {e.rule_id for e in loads((tmp_path / "with.json").read_text(), "with.json").entries}
    without = {e.rule_id for e in loads((tmp_path / "without.json").read_text(), "without.json").entries}
    assert "VTY001" in without and "VTY001" not in with_file
    # and scan against that baseline, with the same file, finds nothing new
    result, data = scan_json(str(config), "--baseline", "with.json")
    assert data["summary"]["findings"] == 0, data["summary"]
