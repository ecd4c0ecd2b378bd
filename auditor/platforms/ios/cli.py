"""The IOS / IOS-XE CLI as data (`auditor.cli_model`): the questions a command asks (`no username` on releases that confirm, an RSA key that exists) and the errors the CLI prints."""

from __future__ import annotations

import re

from auditor.cli_model import CliModel, Prompt

_IOS_ERRORS = re.compile(
    r"^\s*%\s*(?:Invalid input|Ambiguous command|Incomplete command|ERROR|Error|Invalid |Bad |Unknown |"
    r"Archive path is not configured|.*not allowed|.*already in use|.*\bfailed\b|.*\bdenied\b)|Command authorization failed|Command rejected",
    re.M,
)

CLI = CliModel(
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
