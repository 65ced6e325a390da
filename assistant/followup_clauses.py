"""Follow-ups that name no subject of their own and lean on the previous question's clause.

- a bare interrogative: "Por quê?", "E onde?", "Por quem?", "Em que ano?" after "Quando a
  imprensa foi inventada?" → "Onde a imprensa foi inventada?";
- an event: "Por que isso aconteceu?" after "Quanto o governo reduziu os impostos?" asks
  why the government reduced them, not why "o governo" happened;
- a question with a verb but no subject: "Quanto tempo leva?", "Quem o criou?" → the
  previous question's topic is added ("Quem criou o Git?");
- asking for more: "Como assim?", "Explique melhor." repeat the previous question; "Dê um
  exemplo." asks for an example of its topic;
- a pick over the previous list by position or degree: "Explique a primeira.", "Qual é a
  mais importante?" → "Qual das causas da guerra é a mais importante?";
- a contrasting condition: "E quando é bem feito?" after "O que acontece se o bolo for mal
  feito?" → "O que acontece quando o bolo é bem feito?".

Each function returns the standalone text, or None when it does not apply.
"""

from __future__ import annotations

import re

from assistant import lists
from assistant.antecedents import SUBJECT_PERSONAL
from assistant.phrases import (
    ORDINAL_WORD,
    VERBISH,
    WH_WORDS,
    WHAT_IS,
    WORD,
    Phrase,
    defined,
    is_name,
    noun_phrases,
    referent,
    topic,
)
from fonte.textpt import fold, stem, stopwords

_WH = (
    r"por\s*qu[eê]|porqu[eê]|para\s*qu[eê]|com\s+que\s+(?:objetivo|finalidade|propósito|fim|frequência)|"
    r"de\s+que\s+(?:forma|maneira|modo)|em\s+que\s+(?:ano|data|século|época|momento|país|cidade|lugar)|"
    r"(?:por|com|para|de)\s+quem|desde\s+quando|até\s+quando|a\s+partir\s+de\s+quando|de\s+onde|"
    r"quanto\s+tempo|quando|onde|como|quem|"
    r"(?:(?:para|de|em|com|por|a)\s+)?(?:quais|qual|quantos|quantas)\s+"
    r"(?!(?:del[ae]s?|isso|disso|é|são|foi|foram)\b)[\wÀ-ÿ]+"
)
WH_ONLY = re.compile(rf"^\W*(?:e\s+)?(?:mas\s+)?(?P<wh>{_WH})\s*\??\s*$", re.IGNORECASE)
CLAUSE_LEAD = re.compile(
    r"^\W*(?:e\s+)?(?:de\s+quanto\s+para\s+quanto|por\s+que|para\s+que|"
    r"com\s+que\s+(?:objetivo|finalidade|frequência)|em\s+que\s+(?:ano|data|século|momento)|"
    r"quanto\s+tempo|desde\s+quando|quando|onde|como|quanto|"
    rf"o\s+que(?!\s+{WHAT_IS}\b))\s+(?=\w)",
    re.IGNORECASE,
)
"""Interrogatives whose question goes on with a whole clause ("Quando <a imprensa foi inventada>")."""
NO_CLAUSE = re.compile(r"^\W*(?:e\s+)?(?:qual|quais|quem|que|quantos|quantas|o\s+que)\b", re.IGNORECASE)
"""Questions whose clause lacks its subject or object: a bare "Por quê?" cannot reuse them."""
EVENT = re.compile(
    r"^\W*(?:e\s+)?(?P<wh>.+?)\s+(?:isso|isto)\s+(?:(?:já\s+)?(?:aconteceu|acontece|ocorreu|ocorre|"
    r"se\s+deu|se\s+dá|foi\s+feito|é\s+feito|aconteceram|ocorreram))\s*\??\s*$",
    re.IGNORECASE,
)
"""An event named by "isso": it stands for the whole previous clause."""
PROCLITIC = re.compile(
    r"^(?P<wh>\W*(?:e\s+)?(?:quem|como|onde|quando|por\s+que)\s+)(?P<o>o|a|os|as)\s+(?=\w)", re.IGNORECASE
)
"""An object pronoun before the verb: "Quem o criou?"."""
WH_NOUN_ONLY = re.compile(
    r"^(?:(?:para|de|em|com|por|a)\s+)?(?:quais|qual|quantos|quantas)\s+[\wÀ-ÿ]+$", re.IGNORECASE
)
VERBS_ONLY_MAX_WORDS = 4
"""An interrogative and a verb or two ("Quem precisa declarar?"): longer ones name something."""
BARE_MAX_WORDS = 5
"""A question with no subject of its own is short ("Quanto tempo leva?", "Quem o propôs?")."""
MORE = re.compile(
    r"^\W*(?:e\s+)?(?:como\s+assim|explique\s+melhor|explica\s+melhor|pode(?:s|ria)?\s+explicar\s+melhor|"
    r"pode(?:s|ria)?\s+detalhar|detalhe(?:\s+mais)?|fale\s+mais|(?:me\s+)?(?:conte|fale|diga)\s+mais|"
    r"n[ãa]o\s+entendi|e\s+da[ií]|e\s+depois)\b[^?.!]*[?.!]?\s*$",
    re.IGNORECASE,
)
EXAMPLE = re.compile(
    r"^\W*(?:e\s+)?(?:d[êeá]\s+(?:um|alguns)\s+exemplos?|pode(?:s|ria)?\s+dar\s+(?:um|alguns)\s+exemplos?|"
    r"por\s+exemplo|(?:tem|há)\s+(?:algum|alguns)\s+exemplos?|quais\s+(?:são\s+)?(?:os\s+)?exemplos|"
    r"(?:um|algum)\s+exemplo)\s*[?.!]?\s*$",
    re.IGNORECASE,
)
_DEGREE = r"(?:mais|menos)\s+[\wÀ-ÿ]+|maior|menor|melhor|pior|principal|principais"
_PICK = rf"(?P<pick>(?P<art>o|a|os|as)\s+(?:{_DEGREE}|{ORDINAL_WORD}))"
PICK_ASKED = re.compile(
    rf"^\W*(?:e\s+)?(?:(?:qual|quais)\s+(?:é|são|foi|foram|seria|seriam)\s+)?{_PICK}\s*\??\s*$", re.IGNORECASE
)
PICK_ORDERED = re.compile(
    rf"^\W*(?:e\s+)?(?P<verb>explique|descreva|detalhe|comente|fale\s+sobre|e\s+sobre)\s*{_PICK}\s*[.?!]?\s*$",
    re.IGNORECASE,
)


