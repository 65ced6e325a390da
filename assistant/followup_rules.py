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

from assistant.phrases import (
    FRAMING_HEADS,
    FUSED,
    VERBISH,
    WH_WORDS,
    WORD,
    Phrase,
    gender_number,
    noun_phrases,
    referent,
    subject,
)
from fonte.textpt import fold, stem, stopwords

PRONOUNS = {  # pronoun → (preposition, gender, plural)
    "ele": ("", "m", False), "ela": ("", "f", False), "eles": ("", "m", True), "elas": ("", "f", True),
    "dele": ("de", "m", False), "dela": ("de", "f", False), "deles": ("de", "m", True),
    "delas": ("de", "f", True), "nele": ("em", "m", False), "nela": ("em", "f", False),
    "neles": ("em", "m", True), "nelas": ("em", "f", True),
    "isso": ("", None, False), "isto": ("", None, False), "aquilo": ("", None, False),
    "disso": ("de", None, False), "disto": ("de", None, False), "daquilo": ("de", None, False),
    "nisso": ("em", None, False), "nisto": ("em", None, False),
}  # fmt: skip
DEMONSTRATIVE = re.compile(
    r"\b(d|n)?(?:ess|est|aquel)(e|a|es|as)(?:\s+mesm[oa]s?)?\s+(?=[\wÀ-ÿ])", re.IGNORECASE
)
CLITIC = re.compile(r"\b([\wÀ-ÿ]+?)(á|ê|í|ô|i)-(lo|la|los|las)\b", re.IGNORECASE)
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
WH_LEAD = re.compile(r"^\W*(?:o\s+que|que|qual|quais|quem|como|onde|quando)\s+(?=\w)", re.IGNORECASE)
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
ASKED_WHO = re.compile(r"^\W*(?:e\s+)?quem\b", re.IGNORECASE)
SUBJECT_PRONOUNS = frozenset(["ele", "ela", "eles", "elas", "isso", "isto", "aquilo"])
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


def rewrite(question: str, previous: str, previous_answer: str = "") -> Rewritten | None:
    """A standalone version of the follow-up `question`, or None when no rule applies."""
    for rule in (_wh_only, _both, _selection, _ellipsis, _difference):
        result = rule(question, previous)
        if result:
            return _same(_finish(_opposite(result)))
    resolved = _resolve_references(question, previous, previous_answer)
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


def _both(question: str, previous: str) -> str | None:
    """ "Qual dos dois…?" → "Qual …, o X ou o Y?"; "os dois"/"ambos" → "o X e o Y"."""
    named = [p for p in noun_phrases(previous) if p.named] or noun_phrases(previous)
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


def _bare(np: str) -> str:
    return re.sub(r"^(?:o|a|os|as)\s+", "", np.strip(), flags=re.IGNORECASE)


def _with_tail(text: str, tail: str | None, previous: str, np: str = "") -> str:
    if not tail:
        return text
    tail = _resolved(tail, previous)
    if np and any(fold(w) in WH_WORDS for w in WORD.findall(tail)):
        return f"{np} {tail}"  # "E o Pachyderm, é de qual lista?" asks its own question
    return f"{text.rstrip(' ?')}, {tail}"


def _resolved(text: str, previous: str) -> str:
    found = _resolve_references(text, previous, "")
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


