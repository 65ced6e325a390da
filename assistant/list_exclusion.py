"""Leaving items of a list out by position: "tirando a primeira e a última", "sem contar o
segundo", "todas menos a primeira". What is left is the answer, or the items a property then
chooses among ("Tirando a segunda, qual é a mais usada?")."""

from __future__ import annotations

import re

from fonte.textpt import analyze, fold

ORDINALS = {
    "primeir": 0, "segund": 1, "terceir": 2, "quart": 3, "quint": 4, "sext": 5, "setim": 6,
    "oitav": 7, "non": 8, "decim": 9, "penultim": -2, "ultim": -1,
}  # fmt: skip
_ORDINAL = rf"(?:[oa]s?\s+)?(?:{'|'.join(ORDINALS)})[oa]s?\b"
EXCLUDING = re.compile(
    r"\b(?:tirar|tirando|excluir|excluindo|remover|removendo|descontar|descontando|ignorar|ignorando"
    r"|sem contar|sem|menos|exceto|fora|com excecao d[oa]s?|a nao ser)\s+"
    rf"(?P<excluded>{_ORDINAL}(?:\s*(?:,|\be\b)\s*{_ORDINAL})*)"
    r"(?=\s*(?:[,;:.?!)]|$|(?:quais|qual|o que|sobram|sobra|ficam|fica|restam|resta|sao)\b))"
)
"""On the folded part: every item but the ones at these positions ("tirando a primeira e a
última", "sem contar o segundo", "todas menos a primeira"); the ordinal stands alone ("sem a
primeira etapa" leaves out a step, not an item)."""
REMAINING = frozenset(analyze("quais sobram sobra ficam fica restam resta todas todos outras outros"))
"""Stems that, beside an exclusion, ask for nothing but the items left ("quais sobram")."""


def excluding(part: str, count: int) -> tuple[list[int], str] | None:
    """The items (of `count`) an exclusion by position leaves ("tirando a primeira") and the
    part without it; an empty list when it leaves out past the list's ends, None when the part
    excludes nothing."""
    folded = fold(part)
    found = EXCLUDING.search(folded)
    if found is None:
        return None
    text = part if len(folded) == len(part) else folded  # the user's words, accents kept
    rest = f"{text[: found.start()]} {text[found.end() :]}"
    places = [ORDINALS[o] for o in re.findall(rf"\b({'|'.join(ORDINALS)})", found["excluded"])]
    if not all(-count <= p < count for p in places):
        return [], rest  # "tirando a quinta" of four items
    left_out = {p % count for p in places}
    return [i for i in range(count) if i not in left_out], rest
