"""The rule base: metadata as data, parameters as fields, a pure ``check``."""

from __future__ import annotations

import ipaddress
from typing import ClassVar, Iterator, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from auditor.findings import Applicability, Change, Finding, Frozen, Remediation, Severity
from auditor.remediation import render_changes


class Reference(Frozen):
    """A benchmark item a rule checks: structured, so profiles can select by it."""

    standard: Literal["CIS IOS 15", "CIS IOS XE 17", "DISA STIG", "Cisco"]
    item: str
    title: str = ""
    level: int | None = None  # CIS profile level (1 or 2)

    def __str__(self) -> str:
        level = f" (L{self.level})" if self.level else ""
        title = f" {self.title}" if self.title else ""
        return f"{self.standard} {self.item}{level}{title}"


def cis(title: str, ios15: str | tuple[str, ...] = (), xe17: str | tuple[str, ...] = (), level: int = 1) -> tuple[Reference, ...]:
    """References to the CIS Cisco IOS 15 Benchmark (v4.x numbering) and the CIS
    Cisco IOS XE 17.x Benchmark (v2.2.1 numbering): the item numbers differ between them."""
    ios15 = (ios15,) if isinstance(ios15, str) else ios15
    xe17 = (xe17,) if isinstance(xe17, str) else xe17
    return tuple(Reference(standard="CIS IOS 15", item=i, title=title, level=level) for i in ios15) + tuple(Reference(standard="CIS IOS XE 17", item=i, title=title, level=level) for i in xe17)


def stig(item: str, title: str = "") -> Reference:
    return Reference(standard="DISA STIG", item=item, title=title)


class RuleMeta(Frozen):
    id: str
    name: str
    severity: Severity
    confidence: str = "high"
    summary: str
    references: tuple[Reference, ...] = ()
    tags: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ("ios",)  # where the fault means the same (auditor.platforms.NAMES)


class AuditOptions(Frozen):
    """What the operator tells us that the config cannot: used by remediations."""

    mgmt_nets: tuple[str, ...] = Field(default=())
    acl_name: str = "VTY-ACCESS"
    platform_version: str | None = None  # overrides the config's `version` line
    platform: str = "auto"  # `--platform`: which reader (auditor.platforms.NAMES); auto detects
    platform_overrides: tuple[tuple[str, str], ...] = ()  # (glob, platform): per-path settings from the config file
    # Minutes before an unconfirmed change reverts by itself (IOS `configure terminal revert
    # timer` takes 1-120: Cisco IOS Configuration Replace and Configuration Rollback guide).
    revert_minutes: int = Field(default=10, ge=1, le=120)

    @field_validator("mgmt_nets")
    @classmethod
    def _valid_networks(cls, nets: tuple[str, ...]) -> tuple[str, ...]:
        parsed = [ipaddress.ip_network(n, strict=False) for n in nets]
        for net in parsed:
            if net.prefixlen == 0:
                raise ValueError(f"{net} is every address: an ACL from it would fence nothing")
        for version, every in ((4, "0.0.0.0/0"), (6, "::/0")):
            family: list = [n for n in parsed if n.version == version]  # one address family: collapsible
            if family and list(ipaddress.collapse_addresses(family)) == [ipaddress.ip_network(every)]:
                # 0.0.0.0/1 and 128.0.0.0/1 (from a repository's configuration file, say) fence nothing either
                raise ValueError(f"{', '.join(map(str, family))} together cover every address ({every}): an ACL from them would fence nothing")
        return tuple(str(n) for n in parsed)

    @field_validator("platform")
    @classmethod
    def _known_platform(cls, name: str) -> str:
        from auditor.platforms import NAMES

        if name != "auto" and name not in NAMES:
            raise ValueError(f"unknown platform {name!r}; use auto, {', '.join(NAMES)}")
        return name

    @field_validator("acl_name")
    @classmethod
    def _valid_acl_name(cls, name: str) -> str:
        if not name or any(c.isspace() for c in name) or name[0].isdigit():
            raise ValueError("ACL name must be one word and not start with a digit")
        return name


# At most this many findings of one rule on one device are built and listed; the rest are
# counted in one finding. A config of 30,000 weak users or 50,000 line blocks costs what a
# reader can use, not 100 µs a finding (models, masking, remediation) times the attacker's count.
FINDINGS_PER_RULE = 100


class _Capped:
    """What `Rule.finding` returns past the cap: counted by the engine, never built."""

    __slots__ = ()


CAPPED = _Capped()
Found = Union[Finding, _Capped]  # what a rule's check yields: a finding, or CAPPED past the cap


class Rule(BaseModel):
    """One rule. Subclasses set ``meta`` and implement ``check``."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    meta: ClassVar[RuleMeta]
    options: AuditOptions = AuditOptions()
    _emitted: int = PrivateAttr(0)

    def check(self, device) -> Iterator[Found]:  # pragma: no cover - abstract
        raise NotImplementedError

    def capped(self) -> bool:
        """True (and counted) once this rule has listed FINDINGS_PER_RULE findings on this device:
        a rule whose findings are costly to build (a remediation each) skips building the rest."""
        if self._emitted >= FINDINGS_PER_RULE:
            self._emitted += 1
            return True
        return False

    def finding(
        self,
        *,
        message: str,
        section: str,
        line: int,
        evidence: str,
        applicability: Applicability,
        changes: tuple[Change, ...] | list[Change],
        note: str = "",
        severity: Severity | None = None,
    ) -> Found:
        """A finding of this rule (`severity`: where this instance is less severe than the rule's);
        past FINDINGS_PER_RULE on this device, `CAPPED`, which the engine counts."""
        self._emitted += 1
        if self._emitted > FINDINGS_PER_RULE:
            return CAPPED
        return Finding(
            rule_id=self.meta.id,
            rule_name=self.meta.name,
            severity=severity or self.meta.severity,
            message=message,
            section=section,
            line=line,
            evidence=evidence,  # Finding masks it
            remediation=Remediation(applicability=applicability, changes=tuple(changes), note=note, config=render_changes(changes)),
        )

    @classmethod
    def doc(cls) -> str:
        import inspect
        import sys

        module = sys.modules[cls.__module__]
        return inspect.cleandoc(module.__doc__ or "")


class WireRule(Rule):
    """A rule over what `probe` saw on the wire and, where given, the audited config.

    Its findings have `line` 0 (not in a config) unless they point at a config
    line; `section` names the port (`tcp/23`).
    """

    def check(self, probe, device=None) -> Iterator[Found]:  # type: ignore[override]  # pragma: no cover - a wire rule reads a probe first
        raise NotImplementedError


def capped_finding(meta: RuleMeta, count: int) -> Finding:
    """The one finding that stands for the `count` findings of a rule past the cap."""
    return Finding(
        rule_id=meta.id,
        rule_name=meta.name,
        severity=meta.severity,
        section="(more)",
        line=0,
        evidence="",
        message=f"{count} more {meta.id} finding(s) on this device are not listed: at most {FINDINGS_PER_RULE} per rule per device",
        remediation=Remediation(applicability=Applicability.UNSAFE, note="Fix the listed ones and scan again: the rest are then listed."),
    )