def _resolve_references(question: str, previous: str, previous_answer: str) -> tuple[str, bool] | None:
    """Pronouns, clitics and demonstratives replaced by what they stand for, and whether a
    whole clause of the previous question was borrowed; None if there were none."""
    text = question
    changed = borrowed_clause = False

    def pronoun(match: re.Match[str]) -> str:
        nonlocal changed
        preposition, gender, plural = PRONOUNS[match.group().lower()]
        found = referent(previous, gender, plural)
        if gender is not None and not plural and _asks_for_one(previous, gender):
            found = _answered_name(previous, previous_answer) or found  # "ele" is who was named
        named = [p for p in noun_phrases(previous) if p.head_named]
        if found is None and plural and len(named) >= 2:  # "entre eles" after "Big Data e Small Data"
            changed = True
            if preposition:
                return f"{named[0].after(preposition, gender)} e {named[1].after(preposition, gender)}"
            return f"{named[0].with_article(gender)} e {named[1].with_article(gender)}"
        if found is None:
            return match.group()
        changed = True
        if gender is None and not found.article:  # "disso" → "de Big Data"
            return f"{preposition} {found.core}".strip()
        return found.after(preposition, gender, plural) if preposition else found.with_article(gender, plural)

    text = re.sub(r"\b(?:" + "|".join(PRONOUNS) + r")\b", pronoun, text, flags=re.IGNORECASE)

    def clitic(match: re.Match[str]) -> str:
        nonlocal changed
        gender = "f" if match[3].lower().endswith(("a", "as")) else "m"
        found = referent(previous, gender, match[3].lower().endswith("s"))
        if found is None:
            return match.group()
        changed = True
        ending = {"á": "ar", "ê": "er", "í": "ir", "ô": "or", "i": "ir"}[match[2].lower()]
        return f"{match[1]}{ending} {found.with_article(gender)}"

    text = CLITIC.sub(clitic, text)

    def demonstrative(match: re.Match[str]) -> str:
        nonlocal changed
        rest = text[match.end() :]
        noun = WORD.match(rest)
        if noun is None or fold(noun.group()) in FRAMING_HEADS:
            return match.group()
        article = {"e": "o", "a": "a", "es": "os", "as": "as"}[match[2].lower()]
        prefix = {"d": "d", "n": "n"}.get((match[1] or "").lower(), "")
        changed = True
        return f"{prefix}{article} " if prefix else f"{article} "

    demonstrated = [m for m in DEMONSTRATIVE.finditer(text)]
    if demonstrated:
        nouns = [WORD.match(text[m.end() :]) for m in demonstrated]
        text = DEMONSTRATIVE.sub(demonstrative, text)
        for noun in nouns:
            if noun is None or fold(noun.group()) in FRAMING_HEADS:
                continue
            text, borrowed = _anchor(text, noun.group(), previous, previous_answer)
            borrowed_clause = borrowed_clause or borrowed
    if not changed:
        return None
    return text, borrowed_clause


def _asks_for_one(previous: str, gender: str) -> bool:
    """Whether the previous question asked "quem…?" or "qual <noun of this gender>…?": then a
    pronoun stands for the answer, not for the question's subject."""
    if ASKED_WHO.match(previous):
        return True
    asked = re.match(r"^\W*(?:e\s+)?(?:qual|que)\s+([\wÀ-ÿ]+)", previous, re.IGNORECASE)
    if asked is None or fold(asked[1]) in stopwords():
        return False
    noun_gender, plural = gender_number(asked[1])
    return not plural and noun_gender == gender


def _answered_name(previous: str, previous_answer: str) -> Phrase | None:
    """The first name the previous answer gave that its question did not hold."""
    seen = {fold(p.core) for p in noun_phrases(previous)}
    answered = [p for p in noun_phrases(previous_answer) if p.named and fold(p.core) not in seen]
    return answered[0] if answered else None


def _anchor(text: str, noun: str, previous: str, previous_answer: str) -> tuple[str, bool]:
    """After "esse perfil" became "o perfil", say whose: the name the previous answer gave
    when the previous question asked for one ("que perfil…?", "quem…?"), else the previous
    question's subject."""
    position = re.search(rf"\b{re.escape(noun)}\b((?:\s+(?:de|do|da|dos|das|e)\s+[\wÀ-ÿ]+)*)", text)
    if position is None:
        return text, False
    asked = re.search(rf"(?i)\b(?:que|qual|quais)\s+{re.escape(noun)}\b|^\W*(?:e\s+)?quem\b", previous)
    anchor = _answered_name(previous, previous_answer) if asked else None
    if anchor is None and asked and not asked.group().strip().lower().endswith("quem"):
        # no name to take from the answer: "esse perfil" is "o perfil que <the previous question>"
        asked_phrase = next((p for p in noun_phrases(previous) if p.start >= asked.start()), None)
        if asked_phrase is not None and asked_phrase.core.split()[0].lower() == noun.lower():
            clause = previous[asked_phrase.end :].strip(" ?")
            extra = asked_phrase.core[len(noun) :]
            return f"{text[: position.end()]}{extra} que {clause}{text[position.end() :]}", True
    if anchor is None:
        anchor = subject(previous)
        if anchor is None or fold(anchor.core) in fold(text):
            return text, False
    if asked and asked.group().strip().lower().endswith("quem") and anchor is not subject(previous):
        # "desse profissional" after "Quem…?": the person the answer named
        return text[: position.start()] + anchor.core + text[position.end() :], False
    if stem(anchor.core.split()[0]) == stem(noun):
        return text[: position.start()] + anchor.core + text[position.end() :], False
    return f"{text[: position.end()]} {anchor.after('de')}{text[position.end() :]}", False
