"""Mask secrets in any text that leaves the process.

Keeps the keyword and the type digit (an auditor needs to see ``password 7``),
replaces the value with ``****``. Type-7 strings are never decoded.
"""

import re

_SECRET = re.compile(
    r"(?P<kw>\b(?:password|secret|key-string|community)\b)"
    r"(?P<level>\s+level\s+[0-9]+)?"
    r"(?P<type>\s+[0-9]{1,2}(?=\s))?"
    r"(?P<sp>\s+)(?P<value>\S+)",
    re.IGNORECASE,
)
_KEEP = {"encryption"}


def _mask(m: re.Match) -> str:
    value = m.group("value")
    if value.lower() in _KEEP or (value.startswith("<") and value.endswith(">")):
        return m.group(0)
    return f"{m.group('kw')}{m.group('level') or ''}{m.group('type') or ''}{m.group('sp')}****"


def mask_secrets(text: str) -> str:
    return _SECRET.sub(_mask, text)
