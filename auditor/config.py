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
from typing import Any

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
    configuration file and the defaults, in that order; `origins` says where each came from
    (`command line`, the file's path, `command line + FILE` for lists both add to, `default`).
    Commands read these values, never their raw options or the file's."""

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


# How each setting combines the command line (`given`) with the file: the command line replaces
# the file's value, or both add to it (ignores and excludes only ever widen what is left out), or
# either turns a flag on.
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


def _given(value) -> bool:
    """A value the command line (or the file) sets: not None, not an empty list, not an unset flag
    or an empty string. A number is set even when it is 0 (`--retries 0`)."""
    return value is not None and value is not False and value != "" and value != () and value != []


def resolve(given: dict, settings: Settings, path: Path | None) -> Resolved:
    """`given`: the command line's values (None, empty or False: not given; 0 is given)."""
    values: dict = {}
    origins: dict[str, str] = {}
    where = str(path) if path is not None else "configuration file"
    for name, how in _COMBINE.items():
        mine: Any = given.get(name)
        theirs: Any = getattr(settings, name)
        theirs = theirs.value if isinstance(theirs, Severity) else theirs
        mine = str(mine) if isinstance(mine, Path) else tuple(mine) if isinstance(mine, list) else mine
        theirs = tuple(theirs) if isinstance(theirs, list) else theirs
        if how == "add" and _given(mine) and _given(theirs):
            values[name], origins[name] = tuple(mine) + tuple(theirs), f"command line + {where}"
        elif how == "either" and (mine or theirs):
            values[name], origins[name] = True, "command line" if mine else where
        elif _given(mine):
            values[name], origins[name] = mine, "command line"
        elif _given(theirs):
            values[name], origins[name] = theirs, where
        else:
            origins[name] = "default"
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
