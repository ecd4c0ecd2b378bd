"""Classic IOS and IOS-XE: one package, one platform.

* `reader`: the config applied as the device applies pasted commands (line model, users,
  enable credentials, ACLs), with the defaults of absent commands;
* `defaults`: what the release makes of an absent `transport input`;
* `fixes`: IOS remediation syntax the rules share (local login, fences, transport);
* this module: detection (what only IOS executes) and the `IOS` platform, which reads with
  `reader` and writes its remediation with `fixes` and `auditor.remediation`.

* `cli`: its command line as data (the questions commands ask, the errors it prints), run by
  `auditor.cli_model`.
"""

from __future__ import annotations

import itertools
import re

from auditor.model import DeviceModel
from auditor.platforms import Evidence, Platform
from auditor.platforms.ios.cli import CLI
from auditor.platforms.ios.defaults import CLASSIC_IOS, IOS_XE, UNKNOWN, TransportDefault, transport_default  # noqa: F401  (the package's API)
from auditor.platforms.ios.reader import MAX_LINE, build_model, numbered_acl_kind  # noqa: F401  (the package's API)


# ---------------------------------------------------------------- the platform

# Searched in "\n" + text: led by a literal newline (a `^` under re.M is tried at every character: 6 x
# slower on a 1,000-line config); a match's start is then its line's start in the text.
_NUMBERED_HEADER = re.compile(r"\nline[ \t]+(?:vty|con|console|aux)[ \t]+[0-9][^\n]*", re.I)
_IOS_VERSION = re.compile(r"^version[ \t]+[0-9]{1,2}\.[0-9]{1,2}[ \t]*$", re.M)