def leans_on_previous(question: str) -> bool:
    """Whether `question` asks for more of the previous answer or picks from its list
    ("Explique melhor.", "Dê um exemplo.", "Explique a primeira.")."""
    return any(p.match(question) for p in (MORE, EXAMPLE, PICK_ASKED, PICK_ORDERED))


def only_verbs(question: str) -> bool:
    """A short question with an interrogative, no noun phrase or name, ending in a verb:
    "Quem precisa declarar?", "Onde posso comprar?" (not "O que causa malária?")."""
    words = WORD.findall(question)
    if not words or len(words) > VERBS_ONLY_MAX_WORDS or fold(words[0]) not in WH_WORDS | _WH_WORDS:
        return False
    if noun_phrases(question) or any(is_name(w, n == 0) for n, w in enumerate(words)):
        return False
    return bool(VERBISH.search(fold(words[-1])))


def wh_only(question: str, previous: str) -> str | None:
    """ "E onde?" after "Quando a imprensa foi inventada?" → "Onde a imprensa foi inventada?"."""
    match = WH_ONLY.match(question)
    rest = clause(previous)
    if match is None or rest is None:
        return None
    wh = re.sub(r"(?i)^(por|para)\s*qu[eê]$|^porqu[eê]$", lambda m: f"{m[1] or 'por'} que", match["wh"])
    return f"{wh} {rest}?"


def event(question: str, previous: str) -> str | None:
    """ "Por que isso aconteceu?" after "Quanto o governo reduziu os impostos?" → "Por que o
    governo reduziu os impostos?"."""
    match = EVENT.match(question)
    rest = clause(previous)
    if match is None or rest is None or len(WORD.findall(match["wh"])) > 3:
        return None
    return f"{match['wh']} {rest}?"


def clause(question: str) -> str | None:
    """The previous question without its interrogative, as a clause another one can lead:
    "a imprensa foi inventada" of "Quando a imprensa foi inventada?"; a yes/no question is
    a clause as it stands. None for "Qual/Quem/O que é…?", whose clause lacks a part."""
    lead = CLAUSE_LEAD.match(question)
    if lead is not None:
        rest = question[lead.end() :]
    elif NO_CLAUSE.match(question):
        return None
    else:
        rest = re.sub(r"(?i)^\W*(?:e\s+)?", "", question)
    rest = rest.strip().rstrip(" ?")
    words = WORD.findall(rest)
    if not words:
        return None
    return rest[:1].lower() + rest[1:] if fold(words[0]) in stopwords() else rest


