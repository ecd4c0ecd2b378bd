"""Platforms: each reads its own config syntax into the neutral model (`auditor.model`).

Each platform is a package (`ios`, `nxos`, `asa`, `iosxr`), registered by one `Spec` in `SPECS`,
and its `PLATFORM` implements the `Platform` interface below. A package owns three things:

* detection evidence: what in a config says it is this platform;
* how its config is read and applied (defaults, overrides, `no` forms), in
  `read`, which yields the neutral `DeviceModel` every rule reads;
* its remediation syntax, including how a change is saved and rolled back:
  the fixes rules ask for (`close_telnet`, `fence`, `define_acl`,
  `replace_password`) and the framing of the combined script (`script`).

Rules that mean the same thing on every platform are written once and list
the platforms they cover (`RuleMeta.platforms`); the engine runs a rule only
on devices of those platforms. Adding a platform is its package, one `Spec` and
its fixtures; the rules that apply list its name.

Detection (`detect`) weighs decisive evidence: numbered `line vty|con|aux N`
headers are IOS; a `!Command: show running-config` header, a RANCID
`cisco-nx` content type or a `version ... Bios:` line are NX-OS. Decisive
evidence for both makes the file ambiguous: it is reported with the evidence
for each, never guessed. `!! IOS XR Configuration` and `RP/0/...#` prompts are
IOS-XR; `ASA Version` is the ASA. Without decisive evidence, IOS-XR structure
(`vty-pool`, `line template`, `line default`, `group root-lr`, `ssh server
vrf`), then the ASA's (`nameif`, `same-security-traffic`, `ssh|telnet ADDRESS
MASK IFNAME`) and then NX-OS structure (`feature` lines naming NX-OS features,
an unnumbered `line vty`) decide; else the file is read as IOS, whose reader
says why it is not a config when it is not. Banner bodies are never evidence.
Another vendor's config (Junos, EOS, AOS-CX, FortiOS, PAN-OS in either form, a
RANCID content type that is not a Cisco platform here, Cisco Business) is
`unsupported`, named, never audited with Cisco rules.
"""

from __future__ import annotations

from auditor.findings import Change, Phase

import fnmatch
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from auditor.cli_model import CliModel


@dataclass(frozen=True)
class Spec:
    """One platform, registered once: everything else that names platforms derives from `SPECS`."""

    name: str  # what `--platform`, the config file and RuleMeta.platforms name
    title: str  # how docs and messages name it
    package: str  # the package whose `PLATFORM` reads it (imported on first use: `--version` stays cheap)
    labels: tuple[str, ...]  # the platform labels its reports carry (`ios`, `iosxe`)
    device_types: tuple[str, ...]  # the netmiko device types whose pulls it reads (an inventory's `platform`)


SPECS = (
    Spec("ios", "IOS / IOS-XE", "auditor.platforms.ios", ("ios", "iosxe"), ("cisco_ios", "cisco_xe")),
    Spec("nxos", "NX-OS", "auditor.platforms.nxos", ("nxos",), ("cisco_nxos",)),
    Spec("asa", "ASA", "auditor.platforms.asa", ("asa",), ("cisco_asa",)),
    Spec("iosxr", "IOS-XR", "auditor.platforms.iosxr", ("iosxr",), ("cisco_xr",)),
)
NAMES = tuple(s.name for s in SPECS)
TITLES = {s.name: s.title for s in SPECS}
READERS = {label: s.name for s in SPECS for label in s.labels}  # a report's platform label -> the platform that read it
DEVICE_TYPES = {t: s.name for s in SPECS for t in s.device_types}  # netmiko device type -> the platform that reads its pulls


@dataclass(frozen=True)
class Evidence:
    decisive: tuple[str, ...] = ()  # no other platform prints these
    structural: tuple[str, ...] = ()  # typical, but a stray one can appear elsewhere


@dataclass(frozen=True)
class Detection:
    platform: str | None  # None: ambiguous, another OS, or another vendor
    evidence: tuple[str, ...]  # what decided it, or each candidate's evidence
    reason: str | None = None  # why no platform was chosen
    unsupported: str | None = None  # a platform recognised and named, that no module here audits


