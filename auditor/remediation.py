"""Remediation building blocks, and the combined, lockout-safe script per device.

A finding's fix is a tuple of :class:`Change` (lines under a parent, in a
phase). The combined script puts every change of a device in phase order —
users and enable secret, ACLs, SSH, then each line section once, then clean-up
of old credentials — and drops duplicates, so nothing points at an ACL or a
user that does not exist yet and Telnet is closed only after SSH is ready.
"""

from __future__ import annotations

import ipaddress
import re
from collections import OrderedDict

from auditor.findings import Change, Finding, Phase

# What a script leaves for the operator to fill in: `<NEW-SECRET-OPS>`, `<MGMT-NETWORK> <WILDCARD>`.
PLACEHOLDER = re.compile(r"<[A-Z][A-Z0-9-]*(?: <[A-Z][A-Z0-9-]*>)?>")


def _placeholders_in(changes) -> bool:
    return any(PLACEHOLDER.search(line) for c in changes for line in c.lines)


PLACEHOLDER_NET = "<MGMT-NETWORK> <WILDCARD>"
PLACEHOLDER_USER = "<ADMIN-USER>"
# One placeholder per credential: a replace-all must never give two credentials one value.
PLACEHOLDER_ADMIN_SECRET = "<NEW-SECRET-ADMIN>"
PLACEHOLDER_ENABLE_SECRET = "<NEW-ENABLE-SECRET>"
PLACEHOLDER_PREFIX = "<MGMT-PREFIX>"  # a management network in prefix notation (NX-OS, IOS-XR)


def enable_secret_placeholder(level: int = 15) -> str:
    """The placeholder of a new enable secret: its own for each privilege level."""
    return PLACEHOLDER_ENABLE_SECRET if level == 15 else f"<NEW-ENABLE-SECRET-LEVEL-{level}>"


def user_secret_placeholder(device, name: str) -> str:
    """The placeholder of user `name`'s new secret: its own on this device (DeviceModel.secret_placeholders)."""
    return device.secret_placeholders.get(name) or f"<NEW-SECRET-{name.upper()}>"


LOCKOUT_WARNING = "! Keep a console session or a second SSH session open until you have\n! logged in again through the changed lines."
SSH_UNKNOWN = '! SSH needs a hostname, a domain name and an RSA key. The config shows SSH set up, but keys are\n! not part of a running-config: `show ip ssh` must say "SSH Enabled - version 2.0".'
SSH_KEY_LABEL = "SSH-KEY"
PLACEHOLDER_DOMAIN = "<DOMAIN>"
STEP_TWO = "! Step 2: close Telnet only after you have logged in over SSH, from a second session,\n! through the lines changed above."
ONLY_STEP = (  # the same, when nothing comes before it: there is no step 1 to point at
    "! Close Telnet only after you have logged in over SSH, from a second session, through the\n! lines you manage the device through."
)


_VTY_PARENT = re.compile(r"^line vty (\d+)(?: (\d+))?$")


def closed_lines_stay_closed(changes: list[Change]) -> list[Change]:
    """A `transport input` that one fix sets never reopens VTY lines another fix closes with
    `transport input none` (a profile's session limit closes vty 5-31; closing Telnet on vty
    5-15 must not give them SSH again in step 2): its range is cut to the lines left open."""
    closed = []
    for change in changes:
        m = _VTY_PARENT.match(change.parent or "")
        if m and "transport input none" in change.lines:
            closed.append((int(m.group(1)), int(m.group(2) or m.group(1))))
    if not closed:
        return changes
    out: list[Change] = []
    for change in changes:
        m = _VTY_PARENT.match(change.parent or "")
        transport = [line for line in change.lines if line.startswith("transport input") and line != "transport input none"]
        if not m or not transport:
            out.append(change)
            continue
        rest = tuple(line for line in change.lines if line not in transport)
        if rest:
            out.append(change.model_copy(update={"lines": rest}))
        for first, last in _subtract((int(m.group(1)), int(m.group(2) or m.group(1))), closed):
            parent = f"line vty {first} {last}" if first != last else f"line vty {first}"
            out.append(change.model_copy(update={"parent": parent, "lines": tuple(transport)}))
    return out


