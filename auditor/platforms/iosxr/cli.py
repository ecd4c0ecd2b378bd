"""The IOS-XR CLI as data (`auditor.cli_model`): the sub-modes of line templates, users, sequenced ACLs and `control-plane`, and the errors the CLI prints."""

from __future__ import annotations

import re

from auditor.cli_model import CliModel, command, Mode, SEQUENCED_ACL

CLI = CliModel(
    platform="iosxr",
    errors=re.compile(r"^\s*%\s*(?:Invalid input|Incomplete|Ambiguous|Failed to commit)|Command authorization failed", re.M),
    modes=(
        Mode(
            header=command(r"line\s+(?:default|template\s+\S+|console)"),
            takes=command(
                r"transport|access-class|ipv6\s+access-class|exec-timeout|login|password|secret|session-timeout|session-limit"
                r"|absolute-timeout|timestamp|users|width|length|escape-character|disconnect-character|autocommand"
            ),
        ),
        Mode(header=command(r"username\s+\S+"), takes=command(r"group|password|secret|password-policy|policy|login-history|description")),
        SEQUENCED_ACL,
        Mode(header=command(r"control-plane"), takes=command(r"management-plane|inband|out-of-band|interface|allow|address|vrf")),
    ),
    globals=command(r"telnet|ssh\s+server|vty-pool|line\s+(?:default|template|console)|ipv[46]\s+access-list|username|hostname|aaa\s+authentication|control-plane"),
)
