"""IOS keyword abbreviations: expand what the device would expand, flag what it cannot.

IOS accepts any prefix of a keyword that is unique among the keywords valid at
that point of the command ("you have to enter only enough characters for the
device to recognize the command as unique": Cisco IOS Configuration
Fundamentals Configuration Guide, "Using the Cisco IOS Command-Line
Interface", Abbreviated Commands). An intended config pasted onto a device may
therefore say ``transport inp telnet`` or ``no logi``, and the device applies
``transport input telnet`` and ``no login``. An exact keyword wins over longer
ones (``exec`` is not ``exec-timeout``); a prefix shared by several keywords
is refused with "% Ambiguous command".

The tables list the keywords of global and line configuration mode (IOS 15 /
IOS-XE 16-17 ``?`` output), and the sub-keywords of every command the model
reads. Where a table lacks a keyword the device has, a prefix we call unique
may be ambiguous on the device: the audit then reads a command the device
would refuse, which can only add a finding, never hide one. A prefix that is
ambiguous in our tables and could name a command the audit reads is reported
(VTY902), because the config does not say what the device will do.

Pure functions over lines; the line count and numbering never change, and
banner bodies are passed over whole.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Union

from auditor.cli_model import BANNER, skip_banner

# -------------------------------------------------------------- grammar nodes


@dataclass(frozen=True)
class Arg:
    """One free word (a name, a number), then `then`."""

    then: "Node"


@dataclass(frozen=True, eq=False)
class Repeat:
    """Every remaining word is a keyword from `choices` (``transport input telnet ssh``)."""

    choices: dict  # keyword -> None, a table like the others


Node = Union[dict, Arg, Repeat, None]  # dict: keyword -> next node; None: the rest is free text


def _words(text: str) -> dict:
    return {w: None for w in text.split()}


GLOBAL_WORDS = """
aaa access-list alarm-contact alias appfw application archive arp async-bootp authentication autonomic
banner bba-group bfd boot bridge bsc bstun buffers call call-home card cdp chat-script class-map clock
cns config-register configuration connect control-plane controller crypto cts default default-value define
device-sensor device-tracking dial-control-mib dial-peer dialer dialer-list diagnostic dot1x dspfarm dss
eap enable end energywise errdisable ethernet event exception exit file flow format frame-relay
gatekeeper gateway global-address-family hostname hw-module identity interface ip ipc ipv6 isdn kerberos
key l2tp-class l2vpn license line lldp logging login mac mac-address-table macro map-class map-list
memory menu mgcp monitor mpls multilink netconf netflow-lite no ntp object-group parameter-map parser
password pfr platform policy-map port-channel power priority-list privilege process-max-time
qos queue-list radius radius-server redundancy resource restconf rmon route-map router sampler scheduler
scripting secure security service service-policy sip-ua snmp snmp-server software spanning-tree standby
stcapp subscriber switch system tacacs tacacs-server template tftp-server time-range track transceiver
udld username vlan vpdn vrf vtp wsma x25 xconnect zone zone-pair
"""

LINE_WORDS = """
absolute-timeout access-class accounting activation-character authorization autobaud autocommand
autocommand-options autohangup autoselect buffer-length data-character-bits databits default
disconnect-character dispatch-character dispatch-machine dispatch-timeout domain-lookup editing
escape-character exec exec-banner exec-character-bits exec-timeout exit flowcontrol flush-at-activation
full-help help history hold-character insecure international ip ipv6 keymap-type length location
lockable logging login logout-warning modem monitor motd-banner no notify padding parity password private
privilege refuse-message rotary rotary-group rxspeed script session-disconnect-warning session-limit
session-timeout special-character-bits speed start-character stop-character stopbits terminal-type
timeout transport txspeed vacant-message width
"""

_IP_WORDS = """
access-list accounting accounting-list accounting-threshold accounting-transits address-pool admission
alias arp as-path audit auth-proxy bgp-community bootp cef classless community-list ddns default-gateway
default-network device dhcp dhcp-client dhcp-server dns domain domain-list domain-lookup domain-name
dvmrp explicit-path extcommunity-list finger flow flow-aggregation flow-cache flow-export forward-protocol
ftp gdoi gratuitous-arps host host-list hp-host http icmp igmp inspect ips local mask-reply mobile mroute
msdp multicast multicast-routing name-server nat nbar netmask-format nhrp options ospf pim policy
port-map prefix-list radius rcmd reflexive-list route routing rsvp rtcp sap scp sdee security sla slb
source-route ssh subnet-zero tacacs tcp telnet tftp urd vrf wccp
"""

_METHODS: dict = {}
_METHODS.update(
    {
        "cache": Arg(_METHODS),
        "enable": _METHODS,
        "group": Arg(_METHODS),
        "krb5": _METHODS,
        "krb5-telnet": _METHODS,
        "line": _METHODS,
        "local": _METHODS,
        "local-case": _METHODS,
        "none": _METHODS,
    }
)

_USER: dict = {}
_USER.update(
    {
        "aaa": None,
        "access-class": Arg(_USER),
        "algorithm-type": {a: {"secret": None} for a in ("md5", "scrypt", "sha256")},
        "autocommand": None,
        "callback-dialstring": Arg(_USER),
        "callback-line": Arg(_USER),
        "callback-rotary": Arg(_USER),
        "dnis": _USER,
        "mac": _USER,
        "nocallback-verify": _USER,
        "noescape": _USER,
        "nohangup": _USER,
        "one-time": _USER,
        "password": None,
        "privilege": Arg(_USER),
        "secret": None,
        "user-maxlinks": Arg(_USER),
        "view": Arg(_USER),
    }
)

GLOBAL: dict = _words(GLOBAL_WORDS)
GLOBAL.update(
    {
        "aaa": {
            **_words(
                "accounting attribute authorization cache common-criteria configuration dnis group local max-sessions "
                "memory nas password pod policy server service-profile session-id session-mib traceback user"
            ),
            "new-model": None,
            "authentication": {
                **_words("arap attempts banner dot1x enable eou fail-message nasi password-prompt ppp sgbp suppress token username-prompt"),
                "login": Arg(_METHODS),
            },
        },
        "access-list": None,
        "banner": None,
        "enable": {
            "algorithm-type": {a: {"secret": None} for a in ("md5", "scrypt", "sha256")},
            "last-resort": None,
            "password": None,
            "secret": None,
            "use-tacacs": None,
        },
        "hostname": None,
        "interface": None,
        "ip": {
            **_words(_IP_WORDS),
            "access-list": {**_words("helper log-update logging persistent resequence role-based"), "extended": None, "standard": None},
            "ssh": {
                **_words(
                    "authentication-retries break-string bulk-mode client dh dscp logging maxstartups port precedence "
                    "pubkey-chain rekey rsa server source-interface stricthostkeycheck time-out window-size"
                ),
                "version": None,
            },
        },
        "ipv6": {
            **_words("cef dhcp general-prefix hop-limit host icmp local mld multicast-routing nd neighbor pim prefix-list route router routing source-route unicast-routing"),
            "access-list": None,
        },
        "line": {"aux": None, "console": None, "tty": None, "vty": None},
        "login": _words("block-for delay on-failure on-success quiet-mode"),
        "service": _words(
            "alignment call-home compress-config config counters dhcp disable-ip-fast-frag exec-callback exec-wait "
            "finger hide-telnet-addresses internal linenumber nagle old-slip-prompts pad password-encryption "
            "password-recovery private-config-encryption prompt pt-vty-logging sequence-numbers slave-log "
            "tcp-keepalives-in tcp-keepalives-out tcp-small-servers telnet-zeroidle timestamps udp-small-servers "
            "unsupported-transceiver"
        ),
        "username": Arg(_USER),
        "version": None,
    }
)

_TRANSPORT_PROTOCOLS = _words("all lapb-ta lat mop nasi none pad rlogin ssh telnet udptn v120")

LINE: dict = _words(LINE_WORDS)
LINE.update(
    {
        "access-class": Arg({"in": {"vrf-also": None}, "out": None}),
        "ip": {"netmask-format": None, "tcp": None},  # line mode's `ip` (no `ip access-list` here)
        "ipv6": {"access-class": Arg({"in": None, "out": None})},
        "login": {"authentication": None, "local": None},
        "privilege": {"level": None},
        "transport": {"input": Repeat(_TRANSPORT_PROTOCOLS), "output": Repeat(_TRANSPORT_PROTOCOLS), "preferred": None},
    }
)

INTERFACE_IPV6 = _words(
    "address cef dhcp eigrp enable flow inspect mfib mld mtu multicast nd ospf pim policy redirects rip router tcp traffic-filter unnumbered unreachables verify virtual-reassembly"
)
ACL_ENTRY = _words("default deny dynamic evaluate exit no permit remark")

# Commands the model reads: an ambiguous prefix that could be one of these is reported.
READ_GLOBAL = frozenset("aaa access-list banner enable hostname interface ip ipv6 line login service username version".split())
READ_LINE = frozenset("access-class exec exec-timeout ipv6 login password privilege transport".split())

# IOS prints these shorter than the keyword table names them.
_PRINTED = {"console": "con"}


# -------------------------------------------------------------- expansion


@dataclass(frozen=True)
class Ambiguity:
    line: int  # 1-based
    word: str
    candidates: tuple[str, ...]


_SORTED: dict[int, list[str]] = {}  # id(table) -> its keywords in order (tables are module constants)


_MATCHES: dict[tuple[int, str], tuple[str | None, tuple[str, ...]]] = {}  # bounded below


def match(word: str, table: dict) -> tuple[str | None, tuple[str, ...]]:
    """(keyword, ()) for an exact or unique prefix; (None, candidates) otherwise."""
    low = word.lower()
    if low in table:
        return low, ()
    key = (id(table), low)
    hit = _MATCHES.get(key)
    if hit is None:
        if len(_MATCHES) > 4096:
            _MATCHES.clear()
        hit = _MATCHES[key] = _prefix_match(low, table)
    return hit


def _prefix_match(low: str, table: dict) -> tuple[str | None, tuple[str, ...]]:
    keys = _SORTED.get(id(table))
    if keys is None:
        keys = _SORTED[id(table)] = sorted(table)
    i = bisect_left(keys, low)
    candidates: list[str] = []
    while i < len(keys) and keys[i].startswith(low) and len(candidates) < 12:
        candidates.append(keys[i])
        i += 1
    if len(candidates) == 1:
        return candidates[0], ()
    return None, tuple(candidates)


def expand_words(words: list[str], table: dict) -> tuple[list[str], tuple[str, ...], int]:
    """Expand keywords along the grammar. Returns the words, the candidates of an
    ambiguous prefix it stopped at (or ()), and that word's depth in the command
    (0: the command itself). Free words (names, values) are never touched."""
    out = list(words)
    i = start = 0
    if out and out[0].lower() == "no":
        i = 1
    elif out and len(out[0]) >= 3 and "default".startswith(out[0].lower()):
        out[0], i = "default", 1
    start = i
    node: Node = table
    while i < len(out) and node is not None:
        if isinstance(node, Arg):
            i, node = i + 1, node.then
            continue
        keyword, candidates = match(out[i], node.choices if isinstance(node, Repeat) else node)
        if keyword is None:
            return out, candidates, i - start
        out[i] = _PRINTED.get(keyword, keyword)
        i += 1
        if isinstance(node, dict):
            node = node[keyword]
    return out, (), 0


def number(word: str, max_digits: int = 9) -> int | None:
    """A number as IOS reads one: ASCII digits only, and short (IOS takes no `²` or `٣`,
    and a 5,000-digit "number" must not reach int())."""
    if 0 < len(word) <= max_digits and word.isascii() and word.isdigit():
        return int(word)
    return None


def could_be_global_command(word: str) -> bool:
    """A word IOS could take as the first keyword of a global command (a unique or ambiguous prefix)."""
    low = word.lower()
    return len(low) >= 2 and low.isascii() and any(k.startswith(low) for k in GLOBAL)


# -------------------------------------------------------------- whole configs


def canonical_lines(lines: list[str]) -> tuple[list[str], list[Ambiguity]]:
    """The lines with every keyword the model reads written out in full, as the device
    would take them; same count and numbering; banner bodies untouched.

    Global commands, the sub-commands of `line` blocks (indented, or flat right
    after a header as pasted), `ipv6` under interfaces and ACL entry actions.
    """
    out = list(lines)
    ambiguous: list[Ambiguity] = []
    # "line", "interface", "acl", "object-group": whose children we are reading; "global": the
    # command above opens no sub-mode (the device starts in global mode); None: another
    # command, which may have opened one.
    context: str | None = "global"
    flat = False  # the block above has no indented sub-command so far: it may be written flat
    n = len(out)
    i = 0
    while i < n:
        text = out[i]
        if not text or text[0] == "!":
            i += 1
            continue
        if flat and text[0] not in " \t" and context in _FLAT_CHILD and _FLAT_CHILD[context].match(text):
            # Pasted flat: the sub-mode takes it first (no global command starts so), as it
            # takes an indented one. Indented here, as `show running-config` prints it.
            out[i] = " " + text
            if context != "object-group" and (context != "interface" or "ipv6" in text[:24].lower()):
                _child(out, i, context, ambiguous)
            i += 1
            continue
        if text[0] in " \t":
            if context == "global":
                # The command above opens no sub-mode: the device is in global mode and takes this
                # one there, however it is indented (abbreviations included).
                out[i] = text = text.lstrip()
            else:
                flat = False
                promoted = _promoted(text, context)
                if promoted is None:
                    if context is not None and context != "object-group" and (context != "interface" or "ipv6" in text[:24].lower()):
                        _child(out, i, context, ambiguous)
                    i += 1
                    continue
                out[i] = text = promoted  # a global command, indented: the device runs it in global mode
        words = text.split()
        if words[0] == "interface":
            context, flat = "interface", True  # a new block, with no sub-command yet
            i += 1
            continue
        if context != "line" and words[0] in GLOBAL and GLOBAL[words[0]] is None and words[0] not in ("banner", "line", "interface"):
            # Nothing the model reads after it: nothing to expand.
            context = "object-group" if words[0] == "object-group" else "global" if words[0] in _NO_MODE else None
            flat = True
            i += 1
            continue
        if context == "line":
            words_line, candidates, depth = expand_words(words, LINE)
            line_text = " ".join(words_line)
            # Line mode takes its own commands first; after a flat header, `logging synchronous`
            # too (`show running-config` indents them, so an unindented one there is global).
            if FLAT_LINE_CMD.match(line_text):
                if words_line != words:
                    out[i] = line_text
                i += 1
                continue
            if flat and is_line_command(line_text):
                _child(out, i, "line", ambiguous)  # expanded, or its ambiguity reported, as an indented one
                i += 1
                continue
        flat = True  # a command at the top: the block it opens has no sub-command yet
        expanded, candidates, depth = expand_words(words, GLOBAL)
        if candidates and (depth > 0 and _head(expanded) in READ_GLOBAL or depth == 0 and READ_GLOBAL.intersection(candidates)):
            ambiguous.append(Ambiguity(i + 1, expanded[_first(expanded) + depth], candidates))
        if expanded != words:
            out[i] = text = " ".join(expanded)
        head = _head(expanded)
        if head not in GLOBAL:
            i += 1  # no global command (or an ambiguous one): the device refuses it and stays in the mode it was in
            continue
        context = None
        if head == "banner":
            m = BANNER.match(text)
            i = skip_banner(out, i, m.group("rest")) if m else i + 1
            continue
        if head == "line":
            context = "line"
        elif head == "interface":
            context = "interface"
        elif head in ("ip", "ipv6") and len(expanded) > _first(expanded) + 1 and expanded[_first(expanded) + 1] == "access-list":
            context = "acl"
        elif head == "object-group":
            context = "object-group"
        elif _first(expanded) or head in _NO_MODE:
            context = "global"
        i += 1
    return out, ambiguous


# Sub-commands of named ACLs and interfaces that the model reads and no global command starts
# with: written flat after their header (an intended config), the sub-mode takes them.
_FLAT_CHILD = {
    "acl": re.compile(r"(?:\d+\s+)?(?:permit|deny|remark|sequence)\s", re.I),
    "object-group": re.compile(r"(?:host\s|any\s*$|range\s|group-object\s|network-object\s|description\s|\d+\.\d|[0-9a-f:]+/\d)", re.I),
    "interface": re.compile(r"(?:no\s+)?(?:ipv6\s+(?:address|enable)|ppp\s+(?:authentication|chap|pap)|dialer\s+remote-name|(?:ip\s+)?vrf\s+forwarding|ip\s+address)\s", re.I),
}


# Global commands that never open a sub-mode (a `no` form never does either): an indented line after
# one is typed in global mode.
_NO_MODE = frozenset("hostname enable username version service access-list logging ntp boot clock login end exit".split())


# Global commands the model reads that no sub-mode it sits under takes as its own
# (`version` is left out: `router rip` has one). Indented under an interface,
# ACL or other block, IOS finds no such command in that mode, runs it in the
# parent (global) mode, and a `line` header then opens line mode.
_PROMOTED = frozenset({"aaa", "access-list", "hostname", "interface", "line", "username"})
_PROMOTED_IP = frozenset({"access-list", "ssh"})


_PROMOTED_HEADS = _PROMOTED | {"enable", "ip", "ipv6", "login", "service"}
# Every prefix of those keywords, and the negations: a first word outside this set can start
# no promoted command, and is settled with one set lookup (most indented lines are).
_PROMOTABLE_WORDS = frozenset({k[:n] for k in _PROMOTED_HEADS for n in range(1, len(k) + 1)} | {"no", "default"})


def _promoted(text: str, context: str | None) -> str | None:
    """The unindented command when an indented line is really a global command, else None."""
    # Fast path, taken by almost every indented line: the first keyword cannot start one
    # of the global commands that are promoted.
    head = text.split(None, 2)
    if not head:
        return None
    word = head[0].lower()
    if word in ("no", "default") and len(head) > 1:
        word = head[1].lower()  # `no shutdown`: the command is the next word
        nxt = head[2].split(None, 1)[0].lower() if len(head) > 2 and head[2].strip() else ""
    else:
        nxt = head[1].lower() if len(head) > 1 else ""
    if word not in _PROMOTABLE_WORDS:
        return None  # almost every indented line: a set lookup on the first two words
    if word in ("ip", "ipv6") and context != "line" and not ("access-list".startswith(nxt) or "ssh".startswith(nxt)):
        return None  # `ip address`, `ipv6 enable`: only `ip access-list` and `ip ssh` are promoted here
    if not head or head[0][:1] == "!":
        return None
    first = head[0].lower()
    if first in ("no", "default"):
        if len(head) < 2:
            return None
        first = head[1].lower()
    # An abbreviation may be a full keyword of the sub-mode (`host` under an object-group is not
    # `hostname`), and IOS tries the sub-mode first: only exact keywords are promoted, except a
    # `line vty|con|aux N` header, which no sub-mode takes.
    exact = first in GLOBAL
    keyword = first if exact else match(first, GLOBAL)[0]
    if keyword not in _PROMOTED_HEADS or (not exact and keyword != "line"):
        return None
    if keyword in ("ip", "ipv6") and context != "line":
        rest = text.split(None, 3)
        k = 2 if rest[0].lower() in ("no", "default") else 1
        second = rest[k] if len(rest) > k else ""  # a lone `ip` has none
        if not second or match(second, GLOBAL[keyword])[0] not in _PROMOTED_IP:
            return None  # `ip address`, `ipv6 enable`: interface commands
    words = text.split()
    if context == "line":
        at = _first([w.lower() for w in words])
        keyword, _ = match(words[at], LINE) if at < len(words) else (None, ())
        if keyword is not None and not (keyword == "ip" and len(words) > at + 1 and match(words[at + 1], GLOBAL["ip"])[0] in _PROMOTED_IP):
            return None  # a line sub-command (or ambiguous there: reported by _child)
    expanded, candidates, _ = expand_words(words, GLOBAL)
    if candidates:
        return None
    command = _head(expanded)
    second = expanded[_first(expanded) + 1] if len(expanded) > _first(expanded) + 1 else ""
    if command == "line" and second not in ("vty", "con", "aux"):
        return None
    if (
        command in _PROMOTED
        or (command in ("ip", "ipv6") and second in _PROMOTED_IP)
        or (command, second) in (("login", "block-for"), ("service", "password-encryption"))
        or (command == "enable" and second in ("password", "secret", "algorithm-type"))
    ):
        return " ".join(expanded)
    return None


def _first(words: list[str]) -> int:
    return 1 if words and words[0] in ("no", "default") else 0


def _head(words: list[str]) -> str:
    first = _first(words)
    return words[first] if first < len(words) else ""


def _child(out: list[str], i: int, context: str, ambiguous: list[Ambiguity]) -> None:
    text = out[i]
    stripped = text.lstrip()
    if not stripped or stripped[0] == "!":
        return
    indent = text[: len(text) - len(stripped)]
    if context == "interface" and "ipv6" not in stripped[:8].lower():
        return  # the only interface sub-command the model reads
    words = stripped.split()
    if context == "line":
        expanded, candidates, depth = expand_words(words, LINE)
        if candidates and (depth > 0 and _head(expanded) in READ_LINE or depth == 0 and READ_LINE.intersection(candidates)):
            ambiguous.append(Ambiguity(i + 1, expanded[_first(expanded) + depth], candidates))
    elif context == "interface":
        if "ipv6" not in stripped[:8].lower() or _head(words).lower() != "ipv6" or len(words) < _first(words) + 2:
            return
        expanded = list(words)
        k = _first(words) + 1
        keyword, _ = match(words[k], INTERFACE_IPV6)
        if keyword is None:
            return
        expanded[k] = keyword
    else:  # an ACL entry: [sequence] action ...
        k = 1 if words[0].isdigit() and len(words) > 1 else 0
        keyword, _ = match(words[k], ACL_ENTRY)
        if keyword is None:
            return
        expanded = list(words)
        expanded[k] = keyword
    if expanded != words:
        out[i] = indent + " ".join(expanded)


# ------------------------------------------------------------ line mode, pasted flat

# Line sub-commands that are not also global commands: pasted unindented after a
# `line` header, IOS still applies them to the line.
FLAT_LINE_CMD = re.compile(
    r"^(no\s+)?(transport\s+input|access-class|ipv6\s+access-class|login(\s+(local|authentication\b.*))?$"
    r"|password\b(?!\s+encryption)|exec-timeout|privilege\s+level|exec$|modem\s)",
    re.I,
)
# Global commands whose first keyword line mode also has, that the reader keeps global after a flat
# line block (`password encryption aes` sets the type-6 master key, not a line password).
FLAT_GLOBAL = re.compile(r"^password\s+encryption\b", re.I)


def is_global_command(text: str) -> bool:
    """The command's first keyword (after `no`/`default`) is one of global configuration mode."""
    words = text.split(None, 2)
    if words and words[0].lower() in ("no", "default"):
        words = words[1:]
    return bool(words) and words[0].lower() in GLOBAL


def line_mode_takes(text: str, flat: bool) -> bool:
    """An unindented command after a `line` header stays in line mode: a line sub-command that is
    no global command, or, while the block has no indented sub-command (written flat), any
    command line mode has."""
    return bool(FLAT_LINE_CMD.match(text)) or (flat and is_line_command(text))


def is_line_command(text: str) -> bool:
    """The command's first keyword (after `no`/`default`) is one line configuration mode has
    (or a prefix of one: the device would try it there first)."""
    words = text.split(None, 2)
    if words and words[0].lower() in ("no", "default"):
        words = words[1:]
    if not words or FLAT_GLOBAL.match(" ".join(words)):
        return False
    keyword, candidates = match(words[0], LINE)
    if keyword is None:
        return bool(candidates)  # ambiguous in line mode: refused there, and the device stays in it
    # The keywords after it must parse in line mode too (`ip access-list` is not line mode's `ip`)
    _, candidates, depth = expand_words(text.split(), LINE)
    return not (depth > 0 and not candidates)
