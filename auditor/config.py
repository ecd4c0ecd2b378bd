"""Project configuration: `[tool.vty-auditor]` in pyproject.toml or a `.vty-auditor.toml`.

Found by walking up from the current directory (`.vty-auditor.toml` wins over
pyproject.toml in the same directory) and never above the repository root
(the directory holding `.git`), or named with `--config`; `--isolated` reads
none. Validated with pydantic; unknown keys are errors that name the key and
the file.

A configuration file can change what the gate enforces, and in a merge
request the file itself may be part of the change: every report therefore
names the file used and each setting that differs from the defaults
(`describe`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Iterable, Mapping

from pydantic import ConfigDict, Field, ValidationError, field_validator

from auditor.findings import Frozen, Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class ConfigError(Exception):
    """A configuration file is invalid (a usage error, exit 2)."""


class Settings(Frozen):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: Severity | None = Field(default=None, alias="fail-on")
    profile: str | None = None
    mgmt_nets: tuple[str, ...] = Field(default=(), alias="mgmt-nets")
    acl_name: str | None = Field(default=None, alias="acl-name")
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    severity: dict[str, Severity] = {}  # per-rule severity overrides
    rules: dict[str, dict[str, Any]] = {}  # per-rule parameters
    # How configs are read: "auto", "ios" or "nxos", or a table with `default` and per-glob
    # overrides (`"dc/*.cfg" = "nxos"`); `--platform` on the command line wins over both.
    platform: str | dict[str, str] | None = None
    allow_unsupported: bool = Field(default=False, alias="allow-unsupported")  # other platforms' configs do not make the exit code 3
    diff_base: str | None = Field(default=None, alias="diff-base")  # gate on what the branch changes against this ref
    skip_non_configs: bool = Field(default=False, alias="skip-non-configs")  # notes and READMEs in a config directory are skipped
    # Fleet scans (`--inventory`):
    inventory: str | None = None  # relative to the config file
    nornir_config: str | None = Field(default=None, alias="nornir-config")  # a Nornir config file: its inventory plugin builds the hosts
    known_hosts: str | None = Field(default=None, alias="known-hosts")  # relative to the config file
    accept_any_host_key: bool = Field(default=False, alias="accept-any-host-key")  # no host key checking at all
    workers: int | None = Field(default=None, ge=1)
    timeout: float | None = Field(default=None, gt=0)
    retries: int | None = Field(default=None, ge=0)
    deadline: float | None = Field(default=None, gt=0)  # seconds per device in all (default 10 x timeout)
    max_output: int | None = Field(default=None, ge=1, alias="max-output")  # MiB of output per device
    source_address: str | None = Field(default=None, alias="source-address")  # local address to connect from

    @field_validator("severity", "rules")
    @classmethod
    def _known_rule_ids(cls, value: dict) -> dict:
        from rules import rule_by_id

        unknown = [k for k in value if rule_by_id(k) is None]
        if unknown:
            raise ValueError(f"unknown rule id {', '.join(unknown)}{nearest_rule(unknown[0])}")
        return {k.upper(): v for k, v in value.items()}

    @field_validator("select", "ignore")
    @classmethod
    def _known_selectors(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        from auditor.engine import unknown_selectors

        bad = unknown_selectors(tuple(value))
        if bad:
            raise ValueError(f"no rule matches {', '.join(bad)}{nearest_rule(bad[0])} (see `vty-auditor rules`)")
        return value

    @field_validator("platform")
    @classmethod
    def _known_platforms(cls, value):
        from auditor.platforms import NAMES

        values = value.values() if isinstance(value, dict) else [] if value is None else [value]
        bad = [v for v in values if v not in ("auto", *NAMES)]
        if bad:
            raise ValueError(f"unknown platform {', '.join(map(repr, bad))}; use auto, {', '.join(NAMES)}")
        return value

    def platform_choice(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        """(default platform, (glob, platform) overrides in file order)."""
        if isinstance(self.platform, dict):
            overrides = tuple((k, v) for k, v in self.platform.items() if k != "default")
            return self.platform.get("default", "auto"), overrides
        return self.platform or "auto", ()

    def check_rule_parameters(self) -> None:
        from rules import rule_by_id

        for rule_id, params in self.rules.items():
            rule_by_id(rule_id)(**params)


def nearest_rule(word: str) -> str:
    """ "; did you mean VTY001?" for a rule id one typo away, else ""."""
    import difflib

    from rules import REGISTRY

    near = difflib.get_close_matches(word.upper(), [r.meta.id for r in REGISTRY], n=1, cutoff=0.6)
    return f" (did you mean {near[0]}?)" if near else ""


def _problem(error) -> str:
    """One validation error as `key: what is wrong`, an unknown key with the nearest known one."""
    import difflib

    key = ".".join(map(str, error["loc"])) or "config"
    if error["type"] == "extra_forbidden":
        known = [f.alias or name for name, f in Settings.model_fields.items()]
        near = difflib.get_close_matches(str(error["loc"][-1]).replace("_", "-"), known, n=1, cutoff=0.6)
        return f"{key}: unknown setting" + (f" (did you mean `{near[0]}`?)" if near else f"; known: {', '.join(sorted(known))}")
    return f"{key}: {error['msg'].removeprefix('Value error, ')}"


def find(start: Path | None = None) -> Path | None:
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        candidate = directory / ".vty-auditor.toml"
        if candidate.is_file():
            return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and "tool" in _read(pyproject) and "vty-auditor" in _read(pyproject)["tool"]:
            return pyproject
        if (directory / ".git").exists():
            return None  # the repository root: a file above it is not the repository's
    return None


class Resolved(Frozen):
    """The audit settings one command runs with, resolved once from the command line, the
    environment (`ENVIRONMENT`), the configuration file and the defaults, in that order; `origins`
    says where each came from (`command line`, `environment (VTY_AUDITOR_...)`, the file's path,
    `command line + FILE` for lists several layers add to, `default`). Commands read these
    values, never their raw options or the file's."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    mgmt_nets: tuple[str, ...] = ()
    acl_name: str = "VTY-ACCESS"
    profile: str = "all"
    fail_on: str = "low"
    skip_non_configs: bool = False
    allow_unsupported: bool = False
    # Fleet scans; None: the pull's own default (auditor.pull.PullSettings).
    workers: int | None = None
    timeout: float | None = None
    retries: int | None = None
    deadline: float | None = None
    max_output: int | None = None  # MiB
    known_hosts: str | None = None
    source_address: str | None = None
    accept_any_host_key: bool = False
    origins: dict[str, str] = {}


