"""Answers without an LLM: the retrieved sentences that best cover the question, each cited."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant import lists
from assistant.grounding import BULLET, Span, coverage, is_list_item, passage_units, question_terms
from fonte.textpt import analyze, fold
from fonte.types import Chunk, Hit

MAX_SENTENCES = 3
"""At most this many cited sentences: the best one and two runners-up keep an answer short."""
MAX_CHARS = 700
"""Total quote characters, so an answer stays about a paragraph (the best unit is kept even if longer)."""
RELATIVE_CUTOFF = 0.6
"""A runner-up must score at least this share of the best unit, or it is off-topic padding."""
OWN_WEIGHT = 0.7
"""Share of a unit's score from its own words: what it says outweighs where it sits."""
CONTEXT_WEIGHT = 0.3
"""Share from its words plus its section title, so a unit under the asked-about heading wins ties."""
RANK_PRIOR = 0.05
"""Bonus divided by the hit's retrieval rank: breaks near-ties in favour of the better passage."""
LIST_ASKED_FACTOR = 1.1
"""Boost for a list unit when the question asks for a list ("quais", "liste", ...)."""
LIST_NOT_ASKED_FACTOR = 0.9
"""Damping for a list unit otherwise, so a defining sentence beats a list under the same heading."""


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
    name = list_name(unit)
    return f"{name}: {unit.rendered} {marks}" if name else f"{unit.rendered} {marks}"


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


def units(hit: Hit) -> list[Span]:
    return passage_units(hit.chunk.text, hit.chunk.body_offset)


LIST_INTENT = re.compile(r"^\W*(?:e\s+)?(?:quais|liste|listar|cite|enumere|que (?:ferramentas|tipos))\b")


def score_units(question: str, hits: list[Hit], idf: Callable[[str], float]) -> list[Unit]:
    terms = question_terms(question)
    # a list scored by its heading ties with a sentence that defines the same term:
    # prefer the list only when the question asks for one, or for one of its items
    asks_list = LIST_INTENT.match(fold(question)) or lists.asks_selection(question)
    list_factor = LIST_ASKED_FACTOR if asks_list else LIST_NOT_ASKED_FACTOR
    scored = []
    for hit in hits:
        title_stems = set(analyze(hit.chunk.title))
        for span in units(hit):
            quote = hit.chunk.text[span.start : span.end]
            stems = set(analyze(quote))
            in_context = coverage(terms, stems | title_stems, idf)
            # a list means nothing without its heading: score it in context
            own = coverage(terms, stems, idf)
            if is_list_item(hit.chunk.text, span):
                own = list_factor * in_context
            elif is_list_item(hit.chunk.text, span, last=True):
                # a lead-in and its items ("Acompanham a cafeteira:\n* jarra…"): a list whose
                # lead-in may not name the category its section title names
                own = max(own, min(1.0, list_factor * in_context))
            score = OWN_WEIGHT * own + CONTEXT_WEIGHT * in_context + RANK_PRIOR / hit.rank
            scored.append(Unit(hit=hit, span=span, score=score, support=in_context))
    return sorted(scored, key=lambda u: -u.score)


def select(
    question: str,
    hits: list[Hit],
    idf: Callable[[str], float],
    *,
    embedder: lists.Embedder | None = None,
) -> list[Unit]:
    """The item(s) of a list the question picks out, or the best unit, then close runners-up
    in reading order."""
    ranked = score_units(question, hits, idf)
    if not ranked:
        return []
    picked = shared_items(question, ranked) or chosen_items(question, ranked, idf, embedder)
    if picked:
        return picked
    chosen: list[Unit] = []
    budget = MAX_CHARS
    for unit in ranked:
        if len(chosen) == MAX_SENTENCES or unit.score < RELATIVE_CUTOFF * ranked[0].score:
            break
        if len(unit.quote) > budget and chosen:
            continue
        chosen.append(unit)
        budget -= len(unit.quote)
    best, *rest = chosen
    return [best, *sorted(rest, key=lambda u: (u.hit.rank, u.span.start))]


SHARED_OPENING = re.compile(r"^\W*(?:e\s+)?(?:qual\b|quais d[oa]s\b)")
"""An intersection question asks for one item ("Qual ferramenta aparece tanto…"); "Quais
ferramentas o DataOps também usa?" asks for a whole list."""


def chosen_items(
    question: str, ranked: list[Unit], idf: Callable[[str], float], embedder: lists.Embedder | None
) -> list[Unit]:
    """For "Qual das <lista> <propriedade>?": the items of the best-ranked list (among units
    close to the best) that clearly have the property; [] when none does (the caller then
    shows the list, or whatever ranked best)."""
    if not lists.asks_selection(question):
        return []
    close = [u for u in ranked if u.score >= RELATIVE_CUTOFF * ranked[0].score]
    found = ((u, lists.list_items(u.hit.chunk.text, u.span, u.hit.chunk.body_offset)) for u in close)
    best, items = next(((u, items) for u, items in found if items), (ranked[0], []))
    if not items:
        return []
    pieces = [(best.hit, span) for span in items] + _continuations(best.hit, ranked)
    text = best.hit.chunk.text
    context = best.hit.chunk.title + "\n" + _lead_in(text, items[0].start)
    quotes = [hit.chunk.text[span.start : span.end] for hit, span in pieces]
    chosen = lists.choose(question, quotes, context=context, idf=idf, embedder=embedder)
    return [Unit(pieces[i][0], pieces[i][1], best.score, best.support, item=True) for i in chosen or []]


def _continuations(hit: Hit, ranked: list[Unit]) -> list[tuple[Hit, Span]]:
    """Items of the same section's list in other retrieved chunks (a list cut by chunking),
    each item once (chunks overlap)."""
    seen = {
        lists.item_key(hit.chunk.text[s.start : s.end])
        for run in lists.list_runs(hit.chunk.text, hit.chunk.body_offset)
        for s in run
    }
    pieces = []
    others = {u.hit.chunk.chunk_id: u.hit for u in ranked if u.hit.chunk.chunk_id != hit.chunk.chunk_id}
    for other in others.values():
        if (other.chunk.source, other.chunk.title) != (hit.chunk.source, hit.chunk.title):
            continue
        for run in lists.list_runs(other.chunk.text, other.chunk.body_offset):
            for span in run:
                key = lists.item_key(other.chunk.text[span.start : span.end])
                if key not in seen:
                    seen.add(key)
                    pieces.append((other, span))
    return pieces


def shared_items(question: str, ranked: list[Unit]) -> list[Unit]:
    """For "Qual delas também aparece entre as de MLOps?": the items the two best-ranked
    lists share, each cited in both; [] unless two close lists share some but not all."""
    if not (lists.asks_shared(question) and SHARED_OPENING.match(fold(question))):
        return []
    found: list[tuple[Unit, list[Span]]] = []
    for unit in ranked:
        if unit.score < RELATIVE_CUTOFF * ranked[0].score or len(found) == 2:
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


def _lead_in(text: str, item_start: int) -> str:
    """The line before a list ("Acompanham a cafeteira:"), which names its category."""
    line_start = text.rfind("\n", 0, item_start) + 1
    previous_start = text.rfind("\n", 0, max(0, line_start - 1)) + 1
    previous = text[previous_start : max(previous_start, line_start - 1)]
    return previous if previous.rstrip().endswith(":") else ""
