"""Interrupt benchmark: seconds from Ctrl-C (SIGINT) to the exit of a fleet scan with hanging devices.

    python bench/interrupt.py                      # 10 healthy, 10 hanging, 2 unreachable devices
    python bench/interrupt.py --hanging 200 --runs 5

Starts tests/fakeios.py (real SSH on 127.0.0.1), runs the installed
`vty-auditor scan --inventory ... --timeout 30 -o report.json`, waits until
the healthy devices are saved, sends SIGINT and reports how long the process
took to write its report and exit (the goal: under 2 s), with the statuses
the report holds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--healthy", type=int, default=10)
    parser.add_argument("--hanging", type=int, default=10)
    parser.add_argument("--unreachable", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from test_pull import _inventory, _keypair, devices

    exe = shutil.which("vty-auditor")
    if exe is None:
        print("install the project first: pip install -e '.[test]'", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        _keypair(work / "hostkey")
        config = ROOT / "fixtures" / "telnet-explicit.cfg"
        kinds = [("ok", args.healthy), ("stall", args.hanging), ("blackhole", args.unreachable)]
        specs = [
            {"name": f"{kind}{i}", "behaviour": kind, "config": str(config), "username": "admin", "password": "bench", "hostkey": str(work / "hostkey")} for kind, count in kinds for i in range(count)
        ]
        with devices(specs, work) as ports:
            inventory = _inventory(work / "hosts.yaml", ports)
            env = {**os.environ, "VTY_AUDITOR_USERNAME": "admin", "VTY_AUDITOR_PASSWORD": "bench", "XDG_STATE_HOME": str(work)}
            for run in range(args.runs):
                saved = work / f"saved{run}"
                report = work / f"report{run}.json"
                scan = subprocess.Popen(
                    [exe, "scan", "--inventory", str(inventory), "--timeout", "30", "--retries", "0", "--workers", str(len(specs)), "--save-dir", str(saved), "-f", "json", "-o", str(report)],
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                while len(list(saved.glob("*.cfg"))) < args.healthy:
                    time.sleep(0.05)
                time.sleep(0.5)
                sent = time.monotonic()
                scan.send_signal(signal.SIGINT)
                scan.wait()
                seconds = time.monotonic() - sent
                statuses: dict[str, int] = {}
                for device in json.loads(report.read_text())["devices"]:
                    statuses[device["status"]] = statuses.get(device["status"], 0) + 1
                print(f"run {run + 1}: exit {scan.returncode} {seconds:.2f} s after SIGINT; {statuses}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