class Platform:
    """The interface every platform module implements (see the module docstring)."""

    name: str  # also its key in NAMES and TITLES
    cli: CliModel  # its command line as data (the package's `cli.py`)

    def evidence(self, text: str) -> Evidence:  # pragma: no cover - abstract
        """Evidence in the config text (its lines joined by newlines): regexes over the whole text,
        never a Python step per line."""
        raise NotImplementedError

    def prepare(self, lines: list[str]):
        """(canonical lines, refused abbreviations, reason it is not a config or None)."""
        raise NotImplementedError  # pragma: no cover - abstract

    def read(self, decoded, acl_names: frozenset[str] = frozenset(), full_parse: bool = False):
        raise NotImplementedError  # pragma: no cover - abstract

    def label(self, device) -> str:
        """The platform as reports name it (`ios`, `iosxe`, `nxos`)."""
        return self.name

    # Remediation syntax: each returns (applicability, changes, note).
    def close_telnet(self, device, section, options=None):
        raise NotImplementedError  # pragma: no cover - abstract

    def fence(self, options, device, section, family: str = "IPv4"):
        raise NotImplementedError  # pragma: no cover - abstract

    def define_acl(self, options, device, name: str, family: str, section=None):
        raise NotImplementedError  # pragma: no cover - abstract

    def replace_password(self, device, user):
        raise NotImplementedError  # pragma: no cover - abstract

    def stronger_secret(self, device, user, level: int = 15):
        """PWD005: (applicability, changes, note) replacing a weakly hashed secret (`user` None: the enable secret)."""
        raise NotImplementedError  # pragma: no cover - abstract

    def replace_login_password(self, device):
        """PWD001: (applicability, changes, note) replacing a platform's one login password held in clear (ASA `passwd`)."""
        raise NotImplementedError  # pragma: no cover - abstract (only the ASA has one)

    def replace_line_password(self, device, section) -> dict:
        """PWD001/PWD002: the finding's fields replacing a line's password (IOS: local users instead)."""
        raise NotImplementedError  # pragma: no cover - abstract (IOS and IOS-XR have line passwords)

    def line_secret(self, device, section) -> dict:
        """PWD005/PWD008: the finding's fields giving a line a new secret (IOS-XR templates)."""
        raise NotImplementedError  # pragma: no cover - abstract (only IOS-XR reads line secrets)

    def replace_enable(self, device, level: int = 15):
        """PWD003: (applicability, changes, note, advice) replacing a reversible enable password."""
        raise NotImplementedError  # pragma: no cover - abstract

    def ssh_authentication(self, device):
        """VTY018: (applicability, changes, note) making SSH logins check the local user database."""
        raise NotImplementedError  # pragma: no cover - abstract (the ASA's rule)

    idle_default_minutes = 10  # VTY007: the idle timeout of a session when none is configured (IOS: exec-timeout 10 0)

    def idle_timeout(self, device, section, minutes: int):
        """VTY007: the change that sets the idle timeout of `section` to `minutes`."""
        return Change(phase=Phase.LINES, parent=section.name, lines=(f"exec-timeout {minutes} 0",), order=60)

    def ssh_v1(self, device):
        """VTY010: (why SSHv1 is accepted, the evidence, the changes that allow only version 2)."""
        evidence = "(no `ip ssh version 2` configured)" if device.ip_ssh_version is None else f"ip ssh version {device.ip_ssh_version}"
        return "ip ssh version 2 is not set", evidence, [Change(phase=Phase.SSH, lines=("ip ssh version 2",))]

    # How rules word what they find, where a platform's commands differ.
    password_advice = "use a secret"  # PWD004: what to store instead of a reversible password

    def unfenced(self, device, section) -> str:
        """VTY003: why an access path admits every address."""
        return "no inbound access-class"

    def script(self, findings, device, minutes: int = 10) -> str:
        """The device's framed change; `minutes` before an unconfirmed change reverts, where the platform can."""
        raise NotImplementedError  # pragma: no cover - abstract


_REGISTRY: dict[str, Platform] = {}


def get(name: str) -> Platform:
    """The platform registered as `name` (`SPECS`), its package imported on first use."""
    if name not in _REGISTRY:
        import importlib

        spec = next(s for s in SPECS if s.name == name)
        _REGISTRY[name] = importlib.import_module(spec.package).PLATFORM
    return _REGISTRY[name]


def cli_of(label: str) -> CliModel:
    """The CLI model of the platform that reads reports labelled `label` (`ios`, `iosxe`, `nxos`...)."""
    return get(READERS[label]).cli


def platform_of(device) -> Platform:
    return get(device.platform)


