"""Applying a planned fix to one IOS / IOS-XE device: armed way back, change, proof, confirm, save.

The only module that changes a device. For each step of the framed script
(`auditor.remediation.combined_script`, read back with `steps_of`), over one SSH session kept open:

1. the archive path the revert timer needs, when the script adds one;
2. `configure terminal revert timer N`, the step's commands, `end`: the
   device undoes them by itself after N minutes unless confirmed;
3. proof from a **new** session (new TCP connection, new login): it must log
   in, and after the last step a fresh pull, audited again, must no longer
   show the findings the change targets;
4. proven: `configure confirm`, then `write memory`. Not proven: `configure
   revert now` from the still-open session, and the status says what failed.

A release without the revert timer (the script then says to type `reload in`
by hand) is not changed automatically. Credentials never leave the session.
"""

from __future__ import annotations

def apply_plan(host, credentials, settings, plan, report, config: bytes, options, audit_kwargs: dict):
    """Change the device as planned; return the plan with status fixed or reverted (or refused)."""
    from auditor.engine import audit
    from auditor.pull import classify, open_session, pull_one
    from auditor.remediation import REVERT_TIMER, steps_of

    if report.platform not in ("ios", "iosxe"):
        return plan.model_copy(update={"status": "refused", "reasons": (f"{report.platform} changes are not applied automatically yet: paste the plan",)})
    archive, steps = steps_of(plan.script)
    if not steps:
        return plan.model_copy(update={"status": "refused", "reasons": ("this release has no revert timer: the change is not applied automatically",)})
    targeted = {(f.rule_id, f.section) for f in report.findings if f.remediation.changes}
    try:
        session = open_session(host, credentials, settings)
    except Exception as exc:
        return plan.model_copy(update={"status": classify(exc, host)[0].value, "reasons": (classify(exc, host)[1],)})
    try:
        if archive:
            session.send_config_set(archive)
        for number, (minutes, commands) in enumerate(steps, 1):
            session.send_config_set(commands, config_mode_command=REVERT_TIMER.format(minutes=minutes))
            proof = pull_one(host, credentials, settings)
            why = None
            if proof.config is None:
                why = f"after step {number}, a new session failed: {proof.status.value} ({proof.detail})"
            elif number == len(steps):
                after = audit(proof.config, source=host.name, options=options, **audit_kwargs)
                left = sorted({(f.rule_id, f.section) for f in after.findings} & targeted)
                if left:
                    why = "after the change the device still shows " + ", ".join(f"{r} on {s}" for r, s in left[:5])
            if why:
                session.send_command_timing("configure revert now")
                back = session.send_command("show running-config", read_timeout=max(settings.timeout, 10))
                return plan.model_copy(update={"status": "reverted", "reasons": (why, _after_revert(config, back, archive))})
            session.send_command_timing("configure confirm")
            session.save_config()
        return plan.model_copy(update={"status": "fixed", "reasons": (f"{len(steps)} step(s) applied, proven from a new session, confirmed and saved",)})
    finally:
        try:
            session.disconnect()
        except Exception:  # the session may be gone; the armed timer then reverts what was not confirmed
            pass


def _config_lines(text: str) -> list[str]:
    skip = ("Building configuration", "Current configuration", "Last configuration change", "NVRAM config last updated")
    return sorted(
        line.rstrip() for line in text.replace("\r\n", "\n").split("\n")
        if line.strip() and not line.lstrip().startswith("!") and line.strip() != "end" and not line.startswith(skip)
    )


def _after_revert(pulled: bytes, shown: str, archive: list[str]) -> str:
    """Whether the running config is the pulled one again (the archive path, added for the timer, aside)."""
    before = _config_lines(pulled.decode("utf-8", "replace"))
    after = [line for line in _config_lines(shown) if line not in {a.rstrip() for a in archive}]
    if before == after:
        return "the change was reverted from the open session: the running config is back to the pulled one"
    differ = len(set(before) ^ set(after))
    return f"the change was reverted from the open session, but the running config differs from the pulled one in {differ} line(s): check it"
