"""Parse config lines once with ciscoconfparse into neutral blocks.

Only objects that are their own parent are real top-level sections: a
``line vty 0 4`` inside a banner body is a child of the banner and never
reaches the model. This is the only module that touches ciscoconfparse (the
parser seam: `tests/test_parser_contract.py` pins what the auditor needs of it).

ciscoconfparse costs tens of microseconds per line, so by default only the
top-level blocks the model reads are handed to it (`relevant_slice`): line
blocks (and flat sub-commands after them), ACLs, users, enable, AAA, SSH,
login and service commands, interfaces (for IPv6), hostname and version.
The slice is banner-aware: banner bodies are skipped whole. A test requires
identical findings from the sliced and the full parse on every fixture and on
the public corpus.
"""

from __future__ import annotations

import heapq
import re
import sys
import types
from dataclasses import dataclass, field

from auditor.cli_model import BANNER, skip_banner  # noqa: F401  (re-exported)
from auditor.keywords import FLAT_GLOBAL, FLAT_LINE_CMD, is_global_command, is_line_command, line_mode_takes  # noqa: F401  (re-exported)


@dataclass(frozen=True)
class Cmd:
    text: str  # stripped
    line: int  # 1-based line in the source


@dataclass(frozen=True)
class Block:
    cmd: Cmd
    children: list[Cmd] = field(default_factory=list)


_WANTED = re.compile(
    r"^(?:no\s+)?(?:line\s|access-list\s|ip\s+access-list\s|ipv6\s+access-list\s|username\s|enable\s|aaa\s"
    r"|ip\s+ssh\s|login\s|service\s|interface\s|hostname\s|version\s"
    # what the release model and the remediation read: IOS-XE markers, VRFs, SSH set-up
    r"|platform\s|license\s+boot\s|vrf\s+definition\s|ip\s+vrf\s|ip\s+domain|crypto\s+pki\s+trustpoint\s"
    r"|object-group\s+(?:network|ipv6)\s|archive\s*$|boot\s+system\s|crypto\s+ikev2\s+profile\s)",
    re.I,
)
# Interface sub-commands the model reads: IPv6 (VTY009), PPP authentication (peers whose
# password must stay reversible), VRF membership and addresses (vrf-also on access-classes,
# only where management arrives through a VRF).
_INTERFACE_CHILD = re.compile(r"^\s+(?:ipv6\s+(?:address|enable)|ppp\s+(?:authentication|chap|pap)|dialer\s+remote-name|(?:ip\s+)?vrf\s+forwarding|ip\s+address\s)", re.I)


_ACCESS_CLASS = re.compile(r"^\s*(?:ipv6\s+)?access-class\s+(\S+)", re.I)
_ACL_NAME = re.compile(r"^(?:no\s+)?(?:access-list\s+(\S+)|ip\s+access-list\s+(?:(?:standard|extended)\s+)?(\S+)|ipv6\s+access-list\s+(\S+))", re.I)


def relevant_slice(lines: list[str], acl_names: frozenset[str] = frozenset()) -> list[tuple[int, str]]:
    """(index, text) of the lines the model needs, in order; banner bodies skipped.

    ACLs are kept only when an `access-class` names them or they are in
    `acl_names` (the management ACL the remediation may reuse): nothing else
    in the model reads them.
    """
    wanted_acls = set(acl_names)
    for text in [t for t in lines if "access-class" in t]:
        m = _ACCESS_CLASS.match(text)
        if m:
            wanted_acls.add(m.group(1))
    # Walk the top-level lines only (comments do not end a section in IOS); the lines
    # between two of them are the first one's children. A Python step per top-level
    # line instead of per line is what makes a 100k-line config cheap.
    n = len(lines)
    tops = [i for i, t in enumerate(lines) if t and t[0] not in " \t!"]
    tops.append(n)
    ipv6_children = [x for x, t in enumerate(lines) if ("ipv6" in t or "ppp" in t or "vrf" in t or "dialer" in t or "address" in t) and _INTERFACE_CHILD.match(t)]
    next_v6 = 0
    out: list[tuple[int, str]] = []
    keep_block = False
    in_line_block = False
    line_flat = False  # the line block has no indented sub-command so far
    interface: tuple[int, str] | None = None  # an interface header, kept only if it has IPv6
    pos = 0  # the first line not yet looked at
    for i in tops:
        if i < pos:
            continue  # inside a banner body
        if line_flat and in_line_block:
            line_flat = not any(lines[x][:1] in " \t" and lines[x].strip()[:1] not in ("", "!") for x in range(pos, i))
        if interface is not None:
            while next_v6 < len(ipv6_children) and ipv6_children[next_v6] < pos:
                next_v6 += 1
            ipv6 = []
            while next_v6 < len(ipv6_children) and ipv6_children[next_v6] < i:
                ipv6.append((ipv6_children[next_v6], lines[ipv6_children[next_v6]]))
                next_v6 += 1
            if not any("vrf" in t.lower() for _, t in ipv6):  # an IPv4 address matters only in a VRF (vrf-also)
                ipv6 = [(x, t) for x, t in ipv6 if not t.lstrip().lower().startswith("ip address")]
            if ipv6:
                if out[-1:] != [interface]:
                    out.append(interface)
                out += ipv6
        elif keep_block:
            out += [(x, lines[x]) for x in range(pos, i) if lines[x][:1] in " \t" and lines[x].strip()]
        if i == n:
            break
        text = lines[i]
        m = BANNER.match(text) if text[:6].lower() == "banner" else None
        if m:
            pos = skip_banner(lines, i, m.group("rest"))
            keep_block = in_line_block = False
            continue
        pos = i + 1
        if in_line_block and line_mode_takes(text, line_flat):
            # A flat line block (no indented sub-command yet): line mode takes its own commands
            # first, `logging synchronous` included, though global mode has `logging` too.
            out.append((i, text))
            continue
        if in_line_block and not is_global_command(text):
            # Not a command of global mode: the device says "% Invalid input" and stays
            # in line mode, so the indented lines below are still line sub-commands.
            out.append((i, text))
            keep_block = True
            continue
        keep_block = bool(_WANTED.match(text))
        if keep_block and "access-list" in text[:20]:
            m = _ACL_NAME.match(text)
            keep_block = m is not None and next(g for g in m.groups() if g) in wanted_acls
        in_line_block = line_flat = keep_block and text[:5].lower() == "line "
        interface = (i, text) if keep_block and text[:10].lower() == "interface " else None
        if keep_block and interface is None:
            out.append((i, text))
    return out