# How each setting combines a higher layer with the ones below it: the higher replaces the lower
# value, or each adds to it (ignores and excludes only ever widen what is left out), or any layer
# turns a flag on.
_COMBINE = {
    "select": "replace",
    "ignore": "add",
    "include": "replace",
    "exclude": "add",
    "mgmt_nets": "replace",
    "acl_name": "replace",
    "profile": "replace",
    "fail_on": "replace",
    "skip_non_configs": "either",
    "allow_unsupported": "either",
    "workers": "replace",
    "timeout": "replace",
    "retries": "replace",
    "deadline": "replace",
    "max_output": "replace",
    "known_hosts": "replace",
    "source_address": "replace",
    "accept_any_host_key": "either",
}

# The settings the environment may give, and how each is read: a list is comma-separated, a flag
# is 1/true/yes or 0/false/no. Credentials are not settings (`auditor.cli.common.credentials_for`).
# Not `accept-any-host-key`: turning host-key checking off is said on the command line, where the
# run's log shows it.
ENVIRONMENT = {
    "VTY_AUDITOR_SELECT": ("select", "list"),
    "VTY_AUDITOR_IGNORE": ("ignore", "list"),
    "VTY_AUDITOR_INCLUDE": ("include", "list"),
    "VTY_AUDITOR_EXCLUDE": ("exclude", "list"),
    "VTY_AUDITOR_MGMT_NETS": ("mgmt_nets", "list"),
    "VTY_AUDITOR_ACL_NAME": ("acl_name", "text"),
    "VTY_AUDITOR_PROFILE": ("profile", "text"),
    "VTY_AUDITOR_FAIL_ON": ("fail_on", "text"),
    "VTY_AUDITOR_SKIP_NON_CONFIGS": ("skip_non_configs", "flag"),
    "VTY_AUDITOR_ALLOW_UNSUPPORTED": ("allow_unsupported", "flag"),
    "VTY_AUDITOR_WORKERS": ("workers", "int"),
    "VTY_AUDITOR_TIMEOUT": ("timeout", "float"),
    "VTY_AUDITOR_RETRIES": ("retries", "int"),
    "VTY_AUDITOR_DEADLINE": ("deadline", "float"),
    "VTY_AUDITOR_MAX_OUTPUT": ("max_output", "int"),
    "VTY_AUDITOR_KNOWN_HOSTS": ("known_hosts", "text"),
    "VTY_AUDITOR_SOURCE_ADDRESS": ("source_address", "text"),
}
_FLAGS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


