from __future__ import annotations

import os
import re
import tempfile
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
DATA = Path(__file__).resolve().parent / "data"
CORPUS = ROOT.parent / "shared" / "corpus" / "ioscfg"

FIXTURE_FILES = sorted(p for p in FIXTURES.iterdir() if p.is_file())
_EXPECT = re.compile(r"^\s*!\s*expect:\s*(.+)$")

# Host keys learnt on first use go to a scratch state directory, never the user's.
os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="vty-auditor-tests-state-")


def expectations(path: Path) -> Counter:
    """(rule id, line) pairs annotated with `! expect: ID ...` on the line(s) before the fault."""
    lines = path.read_bytes().decode("latin-1").replace("\r\n", "\n").split("\n")
    expected: Counter = Counter()
    pending: list[str] = []
    for number, line in enumerate(lines, 1):
        m = _EXPECT.match(line)
        if m:
            pending += m.group(1).split()
            continue
        if line.strip().startswith("!") and not re.match(r"^\s*!\s*vty-auditor:", line):
            continue
        for rule_id in pending:
            expected[(rule_id, number)] += 1
        pending = []
    return expected


@pytest.fixture(params=FIXTURE_FILES, ids=lambda p: p.name)
def fixture_path(request) -> Path:
    return request.param


# Modules whose tests wait longest (simulated devices' timers and sessions, a pre-commit
# environment, the byte pins of every report) are collected first. Measured with `-n 8 --dist
# worksteal` on 2 cores: 83 to 87 s, against 87 to 91 s in file order; dealing them out evenly
# over the workers' shares, or the longest tests first, measured 93 to 95 s.
SLOW_FIRST = ("test_fix_apply.py", "test_precommit.py", "test_fuzz.py", "test_reading.py", "test_hostile_devices.py", "test_pull.py", "test_merge.py", "test_integrations.py")


def pytest_collection_modifyitems(session, config, items):
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(SLOW_FIRST)))  # stable: file order kept otherwise
