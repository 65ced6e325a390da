"""Ellipses that change a modifier of the previous question's phrase, not the phrase.

- "E o não supervisionado?" after "O que é aprendizado supervisionado?" negates its adjective;
- "E a simétrica?" after "Como funciona a criptografia assimétrica?" swaps it;
- "E outras ferramentas?" after "Quais ferramentas de teste o guia recomenda?" asks for others.
"""

from __future__ import annotations

import re

from assistant.phrases import ADJECTIVE, ARTICLES, WORD, noun_phrases
from fonte.textpt import fold, stem

NEGATED = re.compile(r"^(?:o|a|os|as)\s+(?P<rest>não\s+(?P<adjective>[\wÀ-ÿ]+))$", re.IGNORECASE)
BARE_ADJECTIVE = re.compile(r"^(?P<article>o|a|os|as)\s+(?P<adjective>[a-zà-ÿ][\wÀ-ÿ]*)$", re.IGNORECASE)
OTHER = re.compile(r"^(?:os\s+|as\s+)?(?P<other>outr[oa]s?)\s+(?P<rest>[\wÀ-ÿ].*)$", re.IGNORECASE)


def modifier(np: str, previous: str) -> str | None:
    """The previous question with its modifier changed as the ellipsis `np` says; "" when `np`
    asks for others but `previous` lacks their noun; None when `np` changes no modifier."""
    adjective = _adjective(np, previous)
    if adjective is not None:
        return adjective
    other = OTHER.match(np)
    if other:
        return _others(other["other"], other["rest"], previous) or ""
    return None


def _adjective(np: str, previous: str) -> str | None:
    """ "E o não supervisionado?" after "O que é aprendizado supervisionado?" → "O que é
    aprendizado não supervisionado?": an article and a negated adjective keep the noun."""
    match = NEGATED.match(np)
    if match is None:
        return _swapped_adjective(np, previous)
    word = stem(match["adjective"])
    found = next((t for t in WORD.finditer(previous) if stem(t.group()) == word), None)
    if found is None:
        return None
    return f"{previous[: found.start()]}{match['rest']}{previous[found.end() :]}"


def _swapped_adjective(np: str, previous: str) -> str | None:
    """ "E a simétrica?" after "Como funciona a criptografia assimétrica?" → "…a criptografia
    simétrica?": an article and an adjective replace the adjective of a phrase of that gender."""
    match = BARE_ADJECTIVE.match(np)
    if match is None:
        return None
    new = fold(match["adjective"])
    gender, plural = ARTICLES[match["article"].lower()]
    for phrase in noun_phrases(previous):
        words = list(WORD.finditer(phrase.core))
        if phrase.head_named or len(words) < 2 or (phrase.gender, phrase.plural) != (gender, plural):
            continue
        last = words[-1]
        old = fold(last.group())
        # the new word is an adjective by its ending, or ends as the one it replaces ("solar"/"nuclear")
        if (
            ADJECTIVE.search(old)
            and (ADJECTIVE.search(new) or new[-2:] == old[-2:])
            and last.group().islower()
        ):
            at = phrase.end - len(phrase.core) + last.start()
            return f"{previous[:at]}{match['adjective']}{previous[at + len(last.group()) :]}"
    return None


def _others(other: str, rest: str, previous: str) -> str | None:
    """ "E outras ferramentas?" after "Quais ferramentas de teste o guia recomenda?" → "Quais
    outras ferramentas de teste o guia recomenda?"."""
    head = stem(WORD.findall(rest)[0])
    found = next((t for t in WORD.finditer(previous) if stem(t.group()) == head), None)
    if found is None:
        return None
    return f"{previous[: found.start()]}{other.lower()} {previous[found.start() :]}"
