"""VTY018 ssh-without-authentication: SSH is allowed, but nothing says how SSH users log in.

## What it does
On an ASA, flags `ssh ADDRESS MASK IFNAME` entries when no `aaa authentication
ssh console ...` line names where SSH logins are checked (the local user
database, `LOCAL`, or a server group).

## Why is this bad?
From ASA 8.4 an SSH login needs that line: without it nobody can log in over
SSH, and the devices it was meant for are managed over Telnet or the console
instead. Before 8.4 the ASA let SSH in as the shared user `pix` (or `asa`) with
the `passwd` login password: one password for everyone, nothing to say who
logged in. The finding is low on 8.4 and later (and when the release is
unknown), medium before.

## Example
    ssh 192.0.2.0 255.255.255.0 management

Use instead:

    aaa authentication ssh console LOCAL
    username netops password <NEW-SECRET-NETOPS> privilege 15
    ssh 192.0.2.0 255.255.255.0 management

## Fix safety
Safe where a local user with a password exists: only SSH logins are affected,
and they could not succeed before. Otherwise it needs input: a user and its
password are added first.

## References
Cisco ASA Series General Operations CLI Configuration Guide 9.x, "Management
Access" > "Configure SSH Access" ("(8.4 and later) The SSH default username is
no longer supported ... To use SSH, you must configure AAA authentication using
the aaa authentication ssh console LOCAL command; then define a local user").
"""

import re
from typing import ClassVar, Iterator

from auditor.findings import Finding, Severity
from auditor.platforms import platform_of
from auditor.rule import Found, Rule, RuleMeta


def before_8_4(version: str | None) -> bool:
    """An ASA release older than 8.4 (an unknown one is taken as current)."""
    m = re.match(r"(\d{1,2})\.(\d{1,2})", version or "")
    return m is not None and (int(m.group(1)), int(m.group(2))) < (8, 4)


class SshWithoutAuthentication(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="VTY018",
        name="ssh-without-authentication",
        severity=Severity.LOW,
        summary="SSH is allowed but no `aaa authentication ssh console` says how its users log in (ASA)",
        tags=("ssh", "aaa"),
        platforms=("asa",),
    )

    def check(self, device) -> Iterator[Found]:
        if device.aaa_login_lists.get("ssh"):
            return
        ssh = [s for s in device.vty_sections() if s.settings.transport_input == ("ssh",)]
        if not ssh:
            return
        old = before_8_4(device.version)
        applicability, changes, note = platform_of(device).ssh_authentication(device)
        finding = self.finding(
            message=(
                f"{ssh[0].name} is allowed but no `aaa authentication ssh console` is set: "
                + ("SSH logs in as the shared user pix with the `passwd` password" if old else "nobody can log in over SSH")
            ),
            section=ssh[0].name,
            line=ssh[0].header_line,
            evidence=device.text_at(ssh[0].header_line),
            applicability=applicability,
            changes=changes,
            note=note,
        )
        yield finding.model_copy(update={"severity": Severity.MEDIUM}) if old and isinstance(finding, Finding) else finding
