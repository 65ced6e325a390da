"""Pronouns, clitics and demonstratives of a follow-up, replaced by what they stand for.

"ele", "dela", "implantá-lo", "disso" stand for the phrase of the previous question they
agree with in gender and number, or, after "quem…?" / "qual cafeteira…?", for the name
the previous answer gave. "esse perfil" becomes "o perfil de <that name>", or, when the
answer named nothing, "o perfil que <the previous question's clause>". Where else a pronoun
points (the follow-up's own names, one of a compared pair, the person named, the previous
predicate, the item a pick chose) is assistant/antecedents.py.
"""

from __future__ import annotations

import re

from assistant.abstain import is_abstention
from assistant.antecedents import (
    PERSONAL,
    ROLE_NOUNS,
    done_by_another,
    names_role,
    own_name,
    owned,
    pair_member,
    person,
    picked_item,
    predicate,
    redo,
)
from assistant.lists import asks_selection
from assistant.phrases import (
    FRAMING_HEADS,
    WORD,
    Phrase,
    gender_number,
    noun_phrases,
    referent,
    subject,
    topic,
)
from fonte.textpt import fold, stem, stopwords

PRONOUNS = {  # pronoun → (preposition, gender, plural)
    **PERSONAL,
    "isso": ("", None, False), "isto": ("", None, False), "aquilo": ("", None, False),
    "disso": ("de", None, False), "disto": ("de", None, False), "daquilo": ("de", None, False),
    "nisso": ("em", None, False), "nisto": ("em", None, False),
}  # fmt: skip
DEMONSTRATIVE = re.compile(
    r"\b(d|n)?(?:ess|est|aquel)(e|a|es|as)(?:\s+mesm[oa]s?)?\s+(?=[\wÀ-ÿ])", re.IGNORECASE
)
TAL = re.compile(r"\b(?:(de|em)\s+)?tal\s+(?=(?P<noun>[\wÀ-ÿ]+))", re.IGNORECASE)
""""tal abordagem" points back like "essa abordagem"."""
POSSESSIVE = re.compile(r"\b(?:(o|a|os|as)\s+)?(seu|sua|seus|suas)\s+(?=[\wÀ-ÿ])", re.IGNORECASE)
""""a sua principal causa": the possessor is the previous question's topic."""
DEICTIC_TIME = frozenset(
    fold(w)
    for w in [
        "ano",
        "anos",
        "mês",
        "meses",
        "semana",
        "semanas",
        "dia",
        "dias",
        "século",
        "momento",
        "vez",
        "semestre",
        "trimestre",
    ]
)
""""este ano" is the current one, not a phrase of the conversation."""
ACRONYM = re.compile(r"[A-Z][A-Z0-9/&.-]+")
"""An acronym follows its noun in apposition ("a sigla SQL"), not after "de"."""
NAMING_NOUNS = frozenset(fold(w) for w in ["termo", "nome", "sigla", "palavra", "expressão", "marca"])
"""Nouns for a name, which follows them in apposition: "o termo Wi-Fi", not "o termo do Wi-Fi"."""
CLITIC = re.compile(r"\b([\wÀ-ÿ]+?)(á|ê|í|ô|i)-(lo|la|los|las)\b", re.IGNORECASE)
ASKED_WHO = re.compile(r"^\W*(?:e\s+)?quem\b", re.IGNORECASE)
COMMON_VERBS = (
    "é|são|foi|foram|está|estão|tem|têm|serve|servem|faz|fazem|pode|podem|usa|usam|custa|custam|"
    "funciona|funcionam|precisa|precisam|vale|valem|fica|ficam|deve|devem|ajuda|ajudam"
)
BEFORE_VERB = re.compile(rf"\b([dn]?)ess(e|a|es|as)\s+(?=(?:{COMMON_VERBS})\b)", re.IGNORECASE)
""""a primeira dessas serve…", "Esse é gratuito?": a demonstrative before a verb stands alone,
like "delas", "ele"."""
ASKED_KIND = re.compile(r"^\W*(?:e\s+)?(?:que|qual|quais)\s+([\wÀ-ÿ]+)", re.IGNORECASE)
""""Que ciclo…?", "Qual molho…?": the noun names the kind of thing the answer gives."""
ASKED_MANY = re.compile(
    r"^\W*(?:e\s+)?(?:(?:entre|em|de|para|com|por|sobre)\s+)?(?:quais|quantos|quantas)\s+([\wÀ-ÿ]+)",
    re.IGNORECASE,
)
""""Entre quais equipes…?": "elas" then stands for the teams the answer named."""
PROCLITIC = re.compile(r"(?<=\w\s)(o|a|os|as)\s+([a-zà-ÿ]+am)\b")
""""que empresas o usam": before a plural verb (nouns hardly end in "-am") "o" is a pronoun."""


