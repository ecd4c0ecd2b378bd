"""Adversarial benchmark: `python bench/hostile.py [--base KB] [--scales 1,10,100]` from the repository root.

Each family of hostile input from the hostile-input issue is generated at the
base size times each scale, and audited in a fresh process (`auditor.engine.audit`,
the same code the CLI runs per input, then its JSON report). For each it prints
the whole process's CPU seconds (start, imports, read, audit, report: what the
decision on hostile input measures), the audit's own CPU seconds, peak RSS, the
ratio of whole-process CPU to a normal config of the same size (bench/run.py's
generator: interfaces, ACLs, users, banners, line blocks), and the growth
exponent of the audit's own time between the two largest scales (1.0 = linear;
2.0 = quadratic; the process's fixed start-up would hide growth). Verdicts:

  * linear: the exponent stays at or under 1.3;
  * bounded: at or under 5 x the normal config's whole-process CPU, and under 400 MB.

Timing goals live here, not in the test suite.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def _fill(lines_of, size: int) -> str:
    """Repeat `lines_of(i)` until the text reaches `size` bytes."""
    out, total, i = [], 0, 0
    while total < size:
        chunk = lines_of(i)
        out.append(chunk)
        total += len(chunk)
        i += 1
    return "".join(out)


HEAD = "version 15.2\nhostname hostile\n"
TAIL = "line vty 0 4\n transport input ssh\nend\n"

FAMILIES = {
    # line vty ranges up to the maximum, in many blocks, each with its own settings
    "line-ranges": lambda n: HEAD + _fill(lambda i: f"line vty {i % 1870} 1869\n exec-timeout {i % 60} 0\nline vty 0 99999999\n", n) + TAIL,
    # one suppression comment line of n bytes (a quadratic regex once)
    "suppression-long": lambda n: HEAD + "! vty-auditor: ignore[VTY001]" + " " * n + "x\n" + TAIL,
    # n bytes of consecutive suppression comments before one block
    "suppression-many": lambda n: HEAD + _fill(lambda i: '! vty-auditor: ignore[VTY003] reason="x"\n', n) + TAIL,
    # username lines (remediation rendering used list membership)
    "users": lambda n: HEAD + _fill(lambda i: f"username u{i} privilege 15 password 0 p{i}\n", n) + TAIL,
    # names that differ only in case: one placeholder base for all (DeviceModel.secret_placeholders must stay linear)
    "users-one-base": lambda n: HEAD + _fill(lambda i: f"username {''.join(c.upper() if i >> k & 1 else c for k, c in enumerate('abcdefghijklmnopqrst'))} privilege 15 password 0 p\n", n) + TAIL,
    # one large ACL named by up to 1,870 VTY sections with distinct settings
    "shared-acl": lambda n: (
        HEAD
        + "ip access-list standard BIG\n"
        + _fill(lambda i: f" permit 10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}\n", n // 2)
        + _fill(lambda i: f"line vty {i % 1870}\n access-class BIG in\n exec-timeout {i % 50} {i % 7}\n", n // 2)
        + "end\n"
    ),
    # children of a line block with indentation alternating between one and two spaces
    "indent-alternating": lambda n: HEAD + "line vty 0 4\n" + _fill(lambda i: (" " if i % 2 else "  ") + "exec-timeout 5 0\n", n) + "end\n",
    # children indented 1, 2, ... 1,000 spaces, repeated
    "indent-growing": lambda n: HEAD + "line vty 0 4\n" + _fill(lambda i: " " * (i % 1000 + 1) + "exec-timeout 5 0\n", n) + "end\n",
    # one long line of `Cisco IOS ` (the show-version recognition regex)
    "show-version-line": lambda n: "Cisco IOS " * (n // 10) + "\n",
    # prompt lines before the config (newlines were counted from the start for each)
    "prompts": lambda n: _fill(lambda i: "R1#show running-config\n", n) + HEAD + TAIL,
    # numbers of 5,000 digits and Unicode digits
    "big-numbers": lambda n: HEAD + "line vty 0 4\n" + _fill(lambda i: " exec-timeout " + "9" * 5000 + "\n exec-timeout \u00b2\n", n) + "end\n",
    # abbreviated commands everywhere
    "abbreviations": lambda n: HEAD + _fill(lambda i: f"lin vty {i % 1870}\n transp inp tel\n no logi\n access-cl A{i} in\n", n) + "end\n",
    # banners whose bodies hold prompt lines and config-like text
    "banner-prompts": lambda n: HEAD + _fill(lambda i: "banner motd ^C\nR1#show running-config\nline vty 0 4\n transport input telnet\n^C\n", n) + TAIL,
    # IOS-XR: a Telnet server and one VTY pool and line template after another (each its own access path)
    "iosxr-templates": lambda n: (
        "!! IOS XR Configuration 7.9.2\nhostname x\ntelnet vrf default ipv4 server max-servers 10\nssh server v2\n"
        + _fill(lambda i: f"line template T{i}\n transport input telnet ssh\n!\nvty-pool p{i} {i % 90 + 5} {i % 90 + 5} line-template T{i}\n", n)
        + "end\n"
    ),
    # global commands indented under interfaces
    "indented-globals": lambda n: HEAD + _fill(lambda i: f"interface Loopback{i}\n line vty {i % 1870}\n  transport input telnet\n username u{i} secret 9 x\n", n) + "end\n",
    # one flat line block whose every line line mode takes (read as pasted, not as printed)
    "flat-line-block": lambda n: HEAD + "line vty 0 4\n" + _fill(lambda i: "logging synchronous\nexec-timeout 5 0\n", n) + "end\n",
    # IOS-XR written flat: users and templates whose sub-commands are not indented
    "iosxr-flat": lambda n: "!! IOS XR Configuration 7.9.2\nhostname x\nssh server v2\n" + _fill(lambda i: f"username u{i}\ngroup root-lr\npassword 0 p{i}\n feature telnet\n", n) + "end\n",
}


def normal(n: int) -> str:
    from run import make_config

    rng = random.Random(7)
    lines = max(50, n // 30)
    text = make_config(rng, lines, "normal")
    while len(text) < n:
        lines = int(lines * n / max(1, len(text))) + 10
        text = make_config(rng, lines, "normal")
    return text


# Whole-process CPU, as the decision on hostile input measures it: the interpreter's start,
# the imports, the read, the audit and the JSON report of one input, in a fresh process. The
# audit alone is reported beside it, after a warm-up that loads the parser.
_MEASURE = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
from auditor.engine import audit
from auditor.reports import Report, render
audit(b"hostname warm\\nline vty 0 4\\n login\\nend\\n")  # loads the parser, which the input would load anyway
data = open(sys.argv[1], "rb").read()
start = time.process_time()
report = audit(data)
audit_seconds = time.process_time() - start
render("json", Report(devices=(report,)))
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": usage.ru_utime + usage.ru_stime, "audit_seconds": audit_seconds, "rss_mb": usage.ru_maxrss / 1024,
                  "status": report.status.value, "findings": len(report.findings)}))
"""


