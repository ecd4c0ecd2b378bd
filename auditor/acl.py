"""ACL semantics the rules need: does an access-class ACL let every source in?

Entries are evaluated top-down, first match wins (Cisco IOS Security
Configuration Guide, "IP Access List Overview"). Sources are address sets,
not strings: a wildcard of all ones (`permit 10.0.0.0 255.255.255.255`)
matches every address, two entries can cover the whole space between them
(`0.0.0.0 127.255.255.255` and `128.0.0.0 127.255.255.255`), and a network
object-group can hold `any`. Wildcards need not be contiguous (IOS takes
`10.0.0.0 0.0.255.0`); up to 256 pieces are expanded exactly, beyond that
the span between the lowest and highest match stands in, which can only
report more.

An ACL "admits every source" when the union of the sources its permit
entries reach covers the whole address space. Entries after a deny that
covers everything still unmatched are unreachable. A deny of a few hosts
before a `permit any` does not make it a fence: such an ACL is still
reported. Only entries that can carry an SSH or Telnet session count
(`ip`, IOS-XR's `ipv4`, `ipv6`, `tcp`, a protocol object-group); `udp` and
`icmp` entries do not. IPv4 and IPv6 are judged alike.
"""

from __future__ import annotations

import ipaddress

FULL = {4: (0, (1 << 32) - 1), 6: (0, (1 << 128) - 1)}
_SESSION_PROTOCOLS = {"ip", "ipv4", "ipv6", "tcp", "6", "object-group"}  # `ipv4`: IOS-XR


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


class _Cover:
    """A growing union of intervals, kept sorted and disjoint; adding one costs a bisect and
    one slice assignment, so a 20,000-entry ACL is judged in one pass."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, lo: int, hi: int) -> None:
        from bisect import bisect_left, bisect_right

        i = bisect_left(self.ends, lo - 1)  # first interval that ends at or after lo - 1
        j = bisect_right(self.starts, hi + 1)  # intervals from i to j - 1 touch [lo, hi]
        if i < j:
            lo, hi = min(lo, self.starts[i]), max(hi, self.ends[j - 1])
        self.starts[i:j] = [lo]
        self.ends[i:j] = [hi]

    def covers(self, full: tuple[int, int]) -> bool:
        return len(self.starts) == 1 and self.starts[0] <= full[0] and self.ends[0] >= full[1]


def wildcard_spans(address: int, wildcard: int, bits: int = 32) -> list[tuple[int, int]]:
    """Addresses an (address, wildcard) pair matches, as intervals."""
    base = address & ~wildcard & ((1 << bits) - 1)
    low = 0
    while low < bits and (wildcard >> low) & 1:
        low += 1
    low_mask = (1 << low) - 1
    high = [i for i in range(low, bits) if (wildcard >> i) & 1]
    if len(high) > 8:
        return [(base, base | wildcard)]  # the span: over-approximates, so it can only report more
    spans = []
    for combo in range(1 << len(high)):
        offset = sum(1 << bit for k, bit in enumerate(high) if (combo >> k) & 1)
        spans.append((base | offset, base | offset | low_mask))
    return _union(spans)


def _ip(text: str):
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _source(original: list[str], family: int, groups: dict, depth: int = 0) -> tuple[list[tuple[int, int]], int] | None:
    """(spans, words used) of the source spec at the start of `original`; None if unreadable.
    Keywords are matched in lower case, object-group names as written (IOS names are exact)."""
    if not original:
        return None
    words = [w.lower() for w in original[:2]]
    head = words[0]
    if head == "any" or head == "any4" or head == "any6":
        return [FULL[family]], 1
    if head == "host" and len(words) > 1 and (addr := _ip(words[1])) is not None:
        return [(int(addr), int(addr))], 2
    if head in ("object-group", "addrgroup") and len(words) > 1:
        return _group(original[1], family, groups, depth), 2
    if "/" in head:
        try:
            net = ipaddress.ip_network(head, strict=False)
        except ValueError:
            return None
        return [(int(net.network_address), int(net.broadcast_address))], 1
    addr = _ip(head)
    if addr is None:
        return None
    wildcard = _ip(words[1]) if len(words) > 1 else None
    if wildcard is not None and wildcard.version == addr.version:
        return wildcard_spans(int(addr), int(wildcard), addr.max_prefixlen), 2
    return [(int(addr), int(addr))], 1  # a standard ACL's bare address is a host


def _group(name: str, family: int, groups: dict, depth: int) -> list[tuple[int, int]]:
    """A network object-group's addresses (its entries use masks, not wildcards)."""
    spans: list[tuple[int, int]] = []
    if depth > 8:
        return spans
    for text in groups.get(name, ()):
        words = text.lower().split()
        if not words:
            continue
        if words[0] == "any":
            spans.append(FULL[family])
        elif words[0] == "host" and len(words) > 1 and (addr := _ip(words[1])) is not None and addr.version == family:
            spans.append((int(addr), int(addr)))
        elif words[0] == "range" and len(words) > 2 and (a := _ip(words[1])) and (b := _ip(words[2])) and a.version == family:
            spans.append((int(a), int(b)))
        elif words[0] == "group-object" and len(words) > 1:
            spans += _group(text.split()[1], family, groups, depth + 1)
        elif "/" in words[0] or (len(words) > 1 and _ip(words[0]) is not None):
            try:
                net = ipaddress.ip_network(words[0] if "/" in words[0] else f"{words[0]}/{words[1]}", strict=False)
            except ValueError:
                continue
            if net.version == family:
                spans.append((int(net.network_address), int(net.broadcast_address)))
    return _union(spans)


