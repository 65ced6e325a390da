"""Comparison questions: two sides, each answered from its own passages.

"Compare o foco do MLOps com o do DataOps", "Em que o Engenheiro de Machine Learning difere
do Engenheiro DataOps?", "O DevOps e o MLOps compartilham…?" ask about two things. Ranking
the passage units against the whole question lets one side win every slot, so the answer
cites MLOps only. Here each side is ranked on its own (its name plus the question's other
content words, the aspect compared: "foco", "papel", "juntar desenvolvimento e operações"),
from the retrieved passages and from a search of its own, and the answer gives the best
sentence(s) of each side, each cited, in the order the question names them. A sentence that
names both sides ("O Engenheiro DataOps tem um perfil mais amplo que o Engenheiro de
Dados.") is the comparison itself and answers alone. A side's defining sentence ("DataOps
(Operações de Dados) é…") wins its ties, and wins outright when the question asks for the
definitions. A side no passage names is left out (nothing is said about it); when neither
side is named anywhere the answer abstains.

Not comparisons: a question with one side ("Qual a diferença de tempo do ciclo de
lançamento?", "A que o DataOps é comparado?"), an alternative that asks which list holds an
item ("O DVC é ferramenta de MLOps ou de DataOps?": "ou" counts only next to a comparative
word), and "tanto X quanto Y", which asks for what two lists share (`lists.asks_shared`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from assistant.extractive import MAX_CHARS, RELATIVE_CUTOFF, Unit, score_units
from assistant.grounding import question_terms
from assistant.phrases import MENTIONS_DEFINITION, WH_WORDS, noun_phrases
from fonte.textpt import analyze, fold, stopwords
from fonte.types import Hit

PER_SIDE = 2
"""Units per side: the best and one close runner-up (a side's defining sentence often ties
with the sentence after it, and the fact asked for may sit in either)."""
BOTH_SIDES = 2
"""Units naming both sides kept at most: the comparison stated by the text, and one more."""

_R = r"[^,;:?!.]+?"
"""A side's region: words up to the next connector, never across punctuation."""
_ENTRE = r"(?:\s+(?:de|d[oa]s?|n[oa]s?)\s+[^,;:?!.]*?)?\s+entre\s+"
_TO = r"(?:com|a|ao|à|aos|às|e)"
PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        # "a diferença (de preço) entre X e Y", "semelhanças entre X e Y", "comparação entre…"
        rf"\b(?:diferen[cç]as?|distin[cç](?:[aã]o|[oõ]es)|semelhan[cç]as?|compara[cç](?:[aã]o|[oõ]es))"
        rf"{_ENTRE}(?P<a>{_R})\s+(?:e|ou)\s+(?P<b>{_R})\s*(?:[,;:?!.]|$)",
        # "a diferença do X para o Y"
        rf"\bdiferen[cç]as?\s+(?:d[oa]s?|de)\s+(?P<a>{_R})\s+(?:para|em\s+rela[cç][aã]o\s+a)\s+(?P<b>{_R})\s*(?:[,;:?!.]|$)",
        # "Compare X com Y", "comparar X e Y", "faça uma comparação do X com o Y"
        rf"\bcompar(?:e|ar|ando|a[cç][aã]o)\b(?:\s+entre)?\s+(?P<a>{_R})\s+{_TO}\s+(?P<b>{_R})\s*(?:[,;:?!.]|$)",
        # "Como X se compara a Y", "X comparado com Y"
        rf"(?P<a>{_R})\s+(?:se\s+compara(?:m)?|comparad[oa]s?)\s+(?:com|a|ao|à|aos|às)\s+(?P<b>{_R})\s*(?:[,;:?!.]|$)",
        # "Em que X difere de Y", "X se diferencia do Y", "X é diferente do Y", "X se parece com Y"
        rf"(?P<a>{_R})\s+(?:(?:se\s+)?(?:difere|diferem|diferencia|diferenciam|distingue|distinguem)|"
        rf"(?:é|são)\s+(?:diferentes?|semelhantes?|parecid[oa]s?|similar(?:es)?)|se\s+(?:parecem?|assemelham?))"
        rf"\s+(?:d[oa]s?|de|com|a|ao|à|em\s+rela[cç][aã]o\s+a[o]?)\s+(?P<b>{_R})\s*(?:[,;:?!.]|$)",
        # "X e Y compartilham…", "X e Y diferem?", "X e Y são a mesma coisa?"
        rf"(?P<a>{_R})\s+e\s+(?P<b>{_R})\s+(?:(?:se\s+)?(?:diferem|diferenciam|distinguem|parecem|assemelham)|"
        rf"compartilham|t[eê]m\s+em\s+comum|s[aã]o\s+(?:iguais|diferentes|parecid[oa]s|semelhantes|"
        rf"equivalentes|intercambi[aá]veis|a\s+mesma\s+coisa))\b",
        # "X versus Y", "X vs. Y"
        rf"(?P<a>{_R})\s+(?:versus|vs\.?)\s+(?P<b>{_R})\s*(?:[,;:?!.]|$)",
        # "Qual tem o perfil mais amplo, X ou Y?": an alternative next to a comparative word
        rf"\b(?:mais|menos|melhor|pior|maior|menor)\b[^?!.]*?(?:^|[,:]|\s)\s*(?P<a>{_R})\s+ou\s+(?P<b>{_R})\s*(?:[,;:?!.]|$)",
    )
]
CUES = frozenset(
    analyze(
        "compare comparar compara comparam comparado comparação comparações diferença diferenças "
        "difere diferem diferencia diferenciam diferente diferentes distingue distinguem distinção "
        "semelhança semelhanças semelhante semelhantes parece parecem parecido similar similares "
        "assemelha compartilham comum versus vs igual iguais mesma coisa equivalentes "
        "intercambiáveis ambos ambas dois duas"
    )
)
"""Words that say "compare", not what is compared: no passage must hold them."""
FRAMING = frozenset(analyze("explique explicar explica base definições definição conforme acordo"))
"""Words that frame the request ("Explique com base no texto", "segundo as definições")."""
DEFINITION_BONUS = 0.1
"""Added to a side's defining sentence: about one shared content word, so it wins ties
("MLOps é um conjunto…" over "MLOps = ML + DEV + OPS") but not a sentence with the aspect."""
DEFINITION_ASKED_BONUS = 1.0
"""When definitions are asked for, a defining sentence outranks any other (scores are ≤ 1.05)."""
_WORD = re.compile(r"[\wÀ-ÿ]+(?:-[\wÀ-ÿ]+)*")


