"""Applying a planned fix to one device: armed way back, change, proof, confirm, save.

NX-OS has no revert timer: there the way back is a checkpoint (`_apply_nxos`). On IOS / IOS-XE:

The only module that changes a device. For each step of the framed script
(`auditor.remediation.combined_script`, read back with `steps_of`), over one SSH session kept open:

1. the archive path the revert timer needs, when the script adds one;
2. `configure terminal revert timer N`, the step's commands, `end`: the
   device undoes them by itself after N minutes unless confirmed;
3. proof from a **new** session (new TCP connection, new login): it must log
   in, and after the last step a fresh pull, audited again, must no longer
   show the findings the change targets;
4. proven: `configure confirm`, then `write memory`. Not proven: `configure
   revert now` from the still-open session, and the status says what failed;
5. the open session lost while a timer is armed (before it was confirmed or
   reverted): nothing more is sent on it; the device's timer undoes the change,
   and new sessions poll until the running config is the pulled one again
   (`reverted-by-timer`) or the timer's minutes and one more have passed
   (`unverified`: check the device).

A release without the revert timer (the script then says to type `reload in`
by hand) is not changed automatically. Credentials never leave the session.

Every configuration line is sent and its answer read (`send_config`): a command
the platform's CLI model says may ask a question (`no username X` asks
`[confirm]` on IOS 15.x and IOS-XE) is sent expecting that question or the
prompt, and the question is answered explicitly; an answer that matches the
platform's error patterns (`% Invalid input`, `% ERROR: ...`) fails the step,
which is then undone like an unproven one. Placeholders are filled here, from
`--fill`, and only here: plans and reports keep them.
"""

from __future__ import annotations

import re
import time


class Refused(Exception):
    """The device refused a configuration line (its answer matched an error pattern)."""

    def __init__(self, command: str, answer: str):
        from auditor.masking import mask_secrets

        super().__init__(f"the device refused `{mask_secrets(command)}`: {mask_secrets(answer)}")


def fill(line: str, values: dict[str, str]) -> str:
    """The line with its placeholders filled (`--fill`); the values never reach a report."""
    for placeholder, value in values.items():
        line = line.replace(placeholder, value)
    return line


def send_config(session, enter: str, commands: list[str], cli, values: dict[str, str] | None = None) -> None:
    """Enter config mode with `enter`, send each line reading its answer, answer the questions
    the CLI model lists, and leave config mode. Raises `Refused` at the first refused line
    (still in config mode: the caller undoes the armed change)."""
    session.config_mode(config_command=enter)
    prompt_re = rf"{re.escape(session.base_prompt)}.*[#>]\s*$"
    for command in commands:
        sent = fill(command, values or {})
        session.write_channel(session.normalize_cmd(sent))
        output = session.read_until_pattern(pattern=re.escape(sent.strip()[:40]))
        question = cli.prompt_for(command)
        if question is None:
            output += session.read_until_pattern(pattern=prompt_re, re_flags=re.M)
        else:
            output += session.read_until_pattern(pattern=rf"(?:{prompt_re}|{question.expect.pattern})", re_flags=re.M | re.I)
            if question.expect.search(output):
                session.write_channel(session.normalize_cmd(question.answer))
                output += session.read_until_pattern(pattern=prompt_re, re_flags=re.M)
        refusal = cli.refusal(output)
        if refusal is not None:
            raise Refused(command, refusal)
    session.exit_config_mode()