def wanted_blocks(lines: list[str], wanted: re.Pattern) -> list[tuple[int, str]]:
    """(index, text) of the top-level lines `wanted` matches and all their indented lines, for a
    platform whose keywords are printed in full (NX-OS, IOS-XR); comments and banner bodies skipped."""
    out: list[tuple[int, str]] = []
    keep = False
    i, n = 0, len(lines)
    while i < n:
        text = lines[i]
        if not text or text[0] == "!":
            i += 1
            continue
        if text[0] in " \t":
            if keep and text.strip() and text.lstrip()[0] != "!":
                out.append((i, text))
            i += 1
            continue
        m = BANNER.match(text) if text[:6].lower() == "banner" else None
        if m:
            i, keep = skip_banner(lines, i, m.group("rest")), False
            continue
        keep = bool(wanted.match(text))
        if keep:
            out.append((i, text))
        i += 1
    return out


def command_words(text: str) -> tuple[list[str], list[str], bool]:
    """(words, the same in lower case, negated): a leading `no` is taken off both lists."""
    words = text.split()
    low = [w.lower() for w in words]
    negate = bool(low) and low[0] == "no"
    if negate:
        words, low = words[1:], low[1:]
    return words, low, negate


def parse(lines: list[str], full: bool = False, acl_names: frozenset[str] = frozenset()) -> list[Block]:
    """IOS lines to blocks: the relevant slice (or every line with `full`)."""
    return parse_all(list(enumerate(lines))) if full else parse_numbered(relevant_slice(lines, acl_names))


def load_parser():
    """The parser class, imported on first use (a fifth of a second: `--version`, `rules` and
    `explain` never pay it), with its logging silenced."""
    from ciscoconfparse import CiscoConfParse
    from loguru import logger

    logger.disable("ciscoconfparse")  # it logs to stdout through loguru; a report owns stdout
    _strip_catch_wrappers()
    return CiscoConfParse


_STRIPPED = False


def _reraising_catch(function) -> bool:
    """True for a function loguru's `logger.catch(reraise=True)` wrapped: its wrapper only
    logs an exception and raises it again, and that logging is disabled above."""
    if not isinstance(function, types.FunctionType) or function.__code__.co_name != "catch_wrapper":
        return False
    if not callable(getattr(function, "__wrapped__", None)):
        return False
    cells = dict(zip(function.__code__.co_freevars, function.__closure__ or ()))
    catcher = cells.get("catcher")
    if catcher is None:
        return False
    exit_ = type(catcher.cell_contents).__exit__
    options = dict(zip(exit_.__code__.co_freevars, exit_.__closure__ or ()))
    return "reraise" in options and options["reraise"].cell_contents is True