@dataclass(frozen=True)
class Comparison:
    """The two sides of a comparison question and the aspect compared."""

    sides: tuple[str, str]
    """As the question writes them, in its order: ("MLOps", "DataOps")."""
    aspect: str
    """The question's other content words ("foco", "ideia juntar desenvolvimento operações")."""


def detect(question: str) -> Comparison | None:
    """The comparison `question` asks for, or None when it names fewer than two sides."""
    for pattern in PATTERNS:
        match = pattern.search(question)
        if match is None:
            continue
        a = _side(question, match.start("a"), match.end("a"))
        b = _side(question, match.start("b"), match.end("b"))
        if a and b and question_terms(a) != question_terms(b):
            side_stems = set(question_terms(a)) | set(question_terms(b))
            aspect = [
                w
                for w in _WORD.findall(question)
                if (s := question_terms(w)) and not set(s) & (side_stems | CUES | FRAMING)
            ]
            return Comparison((a, b), " ".join(dict.fromkeys(aspect)))
    return None


def _side(question: str, start: int, end: int) -> str:
    """The compared term in a region: its first name ("o papel do Engenheiro DataOps" →
    "Engenheiro DataOps"), else the region without its leading and trailing small words."""
    named = [p for p in noun_phrases(question) if p.head_named and start <= p.start and p.end <= end]
    if named:
        return named[0].core
    words = _WORD.findall(question[start:end])
    small = stopwords() | WH_WORDS | {"entre", "em"}
    while words and fold(words[0]) in small:
        words.pop(0)
    while words and fold(words[-1]) in small:
        words.pop()
    text = " ".join(words)
    return text if question_terms(text) else ""


@lru_cache(maxsize=4096)
def _analyzed(text: str) -> tuple[str, ...]:
    """`analyze`, cached: each sentence is checked against both sides and the paragraph."""
    return tuple(analyze(text))


def _names(stems: Sequence[str], side: Sequence[str]) -> bool:
    """Whether `side`'s stems appear in `stems` in a row ("Engenheiro de Dados" in "funções de
    Engenheiro de Dados", not in "Engenheiros DataOps … utilização de dados")."""
    n = len(side)
    return n > 0 and any(tuple(stems[i : i + n]) == tuple(side) for i in range(len(stems) - n + 1))