def _subtract(span: tuple[int, int], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of the line-number interval `span` outside every interval of `holes`."""
    parts = [span]
    for low, high in holes:
        parts = [piece for a, b in parts for piece in ((a, min(b, low - 1)), (max(a, high + 1), b)) if piece[0] <= piece[1]]
    return parts


def render_changes(changes) -> str:
    """Render changes in phase order, each line section once, duplicates dropped.

    Global changes are kept as whole blocks (an ACL definition is one block), so
    two ACLs with the same entries are both written; line-section commands are
    merged per section and sorted by their order.
    """
    # Dicts as ordered sets: membership tests stay O(1) however many users or sections.
    before: dict[tuple[str, ...], None] = {}
    after: dict[tuple[str, ...], None] = {}
    sections: OrderedDict[str, dict[str, int]] = OrderedDict()
    for change in sorted(changes, key=lambda c: c.phase):
        if change.parent is None:
            (after if change.phase >= Phase.CLEANUP else before).setdefault(change.lines)
            continue
        section = sections.setdefault(change.parent, {})
        for line in change.lines:
            section.setdefault(line, change.order)
    out = [line for block in before for line in block]
    for parent, cmds in sections.items():
        out.append(parent)
        out.extend(f" {line}" for line, _ in sorted(cmds.items(), key=lambda item: item[1]))
    out.extend(line for block in after for line in block)
    return "\n".join(out)


REVERT_MINUTES = 10
REVERT_TIMER = "configure terminal revert timer {minutes}"
# Lines of a framed script that are not configuration: mode changes and the frame's exec commands.
FRAME_EXEC = re.compile(
    r"^(configure terminal( revert timer \d+)?|configure confirm|configure revert now|end|copy running-config startup-config"
    r"|reload cancel|checkpoint \S+|write memory|configure|commit( confirmed minutes \d+)?|rollback configuration last \d+)$"
)
_TIMER = re.compile(r"^configure terminal revert timer (\d+)$")


def combined_script(findings: list[Finding], release=None, archive_path: bool = False, minutes: int = REVERT_MINUTES) -> str:
    """One framed, ordered script for a device: armed way back, change, verification, confirm, save.

    Each step is a change of its own (Cisco IOS Configuration Replace and
    Configuration Rollback: `configure terminal revert timer N` needs `archive`
    with a `path`; the change reverts by itself after N minutes unless
    `configure confirm` is given): the operator logs in again through the
    changed lines from a second session, and only then confirms and saves
    (`copy running-config startup-config`). A release that may lack the revert
    timer gets `reload in N` instead, cancelled with `reload cancel`: a reload
    is then the way back. Everything that closes Telnet is a second step,
    pasted once an SSH login through the changed lines has worked.
    """
    if not findings:
        return ""
    changes = closed_lines_stay_closed([c for f in findings for c in f.remediation.changes])
    if not changes:
        return ""
    header = [LOCKOUT_WARNING]
    if release is not None:
        header.append(f"! Written for {release.describe()}.")
    keys = any(c.phase is Phase.SSH_KEYS for c in changes)
    if not keys and any(c.phase in (Phase.SSH, Phase.AFTER_SSH_LOGIN) or "transport input ssh" in c.lines for c in changes):
        header.append(SSH_UNKNOWN)
    if _placeholders_in(changes):
        header.append("! Replace every <PLACEHOLDER> before pasting.")
    revert = release is not None and release.supports("revert-timer") is True
    out = header
    if revert and not archive_path:
        filesystem = "bootflash:" if release.family == "ios-xe" else "flash:"
        out += [
            f"! The revert timer needs an archive path; this adds one (use your device's file system if it has no {filesystem}).",
            "configure terminal",
            "archive",
            f" path {filesystem}vty-auditor-archive",
            "end",
        ]
    elif not revert:
        out.append(
            f"! This release may lack `configure terminal revert timer`: the way back is a reload. Before each step, type `reload in {minutes}` by hand (do not save; confirm), then paste the step."
        )
    first = [c for c in changes if c.phase is not Phase.AFTER_SSH_LOGIN]
    second = [c for c in changes if c.phase is Phase.AFTER_SSH_LOGIN]
    if first:
        out += _framed_step(first, revert, minutes, release)
    if second:
        out += [STEP_TWO if first else ONLY_STEP] + _framed_step(second, revert, minutes, release)
    return "\n".join(out)


def paused(changes, release, platform: str = "ios") -> str:
    """The changes rendered, with a `! PAUSE:` line after each command that asks a question on
    this release (`auditor.cli_model`): a paste would answer it with the next line."""
    from auditor.platforms import cli_of

    return "\n".join(cli_of(platform).with_pauses(render_changes(changes).split("\n"), release))


def _framed_step(changes, revert: bool, minutes: int, release=None) -> list[str]:
    verify = "! Log in again through the changed lines from a second session. If that works:"
    body = paused(changes, release)
    if revert:
        return [
            REVERT_TIMER.format(minutes=minutes),
            body,
            "end",
            verify,
            "configure confirm",
            "copy running-config startup-config",
            f"! If it does not: `configure revert now` (or wait {minutes} minutes: the change reverts by itself).",
        ]
    return [
        f"! `reload in {minutes}` typed by hand first: it asks questions a paste would answer wrongly.",
        "configure terminal",
        body,
        "end",
        verify,
        "reload cancel",
        "copy running-config startup-config",
        f"! If it does not: wait, and the device reloads in {minutes} minutes with its saved configuration.",
    ]


def stepped_script(
    findings, written_for: str, notes: list[str], before: list[str], save: list[str], enter: str = "configure terminal", commit: tuple[str, ...] = (), after_step: tuple[str, ...] = ()
) -> str:
    """The script of a platform framed in steps (NX-OS, ASA, IOS-XR): the lock-out warning, what
    it is written for, the platform's `notes`, what arms the way back (`before`), step 1, step 2
    (what closes Telnet, after an SSH login has worked), then what saves, once the operator has
    logged in again. Each step is `enter`, its commands, `commit` (IOS-XR: `commit confirmed`),
    `end`, then `after_step` (IOS-XR: log in again and confirm)."""
    changes = [c for f in findings for c in f.remediation.changes]
    if not changes:
        return ""
    header = [LOCKOUT_WARNING, f"! Written for {written_for}.", *notes]
    if _placeholders_in(changes):
        header.append("! Replace every <PLACEHOLDER> before pasting.")
    first = [c for c in changes if c.phase is not Phase.AFTER_SSH_LOGIN]
    second = [c for c in changes if c.phase is Phase.AFTER_SSH_LOGIN]
    out = header + list(before)
    if first:
        out += [enter, render_changes(first), *commit, "end", *after_step]
    if second:
        out += [STEP_TWO if first else ONLY_STEP, enter, render_changes(second), *commit, "end", *after_step]
    return "\n".join(out + list(save))


def config_lines(script: str) -> list[str]:
    """The configuration lines of a framed script: what the device holds once it is applied."""
    return [line for line in script.splitlines() if line.strip() and not line.lstrip().startswith("!") and not FRAME_EXEC.match(line.strip())]


def steps_of(script: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """A framed IOS script read back: (archive commands, [(minutes, commands), ...])."""
    archive: list[str] = []
    steps: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    plain = False  # inside a `configure terminal` block that arms nothing (the archive path)
    for line in script.splitlines():
        if not line.strip() or line.lstrip().startswith("!"):
            continue
        timer = _TIMER.match(line.strip())
        if timer:
            current = []
            steps.append((int(timer.group(1)), current))
        elif line.strip() == "configure terminal":
            plain = True
        elif line.strip() == "end":
            current, plain = None, False
        elif current is not None:
            current.append(line)
        elif plain:
            archive.append(line)
    return archive, steps


def sequenced_acl(name: str, mgmt_nets, v6: bool, redefine: bool, word4: str, indent: str, deny_tail: str = "") -> list[Change]:
    """A management ACL in the sequence-number and prefix syntax of NX-OS (`ip`) and IOS-XR (`ipv4`):
    the management prefixes (or a placeholder), then a deny of everything else."""
    from auditor.findings import Change, Phase

    word = "ipv6" if v6 else word4
    nets = [str(ipaddress.ip_network(n)) for n in mgmt_nets if (":" in n) == v6] or [PLACEHOLDER_PREFIX]
    lines = [f"no {word} access-list {name}"] if redefine else []
    lines.append(f"{word} access-list {name}")
    lines += [f"{indent}{10 * k} permit {word} {net} any" for k, net in enumerate(nets, 1)]
    lines.append(f"{indent}{10 * (len(nets) + 1)} deny {word} any any{deny_tail}")
    return [Change(phase=Phase.ACLS, lines=tuple(lines))]


def wildcard(net: ipaddress.IPv4Network) -> str:
    return str(ipaddress.IPv4Address(int(net.hostmask)))


def acl_changes(device, name: str, mgmt_nets: tuple[str, ...], numbered_kind: str | None = None) -> list[Change]:
    """Define (or redefine) the IPv4 management ACL ``name`` permitting only ``mgmt_nets``."""
    v4: list = [ipaddress.ip_network(n) for n in mgmt_nets if ipaddress.ip_network(n).version == 4]  # None: a placeholder
    lines: list[str] = []
    existing = device.acls.get(name)
    if name.isdigit():
        if existing is not None:
            lines.append(f"no access-list {name}")
        extended = numbered_kind == "extended"
        for net in v4 or [None]:
            src = _source(net)
            lines.append(f"access-list {name} permit tcp {src} any" if extended else f"access-list {name} permit {src}")
        lines.append(f"access-list {name} deny {'ip any any' if extended else 'any'} log")
        return [Change(phase=Phase.ACLS, lines=tuple(lines))]
    if existing is not None:
        lines.append(f"no ip access-list {existing.kind} {name}")
    if numbered_kind == "extended":
        lines.append(f"ip access-list extended {name}")
        lines += [f" permit tcp {_source(net)} any" for net in v4 or [None]]
        lines.append(" deny ip any any log")
    else:
        lines.append(f"ip access-list standard {name}")
        lines += [f" permit {_source(net)}" for net in v4 or [None]]
        lines.append(" deny any log")
    return [Change(phase=Phase.ACLS, lines=tuple(lines))]


def ipv6_acl_changes(name: str, mgmt_nets: tuple[str, ...]) -> list[Change]:
    v6 = [ipaddress.ip_network(n) for n in mgmt_nets if ipaddress.ip_network(n).version == 6]
    if not v6:
        return []
    lines = [f"ipv6 access-list {name}"] + [f" permit ipv6 {net} any" for net in v6] + [" deny ipv6 any any log"]
    return [Change(phase=Phase.ACLS, lines=tuple(lines))]


def _source(net) -> str:
    if net is None:
        return PLACEHOLDER_NET
    if net.prefixlen == 32:
        return f"host {net.network_address}"
    return f"{net.network_address} {wildcard(net)}"


def acl_is_restrictive(acl, groups: dict | None = None) -> bool:
    """True when the ACL has entries and does not admit every source (object-groups from `groups`)."""
    from auditor.acl import permits_any_source

    return acl is not None and bool(acl.entries) and permits_any_source(acl, groups) is None


def ssh_changes(device) -> list[Change]:
    """What SSH needs before anything relies on it.

    With no sign of SSH in the config (no `ip ssh` line, no domain name, no
    self-signed trustpoint), the domain name and a labelled RSA key are real
    commands, not comments: IOS ignores comments, and a script that closed Telnet
    on a device without a key would leave only the console. Where SSH is set up,
    no key is generated: a new key would change the host key every client knows.
    Then `ip ssh version 2`, unless the config pins it.
    """
    changes: list[Change] = []
    if device.release.crypto is False:
        return changes  # an image without crypto has no SSH: every SSH command would be refused
    if not device.ssh_configured and not device.ip_domain_name:
        changes.append(
            Change(
                phase=Phase.SSH_KEYS,
                lines=(
                    f"ip domain name {PLACEHOLDER_DOMAIN}",
                    f"crypto key generate rsa modulus 2048 label {SSH_KEY_LABEL}",
                    f"ip ssh rsa keypair-name {SSH_KEY_LABEL}",
                ),
            )
        )
    elif not device.ssh_configured:
        changes.append(
            Change(
                phase=Phase.SSH_KEYS,
                lines=(f"crypto key generate rsa modulus 2048 label {SSH_KEY_LABEL}", f"ip ssh rsa keypair-name {SSH_KEY_LABEL}"),
            )
        )
    if device.ip_ssh_version != 2:
        changes.append(Change(phase=Phase.SSH, lines=("ip ssh version 2",)))
    return changes


def admin_user_changes(device) -> list[Change]:
    """A local user with a secret, when none exists, so local authentication can succeed."""
    from auditor.release import secret_command

    if not needs_local_user(device):
        return []
    return [
        Change(
            phase=Phase.USERS,
            lines=(secret_command(device.release, f"username {PLACEHOLDER_USER} privilege 15", PLACEHOLDER_ADMIN_SECRET),),
        )
    ]


def enable_secret_changes(device) -> list[Change]:
    """A new enable secret in a form this release accepts (set before any old credential goes)."""
    from auditor.release import secret_command

    return [Change(phase=Phase.ENABLE, lines=(secret_command(device.release, "enable", PLACEHOLDER_ENABLE_SECRET),))]


def _credential_cut(words: list[str]) -> int | None:
    """Where the credential starts in a `username X ...` line's words (None: an attribute-only line)."""
    return next((k for k, w in enumerate(words) if k >= 2 and w.lower() in ("password", "secret", "algorithm-type", "nopassword")), None)


def credential_attributes(user) -> str:
    """The attributes written on the user's credential line before the credential (`privilege 5
    view OPS`...): a new `username X ... secret` line replaces that line, so it must repeat them."""
    credential_line = user.password.line if user.password else user.secret.line if user.secret else user.nopassword
    for line, text in user.lines:
        words = text.split()
        cut = _credential_cut(words)
        if line == credential_line and cut is not None:
            return " ".join(words[2:cut])
    return f"privilege {user.privilege}" if user.privilege is not None else ""


def recreate_user(device, user) -> list[Change]:
    """`no username X`, then X again with a secret and every attribute it had.

    IOS refuses a secret for a user that still has a password, and `no username
    X` removes every `username X ...` line: the credential line comes back with
    its attributes (privilege, view, access-class...) and a secret in a form
    this release accepts, and each other line (autocommand, nohangup, noescape,
    one-time...) is written back as it was.
    """
    from auditor.release import secret_command

    keep: list[str] = []
    for line, text in user.lines:
        if _credential_cut(text.split()) is None:
            keep.append(" ".join(text.split()))
    attributes = credential_attributes(user)
    prefix = f"username {user.name}" + (f" {attributes}" if attributes else "")
    lines = (f"no username {user.name}", secret_command(device.release, prefix, user_secret_placeholder(device, user.name)), *keep)
    return [Change(phase=Phase.USERS, lines=lines)]


def local_login_changes(device, section_name: str) -> list[Change]:
    """Switch a line to the local user database, creating a user first if none has a secret."""
    return admin_user_changes(device) + [Change(phase=Phase.LINES, parent=section_name, lines=("login local",), order=10)]


def needs_local_user(device) -> bool:
    """No local user can log in: none has a secret, and none but PPP peers a password (a user
    with a password keeps one: the script re-creates it with a secret, or leaves it be)."""
    return not any(u.secret is not None or (u.password is not None and not device.ppp_peer(u)) for u in device.users.values())