def from_environment(env: Mapping[str, str], names: Iterable[str] | None = None) -> tuple[dict, dict[str, str]]:
    """(values, origins) of the settings the environment gives: each variable of `ENVIRONMENT`
    (only those setting `names`, when given) that is set and not empty. A value that is not what
    the setting takes is a `ConfigError` naming the variable."""
    values: dict = {}
    origins: dict[str, str] = {}
    for variable, (name, kind) in ENVIRONMENT.items():
        raw = env.get(variable, "").strip()
        if not raw or (names is not None and name not in names):
            continue
        try:
            if kind == "list":
                value: Any = tuple(v.strip() for v in raw.split(",") if v.strip())
            elif kind == "flag":
                value = _FLAGS[raw.lower()]
            elif kind == "int":
                value = int(raw)
            elif kind == "float":
                value = float(raw)
            else:
                value = raw
        except (KeyError, ValueError):
            takes = {"flag": "1 or 0 (true/false, yes/no)", "int": "a whole number", "float": "a number"}[kind]
            raise ConfigError(f"{variable}={raw[:40]!r}: {name.replace('_', '-')} takes {takes}") from None
        values[name], origins[name] = value, f"environment ({variable})"
    return values, origins


def _given(value) -> bool:
    """A value a layer sets: not None, not an empty list, not an unset flag or an empty string.
    A number is set even when it is 0 (`--retries 0`)."""
    return value is not None and value is not False and value != "" and value != () and value != []


def resolve(given: dict, settings: Settings, path: Path | None, env: Mapping[str, str] | None = None) -> Resolved:
    """`given`: the command line's values (None, empty or False: not given; 0 is given); `env`:
    the environment (`os.environ` when None; `ENVIRONMENT` lists what it may set), read only for
    the settings the command takes (the keys of `given`)."""
    import os

    where = str(path) if path is not None else "configuration file"
    environment, env_origins = from_environment(os.environ if env is None else env, given)
    values: dict = {}
    origins: dict[str, str] = {}
    for name, how in _COMBINE.items():
        file_value: Any = getattr(settings, name)
        file_value = file_value.value if isinstance(file_value, Severity) else file_value
        cli_value: Any = given.get(name)
        cli_value = str(cli_value) if isinstance(cli_value, Path) else tuple(cli_value) if isinstance(cli_value, list) else cli_value
        layers = [  # lowest first: a later layer wins
            (where, tuple(file_value) if isinstance(file_value, list) else file_value),
            (env_origins.get(name, "environment"), environment.get(name)),
            ("command line", cli_value),
        ]
        set_by = [(origin, value) for origin, value in layers if _given(value)]
        if not set_by:
            origins[name] = "default"
        elif how == "add":
            values[name] = tuple(item for _, value in reversed(set_by) for item in value)  # the nearest layer's first
            origins[name] = " + ".join(origin for origin, _ in reversed(set_by))
        elif how == "either":
            values[name], origins[name] = True, set_by[-1][0]
        else:
            values[name], origins[name] = set_by[-1][1], set_by[-1][0]
    return Resolved(**values, origins=origins)


def describe(settings: Settings, path: Path | None, isolated: bool = False) -> dict:
    """What a report says of its configuration: the file and every non-default setting."""
    if isolated:
        return {"config": "(none: --isolated)"}
    if path is None:
        return {"config": "(none)"}
    changed = settings.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    return {"config": str(path), "config_settings": {k: _flat(v) for k, v in changed.items()}}


def _flat(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={_flat(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_flat(v) for v in value)
    return str(value)


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None


# Settings a configuration file found in the repository (not named with --config) may not make:
# the repository is untrusted in CI, and each of these would weaken a check on the operator's
# behalf (README "Security model").
OPERATOR_ONLY = {"accept_any_host_key": "turns host-key checking off for every device, so an impersonator would receive the credentials"}


def load(path: Path | None) -> tuple[Settings, Path | None]:
    """Settings from `path`, or from the nearest config file, or defaults. A file found in the
    repository (not named) may not set what only the operator may (`OPERATOR_ONLY`)."""
    discovered = path is None
    path = path or find()
    if path is None:
        return Settings(), None
    if not path.is_file():
        raise ConfigError(f"{path}: no such file")
    data = _read(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("vty-auditor", {})
    try:
        settings = Settings.model_validate(data)
        settings.check_rule_parameters()
    except ValidationError as exc:
        problems = "; ".join(_problem(e) for e in exc.errors(include_url=False))
        raise ConfigError(f"{path}: {problems}") from None
    if discovered:
        for key, why in OPERATOR_ONLY.items():
            if getattr(settings, key):
                flag = "--" + key.replace("_", "-")
                raise ConfigError(
                    f"{path}: {flag.lstrip('-')} {why}: a configuration file found in the repository cannot set it (give {flag} on the command line, or name a file you trust with --config)"
                )
    return _relative_to(settings, path.parent), path


def _relative_to(settings: Settings, base: Path) -> Settings:
    """Paths in a config file are relative to the file, not to the working directory."""
    update = {key: str(base / value) for key in ("inventory", "nornir_config", "known_hosts") if (value := getattr(settings, key)) is not None and not Path(value).is_absolute()}
    return settings.model_copy(update=update)