def detect(lines: list[str], forced: str = "auto") -> Detection:
    """The platform of a config: `forced` when it names one, else from the evidence. Banner
    bodies are text the device prints, never commands it runs: they are blanked first, so a
    banner holding `ASA Version 9.8`, `line default` or `set system host-name` changes nothing."""
    text = "\n".join(without_banners(lines))
    if forced != "auto":
        # Set by --platform, the config file or the inventory; the text's own evidence is shown beside it.
        own = get(forced).evidence(text)
        return Detection(forced, (f"platform set to {forced}",) + tuple(dict.fromkeys(own.decisive[:2] + own.structural[:2])))
    other = other_os(lines, text)
    if other:
        return Detection(None, (), other, unsupported="Cisco Business / Small Business")
    found = {name: get(name).evidence(text) for name in NAMES}
    decisive = {name: ev.decisive for name, ev in found.items() if ev.decisive}
    vendor = other_vendor(text)
    if vendor:
        name, evidence = vendor
        if decisive:  # a marker in a banner must not turn an IOS config into one nobody audits
            summary = tuple(f"{TITLES[n]}: {item}" for n, items in decisive.items() for item in items[:2]) + (f"{name}: {evidence}",)
            return Detection(None, summary, "ambiguous platform: " + "; ".join(summary) + " (choose one with --platform)")
        return Detection(None, (evidence,), f"{name} configuration: not audited (no platform module for it)", unsupported=name)
    if len(decisive) > 1:
        summary = tuple(f"{TITLES[name]}: {item}" for name, items in decisive.items() for item in items[:3])
        return Detection(
            None,
            summary,
            "ambiguous platform: " + "; ".join(summary) + " (choose one with --platform)",
        )
    if decisive:
        name = next(iter(decisive))
        return Detection(name, tuple(dict.fromkeys(decisive[name][:3] + found[name].structural[:2])))
    # IOS-XR's line templates and VTY pools exist nowhere else; its `line console` would pass for NX-OS's.
    if found["iosxr"].structural:
        return Detection("iosxr", found["iosxr"].structural[:3])
    if found["asa"].structural:  # `nameif`, `same-security-traffic`, `ssh ADDRESS MASK IFNAME`: only the ASA runs these
        return Detection("asa", found["asa"].structural[:3])
    if found["nxos"].structural:
        return Detection("nxos", found["nxos"].structural[:3])
    return Detection("ios", found["ios"].structural[:3] or ("no other platform's evidence: read as IOS",))


def without_banners(lines: list[str]) -> list[str]:
    """The lines with every `banner` command and its body blanked (delimited as IOS, NX-OS and
    IOS-XR delimit them; an ASA banner is one line). A delimiter that never closes within 200
    lines is taken as a one-line banner, so a stray one cannot hide the rest of the file."""
    from auditor.cli_model import BANNER

    out = list(lines)
    i = 0
    while i < len(out):
        line = out[i]
        if line[:6].lower() == "banner":
            m = BANNER.match(line)
            if m:
                rest = m.group("rest").strip()
                end = i + 1
                if rest:
                    delim = "^C" if rest.startswith("^C") else rest[0]
                    if delim not in rest[len(delim) :]:
                        end = next((j + 1 for j in range(i + 1, min(len(out), i + 201)) if delim in out[j]), i + 1)
                for j in range(i, end):
                    out[j] = ""
                i = end
                continue
        i += 1
    return out


def choose(source: str, default: str = "auto", overrides: tuple[tuple[str, str], ...] = ()) -> str:
    """The platform setting for one input: the first glob override matching its path, else the default."""
    for pattern, name in overrides:
        if fnmatch.fnmatch(source, pattern) or fnmatch.fnmatch(source, "*/" + pattern):
            return name
    return default


_OTHER_LINES = re.compile(r"\nline[ \t]+(?:ssh|telnet)[ \t]*(?=\n|\Z)")


def other_os(lines: list[str], text: str | None = None) -> str | None:
    """Why the lines are another OS's config that no platform here reads, or None."""
    text = "\n".join(lines) if text is None else text
    # Cisco Business / Small Business switches (CBS, SG) print `config-file-header` and have
    # `line ssh` / `line telnet` sections: another OS, whose defaults our rules would misjudge.
    if "config-file-header" in text[:8192] or ("line" in text and _OTHER_LINES.search("\n" + text)):
        return "Cisco Business / Small Business switch configuration (`config-file-header`, `line ssh`): not IOS, not audited"
    return None


