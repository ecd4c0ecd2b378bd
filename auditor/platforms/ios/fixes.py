"""IOS / IOS-XE remediation syntax: the fixes the platform gives rules (`auditor.platforms.ios.IOS`), and the
IOS-only fixes several IOS rules share (kept here so rules stay one screen long)."""

from __future__ import annotations

import ipaddress

from auditor.findings import Applicability, Change, Phase
from auditor.model import LoginMode
from auditor.remediation import (
    PLACEHOLDER_DOMAIN,
    acl_changes,
    admin_user_changes,
    acl_is_restrictive,
    ipv6_acl_changes,
    local_login_changes,
    needs_local_user,
    ssh_changes,
)


def restrict_to_ssh(device, section):
    """`transport input ssh` on the section, with what SSH needs before it; on an image without
    crypto, nothing: it has no SSH (`fence_telnet`)."""
    if device.release.crypto is False:
        return fence_telnet(device, section)
    changes = list(ssh_changes(device))
    note = "Telnet is closed in the script's last step, only after an SSH login through these lines has worked; the script creates the RSA key where the config shows no SSH set-up."
    applicability = Applicability.UNSAFE
    if section.settings.login is LoginMode.PASSWORD:
        # SSH cannot use a bare line password: it needs local users or AAA.
        changes += local_login_changes(device, section.name)
        note += " SSH cannot authenticate with a line password alone, so the line moves to `login local`."
        if needs_local_user(device):
            applicability = Applicability.NEEDS_INPUT
    # Closing Telnet is step 2 of the script: pasted once an SSH login has worked.
    changes.append(Change(phase=Phase.AFTER_SSH_LOGIN, parent=section.name, lines=("transport input ssh",), order=50))
    if any(c.phase is Phase.SSH_KEYS and any(PLACEHOLDER_DOMAIN in line for line in c.lines) for c in changes):
        applicability = Applicability.NEEDS_INPUT
    return applicability, changes, note


