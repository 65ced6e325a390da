"""A citable unit of a retrieved passage, and how an answer says it: the quote rendered as a
sentence, led by its list's name when the quote is bare list items, every sentence cited."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.grounding import ABBREVIATION, BULLET, LIST_ITEM_CHAR_LIMIT, Span, is_list_item
from fonte.textpt import analyze
from fonte.types import Chunk, Hit


@dataclass(frozen=True)
class Unit:
    """A citable piece of a retrieved chunk: a sentence, a line, or a block of list items."""

    hit: Hit
    span: Span
    """Offsets in `hit.chunk.text`."""
    score: float
    support: float = 0.0
    """Share of the question's weighted terms found in the unit and its section title."""
    item: bool = False
    """One item cut out of a list, for a question that selects within it."""
    also: tuple[Unit, ...] = ()
    """The same item quoted from other lists (an item two lists share), cited with it."""
    before: tuple[Span, ...] = ()
    """The sentences an anaphoric unit leans on ("essa lacuna…" needs the one naming it),
    in reading order; quoted before it when it is chosen."""
    lines: bool = False
    """A lead-in and its unbulleted items: each line is said (and cited) as a sentence of its
    own, since the items carry no punctuation joining them into one."""
    stems: frozenset[str] = frozenset()
    """The question terms the unit was found to hold (its words, answer types, literals,
    paraphrases), as scored; empty for a unit not scored against the question."""

    @property
    def quote(self) -> str:
        return self.hit.chunk.text[self.span.start : self.span.end]

    @property
    def rendered(self) -> str:
        lines = [BULLET.sub("", line).strip().rstrip(".;") for line in self.quote.split("\n")]
        text = "; ".join(" ".join(line.split()) for line in lines if line.strip())
        text = text.replace(":;", ":")
        return text if text.endswith((".", "!", "?")) else text + "."


def cited(unit: Unit, cite: Callable[[Chunk, Span], int]) -> str:
    """The unit's text with its citation marks ("Airflow [1][2].": one per list quoted),
    led by the list's name when the quote is bare list items (see `list_name`)."""
    marks = "".join(f"[{cite(u.hit.chunk, u.span)}]" for u in (unit, *unit.also))
    if unit.lines or _announces_items(unit.quote):
        said = [" ".join(BULLET.sub("", line).split()).rstrip(".;") for line in unit.quote.split("\n")]
        said = [line for line in said if re.search(r"\w", line)]
        return " ".join(f"{line} {marks}" + ("" if line.endswith(":") else ".") for line in said)
    name = list_name(unit)
    text = _each_sentence_marked(unit.rendered, marks)
    return f"{name}: {text}" if name else text


def _announces_items(quote: str) -> bool:
    """A lead-in ending in ":" and bulleted items under it, some as long as a sentence, quoted
    as one block: each line is said as a sentence, as for unbulleted items ("lead-in: a; b;
    c; d" with sentence-long items is longer than any passage sentence that could back it;
    short items still read best joined: "Acompanham a cafeteira: jarra; filtro.")."""
    first, *rest = quote.split("\n")
    items = [line.strip() for line in rest if line.strip()]
    return (
        first.rstrip().endswith(":")
        and len(items) >= 2
        and all(BULLET.match(line) for line in items)
        and any(len(line) >= LIST_ITEM_CHAR_LIMIT for line in items)
    )


INNER_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
"""A sentence end inside a quote that sentence splitting kept whole: "…do ficheiro. chgrp(1)
é…" (a command name opens the next sentence in lower case)."""


def _each_sentence_marked(text: str, marks: str) -> str:
    """`text` with `marks` after each of its sentences (not after an abbreviation, "ex."), so
    every sentence of the answer is cited, even within one quote."""
    pieces, start = [], 0
    for end in INNER_END.finditer(text):
        if not ABBREVIATION.search(text[max(0, end.start() - 6) : end.start()]):
            pieces.append(text[start : end.start()])
            start = end.end()
    pieces.append(text[start:])
    return " ".join(f"{piece} {marks}" for piece in pieces)


def list_name(unit: Unit) -> str:
    """The section heading(s) naming the list a bare run of items (or a chosen item) comes
    from, so "DVC; Pachyderm; …" says which list it is; "" for a sentence, a list quoted
    with its own lead-in ("Acompanham a cafeteira: …"), or items that already state it.

    The heading is the chunk's title line, part of `chunk.text`, so a sentence naming it
    stays supported by the cited passage; the quote itself remains the items verbatim.
    """
    if not (unit.item or is_list_item(unit.hit.chunk.text, unit.span)):
        return ""
    quoted = set(analyze(" ".join(u.quote for u in (unit, *unit.also))))
    names = []
    for part in (unit, *unit.also):
        # "Quais problemas…?" would end a sentence of its own, uncited: keep the words only
        heading = " ".join(part.hit.chunk.section.split()).rstrip(".:;?! ")
        stems = set(analyze(heading))
        if stems and not stems <= quoted and heading not in names:
            names.append(heading)
    return "; ".join(names)