def apply_plan(host, credentials, settings, plan, report, config: bytes, options, audit_kwargs: dict, sleep=time.sleep, clock=time.monotonic,
               values: dict[str, str] | None = None):
    """Change the device as planned (its placeholders filled from `values`); return the plan with
    status fixed, reverted, reverted-by-timer, unverified (or refused, or the failure class of a
    session lost before anything was armed)."""
    from auditor.cli_model import cli_of
    from auditor.remediation import REVERT_TIMER, steps_of

    if report.platform == "nxos":
        return _apply_nxos(host, credentials, settings, plan, report, config, options, audit_kwargs, values)
    if report.platform not in ("ios", "iosxe"):
        return plan.model_copy(update={"status": "refused", "reasons": (f"{report.platform} changes are not applied automatically yet: paste the plan",)})
    archive, steps = steps_of(plan.script)
    if not steps:
        return plan.model_copy(update={"status": "refused", "reasons": ("this release has no revert timer: the change is not applied automatically",)})
    targeted = {(f.rule_id, f.section) for f in report.findings if f.remediation.changes}
    session, failed = _open(host, credentials, settings, plan)
    if failed is not None:
        return failed
    armed = None  # the minutes of a timer armed and neither confirmed nor reverted
    done = 0  # steps confirmed and saved
    cli = cli_of(report.platform)
    try:
        if archive:
            try:
                send_config(session, "configure terminal", archive, cli)
            except Refused as refused:
                session.exit_config_mode()
                return plan.model_copy(update={"status": "refused", "reasons": (f"{refused} (the archive path the revert timer needs): nothing was armed",)})
        for number, (minutes, commands) in enumerate(steps, 1):
            armed = minutes  # from here the device may hold an unconfirmed change, even if the send fails
            try:
                send_config(session, REVERT_TIMER.format(minutes=minutes), commands, cli, values)
                why = _unproven(host, credentials, settings, number, number == len(steps), targeted, options, audit_kwargs)
            except Refused as refused:
                session.exit_config_mode()
                why = f"in step {number}, {refused}"
            if why:
                session.send_command_timing("configure revert now")
                armed = None
                back = session.send_command("show running-config", read_timeout=max(settings.timeout, 10))
                return plan.model_copy(update={"status": "reverted", "reasons": (why, _after_revert(config, back, archive))})
            session.send_command_timing("configure confirm")
            armed = None
            session.save_config()
            done = number
        return plan.model_copy(update={"status": "fixed", "reasons": (f"{len(steps)} step(s) applied, proven from a new session, confirmed and saved",)})
    except Exception as exc:
        status, lost = _lost(exc, host)
        if armed is not None:
            return _await_timer(host, credentials, settings, plan, config, archive, armed, lost, sleep, clock)
        where = f"after step {done} of {len(steps)} was confirmed and saved" if done else "before any change was armed"
        return plan.model_copy(update={"status": status.value, "reasons": (f"{lost} {where}: check the device",)})
    finally:
        try:
            session.disconnect()
        except Exception:  # the session may be gone; the armed timer then reverts what was not confirmed
            pass


def _apply_nxos(host, credentials, settings, plan, report, config: bytes, options, audit_kwargs: dict, values: dict[str, str] | None = None):
    """NX-OS has no revert timer: a checkpoint is the way back. `checkpoint NAME` first (a
    name of this run's own), then each step, proven from a new session; proven: `copy
    running-config startup-config` (the checkpoint is kept, named in the status). Not
    proven: `rollback running-config checkpoint NAME` from the open session. The open
    session lost after a change: one new session tries the rollback; if that fails too, the
    change stays and the status is `unverified` with the command to type on the console
    (Cisco Nexus 9000 NX-OS System Management Configuration Guide, "Configuring Rollback")."""
    from auditor.cli_model import NXOS
    from auditor.platforms.nxos import steps

    blocks = steps(plan.script)
    if not blocks:
        return plan.model_copy(update={"status": "refused", "reasons": ("the plan holds no configuration block to apply",)})
    name = "vty-auditor-" + time.strftime("%Y%m%d-%H%M%S")
    rollback = f"rollback running-config checkpoint {name}"
    targeted = {(f.rule_id, f.section) for f in report.findings if f.remediation.changes}
    session, failed = _open(host, credentials, settings, plan)
    if failed is not None:
        return failed
    changed = False
    try:
        made = session.send_command_timing(f"checkpoint {name}")
        if "%" in made or "rror" in made:
            return plan.model_copy(update={"status": "refused", "reasons": (f"the checkpoint could not be made: nothing was changed ({made.strip()[:80]})",)})
        for number, commands in enumerate(blocks, 1):
            changed = True
            try:
                send_config(session, "configure terminal", commands, NXOS, values)
                why = _unproven(host, credentials, settings, number, number == len(blocks), targeted, options, audit_kwargs)
            except Refused as refused:
                session.exit_config_mode()
                why = f"in step {number}, {refused}"
            if why:
                session.send_command_timing(rollback, read_timeout=max(settings.timeout, 30))
                changed = False
                back = session.send_command("show running-config", read_timeout=max(settings.timeout, 10))
                return plan.model_copy(update={"status": "reverted", "reasons": (why, _after_revert(config, back, [], f"rolled back to checkpoint {name}"))})
        session.save_config()
        return plan.model_copy(update={"status": "fixed", "reasons": (
            f"{len(blocks)} step(s) applied, proven from a new session, and saved; checkpoint {name} holds the config before",)})
    except Exception as exc:
        status, lost = _lost(exc, host)
        if not changed:
            return plan.model_copy(update={"status": status.value, "reasons": (f"{lost} before any change: check the device",)})
        return _rollback_from_new_session(host, credentials, settings, plan, config, name, lost)
    finally:
        try:
            session.disconnect()
        except Exception:
            pass


def _open(host, credentials, settings, plan):
    """(the session that will apply the change, None) or (None, the plan with why it could not open)."""
    from auditor.pull import classify, open_session

    try:
        return open_session(host, credentials, settings), None
    except Exception as exc:
        status, detail = classify(exc, host)
        return None, plan.model_copy(update={"status": status.value, "reasons": (detail,)})


