"""Which devices to pull: a Nornir SimpleInventory or a plain list of hosts.

Nornir users keep `hosts.yaml` (and optionally `groups.yaml` and
`defaults.yaml` beside it) and reuse it as is. The hosts are built by Nornir
itself (`nornir.plugins.inventory.simple.SimpleInventory`, YAML 1.2), and each
connects with what Nornir's `get_connection_parameters("netmiko")` gives: the
`connection_options.netmiko` values win over plain attributes at every level,
`extras` are taken whole from the nearest level that has them and all reach
netmiko, unknown top-level keys are ignored. What stays ours is checked first:
errors that name the file and line of a broken inventory, YAML aliases
refused, and a host whose platform we do not audit skipped as `unsupported`
instead of failing the inventory.

A plain text inventory has one host per line: `NAME`, `ADDRESS`, `ADDRESS:PORT`,
`[IPV6]:PORT` or `NAME=ADDRESS[:PORT]`; `#` starts a comment.

Errors name the file and the line at fault; they are usage errors for the CLI.
Passwords read from an inventory are held as `SecretStr` and never printed.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path
from typing import Any, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, SecretStr, StrictBool, StrictFloat, StrictInt, StrictStr, ValidationError, field_validator

from auditor.findings import Frozen

# netmiko device types we pull from, and the NAPALM / Nornir names that mean them.
PLATFORMS = {
    "cisco_ios": "cisco_ios",
    "ios": "cisco_ios",
    "cisco_xe": "cisco_xe",
    "iosxe": "cisco_xe",
    "ios-xe": "cisco_xe",
    "ios_xe": "cisco_xe",
    "cisco_nxos": "cisco_nxos",
    "nxos": "cisco_nxos",
    "nxos_ssh": "cisco_nxos",
    "cisco_asa": "cisco_asa",
    "asa": "cisco_asa",
    "cisco_xr": "cisco_xr",
    "iosxr": "cisco_xr",
    "ios-xr": "cisco_xr",
    "ios_xr": "cisco_xr",
}
DEFAULT_PLATFORM = "cisco_ios"


class InventoryError(Exception):
    """The inventory cannot be used; the message names the file and line."""


class Host(Frozen):
    """One device to pull, with every inherited attribute resolved."""

    name: str  # the inventory's key: how reports name the device
    hostname: str  # what to connect to
    port: int = 22
    platform: str = DEFAULT_PLATFORM
    groups: tuple[str, ...] = ()
    data: dict[str, Any] = Field(default_factory=dict)
    username: Optional[str] = None
    password: Optional[SecretStr] = None
    secret: Optional[SecretStr] = None
    # netmiko extras from the inventory (keys, passphrase, agent, ssh_config_file, delays...): they may
    # hold secrets, so they are never shown.
    extras: dict[str, Any] = Field(default_factory=dict, repr=False)
    unsupported: Optional[str] = None  # a platform we do not audit: the host is reported, never connected to
    ssh_config_file: Optional[str] = None  # Nornir's `ssh.config_file` (default ~/.ssh/config); the host's extra wins

    @property
    def key_auth(self) -> bool:
        """The inventory gives this host a key (or the agent): no password is needed."""
        return bool(self.extras.get("use_keys") or self.extras.get("key_file") or self.extras.get("allow_agent"))

    @property
    def address(self) -> str:
        host = f"[{self.hostname}]" if ":" in self.hostname else self.hostname
        return f"{host}:{self.port}"


Scalar = Union[StrictStr, StrictInt, StrictFloat, StrictBool]


class _Element(BaseModel):
    """A host, group or the defaults, as written in the YAML: only what must be right for Nornir to
    load it is checked here (values themselves are Nornir's to read, in YAML 1.2)."""

    model_config = ConfigDict(extra="ignore")  # Nornir ignores keys it does not know
    hostname: Optional[Scalar] = None
    username: Optional[Scalar] = None
    password: Optional[Scalar] = None  # a number is a password too (YAML 1.2, as Nornir reads it)
    platform: Optional[Scalar] = None
    port: Optional[int] = Field(None, ge=1, le=65535)
    groups: list[str] = Field(default_factory=list)
    data: dict[str, Any] = Field(default_factory=dict)
    connection_options: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @field_validator("connection_options")
    @classmethod
    def _valid_netmiko_options(cls, value: dict[str, Any]) -> dict[str, Any]:
        # Checked here, where errors get a file and line; the message never carries the value.
        netmiko = value.get("netmiko") or {}
        extras = netmiko.get("extras")
        if extras is not None and not isinstance(extras, dict):
            raise ValueError("netmiko.extras: must be a mapping")
        port = netmiko.get("port")
        if port is not None and (not isinstance(port, int) or not 1 <= port <= 65535):
            raise ValueError("netmiko.port: must be a port number")
        for key in ("hostname", "username", "password", "platform"):
            if isinstance(netmiko.get(key), (list, dict)):
                raise ValueError(f"netmiko.{key}: must be a single value")
        return value


def load(path: Path) -> list[Host]:
    """Read an inventory: a Nornir `hosts.yaml` (or a folder holding one) or a text file."""
    if path.is_dir():
        path = path / "hosts.yaml"
    if not path.is_file():
        raise InventoryError(f"{path}: no such inventory file")
    if path.suffix.lower() in (".yaml", ".yml"):
        raw, _ = _read_yaml(path, required=True)
        inventory = (raw or {}).get("inventory")
        if isinstance(inventory, dict) and "plugin" in inventory:
            return _load_nornir_config(path)
        return _load_nornir(path)
    return _load_text(path)


def _load_nornir_config(path: Path) -> list[Host]:
    """A Nornir config file (`--nornir-config`): its inventory plugin (SimpleInventory, NetBox,
    Nautobot...) builds the hosts; its `ssh.config_file` is the ssh_config the sessions read."""
    import logging

    from nornir import InitNornir

    logging.getLogger("nornir").setLevel(logging.ERROR)
    try:
        nr = InitNornir(config_file=str(path), logging={"enabled": False})
    except Exception as exc:  # a plugin not installed, a server refusing the token: named, never a traceback or a value
        name = exc.__class__.__name__
        hint = " (is the inventory plugin installed?)" if "Plugin" in name or isinstance(exc, (ImportError, KeyError)) else ""
        raise InventoryError(f"{path}: Nornir could not build the inventory ({name}){hint}") from None
    hosts = [from_nornir(host, nr.config.ssh.config_file) for host in nr.inventory.hosts.values()]
    if not hosts:
        raise InventoryError(f"{path}: the inventory has no hosts")
    return hosts


def select(hosts: list[Host], limit: tuple[str, ...] = (), filters: tuple[str, ...] = ()) -> list[Host]:
    """Keep hosts whose name matches one `--limit` glob (if any) and every `--filter KEY=VALUE`.

    Filter keys: `name`, `group` (the host's groups, inherited ones included),
    `platform`, `hostname`, or `data.KEY`.
    """
    parsed = [_parse_filter(f) for f in filters]
    return [h for h in hosts if (not limit or any(fnmatch.fnmatchcase(h.name, pattern) for pattern in limit)) and all(_matches(h, key, value) for key, value in parsed)]


def _parse_filter(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key or not (key in ("name", "group", "platform", "hostname") or key.startswith("data.")):
        raise InventoryError(f"bad filter {text!r}: use name=GLOB, group=NAME, platform=NAME, hostname=GLOB or data.KEY=VALUE")
    return key, value.strip()


def _matches(host: Host, key: str, value: str) -> bool:
    if key == "group":
        return value in host.groups
    if key == "platform":
        return host.platform == PLATFORMS.get(value.lower(), value)
    if key in ("name", "hostname"):
        return fnmatch.fnmatchcase(getattr(host, key), value)
    return str(host.data.get(key[len("data.") :])) == value


# --- Nornir SimpleInventory ----------------------------------------------------------------


def _load_nornir(hosts_path: Path) -> list[Host]:
    hosts_raw, hosts_nodes = _read_yaml(hosts_path, required=True)
    groups_path = hosts_path.with_name("groups.yaml")
    defaults_path = hosts_path.with_name("defaults.yaml")
    groups_raw, groups_nodes = _read_yaml(groups_path, required=False)
    defaults_raw, defaults_nodes = _read_yaml(defaults_path, required=False)

    hosts = _elements(hosts_raw, hosts_nodes, hosts_path)
    groups = _elements(groups_raw, groups_nodes, groups_path)
    try:
        _Element.model_validate(defaults_raw or {})
    except ValidationError as exc:
        raise _validation_error(exc, defaults_path, defaults_nodes, ()) from None
    for owner, elements, where, nodes in (("host", hosts, hosts_path, hosts_nodes), ("group", groups, groups_path, groups_nodes)):
        for name, element in elements.items():
            for group in element.groups:
                if group not in groups:
                    line = _line(nodes, (name, "groups"))
                    raise InventoryError(f"{where}:{line}: {owner} {name!r} names group {group!r}, which {groups_path.name} does not define")
    if not hosts:
        raise InventoryError(f"{hosts_path}: the inventory has no hosts")
    return [from_nornir(host) for host in _nornir_inventory(hosts_path, groups_path, defaults_path).hosts.values()]


def _nornir_inventory(hosts_path: Path, groups_path: Path, defaults_path: Path):
    import logging

    from nornir.plugins.inventory.simple import SimpleInventory

    logging.getLogger("nornir").setLevel(logging.ERROR)  # its warnings (an empty file) are not our report
    try:
        return SimpleInventory(str(hosts_path), str(groups_path), str(defaults_path)).load()
    except Exception as exc:  # what our checks above let through: named, never a traceback or a value
        raise InventoryError(f"{hosts_path}: Nornir could not load the inventory ({exc.__class__.__name__})") from None


def unsafe_hostname(hostname: str) -> str | None:
    """Why a hostname cannot be connected to safely (it reaches ssh_config lookups, `%h` tokens
    and a ProxyJump command line), or None: no whitespace or control characters, no leading `-`
    (an option to `ssh`), no `%` (an ssh_config token)."""
    if not hostname:
        return "is empty"
    if any(c.isspace() or not c.isprintable() for c in hostname):
        return "holds whitespace or control characters"
    if hostname.startswith("-"):
        return "starts with `-` (it would be read as an option)"
    if "%" in hostname and not _scoped_ipv6(hostname):
        return "holds `%` (an ssh_config token)"
    return None


def _scoped_ipv6(hostname: str) -> bool:
    """An IPv6 literal with a zone (`fe80::1%eth0`): its `%` is the zone's, not a token."""
    import ipaddress

    try:
        return ipaddress.ip_address(hostname).version == 6
    except ValueError:
        return False


def _shown(value) -> str:
    from auditor.reports import printable

    return printable(str(value))[:80]


def from_nornir(host, ssh_config_file: Optional[str] = "~/.ssh/config") -> Host:
    """One Nornir host as we pull it: the connection parameters Nornir's netmiko plugin would use
    (and Nornir's ssh_config file, `~/.ssh/config` unless its config says otherwise)."""
    from auditor.pull import unsafe_extra

    params = host.get_connection_parameters("netmiko")
    extras = dict(params.extras or {})
    for key, value in extras.items():
        why = unsafe_extra(str(key), value)
        if why is not None:
            raise InventoryError(f"host {_shown(host.name)}: netmiko extra {_shown(key)!s}: {why}")
    hostname = str(params.hostname) if params.hostname is not None else str(host.name)
    why = unsafe_hostname(hostname)
    if why is not None:
        raise InventoryError(f"host {_shown(host.name)}: hostname {why}")
    platform = str(params.platform) if params.platform is not None else DEFAULT_PLATFORM
    known = PLATFORMS.get(platform.lower())
    secret = extras.get("secret")
    port = params.port if isinstance(params.port, int) else 22
    return Host(
        name=str(host.name),
        hostname=hostname,
        port=port,
        platform=known or platform,
        groups=tuple(g.name for g in host.extended_groups()),
        data=dict(host.items()),
        username=str(params.username) if params.username is not None else None,
        password=SecretStr(str(params.password)) if params.password is not None else None,
        secret=SecretStr(str(secret)) if secret is not None else None,
        extras=extras,
        unsupported=None if known else platform,
        ssh_config_file=ssh_config_file,
    )


def _read_yaml(path: Path, required: bool):
    import yaml

    if not path.exists():
        if required:
            raise InventoryError(f"{path}: no such inventory file")
        return None, None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InventoryError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc.__class__.__name__}") from None
    try:
        # Aliases are refused: a few lines of nested aliases expand to billions of
        # values once something walks them (`--filter data.KEY=...`).
        alias = next((e for e in yaml.parse(text, Loader=yaml.SafeLoader) if isinstance(e, yaml.AliasEvent)), None)
        if alias is not None:
            raise InventoryError(f"{path}:{alias.start_mark.line + 1}: YAML aliases (*name) are not accepted in inventories; write the values out")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise InventoryError(f"{where}: not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if data is not None and not isinstance(data, dict):
        raise InventoryError(f"{path}:1: expected a mapping of names to attributes, found {type(data).__name__}")
    return data, node


def _elements(raw: dict | None, nodes, path: Path) -> dict[str, _Element]:
    elements = {}
    for name, body in (raw or {}).items():
        if body is not None and not isinstance(body, dict):
            raise InventoryError(f"{path}:{_line(nodes, (name,))}: {name!r} must be a mapping of attributes")
        try:
            elements[str(name)] = _Element.model_validate(body or {})
        except ValidationError as exc:
            raise _validation_error(exc, path, nodes, (name,)) from None
    return elements


def _validation_error(exc: ValidationError, path: Path, nodes, prefix: tuple) -> InventoryError:
    error = exc.errors(include_url=False)[0]
    loc = prefix + tuple(error["loc"])
    message = "unknown attribute" if error["type"] == "extra_forbidden" else error["msg"]
    field = ".".join(str(p) for p in error["loc"])
    subject = f"{prefix[0]}: " if prefix else ""
    return InventoryError(f"{path}:{_line(nodes, loc)}: {subject}{field}: {message}")


def _line(node, loc: tuple) -> int:
    """1-based line of the YAML node at `loc` (or of its nearest ancestor present)."""
    line = 1
    for key in loc:
        if node is None:
            break
        line = node.start_mark.line + 1
        child = None
        if node.id == "mapping":
            for key_node, value_node in node.value:
                if key_node.value == str(key):
                    line = key_node.start_mark.line + 1
                    child = value_node
                    break
        elif node.id == "sequence" and isinstance(key, int) and key < len(node.value):
            child = node.value[key]
            line = child.start_mark.line + 1
        node = child
    return line


# --- plain text -------------------------------------------------------------------------------

_ENDPOINT = re.compile(r"^(?:\[(?P<v6>[0-9A-Fa-f:.%\w]+)\]|(?P<host>[^\s:\[\]]+))(?::(?P<port>\d+))?$")


def _load_text(path: Path) -> list[Host]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InventoryError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc.__class__.__name__}") from None
    hosts: dict[str, Host] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        entry = raw.split("#", 1)[0].strip()
        if not entry:
            continue
        name, sep, endpoint = entry.partition("=")
        endpoint = endpoint.strip() if sep else entry
        name = name.strip()
        match = _ENDPOINT.match(endpoint)
        bare_v6 = not match and endpoint.count(":") >= 2 and re.fullmatch(r"[0-9A-Fa-f:.]+", endpoint)
        if not (match or bare_v6) or not name or " " in name:
            raise InventoryError(f"{path}:{number}: expected NAME, ADDRESS[:PORT] or NAME=ADDRESS[:PORT], found {entry!r}")
        if bare_v6 or match is None:
            address, port = endpoint, 22
        else:
            address, port = match["v6"] or match["host"], int(match["port"] or 22)
        if not 1 <= port <= 65535:
            raise InventoryError(f"{path}:{number}: port {port} out of range")
        why = unsafe_hostname(address)
        if why is not None:
            raise InventoryError(f"{path}:{number}: hostname {why}")
        key = name if sep else entry
        if key in hosts:
            raise InventoryError(f"{path}:{number}: host {key!r} listed twice")
        hosts[key] = Host(name=key, hostname=address, port=port)
    if not hosts:
        raise InventoryError(f"{path}: the inventory has no hosts")
    return list(hosts.values())
