"""IOS-XR: one package, one platform.

* `reader`: the config applied as the device applies it (its semantics and sources are there);
* `fixes`: remediation helpers;
* `cli`: its command line as data (sub-modes, errors), run by `auditor.cli_model`;
* this module: detection (what only IOS-XR prints) and the platform, which reads with `reader`
  and writes its remediation with `fixes` and `auditor.remediation`.
"""

from __future__ import annotations

import itertools
import re

from auditor.findings import Applicability, Change, Phase
from auditor.platforms import Evidence, Platform
from auditor.platforms.iosxr.cli import CLI
from auditor.platforms.prefix_acls import PrefixAcls
from auditor.platforms.iosxr.fixes import line_secret_placeholder, template_at, users_of, without_access_list
from auditor.platforms.iosxr.reader import CHILDREN, State, TOP, WANTED, server_key


# Whole-line patterns searched in "\n" + text (auditor.platforms._marker).
_DECISIVE = re.compile(r"\n(?:!! IOS XR (?:Admin )?Configuration[^\n]*|RP/\d+/[\w/]+:[^\n#>]{1,64}#[^\n]*)")


_STRUCTURAL = re.compile(
    r"\n[ \t]*(?:vty-pool [^\n]*|line template [^\n]*|line default[ \t]*(?=\n|\Z)|ssh server v2[ \t]*(?=\n|\Z)"
    r"|ipv4 access-list [^\n]*|telnet (?:vrf \S+ )?ipv[46] server[^\n]*|ssh server vrf \S+[^\n]*|[ \t]*group root-lr[ \t]*(?=\n|\Z))"
)


