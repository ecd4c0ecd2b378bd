"""Probe benchmark: `vty-auditor probe` on N loopback hosts.

    python bench/probe.py               # 500 hosts
    python bench/probe.py --hosts 2000

Each host is 127.0.0.1 with its own listener sending an SSH-2.0 banner on the
"SSH" port and a closed "Telnet" port (refused), so every host costs two
connects and one banner read. Prints hosts per second and the wall time.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=500)
    args = parser.parse_args()
    exe = shutil.which("vty-auditor")
    if exe is None:
        print("install the project first: pip install -e '.[test]'", file=sys.stderr)
        return 2
    listeners = []
    for _ in range(args.hosts):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(16)
        listeners.append(s)

    def serve(sock):
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            conn.sendall(b"SSH-2.0-bench\r\n")
            conn.close()

    for s in listeners:
        threading.Thread(target=serve, args=(s,), daemon=True).start()
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    telnet = closed.getsockname()[1]
    closed.close()
    with tempfile.TemporaryDirectory() as tmp:
        inventory = Path(tmp) / "hosts.yaml"
        inventory.write_text("".join(f"h{i}:\n  hostname: 127.0.0.1\n  port: {s.getsockname()[1]}\n" for i, s in enumerate(listeners)))
        started = time.perf_counter()
        result = subprocess.run([exe, "probe", "--inventory", str(inventory), "--telnet-port", str(telnet), "-f", "json"], capture_output=True, text=True)
        wall = time.perf_counter() - started
    devices = json.loads(result.stdout)["devices"]
    ssh = sum(p["banner_kind"] == "ssh" for d in devices for p in d["probe"])
    print(f"hosts              {args.hosts} (2 ports each; {ssh} SSH banners read)")
    print(f"wall time          {wall:.2f} s (process start included)")
    print(f"hosts per second   {args.hosts / wall:.0f}")
    print(f"exit status        {result.returncode}")
    return 0 if ssh == args.hosts and result.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
