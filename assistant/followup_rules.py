"""Deterministic Portuguese rules that turn a follow-up into a standalone question.

Used when no LLM is available, and as the check and fallback of the LLM rewrite. The rules
read the previous standalone question (and, after "quem…?" or "qual perfil…?", the previous
answer); this module runs them in order and holds the list and comparison rules:

- bare interrogatives, events ("isso aconteceu"), asking for more, picks by position or
  degree, subjectless questions and bare attributes (assistant/followup_clauses.py);
- ellipsis: "E o de X?", "E em X?", "E quanto a X?", "E relativamente a X?", "E o X?"
  (assistant/followup_ellipsis.py);
- first, a follow-up naming its own topic ("Voltando ao X: por que ele…?", "E no caso do X,
  o que ele faz?"): its pronouns are that topic (assistant/antecedents.py); and a follow-up
  opening with a demonstrative phrase and its verb ("E essa receita leva vinho?") is resolved
  before any ellipsis is tried;
- pronouns, clitics, demonstratives, "tal" and possessives (assistant/references.py);
- here: a pick from a list ("E qual delas…?") as "Qual das <plural noun phrase> …?", the
  form the answer step recognises as choosing one item; both sides of "qual dos dois" /
  "entre eles" and of "a diferença para X"; the opposite of "o oposto de Big Data" when
  its adjective has a common antonym.

A question that names a subject of its own is left as it is (`stands_alone`): a topic
switch is not glued to the old subject.

Only the resolved phrase is added, never the whole previous question, so the follow-up's
own words still decide whether the documents answer it. `rewrite` returns None when no
rule applies; the caller then falls back to retrieval with context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial

from assistant import followup_clauses as clauses
from assistant import followup_picks
from assistant.antecedents import compared_pair, topic_lead
from assistant.followup_ellipsis import ellipsis, same_for
from assistant.phrases import VERBISH, WORD, noun_phrases, subject
from assistant.references import points_back, resolve_references, says
from fonte.textpt import fold, stopwords

ARTICLE_FORMS = ("o", "a", "os", "as")
FUSE = {
    **{(p, a): f"{f}{a}" for p, f in (("por", "pel"), ("de", "d"), ("em", "n")) for a in ARTICLE_FORMS},
    ("a", "o"): "ao", ("a", "a"): "à", ("a", "os"): "aos", ("a", "as"): "às",
}  # fmt: skip
UNFUSED = re.compile(r"\b(por|de|em|a)\s+(o|a|os|as)\b(?=\s+[\wÀ-ÿ])", re.IGNORECASE)
"""A preposition before an article a substitution put there ("responsável por isso" → "por o MLOps",
"o que falta a elas" → "a as equipes")."""
SENTENCE_START = re.compile(r"(?<=[?!.]\s)[a-zà-ÿ]")
"""A sentence a substitution began with a lowercase article."""
BOTH = re.compile(r"^\W*(?:e\s+)?(qual|quem)\s+(?:dos|das)\s+(?:dois|duas)\b\s*,?\s*", re.IGNORECASE)
BOTH_INSIDE = re.compile(r"\b(?:os dois|as duas|ambos|ambas)\b", re.IGNORECASE)
"""Both sides as a pronoun ("os dois usam…"), not as a determiner ("ambos os", "os dois tipos")."""
DEMONSTRATIVE_SUBJECT = re.compile(
    r"^\W*(?:e|mas)\s+(?:ess|est|aquel)(?:e|a|es|as)\s+[\wÀ-ÿ]+\s+[\wÀ-ÿ]", re.IGNORECASE
)
"""A follow-up opening with a demonstrative phrase and going on with its verb: "E essa receita
leva vinho?" asks about the recipe meant, not for "leva vinho" in the previous question."""
LEAD = re.compile(r"^\W*(?:e|mas|então|e então)\s+(?=\S)", re.IGNORECASE)
DIFFERENCE = re.compile(
    r"\b(?P<noun>diferença|diferenças|semelhança|semelhanças)\s+(?:para|de|em\s+relação\s+a|comparad[oa]\s+a|com)"
    r"\s+(?:(?:o|a|os|as|ao|à|aos|às)\s+)?(?P<other>[^?]+)",
    re.IGNORECASE,
)
OPPOSITE = re.compile(r"\b(?:oposto|contrário|inverso)\s+d[eoa]s?\s+(?P<x>[^?,(]+)", re.IGNORECASE)
ANTONYMS = {
    "big": "small", "small": "big", "grande": "pequeno", "pequeno": "grande", "grandes": "pequenos",
    "pequenos": "grandes", "alto": "baixo", "baixo": "alto", "alta": "baixa", "baixa": "alta",
    "maior": "menor", "menor": "maior", "high": "low", "low": "high", "online": "offline",
    "offline": "online", "positivo": "negativo", "negativo": "positivo", "interno": "externo",
    "externo": "interno", "entrada": "saída", "saída": "entrada", "quente": "frio", "frio": "quente",
    "rápido": "lento", "lento": "rápido", "forte": "fraco", "fraco": "forte", "cheio": "vazio",
    "vazio": "cheio", "aberto": "fechado", "fechado": "aberto", "público": "privado",
    "privado": "público", "manual": "automático", "automático": "manual",
}  # fmt: skip
"""Common adjective pairs: "o oposto de Big Data" is asked about as "Small Data"."""


