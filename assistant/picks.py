"""Picks within a list over ranked units: the item(s) a selection question names, and the
items two lists share.

"Qual das ferramentas de MLOps serve para versionar dados?" (or the rewriter's "Das
ferramentas que o documento cita, qual serve…?") picks from the list of the best-ranked unit
close to the best: a bulleted list, or, when none is there, lines opened by one same marker
("@ …", "1. …"). The list runs on in other retrieved chunks of its section (a list cut by
chunking) and is read in document order, so a pick by position ("a terceira") counts right.
`lists.choose` decides which items the question names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from assistant import kin_words, lists
from assistant.citing import Unit
from assistant.grounding import Span, coverage, question_terms
from fonte.textpt import fold
from fonte.types import Chunk, Hit

SHARED_OPENING = re.compile(r"^\W*(?:e\s+)?(?:qual\b|quais d[oa]s\b)")
"""An intersection question asks for one item ("Qual ferramenta aparece tanto…"); "Quais
ferramentas o DataOps também usa?" asks for a whole list."""


@dataclass(frozen=True)
class Listed:
    """The list a selection question picks from."""

    best: Unit
    """The ranked unit the list was found in."""
    pieces: list[tuple[Hit, Span]]
    """Its items, each once, in document order (also from other chunks of its section)."""
    context: str
    """Its section title and lead-in line, which name its category."""

    @property
    def quotes(self) -> list[str]:
        """Its items' text."""
        return [hit.chunk.text[span.start : span.end] for hit, span in self.pieces]


Section = Callable[[Chunk], Sequence[Chunk]]
"""Every chunk of a chunk's section in document order (`SectionIndex.section_of`)."""


def asked_list(
    question: str,
    ranked: list[Unit],
    idf: Callable[[str], float],
    *,
    close: float,
    section: Section | None = None,
    naming: str | None = None,
) -> Listed | None:
    """The list a selection question ("Qual das…") picks from; None for other questions or
    when no ranked unit is in a list.

    Every list a ranked unit is in is a candidate: its bulleted items with those of other
    retrieved chunks of its section (a list cut by chunking, down to one item per chunk), or
    lines opened by one marker; so are the coordinated parts of a close sentence. The list
    whose heading and lead-in hold most of the words naming the list ("dores de cabeça das
    equipes" ~ "os desafios que as equipes enfrentam") wins; on a tie, written lists of
    units scoring at least `close` times the best first, then the parts of their
    sentences, then lists further down. With `section`, a list is read whole, also from the
    chunks of its section that retrieval did not bring back. `naming` is what names the list
    (`lists.listed_part` of the question by default)."""
    if not ranked or not lists.asks_selection(question):
        return None
    near = [u for u in ranked if u.score >= close * ranked[0].score]
    candidates: list[Listed] = []
    seen: set[tuple[str, int]] = set()
    # lists the document writes as lists, then the parts of a close sentence ("aumenta a
    # qualidade, simplifica… e automatiza…"), then lists further down
    written: Callable[[Unit], Listed | None] = partial(_list_of, ranked=ranked, section=section)
    lists_of = [written, _clauses_of, written]
    groups = [near, near, ranked[len(near) :]]
    for unit, list_of in ((u, f) for f, group in zip(lists_of, groups, strict=True) for u in group):
        listed = list_of(unit)
        if (
            listed is not None
            and (key := (listed.best.hit.chunk.title, _position(*listed.pieces[0]))) not in seen
        ):
            seen.add(key)
            candidates.append(listed)
    if not candidates:
        return None
    naming = lists.listed_part(question) if naming is None else naming
    named = question_terms(naming)
    fit = [
        coverage(named, kin_words.said(naming, named, c.context), idf) if named else 0.0 for c in candidates
    ]
    # on a tie, the list whose items are named by the words naming the list ("Quais 'Ops'…?":
    # "MLOps - …", "AIOps - …"), not one whose sentences merely mention them
    by_name = [
        sum(bool(set(named) & kin_words.said(naming, named, _name(q))) for q in c.quotes) / len(c.pieces)
        for c in candidates
    ]
    return candidates[max(range(len(candidates)), key=lambda i: (fit[i], by_name[i], -i))]