def fence_telnet(device, section):
    """An image without crypto has no SSH (`Release.crypto`): closing Telnet would leave the
    console only, and the SSH commands would be refused. Nothing to paste for Telnet itself:
    it stays, fenced to the management network (VTY003's fix, where the line has no fence),
    and the image is named so it can be replaced."""
    image = device.release.image.replace("\\", "/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    fenced = section.settings.access_class_in is not None and acl_is_restrictive(device.acls.get(section.settings.access_class_in.name), device.object_groups)
    return (
        Applicability.UNSAFE,
        [],
        (
            f"The image {image} has no crypto, so no SSH: Telnet is kept (closing it would leave only the console)"
            + (", fenced as it is." if fenced else ", and fenced to your management network (VTY003).")
            + " Install a k9 image, then close Telnet."
        ),
    )


def shared_fence(options, device, section) -> str | None:
    """The one restrictive ACL the device's other VTY lines already use, when it admits every
    `--mgmt-net` (or none was given): reusing it fences the line the way the others are, and
    needs no placeholder."""
    fences = device.vty_fences
    own = section.settings.access_class_in.name if section.accepts_connections and section.settings.access_class_in else None
    if len(fences) > 2:
        return None  # at least two other ACLs in use, whatever this section's own: no single one to share
    names = [n for n, count in fences.items() if count - (n == own) > 0]
    usable = [n for n in names if acl_is_restrictive(device.acls.get(n), device.object_groups)]
    if len(usable) != 1:
        return None
    return usable[0] if _admits_mgmt_nets(device, usable[0], options.mgmt_nets) else None


_ADMITS: dict[tuple, tuple] = {}  # (id(device), acl, nets) -> (device, verdict): judged once per device


def _admits_mgmt_nets(device, name: str, mgmt_nets: tuple[str, ...]) -> bool:
    from auditor.acl import admits_address

    key = (id(device), name, mgmt_nets)
    hit = _ADMITS.get(key)
    if hit is not None and hit[0] is device:
        return hit[1]
    if len(_ADMITS) > 64:
        _ADMITS.clear()
    acl = device.acls[name]
    verdict = True
    for net in mgmt_nets:
        network = ipaddress.ip_network(net)
        if network.version == 4 and not all(admits_address(acl, device.object_groups, str(a)) for a in (network.network_address, network.broadcast_address)):
            verdict = False
    _ADMITS[key] = (device, verdict)  # holding the device keeps its id from being reused
    return verdict


def fence_with_acl(options, device, section, acl_name: str | None = None):
    """Point the section's inbound access-class at the management ACL (or at the one the other
    VTY lines share, when it admits the management networks)."""
    opts = options
    shared = None if acl_name is not None or opts.acl_name in device.acls else shared_fence(options, device, section)
    name = acl_name or shared or opts.acl_name
    changes: list[Change] = []
    existing = device.acls.get(name)
    kept = None  # an ACL of that name the fix must leave as it is
    if existing is not None and acl_name is None and acl_is_restrictive(existing, device.object_groups):
        if not _admits_mgmt_nets(device, name, opts.mgmt_nets):
            kept, name = name, device.fresh_acl_name(name)  # reused, it would lock --mgmt-net out; narrowed, its own users
    elif existing is not None and device.acl_references.get(name):
        kept, name = name, device.fresh_acl_name(name)  # other features use it: never delete or narrow it
    if kept is not None or not (acl_is_restrictive(existing, device.object_groups) and acl_name is None):
        changes += acl_changes(device, name, opts.mgmt_nets)
    # Keep management through a VRF reachable: an access-class without vrf-also refuses every
    # session arriving in a VRF (a Mgmt-intf / Mgmt-vrf port, say).
    vrf_also = " vrf-also" if needs_vrf_also(device, section, opts.mgmt_nets) else ""
    changes.append(Change(phase=Phase.LINES, parent=section.name, lines=(f"access-class {name} in{vrf_also}",), order=30))
    if any(":" in n for n in opts.mgmt_nets):
        changes += ipv6_acl_changes(name + "-V6", opts.mgmt_nets)
        changes.append(Change(phase=Phase.LINES, parent=section.name, lines=(f"ipv6 access-class {name}-V6 in",), order=31))
    if kept is not None:
        why = f"{kept} does not admit {', '.join(opts.mgmt_nets)}" if acl_is_restrictive(existing, device.object_groups) else f"{kept} admits every source, and {_users(device, kept)} use it"
        return (
            Applicability.UNSAFE if opts.mgmt_nets else Applicability.NEEDS_INPUT,
            changes,
            f"{why}: it is left as it is, and {section.name} gets its own ACL {name}"
            + (f", admitting only {', '.join(opts.mgmt_nets)}: make sure your own address is inside." if opts.mgmt_nets else ": fill in your management network (or run with --mgmt-net CIDR)."),
        )
    if shared is not None:
        return Applicability.UNSAFE, changes, _fenced_with(f"{shared}, the ACL the other VTY lines use", section, opts, vrf_also)
    if existing is not None and acl_is_restrictive(existing, device.object_groups) and acl_name is None:
        # The management ACL exists and is restrictive: the line is pointed at it, nothing to fill in.
        return Applicability.UNSAFE, changes, _fenced_with(f"the existing {name}", section, opts, vrf_also)
    if opts.mgmt_nets:
        return (
            Applicability.UNSAFE,
            changes,
            f"Only {', '.join(opts.mgmt_nets)} can reach {section.name} afterwards: make sure your own address is inside, "
            "or you are locked out." + (" `vrf-also` keeps sessions arriving in a VRF allowed." if vrf_also else _no_vrf_also(device)),
        )
    return (
        Applicability.NEEDS_INPUT,
        changes,
        "Fill in your management network (or run with --mgmt-net CIDR); an address outside it is locked out.",
    )


def _fenced_with(what: str, section, opts, vrf_also: str) -> str:
    """The note of a line pointed at an ACL that already exists: nothing to fill in, one thing to check."""
    return (
        f"{section.name} is fenced with {what}"
        + (f", which admits {', '.join(opts.mgmt_nets)}." if opts.mgmt_nets else ": check that it admits your own address.")
        + (" `vrf-also` keeps sessions arriving in a VRF allowed." if vrf_also else "")
    )


def _users(device, name: str) -> str:
    """The features (other than VTY lines) that use ACL `name`, named by their first words."""
    lines = device.acl_references.get(name, ())
    what = sorted({" ".join(device.text_at(n).split()[:2]) for n in lines})
    return ", ".join(f"`{w}`" for w in what[:4]) + (" and others" if len(what) > 4 else "")


def _no_vrf_also(device) -> str:
    if not device.vrf_interfaces:
        return " No interface is in a VRF; add `vrf-also` if you manage the device through one."
    vrfs = sorted(set(device.interface_vrf.values()))
    return (
        f" `vrf-also` is not added: the VRFs ({', '.join(vrfs[:4])}) do not look like management VRFs, and it would "
        "admit these prefixes from inside them too; add it if you manage the device through one."
    )


def needs_vrf_also(device, section, mgmt_nets: tuple[str, ...] = ()) -> bool:
    """The section's access-class must say `vrf-also`: it does already, another VTY block does,
    or management arrives through a VRF (`DeviceModel.management_vrf_interfaces`). Not for a
    PE's customer VRFs alone: there `vrf-also` would admit the fence's prefixes from inside them."""
    current = section.settings.access_class_in
    if current is not None and current.vrf_also:
        return True
    if device.management_vrf_interfaces(mgmt_nets):
        return True
    return device.vty_vrf_also


def replace_line_password(device, section) -> dict:
    """Finding fields for a line password to replace with local users."""
    line = section.settings.password_line or section.header_line
    login = section.settings.login
    aaa_uses_line = login is LoginMode.AAA and "line" in device.aaa_login_lists.get(section.settings.login_list or "", "").split()
    changes: list[Change] = []
    if login is LoginMode.PASSWORD:
        changes += local_login_changes(device, section.name)
    elif aaa_uses_line:
        # The method list falls back to the line password: point it at local users instead.
        # Only the `line` method is replaced: the server groups before it stay, or every
        # TACACS+/RADIUS administrator would be locked out.
        methods = device.aaa_login_lists.get(section.settings.login_list or "", "").split()
        kept: list[str] = []
        for method in ("local" if m == "line" else m for m in methods):
            if method in ("local", "none", "enable") and method in kept:
                continue  # one `local`; group names and `group` keywords may repeat
            kept.append(method)
        changes += admin_user_changes(device)
        changes.append(Change(phase=Phase.USERS, lines=(f"aaa authentication login {section.settings.login_list} {' '.join(kept)}",)))
    changes.append(Change(phase=Phase.LINES, parent=section.name, lines=("no password",), order=90))
    if login is not LoginMode.PASSWORD and not aaa_uses_line:
        applicability = Applicability.SAFE
        note = f"The password is not used to log in here (login: {login.value}); removing it changes no access."
    else:
        applicability = Applicability.NEEDS_INPUT if needs_local_user(device) else Applicability.UNSAFE
        note = "Whoever logs in with the shared line password needs a username afterwards; local login is set up before the password is removed."
        if aaa_uses_line:
            note += f" The AAA list {section.settings.login_list} is changed for every line that uses it."
    return dict(
        section=section.name,
        line=line,
        evidence=device.text_at(line),
        applicability=applicability,
        changes=changes,
        note=note,
    )


def _shared_ipv6_fence(options, device, section) -> str | None:
    """The one restrictive IPv6 ACL the device's other VTY lines already use, when it admits
    every IPv6 `--mgmt-net`: reused, it fences this line as the others are, with no placeholder."""
    from auditor.acl import admits_address, permits_any_source

    names = {s.settings.ipv6_access_class_in.name for s in device.vty_sections() if s is not section and s.accepts_connections and s.settings.ipv6_access_class_in is not None}
    usable = [n for n in sorted(names) if device.ipv6_acls.get(n) is not None and device.ipv6_acls[n].entries and permits_any_source(device.ipv6_acls[n], device.object_groups) is None]
    if len(usable) != 1:
        return None
    acl = device.ipv6_acls[usable[0]]
    v6 = [ipaddress.ip_network(n) for n in options.mgmt_nets if ":" in n]
    if not all(admits_address(acl, device.object_groups, str(net.network_address)) for net in v6):
        return None
    return usable[0]


def fence_ipv6(options, device, section):
    """(applicability, changes) pointing the section's `ipv6 access-class` at the IPv6 management ACL.

    The ACL is defined from the IPv6 `--mgmt-net` prefixes, or with a
    `<MGMT-PREFIX>` placeholder; an existing one of that name is reused only if
    it does not admit every source itself.
    """
    from auditor.acl import permits_any_source

    name = _shared_ipv6_fence(options, device, section) or options.acl_name + "-V6"
    existing = device.ipv6_acls.get(name)
    reuse = existing is not None and existing.entries and permits_any_source(existing, device.object_groups) is None
    if existing is not None and not reuse and device.acl_references.get(name):
        name, existing = device.fresh_acl_name(options.acl_name) + "-V6", None  # other features use it: leave it be
    acl: list[Change] = [] if reuse else ipv6_acl_changes(name, options.mgmt_nets)
    if not reuse and not acl:
        acl = [Change(phase=Phase.ACLS, lines=(f"ipv6 access-list {name}", " permit ipv6 <MGMT-PREFIX> any", " deny ipv6 any any log"))]
    if existing is not None and not reuse:
        acl.insert(0, Change(phase=Phase.ACLS, lines=(f"no ipv6 access-list {name}",)))
    needs_input = not reuse and not any(":" in n for n in options.mgmt_nets)
    changes = acl + [Change(phase=Phase.LINES, parent=section.name, lines=(f"ipv6 access-class {name} in",), order=31)]
    return (Applicability.NEEDS_INPUT if needs_input else Applicability.UNSAFE), changes
