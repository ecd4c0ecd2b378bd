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
`--fill`, and only here: plans and reports keep them. Exec commands of the
frame (`configure confirm`, the timer check, `configure revert now`, NX-OS
checkpoints) are read up to the prompt, or to a question, which is cancelled
with Ctrl-C and fails the step (`exec_command`): never for a fixed idle time.
"""

from __future__ import annotations

import os
import re
import time


from auditor.fix import fill


class Refused(Exception):
    """The device refused a configuration line (its answer matched an error pattern)."""

    def __init__(self, command: str, answer: str):
        from auditor.masking import mask_secrets

        super().__init__(f"the device refused `{mask_secrets(command.strip())}`: {mask_secrets(answer)}")


class NotEntered(Exception):
    """The device did not enter configuration mode: the command that arms the way back
    (`configure terminal revert timer N`) was refused, so nothing is armed."""

    def __init__(self, command: str, answer: str):
        from auditor.masking import mask_secrets

        super().__init__(f"the device refused `{command}`" + (f": {mask_secrets(answer)}" if answer else ""))


class StepFailed(Exception):
    """A step of the frame the device did not take (a refused confirm, a timer still running)."""


def send_config(session, enter: str, commands: list[str], cli, values: dict[str, str] | None = None) -> None:
    """Enter config mode with `enter`, send each line reading its answer, answer the questions
    the CLI model lists, and leave config mode. Raises `NotEntered` when config mode is not
    entered, `Refused` at the first refused line or unexpected question (still in config mode:
    the caller undoes the armed change)."""
    try:
        session.config_mode(config_command=enter)
    except ValueError:  # netmiko: the prompt did not change to (config)
        answer = session.read_channel()
        raise NotEntered(enter, (cli.refusal(answer) or "").strip()) from None
    prompt_re = rf"{re.escape(session.base_prompt)}.*[#>]\s*$"
    for command in commands:
        sent = fill(command, values or {})
        session.write_channel(session.normalize_cmd(sent))
        output = session.read_until_pattern(pattern=re.escape(sent.strip()[:40]))
        question = cli.prompt_for(command)
        expect = rf"(?:{prompt_re}|{question.expect.pattern if question else _QUESTION})"
        output += session.read_until_pattern(pattern=expect, re_flags=re.M | re.I)
        if question is not None and question.expect.search(output):
            session.write_channel(session.normalize_cmd(question.answer))
            output += session.read_until_pattern(pattern=prompt_re, re_flags=re.M)
        elif question is None and re.search(_QUESTION, output, re.M | re.I) and not re.search(prompt_re, output, re.M):
            # A question the CLI model does not list: never guess an answer. Ctrl-C cancels it.
            session.write_channel("\x03")
            session.read_until_pattern(pattern=prompt_re, re_flags=re.M)
            raise Refused(command, "it asked a question the tool does not know: " + output.strip().splitlines()[-1][:120])
        refusal = cli.refusal(output)
        if refusal is not None:
            raise Refused(command, refusal)
    session.exit_config_mode()


# A question waiting for an answer: `[confirm]`, `[yes/no]`, `(y/n)`, or a line ending in `?`.
_QUESTION = r"(?:\[confirm\]|\[yes/no\]|\(y/n\)|\?)\s*:?\s*$"
# `show archive config rollback timer` while a revert timer runs (Cisco IOS Configuration
# Replace and Configuration Rollback: the output names the timer type and value).
_TIMER_ACTIVE = re.compile(r"Timer (?:type|value)\s*:", re.I)
_SAVED = re.compile(r"\[OK\]|Copy complete|bytes copied", re.I)


def exec_command(session, command: str, seconds: float) -> str:
    """An exec command's answer, read up to the prompt: as soon as the device has answered, and
    whole however slowly it answers within `seconds` (netmiko's timing read waits for two idle
    seconds after every command, and takes a pause in a slow answer for its end). A question
    the tool does not expect is cancelled with Ctrl-C, never answered, and comes back as an
    error line, which every caller reads as a refusal."""
    prompt = rf"{re.escape(session.base_prompt)}[^\n]*[#>]\s*$"
    with _Patience(session, seconds):
        answer = session.send_command(command, expect_string=rf"(?:{prompt}|{_QUESTION})", read_timeout=seconds, strip_prompt=False)
    if re.search(prompt, answer):
        return answer
    session.write_channel("\x03")
    with _Patience(session, seconds):
        session.read_until_pattern(pattern=prompt, read_timeout=seconds)
    last = answer.strip().splitlines()[-1][:120] if answer.strip() else ""
    return f"{answer}\n% Error: it asked a question the tool does not know, cancelled: {last}"


class _Patience:
    """Reads on the session may take up to `seconds` (netmiko's `read_timeout_override`, set
    to --timeout for every read, would otherwise cap a save or a rollback)."""

    def __init__(self, session, seconds: float):
        self.session, self.seconds = session, seconds

    def __enter__(self):
        self.saved = getattr(self.session, "read_timeout_override", None)
        self.session.read_timeout_override = max(self.seconds, self.saved or 0)
        return self

    def __exit__(self, *exc):
        self.session.read_timeout_override = self.saved
        return False


def proof_budget(settings) -> float:
    """The longest a proof may take (seconds): a new session's pull is bounded by the per-device
    deadline, retries included; the last attempt's connect may start just before it."""
    return settings.device_deadline + settings.timeout


