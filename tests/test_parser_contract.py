"""What the auditor needs from its parser (ciscoconfparse), pinned: if a release changes it, this fails and says what.

`auditor/parse.py` is the only module that touches the parser. It relies on:
top-level objects are exactly the unindented lines outside banner bodies, in
file order; each one's children are the indented lines up to the next
top-level command (any depth, flattened; a `!` comment is an object of its
own and ends no section, as in IOS); every line keeps its file line number
(blank lines are not dropped); a banner's body never becomes a section;
CRLF, latin-1 and tabs arrive already normalised by `auditor.text`.
"""

import pytest

from auditor.parse import BANNER, parse, parse_numbered, relevant_slice, skip_banner
from auditor.text import config_lines, decode
from conftest import CORPUS, FIXTURE_FILES

INPUTS = list(FIXTURE_FILES) + (sorted(p for p in CORPUS.iterdir() if p.suffix == ".cfg") if CORPUS.is_dir() else [])


def _reference(lines: list[str]) -> list[tuple]:
    """The contract, computed without the parser."""
    out = []
    i = 0
    while i < len(lines):
        text = lines[i]
        if not text.strip() or text[0] in " \t":
            i += 1
            continue
        m = BANNER.match(text)
        if m:
            end = skip_banner(lines, i, m.group("rest"))
            out.append((i + 1, text.strip(), None))  # a banner: its body is not ours to read
            i = end
            continue
        if text[0] == "!":  # a comment is an object of its own, and ends no section
            out.append((i + 1, text.strip(), []))
            i += 1
            continue
        children = []
        j = i + 1
        while j < len(lines) and (not lines[j].strip() or lines[j][0] in " \t!"):
            if lines[j].strip() and lines[j][0] != "!":
                children.append((j + 1, lines[j].strip()))
            j += 1
        out.append((i + 1, text.strip(), children))
        out += [(k + 1, lines[k].strip(), []) for k in range(i + 1, j) if lines[k][:1] == "!"]
        out.sort(key=lambda block: block[0])
        i = j
    return out


def _parsed(lines: list[str]) -> list[tuple]:
    return [(b.cmd.line, b.cmd.text, None if BANNER.match(b.cmd.text) else [(c.line, c.text) for c in b.children]) for b in parse(lines, full=True)]


MESSAGE = "{}: the parser no longer splits the config the way auditor/parse.py relies on (a ciscoconfparse release changed its blocks, children, line numbers or banners)"


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_the_slice_parses_into_its_top_level_blocks_with_children_and_line_numbers(path):
    """The audit's own path: the banner-aware slice, handed to the parser."""
    lines = config_lines(decode(path.read_bytes()))
    numbered = relevant_slice(lines)
    blocks = [(b.cmd.line, b.cmd.text, [(c.line, c.text) for c in b.children]) for b in parse_numbered(numbered)]
    expected = []
    for index, text in numbered:
        if text[:1] in " \t":
            expected[-1][2].append((index + 1, text.strip()))
        else:
            expected.append((index + 1, text.strip(), []))
    assert blocks == expected, MESSAGE.format(path.name)


# ciscoconfparse knows a fixed list of banner types; `banner prompt-timeout` (a real IOS banner) is
# not in it, so a full parse takes that banner's body for config. The audit never hands it banners:
# the slice skips every banner body itself (the test above); `full_parse` is a debugging aid.
UNKNOWN_BANNER_TYPES = {"banner-prompt.cfg"}


@pytest.mark.parametrize("path", [p for p in INPUTS if p.name not in UNKNOWN_BANNER_TYPES], ids=lambda p: p.name)
def test_a_full_parse_gives_top_level_blocks_with_their_children_and_line_numbers(path):
    lines = config_lines(decode(path.read_bytes()))
    assert _parsed(lines) == _reference(lines), MESSAGE.format(path.name)


def test_blank_lines_crlf_latin1_and_tabs_keep_file_line_numbers():
    raw = b"hostname r\xe9\r\n\r\n\r\nline vty 0 4\r\n\ttransport input telnet\r\n\r\n login\r\nbanner motd ^C\r\nline vty 5\r\n^C\r\nend\r\n"
    lines = config_lines(decode(raw))
    assert _parsed(lines) == [
        (1, "hostname r\xe9", []),
        (4, "line vty 0 4", [(5, "transport input telnet"), (7, "login")]),
        (8, "banner motd ^C", None),
        (11, "end", []),
    ]


def test_the_parser_writes_nothing_to_stdout_or_stderr(capfd):
    parse(["hostname r", "line vty 0 4", " transport input ssh", "interface Gi0/1", "  ip address 192.0.2.1 255.255.255.0"], full=True)
    assert capfd.readouterr() == ("", "")


def test_the_parser_runs_without_its_logging_wrappers_and_still_raises():
    """`load_parser` replaces ciscoconfparse's `logger.catch(reraise=True)` wrappers (half its
    parse time) by the functions they wrap; an error inside the parser still propagates."""
    import ciscoconfparse.ciscoconfparse as ccp

    from auditor.parse import load_parser

    parser = load_parser()
    for function in (parser.__init__, ccp.ConfigList.bootstrap_obj_init_ng, ccp.ConfigList.__init__):
        assert function.__code__.co_name != "catch_wrapper", function.__qualname__
    assert type(parser.objs).__name__ == "property" and parser.objs.fget.__code__.co_name == "objs"
    conf = parser([], syntax="ios", ignore_blank_lines=False)
    with pytest.raises(ValueError):
        conf.ConfigObjs.bootstrap_obj_init_ng(["hostname r1", 42])  # not a line of text


@pytest.mark.parametrize("stray", ["}", "  }", "{", "interface X {", "} end"])
def test_braces_are_text_to_the_parser_whatever_their_place(stray):
    # ciscoconfparse pairs braces for brace-delimited syntaxes and raised on an unpaired `}`
    lines = ["line vty 0 4", " transport input telnet", stray, "line vty 5 15", " login", "end"]
    blocks = parse(lines, full=True)
    texts = [b.cmd.text for b in blocks] + [c.text for b in blocks for c in b.children]
    assert stray.strip() in texts and "transport input telnet" in texts
