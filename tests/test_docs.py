"""The generated rule docs are committed and up to date."""

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