def apply_plan(host, credentials, settings, plan, report, config: bytes, request, sleep=time.sleep, clock=time.monotonic, values: dict[str, str] | None = None):
    """Change the device as planned (its placeholders filled from `values`); return the plan with
    status fixed, reverted, reverted-by-timer, unverified (or refused, or the failure class of a
    session lost before anything was armed). See the README's Fix section for the steps."""
    from auditor.platforms import cli_of
    from auditor.remediation import steps_of

    if report.platform == "nxos":
        return _apply_nxos(host, credentials, settings, plan, report, config, request, values)
    if report.platform not in ("ios", "iosxe"):
        return plan.model_copy(update={"status": "refused", "reasons": (f"{report.platform} changes are not applied automatically yet: paste the plan",)})
    archive, steps = steps_of(plan.script)
    if not steps:
        return plan.model_copy(update={"status": "refused", "reasons": ("this release has no revert timer: the change is not applied automatically",)})
    session, failed = _open(host, credentials, settings, plan)
    if failed is not None:
        return failed
    run = _IosRun(host, credentials, settings, plan, report, config, request, sleep, clock, values, session, cli_of(report.platform), archive, steps)
    try:
        return run.go()
    finally:
        try:
            session.disconnect()
        except Exception:  # the session may be gone; an armed timer then reverts what was not confirmed
            pass


