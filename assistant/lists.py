"""Selection within a list: which item of a bulleted list a question picks out.

"Qual das ferramentas de MLOps serve para versionar dados?" names a list (the category,
"ferramentas de MLOps") and a property ("serve para versionar dados"). Each item of the
list is scored against the property only, by lexical coverage and by dense similarity
(the collection's own embedder: "versionar dados" and "DVC (Data Version Control)" share
no word). An item answers only when it beats every other item by a clear margin; otherwise
the caller shows the whole list, which is true even when it is not the answer.

"Qual delas também aparece entre as de MLOps?" asks for the items two lists share; those
are found by equal item text, not by scoring.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np
from cachetools import LRUCache

from assistant.grounding import BULLET_INDENT_LIMIT, LIST_ITEM, Span, coverage, question_terms
from assistant.kin_words import said
from assistant.list_exclusion import EXCLUDING as EXCLUDING
from assistant.list_exclusion import ORDINALS, REMAINING, excluding
from fonte.textpt import analyze, fold

_LISTED_FIRST = r"(?:d|dentre\s+|entre\s+)[oa]s\s+[^,?]+,\s*"
"""The list named before the pick: "Das ferramentas que o texto cita, " (then "qual…")."""
SELECTION = re.compile(
    rf"^\W*(?:e\s+)?(?:(?P<which>qual|quais)\s+d[oa]s\b|{_LISTED_FIRST}(?P<after>qual|quais)\b)"
)
"""On the folded question: "Qual das ferramentas…", "Quais dos acessórios…", "Das ferramentas
que o texto cita, qual…" (the forms the follow-up rewriter gives "E qual delas…?")."""
_PLACED = r"(?:(?:e|sao|seria|seriam|foi|fica|ficam|vem|aparece|aparecem|esta|estao)\s+)?(?:em\s+)?"
ORDINAL_PICK = re.compile(
    rf"^{_PLACED}(?:[oa]s?\s+)?(?:item\s+)?(?P<ordinal>{'|'.join(ORDINALS)})[oa]s?"
    r"(?:\s+(?:lugar|item|posicao|da lista|na lista|citad[oa]s?))?$"
)
"""On the folded discriminative part: a pick by position ("é a terceira", "vem em primeiro lugar")."""
EDGE_PICK = re.compile(
    r"^(?:(?P<opens>abre|inicia|comeca)|fecha|encerra|termina|finaliza|conclui)\s+a\s+lista\b"
)
""""abre a lista" is the first item, "fecha a lista (de MLOps)" the last."""
NEIGHBOUR = re.compile(
    r"\b(?P<side>antes|depois|apos|anterior|seguinte|a seguir)\b"
    r"(?:\s+(?:a|ao|de|do|da|dos|das|o))*\s+(?P<name>.+)$"
)
"""On the folded part: a pick by its neighbour in the list ("aparece logo antes do Piper")."""
BETWEEN = re.compile(r"\bentre\s+(?:[oa]s?\s+)?(?P<a>.+?)\s+e\s+(?:[oa]s?\s+)?(?P<b>.+)$")
"""On the folded part: the items between two named ones ("fica entre o Airflow e o MLflow")."""
SHARED = re.compile(r"\b(?:tambem|tanto|ambas|ambos|nas duas|nos dois|em comum|se repetem?|repetid[oa]s?)\b")
"""On the folded question: the item asked for is in two lists ("também aparece entre…")."""
_OPENING = re.compile(r"^\W*(?:e\s+)?(?:qual|quais)\s+d[oa]s\s+", re.I)
_LIST_FIRST = re.compile(rf"^\W*(?:e\s+)?{_LISTED_FIRST}(?:qual|quais)\s+", re.I)
_CONNECTORS = frozenset({"de", "do", "da", "dos", "das", "e", "em", "no", "na", "nos", "nas"})
_WORD = re.compile(r"\S+")

DENSE_MARGIN = 0.018
"""Cosine lead the best item needs over the runner-up (multilingual-e5-small). Probed on
short lists: questions no item answers ("é a mais antiga", "custa mais caro", "vem na
caixa") led by at most 0.013; "versionar dados" → DVC leads by 0.052, "medir o pó" →
colher dosadora by 0.021."""
LEXICAL_WEIGHT = 0.1
"""Cosine-equivalent of an item holding every discriminative word: one shared content word
out of two (coverage 0.5) is worth a 0.05 cosine lead, more than any no-answer margin."""
LEXICAL_DECISIVE = 0.33
"""Coverage lead that settles the choice without embedding: one item holds a third of the
weight of the discriminative words more than any other (the challenge that names "fracasso
de grandes projetos" leads by 0.37; framing verbs like "costuma levar" keep it below 1).
Long items cost about 0.1 s each to embed on 2 busy cores."""
MAX_CHOSEN_SHARE = 0.5
"""A plural question ("Quais das…") may pick several items, but at most this share of the
list: picking most of it is no selection."""