def _lost(exc, host):
    """(the failure class, and the reason) of the applying session's loss."""
    from auditor.pull import classify

    status, detail = classify(exc, host)
    return status, f"the applying session was lost ({status.value}: {detail})"


def _unproven(host, credentials, settings, number: int, last: bool, targeted: set, options, audit_kwargs: dict) -> str | None:
    """Why step `number` is not proven, or None: a new session must log in, and after the last
    step a fresh pull, audited again, must no longer show the findings the change targets."""
    from auditor.engine import audit
    from auditor.pull import pull_one

    proof = pull_one(host, credentials, settings)
    if proof.config is None:
        return f"after step {number}, a new session failed: {proof.status.value} ({proof.detail})"
    if last:
        after = audit(proof.config, source=host.name, options=options, **audit_kwargs)
        left = sorted({(f.rule_id, f.section) for f in after.findings} & targeted)
        if left:
            return "after the change the device still shows " + ", ".join(f"{r} on {s}" for r, s in left[:5])
    return None


def _rollback_from_new_session(host, credentials, settings, plan, pulled: bytes, name: str, lost: str):
    """NX-OS, the applying session gone: roll back once from a new session, and check."""
    from auditor.pull import classify, open_session

    rollback = f"rollback running-config checkpoint {name}"
    try:
        session = open_session(host, credentials, settings)
        try:
            session.send_command_timing(rollback, read_timeout=max(settings.timeout, 30))
            back = session.send_command("show running-config", read_timeout=max(settings.timeout, 10))
        finally:
            session.disconnect()
    except Exception as exc:
        return plan.model_copy(update={"status": "unverified", "reasons": (
            lost, f"and a new session could not roll back ({classify(exc, host)[0].value}): NX-OS has no revert timer, "
                  f"so the change stays: on the console, `{rollback}`")})
    same, differ = _is_pulled(pulled, back, [])
    if same:
        return plan.model_copy(update={"status": "reverted", "reasons": (lost, f"rolled back to checkpoint {name} from a new session: the running config is the pulled one")})
    return plan.model_copy(update={"status": "unverified", "reasons": (
        lost, f"rolled back to checkpoint {name} from a new session, but the running config differs from the pulled one in {differ} line(s): check it")})


def _await_timer(host, credentials, settings, plan, pulled: bytes, archive: list[str], minutes: int, lost: str, sleep, clock=time.monotonic):
    """The applying session is gone with a change armed: the device's own timer undoes it.
    Poll from new sessions until the running config is the pulled one again, or the timer's
    minutes and one more have passed."""
    from auditor.pull import pull_one

    deadline = clock() + minutes * 60 + 60
    interval = max(2.0, min(30.0, minutes * 3.0))
    while True:
        proof = pull_one(host, credentials, settings)
        if proof.config is not None:
            same, differ = _is_pulled(pulled, proof.config.decode("utf-8", "replace"), archive)
            if same:
                return plan.model_copy(update={"status": "reverted-by-timer", "reasons": (
                    lost, f"the revert timer ({minutes} min) undid the change: the running config, read from a new session, is back to the pulled one")})
            last = f"the running config still differs from the pulled one in {differ} line(s)"
        else:
            last = f"a new session failed: {proof.status.value} ({proof.detail})"
        if clock() + interval > deadline:
            return plan.model_copy(update={"status": "unverified", "reasons": (
                lost, f"{minutes} min later {last}: the revert timer should have undone the change; check the device")})
        sleep(interval)


def _config_lines(text: str) -> list[str]:
    skip = ("Building configuration", "Current configuration", "Last configuration change", "NVRAM config last updated")
    return sorted(
        line.rstrip() for line in text.replace("\r\n", "\n").split("\n")
        if line.strip() and not line.lstrip().startswith("!") and line.strip() != "end" and not line.startswith(skip)
    )


def _is_pulled(pulled: bytes, shown: str, archive: list[str]) -> tuple[bool, int]:
    """Whether the running config is the pulled one (the archive path, added for the timer, aside),
    and in how many lines the two differ."""
    before = _config_lines(pulled.decode("utf-8", "replace"))
    after = [line for line in _config_lines(shown) if line not in {a.rstrip() for a in archive}]
    return before == after, len(set(before) ^ set(after))


def _after_revert(pulled: bytes, shown: str, archive: list[str], how: str = "reverted") -> str:
    same, differ = _is_pulled(pulled, shown, archive)
    if same:
        return f"the change was {how} from the open session: the running config is back to the pulled one"
    return f"the change was {how} from the open session, but the running config differs from the pulled one in {differ} line(s): check it"
