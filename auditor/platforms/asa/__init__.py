"""ASA: one package, one platform.

* `reader`: the config applied as the device applies it (its semantics and sources are there);
* `fixes`: remediation helpers;
* `cli`: its command line as data (sub-modes, errors), run by `auditor.cli_model`;
* this module: detection (what only ASA prints) and the platform, which reads with `reader`
  and writes its remediation with `fixes` and `auditor.remediation`.
"""

from __future__ import annotations

import ipaddress
import itertools
import re

from auditor.findings import Applicability, Change, Phase
from auditor.model import DeviceModel
from auditor.platforms import Evidence, Platform
from auditor.platforms.asa.cli import CLI
from auditor.platforms.asa.fixes import PLACEHOLDER_NET, covered, entries_of, path_of, ssh_login
from auditor.platforms.asa.reader import State, TOP, WANTED


_DECISIVE = re.compile(r"\n(?::\s*)?ASA Version [^\n]*")  # searched in "\n" + text (auditor.platforms._marker)


# Commands only the ASA executes: an interface's `nameif`, `same-security-traffic`, and the
# management entries `ssh|telnet ADDRESS MASK INTERFACE` (IOS has `ip ssh`, never these).
_STRUCTURAL = re.compile(
    r"\n(?:[ \t]*nameif [^\n]*|: Saved[^\n]*|same-security-traffic [^\n]*"
    r"|[ \t]*(?:ssh|telnet) (?:\d{1,3}(?:\.\d{1,3}){3}|0) (?:\d{1,3}(?:\.\d{1,3}){3}|0) [A-Za-z][\w.-]*[ \t]*(?=\n|\Z))"
)


