"""PDF lines to paragraphs: soft wraps joined, hyphenation undone, one block per line.

A line continues the paragraph above when the one before it is full (the next line's first
word would not have fit on it), the font and indentation match and the gap is an ordinary
line gap; list items, code lines and table rows (short lines) stay lines of their own.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass, field

BULLET = re.compile(r"^(?:[•◦▪‣∙·●○■□➢►✓✔–—*-]|\(?\d{1,2}[.)]|\(?[a-z][)])\s+\S")
COMMAND = re.compile(r"^[#$]\s+\S")
# Portuguese clitics: "ajuda-\no" stays "ajuda-o"; other words split at a line end are rejoined
CLITICS = frozenset(re.findall(r"\w+", "o a os as lo la los las no na nos nas lhe lhes me te se vos mo ma"))
SOFT_HYPHENS = ("\u00ad",)
BREAK_HYPHENS = ("\ufffe", "\x02")
"""PDFium's marks for a hyphen at a line break: hyphenation or a compound's own hyphen."""
LINE_GAP_FACTOR = 1.4
"""A gap over 1.4× the usual line pitch separates paragraphs (Debian: 11.9 vs 17.9 pt)."""


@dataclass(frozen=True)
class Line:
    text: str
    page: int
    x0: float
    x1: float
    baseline: float
    size: float
    bold: bool
    mono: bool
    first_word: float
    """Width of the first word: a line is full when that word would not have fit before it."""


@dataclass
class PdfText:
    text: str
    headings: list[tuple[int, str, int]] = field(default_factory=list)
    """(level, title, offset) of each heading."""
    pages: list[int] = field(default_factory=list)
    """Offset where each page's text starts."""


def _pitch(pages: list[list[Line]]) -> float:
    """The usual distance between baselines of consecutive body lines."""
    gaps = [
        round(a.baseline - b.baseline, 1)
        for lines in pages
        for a, b in itertools.pairwise(lines)
        if a.size == b.size and not a.mono and a.baseline > b.baseline
    ]
    return statistics.median(gaps) if gaps else 0.0


def _right_margin(pages: list[list[Line]]) -> float:
    """Where full lines end: the 90th percentile of body lines' right edges."""
    ends = sorted(line.x1 for lines in pages for line in lines if not line.mono)
    return ends[int(0.9 * (len(ends) - 1))] if ends else 0.0


@dataclass
class _Layout:
    right: float
    pitch: float


def _continues(a: Line, b: Line, block_start: Line, layout: _Layout) -> bool:
    """Whether `b` is the soft-wrapped continuation of the paragraph ending with line `a`."""
    if a.mono or b.mono or BULLET.match(b.text) or COMMAND.match(b.text) or COMMAND.match(a.text):
        return False
    if not a.size or abs(a.size - b.size) > 0.6 or a.bold != b.bold:
        return False
    full = layout.right - a.x1 <= b.first_word + 0.5 * a.size + 2
    if not full:
        return False
    indented = b.x0 > a.x0 + 3 and not BULLET.match(block_start.text)
    if indented or b.x0 < block_start.x0 - 3:
        return False
    if a.page != b.page:  # across a page break only an obvious continuation
        return not a.text.endswith((".", "!", "?", ":")) and b.text[:1].islower()
    gap = a.baseline - b.baseline
    return 0 < gap <= LINE_GAP_FACTOR * (layout.pitch or a.size * 1.2)


def _join(paragraph: str, line: str) -> str:
    """Append a soft-wrapped line; a hyphen at the break is marked for `_dehyphenate`."""
    if paragraph.endswith(SOFT_HYPHENS):
        return paragraph[:-1] + line
    if paragraph.endswith(BREAK_HYPHENS[0]) or (re.search(r"\w-$", paragraph) and line[:1].isalpha()):
        return paragraph[:-1] + BREAK_HYPHENS[0] + line
    return f"{paragraph} {line}"


def _dehyphenate(text: str, hyphenated: set[str], words: set[str]) -> str:
    """Undo hyphenation at line breaks ("informa-ção" → "informação"), keeping real hyphens.

    A hyphen stays before a capital or digit, before a clitic ("ajuda-o"), and in a compound
    the document also writes with a hyphen inside a line ("sub-diretórios").
    """

    def decide(match: re.Match[str]) -> str:
        head, tail = match[1], match[2]
        keep = (
            not tail[:1].islower()
            or tail.lower() in CLITICS
            or (f"{head}-{tail}".lower() in hyphenated and f"{head}{tail}".lower() not in words)
        )
        return f"{head}-{tail}" if keep else head + tail

    text = re.sub(rf"(\w+){BREAK_HYPHENS[0]}(\w+)", decide, text)
    return text.replace(BREAK_HYPHENS[0], "-")


def _vocabulary(pages: list[list[Line]]) -> tuple[set[str], set[str]]:
    """Hyphenated words and plain words found inside lines (not split across them)."""
    text = " ".join(line.text[:-1] for lines in pages for line in lines).lower()
    text = re.sub(rf"\w+{BREAK_HYPHENS[0]}\w+", " ", text)
    return set(re.findall(r"\w+-\w+", text)), set(re.findall(r"\w+", text))


def reflow(pages: list[list[Line]], headings: dict[int, int]) -> PdfText:
    """One line per paragraph, list item, code line or heading (`headings`: {id(line): level})."""
    layout = _Layout(right=_right_margin(pages), pitch=_pitch(pages))
    hyphenated, words = _vocabulary(pages)
    out = PdfText(text="")
    parts: list[str] = []
    length = 0
    paragraph: list[Line] = []
    joined = ""
    page_starts: list[int] = []

    def emit(block: str, *, blank_before: bool = False) -> int:
        nonlocal length
        separator = ("\n\n" if blank_before else "\n") if parts else ""
        parts.append(separator + block)
        length += len(separator)
        start = length
        length += len(block)
        return start

    def flush() -> None:
        nonlocal paragraph, joined
        if paragraph:
            emit(_dehyphenate(joined, hyphenated, words))
        paragraph, joined = [], ""

    for lines in pages:
        page_starts.append(-1)
        for line in lines:
            level = headings.get(id(line))
            if level is not None:
                title = line.text.replace(BREAK_HYPHENS[0], "-")
                label = paragraph[0] if len(paragraph) == 1 else None
                if label and label.bold and label.size >= 0.8 * line.size and len(label.text.split()) <= 3:
                    title = f"{label.text}: {title}"  # "Capítulo 1" above "Manuais de GNU/Linux"
                    paragraph, joined = [], ""
                flush()
                offset = emit(title, blank_before=True)
                out.headings.append((level, title, offset))
                _mark_page(page_starts, offset)
                continue
            if paragraph and _continues(paragraph[-1], line, paragraph[0], layout):
                paragraph.append(line)
                joined = _join(joined, line.text)
                continue
            flush()
            paragraph, joined = [line], line.text
            _mark_page(page_starts, length + (1 if parts else 0))
    flush()
    out.text = "".join(parts)
    out.pages = _fill_pages(page_starts, len(out.text))
    return out


def _mark_page(page_starts: list[int], offset: int) -> None:
    if page_starts[-1] < 0:
        page_starts[-1] = offset


def _fill_pages(page_starts: list[int], end: int) -> list[int]:
    """A page whose text all continues the previous page's paragraph starts where the next does."""
    filled = []
    following = end
    for start in reversed(page_starts):
        following = start if start >= 0 else following
        filled.append(following)
    return list(reversed(filled))
