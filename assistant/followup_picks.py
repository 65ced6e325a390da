"""A pick from the previous list, however it is phrased, as the question the answer step
reads as one ("Qual das <lista> …?" or "Das <lista> que …, qual …?").

Users pick with a pronoun ("E qual delas serve para X?"), a demonstrative with or without
its noun ("Qual dessas tarefas…?", "Qual desses tem…?", "Dessas, qual…?", "Entre elas,
quais…?"), an indefinite that may find none ("Alguma delas…?", "Tem alguma nessa lista
que…?"), a relative ("E a que fica entre X e Y?") or, right after a list or a pick, a bare
"E qual <verbo>…?". The list is the plural phrase of the previous question (of either
gender: "desses" after "as dores de cabeça"), else of the one before it; when neither
names one ("O documento dá mais de uma descrição… Quais são?"), the items are "os itens
citados" and the previous question comes along for retrieval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant import followup_clauses as clauses
from assistant import lists
from assistant.phrases import ORDINAL_WORD, VERBISH, WORD, referent
from fonte.textpt import fold, stopwords

SELECTION = re.compile(r"^\W*(?:e\s+)?(qual|quais)\s+(delas|deles)\b\s*", re.IGNORECASE)
_W = r"[\wÀ-ÿ]"
_THESE = (
    r"(?:(?:d|dentre\s+|entre\s+)(?P<these>elas|eles|essas|esses|estas|estes|aquelas|aqueles)"
    rf"|n(?:essa|esta|a)\s+lista)(?:\s+(?!(?:que|são|estão)\b)(?P<noun>{_W}+s)\b)?"
)
"""The list pointed at: "delas", "dessas", "entre eles", "nessa lista", with or without its
plural noun ("dessas atividades")."""
PICK_FORMS = (
    # "Qual dessas serve…?", "Quais destes custam…?", "Qual dessas tarefas envolve…?"
    re.compile(rf"^\W*(?:e\s+)?(?P<which>qual|quais)\s+{_THESE}\s*,?\s+(?={_W})", re.IGNORECASE),
    # "Dessas, qual…?", "Entre elas, quais…?", "Desses ganhos, qual é a que…?"
    re.compile(
        rf"^\W*(?:e\s+)?{_THESE}\s*,?\s*(?P<which>qual|quais)\b\s*(?:(?:é|são)\s+[oa]s?\s+que\s+)?",
        re.IGNORECASE,
    ),
    # "Alguma delas serve…?", "Tem alguma nessa lista que…?", "Há algum que…?": which, if any
    re.compile(
        rf"^\W*(?:e\s+)?(?:(?:tem|há|existe)\s+)?(?P<which>algum|alguma|alguns|algumas)\s+"
        rf"(?:{_THESE}\s*(?:que\s+)?|que\s+|(?={_W}+(?:ad|id)[oa]s?\b))(?={_W})",
        re.IGNORECASE,
    ),
    # "E o primeiro item, é sobre o quê?", "A segunda delas serve para quê?": a pick by position
    re.compile(
        rf"^\W*(?:e\s+)?(?P<which>[oa]s?)\s+(?P<ordinal>{ORDINAL_WORD})(?:\s+(?:item|lugar|da\s+lista|del[ae]s))?"
        r"(?=\s*[,?]|\s+(?:é|são|serve|servem|fala|trata)\b)",
        re.IGNORECASE,
    ),
    # "E a que fica entre X e Y?", "Qual é a que fecha a lista?" ("E o que…?" asks "what")
    re.compile(
        rf"^\W*(?:e\s+(?P<which>a|as)|(?:e\s+)?(?:qual|quais)\s+(?:é|são|seria)\s+(?P<article>[oa]s?))\s+que\s+(?={_W})",
        re.IGNORECASE,
    ),
)
"""Ways of picking from the previous list besides "Qual delas…?"."""
EXCLUDING_PICK = re.compile(
    r"^\W*(?:e\s+)?(?:se\s+(?:eu\s+|a\s+gente\s+)?)?"
    r"(?:quais(?:\s+(?:sao|sobram|ficam|restam))?\s*,?\s*)?(?:(?:tod[oa]s|[oa]s\s+outr[oa]s)\s*,?\s*)?"
    rf"{lists.EXCLUDING.pattern}\s*,?\s*"
    r"(?:(?:quais|o\s+que)\s+)?(?:(?:sobram|sobra|ficam|fica|restam|resta|sao)\b)?\W*$"
)
"""On the folded question: every item but some, by position ("Se eu tirar a primeira e a
última, quais sobram?", "E sem contar a segunda?", "Tirando o último, quais ficam?", "E
todas menos a primeira?")."""
BARE_PICK = re.compile(
    rf"^\W*(?:e\s+)?(?P<which>qual|quais)\s+(?!(?:é|são|foi|foram|era|seria|o|a|os|as|um|uma|de|do|da|dos|das)\b)"
    rf"(?={_W}+(?<!s)\b)",
    re.IGNORECASE,
)
""""E qual fala de X?" right after a list or a pick: the next word is no plural noun of a
new question ("Quais ferramentas…?")."""
ASKED_LIST = re.compile(r"\b(?:quais|liste|lista|listam|cite|enumere)\b")
"""On the folded previous question: it asked for a list (also as a second sentence, "…? Quais são?")."""
STEPPED = re.compile(rf"\b[oa]s?\s+{ORDINAL_WORD}", re.IGNORECASE)
AFTER_VERB = frozenset(["tudo", "mais", "menos", "melhor", "pior", "bem", "mal", "logo", "direto", "sobre"])
"""Words that follow a verb, not a noun ("engloba tudo", "vem logo depois"), beyond stopwords."""
ARTICLES = frozenset(["o", "a", "os", "as", "um", "uma"])
"""After a noun ("Qual ferramenta a equipe usa?") they open its subject."""
INTERJECTION = re.compile(
    r"^\W*(?:beleza|ok|okay|certo|legal|entendi|ótimo|otimo|show|perfeito|blz|valeu|obrigad[oa]|hum+|ah)\s*[.!,]+\s*",
    re.IGNORECASE,
)
"""A word of acknowledgement before the question ("Beleza. E qual é a que…?")."""
COPULAS = frozenset(["e", "sao", "foi", "foram", "era", "esta", "estao", "seria"])
"""After a noun ("Qual ferramenta é…?") they start a question of its own."""
UNNAMED_LIST = "itens citados"
"""What the items are called when the conversation names no plural phrase for them."""
UNNAMED_CONTEXT = re.compile(r"\((.+)\)\W*$")
"""The list question a pick from unnamed items carries along ("Dos itens citados, … (Quais…?)")."""


@dataclass(frozen=True)
class Pick:
    which: str
    """"Qual" or "Quais"."""
    gender: str | None
    rest: str
    """What is asked of the items ("serve para X")."""
    named: bool = False
    """The user named the items ("dessas atividades"): only a previous list of their gender
    is taken; else the demonstrative is anchored by the reference rules."""


PARSED_TURNS = 64
"""Picks remembered: a turn is parsed when telling whether it is a follow-up
(`picks_from_list`), then again by the rewrite rules (`pick_from_list`,
`from_unnamed_list`); the cache makes that one parse per turn."""


@lru_cache(maxsize=PARSED_TURNS)
def parse(question: str, previous: str) -> Pick | None:
    """The pick `question` makes from the previous list, if it makes one."""
    question = INTERJECTION.sub("", question)
    folded = fold(question)
    excluding = EXCLUDING_PICK.match(folded)
    if excluding is not None:  # the user's words, accents kept (folding keeps the length of Portuguese)
        start, end = excluding.span("excluded")
        left_out = question[start:end] if len(folded) == len(question) else excluding["excluded"]
        feminine = re.search(r"as?$", excluding["excluded"].split()[-1]) is not None
        return Pick("Quais", "f" if feminine else "m", f"restam, tirando {left_out}")
    match = SELECTION.match(question)
    if match:
        return Pick(
            match[1].capitalize(), "f" if match[2].lower() == "delas" else "m", question[match.end() :]
        )
    match = next((m for form in PICK_FORMS if (m := form.match(question))), None)
    if match is None and (lists.asks_selection(previous) or ASKED_LIST.search(fold(previous))):
        match = BARE_PICK.match(question)
        if match is not None and not _verb_first(question[match.end() :]):
            match = None  # "E qual empresa desenvolve o X?" asks its own question
    if match is None:
        return None
    which = (match.groupdict().get("which") or match["article"]).lower()
    word = ((match.groupdict().get("these") or "") if which in ("qual", "quais") else which).lower()
    gender = "f" if word.endswith(("a", "as")) else "m" if word else None
    several = which in ("quais", "alguns", "algumas", "as", "os")
    ordinal = match.groupdict().get("ordinal")
    if ordinal and STEPPED.search(previous):
        return None  # "E o último?" after "Explique o primeiro dos…" steps through (the ellipsis rule)
    rest = f"{'são' if several else 'é'} {which} {ordinal}" if ordinal else question[match.end() :]
    return Pick("Quais" if several else "Qual", gender, rest, bool(match.groupdict().get("noun")))


def _verb_first(rest: str) -> bool:
    """Whether `rest` opens with a verb ("fala de X", "tem a ver com", "mexe com"), not with a
    noun of a question of its own ("empresa desenvolve X"): a verb ending, or a function word
    other than a copula right after it."""
    words = [fold(w) for w in WORD.findall(rest)[:2]]
    if not words:
        return False
    if VERBISH.search(words[0]):
        return True
    return len(words) == 2 and words[1] in stopwords() | AFTER_VERB and words[1] not in COPULAS | ARTICLES


def picks_from_list(question: str, previous: str) -> bool:
    """Whether `question` picks from the list `previous` asked for, also when it names an
    item and so looks standalone ("Qual vem logo depois do DVC?")."""
    return parse(question, previous) is not None


def pick_from_list(question: str, previous: str, earlier: str = "") -> tuple[str, str] | None:
    """ "E qual delas serve para X?" → "Qual das <plural phrase of the previous question>
    serve para X?", with the list asked for alone (see `followup_clauses.pick_question`);
    None when `question` makes no pick or no list is named."""
    pick = parse(question, previous)
    if pick is None:
        return None
    for source in filter(None, (previous, "" if pick.named else earlier)):
        listed = referent(source, pick.gender, True) or (None if pick.named else referent(source, None, True))
        if listed is not None and fold(listed.core) != UNNAMED_LIST:
            gender = listed.gender or pick.gender or "m"  # "o primeiro" of "as frutas"
            return clauses.pick_question(pick.which, source, listed, gender, pick.rest)
    return None


def from_unnamed_list(question: str, previous: str, earlier: str = "") -> tuple[str, str] | None:
    """A pick after a list question (the previous one, else the one before) that names no
    plural phrase: "Dos itens citados, qual menciona X? (<that list question>)", and that
    list question."""
    pick = parse(question, previous)
    for source in filter(None, (previous, earlier)):
        carried = UNNAMED_CONTEXT.search(source) if fold(source).startswith(f"dos {UNNAMED_LIST}") else None
        asked = carried[1] if carried else source.strip()
        if pick is not None and ASKED_LIST.search(fold(asked)):
            return (
                f"Dos {UNNAMED_LIST}, {pick.which.lower()} {pick.rest.strip().rstrip(' ?')}? ({asked})",
                asked,
            )
    return None
