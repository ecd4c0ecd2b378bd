"""The neutral model of a device's management plane: what every rule reads.

Each platform module (`auditor/platforms/`) reads its own config syntax and
applies its own defaults and overrides, then yields this model: access paths
(`Section`: VTY lines with their number ranges, or a platform's unnumbered
`line vty`), per path which protocols are accepted and from which line
(`transport_input`, `transport_line`: a platform that enables Telnet
globally points at that command), inbound IPv4/IPv6 access-classes and the
ACLs they name, the login method per path, and stored credentials
(`Credential`: `User.password` is recoverable, clear or reversible;
`User.secret` a one-way hash). Rules are written once against it.
"""

from __future__ import annotations

from enum import Enum
from functools import cached_property

from pydantic import BaseModel, ConfigDict


class LineKind(str, Enum):
    # in the order IOS prints the sections
    CON = "con"
    AUX = "aux"
    VTY = "vty"


MASKED = -1  # a line password's type when a backup tool replaced the value: unknown


class LoginMode(str, Enum):
    NONE = "none"  # `no login`: nobody is authenticated
    PASSWORD = "password"  # `login`: the line password
    LOCAL = "local"  # `login local`: the username database
    AAA = "aaa"  # aaa new-model: a method list decides


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AccessClass(Model):
    name: str
    vrf_also: bool = False
    line: int


class Credential(Model):
    type: int
    line: int
    text: str
    masked: bool = False  # the value was replaced by a backup tool (`<secret hidden>`, `<removed>`)


class LineSettings(Model):
    """Effective settings of one line number. ``*_line`` fields point at the source."""

    transport_input: tuple[str, ...] | None = None  # None: not set, the platform default decides
    transport_line: int | None = None
    access_class_in: AccessClass | None = None
    access_class_out: AccessClass | None = None
    ipv6_access_class_in: AccessClass | None = None
    login: LoginMode
    login_list: str | None = None  # AAA method list in effect (aaa new-model only)
    login_line: int | None = None
    password_type: int | None = None  # None: no line password
    password_line: int | None = None
    secret: Credential | None = None  # a line secret, hashed by the device (IOS-XR templates' `secret`)
    exec_timeout: tuple[int, int] | None = None  # None: default 10 minutes
    exec_timeout_line: int | None = None
    privilege: int | None = None
    privilege_line: int | None = None
    exec_enabled: bool = True  # False after `no exec`
    exec_line: int | None = None
    modem: str | None = None  # the line answers incoming modem calls (`modem InOut`, `Dialin`...): a dial-in way in
    modem_line: int | None = None

    def key(self) -> tuple:
        """What makes two lines behave alike, ignoring where the commands came from."""
        return (
            self.transport_input,
            self.access_class_in and (self.access_class_in.name, self.access_class_in.vrf_also),
            self.access_class_out and self.access_class_out.name,
            self.ipv6_access_class_in and self.ipv6_access_class_in.name,
            self.login,
            self.login_list,
            self.password_type,
            self.secret and self.secret.type,
            self.exec_timeout,
            self.privilege,
            self.exec_enabled,
            self.modem,
        )


class Section(Model):
    """Consecutive line numbers of one kind with identical effective settings."""

    kind: LineKind
    first: int
    last: int
    header_line: int  # the last `line` header that configured these lines
    implicit: bool = False  # not in the config: the lines exist with defaults
    numbered: bool = True  # False: a platform's `line vty` that governs every session (NX-OS)
    label: str | None = None  # a platform's own name for an access path without lines (ASA: `ssh outside`)
    settings: LineSettings

    @property
    def name(self) -> str:
        if self.label is not None:
            return self.label
        if not self.numbered:
            return f"line {self.kind.value}"
        if self.first == self.last:
            return f"line {self.kind.value} {self.first}"
        return f"line {self.kind.value} {self.first} {self.last}"

    @property
    def accepts_connections(self) -> bool:
        """A VTY accepts inbound sessions unless `transport input none`."""
        return self.kind is LineKind.VTY and self.settings.transport_input != ()


class AclEntry(Model):
    text: str
    line: int


class Acl(Model):
    name: str
    family: str  # "ipv4" or "ipv6"
    kind: str  # "standard", "extended" or "ipv6"
    line: int
    entries: tuple[AclEntry, ...] = ()