class Embedder(Protocol):
    """What selection needs of the collection's embedder (LangChain's `Embeddings` fits)."""

    def embed_query(self, text: str) -> list[float]: ...

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...


def asks_selection(question: str) -> bool:
    return bool(SELECTION.match(fold(question)))


def asks_several(question: str) -> bool:
    """A plural pick ("Quais das…", "Das…, quais…") may name several items."""
    match = SELECTION.match(fold(question))
    return match is not None and "quais" in (match["which"], match["after"])


def asks_shared(question: str) -> bool:
    return bool(SHARED.search(fold(question)))


def list_runs(text: str, body_offset: int = 0) -> list[list[Span]]:
    """Runs of consecutive bulleted lines of a chunk's body, one item span per line (without
    its bullet). Long bullets are items too (a paragraph-style list of challenges)."""
    runs: list[list[Span]] = []
    position = body_offset
    previous_bulleted = False
    for line in text[body_offset:].split("\n"):
        start = position
        position += len(line) + 1
        bullet = LIST_ITEM.match(line)
        if bullet is None or len(line) - len(line.lstrip()) >= BULLET_INDENT_LIMIT:
            previous_bulleted = False
            continue
        if not previous_bulleted:
            runs.append([])
        # LIST_ITEM's match ends on the item's first character
        runs[-1].append(Span(start + bullet.end() - 1, start + len(line.rstrip())))
        previous_bulleted = True
    return runs


MARKED_LINE = re.compile(r"^[ \t]{0,3}(?:(?P<mark>[@#>+~]+)|\d{1,2}[.)])[ \t]+(?=\S)")
"""A line opened by a marker that is not a bullet ("@ MLOps - …", "# O objetivo…") or by a
number ("1. Lave…", "2) Seque…")."""


def marked_runs(text: str, body_offset: int = 0, mark: str | None = None) -> list[list[Span]]:
    """Runs of lines opened by one same marker (or by numbers), blank lines allowed between:
    "@ MLOps - …\n\n@ AIOps - …" lists its items without bullets. One item span per line;
    only runs of `mark` when given."""
    runs: list[tuple[str, list[Span]]] = []
    position, current = body_offset, None
    for line in text[body_offset:].split("\n"):
        start = position
        position += len(line) + 1
        if not line.strip():
            continue
        opened = MARKED_LINE.match(line)
        if opened is None:
            current = None
            continue
        if _mark(opened) != current:
            current = _mark(opened)
            runs.append((current, []))
        runs[-1][1].append(Span(start + opened.end(), start + len(line.rstrip())))
    return [run for opener, run in runs if mark is None or opener == mark]


def marker_of(text: str, span: Span) -> str | None:
    """The marker opening the line `span` starts on ("@", "#", "1." for numbers), if any."""
    opened = MARKED_LINE.match(text[text.rfind("\n", 0, span.start) + 1 :])
    return _mark(opened) if opened is not None else None


def _mark(opened: re.Match[str]) -> str:
    return opened["mark"] or "1."


def marked_items(text: str, span: Span, body_offset: int = 0, shortest: int = 2) -> list[Span]:
    """The items of the marked lines (`shortest` or more, see `marked_runs`) `span` overlaps."""
    return _overlapped(marked_runs(text, body_offset), span, shortest)


def list_items(text: str, span: Span, body_offset: int = 0) -> list[Span]:
    """The items of the bulleted list (two items or more) that `span` overlaps; [] outside one."""
    return _overlapped(list_runs(text, body_offset), span)


def _overlapped(runs: list[list[Span]], span: Span, shortest: int = 2) -> list[Span]:
    for run in runs:
        if len(run) >= shortest and span.start < run[-1].end and run[0].start < span.end:
            return run
    return []


def bullets_at(text: str, span: Span, body_offset: int = 0) -> list[Span]:
    """The bulleted items around `span`, also when they are one (a list cut by chunking)."""
    return _overlapped(list_runs(text, body_offset), span, shortest=1)


CLAUSE_MIN = 3
"""Parts a sentence must coordinate to be read as a list ("A, B e C"): "A e B" is one thing."""


