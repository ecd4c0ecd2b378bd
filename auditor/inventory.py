"""Which devices to pull: a Nornir SimpleInventory or a plain list of hosts.

Nornir users keep `hosts.yaml` (and optionally `groups.yaml` and
`defaults.yaml` beside it) and reuse it as is. Attributes resolve the way
Nornir resolves them: the host's own value, then its groups in order (and their
parent groups, depth first), then the defaults; `data` merges key by key in the
same order. `connection_options.netmiko` (Nornir's netmiko plugin) overrides
`hostname`, `port`, `username`, `password`, `platform` and `extras.secret`.

A plain text inventory has one host per line: `NAME`, `ADDRESS`, `ADDRESS:PORT`,
`[IPV6]:PORT` or `NAME=ADDRESS[:PORT]`; `#` starts a comment.

Errors name the file and the line at fault; they are usage errors for the CLI.
Passwords read from an inventory are held as `SecretStr` and never printed.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

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

    @property
    def address(self) -> str:
        host = f"[{self.hostname}]" if ":" in self.hostname else self.hostname
        return f"{host}:{self.port}"


class _NetmikoOptions(BaseModel):
    model_config = ConfigDict(extra="ignore")
    hostname: Optional[str] = None
    port: Optional[int] = None
    username: Optional[str] = None
    password: Optional[SecretStr] = None
    platform: Optional[str] = None
    extras: dict[str, Any] = Field(default_factory=dict)


class _Element(BaseModel):
    """A host, group or the defaults, as written in the YAML (all optional)."""

    model_config = ConfigDict(extra="forbid")
    hostname: Optional[str] = None
    port: Optional[int] = Field(None, ge=1, le=65535)
    username: Optional[str] = None
    password: Optional[SecretStr] = None
    platform: Optional[str] = None
    groups: list[str] = Field(default_factory=list)
    data: dict[str, Any] = Field(default_factory=dict)
    connection_options: dict[str, Any] = Field(default_factory=dict)

    @field_validator("platform")
    @classmethod
    def _known_platform(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and value.lower() not in PLATFORMS:
            raise ValueError(f"unsupported platform {value!r}; use one of {', '.join(sorted(set(PLATFORMS.values())))}")
        return value

    @field_validator("connection_options")
    @classmethod
    def _valid_netmiko_options(cls, value: dict[str, Any]) -> dict[str, Any]:
        # Checked here, where errors get a file and line; the message never carries the value.
        try:
            _NetmikoOptions.model_validate(value.get("netmiko") or {})
        except ValidationError as exc:
            error = exc.errors(include_url=False)[0]
            raise ValueError(f"netmiko.{'.'.join(map(str, error['loc']))}: {error['msg']}") from None
        return value

    def netmiko(self) -> _NetmikoOptions:
        return _NetmikoOptions.model_validate(self.connection_options.get("netmiko") or {})


def load(path: Path) -> list[Host]:
    """Read an inventory: a Nornir `hosts.yaml` (or a folder holding one) or a text file."""
    if path.is_dir():
        path = path / "hosts.yaml"
    if not path.is_file():
        raise InventoryError(f"{path}: no such inventory file")
    if path.suffix.lower() in (".yaml", ".yml"):
        return _load_nornir(path)
    return _load_text(path)


def select(hosts: list[Host], limit: tuple[str, ...] = (), filters: tuple[str, ...] = ()) -> list[Host]:
    """Keep hosts whose name matches one `--limit` glob (if any) and every `--filter KEY=VALUE`.

    Filter keys: `name`, `group` (the host's groups, inherited ones included),
    `platform`, `hostname`, or `data.KEY`.
    """
    parsed = [_parse_filter(f) for f in filters]
    return [
        h
        for h in hosts
        if (not limit or any(fnmatch.fnmatchcase(h.name, pattern) for pattern in limit))
        and all(_matches(h, key, value) for key, value in parsed)
    ]


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
    return str(host.data.get(key[len("data."):])) == value


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
        defaults = _Element.model_validate(defaults_raw or {})
    except ValidationError as exc:
        raise _validation_error(exc, defaults_path, defaults_nodes, ()) from None

    for owner, elements, where, nodes in (("host", hosts, hosts_path, hosts_nodes), ("group", groups, groups_path, groups_nodes)):
        for name, element in elements.items():
            for group in element.groups:
                if group not in groups:
                    line = _line(nodes, (name, "groups"))
                    raise InventoryError(f"{where}:{line}: {owner} {name!r} names group {group!r}, which {groups_path.name} does not define")
    resolved = []
    for name, element in hosts.items():
        resolved.append(_resolve(name, element, groups, defaults, hosts_path, _line(hosts_nodes, (name,))))
    if not resolved:
        raise InventoryError(f"{hosts_path}: the inventory has no hosts")
    return resolved


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
            raise InventoryError(
                f"{path}:{alias.start_mark.line + 1}: YAML aliases (*name) are not accepted in inventories; write the values out"
            )
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


def _group_chain(names: list[str], groups: dict[str, _Element], seen: tuple[str, ...] = ()) -> list[str]:
    """Groups in Nornir's resolution order: each group, then its own parents, depth first."""
    order: list[str] = []
    for name in names:
        if name in seen or name in order:
            continue
        order.append(name)
        order += [g for g in _group_chain(groups[name].groups, groups, seen + (name,)) if g not in order]
    return order


def _resolve(name: str, host: _Element, groups: dict[str, _Element], defaults: _Element, path: Path, line: int) -> Host:
    chain = [host] + [groups[g] for g in _group_chain(host.groups, groups)] + [defaults]

    def first(attr: str):
        for element in chain:
            value = getattr(element.netmiko(), attr, None)
            if value is None:
                value = getattr(element, attr)
            if value is not None:
                return value
        return None

    data: dict[str, Any] = {}
    for element in reversed(chain):
        data.update(element.data)
    secret = None
    for element in chain:
        extra = element.netmiko().extras.get("secret")
        if extra is not None:
            secret = SecretStr(str(extra))
            break
    platform = first("platform") or DEFAULT_PLATFORM
    if platform.lower() not in PLATFORMS:
        raise InventoryError(f"{path}:{line}: {name}: unsupported platform {platform!r}")
    return Host(
        name=name,
        hostname=first("hostname") or name,
        port=first("port") or 22,
        platform=PLATFORMS[platform.lower()],
        groups=tuple(_group_chain(host.groups, groups)),
        data=data,
        username=first("username"),
        password=first("password"),
        secret=secret,
    )


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
        if bare_v6:
            address, port = endpoint, 22
        else:
            address, port = match["v6"] or match["host"], int(match["port"] or 22)
        if not 1 <= port <= 65535:
            raise InventoryError(f"{path}:{number}: port {port} out of range")
        key = name if sep else entry
        if key in hosts:
            raise InventoryError(f"{path}:{number}: host {key!r} listed twice")
        hosts[key] = Host(name=key, hostname=address, port=port)
    if not hosts:
        raise InventoryError(f"{path}: the inventory has no hosts")
    return list(hosts.values())
