"""Markdown that shows document text literally, with the cited quote highlighted (Streamlit flavour)."""

from __future__ import annotations

import re

from fonte.types import Chunk

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=^\"'])")
"""Every character Streamlit Markdown could read as formatting, a link, HTML, LaTeX or a directive."""


def md_escape(text: str) -> str:
    """Document text as literal Markdown: no formatting, links, HTML, LaTeX or directives."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_lines(text: str) -> str:
    """Escaped text keeping its line breaks and paragraphs."""
    return _passage_md(text, 0, 0)


def _passage_md(text: str, start: int, end: int) -> str:
    """Escaped `text` with text[start:end] highlighted, line breaks and paragraphs kept."""
    paragraphs: list[list[str]] = [[]]
    pos = 0
    for line in text.split("\n"):
        line_start, line_end = pos, pos + len(line)
        pos = line_end + 1
        if not line.strip():
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        a, b = max(start, line_start), min(end, line_end)
        if a < b and line[a - line_start : b - line_start].strip():
            before, mark, after = (
                line[: a - line_start],
                line[a - line_start : b - line_start],
                line[b - line_start :],
            )
            rendered = f"{md_escape(before)}:orange-background[{md_escape(mark)}]{md_escape(after)}"
        else:
            rendered = md_escape(line)
        paragraphs[-1].append(rendered.strip())
    return "\n\n".join("  \n".join(p) for p in paragraphs if p)


def passage_md(chunk: Chunk, quote: str = "") -> str:
    """The passage (body, or whole text if the quote lies outside it) with the quote highlighted."""
    body_offset = chunk.body_offset
    at = chunk.text.find(quote) if quote else -1
    if at >= body_offset:
        return _passage_md(chunk.body, at - body_offset, at - body_offset + len(quote))
    if at >= 0:
        return _passage_md(chunk.text, at, at + len(quote))
    return md_lines(chunk.body or chunk.text)
