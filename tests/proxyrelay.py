"""A ProxyCommand for the tests: relays stdin/stdout to HOST:PORT (loopback only), as `ssh -W` would.

ProxyCommand python tests/proxyrelay.py %h %p LOGFILE
"""

import os
import socket
import sys
import threading

host, port, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if not host.startswith("127.") and host != "::1":
    sys.exit(f"proxyrelay: {host} is not a loopback address")
with open(log, "a", encoding="utf-8") as handle:
    handle.write(f"relayed to {host}:{port}\n")
upstream = socket.create_connection((host, port), timeout=30)


def forward() -> None:
    while True:
        data = os.read(0, 65536)
        if not data:
            upstream.shutdown(socket.SHUT_WR)
            return
        upstream.sendall(data)


threading.Thread(target=forward, daemon=True).start()
while True:
    data = upstream.recv(65536)
    if not data:
        break
    os.write(1, data)