def bare(question: str, previous: str) -> str | None:
    """ "Quanto tempo leva?" after "Como se faz o pão de fermentação natural?" → "Quanto tempo
    leva o pão de fermentação natural?"; "Quem o criou?" → "Quem criou o Git?"."""
    text = re.sub(r"(?i)^\W*(?:e\s+)?", "", question).strip().rstrip(" ?")
    words = WORD.findall(text)
    proclitic = PROCLITIC.match(text)
    found = topic(previous)
    if proclitic is not None:
        text = text[: proclitic.start("o")] + text[proclitic.end() :]
        o = proclitic["o"].lower()
        found = referent(previous, "f" if o.startswith("a") else "m", o.endswith("s")) or found
    if len(words) > BARE_MAX_WORDS or noun_phrases(text) or fold(words[0] if words else "") not in _WH_WORDS:
        return None
    if WH_NOUN_ONLY.match(text):
        return None  # "Para quais países?" names no verb to attach a subject to
    if found is None or len(WORD.findall(text)) < 2:
        return None  # "Quem?" asks nothing of its own
    if any(fold(w) in _PREDICATES for w in WORD.findall(text)):
        return None  # "Quando é preciso?" says something of a subject it leaves unnamed
    return f"{text} {found.with_article()}?"


_WH_WORDS = frozenset(
    ["quanto", "quanta", "quem", "onde", "quando", "como", "por", "para", "em", "de", "com"]
)
"""First words of a short question that asks about something it does not name."""


def more(question: str, previous: str) -> str | None:
    """ "Como assim?" → "Explique melhor: <the previous question>"; "Dê um exemplo." → "Dê um
    exemplo de <its topic>."."""
    if MORE.match(question):
        body = previous.strip()
        first = WORD.match(body)
        if first is not None and fold(first.group()) in stopwords() | _CLAUSE_OPENERS:
            body = body[:1].lower() + body[1:]
        return f"Explique melhor: {body}"
    if EXAMPLE.match(question):
        found = topic(previous)
        return f"Dê um exemplo de {found.core}." if found is not None else None
    return None


_CLAUSE_OPENERS = frozenset(["quanto", "quanta", "quantos", "quantas", "por"])
_PREDICATES = frozenset(fold(w) for w in ["é", "são", "está", "estão", "fica", "ficam"])
"""Verbs a predicate follows: the subject they leave out is not simply the previous topic."""
_LEAD = re.compile(r"^\W*(?:e\s+)?", re.IGNORECASE)
_COPULAS = frozenset(fold(w) for w in ["e", "é", "são", "foi", "foram", "era", "eram", "seria", "seriam"])


def attribute(question: str, previous: str) -> str | None:
    """ "Quais são as vantagens?" after "O que é o Docker?" → "Quais são as vantagens do Docker?":
    a short question about one bare attribute is about the previous topic."""
    phrases = noun_phrases(question)
    if len(WORD.findall(question)) > BARE_MAX_WORDS + 1 or len(phrases) != 1 or defined(question):
        return None
    (asked,) = phrases
    others = WORD.findall(question[: asked.start] + " " + question[asked.end :])
    if any(fold(w) not in WH_WORDS | _COPULAS for w in others):
        return None  # "E quem descobriu a penicilina?" asks its own question
    found = topic(previous)
    if asked.named or re.search(r"\s(?:de|do|da|dos|das)\s", f" {asked.core} ") or found is None:
        return None
    if fold(found.core) in fold(question):
        return None
    lead = _LEAD.match(question)
    start = lead.end() if lead else 0
    text, end = question[start:].rstrip(" ?"), asked.end - start
    return f"{text[:end]} {found.after('de')}{text[end:]}?"


def pick(question: str, previous: str) -> str | None:
    """ "Qual é a mais importante?" after "Quais são as causas da guerra?" → "Qual das causas
    da guerra é a mais importante?"; "Explique a primeira." → "Explique a primeira das…"."""
    asked, ordered = PICK_ASKED.match(question), PICK_ORDERED.match(question)
    match = asked or ordered
    if match is None or re.search(rf"\b[oa]s?\s+{ORDINAL_WORD}", previous):
        return None  # "E o último?" after "Explique o primeiro…" steps through (the ellipsis rule)
    article = match["art"].lower()
    gender = "f" if article.startswith("a") else "m"
    listed = referent(previous, gender, True)
    if listed is None:
        return None
    if ordered is not None:
        verb = re.sub(r"(?i)^e\s+sobre$", "Fale sobre", ordered["verb"])
        return f"{verb} {match['pick']} {described_list(previous, listed, gender)}."
    which = "Quais" if article.endswith("s") else "Qual"
    copula = "são" if article.endswith("s") else "é"
    return pick_question(which, previous, listed, gender, f"{copula} {match['pick']}")[0]