@dataclass(frozen=True)
class Rewritten:
    question: str
    """The standalone question."""
    evidence: str
    """What the evidence is measured on: the question itself, unless it borrowed a whole
    clause of the previous question ("esse perfil" → "o perfil que tenta suprir…"); then
    the follow-up and the previous subject."""


def rewrite(question: str, previous: str, previous_answer: str = "", earlier: str = "") -> Rewritten | None:
    """A standalone version of the follow-up `question`, or None when no rule applies.

    `previous` is the previous question made standalone, `earlier` the one before it ("Qual
    dos dois…?" may compare the subjects of both)."""
    rules = (
        clauses.wh_only,
        clauses.more,
        clauses.pick,
        clauses.event,
        partial(_both, earlier=earlier),
        partial(_selection, earlier=earlier),
        ellipsis,
        _difference,
    )
    led = topic_lead(question)  # "Voltando ao X: por que ele…?" is about X, whatever came before
    own = resolve_references(led[1], previous, previous_answer, owner=led[0]) if led else None
    if led and own and says(own[0], led[0].core):
        return _same(finish(own[0]))
    same = same_for(question)
    asked_again = ellipsis(same, previous) if same else None
    if asked_again:  # "Isso vale para o Gol?" after "O Fusca é econômico?" → "O Gol é econômico?"
        return _same(finish(asked_again))
    if DEMONSTRATIVE_SUBJECT.match(question):  # "E essa receita leva vinho?" is no ellipsis
        resolved = resolve_references(question, previous, previous_answer)
        if resolved is not None:
            return _same(finish(resolved[0]))
    for rule in rules:
        result = rule(question, previous)
        if isinstance(result, Rewritten):
            return result
        if result:
            return _same(finish(_opposite(result)))
    resolved = resolve_references(question, previous, previous_answer)
    if resolved is not None:
        text, borrowed = resolved
        if borrowed:
            topic = subject(previous)
            context = f" ({topic.core})" if topic is not None else ""
            return Rewritten(finish(text), f"{question}{context}")
        return _same(finish(_opposite(text)))
    bare = clauses.bare(question, previous) or clauses.attribute(question, previous)
    if bare is not None:
        return _same(finish(bare))
    if LEAD.match(question) and stands_alone(question):
        # "E em que os Engenheiros DataOps não se concentram?" stands on its own
        return _same(finish(question))
    return None


def stands_alone(question: str) -> bool:
    """Whether a question (that no rule rewrote) names its own subject: a name, a phrase with
    an article, or a phrase of more than one word ("um carro elétrico")."""
    if points_back(question):
        return False
    return any(p.named or p.article or len(WORD.findall(p.core)) > 1 for p in noun_phrases(question))


def _same(text: str) -> Rewritten:
    return Rewritten(text, text)