NAMED_ITEM = re.compile(r"^\s*(?P<name>[^\n:]{1,40}?)\s+(?:-|–|—|:)\s+\S")
"""An item "Nome - descrição" (or "Nome: descrição"): its name is what comes before the dash."""


def _name(item: str) -> str:
    """What names an item: the part before "Nome - …", else its first word."""
    named = NAMED_ITEM.match(item)
    return named["name"] if named is not None else item.split(maxsplit=1)[0] if item.strip() else ""


def _list_of(unit: Unit, ranked: list[Unit], section: Section | None = None) -> Listed | None:
    """The list `unit` is in (see `asked_list`), or None."""
    chunk = unit.hit.chunk
    others = _other_hits(unit.hit, ranked, section)
    pieces: list[tuple[Hit, Span]] = []
    bullets = lists.bullets_at(chunk.text, unit.span, chunk.body_offset)
    if bullets:
        pieces = [(unit.hit, s) for s in bullets] + _continued(unit.hit, others)
    marked = lists.marked_items(chunk.text, unit.span, chunk.body_offset, shortest=1)
    if len(pieces) < 2 and marked:
        runs = partial(lists.marked_runs, mark=lists.marker_of(chunk.text, marked[0]))
        pieces = [(unit.hit, s) for s in marked] + _continued(unit.hit, others, runs)
    if len(pieces) < 2:
        return None
    pieces.sort(key=lambda piece: _position(*piece))
    first_hit, first = pieces[0]
    return Listed(unit, pieces, f"{chunk.title}\n{_lead_in(first_hit.chunk.text, first.start)}")


def _clauses_of(unit: Unit) -> Listed | None:
    """The coordinated parts of a sentence unit (`lists.clause_items`) as a list; the sentence's
    opening ("DataOps é a capacidade de …") names what they are."""
    chunk = unit.hit.chunk
    parts = [] if unit.item or "\n" in unit.quote else lists.clause_items(chunk.text, unit.span)
    if not parts:
        return None
    opening = chunk.text[unit.span.start : parts[0].end]
    return Listed(unit, [(unit.hit, s) for s in parts], f"{chunk.title}\n{opening}")


def chosen_items(
    question: str,
    listed: Listed | None,
    idf: Callable[[str], float],
    embedder: lists.Embedder | None,
) -> list[Unit]:
    """For "Qual das <lista> <propriedade>?": the items of the asked list (`asked_list`) that
    clearly have the property (or sit at the asked position); [] when none does."""
    if listed is None:
        return []
    chosen = lists.choose(question, listed.quotes, context=listed.context, idf=idf, embedder=embedder)
    best = listed.best
    return [
        Unit(listed.pieces[i][0], listed.pieces[i][1], best.score, best.support, item=True)
        for i in chosen or []
    ]


def beyond_list(question: str, listed: Listed, ranked: list[Unit]) -> list[Unit]:
    """When no item as a whole has the asked property, the list is no answer, nor is another
    sentence of the section, nor an item the pick did not choose: the ranked sentences inside
    one long item ("governança de IA" deep in a paragraph-long item) that say some of what
    was asked of the items."""
    asked = set(lists.asked_terms(question, listed.context))
    by_chunk: dict[str, list[Span]] = {}
    for hit, span in listed.pieces:
        by_chunk.setdefault(hit.chunk.chunk_id, []).append(span)

    def in_one_item(unit: Unit) -> bool:  # a sentence of it, not the item whole (no pick by the back door)
        held = [
            s
            for s in by_chunk.get(unit.hit.chunk.chunk_id, [])
            if s.start < unit.span.end and unit.span.start < s.end
        ]
        return len(held) == 1 and not (unit.span.start <= held[0].start and held[0].end <= unit.span.end)

    return [u for u in ranked if u.stems & asked and in_one_item(u)]


