"""Inventories: Nornir SimpleInventory resolution, plain host lists, errors with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.inventory import InventoryError, load, select

HOSTS = """\
core-sw1:
  hostname: 192.0.2.1
  groups: [core]
  data: {rack: r1}
edge-rtr1:
  hostname: 192.0.2.2
  port: 2222
  platform: ios
  username: edge-admin
lab1:
  groups: [lab, core]
  connection_options:
    netmiko:
      hostname: 127.0.0.1
      port: 2022
      platform: cisco_xe
"""
GROUPS = """\
core:
  platform: iosxe
  groups: [site-a]
  data: {role: core}
site-a:
  username: site-admin
  data: {site: a, role: any}
  connection_options:
    netmiko:
      extras: {secret: group-enable}
lab:
  data: {role: lab}
"""
DEFAULTS = """\
username: default-user
port: 22
data: {site: unknown, owner: noc}
"""


def _write(tmp_path: Path, hosts=HOSTS, groups=GROUPS, defaults=DEFAULTS) -> Path:
    (tmp_path / "hosts.yaml").write_text(hosts)
    if groups is not None:
        (tmp_path / "groups.yaml").write_text(groups)
    if defaults is not None:
        (tmp_path / "defaults.yaml").write_text(defaults)
    return tmp_path / "hosts.yaml"


def test_nornir_attributes_resolve_host_then_groups_then_defaults(tmp_path):
    hosts = {h.name: h for h in load(_write(tmp_path))}
    core = hosts["core-sw1"]
    assert (core.hostname, core.port, core.platform) == ("192.0.2.1", 22, "cisco_xe")
    assert core.groups == ("core", "site-a")  # parent groups follow, depth first
    assert core.username == "site-admin"  # from the parent group, before the defaults
    assert core.secret is not None and core.secret.get_secret_value() == "group-enable"
    # data merges key by key: host > core > site-a > defaults
    assert core.data == {"rack": "r1", "role": "core", "site": "a", "owner": "noc"}
    edge = hosts["edge-rtr1"]
    assert (edge.port, edge.platform, edge.username, edge.groups) == (2222, "cisco_ios", "edge-admin", ())
    assert edge.address == "192.0.2.2:2222"


def test_group_order_and_connection_options(tmp_path):
    lab = {h.name: h for h in load(_write(tmp_path))}["lab1"]
    assert lab.data["role"] == "lab"  # the first group listed wins
    assert (lab.hostname, lab.port, lab.platform) == ("127.0.0.1", 2022, "cisco_xe")
    assert lab.groups == ("lab", "core", "site-a")


def test_hostname_defaults_to_the_name_and_folder_is_accepted(tmp_path):
    _write(tmp_path, hosts="r1.example.net:\n  platform: cisco_ios\n", groups=None, defaults=None)
    (host,) = load(tmp_path)
    assert (host.name, host.hostname, host.port, host.username) == ("r1.example.net", "r1.example.net", 22, None)


def test_ipv6_address_is_bracketed():
    from auditor.inventory import Host

    assert Host(name="x", hostname="2001:db8::1", port=22).address == "[2001:db8::1]:22"


@pytest.mark.parametrize(
    "hosts, groups, message",
    [
        ("r1:\n  hostname: a\nr2:\n  connection_options:\n    netmiko:\n      extras: [use_keys]\n", None, "hosts.yaml:4: r2: connection_options:"),
        ("r1:\n  hostname: a\n  port: seventy\n", None, "hosts.yaml:3: r1: port:"),
        ("r1:\n  port: 70000\n", None, "hosts.yaml:2: r1: port:"),
        ("r1:\n  groups: [core, nosuch]\n", "core: {}\n", "hosts.yaml:2: host 'r1' names group 'nosuch'"),
        ("r1:\n  hostname: [unclosed\n", None, "hosts.yaml:3: not valid YAML"),
        ("- r1\n- r2\n", None, "hosts.yaml:1: expected a mapping"),
        ("r1: just-a-string\n", None, "hosts.yaml:1: 'r1' must be a mapping"),
        ("", None, "the inventory has no hosts"),
    ],
)
def test_bad_inventory_names_file_and_line(tmp_path, hosts, groups, message):
    path = _write(tmp_path, hosts=hosts, groups=groups, defaults=None)
    with pytest.raises(InventoryError) as info:
        load(path)
    assert message in str(info.value)


def test_bad_group_file_names_its_own_line(tmp_path):
    path = _write(tmp_path, hosts="r1:\n  groups: [core]\n", groups="core:\n  hostname: x\n  port: seventy\n", defaults=None)
    with pytest.raises(InventoryError, match=r"groups\.yaml:3: core: port:"):
        load(path)


def test_password_in_inventory_is_secret(tmp_path):
    path = _write(tmp_path, hosts="r1:\n  password: Hunter2-inventory\n", groups=None, defaults=None)
    (host,) = load(path)
    assert "Hunter2-inventory" not in repr(host) and "Hunter2-inventory" not in str(host.model_dump())
    assert host.password.get_secret_value() == "Hunter2-inventory"


def test_text_inventory(tmp_path):
    path = tmp_path / "hosts.txt"
    path.write_text("# core\nsw1.example.net\n192.0.2.7:2200  # lab box\n[2001:db8::5]:830\n2001:db8::6\nedge=192.0.2.9\n\n")
    hosts = load(path)
    assert [(h.name, h.hostname, h.port) for h in hosts] == [
        ("sw1.example.net", "sw1.example.net", 22),
        ("192.0.2.7:2200", "192.0.2.7", 2200),
        ("[2001:db8::5]:830", "2001:db8::5", 830),
        ("2001:db8::6", "2001:db8::6", 22),
        ("edge", "192.0.2.9", 22),
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        ("ok\nbad host name\n", "hosts.txt:2: expected NAME"),
        ("r1:99999\n", "hosts.txt:1: port 99999 out of range"),
        ("r1\nr1\n", "hosts.txt:2: host 'r1' listed twice"),
        ("# nothing\n", "the inventory has no hosts"),
    ],
)
def test_bad_text_inventory(tmp_path, text, message):
    path = tmp_path / "hosts.txt"
    path.write_text(text)
    with pytest.raises(InventoryError) as info:
        load(path)
    assert message in str(info.value)


def test_missing_inventory(tmp_path):
    with pytest.raises(InventoryError, match="no such inventory file"):
        load(tmp_path / "nope.yaml")


def test_limit_and_filter(tmp_path):
    hosts = load(_write(tmp_path))
    names = lambda **kw: [h.name for h in select(hosts, **kw)]  # noqa: E731
    assert names(limit=("core-*",)) == ["core-sw1"]
    assert names(limit=("edge-rtr1", "lab1")) == ["edge-rtr1", "lab1"]
    assert names(filters=("group=site-a",)) == ["core-sw1", "lab1"]  # inherited groups count
    assert names(filters=("platform=ios",)) == ["edge-rtr1"]
    assert names(filters=("data.role=lab",)) == ["lab1"]
    assert names(filters=("group=core", "data.rack=r1")) == ["core-sw1"]
    assert names(limit=("nothing*",)) == []
    with pytest.raises(InventoryError, match="bad filter"):
        select(hosts, filters=("colour=red",))