def pick_question(which: str, previous: str, listed: Phrase, gender: str, rest: str) -> tuple[str, str]:
    """A pick from the previous list, in the form the answer step reads as one: "Qual das
    ferramentas de MLOps serve para X?", or, when the list carries the previous question's
    clause, "Das ferramentas que o documento cita, qual serve para X?" (the comma tells the
    list from what is asked of its items); and the list alone, asked for ("Quais são as
    ferramentas…?"), on which the evidence that the documents hold it is measured."""
    rest = rest.strip().rstrip(" ?")
    listed_as = described_list(previous, listed, gender)
    asked_list = (
        f"Quais são {listed.with_article(gender, True)}{listed_as[len(listed.after('de', gender, True)) :]}?"
    )
    if listed_as == listed.after("de", gender, True):
        return f"{which} {listed_as} {rest}?", asked_list
    return f"{listed_as[:1].upper()}{listed_as[1:]}, {which.lower()} {rest}?", asked_list


def described_list(previous: str, listed: Phrase, gender: str) -> str:
    """ "das ferramentas de MLOps que o documento cita": the list a pick is made from, with the
    previous question's clause when the list is what that question asked for."""
    clause = list_clause(previous, listed)
    return f"{listed.after('de', gender, True)}{f' que {clause}' if clause else ''}"


def list_clause(previous: str, listed: Phrase) -> str:
    """ "o documento cita" of "Quais ferramentas de MLOps o documento cita?" (or of the pick
    "Das ferramentas de MLOps que o documento cita, qual…?"): the previous question's clause,
    when the list is what that question asked for; "" otherwise."""
    if lists.asks_selection(previous):
        head, comma, _ = previous.partition(",")
        clause = head[listed.end :] if comma and listed.end <= len(head) else ""
    else:
        lead = LIST_LEAD.match(previous)
        clause = previous[listed.end :] if lead is not None and listed.start <= lead.end() else ""
    return re.sub(r"(?i)^que\s+", "", clause.strip(" ?"))


LIST_LEAD = re.compile(r"^\W*(?:e\s+)?(?:quais|que|qual)\s+(?:(?:são|foram|seriam)\s+)?", re.IGNORECASE)
"""A question asking for a list: the list's noun comes right after it."""


CONTRAST = re.compile(
    r"^\W*(?:e|mas)\s+(?:e\s+)?(?P<conj>quando|se|caso|enquanto)\s+(?P<clause>[^?,;]+?)\s*\??\s*$",
    re.IGNORECASE,
)
"""A follow-up that is only a condition ("E quando é bem feito?", "E se for barato?")."""
CONDITION = re.compile(r"(?<![\wÀ-ÿ])(?P<conj>quando|se|caso|enquanto)\s+(?=[\wÀ-ÿ])", re.IGNORECASE)
"""Where a condition may open inside a question: "…acontece se o bolo for mal feito?"."""
CLAUSE_END = re.compile(r"[?,;.!]|$")
SUBJUNCTIVE = re.compile(r"(?:r|sse|ssem|rem)$")
"""Endings of the verb right after a conditional "se"/"caso" ("se for", "se chover", "se
fizesse"); after a reflexive "se" comes an indicative ("como se faz", "o bolo se desfaz")."""
CLAUSE_PRONOUNS = frozenset(fold(w) for w in [*SUBJECT_PERSONAL, *WORD.findall("eu você isso isto nós")])
"""Pronouns a condition's subject may be ("se ele for…")."""
OPENS_CLAUSE = CLAUSE_PRONOUNS | frozenset(fold(w) for w in WORD.findall("o a os as um uma não"))
"""Words that open a condition's subject ("se o bolo…", "se ele…", "se não…")."""
NOT_CONDITIONAL = frozenset(fold(w) for w in ["até", "desde", "de"])
"""Before "quando" these make it an interrogative ("Desde quando…?"), not a condition."""
CONTRASTS = {"bem": "mal", "cedo": "tarde", "caro": "barato", "muito": "pouco", "sempre": "nunca"}
"""Words a contrasting condition swaps ("mal feito" → "bem feito"); each pairs both ways."""
_CONTRASTED = {**CONTRASTS, **{b: a for a, b in CONTRASTS.items()}}
COPULAS = frozenset(
    fold(w) for w in WORD.findall("for forem fosse fossem é são era eram está estão estiver estiverem")
)
"""Forms of ser/estar opening a condition that only says what its subject is ("se for barato")."""


