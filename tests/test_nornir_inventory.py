"""Inventories read as Nornir reads them: each host connects with what Nornir's
`get_connection_parameters("netmiko")` gives, compared here against Nornir itself;
and a key-only device, pulled over real SSH on loopback with the inventory's key."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from nornir.plugins.inventory.simple import SimpleInventory

from auditor.inventory import PLATFORMS, load
from conftest import FIXTURES
from test_pull import _keypair, cli, devices

CASES = {
    # D1: a group's connection_options.netmiko beat the host's own plain attributes
    "D1-precedence": (
        "r1:\n  hostname: 10.0.0.1\n  groups: [oob]\n",
        "oob:\n  connection_options:\n    netmiko:\n      hostname: oob-console.example.net\n      port: 7001\n",
        "username: ops\n",
    ),
    # D2/D3: extras are taken whole from the nearest level that has them, every key of them
    "D2-extras": (
        "r1:\n  groups: [keys]\n  connection_options:\n    netmiko:\n      extras: {secret: en-host}\nr2:\n  groups: [keys]\n",
        "keys:\n  connection_options:\n    netmiko:\n      extras: {use_keys: true, key_file: /keys/ops, global_delay_factor: 2}\n",
        None,
    ),
    # D4: a platform we do not audit is one host's matter, not the inventory's
    "D4-other-vendor": ("r1:\n  platform: ios\nsw1:\n  platform: eos\n", None, None),
    # D5: YAML 1.2, as Nornir reads it
    "D5-yaml12": ("r1:\n  password: 012345\n  data:\n    managed: yes\n    rack: 0777\n", None, None),
    # D6: a key Nornir does not know is ignored
    "D6-unknown-key": ("r1:\n  site: lab\n  hostname: 192.0.2.1\n", None, "site: lab\n"),
}


def _write(tmp_path, hosts, groups, defaults):
    (tmp_path / "hosts.yaml").write_text(hosts)
    for name, text in (("groups.yaml", groups), ("defaults.yaml", defaults)):
        if text is not None:
            (tmp_path / name).write_text(text)
    return tmp_path / "hosts.yaml"


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_connection_parameters_are_nornirs(tmp_path, case):
    path = _write(tmp_path, *CASES[case])
    ours = {h.name: h for h in load(path)}
    nornir = SimpleInventory(str(path), str(tmp_path / "groups.yaml"), str(tmp_path / "defaults.yaml")).load()
    assert set(ours) == set(nornir.hosts)
    for name, host in nornir.hosts.items():
        expected = host.get_connection_parameters("netmiko")
        mine = ours[name]
        assert mine.hostname == str(expected.hostname or name) and mine.port == (expected.port or 22)
        assert mine.username == (None if expected.username is None else str(expected.username))
        assert (mine.password.get_secret_value() if mine.password else None) == (None if expected.password is None else str(expected.password))
        assert mine.extras == (expected.extras or {})
        platform = str(expected.platform or "cisco_ios")
        assert (mine.platform, mine.unsupported) == ((PLATFORMS[platform.lower()], None) if platform.lower() in PLATFORMS else (platform, platform))
        assert mine.data == dict(host.items())


def test_the_d1_host_connects_to_the_console_server(tmp_path):
    (host,) = load(_write(tmp_path, *CASES["D1-precedence"]))
    assert (host.hostname, host.port, host.username) == ("oob-console.example.net", 7001, "ops")


def test_extras_and_secrets_are_never_shown(tmp_path):
    hosts = "r1:\n  connection_options:\n    netmiko:\n      extras: {secret: en-Hidden1, passphrase: pp-Hidden2, use_keys: true}\n"
    (host,) = load(_write(tmp_path, hosts, None, None))
    assert host.secret.get_secret_value() == "en-Hidden1" and host.key_auth
    assert "Hidden" not in repr(host)


@pytest.fixture(scope="module")
def keyed(tmp_path_factory):
    """A device that takes one public key and no password, and the inventory that holds its key."""
    workdir = tmp_path_factory.mktemp("keyed")
    hostkey = workdir / "hostkey"
    _keypair(hostkey)
    client_key = workdir / "ops_key"
    public = _keypair(client_key)
    spec = [{"name": "keyonly", "behaviour": "ok", "config": str(FIXTURES / "telnet-explicit.cfg"), "username": "ops", "pubkey": public, "hostkey": str(hostkey)}]
    with devices(spec, workdir) as ports:
        inventory = workdir / "hosts.yaml"
        inventory.write_text(
            f"keyonly:\n  hostname: 127.0.0.1\n  port: {ports['keyonly']}\n  username: ops\n  platform: cisco_ios\n"
            f"  connection_options:\n    netmiko:\n      extras:\n        use_keys: true\n        key_file: {client_key}\n"
            "other-vendor:\n  hostname: 127.0.0.1\n  port: 9\n  platform: juniper_junos\n"
        )
        yield {"inventory": inventory, "port": ports["keyonly"], "key": client_key, "workdir": workdir}


def test_a_key_only_device_is_audited_with_the_inventorys_key_and_no_password(keyed):
    # No password anywhere: the key is enough, and the Junos host is reported, never contacted.
    result = cli("scan", "--inventory", keyed["inventory"], "--format", "json", "--timeout", "5", "--retries", "0", "--allow-unsupported", env={"VTY_AUDITOR_PASSWORD": "", "VTY_AUDITOR_USERNAME": ""})
    report = json.loads(result.stdout)
    by_name = {d["source"]: d for d in report["devices"]}
    assert by_name["keyonly"]["status"] == "audited", by_name["keyonly"]
    assert {f["rule_id"] for f in by_name["keyonly"]["findings"]} >= {"VTY001"}
    assert by_name["other-vendor"]["status"] == "unsupported" and "juniper_junos" in by_name["other-vendor"]["error"]
    assert result.returncode == 1, result.stderr  # findings; the unsupported host is accepted with --allow-unsupported


@pytest.mark.parametrize(
    "extra, says",
    [
        ('default_enter: "\\nconfigure terminal\\nline vty 0 15\\ntransport input telnet\\nend\\nwrite memory\\n"', "default_enter"),
        ("session_log: /tmp/vty-auditor-session.log", "session_log"),
        ('response_return: "\\nconf t\\n"', "response_return"),
        ("global_delay_factor: 200", "between 0 and 4"),
        ('use_keys: "yes"', "must be bool"),
    ],
)
def test_netmiko_extras_outside_the_allow_list_are_refused_before_any_device_is_contacted(keyed, tmp_path, extra, says):
    """A read-only scan once typed twelve configuration commands through `default_enter` and
    saved Telnet on every VTY line: extras are taken by name and type from an allow-list."""
    inventory = tmp_path / "hosts.yaml"
    inventory.write_text(f"r1:\n  hostname: 127.0.0.1\n  port: {keyed['port']}\n  connection_options:\n    netmiko:\n      extras:\n        {extra}\n")
    result = cli("scan", "--inventory", inventory, "--format", "json", "--timeout", "5", "--retries", "0")
    assert result.returncode == 2 and says in result.stderr and "r1" in result.stderr, result.stderr
    assert "configure terminal" not in result.stderr  # the value is never shown


def test_a_nornir_config_with_a_jump_host_alias_in_its_ssh_config(keyed):
    """`--nornir-config`: Nornir's inventory plugin builds the hosts and its ssh.config_file is read; the
    host is an ssh_config alias reached through a ProxyCommand, host key checked on that route."""
    work = keyed["workdir"]
    log = work / "relay.log"
    ssh_config = work / "ssh_config"
    ssh_config.write_text(f"Host jump-keyonly\n  HostName 127.0.0.1\n  Port {keyed['port']}\n  ProxyCommand {sys.executable} {Path(__file__).parent / 'proxyrelay.py'} %h %p {log}\n")
    hosts = work / "jump-hosts.yaml"
    hosts.write_text(f"jump:\n  hostname: jump-keyonly\n  username: ops\n  platform: ios\n  connection_options:\n    netmiko:\n      extras: {{use_keys: true, key_file: {keyed['key']}}}\n")
    config = work / "nornir.yaml"
    config.write_text(f"inventory:\n  plugin: SimpleInventory\n  options:\n    host_file: {hosts}\nssh:\n  config_file: {ssh_config}\n")
    # A Nornir config (a repository's, say) cannot make a scan run a command: its ssh_config's
    # ProxyCommand is followed only when the operator says so on the command line.
    refused = cli("scan", "--nornir-config", config, "--format", "json", "--timeout", "5", "--retries", "0", env={"VTY_AUDITOR_PASSWORD": "", "VTY_AUDITOR_USERNAME": ""})
    (device,) = json.loads(refused.stdout)["devices"]
    assert device["status"] == "error" and "--allow-proxy-command" in device["error"], device
    assert not log.exists()  # the command never ran
    result = cli("scan", "--nornir-config", config, "--format", "json", "--timeout", "5", "--retries", "0", "--allow-proxy-command", env={"VTY_AUDITOR_PASSWORD": "", "VTY_AUDITOR_USERNAME": ""})
    (device,) = json.loads(result.stdout)["devices"]
    assert device["status"] == "audited", device
    assert log.read_text().count(f"relayed to 127.0.0.1:{keyed['port']}") == 2  # the host key, then the session
    # without the ssh_config the alias does not resolve: the route really is the ssh_config's
    config.write_text(f"inventory:\n  plugin: SimpleInventory\n  options:\n    host_file: {hosts}\nssh:\n  config_file: {work / 'none'}\n")
    again = cli("scan", "--nornir-config", config, "--format", "json", "--timeout", "5", "--retries", "0", env={"VTY_AUDITOR_PASSWORD": "", "VTY_AUDITOR_USERNAME": ""})
    assert json.loads(again.stdout)["devices"][0]["status"] == "dns-failure"


def test_a_nornir_config_whose_plugin_is_missing_is_a_usage_error(tmp_path):
    config = tmp_path / "nornir.yaml"
    config.write_text("inventory:\n  plugin: NetBoxInventory2\n  options:\n    nb_token: tok-Secret-Value\n")
    result = cli("scan", "--nornir-config", config)
    assert result.returncode == 2 and "Nornir could not build the inventory" in result.stderr
    assert "tok-Secret-Value" not in result.stderr + result.stdout


def test_a_key_only_device_through_the_nornir_task(keyed, tmp_path):
    from nornir import InitNornir

    from auditor.nornir import vty_audit
    from auditor.pull import PullSettings

    nr = InitNornir(
        inventory={"plugin": "SimpleInventory", "options": {"host_file": str(keyed["inventory"]), "group_file": str(tmp_path / "g.yaml"), "defaults_file": str(tmp_path / "d.yaml")}},
        runner={"plugin": "serial"},
        logging={"enabled": False},
        ssh={"config_file": str(tmp_path / "no-ssh-config")},
    )
    results = nr.run(task=vty_audit, settings=PullSettings(timeout=5, retries=0, tofu_file=tmp_path / "known_hosts"))
    keyonly, other = results["keyonly"][0].result, results["other-vendor"][0].result
    assert keyonly.status.value == "audited" and "VTY001" in {f.rule_id for f in keyonly.findings}
    assert other.status.value == "unsupported" and results["other-vendor"].failed


def test_an_inventorys_ssh_config_cannot_run_a_command_and_a_hostname_cannot_inject_one(keyed, tmp_path):
    marker = tmp_path / "pwned"
    ssh_config = tmp_path / "ssh_config"
    ssh_config.write_text(f"Host *\n  ProxyCommand touch {marker}\n")
    inventory = tmp_path / "hosts.yaml"
    inventory.write_text(f"r1:\n  hostname: 127.0.0.1\n  port: {keyed['port']}\n  connection_options:\n    netmiko:\n      extras:\n        ssh_config_file: {ssh_config}\n")
    for extra in ((), ("--isolated",)):
        result = cli("scan", "--inventory", inventory, "--format", "json", "--timeout", "5", "--retries", "0", *extra)
        (device,) = json.loads(result.stdout)["devices"]
        assert device["status"] == "error" and "--allow-proxy-command" in device["error"] and result.returncode == 3, device
        assert not marker.exists()
    for hostname in ("h:1 -oProxyCommand=touch", "-oProxyCommand=touch", "%h.example.net"):
        inventory.write_text(f'r1:\n  hostname: "{hostname} {marker}"\n' if " " in hostname else f'r1:\n  hostname: "{hostname}"\n')
        result = cli("scan", "--inventory", inventory, "--format", "json", "--timeout", "5", "--retries", "0")
        assert result.returncode == 2 and "hostname" in result.stderr, (hostname, result.stderr)
        assert not marker.exists()


def test_a_proxyjump_is_built_as_quoted_arguments(tmp_path):
    import shlex

    from auditor.inventory import Host
    from auditor.pull import ssh_route

    config = tmp_path / "ssh config"
    config.write_text("Host edge\n  HostName 192.0.2.7\n  ProxyJump bastion.example.net\n")
    _, _, proxy = ssh_route(Host(name="edge", hostname="edge"), str(config))
    assert shlex.split(proxy) == ["ssh", "-F", str(config), "-W", "192.0.2.7:22", "--", "bastion.example.net"]
