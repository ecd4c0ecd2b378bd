"""NX-OS: one package, one platform.

* `reader`: the config applied as the device applies it (its semantics and sources are there);
* `fixes`: remediation helpers;
* `cli`: its command line as data (sub-modes, errors), run by `auditor.cli_model`;
* this module: detection (what only NX-OS prints) and the platform, which reads with `reader`
  and writes its remediation with `fixes` and `auditor.remediation`.
"""

from __future__ import annotations

import itertools
import re

from auditor.findings import Applicability, Change, Phase
from auditor.platforms import Evidence, Platform
from auditor.platforms.nxos.cli import CLI
from auditor.platforms.prefix_acls import PrefixAcls
from auditor.platforms.nxos.fixes import CHECKPOINT
from auditor.platforms.nxos.reader import CHILDREN, State, TOP, WANTED


# Whole-line patterns searched in "\n" + text (led by a literal newline: fast; see
# auditor.platforms._marker); a match's start is then its line's start in the text.
_DECISIVE = re.compile(r"\n(?:!Command: show running-config|!RANCID-CONTENT-TYPE: cisco-nx|version [^\n]*Bios:)[^\n]*")


# `feature NAME` lines NX-OS has (Cisco Nexus 9000 NX-OS configuration guides): any `feature` is
# not NX-OS evidence, since the ASA has `feature tier standard` (ASAv licensing).
_NXOS_FEATURES = (
    r"(?:telnet|ssh|tacacs\+|scp-server|sftp-server|nxapi|bash-shell|interface-vlan|lacp|vpc|hsrp|vrrpv?3?|bgp|ospf|ospfv3|eigrp|isis|rip"
    r"|pim6?|msdp|udld|lldp|dhcp|bfd|nv overlay|vn-segment-vlan-based|fabric forwarding|private-vlan|port-security|netflow|sflow"
    r"|sla (?:sender|responder)|ptp|evmed|ngmvpn|mpls [\w-]+|dot1x|ldap|privilege|poe|fex|grpc|openflow|analytics|telemetry|nat|pbr"
    r"|vtp|ngoam|plb|itd|pong|scheduler|fcoe|npiv|npv|lisp|isis|epbr|catena|smart-channel|vmtracker|macsec|mvpn|imp|hardware)\b"
)


_STRUCTURAL = re.compile(r"\n[ \t]*(?:feature " + _NXOS_FEATURES + r"[^\n]*|line (?:vty|console)[ \t]*(?=\n|\Z)|version[ \t]+[0-9]+\.[0-9]+\([0-9A-Za-z.]+\)(?![^\n]*Bios:)[^\n]*)")


class NXOS(PrefixAcls, Platform):
    name = "nxos"
    cli = CLI
    acl_word, acl_indent, deny_tail, scope = "ip", "  ", " log", ", in every VRF"
    title, numbered_note = "NX-OS", "NX-OS line sections have no numbers"
    present = ("hostname", "feature ", "interfac", "line vty", "switchna", "version ")
    missing = "no NX-OS configuration found (no hostname, feature, interface or line vty)"
    read_top, read_children = TOP, CHILDREN
    _WANTED = WANTED

    def _state(self):
        return State()

    def access_class_lines(self, section, name: str, v6: bool) -> tuple[str, ...]:
        """`access-class NAME in`, after `no access-class OLD in`: a second one would be refused."""
        keyword = "ipv6 access-class" if v6 else "access-class"
        current = section.settings.ipv6_access_class_in if v6 else section.settings.access_class_in
        return ((f"no {keyword} {current.name} in",) if current is not None and current.name != name else ()) + (f"{keyword} {name} in",)

    # ------------------------------------------------------------ detection

    def evidence(self, text: str) -> Evidence:
        from auditor.platforms import line_number

        head = text[:32768]  # the header and the version line come first
        decisive = [
            f"line {line_number(text, m.start())}: `{m.group().strip()[:60]}`" + (" (NX-OS release with BIOS)" if m.group().strip().startswith("version") else "")
            for m in itertools.islice(_DECISIVE.finditer("\n" + head), 3)
        ]
        structural = []
        for m in itertools.islice(_STRUCTURAL.finditer("\n" + text), 3):
            found = m.group().strip()[:60]
            structural.append(f"line {line_number(text, m.start())}: `{found}`" + (" (NX-OS release)" if found.startswith("version") else ""))
        return Evidence(tuple(decisive), tuple(structural))

    # ------------------------------------------------------------ remediation syntax (reading: PrefixAcls.prepare and read)

    def close_telnet(self, device, section, options=None):
        changes: list[Change] = []
        note = "Telnet is switched off in the script's last step, only after an SSH login has worked."
        if "ssh" not in (section.settings.transport_input or ()):
            # `ssh key rsa` fails harmlessly ("keys already present") when a key exists.
            changes.append(Change(phase=Phase.SSH_KEYS, lines=("ssh key rsa 2048", "feature ssh")))
            note += " The SSH server is off (`no feature ssh`): the script generates a key where none exists and enables it first."
        changes.append(Change(phase=Phase.AFTER_SSH_LOGIN, lines=("no feature telnet",)))
        return Applicability.UNSAFE, changes, note

    def replace_password(self, device, user):
        from auditor.remediation import user_secret_placeholder

        line = f"username {user.name} password {user_secret_placeholder(device, user.name)}"
        note = "NX-OS hashes a password it is given in clear and keeps the user's roles. In an intended config, keep the `password 5 <hash>` form the switch prints, never the clear text."
        return Applicability.NEEDS_INPUT, [Change(phase=Phase.USERS, lines=(line,))], note

    def script(self, findings, device, minutes: int = 10) -> str:
        from auditor.remediation import stepped_script

        way_back = f"! Way back: `rollback running-config checkpoint {CHECKPOINT}` (if the name exists, `no checkpoint {CHECKPOINT}` first)."
        return stepped_script(
            findings,
            "NX-OS" + (f" {device.version}" if device.version else ""),
            [way_back],
            [f"checkpoint {CHECKPOINT}"],
            ["! Once you have logged in again through the changed lines, save:", "copy running-config startup-config"],
        )


PLATFORM = NXOS()  # what auditor.platforms.get returns for 'nxos'
