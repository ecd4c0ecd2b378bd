"""The NX-OS CLI as data (`auditor.cli_model`): the sub-modes a pasted `line vty` and a sequenced ACL open, and the errors the CLI prints."""

from __future__ import annotations

import re

from auditor.cli_model import CliModel, command, Mode, SEQUENCED_ACL

CLI = CliModel(
    platform="nxos",
    errors=re.compile(r"^\s*%\s*(?:Invalid|Incomplete|Ambiguous)|^\s*ERROR:|Command authorization failed", re.M),
    modes=(
        Mode(header=command(r"line\s+vty"), takes=command(r"access-class|ipv6\s+access-class|exec-timeout|session-limit|absolute-timeout|logout-warning")),
        SEQUENCED_ACL,
    ),
    globals=command(r"feature|username|hostname|switchname|line\s+(?:vty|console)|ip(?:v6)?\s+access-list|aaa\s+authentication"),
)
