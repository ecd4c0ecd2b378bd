"""The generated rule docs are committed and up to date."""

from pathlib import Path

from auditor.docs import DOCS_DIR, generate


def test_generated_docs_are_current():
    pages = generate()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in DOCS_DIR.glob("*.md")}
    stale = sorted(name for name in pages if on_disk.get(name) != pages[name])
    extra = sorted(set(on_disk) - set(pages))
    assert (stale, extra) == ([], []), "run `python -m auditor.docs` and commit docs/rules/"


def test_every_rule_page_has_the_sections():
    pages = generate()
    for name, text in pages.items():
        if name != "README.md":
            assert "## What it does" in text and "## Fix safety" in text and "## References" in text, name


def test_the_option_tables_are_checked_against_the_cli():
    """The reference is checked against the code: every long option of every command is named in
    the README or a docs page, and every option an option table lists exists."""
    import re

    import typer.main

    from auditor.cli import app

    def options(command, path=()):
        found: dict[str, set[str]] = {}
        for param in command.params:
            for name in [*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ())]:
                if name.startswith("--"):
                    found.setdefault(name, set()).add(" ".join(path) or "vty-auditor")
        for name, sub in (getattr(command, "commands", None) or {}).items():
            for option, where in options(sub, (*path, name)).items():
                found.setdefault(option, set()).update(where)
        return found

    cli = options(typer.main.get_command(app))
    root = Path(__file__).resolve().parent.parent
    text = (root / "README.md").read_text(encoding="utf-8") + "".join(p.read_text(encoding="utf-8") for p in sorted((root / "docs").glob("*.md")))
    tables = "\n".join(line for line in text.splitlines() if line.startswith("| `-"))
    assert sorted(set(re.findall(r"--[a-z][a-z0-9-]*", tables)) - set(cli)) == []  # no stale option in a table
    mentioned = set(re.findall(r"--[a-z][a-z0-9-]*", text))
    assert sorted((option, sorted(where)) for option, where in cli.items() if option not in mentioned) == []