def continuations(
    hit: Hit, ranked: list[Unit], runs: Callable[[str, int], list[list[Span]]] = lists.list_runs
) -> list[tuple[Hit, Span]]:
    """Items of the same section's list (bulleted, or the `runs` given) in other retrieved
    chunks (a list cut by chunking), each item once (chunks overlap)."""
    return _continued(hit, _other_hits(hit, ranked), runs)


def _other_hits(hit: Hit, ranked: list[Unit], section: Section | None = None) -> list[Hit]:
    """The other retrieved chunks of `hit`'s section and, with `section`, the rest of it (not
    retrieved: no score)."""
    others = {
        u.hit.chunk.chunk_id: u.hit
        for u in ranked
        if u.hit.chunk.chunk_id != hit.chunk.chunk_id
        and (u.hit.chunk.source, u.hit.chunk.title) == (hit.chunk.source, hit.chunk.title)
    }
    last = max((u.hit.rank for u in ranked), default=0)  # ranks start at 1
    missed = [
        c for c in (section(hit.chunk) if section is not None else ()) if c.chunk_id != hit.chunk.chunk_id
    ]
    for n, chunk in enumerate(c for c in missed if c.chunk_id not in others):
        others[chunk.chunk_id] = Hit(chunk, 0.0, rank=last + 1 + n)  # after every retrieved chunk
    return list(others.values())


def _continued(
    hit: Hit, others: list[Hit], runs: Callable[[str, int], list[list[Span]]] = lists.list_runs
) -> list[tuple[Hit, Span]]:
    """The items of `runs` in the `others` chunks that `hit` does not hold, each once."""
    seen = {
        lists.item_key(hit.chunk.text[s.start : s.end])
        for run in runs(hit.chunk.text, hit.chunk.body_offset)
        for s in run
    }
    pieces = []
    for other in others:
        for run in runs(other.chunk.text, other.chunk.body_offset):
            for span in run:
                key = lists.item_key(other.chunk.text[span.start : span.end])
                if key not in seen:
                    seen.add(key)
                    pieces.append((other, span))
    return pieces


def shared_items(question: str, ranked: list[Unit], *, close: float) -> list[Unit]:
    """For "Qual delas também aparece entre as de MLOps?": the items the two best-ranked
    lists share, each cited in both; [] unless two close lists share some but not all."""
    if not (
        lists.asks_shared(question)
        and (SHARED_OPENING.match(fold(question)) or lists.asks_selection(question))
    ):
        return []
    found: list[tuple[Unit, list[Span]]] = []
    for unit in ranked:
        if unit.score < close * ranked[0].score or len(found) == 2:
            break
        items = lists.list_items(unit.hit.chunk.text, unit.span, unit.hit.chunk.body_offset)
        if items and all(items != seen for u, seen in found if u.hit == unit.hit):
            found.append((unit, items))
    if len(found) < 2:
        return []
    (a, items_a), (b, items_b) = found
    pairs = lists.shared_items(a.hit.chunk.text, items_a, b.hit.chunk.text, items_b)
    if not pairs or len(pairs) == min(len(items_a), len(items_b)):
        return []
    return [
        Unit(a.hit, span_a, a.score, a.support, item=True, also=(Unit(b.hit, span_b, b.score, b.support),))
        for span_a, span_b in pairs
    ]


def _position(hit: Hit, span: Span) -> int:
    """Where a span of a chunk's text sits in its document."""
    return hit.chunk.start + span.start - hit.chunk.body_offset


def _lead_in(text: str, item_start: int) -> str:
    """The line before a list ("Acompanham a cafeteira:"), which names its category."""
    line_start = text.rfind("\n", 0, item_start) + 1
    previous_start = text.rfind("\n", 0, max(0, line_start - 1)) + 1
    previous = text[previous_start : max(previous_start, line_start - 1)]
    return previous if previous.rstrip().endswith(":") else ""