def clause_items(text: str, span: Span) -> list[Span]:
    """The coordinated parts of the sentence `span`, "A, B e C" ("aumenta a qualidade,
    simplifica o processo e automatiza a implantação"), the first from the sentence's start;
    what follows the part closed by "e" after a comma is left out ("…, da infraestrutura à
    experiência do usuário"). [] for fewer than `CLAUSE_MIN` parts."""
    sentence = text[span.start : span.end]
    commas = list(re.finditer(r",\s+", sentence))
    starts = [0, *(m.end() for m in commas)]
    ends = [*(m.start() for m in commas), len(sentence.rstrip(" .;!?"))]
    bounds = list(zip(starts, ends, strict=True))
    for k, (start, end) in enumerate(bounds[1:], start=1):
        closing = re.search(r"\s+e\s+(?=\w)", sentence[start:end])
        if closing is not None:
            parts = [*bounds[:k], (start, start + closing.start()), (start + closing.end(), end)]
            return (
                [Span(span.start + a, span.start + b) for a, b in parts] if len(parts) >= CLAUSE_MIN else []
            )
    return []


def item_key(item: str) -> str:
    """An item's words, folded: the same item written in two lists (or two chunks) is equal."""
    return " ".join(re.findall(r"\w+", fold(item)))


def discriminative_part(question: str, context: str) -> str:
    """The words of a selection question beyond the list's category.

    "Qual das ferramentas de MLOps serve para versionar dados?" → "serve para versionar
    dados": the opening, the plural noun phrase after it (head noun, "de …" complements,
    plural adjectives) and words of the list's heading (`context`) are dropped.
    """
    listed_first = _LIST_FIRST.match(question.strip())
    if listed_first is not None:  # "Das ferramentas que o texto cita, qual serve para X?"
        asked = question.strip()[listed_first.end() :]
        return re.sub(r"\?\s*\(.*\)\s*$", "", asked).rstrip(" ?!.")  # no "(<previous question>)"
    rest = _OPENING.sub("", question.strip()).rstrip(" ?!.")
    if rest == question.strip().rstrip(" ?!."):
        return rest
    context_stems = set(analyze(context))
    words = _WORD.findall(rest)
    i = 1  # the head noun ("ferramentas", "acessórios", "desafios")
    while i < len(words):
        word = fold(words[i].strip(",;:"))
        if word in _CONNECTORS and i + 1 < len(words):
            i += 2
        elif word.endswith("s") or set(analyze(words[i])) <= context_stems:
            i += 1  # plural adjective ("citadas", "principais") or a heading word
        else:
            break
    return " ".join(words[i:])


def listed_part(question: str) -> str:
    """The words of a selection question that name its list: "ferramentas de MLOps que o
    documento cita" (and a list question carried in parentheses), without what is asked of
    the items."""
    asked = discriminative_part(question, "")
    carried = re.search(r"\(([^()]*)\)\W*$", question)
    head = question[: question.find(asked)] if asked and asked in question else question
    return f"{head} {carried[1] if carried else ''}".strip()


def choose(
    question: str,
    items: Sequence[str],
    *,
    context: str,
    idf: Callable[[str], float],
    embedder: Embedder | None,
) -> list[int] | None:
    """Indices (in list order) of the items `question` clearly picks out; None when none wins.

    `items` are in the order the document lists them: a pick by position ("é a terceira")
    or by neighbour ("logo antes do Piper") is read off that order."""
    if len(items) < 2:
        return None
    part = discriminative_part(question, context)
    keys = [item_key(i) for i in items]
    left = excluding(part, len(keys))
    if left is not None:  # "tirando a primeira, qual é a mais doce?": chosen among the rest
        kept, rest = left
        if not kept or not set(question_terms(rest)) - REMAINING:
            return kept or None
        among = choose(rest, [items[i] for i in kept], context=context, idf=idf, embedder=embedder)
        return [kept[i] for i in among] if among else None
    placed = by_position(part, keys)
    if placed is not None:
        return placed
    if any(_named(name, keys) is not None for name in NAME.findall(part)):
        return None  # "qual empresa desenvolve o DataKitchen?" asks about an item, not for one
    terms = _beyond(part, context)
    if not terms:
        return None
    texts = [" ".join(item.split()) for item in items]
    lexical = np.array([coverage(terms, said(part, terms, t), idf) for t in texts])
    order = [int(i) for i in np.argsort(-lexical, kind="stable")]
    if lexical[order[0]] - lexical[order[1]] >= LEXICAL_DECISIVE:
        return [order[0]]
    scores = LEXICAL_WEIGHT * lexical
    if embedder is not None:
        scores += similarities(embedder, part, texts)
    order = [int(i) for i in np.argsort(-scores, kind="stable")]
    most = max(1, int(len(items) * MAX_CHOSEN_SHARE)) if asks_several(question) else 1
    for n in range(1, most + 1):
        if scores[order[n - 1]] - scores[order[n]] >= DENSE_MARGIN:
            # similarity alone picks an item for any property ("escrita em Python" → DataKitchen
            # by 0.05): a chosen item must also say some of it, in its words or kin of them
            chosen = sorted(order[:n])
            return chosen if all(lexical[i] > 0 for i in chosen) else None
    return None