class _IosRun:
    """One IOS / IOS-XE apply: a known state after every step.

    `phase` says where the device is: "idle" (nothing armed), "armed" (a change under the
    revert timer, not confirmed), "confirming" (`configure confirm` sent, its effect not yet
    checked), "saving" (confirmed, `write memory` sent, the startup config not yet checked).
    `baseline` is the running config a revert must return to: the pulled one, then the one
    read back after each step that was confirmed and saved."""

    def __init__(self, host, credentials, settings, plan, report, config, request, sleep, clock, values, session, cli, archive, steps):
        self.host, self.credentials, self.settings, self.plan = host, credentials, settings, plan
        self.request, self.sleep, self.clock, self.values = request, sleep, clock, values
        self.session, self.cli, self.archive, self.steps = session, cli, archive, steps
        self.targeted = {(f.rule_id, f.section) for f in report.findings if f.remediation.changes}
        self.baseline = config.decode("utf-8", "replace")
        self.phase = "idle"
        self.saved: list[str] = []  # "step N of M: confirmed and saved"
        self.minutes = 0
        self.number = 0

    def done(self, status: str, *reasons: str):
        return self.plan.model_copy(update={"status": status, "reasons": (*reasons, *self._saved_note())})

    def _saved_note(self) -> tuple[str, ...]:
        archive = ("the archive path added for the revert timer stays in the running config, unsaved (`archive` / `no path` removes it)",) if self.archive and self.number else ()
        if not self.saved:
            return (("nothing was saved: the startup config is the one before the change",) if self.phase != "idle" or self.number else ()) + archive
        return (f"saved on the device: {', '.join(self.saved)}",)

    def go(self):
        try:
            if self.archive:
                try:
                    send_config(self.session, "configure terminal", self.archive, self.cli)
                except (Refused, NotEntered) as refused:
                    self._leave_config_mode()
                    return self.done("refused", f"{refused} (the archive path the revert timer needs): nothing was armed")
            for self.number, (self.minutes, commands) in enumerate(self.steps, 1):
                result = self.step(commands)
                if result is not None:
                    return result
            return self.done("fixed", f"{len(self.steps)} step(s) applied, proven from a new session, confirmed and saved; the startup config was read back")
        except Exception as exc:  # the session was lost (or a read timed out) somewhere in a step
            return self.lost(exc)

    def step(self, commands):
        from auditor.remediation import REVERT_TIMER

        label = f"step {self.number} of {len(self.steps)}"
        try:
            self.phase = "arming"
            send_config(self.session, REVERT_TIMER.format(minutes=self.minutes), commands, self.cli, self.values)
            self.phase = "armed"
            armed_at = self.clock()
            why = _unproven(self.host, self.credentials, self.settings, self.number, self.number == len(self.steps), self.targeted, self.request)
        except NotEntered as refused:
            self.phase = "idle"
            return self.done("refused", f"{label}: {refused}: nothing was armed for it")
        except Refused as refused:
            self.phase = "armed"
            self._leave_config_mode()
            why = f"in {label}, {refused}"
        if why:
            return self.revert(why)
        if self.clock() - armed_at > self.minutes * 60:
            return self.await_timer(f"the proof of {label} took longer than its {self.minutes}-minute revert timer")
        if not self.timer_running():  # it fired during the proof: the device undid the change
            return self.await_timer(f"the revert timer of {label} fired before it could be confirmed")
        self.phase = "confirming"
        answer = exec_command(self.session, "configure confirm", self.settings.timeout)
        if self.cli.refusal(answer):
            self.phase = "armed"
            return self.revert(f"`configure confirm` of {label} was refused: {self.cli.refusal(answer)}")
        if self.timer_running():
            self.phase = "armed"
            return self.revert(f"the revert timer of {label} still runs after `configure confirm`")
        self.phase = "saving"
        return self.save(label)

    def save(self, label: str):
        from auditor.pull import PullError, read_running_config

        with _Patience(self.session, max(self.settings.timeout, 60)):
            answer = self.session.send_command("write memory", expect_string=rf"{re.escape(self.session.base_prompt)}.*#", read_timeout=max(self.settings.timeout, 60))
        if self.cli.refusal(answer) or not _SAVED.search(answer):
            return self.done("unverified", f"{label} is confirmed in the running config, but `write memory` failed: {self.cli.refusal(answer) or 'no [OK]'}; a reload would undo it: save it by hand")
        try:
            running = read_running_config(self.session, self.host.platform, self.settings.timeout)
            with _Patience(self.session, max(self.settings.timeout, 60)):
                startup = self.session.send_command("show startup-config", read_timeout=max(self.settings.timeout, 60))
        except PullError as exc:
            return self.done("unverified", f"{label} is confirmed and `write memory` said [OK], but the configs could not be read back ({exc})")
        same, differ = _same_config(running.decode("utf-8", "replace"), startup, [])
        if not same:
            return self.done("unverified", f"{label} is confirmed, but the startup config differs from the running config in {differ} line(s) after the save")
        self.saved.append(f"{label}: confirmed and saved")
        self.baseline = running.decode("utf-8", "replace")
        self.phase = "idle"
        return None

    def timer_running(self) -> bool:
        answer = exec_command(self.session, "show archive config rollback timer", self.settings.timeout)
        return bool(_TIMER_ACTIVE.search(answer))

    def revert(self, why: str):
        """`configure revert now` from the open session, checked; refused: the timer will."""
        from auditor.pull import PullError, read_running_config

        answer = exec_command(self.session, "configure revert now", max(self.settings.timeout, 60))
        if self.cli.refusal(answer):
            return self.await_timer(f"{why}; `configure revert now` was refused ({self.cli.refusal(answer)})")
        self.phase = "idle"
        try:
            back = read_running_config(self.session, self.host.platform, self.settings.timeout).decode("utf-8", "replace")
        except PullError as exc:
            return self.done("unverified", why, f"`configure revert now` was sent, but the running config could not be read back ({exc}): check the device")
        same, differ = _same_config(self.baseline, back, self.archive)
        if same:
            return self.done("reverted", why, f"the change was reverted from the open session: the running config is back to {self._before()}")
        return self.done("unverified", why, f"`configure revert now` was sent, but the running config differs from {self._before()} in {differ} line(s): check the device")

    def _before(self) -> str:
        return "the pulled one" if not self.saved else f"the one saved after {self.saved[-1].split(':')[0]}"

    def await_timer(self, why: str):
        status = _await_timer(self.host, self.credentials, self.settings, self.plan, self.baseline.encode(), self.archive, self.minutes, why, self.sleep, self.clock)
        return status.model_copy(update={"reasons": (*status.reasons, *self._saved_note())})

    def lost(self, exc):
        status, lost = _lost(exc, self.host)
        if self.phase in ("armed", "arming"):
            return self.await_timer(lost)
        if self.phase in ("confirming", "saving"):
            return self.settle_from_new_session(lost)
        where = f"after {self.saved[-1].split(':')[0]} was confirmed and saved" if self.saved else "before any change was armed"
        return self.done(status.value, f"{lost} {where}: check the device")

    def settle_from_new_session(self, lost: str):
        """The session was lost after `configure confirm` was sent: from a new session, confirm
        if the timer still runs, save, and check the startup config."""
        from auditor.pull import classify, open_session

        label = f"step {self.number} of {len(self.steps)}"
        try:
            session = open_session(self.host, self.credentials, self.settings)
        except Exception as exc:
            return self.done(
                "unverified",
                lost,
                f"after `configure confirm` of {label}; a new session failed too ({classify(exc, self.host)[0].value}): "
                f"if the confirm did not take, the timer undoes {label} in {self.minutes} min: check the device",
            )
        try:
            self.session = session
            if self.timer_running():
                answer = exec_command(session, "configure confirm", self.settings.timeout)
                if self.cli.refusal(answer) or self.timer_running():
                    return self.done("unverified", lost, f"{label} is still under its revert timer and a new session could not confirm it: it will be undone")
            result = self.save(label)
            if result is not None:
                return result.model_copy(update={"reasons": (lost, *result.reasons)})
            if self.number < len(self.steps):
                return self.done("unverified", lost, f"{label} was confirmed and saved from a new session; the remaining steps were not applied")
            return self.done("fixed", lost, f"{label} was confirmed and saved from a new session, and the startup config read back")
        except Exception as exc:
            return self.done("unverified", lost, f"and the new session was lost too ({classify(exc, self.host)[0].value}): check the device")
        finally:
            try:
                session.disconnect()
            except Exception:
                pass

    def _leave_config_mode(self) -> None:
        try:
            self.session.exit_config_mode()
        except Exception:
            pass


