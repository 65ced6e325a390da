"""Whether an item of a list says a question's words, in its own words or in kin of them.

"Qual delas serve para versionamento?" is answered by "ferramenta de versionar arquivos";
"a falta de pessoal" by "escassez de técnicos"; "inteligência artificial" by "IA". Kin are
stems one begins the other ("version" ~ "versionament"), words of one paraphrase class
(`cues.PARAPHRASES`, and `PICK_PARAPHRASES`: "sair menos bug" ~ "minimiza defeitos") and
both forms of an acronym. Selection within a list trusts a pick
only when the item holds some of what was asked this way (lists.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant import cues
from fonte.textpt import analyze, fold

DERIVED_MIN = 4
"""Shortest stem that stands for the words it begins: "trein" (treinar) ~ "treinament",
"limp" (limpar) ~ "limpez"; shorter ones ("dad", "us") begin too many unrelated words."""
VERB_DERIVED_MIN = 3
"""The same for the stem of an infinitive the question writes: "dosar" ~ "dosadora",
"medir" ~ "medida" (the noun is built on the verb's stem)."""
INFINITIVE = re.compile(r"\b\w{3,}(?:ar|er|ir)\b")
PICK_PARAPHRASES = (
    cues.Paraphrase("a fault: 'sair menos bug' is 'minimiza defeitos', 'menos falhas'",
        ("bug", "bugs", "defeito", "defeitos", "erro", "erros", "falha", "falhas")),
    cues.Paraphrase("showing data: 'montar gráficos' is 'visualização de dados', 'enxergar'",
        ("grafico", "graficos", "visualizacao", "visualizacoes", "visualizar", "visualiza",
         "enxergar", "enxerga", "plotar", "diagrama", "diagramas")),
    cues.Paraphrase("rules: 'regras de órgãos reguladores' is 'requisitos regulamentares', 'leis'",
        ("regra", "regras", "norma", "normas", "regulamento", "regulamentos", "regulamentacao",
         "regulamentar", "regulamentares", "regulatorio", "regulatorios", "regulatoria",
         "regulador", "reguladores", "conformidade", "lei", "leis", "legislacao")),
)  # fmt: skip
"""Folded words an item may say a pick's property in (beyond `cues.PARAPHRASES`), in general
Portuguese: a fault (bug ~ defeito ~ falha); showing data (gráfico ~ visualização ~
enxergar); rules (regra ~ norma ~ regulamentar ~ conformidade ~ lei)."""


def said(part: str, terms: Sequence[str], item: str) -> set[str]:
    """Stems an item holds for the part's terms: its own, those it says in words of the same
    paraphrase class ("falta" ~ "escassez"), both forms of an acronym ("IA" ~ "inteligência
    artificial"), and the terms derived from one of its stems ("retreinar" ~ "treinamento",
    "versionamento" ~ "versionar")."""
    stems = (
        set(analyze(item))
        | cues.paraphrased(part, item)
        | cues.paraphrased(part, item, PICK_PARAPHRASES)
        | _spelled(item, part)
        | _spelled(part, item)
        | _quoted(part, item)
    )
    verbs = set(analyze(" ".join(INFINITIVE.findall(fold(part)))))
    return stems | {
        t
        for t in terms
        if t not in stems
        and any(_derived(t, s, VERB_DERIVED_MIN if t in verbs else DERIVED_MIN) for s in stems)
    }


def _derived(term: str, stem: str, shortest: int) -> bool:
    for a in (term, term[2:] if term.startswith("re") and len(term) > shortest + 2 else ""):
        short, long = sorted((a, stem), key=len)
        if len(short) >= shortest and long.startswith(short):
            return True
    return False


QUOTED = re.compile(r"['\"“‘«]([\w-]{2,})['\"”’»]")
"""A word the user quotes as a fragment of names: "Quais 'Ops' o texto apresenta?"."""


def _quoted(part: str, item: str) -> set[str]:
    """Stems of the part's quoted fragments that words of `item` end or begin with: "'Ops'" is
    said by "DevOps" and "DataOps"."""
    words = {fold(w) for w in re.findall(r"\w+", item)}
    return {
        stem
        for fragment in QUOTED.findall(part)
        if any(
            w != fold(fragment) and (w.endswith(fold(fragment)) or w.startswith(fold(fragment)))
            for w in words
        )
        for stem in analyze(fragment)
    }


ACRONYM = re.compile(r"\b[A-Z]{2,5}\b")
_SPELLING_SKIPS = frozenset({"de", "da", "do", "das", "dos", "e"})


def _spelled(short: str, long: str) -> set[str]:
    """Stems of both forms of the acronyms of `short` that `long` spells out: "IA" and
    "inteligência artificial" each stand for the other."""
    found: set[str] = set()
    every = re.findall(r"\w+", long)
    for acronym in {a.lower() for a in ACRONYM.findall(short)}:
        # two letters spell too much by chance: their words must stand side by side
        words = every if len(acronym) == 2 else [w for w in every if fold(w) not in _SPELLING_SKIPS]
        at = "".join(fold(w)[0] for w in words).find(acronym)
        if at >= 0:
            found |= set(analyze(" ".join(words[at : at + len(acronym)]))) | set(analyze(acronym))
    return found
