"""The engine of each platform's command line as data: which commands ask a question, what
answers it, and what the device prints when it refuses a line.

One table per platform, `CLI` in its package's `cli.py` (`auditor.platforms.ios.cli`, ...;
`auditor.platforms.cli_of` finds it by a report's platform label), read by everything that
types into a device or pretends to:

* the script writer (`auditor.remediation`): a pasted block never goes on past a command that
  asks; it stops there with a `! PAUSE:` line saying what the device asks and what to answer,
  because a paste answers the question with the next line of the script;
* the applier (`auditor.apply`): a command that may ask is sent expecting its question or the
  prompt, and the question is answered explicitly; an answer that matches an error pattern
  fails the step, which is then undone;
* the paste simulator of the test suite, which eats the line after an unannounced question;
* the readers of NX-OS, IOS-XR and the ASA (`as_pasted`): an intended config, written flat or
  indented where the device does not care, is read as the device takes it when pasted. Each
  platform's sub-modes (`Mode`) say which commands they take; the global commands the reader
  reads (`CliModel.globals`) are taken in global mode wherever they are indented, unless the
  current sub-mode takes them. IOS does the same with its keyword tables (`auditor.keywords`).

Sources:

* IOS 15.x and IOS-XE 16/17, `no username NAME`: "This operation will remove all username
  related configurations with same name.Do you want to continue? [confirm]". Ansible's
  `cisco.ios.ios_user` module (`user_del_cmd`) sends the command with this prompt and the
  answer `y`. Which releases ask is the `no-username-prompt` entry of `auditor.release`.
* `crypto key generate rsa ... label L` asks "Do you really want to replace them? [yes/no]"
  when a key pair named L exists (Cisco IOS Security Command Reference, `crypto key generate
  rsa`); keys are not part of a running-config, so any release may ask. Answering `no` keeps the
  existing key, which is what the script wants: SSH keeps the host key clients know.
* Error patterns: the ones netmiko and Ansible's `cisco.ios` terminal plugin match on IOS
  (`% Invalid input`, `% Ambiguous command`, `% Incomplete command`, `% ERROR`,
  `Command authorization failed`, `% Invalid ... `); NX-OS prints `% Invalid command` and
  `ERROR:`; IOS-XR prints `% Invalid input` and `% Failed to commit`; the ASA `ERROR:`.
* Modes: a command the current sub-mode does not have is tried in the parent modes, up to
  global configuration mode ("If the command is not valid in the current submode, the router
  tries it in the parent modes": Cisco IOS XR Getting Started Guide, "Configuration modes";
  NX-OS and ASA configuration guides, "Using the CLI": a global command entered in a sub-mode
  runs in global mode and leaves the sub-mode). Indentation is not read by any of them: a
  pasted line is a command typed at the prompt. The sub-mode vocabularies are those of the
  command references (NX-OS Security Command Reference `line vty`, `ip access-list`; IOS XR
  System Management Command Reference, line template commands; IOS XR System Security
  Command Reference, `username`, MPP; ASA Command Reference, `username attributes`, `crypto
  ca trustpoint`, `webvpn`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PAUSE = "! PAUSE:"

# A banner's delimiter rules (IOS, NX-OS and IOS-XR alike): `banner KIND D ... D`, where D is
# the first character after the kind (or `^C`); text up to the next D is the banner's body.
BANNER = re.compile(r"^banner\s+\S+\s+(?P<rest>.*)$", re.I)


@dataclass(frozen=True)
class Prompt:
    """A question a command asks before it takes effect."""

    command: re.Pattern  # which command asks (matched against the whole line, spaces folded)
    expect: re.Pattern  # what the device prints
    question: str  # the question as the operator will see it
    answer: str  # what to send back
    feature: str | None = None  # the release feature (auditor.release) that says who asks; None: any release may

    def asks(self, release) -> bool | None:
        """True: this release asks; False: it never does; None: it may (release unknown, or state the config does not show)."""
        if self.feature is None or release is None:
            return None
        return release.supports(self.feature)


@dataclass(frozen=True)
class Mode:
    """A configuration sub-mode: the global command that opens it and the commands it takes.

    Both patterns match a command lower-cased, stripped, `no` forms included. `takes` covers
    the sub-modes nested in it as well (IOS-XR's Management Plane Protection levels): the
    reader reads a block's commands in order, whatever their depth."""

    header: re.Pattern
    takes: re.Pattern


_NEVER = re.compile(r"(?!)")


@dataclass(frozen=True)
class CliModel:
    platform: str
    prompts: tuple[Prompt, ...] = ()
    errors: re.Pattern = _NEVER
    modes: tuple[Mode, ...] = ()
    globals: re.Pattern = _NEVER  # global commands the reader reads: run in global mode wherever indented

    def mode_of(self, command: str) -> Mode | None:
        """The sub-mode a global command opens (lower-cased, stripped), or None."""
        return next((m for m in self.modes if m.header.match(command)), None)

    def prompt_for(self, command: str) -> Prompt | None:
        text = " ".join(command.split())
        return next((p for p in self.prompts if p.command.fullmatch(text)), None)

    def refusal(self, output: str) -> str | None:
        """The first line of `output` that says the device refused a command, or None."""
        hit = self.errors.search(output)
        if hit is None:
            return None
        start = output.rfind("\n", 0, hit.start()) + 1
        end = output.find("\n", hit.end())
        return output[start : end if end >= 0 else len(output)].strip()

    def pause_line(self, prompt: Prompt, release) -> str:
        """The comment that ends a pasted block at a command that asks."""
        who = "" if prompt.asks(release) else " (if it asks: older releases and some states do not)"
        return f'{PAUSE} the device asks "{prompt.question}"{who}: answer {prompt.answer}, then paste from the next line.'

    def with_pauses(self, lines: list[str], release) -> list[str]:
        """The script lines with a pause after each command that asks (or may ask) on this release."""
        out: list[str] = []
        for line in lines:
            out.append(line)
            prompt = self.prompt_for(line) if not line.lstrip().startswith("!") else None
            if prompt is not None and prompt.asks(release) is not False:
                out.append(self.pause_line(prompt, release))
        return out


def command(alternatives: str) -> re.Pattern:
    """A command pattern: the alternatives at the start of the command, `no` forms included."""
    return re.compile(r"(?:no\s+)?(?:" + alternatives + r")(?:\s|$)")


SEQUENCED_ACL = Mode(header=command(r"ipv[46]\s+access-list\s+\S+|ip\s+access-list\s+\S+"), takes=command(r"\d+|permit|deny|remark|statistics|fragments"))


_CANDIDATES: dict[str, re.Pattern] = {}
_ENDS = r"(?:\s|$)"  # how `command` ends a command pattern


def _candidates(cli: CliModel) -> re.Pattern:
    """One pattern over the lower-cased text that finds every line `as_pasted` could move: an
    indented global command, or an unindented command a sub-mode takes right after its header
    (comments and blank lines between). No match: the text reads as printed (one C-speed pass)."""
    hit = _CANDIDATES.get(cli.platform)
    if hit is None:

        def head(pattern: str) -> str:
            return pattern[: -len(_ENDS)] + r"(?![^\s])" if pattern.endswith(_ENDS) else pattern

        parts = [r"[ \t]+" + cli.globals.pattern] if cli.globals is not _NEVER else []
        parts += [head(m.header.pattern) + r"[^\n]*\n(?:[ \t]*(?:[!#:][^\n]*)?\n)*" + m.takes.pattern for m in cli.modes]
        # led by one literal newline, which the regex engine finds fast (see auditor.platforms._marker)
        hit = _CANDIDATES[cli.platform] = re.compile(r"\n(?:" + "|".join(f"(?:{p})" for p in parts) + ")" if parts else "(?!)")
    return hit


def as_pasted(lines: list[str], cli: CliModel) -> list[str]:
    """The lines as the device takes them when pasted: same count and numbering, a global
    command unindented, a sub-command indented one space under its mode's header.

    `show running-config` output comes back as it was: there every sub-command is indented
    under its header and every global command is not. Two things change:

    * an indented command the reader reads as global (`CliModel.globals`) that the current
      sub-mode does not take is a global command (` feature telnet` after `hostname`);
    * an unindented command right after a sub-mode's header (comments between allowed) that
      the sub-mode takes is its sub-command, as long as the block has no indented commands
      (a flat template: `username cisco` / `group root-lr` / `password cisco`). The sub-mode
      is tried first, as the device does.

    Banner bodies are untouched (`auditor.platforms.without_banners` keeps them out of
    evidence; the readers skip them). Cheap when nothing is to change: one regex search over
    the text decides, and most configs take no Python step per line here.
    """
    if not cli.modes and cli.globals is _NEVER:
        return lines
    if not _candidates(cli).search("\n" + "\n".join(lines).lower()):
        return lines  # as `show running-config` prints it: nothing to move
    out = list(lines)
    mode: Mode | None = None
    flat = False  # the current block has had no indented command: unindented ones may be its own
    i, n = 0, len(out)
    while i < n:
        text = out[i]
        stripped = text.lstrip()
        if not stripped or stripped[0] in "!#:":
            i += 1
            continue
        low = stripped.lower()
        if text[0] in " \t":
            if mode is not None and mode.takes.match(low):
                flat = False
                i += 1
                continue
            if not cli.globals.match(low):
                flat = False
                i += 1
                continue
            out[i] = text = stripped  # a global command: the device runs it in global mode
        elif mode is not None and flat and mode.takes.match(low):
            out[i] = " " + stripped
            i += 1
            continue
        if low.startswith("banner"):
            m = BANNER.match(stripped)
            if m:
                i, mode = skip_banner(out, i, m.group("rest")), None
                continue
        mode = cli.mode_of(low)
        flat = True
        i += 1
    return out


def skip_banner(lines: list[str], start: int, rest: str) -> int:
    """Index of the first line after a banner that starts at `start`."""
    rest = rest.strip()
    if not rest:
        return start + 1
    delim = "^C" if rest.startswith("^C") else rest[0]
    if delim in rest[len(delim) :]:
        return start + 1  # the banner ends on its own line
    for j in range(start + 1, len(lines)):
        if delim in lines[j]:
            return j + 1
    return len(lines)
