"""Benchmark: `python bench/run.py [--fleet N] [--jobs J]` from the repository root.

Generates a deterministic corpus (random.Random(42)) in a temporary directory:
configs of 1k, 10k and 100k lines with interfaces, ACLs, banners holding
config-like text, users and line blocks, and a fleet of N mixed configs.
Reports, measured in one run:
  * start-up: a single small config scanned as a process (median of 10), next to
    `python -c pass` and `vty-auditor --version`, and ccat's single-file time
    when `ccat` is installed;
  * fleet: `vty-auditor scan FLEET -f json -o FILE --jobs J` as a subprocess:
    configs/s, wall time, peak RSS (the largest of the scan's processes,
    from getrusage(RUSAGE_CHILDREN).ru_maxrss), against the floor (reading the
    files and one regex pass over each in Python) and a naive ciscoconfparse
    parse of every line;
  * per size: seconds per config for auditor.engine.audit, for a plain
    ciscoconfparse parse of every line, and for a raw read;
and compares them with the targets of the performance issue.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"fleet configs/s": 1000, "100k-line config s": 0.25, "peak RSS MB": 200, "--version s": 0.15, "single config s": 0.35}


def make_config(rng: random.Random, lines: int, name: str) -> str:
    out = ["Building configuration...", "", "version 15.2" if rng.random() < 0.5 else "version 17.9", f"hostname {name}"]
    out += ["service password-encryption"] if rng.random() < 0.5 else []
    out += [f"username op{u} privilege 15 {'secret 9 $9$abc' if rng.random() < 0.7 else 'password 7 0822455D0A16'}" for u in range(3)]
    out += ["banner motd ^C", "Notice: line vty 0 4", " transport input telnet", "^C"]
    acl = f"MGMT{rng.randrange(3)}"
    out += [f"ip access-list standard {acl}", " permit 192.0.2.0 0.0.0.255", " deny any log"]
    body: list[str] = []
    i = 0
    while len(out) + len(body) < lines - 12:
        i += 1
        kind = rng.random()
        if kind < 0.7:
            body += [f"interface GigabitEthernet{i // 48}/{i % 48}", f" description uplink {i}", f" ip address 10.{i % 250}.{i // 250 % 250}.1 255.255.255.0", " no shutdown", "!"]
        elif kind < 0.9:
            body += [f"access-list {100 + i % 99} permit tcp host 198.51.100.{i % 250} any eq {i % 1000}"]
        else:
            body += [f"ip route 10.{i % 250}.0.0 255.255.0.0 192.0.2.{i % 250}"]
    transport = rng.choice(["ssh", "telnet ssh", "all", None])
    vty = ["line con 0", " login local", "line vty 0 4", f" access-class {acl} in" if rng.random() < 0.6 else " login local"]
    vty += [f" transport input {transport}"] if transport else []
    vty += ["line vty 5 15", " login local", " transport input ssh", "end"]
    return "\n".join(out + body + vty) + "\n"


def timed(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fleet", type=int, default=2000, help="number of configs in the fleet (default 2000, of about 1,000 lines)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    exe = [sys.executable, "-m", "auditor"]
    rng = random.Random(42)
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="vty-bench-") as tmp:
        root = Path(tmp)
        sizes = {}
        for size in (1_000, 10_000, 100_000):
            path = root / f"size-{size}.cfg"
            path.write_text(make_config(rng, size, f"s{size}"))
            sizes[size] = path
        fleet = root / "fleet"
        fleet.mkdir()
        for n in range(args.fleet):
            text = make_config(rng, rng.choice([800, 900, 1000, 1100, 1200]), f"dev{n}")
            if n % 500 == 499:
                text = "Cisco IOS Software, Version 15.2\nuptime is 3 weeks\n"  # a few unrecognized inputs
            (fleet / f"dev{n:05d}.cfg").write_text(text)

        from loguru import logger

        from ciscoconfparse import CiscoConfParse

        logger.disable("ciscoconfparse")

        from auditor.engine import audit

        print(f"{'size':>8} {'audit s':>10} {'ccp parse s':>12} {'raw read s':>11} {'audit/parse':>12} {'audit/read':>11}")
        for size, path in sizes.items():
            data = path.read_bytes()
            repeat = 3 if size == 100_000 else 10
            t_audit = timed(lambda: audit(data, source=str(path)), repeat)
            t_parse = timed(lambda: CiscoConfParse(data.decode().splitlines(), syntax="ios"), 1 if size == 100_000 else 3)
            t_read = timed(lambda: path.read_bytes(), repeat)
            print(f"{size:>8} {t_audit:>10.4f} {t_parse:>12.4f} {t_read:>11.6f} {t_audit / t_parse:>12.3f} {t_audit / t_read:>11.0f}")
            if size == 100_000:
                results["100k-line config s"] = t_audit

        t = time.perf_counter()
        subprocess.run([*exe, "scan", str(fleet), "-f", "json", "-o", str(root / "fleet.json"), "--jobs", str(args.jobs)], check=False)
        wall = time.perf_counter() - t
        rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        import re

        line_vty = re.compile(r"^line vty .*$", re.M)
        t = time.perf_counter()
        for p in sorted(fleet.iterdir()):
            line_vty.findall(p.read_bytes().decode("utf-8", "replace"))
        read_wall = time.perf_counter() - t
        sample = sorted(fleet.iterdir())[:: max(1, args.fleet // 300)]
        t = time.perf_counter()
        for p in sample:
            CiscoConfParse(p.read_text().splitlines(), syntax="ios")
        ccp_rate = len(sample) / (time.perf_counter() - t)
        results["fleet configs/s"] = args.fleet / wall
        results["peak RSS MB"] = rss_mb
        print(
            f"fleet: {args.fleet} configs in {wall:.2f} s = {args.fleet / wall:.0f} configs/s with --jobs {args.jobs}; "
            f"floor (read + one regex pass, one process) {read_wall:.2f} s = {args.fleet / read_wall:.0f} configs/s; peak RSS {rss_mb:.0f} MB"
        )
        print(
            f"fleet, plain ciscoconfparse parse of every line (one process, {len(sample)} of the files): "
            f"{ccp_rate:.0f} configs/s, {args.fleet / ccp_rate:.0f} s for the fleet; scan/parse speed-up {args.fleet / wall / ccp_rate:.1f}x"
        )

        small = root / "small.cfg"
        small.write_text(make_config(rng, 150, "small"))

        def median_wall(command: list[str], runs: int = 10) -> float:
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                subprocess.run(command, capture_output=True, check=False)
                times.append(time.perf_counter() - t)
            return statistics.median(times)

        results["--version s"] = median_wall([*exe, "--version"])
        results["single config s"] = median_wall([*exe, "scan", str(small), "--isolated", "-o", os.devnull])
        bare = median_wall([sys.executable, "-c", "pass"])
        print(
            f"start-up (median of 10): scan of one {len(small.read_text().splitlines())}-line config {results['single config s']:.3f} s; "
            f"--version {results['--version s']:.3f} s; python -c pass {bare:.3f} s"
        )
        ccat = shutil.which("ccat")
        if ccat:
            print(f"ccat on the same config: {median_wall([ccat, str(small)]):.3f} s")
        else:
            print("ccat is not installed: no comparison")

    print()
    for name, target in TARGETS.items():
        value = results[name]
        ok = value >= target if name == "fleet configs/s" else value <= target
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {value:.3f} (target {'>=' if name == 'fleet configs/s' else '<='} {target})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
