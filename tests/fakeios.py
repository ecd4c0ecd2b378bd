"""Simulated Cisco IOS devices: real SSH servers (paramiko) on 127.0.0.1.

Run as a separate process so the devices' crypto does not compete with the
client for one interpreter:

    python tests/fakeios.py SPEC.json

SPEC is a JSON list of devices; the process binds each to a free loopback port,
prints one JSON line `{"name": port, ...}` and serves until stdin closes.

Device fields: name, behaviour, config (path), username, password, secret
(enable secret; absent = the user lands at privilege 15, `R1#`), hostkey (path
of an OpenSSH private key), pubkey (an OpenSSH public key line: the device then
takes that key and no password), delay (seconds between output chunks, `slow`).

Behaviours:
  ok            normal IOS session
  slow          the config dribbles out in chunks `delay` seconds apart
  stall         half the config, then silence (no prompt)
  drop          half the config, then the channel closes
  truncated     the config without its final `end`, then the prompt
  nxos          an NX-OS switch: `switch#`, and a running-config with the `!Command:` header
  (options asa / iosxr: the ASA's and IOS-XR's `show running-config`; give IOS-XR a
  hostname such as `RP/0/RP0/CPU0:pe1`, its prompt)
  paging        ignores `terminal length 0`: pages of 20 lines behind ` --More-- `
  privilege     user at `R1>`, `enable` fails, `show running-config` is `% Invalid input`
  authorization `show running-config` answers `Command authorization failed.`
  no-banner     accepts TCP and never speaks SSH
  blackhole     the TCP connect times out (a full accept queue: SYNs are dropped)
  refused       nothing listens (the port is bound, then closed)
  endless       streams config lines without end (never the prompt), until the
                client leaves or 120 s pass
  pager-forever answers every key at `--More--` with another page, forever
                (bounded the same way)
  stateful      config mode changes a running config, with revert timer, confirm,
                revert and save, and new sessions checked against its VTY
                transport and access-class (tests/fakestate.py; options
                revert_unit, ssh_breaks_after_change, asks_no_username:
                `no username X` asks `[confirm]` as IOS 15.x / IOS-XE 16-17 do;
                faults: refuse_timer, refuse_confirm, ask_on_confirm, refuse_save, refuse_revert,
                drop_after_confirm, paging: `terminal length 0` ignored,
                asks_unknown: lines that ask a question no CLI model lists,
                drop_at_config: the session closes as config mode is entered,
                clock_drift: `ntp clock-period` changes between reads,
                save_delay: seconds `write memory` takes, rollback_delay: pauses of
                an NX-OS rollback)

The shell behaves like IOS where netmiko looks: it echoes what is typed (not
the enable secret), answers `terminal length 0` / `terminal width 511`, and
prints `HOST>` or `HOST#` prompts.
"""

from __future__ import annotations

import json
import logging
import os
import re
import selectors
import socket
import sys
import threading
import time

import paramiko


class _Server(paramiko.ServerInterface):
    def __init__(self, device: dict):
        self.device = device
        self.shell = threading.Event()

    def get_allowed_auths(self, username):
        # `pubkey` (an OpenSSH public key line): the device takes that key, and no password at all.
        return "publickey" if self.device.get("pubkey") else "password"

    def check_auth_publickey(self, username, key):
        wanted = self.device.get("pubkey", "").split()
        ok = username == self.device.get("username", "admin") and len(wanted) >= 2 and key.get_base64() == wanted[1]
        return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

    def check_auth_password(self, username, password):
        if self.device.get("auth_log"):  # what reached the device: the tests check no credential went to an impostor
            with open(self.device["auth_log"], "a", encoding="utf-8") as log:
                log.write(f"password attempt for {username}\n")
        ok = username == self.device.get("username", "admin") and password == self.device.get("password", "")
        return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

    def check_channel_request(self, kind, chanid):
        return paramiko.OPEN_SUCCEEDED if kind == "session" else paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

    def check_channel_pty_request(self, *args):
        return True

    def check_channel_shell_request(self, channel):
        self.shell.set()
        return True