def contrast(question: str, previous: str, *, loose: bool = True) -> str | None:
    """ "E quando é bem feito?" after "O que acontece se o bolo for mal feito?" → "O que
    acontece quando o bolo é bem feito?": the condition replaces the previous one, keeping its
    subject when it names none. The previous condition must share a word with the new one or
    hold its opposite ("mal"/"bem"), unless `loose` and both open with the same word ("E se
    chover?" after "…se fizer sol?")."""
    match = CONTRAST.match(question)
    if match is None:
        return None
    new_words = {stem(fold(w)) for w in WORD.findall(match["clause"]) if fold(w) not in stopwords()}
    opposite = {_CONTRASTED[fold(w)] for w in WORD.findall(match["clause"]) if fold(w) in _CONTRASTED}
    for old in CONDITION.finditer(previous):
        conj = fold(old["conj"])
        before = WORD.findall(previous[: old.start()])
        end = old.end() + CLAUSE_END.search(previous[old.end() :]).start()  # type: ignore[union-attr]
        clause_words = WORD.findall(previous[old.end() : end])
        if not _conditional(conj, before, clause_words):
            continue
        words = [fold(w) for w in clause_words]
        shared = new_words & {stem(w) for w in words if w not in stopwords()} or opposite & set(words)
        if not shared and not (loose and conj == fold(match["conj"])):
            continue
        clause = _new_clause(match["clause"].strip(), previous[old.end() : end], bool(shared))
        if clause is None:
            return None
        head = previous[: old.start()] if before else "O que acontece "  # "Se o bolo…?" asks what happens
        return f"{head}{match['conj'].lower()} {clause}{previous[end:]}"
    return None


def _new_clause(clause: str, old: str, shared: bool) -> str | None:
    """The condition that replaces the `old` one: the old one with its word swapped when the new
    one only says the opposite ("se eu comer muito açúcar" + "se for pouco" → "se eu comer pouco
    açúcar"); the new one with the old subject when it leaves its subject out and either shares a
    word or, like the old one, only says what the subject is ("se o carro for novo" + "se for
    usado"); the new one alone when it has a verb of its own ("se chover"); None when it only says
    what something is and shares nothing ("se for barato" after "se chover": barato what?)."""
    words = [fold(w) for w in WORD.findall(clause)]
    said = [w for w in words if (w in _CONTRASTED or w not in stopwords()) and w not in COPULAS]  # "bem"
    swapped = WORD.sub(
        lambda w: _CONTRASTED[fold(w[0])] if _CONTRASTED.get(fold(w[0])) in said else w[0], old
    )
    if said and all(w in _CONTRASTED for w in said) and swapped != old:
        return swapped.strip()
    subject = _clause_subject(old)
    if subject is None or _clause_subject(clause) is not None:
        return clause
    old_verb = WORD.findall(old.strip()[len(subject) :])[:1]
    if shared or (words and words[0] in COPULAS and fold("".join(old_verb)) in COPULAS):
        return f"{subject} {clause}"  # the subject the new condition leaves out
    if words and words[0] in COPULAS:
        return None
    return clause


def _conditional(conj: str, before: list[str], clause: list[str]) -> bool:
    """Whether "quando/se/caso" opens a condition: not "Quando foi…?" opening a question, nor a
    reflexive "se" ("Como se faz…?"), nor the noun "caso" ("no caso de")."""
    if not clause:
        return False
    if conj in ("quando", "enquanto"):
        return bool(before) and fold(before[-1]) not in NOT_CONDITIONAL
    first = fold(clause[0])
    return first in OPENS_CLAUSE or is_name(clause[0], False) or bool(SUBJUNCTIVE.search(first))


def _clause_subject(clause: str) -> str | None:
    """The subject opening a clause: a noun phrase or a pronoun ("o bolo for…", "ele for…")."""
    first = WORD.match(clause.strip())
    if first is not None and fold(first.group()) in CLAUSE_PRONOUNS:
        return first.group()
    phrase = next((p for p in noun_phrases(clause.strip()) if p.start == 0), None)
    return clause.strip()[: phrase.end] if phrase is not None else None
