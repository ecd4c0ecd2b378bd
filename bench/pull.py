"""Fleet-pull benchmark: `vty-auditor scan --inventory` against N simulated IOS devices.

    python bench/pull.py                 # 200 devices, default workers (32)
    python bench/pull.py --devices 500 --workers 64 --lines 5000

Starts tests/fakeios.py (real paramiko SSH servers on 127.0.0.1, one port per
device, in their own process), writes a Nornir hosts.yaml, runs the installed
`vty-auditor` on it and reports devices per second, wall time and the scan
process's peak RSS (from wait4, so the simulated devices are not counted).
Needs the test extras' cryptography (installed with netmiko).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--workers", type=int, default=None, help="passed to --workers (default: the tool's default)")
    parser.add_argument("--lines", type=int, default=1000, help="lines per simulated config")
    args = parser.parse_args()

    from run import make_config  # the fleet benchmark's realistic config generator
    from test_pull import _keypair

    exe = shutil.which("vty-auditor")
    if exe is None:
        print("install the project first: pip install -e '.[test]'", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        _keypair(work / "hostkey")
        rng = random.Random(7)
        specs = []
        for i in range(args.devices):
            config = work / f"r{i}.cfg"
            config.write_text(make_config(rng, args.lines, f"r{i}"))
            specs.append({"name": f"r{i}", "behaviour": "ok", "config": str(config), "username": "admin", "password": "bench", "hostkey": str(work / "hostkey")})
        (work / "spec.json").write_text(json.dumps(specs))
        server = subprocess.Popen([sys.executable, str(ROOT / "tests" / "fakeios.py"), str(work / "spec.json")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            ports = json.loads(server.stdout.readline())
            (work / "hosts.yaml").write_text("".join(f"{n}:\n  hostname: 127.0.0.1\n  port: {p}\n" for n, p in ports.items()))
            command = [exe, "scan", "--inventory", str(work / "hosts.yaml"), "--format", "json", "--output", str(work / "out.json")]
            if args.workers:
                command += ["--workers", str(args.workers)]
            env = dict(os.environ, VTY_AUDITOR_USERNAME="admin", VTY_AUDITOR_PASSWORD="bench", XDG_STATE_HOME=str(work))
            started = time.perf_counter()
            child = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            _, status, usage = os.wait4(child.pid, 0)
            wall = time.perf_counter() - started
        finally:
            server.stdin.close()
            server.wait(10)
        report = json.loads((work / "out.json").read_text())
    statuses: dict[str, int] = {}
    for device in report["devices"]:
        statuses[device["status"]] = statuses.get(device["status"], 0) + 1
    print(f"devices            {args.devices} ({args.lines} lines each), workers {args.workers or 'default (32)'}")
    print(f"statuses           {statuses}")
    print(f"wall time          {wall:.1f} s")
    print(f"devices per second {args.devices / wall:.1f}")
    print(f"peak RSS (scan)    {usage.ru_maxrss / 1024:.0f} MB")
    print(f"exit status        {os.waitstatus_to_exitcode(status)}")
    return 0 if statuses.get("audited") == args.devices else 1


if __name__ == "__main__":
    sys.exit(main())
