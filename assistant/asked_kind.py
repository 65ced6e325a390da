"""The kind of answer a question asks for, and whether a sentence is of that kind.

A "why", "what happens if", "how" or "what for" question shares few words with the sentence
that answers it: the question's frame ("o que acontece se…", "qual a finalidade…") names
the kind of statement wanted, and the document states it in its own form. General habits
of Portuguese prose:
- a cause or a need answers "por quê?": "…porque…", "…pois…", "o motivo…", "devido a…",
  "há uma falta de…", "visa suprir essa necessidade";
- a condition or a consequence answers "o que acontece se…?": "Se assado de maneira
  inadequada, o bolo fica cru por dentro…", "…resultando em…";
- a means or a manner answers "como…?": "por meio de…", "através de…", "usando…";
- an aim answers "qual a finalidade / o objetivo / para que serve?": "O objetivo de X é…",
  "X visa…", "X serve para…", "a fim de…".
A sentence of the asked kind holds the frame's words (`answered`) and is preferred over one
that only shares the subject's words (`KIND_FACTOR`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.cues import QUESTION_CACHE_SIZE
from fonte.textpt import analyze, fold

KIND_FACTOR = 1.15
"""Boost for a sentence of the asked kind: as `cues.ACTIVITY_FACTOR`, a sentence of the right
form ties at 1.15 with a 0.87 one that covers more of the question's words by accident
("finalidade" stems like "usuário final")."""


@dataclass(frozen=True)
class Kind:
    """A kind of answer: how a question asks for it, how a sentence states it."""

    name: str
    asks: re.Pattern[str]
    """On the folded question."""
    states: re.Pattern[str]
    """On the folded sentence."""
    frame: frozenset[str]
    """Stems of the question words a sentence of this kind answers by its form ("acontece")."""


NOT_GERUNDS = (
    "quando", "sendo", "estando", "ando", "mando", "comando", "bando", "brando", "contrabando",
    "fernando", "orlando", "armando", "rolando", "adendo", "remendo", "tremendo", "estupendo",
    "horrendo", "dividendo", "lindo", "vindo", "findo", "infindo", "arlindo",
)  # fmt: skip
"""Folded words ending like a gerund that state no means: nouns, names, adjectives ("comando",
"Fernando", "lindo", "bem-vindo") and the copulas "sendo", "estando"."""
KINDS = (
    Kind(
        "consequence",
        re.compile(
            r"^\W*(?:e\s+)?(?:(?:o\s+)?que\s+(?:acontece|aconteceria|ocorre|ocorreria|sucede)\s+"
            r"(?:se|quando|caso)\b|e\s+se\b)"
        ),
        re.compile(
            r"^\W*(?:se|caso|quando|sem)\s|,\s*(?:se|caso)\s|\b(?:resulta|resultam|resultando|"
            r"acarreta|acarretam|provoca|provocam|consequencia|consequencias)\b"
        ),
        frozenset(analyze("acontece aconteceria ocorre ocorreria sucede")),
    ),
    Kind(
        "cause",
        re.compile(
            r"^\W*(?:e\s+)?(?:por\s*que|porque|qual\s+(?:e\s+|foi\s+)?(?:o|a)\s+(?:motivo|razao|causa)|"
            r"o\s+que\s+(?:leva|levou|levaram|causa|causou|motiva|motivou|explica))\b"
        ),
        re.compile(
            r"\b(?:porque|pois|motivo|motivos|razao|razoes|causa|causas|devido\s+a|por\s+causa|"
            r"gracas\s+a|ja\s+que|uma\s+vez\s+que|visto\s+que|por\s+isso|portanto|visa|visam|"
            r"a\s+fim\s+de|necessidade|necessidades|escassez|falta|carencia)\b"
        ),
        frozenset(analyze("motivo razão causa")),
    ),
    Kind(
        "means",
        re.compile(
            r"^\W*(?:e\s+)?(?:como|de\s+que\s+(?:forma|maneira|modo|jeito)|por\s+que\s+meios?|"
            r"atraves\s+de\s+que|com\s+que\s+(?:ferramentas?|recursos?|meios?))\b"
            # not "Como assim?", "Como é/são…?" (what it is like), "Como se chama / X nomeou…?",
            # "Como o texto define / descreve / diferencia X?" (what X is said to be)
            r"(?!\s+(?:assim|e|sao|era|eram|foi|foram)\b)(?![^?]*\b(?:chamad|chama|chamou|nome|denomin|"
            r"defin|descrev|caracteriz|diferenci|explic|apresent|resum))"
        ),
        re.compile(
            r"\b(?:por\s+meio\s+d[aeo]s?|atraves\s+d[aeo]s?|mediante|via|usando|utilizando|com\s+o\s+uso|"
            r"com\s+a\s+ajuda|de\s+(?:forma|maneira|modo)\s+\w+|"
            rf"(?!(?:{'|'.join(NOT_GERUNDS)})\b)\w{{2,}}(?:ando|endo|indo))\b"
        ),
        frozenset(),
    ),
    Kind(
        "aim",
        re.compile(
            r"\b(?:finalidades?|objetivos?|propositos?|intuito|para\s+que\s+(?:serve|servem)|"
            r"(?:serve|servem)\s+(?:para|pra)\s+(?:que|o\s+que))\b"
        ),
        re.compile(
            r"\b(?:objetivo|objetivos|finalidade|proposito|intuito|meta|visa|visam|serve\s+para|"
            r"servem\s+para|a\s+fim\s+de|com\s+o\s+fim\s+de)\b"
        ),
        frozenset(analyze("finalidade finalidades objetivo objetivos propósito propósitos intuito serve")),
    ),
)
"""The kinds a question's frame may ask for, in the order they are looked for."""


@lru_cache(maxsize=QUESTION_CACHE_SIZE)
def asked(question: str) -> tuple[Kind, ...]:
    """The kinds of answer `question` asks for ("Por que…?" → cause)."""
    folded = fold(question)
    return tuple(k for k in KINDS if k.asks.search(folded))


def stated(question: str, sentence: str) -> tuple[Kind, ...]:
    """The kinds `question` asks for that `sentence` states: one match of the sentence, from
    which `of_kind` and `answered` both read."""
    kinds = asked(question)
    if not kinds:
        return ()
    folded = fold(sentence)
    return tuple(k for k in kinds if k.states.search(folded))


def of_kind(question: str, sentence: str) -> bool:
    """Whether `sentence` states an answer of a kind `question` asks for."""
    return bool(stated(question, sentence))


def frame(question: str) -> frozenset[str]:
    """Stems of the question's frame words, which only a sentence of the asked kind answers:
    "finalidade" stems like "final", yet "usuário final" states no aim."""
    return frame_of(asked(question))


def frame_of(kinds: tuple[Kind, ...]) -> frozenset[str]:
    """Stems of the frame words of `kinds`."""
    return frozenset(stem for k in kinds for stem in k.frame)


def answered(question: str, sentence: str) -> set[str]:
    """Stems of the question's frame words that `sentence` answers by its form: "acontece" in
    "O que acontece se…?" is answered by a sentence stating a condition and its outcome."""
    return set(frame_of(stated(question, sentence)))
