"""ACL semantics the rules need: does an ACL let any source in?

Entries are evaluated top-down, first match wins (Cisco IOS Security
Configuration Guide, "IP Access List Overview"): a ``deny any`` before a
``permit any`` makes the permit unreachable.
"""

from __future__ import annotations

_ANY = ("any", "0.0.0.0 255.255.255.255", "::/0")


def _source_is_any(words: list[str], kind: str) -> bool:
    """Source of an entry (after the action word) matches every address."""
    if kind == "standard":
        rest = " ".join(words)
        return rest == "any" or rest.startswith("any ") or rest.startswith("0.0.0.0 255.255.255.255")
    # extended / ipv6: action PROTOCOL SOURCE ...
    if len(words) < 2:
        return False
    src = " ".join(words[1:3])
    return words[1] == "any" or src == "0.0.0.0 255.255.255.255" or words[1] == "::/0"


_VERDICTS: dict[int, tuple] = {}  # id(acl) -> (acl, verdict): each ACL is judged once


def permits_any_source(acl):
    """The first reachable entry permitting any source, or None.

    Memoised per ACL object: 5,000 VTY sections naming one 20,000-entry ACL
    judge it once, not 5,000 times. The cache holds the ACL itself, so an id
    is never reused while its verdict is kept, and it is emptied when it grows.
    """
    hit = _VERDICTS.get(id(acl))
    if hit is not None and hit[0] is acl:
        return hit[1]
    if len(_VERDICTS) > 64:
        _VERDICTS.clear()
    verdict = _judge(acl)
    _VERDICTS[id(acl)] = (acl, verdict)
    return verdict


def _judge(acl):
    for entry in acl.entries:
        words = entry.text.lower().split()
        if not words or words[0] not in ("permit", "deny"):
            continue
        action, rest = words[0], words[1:]
        if not _source_is_any(rest, acl.kind):
            continue
        if action == "permit":
            return entry
        # A deny of every source (for every protocol) ends the reachable part.
        if acl.kind == "standard" or (len(rest) >= 3 and rest[0] in ("ip", "ipv6") and rest[2] in _ANY[:1] + ("::/0",)):
            return None
    return None
