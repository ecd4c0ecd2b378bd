"""Planning a fix: what would be sent to a device, and what stops it before anything is.

Pure: a pulled config, its report, the address this host reaches the device
from, and the options in; a `FixPlan` out. Nothing here talks to a device.
A plan is refused before any command is sent when the change would lock this
host out: the change is applied to the pulled config the way the device would
take it, and the result is read with the same platform reader as an audit; no
VTY line accepting SSH afterwards admits the address this tool connects from
(`access-class` / `ipv6 access-class` judged with the ACL semantics of
`auditor.acl`) means "refused". A script that still holds a `<PLACEHOLDER>`
is "skipped", naming what is missing.
"""

from __future__ import annotations

import ipaddress
import re

from auditor.findings import Frozen
from auditor.remediation import PLACEHOLDER as _PLACEHOLDER  # one pattern for what a script leaves to fill

# Plan statuses by what they mean for the exit code: fine (0), held back on purpose (1); any
# other (unverified, a pull failure) is a device not reached, audited or verified (3).
GOOD = ("clean", "ready", "fixed")
HELD = ("skipped", "refused", "reverted", "reverted-by-timer")


class FixPlan(Frozen):
    source: str
    status: str  # clean, ready, skipped, refused (or the pull's failure status)
    reasons: tuple[str, ...] = ()
    script: str = ""
    findings_before: int = 0
    findings_after: int | None = None  # what an audit of the changed config still finds
    local_address: str | None = None


_FILL_KEY = re.compile(r"<?([A-Z][A-Z0-9-]{0,63})>?")
_NETWORK_PLACEHOLDERS = ("MGMT-NETWORK", "WILDCARD", "MGMT-PREFIX")


def fill(line: str, values: dict[str, str]) -> str:
    """The text with its placeholders filled (`--fill`): done for the checks here and when a line
    is sent (`auditor.apply`), never in a plan or a report."""
    for placeholder, value in values.items():
        line = line.replace(placeholder, value)
    return line


def fill_values(table: dict) -> dict[str, str]:
    """The values of a `--fill` file (`NEW-SECRET-ADMIN = "..."`, or a `[fill]` table), checked,
    keyed `<NAME>`. Raises ValueError naming the key, never the value. A value is one word of
    printable characters without `?` (typed into an IOS CLI, `?` asks for help and the rest of
    the line is lost) and at most 127 characters; networks come from `--mgmt-net`, whose
    checks they would bypass."""
    table = table.get("fill", table) if isinstance(table.get("fill"), dict) else table
    values: dict[str, str] = {}
    for key, value in table.items():
        m = _FILL_KEY.fullmatch(str(key))
        if m is None:
            raise ValueError(f"{key!r} is not a placeholder name (such as NEW-SECRET-ADMIN)")
        name = m.group(1)
        if name in _NETWORK_PLACEHOLDERS:
            raise ValueError(f"{name}: give management networks with --mgmt-net")
        if not isinstance(value, str) or not value:
            raise ValueError(f"{name}: the value must be a non-empty string")
        if len(value) > 127 or any(not c.isprintable() or c.isspace() or c == "?" for c in value):
            raise ValueError(f"{name}: the value must be one word of at most 127 printable characters, without `?`")
        values[f"<{name}>"] = value
    return values


def _how_to_fill(missing: list[str]) -> str:
    """What supplies each missing placeholder: a management network of the right family comes
    from --mgmt-net, anything else (new secrets, an admin user's name) from --fill FILE."""
    hints = []
    if any(p.startswith(("<MGMT-NETWORK>", "<WILDCARD>")) for p in missing):
        hints.append("an IPv4 --mgmt-net")
    if "<MGMT-PREFIX>" in missing:
        hints.append("an IPv6 --mgmt-net (the device has IPv6, or takes prefixes)")
    others = [p for p in missing if not p.startswith(("<MGMT-NETWORK>", "<WILDCARD>", "<MGMT-PREFIX>"))]
    if others:
        hints.append(f"--fill FILE with {', '.join(p.strip('<>') for p in others)}")
    return "give " + "; ".join(hints)


def applied(config: bytes, script: str) -> bytes:
    """The config after the script's configuration lines, as the device would hold it."""
    from auditor.remediation import config_lines

    body = config_lines(script)
    text = config.decode("utf-8", "surrogateescape").replace("\r\n", "\n").rstrip("\n")
    if text.endswith("\nend"):
        text = text[: -len("end")]
    return (text + "\n" + "\n".join(body) + "\nend\n").encode("utf-8", "surrogateescape")


