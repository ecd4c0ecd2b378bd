"""The rule and platform registries: ids, docs, a failing and a passing fixture for every rule; one package per platform."""

import pkgutil
import re
from pathlib import Path

import rules
from auditor.engine import audit
from conftest import FIXTURE_FILES, FIXTURES, expectations

SECTIONS = ["## What it does", "## Why is this bad?", "## Example", "## Fix safety", "## References"]


def test_every_rule_module_is_registered():
    modules = {m.name for m in pkgutil.iter_modules(rules.__path__) if not m.name.startswith("_")}
    registered = {r.__module__.rsplit(".", 1)[-1] for r in rules.REGISTRY}
    assert modules == registered


def test_ids_unique_and_well_formed():
    ids = [r.meta.id for r in rules.REGISTRY]
    assert len(ids) == len(set(ids))
    assert ids == sorted(ids, key=lambda i: ({"VTY": 0, "LIN": 1, "PWD": 2, "NET": 3}[i[:3]], i))
    assert all(re.fullmatch(r"(VTY|PWD|LIN|NET)\d{3}", i) for i in ids)
    assert all(re.fullmatch(r"[a-z0-9-]+", r.meta.name) for r in rules.REGISTRY)
    assert {r.meta.id[:3] for r in rules.WIRE_RULES} == {"NET"} and not {r.meta.id[:3] for r in rules.ALL_RULES} & {"NET"}


def test_docstrings_have_the_house_sections():
    for rule in rules.REGISTRY:
        doc = rule.doc()
        assert doc.startswith(f"{rule.meta.id} {rule.meta.name}:"), rule.meta.id
        positions = [doc.find(s) for s in SECTIONS]
        assert -1 not in positions and positions == sorted(positions), rule.meta.id


def test_every_rule_has_a_failing_and_a_passing_fixture():
    annotated = set()
    for path in FIXTURE_FILES:
        annotated |= {rule_id for rule_id, _ in expectations(path)}
    assert annotated == {r.meta.id for r in rules.ALL_RULES} | {"VTY900", "VTY901"}
    assert audit((FIXTURES / "clean-ssh-only.cfg").read_bytes()).findings == ()


def test_every_platform_is_one_package_and_one_spec():
    """`SPECS` is the only list of platforms: each names a package whose `PLATFORM` carries the
    spec's name and its CLI model, and every platform label, device type and title derives from it."""
    import importlib

    from auditor.platforms import DEVICE_TYPES, NAMES, READERS, SPECS, TITLES, cli_of, get

    root = Path(__file__).resolve().parent.parent / "auditor" / "platforms"
    packages = sorted(p.name for p in root.iterdir() if (p / "__init__.py").is_file())
    assert packages == sorted(NAMES) == sorted(s.name for s in SPECS)
    for spec in SPECS:
        platform = importlib.import_module(spec.package).PLATFORM
        assert get(spec.name) is platform and platform.name == spec.name
        assert {"reader", "cli"} <= {p.stem for p in (root / spec.name).glob("*.py")}
        assert platform.cli is importlib.import_module(spec.package + ".cli").CLI
        assert all(READERS[label] == spec.name and cli_of(label) is platform.cli for label in spec.labels)
        assert all(DEVICE_TYPES[t] == spec.name for t in spec.device_types)
        assert TITLES[spec.name] == spec.title
    assert set(READERS) == {label for s in SPECS for label in s.labels}