def measure(path: Path, timeout: float) -> dict:
    failed = {"seconds": float("inf"), "audit_seconds": float("inf"), "rss_mb": float("nan")}
    try:
        out = subprocess.run([sys.executable, "-c", _MEASURE, str(path), str(ROOT)], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {**failed, "status": f"over {timeout:g} s"}
    if out.returncode != 0:
        return {**failed, "status": "crashed: " + (out.stderr.strip().splitlines() or ["?"])[-1][:60]}
    return json.loads(out.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", type=int, default=100, help="base size in kB (default 100)")
    ap.add_argument("--scales", default="1,10,100", help="comma-separated multiples of the base size (default 1,10,100)")
    ap.add_argument("--only", default="", help="comma-separated family names (default: all)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds one measurement may take")
    args = ap.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    families = {k: v for k, v in FAMILIES.items() if not args.only or k in args.only.split(",")}
    failures = 0
    with tempfile.TemporaryDirectory(prefix="vty-hostile-") as tmp:
        baseline = {}
        for scale in scales:
            path = Path(tmp) / f"normal-{scale}.cfg"
            path.write_text(normal(args.base * 1000 * scale), encoding="utf-8")
            baseline[scale] = measure(path, args.timeout)
        print(f"{'family':20} {'scale':>5} {'bytes':>11} {'cpu s':>8} {'audit s':>8} {'peak MB':>8} {'x normal':>9} {'status':>12}")
        for scale in scales:
            b = baseline[scale]
            print(f"{'(normal config)':20} {scale:>5} {args.base * 1000 * scale:>11,} {b['seconds']:8.3f} {b['audit_seconds']:8.3f} {b['rss_mb']:8.0f} {1:9.1f} {b['status']:>12}")
        for name, make in families.items():
            times = {}
            worst_ratio, worst_rss = 0.0, 0.0
            for scale in scales:
                path = Path(tmp) / f"{name}-{scale}.cfg"
                path.write_text(make(args.base * 1000 * scale), encoding="utf-8")
                size = path.stat().st_size
                m = measure(path, args.timeout)
                times[scale] = m["audit_seconds"]
                ratio = m["seconds"] / max(baseline[scale]["seconds"], 1e-3)
                worst_ratio, worst_rss = max(worst_ratio, ratio), max(worst_rss, m["rss_mb"])
                print(f"{name:20} {scale:>5} {size:>11,} {m['seconds']:8.3f} {m['audit_seconds']:8.3f} {m['rss_mb']:8.0f} {ratio:9.1f} {m['status']:>12}")
            hi, lo = scales[-1], scales[-2] if len(scales) > 1 else scales[-1]
            exponent = math.log(max(times[hi], 1e-3) / max(times[lo], 1e-3)) / math.log(hi / lo) if hi != lo else 1.0
            linear = exponent <= 1.3
            bounded = worst_ratio <= 5 and worst_rss < 400
            failures += not (linear and bounded)
            print(
                f"{'':20} growth exponent {exponent:.2f} ({'linear' if linear else 'SUPERLINEAR'}); "
                f"worst {worst_ratio:.1f} x normal, {worst_rss:.0f} MB ({'bounded' if bounded else 'OVER 5 x / 400 MB'})"
            )
    print(f"{len(families) - failures} of {len(families)} families linear and bounded")
    return 0


if __name__ == "__main__":
    sys.exit(main())