class IOS(Platform):
    """Classic IOS and IOS-XE: one reader (this module), one remediation syntax
    (`auditor.platforms.ios.fixes`, `auditor.remediation`). The release decides what
    the reader's defaults and the remediation's command forms are (`auditor.release`)."""

    name = "ios"
    cli = CLI

    def evidence(self, text: str) -> Evidence:
        from auditor.platforms import line_number

        decisive = [f"line {line_number(text, m.start())}: `{m.group().strip()[:60]}` (numbered line section)" for m in itertools.islice(_NUMBERED_HEADER.finditer("\n" + text), 3)]
        version = _IOS_VERSION.search(text)
        structural = [f"line {line_number(text, version.start())}: `{version.group().strip()}`"] if version else []
        return Evidence(tuple(decisive), tuple(structural))

    def prepare(self, lines: list[str]):
        from auditor.keywords import canonical_lines

        canonical, ambiguous = canonical_lines(lines)
        return canonical, ambiguous, recognize(canonical)

    def read(self, decoded, acl_names: frozenset[str] = frozenset(), full_parse: bool = False) -> DeviceModel:
        from auditor.parse import parse

        # The model reads keywords written out as the device takes them; evidence keeps the text as written.
        return build_model(parse(decoded.canonical, full=full_parse, acl_names=acl_names), decoded.lines, decoded.ambiguous)

    def label(self, device) -> str:
        return "iosxe" if device.release.family == "ios-xe" else "ios"

    def close_telnet(self, device, section, options=None):
        from auditor.platforms.ios.fixes import restrict_to_ssh

        return restrict_to_ssh(device, section)

    def fence(self, options, device, section, family: str = "IPv4"):
        from auditor.platforms.ios.fixes import fence_ipv6, fence_with_acl

        if family == "IPv6":
            applicability, changes = fence_ipv6(options, device, section)
            return applicability, changes, "Operators outside the permitted IPv6 prefixes lose IPv6 access to the line."
        return fence_with_acl(options, device, section)

    def define_acl(self, options, device, name: str, family: str, section=None):
        """Define the missing ACL `name` from --mgmt-net. Where other features name it too (an
        undefined ACL filters nothing, so SNMP or NTP behind it admit every source today),
        defining it would narrow them: `section` gets an ACL of its own instead."""
        from auditor.findings import Applicability, Change, Phase
        from auditor.remediation import acl_changes, ipv6_acl_changes

        ref = None if section is None else section.settings.access_class_in if family == "IPv4" else section.settings.ipv6_access_class_in
        others = [n for n in device.acl_references.get(name, ()) if ref is None or n != ref.line]
        if others and section is not None:
            fresh = device.fresh_acl_name(name) + ("-V6" if family == "IPv6" else "")
            applicability, changes, note = self.define_acl(options, device, fresh, family)
            keyword = "access-class" if family == "IPv4" else "ipv6 access-class"
            vrf = " vrf-also" if family == "IPv4" and ref is not None and ref.vrf_also else ""
            changes = list(changes) + [Change(phase=Phase.LINES, parent=section.name, lines=(f"{keyword} {fresh} in{vrf}",), order=30)]
            return applicability, changes, f"{name} is named by other features too (defining it would narrow them): {section.name} gets its own ACL {fresh}. " + note
        if family == "IPv4":
            changes = acl_changes(device, name, options.mgmt_nets, numbered_kind=numbered_acl_kind(name) if name.isdigit() else None)
        else:
            changes = ipv6_acl_changes(name, options.mgmt_nets) or [Change(phase=Phase.ACLS, lines=(f"ipv6 access-list {name}", " permit ipv6 <MGMT-PREFIX> any", " deny ipv6 any any log"))]
        has_nets = any((":" in n) == (family == "IPv6") for n in options.mgmt_nets)
        note = f"Defining {name} starts filtering at once: make sure your own address is permitted."
        return (Applicability.UNSAFE if has_nets else Applicability.NEEDS_INPUT), changes, note

    def replace_enable(self, device, level: int = 15):
        """The enable password of `level` replaced by a secret of the same level, set before the
        password goes, so that level is never left without a credential."""
        from auditor.findings import Applicability, Change, Phase
        from auditor.release import secret_command
        from auditor.remediation import enable_secret_changes, enable_secret_placeholder

        if level == 15:
            changes = [Change(phase=Phase.CLEANUP, lines=("no enable password",))]
            if device.enable_secret is None or device.enable_secret.type in (0, 7):
                # The new secret, in a form this release accepts, before the old password goes:
                # enable mode is never left without a credential.
                changes = enable_secret_changes(device) + changes
        else:
            changes = [Change(phase=Phase.CLEANUP, lines=(f"no enable password level {level}",))]
            secret = device.enable_levels[level].secret
            if secret is None or secret.type in (0, 7):
                changes.insert(0, Change(phase=Phase.ENABLE, lines=(secret_command(device.release, "enable", f"level {level} {enable_secret_placeholder(level)}"),)))
        applicability = Applicability.NEEDS_INPUT if len(changes) > 1 else Applicability.SAFE
        return applicability, changes, f"The new enable secret{'' if level == 15 else f' of level {level}'} is set before the old password is removed.", "use enable secret"

    def stronger_secret(self, device, user, level: int = 15):
        """PWD005: scrypt (type 9) where the release has it; nothing to paste where it does not.
        `level`: the enable secret of that privilege level (`user` None)."""
        from auditor.findings import Applicability, Change, Phase
        from auditor.remediation import credential_attributes, enable_secret_placeholder, user_secret_placeholder

        release = device.release
        scrypt = release.supports("scrypt")
        if scrypt is False:
            # Nothing stronger than type 5 exists on this release: a new secret would be type 5 again.
            return Applicability.UNSAFE, [], f"{release.describe()} stores no stronger hash (types 8/9 arrived in 15.3(3)M): upgrade."
        note = "Set a new secret with scrypt (type 9)." + ("" if scrypt else f" Needs 15.3(3)M / IOS-XE 3.10S or later; {release.describe()}.")
        if user is None:
            at_level = f"level {level} " if level != 15 else ""
            line = f"enable algorithm-type scrypt secret {at_level}{enable_secret_placeholder(level)}"
            return Applicability.NEEDS_INPUT, [Change(phase=Phase.ENABLE, lines=(line,))], note
        attributes = credential_attributes(user)
        line = f"username {user.name}{' ' + attributes if attributes else ''} algorithm-type scrypt secret {user_secret_placeholder(device, user.name)}"
        return Applicability.NEEDS_INPUT, [Change(phase=Phase.USERS, lines=(line,))], note + " The user's sessions are not affected."

    def replace_password(self, device, user):
        from auditor.findings import Applicability
        from auditor.remediation import recreate_user

        release = device.release
        note = (
            "Paste the lines together: IOS refuses a secret for a user that still has a password, so the user is "
            "removed and re-created with every attribute it had. " + ("" if release.supports("scrypt") else f"The secret uses the form every release accepts ({release.describe()}).")
        ).strip()
        return Applicability.NEEDS_INPUT, recreate_user(device, user), note

    def replace_line_password(self, device, section) -> dict:
        """Local users instead of the line's password (`auditor.platforms.ios.fixes`)."""
        from auditor.platforms.ios.fixes import replace_line_password

        return replace_line_password(device, section)

    def script(self, findings, device, minutes: int = 10) -> str:
        from auditor.remediation import combined_script

        return combined_script(findings, device.release, archive_path=device.archive_path, minutes=minutes)


# `show version` output: a device's answer, not a config (a collection that ran the wrong command).
DEVICE_OUTPUT = re.compile(r"Cisco IOS[^\n]{0,120}Software|uptime is|Configuration register is")
_LINE_SECTION = re.compile(r"^line\s+(vty|con|console|aux)\b", re.I)


def recognize(lines: list[str]) -> str | None:
    """Why these lines are not an IOS/IOS-XE running-config, or None if they are."""
    from auditor.platforms import other_os

    text = "\n".join(lines)
    # Regexes only on the few `line ...` headers: a regex per line is the cost of a big config.
    headers = [line for line in lines if line[:1] in "lL" and line[:4].lower() == "line"]
    other = other_os(lines)
    if other:
        return other
    if not any(_LINE_SECTION.match(line) for line in headers):
        body = "\n".join(lines[:200])
        if DEVICE_OUTPUT.search(body):
            return "looks like `show version` output, not a running-config"
        if not re.search(r"^(hostname|interface|version)", text, re.M):
            return "no IOS configuration found (no hostname, interface or line sections)"
        return "no `line` sections (vty/con/aux): not a complete running-config"
    bare_vty = any(re.match(r"^line vty\s*$", line) for line in headers)
    numbered_vty = any(re.match(r"^line vty\s+\d", line) for line in headers)
    if bare_vty and not numbered_vty:
        return "looks like NX-OS (`line vty` without line numbers), not IOS: audit it with --platform nxos (or auto)"
    return None


PLATFORM = IOS()  # what auditor.platforms.get returns for 'ios'