class ASA(Platform):
    name = "asa"
    cli = CLI

    def evidence(self, text: str) -> Evidence:
        from auditor.platforms import line_number

        head = "\n" + text[:32768]  # `ASA Version` is the first line of `show running-config`
        # A substring test first (memchr-fast): most configs are not an ASA's, and need no regex pass.
        decisive = [f"line {line_number(text, m.start())}: `{m.group().strip()[:60]}`" for m in itertools.islice(_DECISIVE.finditer(head), 3)] if "ASA Version" in head else []
        gated = "nameif" in head or ": Saved" in head or "same-security-traffic" in head or "ssh " in head or "telnet " in head
        structural = [f"line {line_number(text, m.start())}: `{m.group().strip()[:60]}`" for m in itertools.islice(_STRUCTURAL.finditer(head), 3)] if gated else []
        return Evidence(tuple(decisive), tuple(structural))

    def prepare(self, lines: list[str]):
        """The lines as the ASA takes them pasted (`auditor.cli_model.as_pasted`: a global command
        indented where the ASA does not care is global); keywords as written (the ASA prints every
        keyword in full)."""
        from auditor.cli_model import as_pasted
        from auditor.platforms import abbreviated

        pasted = as_pasted(lines, self.cli)
        if not any(t.startswith(("ASA Version", "hostname ", "telnet ", "ssh ")) for t in pasted):
            return lines, [], "no ASA configuration found (no `ASA Version`, hostname, telnet or ssh lines)"
        return pasted, abbreviated(pasted, TOP, {}), None

    def read(self, decoded, acl_names: frozenset[str] = frozenset(), full_parse: bool = False) -> DeviceModel:
        from auditor.parse import parse_numbered

        lines = decoded.canonical if decoded.canonical is not None else decoded.lines
        numbered = list(enumerate(lines)) if full_parse else [(i, t) for i, t in enumerate(lines) if WANTED.match(t)]
        state = State()
        for block in parse_numbered(numbered, full=full_parse):
            state.apply(block)
        return state.model(decoded.lines).model_copy(update={"ambiguous_commands": tuple(decoded.ambiguous)})

    password_advice = "store it hashed (the ASA hashes a password it is given in clear)"
    idle_default_minutes = 5  # `ssh timeout` / `telnet timeout`: 5 minutes when not configured

    def idle_timeout(self, device, section, minutes: int):
        protocol = section.name.split(" ", 1)[0]  # one timeout per protocol, for every interface
        return Change(phase=Phase.LINES, lines=(f"{protocol} timeout {minutes}",))

    def ssh_v1(self, device):
        line = next((i for i, t in enumerate(device.source_lines, 1) if t.split()[:2] == ["ssh", "version"]), 0)
        return "`ssh version 1` is set", device.text_at(line) if line else "ssh version 1", [Change(phase=Phase.SSH, lines=("ssh version 2",))]

    def unfenced(self, device, section) -> str:
        return f"`{device.text_at(section.header_line).strip()}` admits every source"

    # ------------------------------------------------------------ remediation syntax

    def ssh_authentication(self, device):
        changes = ssh_login(device)
        note = "SSH logins are checked against the local users" + (
            "; none has a password yet, so one is added first." if len(changes) > 1 else ": only SSH logins change, and they could not succeed before."
        )
        return (Applicability.NEEDS_INPUT if len(changes) > 1 else Applicability.SAFE), changes, note

    def close_telnet(self, device, section, options=None):
        """SSH from the Telnet entries' sources first; a Telnet entry for every source becomes SSH
        from `--mgmt-net` (never from every source), or a placeholder without it."""
        interface = section.name.split(" ", 1)[1]
        telnet = entries_of(device, section)
        ssh_networks = [e.network for e in entries_of(device, path_of(device, "ssh", interface))]
        first: list[str] = []
        for entry in telnet:
            if entry.any:
                continue  # an SSH entry for every source would open SSH wide: the prefix is asked for below
            if not covered(entry.network, ssh_networks):
                first.append(f"ssh {entry.source} {interface}")
        if any(e.any for e in telnet) and not ssh_networks:
            nets = [ipaddress.ip_network(n) for n in (options.mgmt_nets if options is not None else ())]
            first += [f"ssh {n.network_address} {n.netmask} {interface}" if n.version == 4 else f"ssh {n} {interface}" for n in nets] or [f"ssh {PLACEHOLDER_NET} {interface}"]
        changes: list[Change] = [] if device.aaa_login_lists.get("ssh") else ssh_login(device)
        if first:
            changes.append(Change(phase=Phase.SSH, lines=tuple(first)))
        changes.append(Change(phase=Phase.AFTER_SSH_LOGIN, lines=tuple(f"no {e.text}" for e in telnet)))
        placeholders = any("<" in line for c in changes for line in c.lines)
        wide = any(e.any for e in telnet) and not ssh_networks
        sources = "the same sources" if not wide else "your management networks (not from every source, as Telnet was)"
        note = (
            f"SSH is allowed from {sources} on {interface} first (with `aaa authentication ssh console LOCAL` and a "
            "local user where missing); the Telnet entries are removed in the script's last step, only after an SSH login has worked."
        )
        return (Applicability.NEEDS_INPUT if placeholders else Applicability.UNSAFE), changes, note

    def fence(self, options, device, section, family: str = "IPv4"):
        protocol, interface = section.name.split(" ", 1)
        wide = [e for e in entries_of(device, section) if e.any]
        if protocol == "telnet":
            return Applicability.UNSAFE, [], "Closing Telnet on this interface (VTY001) removes this entry with the others."
        nets = [ipaddress.ip_network(n) for n in options.mgmt_nets]
        sources = [f"{n.network_address} {n.netmask}" if n.version == 4 else str(n) for n in nets] or [PLACEHOLDER_NET]
        changes = [
            Change(phase=Phase.ACLS, lines=tuple(f"{protocol} {s} {interface}" for s in sources)),
            Change(phase=Phase.LINES, lines=tuple(f"no {e.text}" for e in wide)),
        ]
        if not nets:
            return Applicability.NEEDS_INPUT, changes, "Fill in your management network (or run with --mgmt-net CIDR); an address outside it is locked out."
        return (
            Applicability.UNSAFE,
            changes,
            f"Only {', '.join(map(str, nets))} can open {protocol.upper()} sessions on {interface} afterwards: make sure your own address is inside.",
        )

    def define_acl(self, options, device, name: str, family: str, section=None):
        return Applicability.NEEDS_INPUT, [], "The ASA has no access-class: its telnet and ssh entries are the fence."

    def replace_enable(self, device, level: int = 15):
        from auditor.remediation import PLACEHOLDER_ENABLE_SECRET

        note = "The ASA hashes the enable password it is given in clear (PBKDF2 from 9.7); the new one replaces the old at once."
        changes = [Change(phase=Phase.ENABLE, lines=(f"enable password {PLACEHOLDER_ENABLE_SECRET}",))]
        return Applicability.NEEDS_INPUT, changes, note, "store it hashed"

    def replace_login_password(self, device):
        note = (
            "The ASA hashes the login password it is given in clear; the new one replaces the old at once for new "
            "Telnet sessions. In an intended config keep the `passwd HASH encrypted` it prints, never the clear text."
        )
        return Applicability.NEEDS_INPUT, [Change(phase=Phase.ENABLE, lines=("passwd <NEW-LOGIN-PASSWORD>",))], note

    def replace_password(self, device, user):
        from auditor.remediation import user_secret_placeholder

        privilege = f" privilege {user.privilege}" if user.privilege is not None else ""
        note = "The ASA hashes a password it is given in clear (PBKDF2 from 9.7). In an intended config keep the hash it prints, never the clear text."
        return Applicability.NEEDS_INPUT, [Change(phase=Phase.USERS, lines=(f"username {user.name} password {user_secret_placeholder(device, user.name)}{privilege}",))], note

    def script(self, findings, device, minutes: int = 10) -> str:
        from auditor.remediation import stepped_script

        notes = [
            "! The ASA has no revert timer and no rollback: nothing below is saved until `write memory`, so until then a",
            "! reload restores the saved configuration. Check from a second session before saving.",
        ]
        if any(c.phase is Phase.SSH for f in findings for c in f.remediation.changes):
            notes.append("! SSH needs an RSA key pair: `show crypto key mypubkey rsa`; if there is none, `crypto key generate rsa modulus 2048`.")
        written_for = "ASA" + (f" {device.version}" if device.version else "")
        return stepped_script(findings, written_for, notes, [], ["! Once you have logged in again through SSH from a second session, save:", "write memory"])


PLATFORM = ASA()  # what auditor.platforms.get returns for 'asa'
