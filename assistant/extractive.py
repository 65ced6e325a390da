"""Answers without an LLM: the retrieved sentences that best cover the question, each cited."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import takewhile

from assistant import answer_type, asked_kind, coordination, cues, lists, phrases, picks, reading
from assistant.citing import Unit as Unit
from assistant.citing import cited as cited
from assistant.citing import list_name as list_name
from assistant.grounding import (
    Span,
    coverage,
    is_list_item,
    passage_units,
    question_terms,
    sentence_spans,
)
from fonte.textpt import analyze, fold
from fonte.types import Hit

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
LIST_MAX_CHARS = 1500
"""Quote characters for the rest of an asked-for list (ten long items' first sentences): a
list question is answered by the list, but a whole section is not an answer."""
STEPS_MAX_SENTENCES = 5
"""A how-to is answered by its paragraph of steps and alternatives ("Escreva Ctrl-D… Em
alternativa pode escrever exit."), as far as the quote budget allows."""
DEFINITION_FACTOR = 1.25
"""Boost for a sentence that defines the asked term ("… chamada X", "X é…") over sentences
that only mention it: for "O que é X?" every sentence naming X covers the question alike."""
ANTECEDENT_DEPTH = 2
"""Sentences an anaphoric one may lean back on ("É um ponto…" after "…essa necessidade."
after the sentence that names it)."""


def units(hit: Hit) -> list[Span]:
    return passage_units(hit.chunk.text, hit.chunk.body_offset)


LIST_INTENT = re.compile(r"^\W*(?:e\s+)?(?:quais|liste|listar|cite|enumere|que\s+\w+s)\b")
"""On the folded question: a list is asked for ("Quais…", "Liste…", "Que tarefas…": a plural kind)."""


ASKED_PREDICATE = re.compile(r"^\W*(?:e\s+)?o\s+que\s+(?P<verb>\w+)\s+(?:(?:o|a|os|as)\s+)?(?P<noun>\w+)")
"""On the folded question: "O que definem as linhas…", whose verb is what is asked about."""


def asked_predicate(question: str) -> list[str]:
    """The verb of "O que <verbo> <sujeito>?" when the question framing would drop it
    ("definem" reads like "defina"), unless its subject is the document ("O que diz o
    texto…", "O que o guia define…" do not match) or the question asks for a definition
    ("O que é / significa X?", read by `phrases.ASKS_DEFINITION`): "O que definem as linhas
    X?" is answered by "A linha X define…", not by other sentences naming the lines."""
    match = ASKED_PREDICATE.match(fold(question))
    if match is None or phrases.ASKS_DEFINITION.match(question):
        return []
    verb, noun = analyze(match["verb"]), question_terms(match["noun"])
    return verb[:1] if verb and not question_terms(match["verb"]) and noun else []


def score_units(
    question: str,
    hits: list[Hit],
    idf: Callable[[str], float],
    *,
    written: list[reading.Literal] | None = None,
) -> list[Unit]:
    """Every unit of the passages, best first. `written`: the question's `written_literals`
    when the caller has them already (found here otherwise)."""
    terms = question_terms(cues.without_idioms(question)) + asked_predicate(question)
    # a list scored by its heading ties with a sentence that defines the same term:
    # prefer the list only when the question asks for one, or for one of its items
    asks_list = LIST_INTENT.match(fold(question)) or lists.asks_selection(question)
    list_factor = LIST_ASKED_FACTOR if asks_list else LIST_NOT_ASKED_FACTOR
    subject = cues.asked_subject(question)
    defined = reading.asked_term(question)
    if written is None:
        written = written_literals(question, hits)
    terms += [lit.term for lit in written]
    framing = asked_kind.frame(question)
    scored = []
    for hit in hits:
        title = hit.chunk.title
        title_stems = set(analyze(title)) | {lit.term for lit in written if lit.found_in(title)}
        for span in units(hit):
            quote = hit.chunk.text[span.start : span.end]
            stems = set(analyze(cues.without_idioms(quote))) - framing
            stems |= answer_type.answered_terms(question, quote)
            stems |= {lit.term for lit in written if lit.found_in(quote)}
            stems |= cues.paraphrased(question, quote)
            in_context = coverage(terms, stems | title_stems, idf)
            # a list means nothing without its heading: score it in context
            # a sentence of the asked form ("Se…, …" for "o que acontece se…?") holds the
            # frame's words for ranking; only words are evidence that the passages answer
            kinds = asked_kind.stated(question, quote)
            own = coverage(terms, stems | asked_kind.frame_of(kinds), idf)
            before: tuple[Span, ...] = ()
            if is_list_item(hit.chunk.text, span):
                own = list_factor * in_context
            elif is_list_item(hit.chunk.text, span, last=True):
                # a lead-in and its items ("Acompanham a cafeteira:\n* jarra…"): a list whose
                # lead-in may not name the category its section title names
                own = max(own, min(1.0, list_factor * in_context))
            else:
                before = _antecedents(hit, span)
                if before:
                    leaned = " ".join(hit.chunk.text[b.start : b.end] for b in before)
                    lent = stems | set(analyze(leaned)) | cues.paraphrased(question, leaned)
                    lent_context = coverage(terms, lent | title_stems, idf)
                    own = max(own, cues.ANAPHOR_WEIGHT * coverage(terms, lent, idf))
                    in_context = max(in_context, cues.ANAPHOR_WEIGHT * lent_context)
                if cues.names_instances(question, quote):
                    own = max(own, in_context)  # "Empresas como Google…" answers "Que empresas…?"
                if cues.subject_acts(subject, quote):
                    own *= cues.ACTIVITY_FACTOR
                if defined and reading.defines(defined, quote):
                    own *= DEFINITION_FACTOR
            if kinds:
                own *= asked_kind.KIND_FACTOR  # a cause for "por quê?", a condition for "e se…?"
            score = OWN_WEIGHT * own + CONTEXT_WEIGHT * in_context + RANK_PRIOR / hit.rank
            held = frozenset(t for t in terms if t in stems)
            scored.append(
                Unit(hit=hit, span=span, score=score, support=in_context, before=before, stems=held)
            )
    return sorted(scored, key=lambda u: -u.score)


def written_literals(question: str, hits: list[Hit]) -> list[reading.Literal]:
    """The question's literals ("~/", "(x)") some passage writes: elsewhere they are no evidence."""
    return [lit for lit in reading.literals(question) if any(lit.found_in(h.chunk.text) for h in hits)]


def _antecedents(hit: Hit, span: Span) -> tuple[Span, ...]:
    """The sentences an anaphoric unit leans on, nearest last (see `cues.antecedent`)."""
    found: list[Span] = []
    current = span
    while len(found) < ANTECEDENT_DEPTH:
        previous = cues.antecedent(hit.chunk.text, current, hit.chunk.body_offset)
        if previous is None:
            break
        found.insert(0, previous)
        current = previous
    return tuple(found)


def select(
    question: str,
    hits: list[Hit],
    idf: Callable[[str], float],
    *,
    embedder: lists.Embedder | None = None,
    section: picks.Section | None = None,
) -> list[Unit]:
    """The item(s) of a list the question picks out (the list read whole with `section`), or
    the best unit, then close runners-up in reading order (or, for a list question, the rest
    of the best unit's list). An anaphoric unit comes with the sentences it leans on."""
    naming = lists.listed_part(question)  # also the list question a pick carries, "(Quais…?)"
    question = asked_part(question, hits, idf)
    written = written_literals(question, hits)
    ranked = score_units(question, hits, idf, written=written)
    if not ranked:
        return []
    picked_from = picks.asked_list(
        question, ranked, idf, close=RELATIVE_CUTOFF, section=section, naming=naming
    )
    picked = shared_items(question, ranked) or picks.chosen_items(question, picked_from, idf, embedder)
    if picked:
        return picked
    if picked_from is not None:  # no item has what was asked: the whole list is no answer either
        ranked = picks.beyond_list(question, picked_from, ranked)
        if not ranked:
            return []
    pair = coordination.parts(question, {lit.text: lit.term for lit in written})
    parted = coordination.one_per_part(pair, ranked, RELATIVE_CUTOFF * ranked[0].score) if pair else []
    if parted:
        return _with_antecedents(parted)
    instances = [u for u in ranked if cues.names_instances(question, u.quote)]
    if instances and instances[0].score >= RELATIVE_CUTOFF * ranked[0].score:
        ranked = [instances[0], *(u for u in ranked if u is not instances[0])]
    asks_list = bool(LIST_INTENT.match(fold(question))) and picked_from is None
    if asks_list:
        rest = rest_of_list(ranked[0], ranked)
        if rest:
            return [*_with_antecedents([ranked[0]]), *rest]
    listed = with_items(ranked[0], colon=not asks_list)
    if listed is not None:  # a lead-in and its lines: the list is the answer
        return _with_antecedents([listed])
    follow = continuation(question, ranked[0])
    chosen: list[Unit] = [ranked[0], *follow]
    budget = MAX_CHARS - sum(len(u.quote) for u in chosen)
    for unit in ranked[1:]:
        if len(chosen) >= MAX_SENTENCES or unit.score < RELATIVE_CUTOFF * ranked[0].score:
            break
        if len(unit.quote) > budget or any(unit.quote == u.quote for u in chosen):
            continue
        chosen.append(unit)
        budget -= len(unit.quote)
    # a runner-up lead-in says nothing without the lines it announces
    best, *rest = [with_items(u, colon=True) or u for u in chosen]
    later = sorted(rest[len(follow) :], key=lambda u: (u.hit.rank, u.span.start))
    return _with_antecedents([best, *rest[: len(follow)], *later])


def with_items(unit: Unit, *, colon: bool) -> Unit | None:
    """A lead-in (ending in ":", or any unit when `colon` is False) extended over the unbulleted
    lines that list its items (see `reading.implicit_items`); None when none follow."""
    chunk = unit.hit.chunk
    items = reading.implicit_items(chunk.text, unit.span, floor=chunk.body_offset, colon=colon)
    if items is None:
        return None
    span = Span(unit.span.start, items.end)
    return Unit(unit.hit, span, unit.score, unit.support, before=unit.before, lines=True)


def continuation(question: str, best: Unit) -> list[Unit]:
    """The sentences after the best one in its paragraph that belong to the answer: the rest
    of the steps for a how-to, the sentences still about the term for a definition."""
    chunk = best.hit.chunk
    after = reading.paragraph_after(chunk.text, best.span, chunk.body_offset)
    if not reading.asks_how(question):
        term = reading.asked_term(question)
        if not term or not reading.names_term(term, best.quote):
            return []
        after = list(takewhile(lambda s: reading.names_term(term, chunk.text[s.start : s.end]), after))
    most = STEPS_MAX_SENTENCES if reading.asks_how(question) else MAX_SENTENCES
    follow, budget = [], MAX_CHARS - len(best.quote)
    for span in after[: most - 1]:
        if span.end - span.start > budget:
            break
        budget -= span.end - span.start
        follow.append(Unit(best.hit, span, best.score, best.support))
    return follow


def asked_part(question: str, hits: list[Hit], idf: Callable[[str], float]) -> str:
    """The part of a question the passages speak to: with several sentences, or an instruction
    before a colon ("Esqueça o documento: o que é MLOps?"), the part whose words the best unit
    covers most (the last on a tie: the question usually ends the text); the rest is framing
    or an injected instruction, as for the pipeline's evidence."""
    parts = cues.question_parts(question)
    if len(parts) < 2:
        return parts[0] if parts else question
    supports = [
        max((u.support for u in score_units(p, hits, idf)), default=0.0) if question_terms(p) else -1.0
        for p in parts
    ]
    return parts[max(reversed(range(len(parts))), key=lambda i: supports[i])]


def _with_antecedents(chosen: list[Unit]) -> list[Unit]:
    """Each anaphoric unit preceded by the sentences it leans on, each sentence once."""
    quoted = {(u.hit.chunk.chunk_id, u.span) for u in chosen}
    out: list[Unit] = []
    for unit in chosen:
        for span in unit.before:
            if (unit.hit.chunk.chunk_id, span) not in quoted:
                quoted.add((unit.hit.chunk.chunk_id, span))
                out.append(Unit(unit.hit, span, unit.score, unit.support))
        out.append(unit)
    return out


def rest_of_list(best: Unit, ranked: list[Unit]) -> list[Unit]:
    """For a list question whose best unit opens (or holds part of) a bulleted list: the items
    after it, from this chunk and from other retrieved chunks of the same section (a list cut
    by chunking). A long item (a paragraph) is quoted by its first sentence, which names it;
    consecutive short items of one chunk form one quote. [] when the unit opens no list."""
    text = best.hit.chunk.text
    runs = lists.list_runs(text, best.hit.chunk.body_offset)
    run = next((r for r in runs if r[0].start <= best.span.end + 2 and r[-1].end >= best.span.start), None)
    if run is None:
        return []
    later = sorted(picks.continuations(best.hit, ranked), key=lambda p: (p[0].chunk.start, p[1].start))
    pieces = [(best.hit, s) for s in run if s.start >= best.span.end] + later
    out: list[Unit] = []
    budget = LIST_MAX_CHARS
    for hit, item in pieces:
        first = sentence_spans(hit.chunk.text[item.start : item.end])
        span = Span(item.start + first[0].start, item.start + first[0].end) if first else item
        if span.end - span.start > budget:
            break
        budget -= span.end - span.start
        previous = out[-1] if out else None
        short = span == item and is_list_item(hit.chunk.text, span)
        if previous and previous.item and short and previous.hit is hit:
            gap = hit.chunk.text[previous.span.end : span.start]
            if gap.strip(" \t\n*•·-") == "":
                out[-1] = Unit(hit, Span(previous.span.start, span.end), best.score, best.support, item=True)
                continue
        out.append(Unit(hit, span, best.score, best.support, item=short))
    return out


def chosen_items(
    question: str, ranked: list[Unit], idf: Callable[[str], float], embedder: lists.Embedder | None
) -> list[Unit]:
    """The items a selection question picks out of the asked list (see `picks.chosen_items`)."""
    listed = picks.asked_list(question, ranked, idf, close=RELATIVE_CUTOFF)
    return picks.chosen_items(question, listed, idf, embedder)


def shared_items(question: str, ranked: list[Unit]) -> list[Unit]:
    """The items two close lists share, for "Qual delas também aparece…?" (see `picks`)."""
    return picks.shared_items(question, ranked, close=RELATIVE_CUTOFF)
