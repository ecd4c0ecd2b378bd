"""Each platform's command line as data: which commands ask a question, what answers it, and
what the device prints when it refuses a line.

One table per platform, read by everything that types into a device or pretends to:

* the script writer (`auditor.remediation`): a pasted block never goes on past a command that
  asks; it stops there with a `! PAUSE:` line saying what the device asks and what to answer,
  because a paste answers the question with the next line of the script;
* the applier (`auditor.apply`): a command that may ask is sent expecting its question or the
  prompt, and the question is answered explicitly; an answer that matches an error pattern
  fails the step, which is then undone;
* the paste simulator of the test suite, which eats the line after an unannounced question.

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
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PAUSE = "! PAUSE:"


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
class CliModel:
    platform: str
    prompts: tuple[Prompt, ...] = ()
    errors: re.Pattern = re.compile(r"(?!)")

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
        return output[start:end if end >= 0 else len(output)].strip()

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


_IOS_ERRORS = re.compile(
    r"^\s*%\s*(?:Invalid input|Ambiguous command|Incomplete command|ERROR|Error|Invalid |Bad |Unknown |"
    r"Archive path is not configured|.*not allowed|.*already in use|.*\bfailed\b|.*\bdenied\b)|Command authorization failed|Command rejected",
    re.M,
)

IOS = CliModel(
    platform="ios",
    prompts=(
        Prompt(
            command=re.compile(r"no username \S+", re.I),
            expect=re.compile(r"\[confirm\]"),
            question="This operation will remove all username related configurations with same name. Do you want to continue? [confirm]",
            answer="y",
            feature="no-username-prompt",
        ),
        Prompt(
            command=re.compile(r"crypto key generate rsa\b.*\blabel \S+.*", re.I),
            expect=re.compile(r"replace them\? \[yes/no\]", re.I),
            question="% You already have RSA keys defined named ... Do you really want to replace them? [yes/no]",
            answer="no",
        ),
    ),
    errors=_IOS_ERRORS,
)
NXOS = CliModel(platform="nxos", errors=re.compile(r"^\s*%\s*(?:Invalid|Incomplete|Ambiguous)|^\s*ERROR:|Command authorization failed", re.M))
IOSXR = CliModel(platform="iosxr", errors=re.compile(r"^\s*%\s*(?:Invalid input|Incomplete|Ambiguous|Failed to commit)|Command authorization failed", re.M))
ASA = CliModel(platform="asa", errors=re.compile(r"^\s*ERROR:|^\s*%\s*Invalid|Command authorization failed", re.M))

MODELS = {"ios": IOS, "iosxe": IOS, "nxos": NXOS, "iosxr": IOSXR, "asa": ASA}


def cli_of(platform: str) -> CliModel:
    return MODELS[platform]
