"""Turn raw bytes into config lines, or say why they are not a config.

Pure functions: no I/O. Line numbers are preserved: anything that is not
config (a ``Building configuration...`` preamble, a CLI transcript before the
``show running-config`` prompt, trailing prompts) is blanked, not removed, so
line N of the result is line N of the file.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

# `R1#`, `core1(config)#`, and IOS-XR's `RP/0/RP0/CPU0:core1#`.
_PROMPT = re.compile(r"^[A-Za-z0-9][\w.\-/():]*[#>]\s*(\S.*)?$")
_SHOW_RUN = re.compile(r"^[A-Za-z0-9][\w.\-/():]*#\s*sh(o(w)?)?\s+(run|sdwan\s+run|startup)", re.I)
_PREAMBLE = re.compile(
    r"^(Building configuration\.\.\.|Current configuration\s*:.*|Last configuration change.*|NVRAM config last updated.*"
    r"|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \w{3} +\d{1,2} \d\d:\d\d:\d\d(?:\.\d+)? \w+)\s*$"  # IOS-XR stamps each command's output
)
_LINE_COMMAND = re.compile(r"^line\s+(?:(?:vty|con|aux|tty)\s+)?\d+(?:\s+\d+)?$")


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


class Decoded(BaseModel):
    lines: list[str] | None = None  # as written (evidence and suppressions read these)
    canonical: list[str] | None = None  # keywords written out as the device takes them
    ambiguous: list = []  # keywords.Ambiguity: abbreviations the device would refuse
    reason: str | None = None  # set when the input is not a running-config
    platform: str | None = None  # the platform module that reads it (auditor.platforms)
    unsupported: str | None = None  # another platform, recognised and named (status `unsupported`)
    evidence: tuple[str, ...] = ()  # what decided the platform
    not_config: bool = False  # not a config at all: no line is a command the model reads (status `not-a-config`)


def decode(data: bytes) -> str | None:
    """UTF-8 if it is, else latin-1 (never fails); None for binary data."""
    if b"\x00" in data[:8192]:
        return None
    sample = data[:8192]
    if sample:
        controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
        if controls / len(sample) > 0.05:
            return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def config_lines(text: str) -> list[str]:
    """Split into lines (CRLF, CR) and blank what is not config, keeping numbering."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if "\t" in text:
        lines = [_indent_tabs(line.rstrip()) for line in lines]
    else:
        lines = [line.rstrip() for line in lines]
    # A CLI transcript: keep only what follows the last `show running-config` prompt that
    # comes before the config begins. A prompt line after the first config command (in a
    # banner body, say) is text, never a reason to drop the lines above it.
    start = 0
    if "#" in text:
        for i in range(_config_begins(lines)):
            if "#" in lines[i] and _SHOW_RUN.match(lines[i]):
                start = i + 1
    for i in range(start):
        lines[i] = ""
    for i in range(start, len(lines)):
        if _PREAMBLE.match(lines[i]):
            lines[i] = ""
        elif lines[i].strip():
            break
    # Trailing prompt lines after `end` (e.g. `R2#`).
    for i in range(len(lines) - 1, -1, -1):
        if not lines[i].strip():
            continue
        if lines[i].strip() != "end" and _PROMPT.match(lines[i]) and not lines[i].startswith(" "):
            lines[i] = ""
            continue
        break
    return lines


def _config_begins(lines: list[str]) -> int:
    """Index of the first line that IOS could take as a global configuration command.

    Configs print commands in lower case, unindented; `show` output in a
    transcript starts with capitals, digits, prompts or blanks. Abbreviations
    count (`lin vty 5 15`), so a shortened command cannot pass for output.
    """
    from auditor.keywords import GLOBAL, could_be_global_command, expand_words

    for i, line in enumerate(lines):
        if not line or line[0] in " \t!":
            continue
        words = line.split()
        # IOS keywords are case-insensitive: `LINE VTY 5 15` is a command. Capitalised words
        # (`Building configuration...`, `Current configuration`) are what a transcript prints.
        if not (words[0].islower() or words[0].isupper()):
            continue
        words = [w.lower() for w in words[:1]] + words[1:]
        if not (words[0] == "no" or could_be_global_command(words[0])):
            continue
        expanded = expand_words([w.lower() for w in words], GLOBAL)[0]
        if expanded[0] != "line" or _LINE_COMMAND.match(" ".join(expanded)):
            return i
    return len(lines)


def _indent_tabs(line: str) -> str:
    stripped = line.lstrip("\t ")
    if len(stripped) == len(line):
        return line
    indent = line[: len(line) - len(stripped)]
    return indent.replace("\t", " ") + stripped


def load(data: bytes, platform: str = "auto") -> Decoded:
    """Decode one input, find its platform (or take `platform`), and let the platform say
    whether it is a config it can read."""
    if not data.strip():
        return Decoded(reason="empty input")
    text = decode(data)
    if text is None:
        return Decoded(reason="binary data, not a text config")
    from auditor.platforms import detect, get
    from auditor.platforms.ios import DEVICE_OUTPUT

    lines = config_lines(text)
    detection = detect(lines, platform)
    if detection.platform is None:
        return Decoded(reason=detection.reason, evidence=detection.evidence, unsupported=detection.unsupported)
    canonical, ambiguous, reason = get(detection.platform).prepare(lines)
    if reason:
        # Nothing a device config has (no evidence of NX-OS either): notes, a README. A file
        # with one command the model reads (abbreviations written out) is a config that could
        # not be audited, and fails; an ambiguous abbreviation ("In this repository") is one
        # the device refuses, so it does not make a config.
        not_config = detection.platform == "ios" and not any(map(_reads, canonical)) and not DEVICE_OUTPUT.search("\n".join(lines[:200]))
        return Decoded(reason=reason, evidence=detection.evidence, not_config=not_config)
    return Decoded(lines=lines, canonical=canonical, ambiguous=ambiguous, platform=detection.platform, evidence=detection.evidence)


def _reads(line: str) -> bool:
    """A line a device config has: its command (keywords written out) is one the model reads."""
    from auditor.keywords import READ_GLOBAL

    words = line.split(None, 2)
    if words and words[0].lower() in ("no", "default"):
        words = words[1:]
    return bool(words) and words[0].lower() in READ_GLOBAL