def asked_terms(question: str, context: str) -> list[str]:
    """Stems of what a selection question asks of an item: its discriminative part's content
    words that the list's heading and lead-in (`context`) do not hold."""
    return _beyond(discriminative_part(question, context), context)


def _beyond(part: str, context: str) -> list[str]:
    """The content stems of `part` that `context` does not hold."""
    context_stems = set(analyze(context))
    return [t for t in question_terms(part) if t not in context_stems]


NAME = re.compile(r"(?<!^)\b(?:[A-Z][A-Za-z0-9]*[A-Z]\w*|[A-Z][a-zà-ÿ]+)\b")
"""A name the question writes ("DataKitchen", "DVC", "Airflow"), not its first word."""


def by_position(part: str, keys: Sequence[str]) -> list[int] | None:
    """The items (of those whose `item_key`s are `keys`) a pick by position ("é a terceira",
    "fecha a lista"), by neighbour ("vem logo depois do Genie") or between two named items
    names; None when the part picks by none of these (or past the list's ends)."""
    folded = fold(part).strip()
    ordinal, edge = ORDINAL_PICK.match(folded), EDGE_PICK.match(folded)
    if ordinal is not None or edge is not None:
        index = ORDINALS[ordinal["ordinal"]] if ordinal is not None else 0 if edge and edge["opens"] else -1
        return [index % len(keys)] if -len(keys) <= index < len(keys) else None
    between = BETWEEN.search(folded)
    if between is not None:
        a, b = _named(between["a"], keys), _named(between["b"], keys)
        inside = list(range(min(a, b) + 1, max(a, b))) if a is not None and b is not None else []
        return inside or None
    neighbour = NEIGHBOUR.search(folded)
    anchor = _named(neighbour["name"], keys) if neighbour is not None else None
    if neighbour is None or anchor is None:
        return None
    step = -1 if neighbour["side"] in ("antes", "anterior") else 1
    return [anchor + step] if 0 <= anchor + step < len(keys) else None


def _named(name: str, keys: Sequence[str]) -> int | None:
    """The item a name stands for: "DVC" for "DVC (Data Version Control)"."""
    name = item_key(name)
    return next(
        (
            i
            for i, k in enumerate(keys)
            if k and (k == name or k.startswith(f"{name} ") or name.startswith(f"{k} "))
        ),
        None,
    )


def shared_items(
    text_a: str, items_a: Sequence[Span], text_b: str, items_b: Sequence[Span]
) -> list[tuple[Span, Span]]:
    """Items written alike in two lists, as (span in a, span in b), in a's order."""
    in_b = {item_key(text_b[s.start : s.end]): s for s in items_b}
    pairs = [(s, in_b.get(item_key(text_a[s.start : s.end]))) for s in items_a]
    return [(a, b) for a, b in pairs if b is not None]


ITEM_CACHE_SIZE = 4096
"""Item vectors kept per process: asking about the same list again embeds only the question
(a 10-item list of sentences costs 0.2-0.7 s to embed on 2 busy cores)."""
_item_cache: LRUCache[tuple[str, str], list[float]] = LRUCache(maxsize=ITEM_CACHE_SIZE)
_cache_lock = threading.Lock()  # an LRUCache is not thread-safe: reads reorder it


def similarities(embedder: Embedder, query: str, texts: list[str]) -> np.ndarray:
    """Cosine of `query` (embedded as a query) to each of `texts` (as passages, cached)."""
    return _cosines(embedder.embed_query(query), _item_vectors(embedder, texts))


def _item_vectors(embedder: Embedder, texts: list[str]) -> list[list[float]]:
    name = str(getattr(embedder, "name", type(embedder).__name__))
    with _cache_lock:
        known = {t: _item_cache[(name, t)] for t in texts if (name, t) in _item_cache}
    missing = [t for t in dict.fromkeys(texts) if t not in known]
    if missing:  # one batch for every text not cached
        known.update(zip(missing, embedder.embed_documents(missing), strict=True))
        with _cache_lock:
            _item_cache.update({(name, t): known[t] for t in missing})
    return [known[t] for t in texts]


def _cosines(query: list[float], items: list[list[float]]) -> np.ndarray:
    q = np.asarray(query, dtype=np.float64)
    m = np.asarray(items, dtype=np.float64)
    norms = np.linalg.norm(m, axis=1) * np.linalg.norm(q)
    return np.asarray(m @ q / np.where(norms == 0, 1.0, norms))