def select(
    question: str,
    hits: list[Hit],
    idf: Callable[[str], float],
    *,
    search: Callable[[str], list[Hit]] | None = None,
) -> list[Unit] | None:
    """Units answering a comparison (both sides cited, in the question's order); [] when no
    passage names either side; None when `question` is not a comparison."""
    comparison = detect(question)
    if comparison is None:
        return None
    sides = [question_terms(s) for s in comparison.sides]
    both = _both_sides(question, hits, idf, sides)
    if both:
        return both
    wants_definitions = bool(MENTIONS_DEFINITION.search(fold(question)))
    per_side: list[list[Unit]] = []
    for n, side in enumerate(comparison.sides):
        query = f"{side} {comparison.aspect}".strip()
        candidates = hits
        if search is not None:  # the side's own passages first: the question's may favour the other
            own = search(query)
            seen = {h.chunk.chunk_id for h in own}
            candidates = own + [h for h in hits if h.chunk.chunk_id not in seen]
        taken = {u.quote for units in per_side for u in units}
        side_units = _side_units(
            query, candidates, idf, side, sides[n], sides[1 - n], comparison.aspect,
            taken=taken, wants_definitions=wants_definitions,
        )  # fmt: skip
        per_side.append(side_units)
    return _within_budget(per_side)


def _both_sides(
    question: str, hits: list[Hit], idf: Callable[[str], float], sides: list[list[str]]
) -> list[Unit]:
    """Close units whose own words name both sides: the text's own comparison."""
    ranked = score_units(question, hits, idf)
    naming = [u for u in ranked if all(_names(_analyzed(u.quote), s) for s in sides)]
    if not naming:
        return []
    kept = [u for u in naming if u.score >= RELATIVE_CUTOFF * naming[0].score]
    return _unique(kept)[:BOTH_SIDES]


def _side_units(
    query: str,
    hits: list[Hit],
    idf: Callable[[str], float],
    side_text: str,
    side: list[str],
    other: list[str],
    aspect: str,
    *,
    taken: set[str],
    wants_definitions: bool,
) -> list[Unit]:
    """The best units about one side: its defining sentence first, then one that also holds
    the aspect compared. A unit is about the side when its own words, the start of its
    paragraph, or its section title name the side and not the other one."""

    def about(unit: Unit) -> bool:
        if _names(_analyzed(unit.quote), side):
            return True
        text = unit.hit.chunk.text
        paragraph = _analyzed(text[text.rfind("\n", 0, unit.span.start) + 1 : unit.span.start])
        section = _analyzed(unit.hit.chunk.section)
        return any(_names(c, side) and not _names(c, other) for c in (paragraph, section))

    defines = _definition(side_text)
    bonus = DEFINITION_ASKED_BONUS if wants_definitions else DEFINITION_BONUS
    aspect_stems = set(question_terms(aspect))
    ranked = sorted(
        (
            (u.score + (bonus if defines.search(u.quote) else 0.0), u)
            for u in score_units(query, hits, idf)
            if u.quote not in taken and about(u)
        ),
        key=lambda pair: -pair[0],
    )
    if not ranked:
        return []
    best_score, best = ranked[0]
    chosen = [best]
    for score, unit in ranked[1:]:
        if len(chosen) == PER_SIDE or score < RELATIVE_CUTOFF * best_score:
            break
        says_more = defines.search(unit.quote) or aspect_stems & set(_analyzed(unit.quote))
        if says_more and unit.quote not in {c.quote for c in chosen}:
            chosen.append(unit)
    return chosen


def _definition(side: str) -> re.Pattern[str]:
    """A clause that defines the side: "DataOps (Operações de Dados) é…", "Big Data: …", "…,
    os Engenheiros DataOps são…"; words may be glued as extracted from PDFs ("Learningé")."""
    words = r"\s*".join(re.escape(w) + r"(?:e?s)?" for w in _WORD.findall(side))
    return re.compile(
        rf"(?:^|[,;]\s)\W*(?:(?:os?|as?|um|uma)\s+)?{words}\s*(?:\([^)]*\)\s*)?(?:é|são|:|\s-)(?:\s|$)",
        re.IGNORECASE,
    )


def _unique(units: list[Unit]) -> list[Unit]:
    """Each quote once (overlapping chunks repeat sentences)."""
    seen: set[str] = set()
    kept = []
    for unit in units:
        if unit.quote not in seen:
            seen.add(unit.quote)
            kept.append(unit)
    return kept


def _within_budget(per_side: list[list[Unit]]) -> list[Unit]:
    """Each side's units in turn; runners-up dropped past two paragraphs (best ones stay)."""
    budget = 2 * MAX_CHARS - sum(len(units[0].quote) for units in per_side if units)
    kept = []
    for units in per_side:
        for n, unit in enumerate(units):
            if n == 0 or len(unit.quote) <= budget:
                kept.append(unit)
                budget -= len(unit.quote) if n else 0
    return kept
