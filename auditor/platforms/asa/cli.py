"""The ASA CLI as data (`auditor.cli_model`): the sub-modes a pasted user's attributes, a trustpoint and `webvpn` open, and the errors the CLI prints."""

from __future__ import annotations

import re

from auditor.cli_model import CliModel, command, Mode

CLI = CliModel(
    platform="asa",
    errors=re.compile(r"^\s*ERROR:|^\s*%\s*Invalid|Command authorization failed", re.M),
    modes=(
        Mode(header=command(r"username\s+\S+\s+attributes"), takes=command(r"ssh\s+authentication|service-type|password-policy|vpn-\S+|group-lock|webvpn|memberof")),
        Mode(header=command(r"crypto\s+ca\s+trustpoint"), takes=command(r"password|enrollment|subject-name|keypair|fqdn|crl|revocation-check|ip-address|serial-number")),
        Mode(header=command(r"webvpn"), takes=command(r"enable")),
    ),
    globals=command(r"telnet|ssh|username|enable\s+password|hostname|name\s+[0-9a-f.:]+|aaa\s+authentication|passwd|password"),
)
