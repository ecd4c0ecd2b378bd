"""Can vty-auditor be installed beside what its users run? Ask pip's resolver, without installing.

    python .ci/coinstall.py            # every stack, one resolution each
    python .ci/coinstall.py nornir     # one stack

Each stack is pinned so the check does not change under us. A stack that
cannot be resolved together with this project prints pip's conflict lines and
makes the exit code 1. `.ci/run` runs it after the tests.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STACKS = {
    "hier-config 3": ["hier-config==3.7.1"],
    "Nautobot Golden Config": ["nautobot-golden-config==3.0.8"],
    "Nornir + nornir-netmiko": ["nornir==3.6.0", "nornir-netmiko==1.0.1"],
    "NAPALM": ["napalm==5.2.0"],
    "netutils": ["netutils==1.19.2"],
    "Ansible": ["ansible-core==2.19.14"],
}


def resolve(requirements: list[str]) -> tuple[bool, str]:
    with tempfile.TemporaryDirectory() as tmp:
        run = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet", "--report", str(Path(tmp) / "r.json"),
             str(ROOT), *requirements],
            capture_output=True, text=True,
        )
    problems = [line for line in (run.stdout + run.stderr).splitlines()
                if "conflict" in line.lower() or "requires" in line.lower() or line.startswith("ERROR")]
    return run.returncode == 0, "\n".join(problems[:20])


def main(argv: list[str]) -> int:
    chosen = {name: reqs for name, reqs in STACKS.items() if not argv or any(a.lower() in name.lower() for a in argv)}
    failed = 0
    for name, requirements in chosen.items():
        ok, problems = resolve(requirements)
        print(f"{'ok  ' if ok else 'FAIL'} vty-auditor + {name} ({' '.join(requirements)})", flush=True)
        if not ok:
            failed += 1
            print("     " + (problems or "pip gave no reason").replace("\n", "\n     "), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