def _apply_nxos(host, credentials, settings, plan, report, config: bytes, request, values: dict[str, str] | None = None):
    """NX-OS has no revert timer: a checkpoint is the way back. `checkpoint NAME` first (a
    name of this run's own), then each step, proven from a new session; proven: `copy
    running-config startup-config` (the checkpoint is kept, named in the status). Not
    proven: `rollback running-config checkpoint NAME` from the open session. The open
    session lost after a change: one new session tries the rollback; if that fails too, the
    change stays and the status is `unverified` with the command to type on the console
    (Cisco Nexus 9000 NX-OS System Management Configuration Guide, "Configuring Rollback")."""
    from auditor.platforms.nxos.cli import CLI as NXOS
    from auditor.platforms.nxos.fixes import steps

    blocks = steps(plan.script)
    if not blocks:
        return plan.model_copy(update={"status": "refused", "reasons": ("the plan holds no configuration block to apply",)})
    # Unique per run and device (one-second timestamps collide between devices and runs), and
    # removed once the change is saved: NX-OS keeps at most 10 user checkpoints.
    name = "vty-auditor-" + time.strftime("%Y%m%d-%H%M%S") + "-" + os.urandom(3).hex()
    rollback = f"rollback running-config checkpoint {name}"
    targeted = {(f.rule_id, f.section) for f in report.findings if f.remediation.changes}
    session, failed = _open(host, credentials, settings, plan)
    if failed is not None:
        return failed
    changed = False
    try:
        made = exec_command(session, f"checkpoint {name}", max(settings.timeout, 60))
        if "%" in made or "rror" in made:
            return plan.model_copy(update={"status": "refused", "reasons": (f"the checkpoint could not be made: nothing was changed ({made.strip()[:80]})",)})
        for number, commands in enumerate(blocks, 1):
            changed = True
            try:
                send_config(session, "configure terminal", commands, NXOS, values)
                why = _unproven(host, credentials, settings, number, number == len(blocks), targeted, request)
            except Refused as refused:
                session.exit_config_mode()
                why = f"in step {number}, {refused}"
            if why:
                with _Patience(session, max(settings.timeout, 120)):
                    answer = session.send_command(rollback, expect_string=rf"{re.escape(session.base_prompt)}.*#", read_timeout=max(settings.timeout, 120))
                if NXOS.refusal(answer) or re.search(r"Rollback failed|failed", answer, re.I):
                    return plan.model_copy(
                        update={
                            "status": "unverified",
                            "reasons": (
                                why,
                                f"the rollback to checkpoint {name} failed ({answer.strip().splitlines()[-1][:100] if answer.strip() else 'no answer'}): "
                                f"the change stays, unsaved: on the console, `{rollback}`",
                            ),
                        }
                    )
                changed = False
                back = _read_back(session, host, settings)
                return plan.model_copy(update={"status": _reverted_or_unverified(config, back), "reasons": (why, _after_revert(config, back or "", [], f"rolled back to checkpoint {name}"))})
        with _Patience(session, max(settings.timeout, 60)):
            answer = session.send_command("copy running-config startup-config", expect_string=rf"{re.escape(session.base_prompt)}.*#", read_timeout=max(settings.timeout, 60))
        if NXOS.refusal(answer) or not _SAVED.search(answer):
            return plan.model_copy(
                update={
                    "status": "unverified",
                    "reasons": (
                        f"{len(blocks)} step(s) applied and proven, but `copy running-config startup-config` failed "
                        f"({(NXOS.refusal(answer) or 'no Copy complete')[:100]}): a reload would undo it; checkpoint {name} holds the config before",
                    ),
                }
            )
        removed = exec_command(session, f"no checkpoint {name}", max(settings.timeout, 60))
        kept = "" if not NXOS.refusal(removed) else f"; checkpoint {name} could not be removed: `no checkpoint {name}`"
        return plan.model_copy(update={"status": "fixed", "reasons": (f"{len(blocks)} step(s) applied, proven from a new session, and saved; the checkpoint was removed{kept}",)})
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