def abbreviated(lines: list[str], top: dict, children: dict) -> list:
    """Commands of a platform read as written whose keywords are abbreviated: a word that is a proper
    prefix of a keyword the reader reads (`feature tel`, `tel vrf default ipv4 serv`, ` access-cl`).
    The device may take such a line; the reader would not see it, so it is reported, never skipped.

    `top` maps each first keyword the reader reads to the keywords that matter in the rest of the
    line (or None); `children` maps a first keyword to the keywords its indented lines may start with.
    One pass, a few set lookups per line."""
    from auditor.model import AmbiguousCommand

    found = []
    parent = None
    for number, text in enumerate(lines, 1):
        if not text or text.lstrip()[:1] in ("!", ":", ""):
            continue
        indented = text[0] in " \t"
        words = text.lower().split()
        if words[0] == "no" and len(words) > 1:
            words = words[1:]
        if indented:
            table, rest = children.get(parent), None
        else:
            parent = words[0] if words[0] in top else None
            table, rest = top, top.get(words[0])
        if table is None:
            continue
        first = words[0]
        if first not in table and len(first) >= 2:
            candidates = tuple(sorted(k for k in table if k.startswith(first)))
            if candidates:
                found.append(AmbiguousCommand(line=number, word=first, candidates=candidates, kind="unread"))
                continue
        for word in words[1:] if rest else ():
            keywords = rest or ()
            candidates = tuple(sorted(k for k in keywords if k.startswith(word) and k != word)) if len(word) >= 3 and word not in keywords else ()
            if candidates:
                found.append(AmbiguousCommand(line=number, word=word, candidates=candidates, kind="unread"))
                break
    return found


def sequenced_entries(block):
    """The entries of a named ACL with sequence numbers (NX-OS, IOS-XR): numbers, remarks and
    comments dropped, each entry with its file line."""
    from auditor.model import AclEntry

    entries = []
    for child in block.children:
        words = child.text.split()
        if words and words[0].isdigit():
            words = words[1:]
        if not words or words[0].lower() in ("remark", "statistics", "fragments") or words[0].startswith("!"):
            continue
        entries.append(AclEntry(text=" ".join(words), line=child.line))
    return entries


def define_sequenced_acl(table: dict, name: str, block, line: int, negate: bool) -> None:
    """A named ACL with sequence numbers (NX-OS, IOS-XR) applied as the device applies it: `no
    ... access-list NAME` removes it; another block for the same name adds its entries to it."""
    if negate:
        table.pop(name, None)
        return
    table.setdefault(name, {"line": line, "entries": []})["entries"] += sequenced_entries(block)


def line_number(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _marker(alternatives: str) -> re.Pattern:
    """A whole-line pattern searched in "\\n" + text: led by a literal newline, which the regex
    engine finds fast (a `^` under re.M is tried at every character: 7 x slower on 64 kB)."""
    return re.compile(r"\n" + alternatives + r"(?=\n|\Z)")


# Other platforms, recognised by markers in the first part of the text and named, never read with
# another platform's rules: (name, marker).
# Each with the literals one of its markers must contain: the regex runs only where one is present
# (a substring test is memchr-fast; five regex passes over every config were a tenth of an audit).
OTHER_PLATFORMS = (
    # RANCID names the device type in the file's header: any type not a Cisco platform here is another vendor's.
    ("RANCID", _marker(r"!RANCID-CONTENT-TYPE: (?!cisco(?:-nx|-xr)?\b|ios\b|nxos\b|asa\b|cisco-asa\b)[^\n]*"), ("!RANCID-CONTENT-TYPE:",)),
    ("Juniper Junos", _marker(r"(?:## Last (?:commit|changed): [^\n]*|version [^\n;]+;|system \{|set system host-name \S+)"), ("## Last ", ";", "system {", "set system host-name ")),
    ("Arista EOS", _marker(r"(?:! device: [^\n]*EOS-[^\n]*|! boot system flash:[^\n]*\.swi|management api http-commands)"), ("! device: ", "! boot system flash:", "management api http-commands")),
    ("HPE Aruba AOS-CX", _marker(r"(?:!\s*ArubaOS-CX[^\n]*|!Version ArubaOS-CX[^\n]*|user \S+ group \S+ password ciphertext [^\n]*)"), ("ArubaOS-CX", "password ciphertext")),
    ("Fortinet FortiOS", _marker(r"(?:#config-version=FG[^\n]*|config system global)"), ("#config-version=FG", "config system global")),
    ("Palo Alto PAN-OS", _marker(r"(?:<config version=\"[^\n]*|set deviceconfig system [^\n]*|[ \t]*deviceconfig \{[^\n]*)"), ("<config version=", "set deviceconfig system ", "deviceconfig {")),
)


def other_vendor(text: str) -> tuple[str, str] | None:
    """(platform name, the line that says so) for another platform's config, or None."""
    head = text[:65536]
    lines = "\n" + head
    for name, marker, needles in OTHER_PLATFORMS:
        if not any(needle in head for needle in needles):
            continue
        m = marker.search(lines)  # m.start() in `lines` is the line's start in `head`
        if m:
            if name == "RANCID":  # named by the content type RANCID gives it
                name = "RANCID content type " + m.group().split(":", 1)[1].strip()[:40]
            return name, f"line {line_number(head, m.start())}: `{m.group().strip()[:60]}`"
    return None
