"""What NX-OS and IOS-XR share: configs read as written from their wanted top-level blocks, and
management ACLs in sequence-number and prefix syntax that fence one access path.

A platform that uses this sets `title`, `numbered_note` (why IOS's numbered line sections are
not its own), `present` (line starts one of its configs has) and `missing`, `read_top` and
`read_children` (the keywords its reader reads: `auditor.platforms.abbreviated`), `acl_word`
(`ip` / `ipv4`), `acl_indent`, `deny_tail`, `scope` (how far an access-class reaches, for the
note), `_WANTED` and `_state()`, and writes its own `access_class_lines`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from auditor.findings import Applicability, Change, Phase

if TYPE_CHECKING:
    from auditor.cli_model import CliModel


class PrefixAcls:
    name: str  # the platform's (Platform.name)
    cli: CliModel  # the platform's (Platform.cli)
    _WANTED: re.Pattern  # the top-level lines its reader reads

    def _state(self):  # pragma: no cover - abstract
        """The platform's running state, which applies each block and gives the model."""
        raise NotImplementedError

    acl_word = "ip"
    acl_indent = "  "
    deny_tail = ""
    scope = ""  # e.g. ", in every VRF"
    title = ""
    numbered_note = ""
    present: tuple[str, ...] = ()
    missing = ""
    read_top: dict = {}
    read_children: dict = {}

    def prepare(self, lines: list[str]):
        """The lines as the device takes them pasted (`auditor.cli_model.as_pasted`: flat and oddly
        indented text re-indented by mode); keywords as written (the device prints every keyword in
        full; an abbreviation of one the reader reads is reported). Numbered line sections are IOS's:
        such a file is not read here."""
        from auditor.cli_model import as_pasted
        from auditor.platforms import abbreviated
        from auditor.platforms.ios import IOS

        numbered = IOS().evidence("\n".join(lines)).decisive
        if numbered:
            return lines, [], f"not an {self.title} configuration: {numbered[0]} ({self.numbered_note})"
        pasted = as_pasted(lines, self.cli)
        if not any(t.startswith(self.present) for t in pasted):
            return lines, [], self.missing
        return pasted, abbreviated(pasted, self.read_top, self.read_children), None

    def read(self, decoded, acl_names: frozenset[str] = frozenset(), full_parse: bool = False):
        from auditor.parse import parse_numbered, wanted_blocks

        lines = decoded.canonical if decoded.canonical is not None else decoded.lines
        numbered = list(enumerate(lines)) if full_parse else wanted_blocks(lines, self._WANTED)
        state = self._state()
        for block in parse_numbered(numbered, full=full_parse):
            state.apply(block)
        return state.model(decoded.lines).model_copy(update={"ambiguous_commands": tuple(decoded.ambiguous)})

    def acl_definition(self, name: str, mgmt_nets, v6: bool, redefine: bool) -> list[Change]:
        from auditor.remediation import sequenced_acl

        return sequenced_acl(name, mgmt_nets, v6, redefine, self.acl_word, self.acl_indent, self.deny_tail)

    def access_class_lines(self, section, name: str, v6: bool) -> tuple[str, ...]:  # pragma: no cover - abstract
        raise NotImplementedError

    def fence(self, options, device, section, family: str = "IPv4"):
        from auditor.remediation import acl_is_restrictive

        v6 = family == "IPv6"
        name = options.acl_name + ("-V6" if v6 else "")
        existing = (device.ipv6_acls if v6 else device.acls).get(name)
        changes: list[Change] = []
        if not acl_is_restrictive(existing, device.object_groups):
            changes += self.acl_definition(name, options.mgmt_nets, v6, existing is not None)
        changes.append(Change(phase=Phase.LINES, parent=section.name, lines=self.access_class_lines(section, name, v6), order=31 if v6 else 30))
        if not v6 and any(":" in n for n in options.mgmt_nets):
            _, more, _ = self.fence(options, device, section, "IPv6")
            changes += more
        nets = [n for n in options.mgmt_nets if (":" in n) == v6]
        if not nets and not acl_is_restrictive(existing, device.object_groups):
            return Applicability.NEEDS_INPUT, changes, "Fill in your management prefix (or run with --mgmt-net CIDR); an address outside it is locked out."
        return (
            Applicability.UNSAFE,
            changes,
            f"Only {', '.join(nets) or 'what ' + name + ' permits'} can reach {section.name} afterwards{self.scope}: make sure your own address is inside, or you are locked out.",
        )

    def define_acl(self, options, device, name: str, family: str, section=None):
        v6 = family == "IPv6"
        nets = [n for n in options.mgmt_nets if (":" in n) == v6]
        changes = self.acl_definition(name, options.mgmt_nets, v6, False)
        note = f"Defining {name} starts filtering at once: make sure your own address is permitted."
        return (Applicability.UNSAFE if nets else Applicability.NEEDS_INPUT), changes, note
