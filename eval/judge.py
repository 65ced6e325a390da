"""The eval's faithfulness judge: deterministic, Portuguese, stricter than the runtime verifier.

How it differs from `assistant.grounding` (so the score is not circular):
- word matching by 5-letter prefixes of accent-folded words, not Snowball stems, and no
  pt-PT/pt-BR variant table;
- coverage threshold 0.8 over content words (runtime: 0.7), and number words ("três") must
  appear literally too;
- besides numbers, every quoted phrase and every proper noun (capitalised word not at the
  start of the claim) must appear literally in the passages;
- a negation ("não", "nunca", "nenhum", "sem") in the claim must also occur in the passage
  sentence that covers it best, and vice versa.
"""

from __future__ import annotations

import re
import unicodedata

CLAIM_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")
CITATION = re.compile(r"\s*\[\d{1,2}\]")
WORD = re.compile(r"[^\W_]+", re.UNICODE)
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
QUOTED = re.compile(r"[\"“”']([^\"“”']{3,80})[\"“”']")
NUMBER_WORDS = set(
    [
        "um",
        "uma",
        "dois",
        "duas",
        "tres",
        "quatro",
        "cinco",
        "seis",
        "sete",
        "oito",
        "nove",
        "dez",
        "onze",
        "doze",
        "vinte",
        "trinta",
        "cem",
        "mil",
        "primeiro",
        "primeira",
        "terceiro",
        "terceira",
        "quarto",
        "quarta",
        "metade",
        "dobro",
        "triplo",
    ]
)
NEGATIONS = {"nao", "nunca", "nenhum", "nenhuma", "sem", "jamais", "nem"}
COVERAGE = 0.8
PREFIX = 5
# A small closed list: the judge must not depend on the runtime's stopword library.
FUNCTION_WORDS = set(
    [
        "a",
        "o",
        "as",
        "os",
        "um",
        "uma",
        "uns",
        "umas",
        "de",
        "do",
        "da",
        "dos",
        "das",
        "em",
        "no",
        "na",
        "nos",
        "nas",
        "por",
        "pelo",
        "pela",
        "pelos",
        "pelas",
        "para",
        "com",
        "e",
        "ou",
        "que",
        "se",
        "ao",
        "aos",
        "como",
        "mais",
        "menos",
        "muito",
        "muitos",
        "muita",
        "muitas",
        "seu",
        "sua",
        "seus",
        "suas",
        "ele",
        "ela",
        "eles",
        "elas",
        "isso",
        "isto",
        "esse",
        "essa",
        "este",
        "esta",
        "tambem",
        "ja",
        "entre",
        "sobre",
        "ate",
        "quando",
        "onde",
        "qual",
        "quais",
        "quem",
        "ser",
        "sao",
        "e",
        "foi",
        "sera",
        "pode",
        "podem",
        "ha",
        "tem",
        "sendo",
        "sido",
        "estar",
        "esta",
        "estao",
        "the",
        "of",
        "and",
    ]
)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def claims(answer: str) -> list[tuple[str, list[int]]]:
    """Claims of an answer with the citation numbers attached to each."""
    result = []
    # "Frase. [1] Outra" — a mark after the period belongs to the sentence before it
    answer = re.sub(r"([.!?])((?:\s*\[\d{1,2}\])+)", r"\2\1", answer)
    for piece in CLAIM_SPLIT.split(answer):
        marks = [int(m) for m in re.findall(r"\[(\d{1,2})\]", piece)]
        text = CITATION.sub("", piece).strip()
        if len(WORD.findall(text)) >= 2:
            result.append((text, marks))
    return result


def _content_prefixes(text: str) -> list[str]:
    words = [fold(w) for w in WORD.findall(text)]
    return [w[:PREFIX] for w in words if w not in FUNCTION_WORDS and len(w) > 1 and not w.isdigit()]


def _proper_nouns(claim: str) -> list[str]:
    words = WORD.findall(claim)
    return [w for w in words[1:] if w[0].isupper() and fold(w) not in FUNCTION_WORDS]


def _has_negation(text: str) -> bool:
    return any(fold(w) in NEGATIONS for w in WORD.findall(text))


def _best_sentence(claim_prefixes: set[str], passage: str) -> str:
    sentences = [s for s in re.split(r"(?<=[.!?])\s+|\n+", passage) if s.strip()] or [passage]
    return max(sentences, key=lambda s: len(claim_prefixes & set(_content_prefixes(s))))


def supported(claim: str, passages: list[str]) -> bool:
    """Whether `passages` (jointly) support `claim`."""
    if not passages:
        return False
    joined = "\n".join(passages)
    folded = fold(joined)
    prefixes = _content_prefixes(claim)
    if not prefixes:
        return False
    available = set(_content_prefixes(joined))
    if sum(p in available for p in prefixes) / len(prefixes) < COVERAGE:
        return False
    literals = NUMBER.findall(claim) + QUOTED.findall(claim) + _proper_nouns(claim)
    if any(fold(literal) not in folded for literal in literals):
        return False
    passage_words = {fold(w) for w in WORD.findall(joined)}
    counted = [w for w in (fold(w) for w in WORD.findall(claim)) if w in NUMBER_WORDS - {"um", "uma"}]
    if any(w not in passage_words for w in counted):
        return False
    best = _best_sentence(set(prefixes), joined)
    return _has_negation(claim) == _has_negation(best)