def says(text: str, phrase: str) -> bool:
    """Whether `text` holds `phrase` as whole words, accents and case aside: "IA" is not said in
    "indústria", nor "abs" in "absolutamente"."""
    return re.search(rf"(?<!\w){re.escape(fold(phrase))}(?!\w)", fold(text)) is not None


def points_back(question: str) -> bool:
    """Whether `question` holds a pronoun, clitic or demonstrative that stands for something
    said before (resolved or not)."""
    pronoun = re.search(r"\b(?:" + "|".join(PRONOUNS) + r")\b", question, re.IGNORECASE)
    nouns = [WORD.match(question[m.end() :]) for m in DEMONSTRATIVE.finditer(question)]
    demonstrative = any(n and fold(n.group()) not in FRAMING_HEADS | DEICTIC_TIME for n in nouns)
    proclitic = any(_verb(m[2]) for m in PROCLITIC.finditer(question))
    return bool(pronoun or CLITIC.search(question) or proclitic or TAL.search(question) or demonstrative)


def as_pronouns(question: str) -> str:
    """ "A primeira dessas serve para quê?" → "A primeira delas serve para quê?": a
    demonstrative right before a verb has no noun of its own, so it is the pronoun."""

    def pronoun(match: re.Match[str]) -> str:
        word = f"{match[1]}el{match[2]}".lower()
        return (word if match[0][:1].islower() else word.capitalize()) + " "

    return BEFORE_VERB.sub(pronoun, question)


def _verb(word: str) -> bool:
    """A verb in "-am" has a vowel before the ending ("usam"); "spam" does not."""
    return bool(re.search(r"[aeiouáéíóúâêôãõ]", fold(word[:-2])))


