"""One block per line: undo the hard wrapping of plain text and Markdown paragraphs.

Every loader returns text in which a newline ends a block (paragraph, list item, heading,
table row, code line), so a sentence never ends at a wrapped line (assistant/grounding.py).
HTML and DOCX are like that already and PDFs are reflowed from their layout (ingest/pdf.py);
plain text and Markdown written at a fixed width are joined back here.
"""

from __future__ import annotations

import re

LIST_OR_CODE = re.compile(r"^(?:\s{4,}|\t|\s*(?:[•◦▪*·–+>|#$-]|\d{1,2}[.)])\s)")
MIN_WRAP_WIDTH = 50
"""Narrower "wrapping" is a column of short lines (a poem, an address), not a paragraph."""
MAX_WRAP_WIDTH = 100
WRAPPED_SHARE = 0.5
"""A file is hard-wrapped when half its long lines end within a few characters of the width."""


def wrap_width(lines: list[str]) -> int | None:
    """The column a plain-text file was wrapped at, or None when its lines are paragraphs."""
    lengths = sorted(len(line.rstrip()) for line in lines if len(line.strip()) >= 20)
    if len(lengths) < 5:
        return None
    width = lengths[int(0.95 * (len(lengths) - 1))]
    near = sum(length >= width - 12 for length in lengths)
    if not MIN_WRAP_WIDTH <= width <= MAX_WRAP_WIDTH or near < WRAPPED_SHARE * len(lengths):
        return None
    return width


def unwrap_plain(text: str) -> str:
    """Join the lines of a hard-wrapped text file into one line per paragraph."""
    lines = text.split("\n")
    width = wrap_width(lines)
    if width is None:
        return text
    out: list[str] = []
    last_width = 0  # width of the last source line of out[-1]
    for line in lines:
        previous = out[-1] if out else ""
        if previous.strip() and line.strip() and _wraps(previous, last_width, line, width):
            out[-1] = f"{previous.rstrip()} {line.strip()}"
        else:
            out.append(line)
        last_width = len(line.rstrip())
    return "\n".join(out)


def _wraps(previous: str, last_width: int, line: str, width: int) -> bool:
    """`line` continues `previous` when its first word would not have fit on it."""
    if LIST_OR_CODE.match(line) or previous.startswith(("    ", "\t")):
        return False
    return last_width + 1 + len(line.split()[0]) > width - 2


def unwrap_markdown(text: str) -> str:
    """Join the soft-wrapped lines of each Markdown paragraph (hard breaks and tables stay)."""
    from markdown_it import MarkdownIt

    lines = text.split("\n")
    joins: set[int] = set()  # line i joins line i - 1
    for token in MarkdownIt("commonmark").parse(text):
        if token.type != "paragraph_open" or not token.map:
            continue
        start, end = token.map
        for i in range(start + 1, end):
            above, line = lines[i - 1], lines[i]
            hard_break = above.endswith(("  ", "\\"))
            if not (
                hard_break or line.lstrip().startswith(("|", ">")) or above.lstrip().startswith(("|", ">"))
            ):
                joins.add(i)
    out: list[str] = []
    for i, line in enumerate(lines):
        if i in joins:
            out[-1] = f"{out[-1].rstrip()} {line.strip()}"
        else:
            out.append(line)
    return "\n".join(out)