def plan(report, config: bytes, local_address: str | None, request, username: str | None = None, values: dict[str, str] | None = None) -> FixPlan:
    """The device's plan, audited again as `request` (an AuditRequest) audited it. `username` is the user this tool logs in as (None: not checked);
    `values` fill placeholders (`--fill`) for the checks and the apply, never in the plan's script."""
    from auditor.engine import read_model
    from auditor.findings import Phase

    fixable = [f for f in report.findings if f.remediation.changes or f.remediation.config]
    base = dict(source=report.source, findings_before=len(report.findings), local_address=local_address)
    if not fixable or not report.remediation:
        return FixPlan(status="clean", script="", **base)
    script = report.remediation
    if any(c.phase is Phase.SSH_KEYS for f in fixable for c in f.remediation.changes):
        # This tool reached the device over SSH, so it has a key; the config just does not show it.
        return FixPlan(
            status="refused",
            reasons=(
                "the change generates an SSH key, but the device already serves SSH (this tool logged in over it): "
                "a new key would change the host key every client knows; name its key in the config "
                "(`ip ssh rsa keypair-name`) or apply that step by hand",
            ),
            script=script,
            **base,
        )
    if report.platform in ("ios", "iosxe"):
        from auditor.remediation import steps_of

        if not steps_of(script)[1]:  # the dry run says what --apply would: no revert timer, no automatic change
            return FixPlan(
                status="refused",
                reasons=(
                    "this release may lack the revert timer (`configure terminal revert timer`): the change is not applied "
                    "automatically; paste the script by hand, with `reload in` (or give --platform-version)",
                ),
                script=script,
                **base,
            )
    filled = fill(script, values or {})
    missing = sorted(set(_PLACEHOLDER.findall("\n".join(line for line in filled.splitlines() if not line.lstrip().startswith("!")))))
    if missing:
        return FixPlan(status="skipped", reasons=(f"needs input: {', '.join(missing)} ({_how_to_fill(missing)})",), script=script, **base)
    after_config = applied(config, filled)
    after = request.audit(after_config, source=report.source)
    base["findings_after"] = len(after.findings)
    if len(after.findings) > len(report.findings):
        return FixPlan(status="refused", reasons=(f"the change would leave {len(after.findings)} finding(s), more than the {len(report.findings)} there are now",), script=script, **base)
    if local_address is None:
        return FixPlan(status="refused", reasons=("the address this host connects from is unknown: cannot check it keeps access",), script=script, **base)
    model = read_model(after_config, report.source, request.options)
    reason = _locked_out(model, local_address, username)
    if reason:
        return FixPlan(status="refused", reasons=(reason,), script=script, **base)
    return FixPlan(status="ready", script=script, **base)


def _locked_out(model, address: str, username: str | None = None) -> str | None:
    """Why no VTY line accepting SSH after the change admits `address` (and, where the line
    checks only the local user database, `username`), or None if one does."""
    from auditor.acl import admits_address

    if model is None:
        return "the changed config could not be read back"
    v6 = ipaddress.ip_address(address).version == 6
    fences, logins = [], []
    for section in model.vty_sections():
        transport = section.settings.transport_input
        if transport is not None and not ({"ssh", "all"} & set(transport)):
            continue
        ref = section.settings.ipv6_access_class_in if v6 else section.settings.access_class_in
        acls = model.ipv6_acls if v6 else model.acls
        if not (ref is None or ref.name not in acls or admits_address(acls[ref.name], model.object_groups, address)):
            fences.append(f"{section.name} ({ref.name})")
            continue
        if username is not None and _local_only(model, section) and not _local_user(model, username):
            logins.append(section.name)
            continue
        return None
    if logins:
        return (
            f"would lock out this host: after the change {', '.join(logins[:5])} check only the local user database, "
            f"which has no user {username!r} with a password or secret (the user this tool logs in as)"
        )
    if not fences:
        return "no VTY line accepts SSH after the change"
    return f"would lock out this host: {address} is not admitted after the change by " + ", ".join(fences[:5])


def _local_only(model, section) -> bool:
    """The line authenticates against the local user database and nothing else: `login local`,
    or an AAA method list whose only methods are `local`/`local-case`."""
    from auditor.model import LoginMode

    if section.settings.login is LoginMode.LOCAL:
        return True
    methods = model.login_methods(section)
    return bool(methods) and all(m in ("local", "local-case") for m in methods)


def _local_user(model, username: str) -> bool:
    """A local user of that name that can log in (IOS user names are case-sensitive)."""
    user = model.users.get(username)
    return user is not None and (user.secret is not None or user.password is not None)