def _strip_catch_wrappers() -> None:
    """Call ciscoconfparse's own functions directly, not through its `logger.catch` wrappers.

    ciscoconfparse 1.9 wraps nearly every function and property in
    `@logger.catch(reraise=True)`: about a million wrapper calls for 40,000 lines, half of
    its parse time, spent preparing to log exceptions to a logger we disabled. Only wrappers
    that re-raise are replaced (by the function they wrap, `__wrapped__`), so behaviour is
    unchanged: an exception still propagates, unlogged as before. A wrapper of any other kind
    is left in place. The parser-contract test runs after this, on every fixture and corpus file.
    """
    global _STRIPPED
    if _STRIPPED:
        return
    _STRIPPED = True
    for name, module in list(sys.modules.items()):
        if name != "ciscoconfparse" and not name.startswith("ciscoconfparse."):
            continue
        for attr, value in list(vars(module).items()):
            if _reraising_catch(value):
                setattr(module, attr, value.__wrapped__)
            elif isinstance(value, type) and value.__module__ == name:
                _strip_class(value)


def _strip_class(cls: type) -> None:
    for attr, value in list(vars(cls).items()):
        if isinstance(value, property):
            fget, fset = value.fget, value.fset
            if _reraising_catch(fget) or _reraising_catch(fset):
                fget = getattr(fget, "__wrapped__") if _reraising_catch(fget) else fget
                fset = getattr(fset, "__wrapped__") if _reraising_catch(fset) else fset
                setattr(cls, attr, property(fget, fset, value.fdel, value.__doc__))
        elif isinstance(value, (staticmethod, classmethod)):
            if _reraising_catch(value.__func__):
                setattr(cls, attr, type(value)(getattr(value.__func__, "__wrapped__")))
        elif _reraising_catch(value):
            setattr(cls, attr, value.__wrapped__)


_NO_BRACES = str.maketrans({"{": "\ue07b", "}": "\ue07d"})  # private-use characters: never in a config


def parse_numbered(numbered: list[tuple[int, str]], full: bool = False) -> list[Block]:
    """(index, text) lines, as a platform sliced them (no banner bodies), to top-level blocks
    with their children.

    The parser reads the sections: every header with its children, and any line it could
    attach to one. A top-level line followed by another top-level command (or by nothing) has
    no children and is no other line's parent (the parser passes over `!` comments and blank
    lines when it looks back for a parent, so those do not count as the next command), so it
    becomes its own block here directly: 30,000 `username` lines cost a parser object each
    otherwise, four times a normal line. `full`: every line of the file (banners included)
    goes through the parser (`parse_all`)."""
    if full:
        return parse_all(numbered)
    alone = [text[:1] not in " \t" and (i + 1 == len(numbered) or _command(numbered[i + 1][1])) for i, (_, text) in enumerate(numbered)]
    if not any(alone):
        return parse_all(numbered)
    single = [Block(Cmd(text.strip(), index + 1), []) for (index, text), a in zip(numbered, alone) if a and text.strip()]
    sections = parse_all([item for item, a in zip(numbered, alone) if not a])
    return list(heapq.merge(single, sections, key=lambda block: block.cmd.line))


def _command(text: str) -> bool:
    """A top-level command line: not indented, not blank, not a comment, not a banner."""
    return text[:1] not in " \t!" and bool(text.strip()) and text[:6].lower() != "banner"


def parse_all(numbered: list[tuple[int, str]]) -> list[Block]:
    """(index, text) lines, every one through the parser, to top-level blocks with their children."""
    if not numbered:
        return []
    CiscoConfParse = load_parser()

    # One level of indentation for every child: the model reads a block's descendants
    # flat, and the parser, which looks back for each line's parent, then never looks
    # further than the block header (20,000 children alternating one and two spaces took
    # minutes; 1,000 growing indents overflowed its recursion).
    texts = [" " + text.lstrip() if text[:1] in " \t" else text for _, text in numbered]
    # It pairs `{`/`}` lines whatever the syntax (for brace-delimited configs) and raises on a
    # `}` it cannot pair: IOS has no such structure, so braces reach it as other characters
    # (each its own, so a banner delimited by `{` still ends at the next `{`). Blocks carry
    # the lines as written.
    if any("{" in t or "}" in t for t in texts):
        texts = [t.translate(_NO_BRACES) for t in texts]
    # Its config list reads the text twice when constructed with it (ciscoconfparse 1.9's
    # `ConfigList.__init__` calls `bootstrap_obj_init_ng` two times); an empty parse and one
    # bootstrap, ciscoconfparse's own re-read (`atomic()`), does the same work once.
    conf = CiscoConfParse([], syntax="ios", ignore_blank_lines=False)
    conf.ConfigObjs.bootstrap_obj_init_ng(texts)
    blocks: list[Block] = []
    for obj in conf.objs:
        if obj.parent is not obj or not obj.text.strip():
            continue
        # Every indented line is a direct child (one level, above), so `children`, in file
        # order, is all of them; `all_children` would sort a set of them again for each one.
        children = [Cmd(numbered[c.linenum][1].strip(), numbered[c.linenum][0] + 1) for c in obj.children if c.text.strip()]
        blocks.append(Block(Cmd(numbered[obj.linenum][1].strip(), numbered[obj.linenum][0] + 1), children))
    return blocks