class _Shell:
    def __init__(self, channel, device: dict):
        self.channel = channel
        self.device = device
        self.hostname = device.get("hostname", "R1")
        self.enabled = device.get("secret") is None and device["behaviour"] != "privilege"
        self.state = device.get("_state")  # behaviour `stateful`: tests/fakestate.py
        self.config_mode = False
        self.header = None  # the sub-mode header in config mode

    @property
    def prompt(self) -> str:
        if self.config_mode:
            sub = {"line": "config-line", "archive": "config-archive", "interface": "config-if"}.get((self.header or "").split(" ")[0], "config-std-nacl" if self.header else "config")
            return f"{self.hostname}({sub})#"
        return self.hostname + ("#" if self.enabled else ">")

    def send(self, text: str) -> None:
        self.channel.sendall(text.replace("\n", "\r\n").encode())

    def readline(self, echo: bool = True) -> str | None:
        line = bytearray()
        while True:
            data = self.channel.recv(1)
            if not data:
                return None
            if data == b"\x03":  # Ctrl-C: cancels the line (and a question) at once
                self.channel.sendall(b"^C\r\n")
                return "\x03"
            if data in (b"\r", b"\n"):
                if data == b"\r":  # swallow a following \n without blocking forever
                    self.channel.settimeout(0.05)
                    try:
                        extra = self.channel.recv(1)
                    except socket.timeout:
                        extra = b""
                    self.channel.settimeout(None)
                    if extra and extra != b"\n":
                        line += extra
                if echo:
                    self.channel.sendall(b"\r\n")
                return line.decode(errors="replace")
            line += data
            if echo:
                self.channel.sendall(data)

    def run(self) -> None:
        self.send(f"\n{self.prompt}")
        while True:
            raw = self.readline()
            if raw is None:
                return
            command = raw.strip()
            if self.state is not None and self.config_mode:
                self.configure(raw)
                if self.channel.closed:
                    return
                self.send(self.prompt)
                continue
            if self.device.get("command_log"):  # every command received: tests check what reached the device
                with open(self.device["command_log"], "a", encoding="utf-8") as log:
                    log.write(command + "\n")
            if command in ("exit", "logout", "quit"):
                self.channel.close()
                return
            self.answer(command)
            if self.channel.closed:
                return
            self.send(self.prompt)

    def answer(self, command: str) -> None:
        if not command or re.fullmatch(r"terminal (length|width) \d+", command):
            return
        if command == "enable":
            self.send("Password: ")
            typed = self.readline(echo=False)
            if self.device["behaviour"] != "privilege" and typed == self.device.get("secret"):
                self.enabled = True
            else:
                self.send("% Access denied\n\n")
            return
        if command in ("show running-config", "show run"):
            self.show_running_config()
            return
        if self.state is not None and self.exec_stateful(command):
            return
        self.send("                ^\n% Invalid input detected at '^' marker.\n\n")

    def exec_stateful(self, command: str) -> bool:
        """The exec commands of a stateful device; False for one it does not know."""
        timer = re.fullmatch(r"configure terminal revert timer (\d+)", command)
        if timer and self.device.get("refuse_timer"):  # a release without the revert timer
            self.send("                ^\n% Invalid input detected at '^' marker.\n\n")
            return True
        if command in ("configure terminal", "conf t") or timer:
            if self.device.get("drop_at_config"):  # the session dies as config mode is entered
                self.channel.close()
                return True
            if timer:
                if not any(line.strip().startswith("path ") for line in self.state.running):
                    self.send("% Archive path is not configured\n")
                    return True
                self.state.arm(int(timer.group(1)))
            self.send("Enter configuration commands, one per line.  End with CNTL/Z.\n")
            self.config_mode, self.header = True, None
            return True
        if command == "configure confirm":
            if self.device.get("refuse_confirm"):
                self.send("Command authorization failed.\n")
                return True
            if self.device.get("ask_on_confirm"):  # a release that asks first: only `yes` confirms
                self.send("Confirm the configuration change? [yes/no]: ")
                reply = self.readline()
                if self.device.get("command_log"):  # the reply too: tests check that nothing answered it
                    with open(self.device["command_log"], "a", encoding="utf-8") as log:
                        log.write(f"{reply!r} (reply to the confirm question)\n")
                if reply != "yes":
                    return True
            self.state.confirm()
            if self.device.get("drop_after_confirm"):
                self.channel.close()
            return True
        if command == "configure revert now":
            if self.device.get("refuse_revert"):
                self.send("% Rollback failed: the archive could not be read\n")
                return True
            self.state.revert()
            self.send("Rollback Done\n")
            return True
        if command == "show archive config rollback timer":
            if self.state.timer is None:
                self.send("%No Rollback Confirmed Change timer is active\n")
            else:
                self.send("Time configured(or Reset): 09:12:44 UTC Mon Nov 30 2026\nTimer type: Rollback timer\nTimer value: 10 min\nUser: admin\n")
            return True
        checkpoint = re.fullmatch(r"(no )?checkpoint (\S+)", command)
        if checkpoint:  # NX-OS: a named copy of the running config to roll back to
            done = self.state.checkpoint(checkpoint.group(2), remove=bool(checkpoint.group(1)))
            self.send("Done\n" if done else "% Checkpoint name is already in use\n" if not checkpoint.group(1) else "% No such checkpoint\n")
            return True
        rollback = re.fullmatch(r"rollback running-config checkpoint (\S+)", command)
        if rollback:
            if self.device.get("rollback_delay"):  # a rollback that takes a while, with pauses longer than 2 s
                self.send("Collecting Running-Config\n")
                time.sleep(self.device["rollback_delay"])
                self.send("Generating Rollback patch\n")
                time.sleep(self.device["rollback_delay"])
                self._discard_typeahead()  # a busy CLI may drop what was typed during the rollback
            ok = self.state.rollback(rollback.group(1))
            self.send("Collecting Running-Config\nGenerating Rollback patch\nRollback completed successfully.\n" if ok else "% No such checkpoint\n")
            return True
        if command in ("copy running-config startup-config", "copy run start"):
            self.state.save()
            self.send("[########################################] 100%\nCopy complete.\n")
            return True
        if command in ("show startup-config", "show start"):
            self.send("\n".join(self.state.saved) + "\nend\n")
            return True
        if command in ("write memory", "write mem", "write"):
            if self.device.get("refuse_save"):
                self.send("Building configuration...\n%Error opening nvram:startup-config (Device or resource busy)\n")
                return True
            if self.device.get("save_delay"):  # a slow NVRAM: longer than --timeout
                self.send("Building configuration...\n")
                time.sleep(self.device["save_delay"])
            self.state.save()
            self.send("Building configuration...\n[OK]\n")
            return True
        return False

    def _discard_typeahead(self) -> None:
        self.channel.settimeout(0.05)
        try:
            while self.channel.recv(4096):
                pass
        except socket.timeout:
            pass
        finally:
            self.channel.settimeout(None)

    def configure(self, raw: str) -> None:
        command = raw.strip()
        if command in ("end", "\x1a"):
            self.config_mode, self.header = False, None
            if self.device.get("drop_after_change") and (self.state.timer is not None or self.state.checkpoints):
                self.channel.close()  # the session that made an armed change is lost
            return
        if command == "exit":
            if self.header is None:
                self.config_mode = False
            self.header = None
            return
        if any(re.fullmatch(pattern, command) for pattern in self.device.get("asks_unknown", ())):
            self.send("This will erase the line's settings. Are you sure? [yes/no]: ")
            answer = self.readline()
            if answer is None:
                return
            if answer.strip() != "\x03":
                self.send("% Please answer 'yes' or 'no'.\n")
            return
        if self.device.get("asks_no_username") and re.fullmatch(r"no username \S+", command):
            # IOS 15.x / IOS-XE 16-17: the removal asks first; anything but y or Enter cancels it
            self.send("This operation will remove all username related configurations with same name.Do you want to continue? [confirm]")
            answer = self.readline()
            if answer is None or answer.strip().lower() not in ("", "y", "yes"):
                self.send("% Aborted\n")
                return
        if command:
            self.header = self.state.command(self.header, raw)
            if self.state.refusal:
                self.send(self.state.refusal + "\n")

    def show_running_config(self) -> None:
        behaviour = self.device["behaviour"]
        if behaviour == "privilege" or not self.enabled:
            self.send("                ^\n% Invalid input detected at '^' marker.\n\n")
            return
        if behaviour == "authorization":
            self.send("Command authorization failed.\n\n")
            return
        if self.state is not None:
            config = self.state.text()
            if self.device.get("clock_drift"):  # a line IOS rewrites by itself between two reads
                config = config.replace("\nend\n", f"\nntp clock-period {17179000 + int(time.monotonic() * 1000) % 997}\nend\n")
        else:
            with open(self.device["config"], encoding="utf-8") as handle:
                config = handle.read().rstrip("\n") + "\n"
        body = f"Building configuration...\n\nCurrent configuration : {len(config)} bytes\n{config}"
        if behaviour == "nxos" or self.device.get("nxos"):
            # NX-OS: a `!Command:`/`!Time:` header, no `Building configuration`, no `end`.
            body = f"\n!Command: show running-config\n!Running configuration last done at: Mon Nov 30 09:12:44 2026\n!Time: Mon Nov 30 09:20:01 2026\n\n{config}"
        if self.device.get("asa"):
            # ASA: the config as it prints it, from `: Saved` to its last line `: end`.
            body = config
        if self.device.get("iosxr"):
            # IOS-XR: a timestamp line, then `Building configuration...`, then the `!! IOS XR Configuration` header.
            body = f"Mon Nov 30 09:20:01.118 UTC\nBuilding configuration...\n{config}"
        lines = body.splitlines(keepends=True)
        half = "".join(lines[: len(lines) // 2])
        if behaviour == "stall":
            self.send(half)
            time.sleep(3600)
        elif behaviour == "drop":
            self.send(half)
            time.sleep(0.2)
            self.channel.close()
        elif behaviour == "truncated":
            self.send("".join(line for line in lines if line.strip() not in ("end", ": end")))
        elif behaviour == "paging" or self.device.get("paging"):
            # `terminal length 0` was ignored: 20 lines a page, then wait for a key.
            for start in range(0, len(lines), 20):
                if start:
                    self.send(" --More-- ")
                    if not self.channel.recv(1):
                        return
                    self.channel.sendall(b"\x08" * 9 + b" " * 9 + b"\x08" * 9)
                self.send("".join(lines[start : start + 20]))
        elif behaviour == "endless":
            filler = "".join(f" description endless line {i}\n" for i in range(2000))
            self.send(body.rsplit("end", 1)[0] + "interface Loopback0\n")
            stop = time.monotonic() + 120
            while not self.channel.closed and time.monotonic() < stop:
                self.send(filler)
                time.sleep(0.01)
            return
        elif behaviour == "pager-forever":
            page = "".join(lines[:20])
            stop = time.monotonic() + 120
            while time.monotonic() < stop:
                self.send(page + " --More-- ")
                if not self.channel.recv(1):
                    return
                self.channel.sendall(b"\x08" * 9 + b" " * 9 + b"\x08" * 9)
            return
        elif behaviour == "slow":
            step = max(1, len(lines) // 5)
            for start in range(0, len(lines), step):
                time.sleep(self.device.get("delay", 0.5))
                self.send("".join(lines[start : start + step]))
        else:
            self.send(body)
        self.send("\n")


def _serve_connection(sock: socket.socket, device: dict, keys: dict) -> None:
    transport = paramiko.Transport(sock)
    try:
        transport.add_server_key(keys[device.get("hostkey")])
        server = _Server(device)
        transport.start_server(server=server)
        channel = transport.accept(30)
        if channel is None or not server.shell.wait(30):
            return
        _Shell(channel, device).run()
    except (EOFError, OSError, paramiko.SSHException):
        pass
    finally:
        transport.close()


def _hold_silently(sock: socket.socket) -> None:
    try:
        sock.recv(1)  # until the client gives up
    except OSError:
        pass
    finally:
        sock.close()


def serve(devices: list[dict], ready=None, stop: threading.Event | None = None) -> None:
    keys = {path: paramiko.Ed25519Key.from_private_key_file(path) for path in {d.get("hostkey") for d in devices}}
    selector = selectors.DefaultSelector()
    ports = {}
    held = []  # sockets kept open for the whole run
    for device in devices:
        if device["behaviour"] == "stateful":
            from fakestate import DeviceState

            with open(device["config"], encoding="utf-8") as handle:
                device["_state"] = DeviceState(handle.read(), device)
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", device.get("port", 0)))  # a fixed port: the same device restarted
        ports[device["name"]] = listener.getsockname()[1]
        if device["behaviour"] == "refused":
            listener.close()  # the port is now (very likely) free: connects are refused
            continue
        if device["behaviour"] == "blackhole":
            # A full accept queue that is never drained: Linux drops further SYNs,
            # so a connect times out as if a firewall dropped it, without leaving loopback.
            listener.listen(0)
            held.append((listener, socket.create_connection(("127.0.0.1", ports[device["name"]]))))
            continue
        listener.listen(128)
        selector.register(listener, selectors.EVENT_READ, device)
    (ready or (lambda p: print(json.dumps(p), flush=True)))(ports)
    while stop is None or not stop.is_set():
        for key, _ in selector.select(timeout=0.2):
            sock, peer = key.fileobj.accept()
            device = key.data
            if device.get("_state") is not None and not device["_state"].admits(peer[0]):
                sock.close()  # IOS: the access-class or transport input refuses the session
                continue
            target = _hold_silently if device["behaviour"] == "no-banner" else _serve_connection
            args = (sock,) if target is _hold_silently else (sock, device, keys)
            threading.Thread(target=target, args=args, daemon=True).start()


def main(spec_path: str) -> None:
    logging.getLogger("paramiko").addHandler(logging.NullHandler())
    logging.getLogger("paramiko").propagate = False
    with open(spec_path, encoding="utf-8") as handle:
        devices = json.load(handle)
    threading.Thread(target=serve, args=(devices,), daemon=True).start()
    sys.stdin.read()  # serve until the parent closes our stdin
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1])
