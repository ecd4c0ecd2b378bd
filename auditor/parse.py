"""Parse config lines once with ciscoconfparse2 into neutral blocks.

Only objects that are their own parent are real top-level sections: a
``line vty 0 4`` inside a banner body is a child of the banner and never
reaches the model. This is the only module that touches ciscoconfparse2.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cmd:
    text: str  # stripped
    line: int  # 1-based line in the source


@dataclass(frozen=True)
class Block:
    cmd: Cmd
    children: list[Cmd] = field(default_factory=list)


def parse(lines: list[str]) -> list[Block]:
    from loguru import logger

    logger.disable("ciscoconfparse2")
    from ciscoconfparse2 import CiscoConfParse

    conf = CiscoConfParse(lines, syntax="ios", ignore_blank_lines=False)
    blocks: list[Block] = []
    for obj in conf.objs:
        if obj.parent is not obj or not obj.text.strip():
            continue
        children = [Cmd(c.text.strip(), c.linenum + 1) for c in obj.all_children if c.text.strip()]
        blocks.append(Block(Cmd(obj.text.strip(), obj.linenum + 1), children))
    return blocks