class EnableLevel(Model):
    """The enable credentials of one privilege level other than 15 (`enable secret level 7 ...`)."""

    level: int
    password: Credential | None = None
    secret: Credential | None = None


class User(Model):
    name: str
    privilege: int | None = None
    password: Credential | None = None  # `username X password ...`
    secret: Credential | None = None  # `username X secret ...`
    nopassword: int | None = None  # the line of `username X ... nopassword`: logs in with no credential at all
    line: int
    # Every `username X ...` line as (line, text): `no username X` removes all of them, so a
    # script that re-creates the user must write back each attribute (view, autocommand...).
    lines: tuple[tuple[int, str], ...] = ()


class AmbiguousCommand(Model):
    line: int
    word: str
    candidates: tuple[str, ...]
    # "ambiguous": IOS refuses it. "unread": a platform read as written (NX-OS, ASA, IOS-XR) may take
    # the abbreviation, and the audit cannot read it: it must not hide a command.
    kind: str = "ambiguous"


class RejectedLine(Model):
    line: int
    text: str
    reason: str


class DeviceModel(Model):
    platform: str = "ios"  # the platform module that read it (auditor.platforms)
    hostname: str | None = None
    version: str | None = None
    sections: tuple[Section, ...] = ()
    acls: dict[str, Acl] = {}
    ipv6_acls: dict[str, Acl] = {}
    users: dict[str, User] = {}
    enable_password: Credential | None = None
    enable_secret: Credential | None = None  # level 15 (privileged EXEC)
    enable_levels: dict[int, EnableLevel] = {}  # the other levels' enable credentials
    login_password: Credential | None = None  # a platform's one remote login password (ASA `passwd`)
    service_password_encryption: bool = False
    aaa_new_model: bool = False
    aaa_login_lists: dict[str, str] = {}
    ip_ssh_version: int | None = None
    login_block_for: bool = False
    ipv6_interfaces: tuple[str, ...] = ()  # interfaces with an IPv6 address or `ipv6 enable`
    first_line_header: int = 1
    first_config_line: int = 1  # where a missing global command is reported
    ambiguous_commands: tuple[AmbiguousCommand, ...] = ()  # abbreviations the device would refuse
    iosxe_markers: bool = False  # an IOS-XE `license boot level`, `platform ...`, a Mgmt-intf/Mgmt-vrf VRF
    boot_image: str | None = None  # the first `boot system` image (its name says whether it has crypto)
    platform_version: str | None = None  # `--platform-version`: overrides the `version` line
    vrfs: tuple[str, ...] = ()  # VRFs defined (`vrf definition`, `ip vrf`)
    object_groups: dict[str, tuple[str, ...]] = {}  # network object-groups: name -> entries
    vrf_interfaces: tuple[str, ...] = ()  # interfaces forwarding in a VRF
    interface_vrf: dict[str, str] = {}  # interface -> the VRF it forwards in
    interface_addresses: dict[str, tuple[str, ...]] = {}  # interface -> its IPv4 `address/mask`es
    ppp_authentication: bool = False  # some interface authenticates PPP peers (CHAP/PAP)
    ppp_peers: tuple[str, ...] = ()  # `dialer remote-name` / `ppp chap hostname` names
    eap_authentication: bool = False  # FlexVPN/IKEv2 clients or `aaa authentication eap`: local EAP users need reversible passwords
    ip_domain_name: bool = False  # `ip domain name` / `ip domain-name`
    ssh_configured: bool = False  # any `ip ssh` line, an RSA keypair name or a self-signed trustpoint
    rejected_lines: tuple[RejectedLine, ...] = ()  # `line` headers the device would refuse
    archive_path: bool = False  # IOS `archive` with a `path`: what `configure terminal revert timer` needs
    platform_notes: dict[str, str] = {}  # what a platform's reader saw that rules quote (IOS-XR: Management Plane Protection)
    source_lines: tuple[str, ...] = ()

    @property
    def release(self):
        """The release this config runs on, and what it accepts (auditor.release)."""
        from auditor.release import release_of

        return release_of(self, self.platform_version)

    # Derived once per model: rules ask for them per section, and a config may have
    # thousands of sections (cost must stay linear). model_copy drops them (below).
    @cached_property
    def _vty(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.kind is LineKind.VTY)

    @cached_property
    def vty_fences(self) -> dict[str, int]:
        """Inbound access-class name -> how many VTY sections accepting connections use it."""
        counts: dict[str, int] = {}
        for s in self._vty:
            if s.accepts_connections and s.settings.access_class_in is not None:
                counts[s.settings.access_class_in.name] = counts.get(s.settings.access_class_in.name, 0) + 1
        return counts

    @cached_property
    def vty_vrf_also(self) -> bool:
        """Some VTY section's inbound access-class says `vrf-also`."""
        return any(s.settings.access_class_in is not None and s.settings.access_class_in.vrf_also for s in self._vty)

    @cached_property
    def acl_references(self) -> dict[str, tuple[int, ...]]:
        """ACL name -> the lines of other features that use it: SNMP communities and groups, NTP,
        `ip http access-class`, route-maps and class-maps, interfaces, NAT, distribute-lists, the
        console's and aux port's access-class. Everything but the ACL's own definition, the VTY
        lines' `access-class` (what a fix changes) and `login quiet-mode access-class`. A named
        ACL counts wherever its name stands as a word (names are case-sensitive); a numbered one
        only after a keyword that takes an ACL. Read from the config text once, when a fix asks:
        an ACL another feature uses is never deleted or narrowed."""
        names = set(self.acls) | set(self.ipv6_acls) | {ref.name for s in self.sections for ref in (s.settings.access_class_in, s.settings.ipv6_access_class_in) if ref is not None}
        if not names:
            return {}
        takes_number = {"access-group", "access-class", "ro", "rw", "address", "access", "peer", "serve", "serve-only", "query-only", "acl", "list", "distribute-list"}
        # By line number, as the reader placed them (abbreviations and all): the ACLs' own definitions...
        definitions = {acl.line for acl in (*self.acls.values(), *self.ipv6_acls.values())}
        definitions |= {e.line for acl in (*self.acls.values(), *self.ipv6_acls.values()) for e in acl.entries}
        # ...and the VTY lines' access-class, which is what a fix changes.
        fixed = {ref.line for s in self._vty for ref in (s.settings.access_class_in, s.settings.ipv6_access_class_in) if ref is not None}
        found: dict[str, list[int]] = {}
        in_definition = in_vty = False
        for number, text in enumerate(self.source_lines, 1):
            words = text.split()
            if not words or words[0].startswith("!"):
                continue
            low = [w.lower() for w in words[:3]]
            if not text[:1].isspace():
                in_definition = number in definitions
                in_vty = len(low) > 1 and len(low[0]) >= 3 and "line".startswith(low[0]) and "vty".startswith(low[1])
            elif in_vty and (_abbreviates(low[0], "access-class") or (low[0] == "ipv6" and len(low) > 1 and _abbreviates(low[1], "access-class"))):
                continue  # a VTY block's own access-class (merged sections keep only one line number)
            if in_definition or number in definitions or number in fixed:
                continue
            if [w.lower() for w in words[:3]] == ["login", "quiet-mode", "access-class"]:
                continue
            for k, word in enumerate(words):
                if word in names and (not word.isdigit() or (k > 0 and words[k - 1].lower() in takes_number)):
                    found.setdefault(word, []).append(number)
        return {name: tuple(lines) for name, lines in found.items()}

    def fresh_acl_name(self, base: str) -> str:
        """A name no ACL on the device has, and no feature names, built on `base`."""
        taken = set(self.acls) | set(self.ipv6_acls) | set(self.acl_references)
        candidate, k = f"{base}-MGMT", 2
        while candidate in taken or candidate + "-V6" in taken:
            candidate, k = f"{base}-MGMT{k}", k + 1
        return candidate

    def management_vrf_interfaces(self, mgmt_nets: tuple[str, ...] = ()) -> tuple[str, ...]:
        """Interfaces through which management arrives in a VRF: a VRF named for management
        (`Mgmt-intf`, `Mgmt-vrf`, `MGMT`, `OOB`...), a platform's management port
        (`GigabitEthernet0`, `FastEthernet0`, `MgmtEth...`), or an address inside `--mgmt-net`.
        Other VRF interfaces are customer VRFs (a PE's): `vrf-also` would admit the fence's
        prefixes from inside them too."""
        import ipaddress
        import re

        nets = [ipaddress.ip_network(n, strict=False) for n in mgmt_nets if ":" not in n]
        out = []
        for name in self.vrf_interfaces:
            vrf = self.interface_vrf.get(name, "")
            if re.search(r"mgmt|manage|oob", vrf, re.I) or re.fullmatch(r"(?i)(gigabitethernet|fastethernet)0|mgmteth.*|management.*", name):
                out.append(name)
                continue
            for address in self.interface_addresses.get(name, ()):
                try:
                    interface = ipaddress.ip_interface(address)
                except ValueError:
                    continue
                if any(interface.ip in net for net in nets):
                    out.append(name)
                    break
        return tuple(out)

    def ppp_peer(self, user: User) -> bool:
        """A user that PPP (CHAP/PAP) or EAP authentication may use, whose password must stay
        reversible: a named CHAP/PAP peer, or, where PPP or EAP authenticates peers, a user
        without CLI privilege (peers and VPN clients are not admins)."""
        if user.name in self.ppp_peers:
            return True
        return (self.ppp_authentication or self.eap_authentication) and (user.privilege is None or user.privilege <= 1)

    @cached_property
    def secret_placeholders(self) -> dict[str, str]:
        """User name -> the placeholder of its new secret, one per user, never another's nor the
        new admin user's (`<NEW-SECRET-ADMIN>`): IOS user names are case-sensitive and may hold
        characters a placeholder cannot, so `Ops` and `ops`, or `j.smith` and `j-smith`, get
        numbered ones, and a user named `admin` does not share the new admin user's."""
        import re

        taken = {"ADMIN"}
        next_k: dict[str, int] = {}  # per base, the number to try next: linear however many names share it
        out: dict[str, str] = {}
        for name in sorted(self.users):
            base = re.sub(r"[^A-Z0-9]+", "-", name.upper()).strip("-") or "USER"
            base = base if base[0].isalpha() else "USER-" + base
            candidate, k = base, next_k.get(base, 2)
            while candidate in taken:
                candidate, k = f"{base}-{k}", k + 1
            next_k[base] = k
            taken.add(candidate)
            out[name] = f"<NEW-SECRET-{candidate}>"
        return out

    def model_copy(self, *, update=None, deep: bool = False):
        copy = super().model_copy(update=update, deep=deep)
        for name in ("_vty", "vty_fences", "vty_vrf_also", "secret_placeholders", "acl_references"):
            copy.__dict__.pop(name, None)
        return copy

    def vty_sections(self) -> tuple[Section, ...]:
        return self._vty

    def login_methods(self, section: Section) -> tuple[str, ...] | None:
        """The AAA login methods in effect on a section; None when the named list is undefined.

        With `aaa new-model` a line uses its `login authentication` list, else the
        `default` list. With no default list, VTY lines use the local user
        database while the console is not authenticated (Cisco IOS Security
        Configuration Guide, "Configuring Authentication": "if no default list is
        defined, only the local user database is checked", with the console
        exempt). Without AAA this returns an empty tuple: the line's login mode
        decides.
        """
        if section.settings.login is not LoginMode.AAA:
            return ()
        name = section.settings.login_list or "default"
        methods = self.aaa_login_lists.get(name)
        if methods is not None:
            return tuple(methods.split())
        if name != "default":
            return None
        return ("none",) if section.kind is LineKind.CON else ("local",)

    def header_evidence(self, section: Section) -> str:
        """Evidence for a missing command: the section header, or why there is none."""
        if section.implicit:
            return f"(no {section.name} in the config: the lines exist with default settings)"
        text = self.text_at(section.header_line)
        numbers = [int(n) for n in text.split()[2:4] if n.isdigit()]
        if section.numbered and numbers and numbers not in ([section.first, section.last], [section.first] * (section.first == section.last)):
            # Lines of several headers with the same settings are one section: say which this is.
            return f"{text} (the last header of {section.name}, whose lines have the same settings)"
        return text

    def text_at(self, line: int) -> str:
        if 1 <= line <= len(self.source_lines):
            return self.source_lines[line - 1].strip()
        return ""


def _abbreviates(word: str, keyword: str) -> bool:
    return len(word) >= 3 and keyword.startswith(word)