def _read_back(session, host, settings) -> str | None:
    """The running config through the session, read as a pull reads it (through `--More--`), or None."""
    from auditor.pull import PullError, read_running_config

    try:
        return read_running_config(session, host.platform, settings.timeout).decode("utf-8", "replace")
    except PullError:
        return None


def _reverted_or_unverified(pulled: bytes, back: str | None) -> str:
    return "reverted" if back is not None and _same_config(pulled.decode("utf-8", "replace"), back, [])[0] else "unverified"


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


def _unproven(host, credentials, settings, number: int, last: bool, targeted: set, request) -> str | None:
    """Why step `number` is not proven, or None: a new session must log in, and after the last
    step a fresh pull, audited again, must no longer show the findings the change targets."""
    from auditor.pull import pull_one

    proof = pull_one(host, credentials, settings)
    if proof.config is None:
        return f"after step {number}, a new session failed: {proof.status.value} ({proof.detail})"
    if last:
        after = request.audit(proof.config, source=host.name)
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
            with _Patience(session, max(settings.timeout, 120)):
                session.send_command(rollback, expect_string=rf"{re.escape(session.base_prompt)}.*#", read_timeout=max(settings.timeout, 120))
            back = _read_back(session, host, settings) or ""
        finally:
            session.disconnect()
    except Exception as exc:
        return plan.model_copy(
            update={
                "status": "unverified",
                "reasons": (lost, f"and a new session could not roll back ({classify(exc, host)[0].value}): NX-OS has no revert timer, so the change stays: on the console, `{rollback}`"),
            }
        )
    same, differ = _same_config(pulled.decode("utf-8", "replace"), back, [])
    if same:
        return plan.model_copy(update={"status": "reverted", "reasons": (lost, f"rolled back to checkpoint {name} from a new session: the running config is the pulled one")})
    return plan.model_copy(
        update={"status": "unverified", "reasons": (lost, f"rolled back to checkpoint {name} from a new session, but the running config differs from the pulled one in {differ} line(s): check it")}
    )


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
            same, differ = _same_config(pulled.decode("utf-8", "replace"), proof.config.decode("utf-8", "replace"), archive)
            if same:
                return plan.model_copy(
                    update={
                        "status": "reverted-by-timer",
                        "reasons": (lost, f"the revert timer ({minutes} min) undid the change: the running config, read from a new session, is back to the pulled one"),
                    }
                )
            last = f"the running config still differs from the pulled one in {differ} line(s)"
        else:
            last = f"a new session failed: {proof.status.value} ({proof.detail})"
        if clock() + interval > deadline:
            return plan.model_copy(update={"status": "unverified", "reasons": (lost, f"{minutes} min later {last}: the revert timer should have undone the change; check the device")})
        sleep(interval)


