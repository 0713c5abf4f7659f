"""Markdown pieces for notebook cells: literal text, code spans, fences, coloured outcomes."""

from __future__ import annotations

import re

from derive.verdict import Outcome

_COLOURS = {   # the outcome colours of derive.render, for the Markdown beside the panel
    Outcome.PROVED: "#00a000",
    Outcome.AGREES: "#00a0a0",
    Outcome.REFUTED: "#d00000",
    Outcome.INCONCLUSIVE: "#a08000",
    Outcome.UNPARSED: "#b000b0",
    Outcome.PROSE: "#808080",
    Outcome.UNANSWERED: "#808080",
}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|$~])")


def escape(text: str) -> str:
    """Text as literal Markdown (no emphasis, links, HTML or math from its punctuation)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def code(text: str) -> str:
    """An inline code span that holds `text` whatever backticks it contains."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}"


def fence(text: str) -> str:
    fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence}text\n{text}\n{fence}"


def cell(text: str) -> str:
    return code(text).replace("|", "\\|")


def outcome_html(outcome: Outcome) -> str:
    weight = "font-weight:bold;" if outcome is Outcome.REFUTED else ""
    return f'<span style="color:{_COLOURS[outcome]};{weight}">{outcome.value}</span>'
