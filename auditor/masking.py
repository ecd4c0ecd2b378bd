"""Mask secrets in any text that leaves the process: the one masking function.

Every credential-bearing command is masked from its value to the end of the
line, because IOS takes the rest of the line as the value (`password two
words`): ``password 7 ****``, ``secret 9 ****``, ``tacacs-server key 0 ****``,
``snmp-server community ****``, ``snmp-server user U G v3 auth ****``,
``crypto isakmp key ****``, ``ntp authentication-key 1 md5 ****``,
``snmp-server host 192.0.2.1 ****``. The keyword, a ``level N`` and the type
digit stay visible: an auditor needs to see ``password 7``. Type-7 strings are
never decoded.

Keywords are matched as the device reads them, abbreviations included
(``usern ops pass 7 ...``), through the keyword table of `auditor.keywords`;
any word of four letters or more that begins ``password`` or ``secret`` also
counts, whatever the command. Masking more than needed is the safe error.
"""

from __future__ import annotations

import re

from auditor.keywords import GLOBAL, LINE, expand_words

_WORD = re.compile(r"\S+")
MASK = "****"

# The value follows these words (after an optional `level N` and type digit).
_VALUE_AFTER = frozenset({"password", "passwd", "secret", "key-string", "community", "authentication-key", "message-digest-key", "pre-shared-key", "wpa-psk", "key", "md5-key"})
# `key` words that name no secret.
_KEY_NOT_SECRET = frozenset(
    {
        "chain",
        "generate",
        "config-key",
        "zeroize",
        "pubkey-chain",
        "storage",
        "export",
        "import",
        "decrypt",
        "encrypt",
        "lifetime",
        "accept-lifetime",
        "send-lifetime",
        "ring",
        "rsa",
        "ec",
        "id",
        "policy",
        "exchange",
    }
)
_KEEP_WORDS = frozenset({"encryption"})  # `password encryption aes` is a global command, not a value


def mask_secrets(text: str) -> str:
    """The text with every credential value replaced by ``****``, line by line."""
    if "\n" in text:
        return "\n".join(mask_line(line) for line in text.split("\n"))
    return mask_line(text)


def mask_line(line: str) -> str:
    spans = [m.span() for m in _WORD.finditer(line)]
    if len(spans) < 2:
        return line
    words = [line[a:b] for a, b in spans]
    readings = [words]  # as written, and as a global and as a line command (abbreviations expanded)
    for table in (GLOBAL, LINE):
        expanded = expand_words(words, table)[0]
        if expanded not in readings:
            readings.append(expanded)
    start = min((k for k in map(_value_start, readings) if k is not None), default=None)
    if start is None or start >= len(words):
        return line
    return line[: spans[start][0]] + MASK


def _value_start(words: list[str]) -> int | None:
    """Index of the first word of a secret value, or None."""
    low = [w.lower() for w in words]
    first = 1 if low[0] in ("no", "default") else 0
    if low[first : first + 2] == ["snmp-server", "user"]:
        for k in range(first + 2, len(low)):
            if low[k] in ("auth", "priv", "encrypted"):
                return k + 1
        return None
    if low[first : first + 2] == ["snmp-server", "host"] and len(low) > first + 3:
        return first + 3
    for k in range(first, len(low)):
        word = low[k]
        is_keyword = word in _VALUE_AFTER or (len(word) >= 4 and ("password".startswith(word) or "secret".startswith(word)))
        if not is_keyword:
            continue
        if word == "key" and k + 1 < len(low) and low[k + 1] in _KEY_NOT_SECRET:
            continue
        j = k + 1
        if j < len(low) and low[j] in _KEEP_WORDS:
            continue
        if j + 1 < len(low) and low[j] == "level" and low[j + 1].isdigit():
            j += 2
        if word == "message-digest-key" or word == "authentication-key":
            j += 1  # the key number
            if j < len(low) and low[j] == "md5":
                j += 1
        if j + 1 < len(low) and low[j].isdigit() and len(low[j]) <= 2:
            j += 1  # the type digit: 0, 5, 6, 7, 8, 9
        if j < len(words) and words[j].upper().startswith("<NEW-") and words[j].endswith(">"):
            continue  # a placeholder of ours (<NEW-SECRET-ADMIN>), not a value
        return j
    return None
