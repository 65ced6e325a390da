"""Deterministic Portuguese rules that turn a follow-up into a standalone question.

Used when no LLM is available, and as the check and fallback of the LLM rewrite. The rules
read the previous standalone question (and, after "quem…?" or "qual perfil…?", the previous
answer) and:

- substitute an ellipsis: "E o de DataOps?" after "O que faz o Engenheiro de Machine
  Learning?" → "O que faz o Engenheiro de DataOps?"; "E o Genie?" → the previous question
  with its subject replaced; "E os benefícios?" after a definition → "Quais são os
  benefícios do DevOps?";
- resolve pronouns, clitics and demonstratives (ele, dela, disso, implantá-lo, esse
  perfil…) to the phrase they agree with in gender and number, or to the name the previous
  answer gave when the previous question asked for one;
- turn a pick from a list ("E qual delas…?") into "Qual das <plural noun phrase> …?", the
  form the answer step recognises as choosing one item;
- name both sides of "qual dos dois" / "entre eles", and of "a diferença para X";
- complete a bare "Por quê?" / "Com que objetivo?" with the previous question's clause;
- name the opposite of "o oposto de Big Data" when its adjective has a common antonym.

Only the resolved phrase is added, never the whole previous question, so the follow-up's
own words still decide whether the documents answer it. `rewrite` returns None when no
rule applies; the caller then falls back to retrieval with context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import partial

from assistant.phrases import (
    FUSED,
    VERBISH,
    WH_WORDS,
    WORD,
    Phrase,
    noun_phrases,
    referent,
    subject,
)
from assistant.references import resolve_references
from fonte.textpt import fold, stopwords

FUSE = {
    (p, a): f"{fused}{a}"
    for p, fused in (("por", "pel"), ("de", "d"), ("em", "n"))
    for a in ("o", "a", "os", "as")
}
UNFUSED = re.compile(r"\b(por|de|em)\s+(o|a|os|as)\b(?=\s+[\wÀ-ÿ])", re.IGNORECASE)
"""A preposition before an article a substitution put there ("responsável por isso" → "por o MLOps")."""
SELECTION = re.compile(r"^\W*(?:e\s+)?(qual|quais)\s+(delas|deles)\b\s*", re.IGNORECASE)
BOTH = re.compile(r"^\W*(?:e\s+)?(qual|quem)\s+(?:dos|das)\s+(?:dois|duas)\b\s*,?\s*", re.IGNORECASE)
BOTH_INSIDE = re.compile(r"\b(?:os dois|as duas|ambos|ambas)\b", re.IGNORECASE)
LEAD = re.compile(r"^\W*(?:e|mas|então|e então)\s+(?=\S)", re.IGNORECASE)
ELLIPSIS = re.compile(
    r"^\W*(?:e|mas|e então)\s+(?:quanto\s+(?=a)|sobre\s+|no\s+caso\s+(?=d)|em\s+relação\s+(?=a)|e\s+)?"
    r"(?P<np>[^,?]+?)\s*(?:,\s*(?P<tail>[^?]*))?\??\s*$",
    re.IGNORECASE,
)
OF_ELLIPSIS = re.compile(r"^(?:o|a|os|as)\s+de\s+(?P<mod>.+)$", re.IGNORECASE)
WH_ONLY = re.compile(
    r"^\W*(?:e\s+)?(?P<wh>por\s*qu[eê]|para\s*qu[eê]|com\s+que\s+(?:objetivo|finalidade|propósito|fim)|"
    r"de\s+que\s+(?:forma|maneira|modo)|como|quando|onde)\s*\??\s*$",
    re.IGNORECASE,
)
WH_LEAD = re.compile(r"^\W*(?:e\s+)?o\s+que\s+(?!(?:é|são|significa|foi|eram?)\b)(?=\w)", re.IGNORECASE)
"""A previous question "O que <subject> <verb>…?" that "Por quê?" can complete."""
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
DEFINITION = re.compile(
    r"^\W*(?:e\s+)?(?:o\s+que\s+(?:é|são|significa)|quem\s+(?:é|são)|como\s+.{0,30}\bdefine)\b", re.IGNORECASE
)
"""A question asking what something is: an ellipsis after it asks about an attribute."""
SUBJECT_PRONOUNS = frozenset(["ele", "ela", "eles", "elas", "isso", "isto", "aquilo"])
ORDINAL = re.compile(
    r"\b(?:[oa]s?\s+)?(?:primeir|segund|terceir|quart|quint|últim|penúltim)[oa]s?\b", re.IGNORECASE
)
MAX_ELLIPSIS_WORDS = 5
"""An ellipsis names one thing ("E o de DataOps?", "E no caso do filtro de papel?")."""


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
    for rule in (_wh_only, partial(_both, earlier=earlier), _selection, _ellipsis, _difference):
        result = rule(question, previous)
        if result:
            return _same(_finish(_opposite(result)))
    resolved = resolve_references(question, previous, previous_answer)
    if resolved is not None:
        text, borrowed = resolved
        if borrowed:
            topic = subject(previous)
            context = f" ({topic.core})" if topic is not None else ""
            return Rewritten(_finish(text), f"{question}{context}")
        return _same(_finish(_opposite(text)))
    if LEAD.match(question) and any(p.article or p.named for p in noun_phrases(question)):
        # "E em que os Engenheiros DataOps não se concentram?" stands on its own
        return _same(_finish(question))
    return None


def _same(text: str) -> Rewritten:
    return Rewritten(text, text)


def _finish(text: str) -> str:
    text = LEAD.sub("", " ".join(text.split())).strip()
    text = UNFUSED.sub(lambda m: FUSE[(m[1].lower(), m[2].lower())], text)  # "por o" → "pelo"
    text = text.rstrip(" ,")
    text = text if text.endswith(("?", ".", "!")) else text + "?"
    return text[:1].upper() + text[1:]


def _wh_only(question: str, previous: str) -> str | None:
    """ "Por quê?" after "O que os engenheiros devem dominar?" → "Por que os engenheiros devem dominar?"."""
    match = WH_ONLY.match(question)
    lead = WH_LEAD.match(previous)
    if not match or not lead:
        return None
    wh = re.sub(r"(?i)^por\s*qu[eê]$", "por que", re.sub(r"(?i)^para\s*qu[eê]$", "para que", match["wh"]))
    return f"{wh} {previous[lead.end() :]}"


def _both(question: str, previous: str, earlier: str = "") -> str | None:
    """ "Qual dos dois…?" → "Qual …, o X ou o Y?"; "os dois"/"ambos" → "o X e o Y"."""
    phrases = noun_phrases(previous)
    named = [p for p in phrases if p.head_named] or phrases
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
    if BOTH_INSIDE.search(question):
        return BOTH_INSIDE.sub(f"{first} e {second}", question, count=1)
    return None


def _selection(question: str, previous: str) -> str | None:
    """ "E qual delas serve para X?" → "Qual das <plural phrase of the previous question> serve para X?"."""
    match = SELECTION.match(question)
    if not match:
        return None
    gender = "f" if match[2].lower() == "delas" else "m"
    listed = referent(previous, gender, plural=True)
    if listed is None:  # "Qual deles…?" after "O que são MLOps e DataOps?": one of two names
        rest = question[match.end() :].rstrip(" ?")
        return _both(f"{match[1]} dos dois {rest}?", previous)
    clause = previous[listed.end :].strip(" ?")
    clause = f" que {clause}" if clause and listed.start <= _wh_end(previous) else ""
    return f"{match[1]} {listed.after('de', gender, True)}{clause} {question[match.end() :]}"


def _difference(question: str, previous: str) -> str | None:
    """ "E qual a diferença para Big Data?" after "O que é Small Data?" → "…entre Small Data e Big Data?"."""
    match = DIFFERENCE.search(question)
    topic = subject(previous)
    if not match or topic is None or fold(topic.core) in fold(question):
        return None
    return f"{question[: match.start()]}{match['noun']} entre {topic.core} e {match['other']}"


def _wh_end(question: str) -> int:
    lead = re.match(r"^\W*(?:quais|que|qual)\s+(?:(?:são|foram|seriam)\s+)?", question, re.IGNORECASE)
    return lead.end() if lead else -1


def _ellipsis(question: str, previous: str) -> str | None:
    """ "E o Genie?" / "E o de DataOps?" → the previous question about the new thing."""
    match = ELLIPSIS.match(question)
    if not match:
        return None
    np = match["np"].strip()
    words = WORD.findall(np)
    if not words or len(words) > MAX_ELLIPSIS_WORDS or any(fold(w) in WH_WORDS for w in words):
        return None
    if fold(words[0]) in SUBJECT_PRONOUNS:  # "E ela funciona?" is a sentence, not an ellipsis
        return None
    np = _resolved(np, previous)
    first = words[0].lower()
    if first in FUSED:  # "no caso do Genie", "quanto ao Genie": the phrase is "o Genie"
        np = FUSED[first][1] + np[len(first) :]
    ordinal = ORDINAL.fullmatch(np)
    earlier = ORDINAL.search(previous)
    if ordinal and earlier:  # "E o último?" after "Explique o primeiro dos desafios."
        return f"{previous[: earlier.start()]}{ordinal.group()}{previous[earlier.end() :]}"
    of = OF_ELLIPSIS.match(np)
    if of:
        return _of_ellipsis(of["mod"], previous, match["tail"])
    # read as it stands in the follow-up, not opening a sentence: "Big" in "E Big Data?" is a name
    phrases = [
        replace(p, start=p.start - 2, end=p.end - 2)
        for p in noun_phrases(f"E {np}")
        if not (p.head_named and p.start > 2)
    ]
    if len(phrases) != 1 or phrases[0].start != 0:
        return None
    trailing = WORD.findall(np[phrases[0].end :])  # adjectives the phrase did not take: "duplo"
    if any(fold(w) in stopwords() or VERBISH.search(fold(w)) for w in trailing):
        return None  # not one noun phrase: "E a aplicação ajuda com…?" is no ellipsis
    core = np[phrases[0].end - len(phrases[0].core) :].strip(" ?")
    new = Phrase(core, phrases[0].article, 0, len(np), phrases[0].named, phrases[0].gender, phrases[0].plural)
    target = subject(previous)
    if target is None:
        return None
    if DEFINITION.match(previous) and not new.named and target.head_named:
        # "E os benefícios?" after "O que é DevOps?" asks about DevOps's benefits
        verb = "Quais são" if new.plural else "Qual é"
        return _with_tail(f"{verb} {new.with_article()} {target.after('de')}?", match["tail"], previous)
    prefix = previous[target.start : target.end].removesuffix(target.core).strip().lower()
    preposition = FUSED[prefix][0] if prefix in FUSED else ""
    article = new.article or target.article
    if not article:
        slot = f"{preposition} {new.core}".strip()
    elif preposition:
        slot = Phrase(new.core, article, 0, 0, True, None, False).after(preposition)
    else:
        slot = f"{article} {new.core}"
    text = f"{previous[: target.start]}{slot}{previous[target.end :]}"
    return _with_tail(text, match["tail"], previous, np)


def _of_ellipsis(modifier: str, previous: str, tail: str | None) -> str | None:
    """ "E o de DataOps?" after "…o Engenheiro de Machine Learning?" → "…o Engenheiro de DataOps?"."""
    modified = next(
        (p for p in noun_phrases(previous) if re.search(r"\s(?:de|do|da|dos|das)\s", f" {p.core} ")),
        None,
    )
    if modified is None:
        return None
    links = list(re.finditer(r"\s(?:de|do|da|dos|das)\s", modified.core))
    plain = [m for m in links if m.group().strip() == "de"]
    head = modified.core[: (plain or links)[-1].start()]  # the innermost modifier is replaced
    before = previous[: modified.start] + (
        previous[modified.start : modified.end].removesuffix(modified.core)
    )
    text = f"{before}{head} de {modifier}{previous[modified.end :]}"
    return _with_tail(text, tail, previous)


def _with_tail(text: str, tail: str | None, previous: str, np: str = "") -> str:
    if not tail:
        return text
    tail = _resolved(tail, previous)
    words = [fold(w) for w in WORD.findall(tail)]
    if np and any(w in WH_WORDS for w in words[:2]):
        return f"{tail} {np}"  # "E o DataOps, em que se concentra?" → "em que se concentra o DataOps?"
    if np and any(w in WH_WORDS for w in words):
        return f"{np} {tail}"  # "E o Pachyderm, é de qual lista?" asks its own question
    return f"{text.rstrip(' ?')}, {tail}"


def _resolved(text: str, previous: str) -> str:
    found = resolve_references(text, previous, "")
    return found[0] if found is not None else text


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