# Lines a device rewrites by itself, or prints around the config: not part of a comparison.
_NOISE = ("Building configuration", "Current configuration", "Last configuration change", "NVRAM config last updated", "ntp clock-period", "Using ", "!Time:", "!Running configuration")


def _config_lines(text: str) -> list[str]:
    return sorted(
        line.rstrip() for line in text.replace("\r\n", "\n").split("\n") if line.strip() and not line.lstrip().startswith("!") and line.strip() != "end" and not line.strip().startswith(_NOISE)
    )


def _same_config(before: str, after: str, archive: list[str]) -> tuple[bool, int]:
    """Whether two configs hold the same lines (noise and the archive path aside), and in how many they differ."""
    first = _config_lines(before)
    second = [line for line in _config_lines(after) if line not in {a.rstrip() for a in archive}]
    first = [line for line in first if line not in {a.rstrip() for a in archive}]
    return first == second, len(set(first) ^ set(second))


def _after_revert(pulled: bytes, shown: str, archive: list[str], how: str = "reverted") -> str:
    if not shown:
        return f"the change was {how} from the open session, but the running config could not be read back: check it"
    same, differ = _same_config(pulled.decode("utf-8", "replace"), shown, archive)
    if same:
        return f"the change was {how} from the open session: the running config is back to the pulled one"
    return f"the change was {how} from the open session, but the running config differs from the pulled one in {differ} line(s): check it"