def resolve_references(
    question: str, previous: str, previous_answer: str, *, owner: Phrase | None = None
) -> tuple[str, bool] | None:
    """Pronouns, clitics and demonstratives replaced by what they stand for, and whether a
    whole clause of the previous question was borrowed; None if there were none. `owner` is
    the topic the follow-up named before its question ("Voltando ao X: …"): the pronouns,
    clitics and possessives that agree with it stand for it."""
    text = TAL.sub(_as_demonstrative, question)
    changed = borrowed_clause = False
    paired = pair_member(text, previous)  # "o primeiro" of "a diferença entre X e Y"
    if paired is not None:
        text, changed = paired, True
    redone = redo(text, previous)  # "ele fez isso" → "ele inventou o telefone"
    if redone is not None:
        text, changed = redone, True
    used: list[str] = []  # what the pronouns so far stood for
    possessed = _possessive(text, previous, owner)
    if possessed is not None:
        text, changed = possessed, True

    def pronoun(match: re.Match[str]) -> str:
        nonlocal changed
        preposition, gender, plural = PRONOUNS[match.group().lower()]
        found = referent(previous, gender, plural)
        if gender is not None and not plural and _asks_for_one(previous, gender):
            found = (
                _answered_name(previous, previous_answer)
                or _answered_one(previous, previous_answer, gender)
                or found
            )
        if plural and gender is not None:  # "elas" after "Entre quais equipes…?": the teams answered
            found = _answered_kind(previous, previous_answer, ASKED_MANY) or found
        if gender is not None:  # a name of the follow-up's own earlier clause, or the person meant
            found = own_name(text, match.start(), gender, plural) or _person(question, previous) or found
        if _fits(owner, gender, plural) and (not preposition or owned(text, match.start())):
            found = owner  # "E o X, em que difere dele?": not the subject of its own verb
        if gender is None:  # "isso" is the thing the previous answer gave, or the criterion picked by
            found = _answered_kind(previous, previous_answer) or _pick_criterion(previous) or found
            said = [*used, question]
            if found is not None and (
                any(says(u, found.core) for u in said) or done_by_another(text, match.start(), found, used)
            ):
                clause = predicate(previous)  # "Como ele consegue isso?": not the same thing twice
                if clause is None:
                    return match.group()
                changed = True
                return f"{preposition} {clause}".strip()
        if found is not None:
            used.append(found.core)
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
        plural = match[3].lower().endswith("s")
        found = owner if _fits(owner, gender, plural) else referent(previous, gender, plural)
        if found is None:
            return match.group()
        changed = True
        ending = {"á": "ar", "ê": "er", "í": "ir", "ô": "or", "i": "ir"}[match[2].lower()]
        return f"{match[1]}{ending} {found.with_article(gender)}"

    text = CLITIC.sub(clitic, text)

    def proclitic(match: re.Match[str]) -> str:
        nonlocal changed
        gender = "f" if match[1].startswith("a") else "m"
        found = referent(previous, gender, match[1].endswith("s")) if _verb(match[2]) else None
        if found is None:
            return match.group()
        changed = True
        return f"{match[2]} {found.with_article(gender)}"  # "o usam" → "usam o DevOps"

    text = PROCLITIC.sub(proclitic, text)

    def demonstrative(match: re.Match[str]) -> str:
        nonlocal changed
        rest = text[match.end() :]
        noun = WORD.match(rest)
        if noun is None or fold(noun.group()) in FRAMING_HEADS | DEICTIC_TIME | stopwords():
            return match.group()  # "um engenheiro desses no Brasil": no noun of its own
        article = {"e": "o", "a": "a", "es": "os", "as": "as"}[match[2].lower()]
        prefix = {"d": "d", "n": "n"}.get((match[1] or "").lower(), "")
        changed = True
        return f"{prefix}{article} " if prefix else f"{article} "

    demonstrated = [m for m in DEMONSTRATIVE.finditer(text)]
    if demonstrated:
        nouns = [WORD.match(text[m.end() :]) for m in demonstrated]
        text = DEMONSTRATIVE.sub(demonstrative, text)
        for noun in nouns:
            if noun is None or fold(noun.group()) in FRAMING_HEADS | DEICTIC_TIME | stopwords():
                continue
            text, borrowed = _anchor(text, noun.group(), previous, previous_answer)
            borrowed_clause = borrowed_clause or borrowed
    if not changed:
        return None
    return text, borrowed_clause


def _as_demonstrative(match: re.Match[str]) -> str:
    """ "de tal abordagem" → "dessa abordagem", which the demonstrative rule then anchors."""
    gender, plural = gender_number(match["noun"])
    ending = {("f", False): "a", ("f", True): "as", (None, True): "es", ("m", True): "es"}.get(
        (gender, plural), "e"
    )
    prefix = {"de": "d", "em": "n"}.get((match[1] or "").lower(), "")
    return f"{prefix}ess{ending} " if prefix else f"ess{ending} "


def _fits(owner: Phrase | None, gender: str | None, plural: bool) -> bool:
    """Whether a personal pronoun of this gender and number can stand for `owner`."""
    return (
        owner is not None and gender is not None and owner.plural == plural and owner.gender in (None, gender)
    )


def _possessive(text: str, previous: str, owner: Phrase | None = None) -> str | None:
    """ "Qual é a sua principal causa?" after "O que é a inflação?" → "Qual é a principal causa
    da inflação?": the possessive goes, "de <topic>" follows the possessed phrase."""
    match = POSSESSIVE.search(text)
    owner = owner or topic(previous)
    if match is None or owner is None:
        return None
    gender = "f" if match[2].lower().startswith("sua") else "m"
    article = match[1] or {"m": "o", "f": "a"}[gender] + ("s" if match[2].lower().endswith("s") else "")
    if match.start() == 0 or text[: match.start()].strip() == "":
        article = article.capitalize()
    opening = article.lower() if match.start() else article
    rewritten = f"{text[: match.start()]}{opening} {text[match.end() :]}"
    possessed = next((p for p in noun_phrases(rewritten) if p.start == match.start()), None)
    if possessed is None:
        return None
    return f"{rewritten[: possessed.end]} {owner.after('de')}{rewritten[possessed.end :]}"


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