def _entry_source(entry, kind: str, family: int, groups: dict):
    """(action, spans) of an entry whose source could carry a session; None to skip it."""
    original = entry.text.split()
    words = [w.lower() for w in original[:2]]
    if not words or words[0] not in ("permit", "deny"):
        return None
    action, rest = words[0], original[1:]
    if kind == "standard":
        parsed = _source(rest, family, groups)
    else:
        protocol = rest[0].lower() if rest else ""
        if protocol not in _SESSION_PROTOCOLS:
            return None
        parsed = _source(rest[2:] if protocol == "object-group" else rest[1:], family, groups)
    if parsed is None:
        return None
    return action, parsed[0]


_VERDICTS: dict[tuple[int, int], tuple] = {}  # (id(acl), id(groups)) -> (acl, groups, verdict): each ACL judged once


def permits_any_source(acl, groups: dict | None = None):
    """The entry whose permit completes a cover of every source address, or None.

    Memoised per ACL object: 5,000 VTY sections naming one 20,000-entry ACL
    judge it once, not 5,000 times. The cache holds the ACL itself, so an id
    is never reused while its verdict is kept, and it is emptied when it grows.
    """
    groups = groups or {}
    key = (id(acl), id(groups) if groups else 0)
    hit = _VERDICTS.get(key)
    if hit is not None and hit[0] is acl and (not groups or hit[1] is groups):
        return hit[2]
    if len(_VERDICTS) > 64:
        _VERDICTS.clear()
    verdict = _judge(acl, groups)
    _VERDICTS[key] = (acl, groups, verdict)  # holding both keeps their ids from being reused
    return verdict


def _judge(acl, groups: dict):
    family = 6 if acl.family == "ipv6" else 4
    full = FULL[family]
    permitted, matched = _Cover(), _Cover()
    for entry in acl.entries:
        parsed = _entry_source(entry, acl.kind, family, groups)
        if parsed is None:
            continue
        action, spans = parsed
        for lo, hi in spans:
            if action == "permit":
                permitted.add(lo, hi)
            matched.add(lo, hi)
        if action == "permit" and permitted.covers(full):
            return entry
        if matched.covers(full):
            return None  # every address has matched an entry: the rest is unreachable
    return None


def admits_address(acl, groups: dict, address: str) -> bool:
    """Whether one source address gets through the ACL (first match; implicit deny at the end)."""
    value = int(ipaddress.ip_address(address))
    family = 6 if acl.family == "ipv6" else 4
    for entry in acl.entries:
        parsed = _entry_source(entry, acl.kind, family, groups)
        if parsed is None:
            continue
        action, spans = parsed
        if any(lo <= value <= hi for lo, hi in spans):
            return action == "permit"
    return False
