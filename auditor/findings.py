"""The report model: findings, their remediation, and per-device results.

Everything here is a frozen pydantic model, so a finding cannot change once a
rule has emitted it, and the JSON report is just ``model_dump``.
"""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict, field_validator


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Severity(str, Enum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


class Applicability(str, Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"  # can lock operators out; the note says why
    NEEDS_INPUT = "needs-input"  # contains a <PLACEHOLDER> only the operator can fill


class Phase(int, Enum):
    """Order of changes in a combined script, chosen so nothing locks the operator out.

    Credentials and ACLs exist before anything points at them; SSH has a key and
    is version 2 before anything relies on it; old credentials go last; and what
    closes Telnet is a second step, pasted only after an SSH login through the
    changed lines has worked (`AFTER_SSH_LOGIN`).
    """

    USERS = 10
    ENABLE = 20
    ACLS = 30
    SSH_KEYS = 35
    SSH = 40
    LINES = 50
    CLEANUP = 90
    AFTER_SSH_LOGIN = 95


class Change(Frozen):
    """Config lines to paste, under ``parent`` (None = global config)."""

    phase: Phase
    parent: str | None = None
    lines: tuple[str, ...]
    order: int = 50  # order of commands inside one line section


class Remediation(Frozen):
    applicability: Applicability
    changes: tuple[Change, ...] = ()
    note: str = ""
    config: str = ""  # the changes rendered as config text (auditor.remediation renders them)


class Finding(Frozen):
    rule_id: str
    rule_name: str
    severity: Severity
    message: str
    section: str
    line: int
    evidence: str
    remediation: Remediation
    justification: str | None = None  # set on suppressed findings: the suppression comment's reason
    file: str | None = None  # the file `line` is in, when not the device's source (a `--change` snippet)

    def location(self, source: str) -> str:
        """`path:line` of the finding (its own file when it has one), or the path alone."""
        path = self.file or source
        return f"{path}:{self.line}" if self.line > 0 else path

    @field_validator("evidence")
    @classmethod
    def _masked(cls, evidence: str) -> str:
        """Evidence is config text: whoever builds a finding, its secrets never leave the process."""
        from auditor.masking import mask_secrets

        return mask_secrets(evidence)


class ChangeSummary(Frozen):
    """What a change does to a device's findings (see auditor.change)."""

    introduced: tuple[Finding, ...] = ()
    resolved: tuple[Finding, ...] = ()  # findings of the config before the change
    unchanged: tuple[Finding, ...] = ()


SCHEMA_VERSION_READABLE = (1,)  # JSON report versions `merge` reads


class DeviceStatus(str, Enum):
    AUDITED = "audited"
    UNRECOGNIZED = "unrecognized"  # the input is not a config of a supported platform
    UNSUPPORTED = "unsupported"  # another platform's config, recognised and named, not audited
    NOT_CONFIG = "not-a-config"  # no command a device config has (notes, a README): `--skip-non-configs` leaves it out
    ERROR = "error"  # the input could not be read, or the auditor failed on it
    # A device whose running-config could not be pulled (`scan --inventory`):
    UNREACHABLE_REFUSED = "unreachable-refused"  # TCP reset: host up, nothing listening on the port
    UNREACHABLE_TIMEOUT = "unreachable-timeout"  # no answer to the TCP connect: down, or dropped on the path
    UNREACHABLE_NO_ROUTE = "unreachable-no-route"  # no route to the host or network
    DNS_FAILURE = "dns-failure"  # the inventory hostname does not resolve
    AUTH_FAILED = "auth-failed"  # the device rejected the username/password (or the enable secret)
    SSH_ERROR = "ssh-error"  # no SSH banner, protocol or negotiation error
    HOST_KEY_MISMATCH = "host-key-mismatch"  # the host key differs from the one in --known-hosts
    HOST_KEY_UNKNOWN = "host-key-unknown"  # strict checking is on and --known-hosts has no key for the host
    COMMAND_REJECTED = "command-rejected"  # `show running-config` refused (privilege, authorization)
    TRUNCATED = "truncated"  # the output ended before the config's final `end`
    TIMEOUT = "timeout"  # the device stopped answering in the middle of the session
    CANCELLED = "cancelled"  # the run was interrupted (Ctrl-C, SIGTERM) before this device was done

    @property
    def pull_failure(self) -> bool:
        return self not in (DeviceStatus.AUDITED, DeviceStatus.UNRECOGNIZED, DeviceStatus.UNSUPPORTED, DeviceStatus.NOT_CONFIG, DeviceStatus.ERROR)


class PortOutcome(str, Enum):
    """A TCP connect, read the way an engineer reads `telnet HOST PORT`."""

    OPEN = "open"  # connected: something listens
    REFUSED = "refused"  # RST: the host was reached, nothing listens on the port
    TIMEOUT = "timeout"  # no answer: dropped on the path (firewall, ACL) or the host is down
    UNRESOLVED = "unresolved"  # the name does not resolve
    UNREACHABLE = "unreachable"  # no route to the host or network

    @property
    def explanation(self) -> str:
        return {
            "open": "connected: something listens",
            "refused": "refused: host reached, nothing listening",
            "timeout": "timed out: dropped on the path (firewall, ACL) or host down",
            "unresolved": "name does not resolve",
            "unreachable": "no route to the host",
        }[self.value]


class BannerKind(str, Enum):
    SSH = "ssh"  # an SSH identification string
    TELNET = "telnet"  # Telnet option negotiation (IAC)
    OTHER = "other"  # some other greeting (SMTP 220, HTTP, ...)
    NONE = "none"  # nothing within the wait


class PortResult(Frozen):
    """One probed port: outcome and, when open, what the service said first."""

    port: int
    role: str  # "telnet", "ssh" or "other": what the port is checked for
    outcome: PortOutcome
    address: str | None = None  # the IP address connected to
    banner_kind: BannerKind = BannerKind.NONE
    banner: str = ""  # printable, at most 80 characters
    ssh_version: str | None = None  # protocol version of an SSH banner: "2.0", "1.99", "1.5"


def display_name(name: str) -> str:
    """A file name fit for every report: bytes that are not UTF-8 (kept by the OS as
    lone surrogates) become visible `\\xff` escapes instead of breaking the encoder."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "surrogateescape") if all("\udc80" <= c <= "\udcff" for c in name if "\ud800" <= c <= "\udfff") else name.encode("utf-8", "surrogatepass")
        return raw.decode("utf-8", "backslashreplace")


class DeviceReport(Frozen):
    source: str  # the file path, or the inventory name of a pulled device
    hostname: str | None = None  # as the config's `hostname` line says
    address: str | None = None  # host:port a pulled device was reached at
    status: DeviceStatus
    error: str | None = None
    findings: tuple[Finding, ...] = ()
    suppressed: tuple[Finding, ...] = ()  # silenced by an inline `! vty-auditor: ignore[...]`
    baselined: tuple[Finding, ...] = ()  # known debt recorded in a baseline file
    change: ChangeSummary | None = None  # set by `scan --change`
    probe: tuple[PortResult, ...] = ()  # set by `probe` and `scan --probe`
    remediation: str = ""
    platform: str | None = None  # `ios`, `iosxe`, `nxos` (auditor.platforms); None when not read
    platform_evidence: tuple[str, ...] = ()  # what decided the platform (or, when ambiguous, each candidate's)

    @field_validator("source")
    @classmethod
    def _displayable(cls, source: str) -> str:
        return display_name(source)