def _answered_one(previous: str, previous_answer: str, gender: str) -> Phrase | None:
    """ "ela" after "Qual fruta tem mais vitamina C?" answered "A acerola." is the acerola: the
    answer's first phrase of that gender that is neither the asked noun nor in the question."""
    if not previous_answer.strip() or is_abstention(previous_answer):
        return None
    asked = ASKED_KIND.match(previous)
    noun = stem(asked[1]) if asked else ""
    seen = fold(previous)
    for phrase in noun_phrases(previous_answer):
        words = WORD.findall(phrase.core)
        if phrase.gender == gender and fold(phrase.core) not in seen and noun not in map(stem, words):
            return phrase
    return None


def _answered_kind(
    previous: str, previous_answer: str, asking: re.Pattern[str] = ASKED_KIND
) -> Phrase | None:
    """ "isso" after "Que molho o livro recomenda?" is the sauce the answer named: the answer's
    phrase headed by the asked noun, when it says more than the noun ("o molho de tomate")."""
    asked = asking.match(previous)
    if asked is None or fold(asked[1]) in stopwords():
        return None
    head = stem(asked[1])
    return next(
        (
            p
            for p in noun_phrases(previous_answer)
            if not p.head_named and stem(WORD.findall(p.core)[0]) == head and len(WORD.findall(p.core)) > 1
        ),
        None,
    )


def _pick_criterion(previous: str) -> Phrase | None:
    """ "isso" after "Qual das contas tem a ver com os juros?" is what the pick was about (the
    last phrase, "os juros"), not the list it picked from."""
    if not asks_selection(previous):  # "Qual das contas…?", the rules' form of "Qual delas…?"
        return None
    phrases = [p for p in noun_phrases(previous) if not p.head_named]
    return phrases[-1] if len(phrases) > 1 else None


def _person(question: str, previous: str) -> Phrase | None:
    """ "Ele lembra qual outro profissional?": a follow-up about a role means the person."""
    return person(previous) if names_role(question) else None


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
    role = None
    if fold(noun) in ROLE_NOUNS:  # after "Que perfil…?" the person the answer named
        role = person(previous_answer, besides=previous) if asked else person(previous)
    if role is not None:  # "esse cargo" after "O que faz um padeiro?" is the baker
        return text[: position.start()] + role.core + text[position.end() :], False
    picked = picked_item(previous_answer) if asks_selection(previous) else None
    if picked is not None:  # "esse problema" after "Qual dos problemas…?" is the one the answer picked
        return f"{text[: position.end()]} ({picked}){text[position.end() :]}", False
    anchor = _answered_name(previous, previous_answer) if asked else None
    if anchor is None and asked and not asked.group().strip().lower().endswith("quem"):
        # no name to take from the answer: "esse perfil" is "o perfil que <the previous question>"
        asked_phrase = next((p for p in noun_phrases(previous) if p.start >= asked.start()), None)
        if asked_phrase is not None and asked_phrase.core.split()[0].lower() == noun.lower():
            clause = previous[asked_phrase.end :].strip(" ?")
            extra = asked_phrase.core[len(noun) :]
            return f"{text[: position.end()]}{extra} que {clause}{text[position.end() :]}", True
    if anchor is None:
        anchor = topic(previous)
        if anchor is None or says(text, anchor.core):
            return text, False
    if asked and asked.group().strip().lower().endswith("quem") and anchor != subject(previous):
        # "desse profissional" after "Quem…?": the person the answer named
        return text[: position.start()] + anchor.core + text[position.end() :], False
    if stem(anchor.core.split()[0]) == stem(noun):
        return text[: position.start()] + anchor.core + text[position.end() :], False
    naming = fold(noun) in NAMING_NOUNS and anchor.head_named  # "esse termo" → "o termo Wi-Fi"
    if naming or (not anchor.article and ACRONYM.fullmatch(anchor.core)):  # "essa sigla" → "a sigla SQL"
        return f"{text[: position.end()]} {anchor.core}{text[position.end() :]}", False
    return f"{text[: position.end()]} {anchor.after('de')}{text[position.end() :]}", False
