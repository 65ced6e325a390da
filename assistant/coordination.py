"""Questions that coordinate two subjects or two purposes, answered one sentence per part.

"O que são internacionalização (I18N) e localização (L10N)?" and "Que ferramentas se usam
para scripts e para uma interface interativa?" ask two things at once. Documents answer such
questions side by side: "A linha X define… A linha Y define…", a list whose items are
"X: para…" and "Y: para…". The sentence that scores best on the whole question is often a
third one that merely names both parts (a note, a cross-reference), so sentence selection
alone misses both answers. Here each part of the question gets the sentence that names it,
preferably a pair of neighbouring sentences — each naming one part, the other's twin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.citing import Unit
from assistant.grounding import question_terms, sentence_spans
from assistant.phrases import WH_WORDS
from fonte.textpt import fold

TOKEN = re.compile(r"[\"“«][^\"“”«»]{1,40}[\"”»]|\(\w{1,8}\)|[\w][\w./-]*\w|\w")
"""A question's pieces: a quoted string, a short code in parentheses, a word ("deb-src",
"sources.list" stay whole)."""
COORDINATOR = re.compile(r"^e$", re.IGNORECASE)
"""The word joining the two parts ("X e Y"); "X ou Y" asks which of the two, not for both."""


@dataclass(frozen=True)
class Part:
    """One side of the coordination: the terms any of which name it in a sentence."""

    terms: frozenset[str]


def parts(question: str, literal_terms: dict[str, str]) -> tuple[Part, Part] | None:
    """The two coordinated parts of `question`: the run of content words right after the
    coordinator (after its articles and prepositions: "e para uma interface" → "interface"),
    and as many content words right before it ("…para scripts e…" → "scripts"). A quoted
    string counts as one word, its term the literal's (`literal_terms`: text → term).
    None without exactly one coordinator between content words, when a side names nothing
    of its own (the parts share every term), or when the coordination is the asked kind
    itself ("Quais ferramentas e plataformas…?")."""
    tokens = [m[0] for m in TOKEN.finditer(question)]
    joins = [i for i, t in enumerate(tokens) if COORDINATOR.match(t) and 0 < i < len(tokens) - 1]
    if len(joins) != 1:
        return None
    at = joins[0]
    if at >= 2 and fold(tokens[at - 2]) in WH_WORDS and question_terms(tokens[at - 1]):
        return None  # "Quais ferramentas e plataformas…": the asked kind, not two subjects
    after = tokens[at + 1 :]
    while after and not _content(after[0], literal_terms):
        after = after[1:]
    right = _run(after, literal_terms)
    left = _run(tokens[:at][::-1], literal_terms)[: len(right)]
    if not left or not right:
        return None
    a, b = _terms(left, literal_terms), _terms(right, literal_terms)
    if not a - b or not b - a:
        return None
    return Part(frozenset(a - b)), Part(frozenset(b - a))


def _content(token: str, literal_terms: dict[str, str]) -> bool:
    return _literal(token) in literal_terms or bool(question_terms(token))


def _literal(token: str) -> str:
    return token.strip('"“”«»')


def _run(tokens: list[str], literal_terms: dict[str, str]) -> list[str]:
    run: list[str] = []
    for token in tokens:
        if not _content(token, literal_terms):
            break
        run.append(token)
    return run


def _terms(tokens: list[str], literal_terms: dict[str, str]) -> set[str]:
    found: set[str] = set()
    for token in tokens:
        literal = literal_terms.get(_literal(token))
        found |= {literal} if literal else set(question_terms(token))
    return found


def one_per_part(pair: tuple[Part, Part], ranked: list[Unit], floor: float) -> list[Unit]:
    """A sentence for each part, each naming its part and not the other, among the units
    scoring at least `floor`: the best pair of neighbouring sentences of one passage when
    there is one (the document answering both side by side, even when a third sentence
    names both parts, such as a note on the two words, but not when the best unit is itself
    a block of sentences naming both, such as a list of the two), else — when the best unit
    does not name both parts — the best unit of each part. [] otherwise, or when a part has no such
    unit (no padding: the caller answers as usual)."""
    best = ranked[0]
    if all(names(p, best) for p in pair) and len(sentence_spans(best.quote)) > 1:
        return []  # "A linha X define…\n• A linha Y define…" as one list block: already one per part
    close = [u for u in ranked if u.score >= floor]
    only = [[u for u in close if names(p, u) and not names(q, u)] for p, q in (pair, pair[::-1])]
    if not all(only):
        return []
    twins = [
        (a, b)
        for a in only[0]
        for b in only[1]
        if a.hit.chunk.chunk_id == b.hit.chunk.chunk_id and _neighbours(a, b, ranked)
    ]
    if twins:
        a, b = max(twins, key=lambda ab: ab[0].score + ab[1].score)
    elif all(names(p, best) for p in pair):
        return []
    else:
        a, b = only[0][0], only[1][0]
    return sorted((a, b), key=lambda u: (u.hit.rank, u.span.start))


def names(part: Part, unit: Unit) -> bool:
    return bool(part.terms & unit.stems)


def _neighbours(a: Unit, b: Unit, ranked: list[Unit]) -> bool:
    """Whether no other unit of their passage lies between `a` and `b`."""
    low, high = sorted((a.span, b.span), key=lambda s: s.start)
    return not any(
        u.hit.chunk.chunk_id == a.hit.chunk.chunk_id and low.end <= u.span.start and u.span.end <= high.start
        for u in ranked
    )
