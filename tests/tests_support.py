"""Helpers shared by tests: the model of a config text, parsed the way the engine does."""

from auditor.platforms.ios import build_model
from auditor.parse import parse
from auditor.text import load


def model_of(text: str):
    decoded = load(text.encode())
    return build_model(parse(decoded.canonical), decoded.lines, decoded.ambiguous)