def finish(text: str) -> str:
    text = LEAD.sub("", " ".join(text.split())).strip()
    text = UNFUSED.sub(lambda m: FUSE[(m[1].lower(), m[2].lower())], text)  # "por o" → "pelo"
    text = text.rstrip(" ,")
    text = SENTENCE_START.sub(lambda m: m.group().upper(), text)  # "…existir? o padeiro…"
    text = text if text.endswith(("?", ".", "!")) else text + "?"
    return text[:1].upper() + text[1:]


def _both(question: str, previous: str, earlier: str = "") -> str | None:
    """ "Qual dos dois…?" → "Qual …, o X ou o Y?"; "os dois"/"ambos" → "o X e o Y"."""
    phrases = noun_phrases(previous)
    pair = compared_pair(previous)  # "a diferença entre o arroz branco e o integral"
    named = list(pair) if pair else [p for p in phrases if p.head_named] or phrases
    before = subject(earlier) if earlier else None
    if len(named) == 1 and before is not None and fold(before.core) != fold(named[0].core):
        named = [before, named[0]]  # "O que é AIOps?" "E DevOps?" "Qual dos dois…?"
    if len(named) < 2:
        return None
    first, second = named[0].with_article(), named[1].with_article()
    match = BOTH.match(question)
    if match:
        rest = question[match.end() :].rstrip(" ?")
        return f"{match[1]} {rest}, {first} ou {second}?"
    inside = BOTH_INSIDE.search(question)
    if inside is not None and not _determines(question[inside.end() :]):
        return f"{question[: inside.start()]}{first} e {second}{question[inside.end() :]}"
    return None


def _determines(rest: str) -> bool:
    """Whether "os dois"/"ambos" is followed by its noun ("os dois tipos"), not by a verb."""
    following = WORD.match(rest.lstrip())
    if following is None or rest[: len(rest) - len(rest.lstrip())].strip():
        return False
    word = fold(following.group())
    return word in ("os", "as") or (word not in stopwords() and not VERBISH.search(word))


def _selection(question: str, previous: str, earlier: str = "") -> Rewritten | str | None:
    """A pick from the previous list (assistant/followup_picks.py), its evidence measured on the
    list asked alone as well (the pipeline takes the better-supported sentence): whether an item
    has the asked property is for the pick to tell, against every item. "Qual deles…?" after
    "O que são MLOps e DataOps?" picks one of two names."""
    picked = followup_picks.pick_from_list(question, previous, earlier)
    match = followup_picks.SELECTION.match(question)
    if picked is None and match:
        both = _both(f"{match[1]} dos dois {question[match.end() :].rstrip(' ?')}?", previous)
        if both:
            return both
    picked = picked or followup_picks.from_unnamed_list(question, previous, earlier)
    if picked is None:
        return None
    standalone, listed = finish(picked[0]), picked[1]
    if picked[0].endswith(")"):  # "…? (<the list question>)" needs no "?" after it
        standalone = standalone.removesuffix("?")
    # evidence per sentence: the better of the list asked alone and the whole pick
    return Rewritten(standalone, standalone if listed in standalone else f"{listed} {standalone}")


def _difference(question: str, previous: str) -> str | None:
    """ "E qual a diferença para Big Data?" after "O que é Small Data?" → "…entre Small Data e Big Data?"."""
    match = DIFFERENCE.search(question)
    topic = subject(previous)
    if not match or topic is None or says(question, topic.core):
        return None
    return f"{question[: match.start()]}{match['noun']} entre {topic.core} e {match['other']}"


def _opposite(text: str) -> str:
    """ "o oposto de Big Data" → "o oposto de Big Data (Small Data)"."""
    match = OPPOSITE.search(text)
    if not match:
        return text
    words = match["x"].split()
    flipped = [_flip(w) for w in words]
    if flipped == words:
        return text
    return f"{text[: match.end()].rstrip()} ({' '.join(flipped)}){text[match.end() :]}"


def _flip(word: str) -> str:
    other = ANTONYMS.get(word.lower())
    if other is None:
        return word
    return other.capitalize() if word[:1].isupper() else other