class IOSXR(PrefixAcls, Platform):
    name = "iosxr"
    cli = CLI
    acl_word, acl_indent, deny_tail, scope = "ipv4", " ", "", ""
    title, numbered_note = "IOS-XR", "IOS-XR has line templates and VTY pools, not numbered lines"
    present = ("hostname ", "username ", "line defa", "line temp", "vty-pool ", "ssh serve", "telnet ")
    missing = "no IOS-XR configuration found (no hostname, username, line template, vty-pool or ssh server)"
    read_top, read_children = TOP, CHILDREN
    _WANTED = WANTED

    def _state(self):
        return State()

    def access_class_lines(self, section, name: str, v6: bool) -> tuple[str, ...]:
        """`access-class ingress NAME` replaces the template's one."""
        return (f"{'ipv6 access-class' if v6 else 'access-class'} ingress {name}",)

    def evidence(self, text: str) -> Evidence:
        from auditor.platforms import line_number

        head = "\n" + text[:32768]  # the `!! IOS XR Configuration` header comes first
        decisive = [f"line {line_number(text, m.start())}: `{m.group().strip()[:60]}`" for m in itertools.islice(_DECISIVE.finditer(head), 3)]
        structural = [f"line {line_number(text, m.start())}: `{m.group().strip()[:60]}`" for m in itertools.islice(_STRUCTURAL.finditer("\n" + text), 3)]
        return Evidence(tuple(decisive), tuple(structural))

    # ------------------------------------------------------------ how rules word it

    def unfenced(self, device, section) -> str:
        mpp = device.platform_notes.get("mpp")
        return "no `access-class ingress` on the template, and no one IPv4 access-list on every server it serves" + (f"; {mpp}" if mpp else "")

    def ssh_v1(self, device):
        line = next((i for i, t in enumerate(device.source_lines, 1) if t.startswith("ssh server")), 0)
        evidence = device.text_at(line) if line else "(no `ssh server v2` configured)"
        return "`ssh server v2` is not configured (releases that implement SSHv1 accept it)", evidence, [Change(phase=Phase.SSH, lines=("ssh server v2",))]

    # ------------------------------------------------------------ remediation syntax

    def close_telnet(self, device, section, options=None):
        # The server commands in effect, as the reader found them (one walk per device, not per template).
        servers = device.platform_notes.get("telnet", "").split("\n") if device.platform_notes.get("telnet") else []
        changes: list[Change] = []
        note = "The Telnet server is removed in the script's last step, only after an SSH login has worked."
        # SSH must serve every VRF whose Telnet server goes: an out-of-band port in a management
        # VRF would otherwise lose its CLI (IOS XR System Security Configuration Guide,
        # "Implementing Secure Shell": `ssh server vrf NAME` per VRF).
        telnet_vrfs = {server_key(t).split()[0] for t in servers}
        ssh_vrfs = set(device.platform_notes.get("ssh_vrfs", "").split())
        if not device.ssh_configured:
            vrfs = sorted(telnet_vrfs | {"default"})
            changes.append(Change(phase=Phase.SSH, lines=("ssh server v2", *(f"ssh server vrf {v}" for v in vrfs))))
            note += " The SSH server is not running: step 1 starts it. It needs a host key: `show crypto key mypubkey rsa` (exec mode), and if there is none, `crypto key generate rsa` first."
        elif telnet_vrfs - ssh_vrfs:
            missing = sorted(telnet_vrfs - ssh_vrfs)
            changes.append(Change(phase=Phase.SSH, lines=tuple(f"ssh server vrf {v}" for v in missing)))
            note += f" SSH does not serve VRF {', '.join(missing)}, where Telnet does: step 1 starts it there first."
        if "ssh" not in (section.settings.transport_input or ()):
            changes.append(Change(phase=Phase.LINES, parent=section.name, lines=("transport input ssh",), order=10))
        changes.append(Change(phase=Phase.AFTER_SSH_LOGIN, lines=tuple(f"no {without_access_list(t)}" for t in servers)))
        return Applicability.UNSAFE, changes, note

    def replace_password(self, device, user):
        from auditor.remediation import user_secret_placeholder

        note = (
            "IOS-XR hashes a secret it is given in clear (`secret 0`); the password is removed in the same commit. "
            "The user's groups are kept. In an intended config keep the `secret 10 <hash>` the router prints, never the clear text."
        )
        lines = (f"secret 0 {user_secret_placeholder(device, user.name)}", "no password")
        return Applicability.NEEDS_INPUT, [Change(phase=Phase.USERS, parent=f"username {user.name}", lines=lines, order=10)], note

    def stronger_secret(self, device, user, level: int = 15):
        from auditor.remediation import user_secret_placeholder

        note = (
            "A new secret typed in clear is hashed with the release's default type; check that the router prints "
            "`secret 8`, `9` or `10` afterwards (on a release whose default is still 5, give the hash type explicitly). "
            "The user's sessions and groups are not affected."
        )
        return Applicability.NEEDS_INPUT, [Change(phase=Phase.USERS, parent=f"username {user.name}", lines=(f"secret 0 {user_secret_placeholder(device, user.name)}",), order=10)], note

    def idle_timeout(self, device, section, minutes: int):
        """In the template where the timeout is written: the console and VTY templates inherit `line default`'s."""
        line = section.settings.exec_timeout_line
        parent = template_at(device, line) if line else section.name
        return Change(phase=Phase.LINES, parent=parent, lines=(f"exec-timeout {minutes} 0",), order=60)

    def replace_line_password(self, device, section) -> dict:
        """A template's password (clear or type 7) goes. It is used only by a login list with the `line`
        method ("line: Use the line password or user group for authentication", IOS XR System Security
        Configuration Guide, "Configuring AAA Services"): where one does, a secret takes its place in
        the same commit; elsewhere removing it changes no access. The finding is the template's where
        the password is written, once for every access path that inherits it."""
        line = section.settings.password_line or section.header_line
        owner = template_at(device, line)
        sharing = [s for s in device.sections if s.settings.password_line == line]
        by_line = [s for s in sharing if "line" in (device.login_methods(s) or ())]
        if by_line:
            lists = ", ".join(sorted({s.settings.login_list or "default" for s in by_line}))
            changes = [Change(phase=Phase.LINES, parent=owner, lines=(f"secret 0 {line_secret_placeholder(owner)}", "no password"), order=90)]
            applicability = Applicability.NEEDS_INPUT
            note = (
                f"The AAA login list {lists} checks the line password: a secret takes its place in the same commit, and the "
                "router hashes it. Whoever logs in through the `line` method needs the new secret: log in with it from a "
                "second session before you confirm the commit."
            )
        else:
            changes = [Change(phase=Phase.LINES, parent=owner, lines=("no password",), order=90)]
            applicability = Applicability.SAFE
            note = "No login list of the lines that use it has the `line` method: the password logs nobody in, and removing it changes no access."
        return dict(section=owner, line=line, evidence=device.text_at(line), applicability=applicability, changes=changes, note=note + users_of(owner, sharing))

    def line_secret(self, device, section) -> dict:
        secret = section.settings.secret
        owner = template_at(device, secret.line)
        note = "A new secret typed in clear is hashed by the router; keep the hash it prints in an intended config. Whoever logs in through a login list's `line` method needs the new secret."
        sharing = [s for s in device.sections if s.settings.secret is not None and s.settings.secret.line == secret.line]
        return dict(
            section=owner,
            line=secret.line,
            evidence=device.text_at(secret.line),
            applicability=Applicability.NEEDS_INPUT,
            changes=[Change(phase=Phase.LINES, parent=owner, lines=(f"secret 0 {line_secret_placeholder(owner)}",), order=90)],
            note=note + users_of(owner, sharing),
        )

    def script(self, findings, device, minutes: int = 10) -> str:
        from auditor.remediation import stepped_script

        notes = [
            f"! Each step is committed with `commit confirmed minutes {minutes}`: unless a `commit` confirms it within",
            f"! {minutes} minutes (from any session), the router undoes it. Way back after confirming: `rollback configuration last 1`.",
        ]
        confirm = (f"! Log in again through the changed lines from a second session; within {minutes} minutes confirm:", "configure", "commit", "end")
        return stepped_script(findings, "IOS-XR " + (device.version or "(release unknown)"), notes, [], [], enter="configure", commit=(f"commit confirmed minutes {minutes}",), after_step=confirm)


PLATFORM = IOSXR()  # what auditor.platforms.get returns for 'iosxr'
