"""Noun phrases of a Portuguese question, without a tagger: what a follow-up can point back at.

"O que faz o Engenheiro de Machine Learning?" holds "o Engenheiro de Machine Learning";
"Quais ferramentas de MLOps o documento cita?" holds "ferramentas de MLOps". Each phrase
knows its article, gender and number, so a pronoun ("dela", "eles") finds the phrase it
agrees with, and whether it is a name, so "ele" prefers "DataOps" to "objetivo".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fonte.textpt import fold, stopwords

WORD = re.compile(r"[\wÀ-ÿ]+(?:-[\wÀ-ÿ]+)*")
ARTICLES = {"o": ("m", False), "a": ("f", False), "os": ("m", True), "as": ("f", True)}
FUSED = {  # contraction → (preposition, article)
    **{f"d{a}": ("de", a) for a in ARTICLES},
    **{f"n{a}": ("em", a) for a in ARTICLES},
    **{f"pel{a}": ("por", a) for a in ARTICLES},
    "ao": ("a", "o"), "à": ("a", "a"), "aos": ("a", "os"), "às": ("a", "as"),
}  # fmt: skip
LINKS = frozenset({"de", "do", "da", "dos", "das"})
"""Words that join a noun to its modifiers inside one noun phrase ("ciclo de vida")."""
WH_WORDS = frozenset(
    fold(w)
    for w in [
        "que",
        "qual",
        "quais",
        "quem",
        "como",
        "onde",
        "quando",
        "quanto",
        "quanta",
        "quantos",
        "quantas",
    ]
)
FRAMING_HEADS = frozenset(
    fold(w)
    for w in [
        "documento",
        "texto",
        "material",
        "manual",
        "arquivo",
        "capítulo",
        "seção",
        "autor",
        "autores",
        "coisa",
    ]
)
"""Nouns that point at the document or are empty: never the subject a pronoun stands for."""
VERBISH = re.compile(r"(?:ar|er|ir|am|em|ou|ava|ia|ará|erá|irá)$")
"""Endings that mark a verb after a bare noun ("Quais desafios o MLOps ajuda…")."""
ADJECTIVE = re.compile(r"(?:[aiíu]d|os|iv|ic|ári|[íú]\w?u)[oa]s?$|(?:vel|veis|al|ais|lar|lares|il|eis)$")
"""Endings of adjectives that follow their noun inside a phrase ("o café coado", "modelos preditivos",
"integração contínua", "respiração celular")."""
INDEFINITE = {"um": ("m", False), "uma": ("f", False), "uns": ("m", True), "umas": ("f", True)}
"""Indefinite articles open a phrase too ("um carro elétrico"); the phrase keeps no article."""
SENTENCE_END = re.compile(r"[.!?:\n\]]")
BREAK = re.compile(r"[.!?:;\n\]()\[,]")
"""Punctuation a noun phrase does not run across."""
PRENOMINAL = frozenset(
    fold(w)
    for w in [
        "principal",
        "principais",
        "primeiro",
        "primeira",
        "primeiros",
        "primeiras",
        "último",
        "última",
        "últimos",
        "últimas",
        "melhor",
        "melhores",
        "pior",
        "piores",
        "novo",
        "nova",
        "novos",
        "novas",
        "grande",
        "grandes",
        "pequeno",
        "pequena",
        "pequenos",
        "pequenas",
        "antigo",
        "antiga",
    ]
)
"""Adjectives that come before their noun ("as principais ferramentas")."""
ORDINAL_WORD = r"(?:primeir|segund|terceir|quart|quint|últim|penúltim)[oa]s?\b"
"""Ordinals a follow-up picks an item of a list by ("a primeira", "o último")."""
NUMERALS = frozenset(
    fold(w) for w in ["dois", "duas", "três", "quatro", "cinco", "seis", "sete", "oito", "nove", "dez"]
)
INFINITIVE = re.compile(r"(?:ar|er|ir)$")
"""An infinitive after "a" is a verb ("ajuda a resolver"), not a noun phrase."""
ENGLISH_GERUND = re.compile(r"\w{2,}ing$", re.IGNORECASE)  # no Portuguese word ends so: "machine learning"
WH_LEAD = re.compile(r"(?:(?:e|mas) )?(?:(?:entre|em|de|para|com|por|sobre) (?=qua(?:l|is|ntos|ntas)\b))?")
NOT_HEADS = frozenset(
    fold(w) for w in ["mesma", "mesmas", "mesmo", "mesmos", "outra", "outras", "outro", "outros"]
)


@dataclass(frozen=True)
class Phrase:
    """A noun phrase of a question: "o Engenheiro de Machine Learning", "ferramentas de MLOps"."""

    core: str
    """Without its article: "Engenheiro de Machine Learning"."""
    article: str
    """"o", "a", "os", "as", or "" for a bare name ("MLOps")."""
    start: int
    end: int
    named: bool
    """It holds a name ("aplicação das práticas de MLOps")."""
    gender: str | None
    plural: bool
    head_named: bool = False
    """It is a name ("DataOps", "Engenheiro de Dados"), not a common noun holding one."""

    def with_article(self, gender: str | None = None, plural: bool | None = None) -> str:
        return f"{self._article(gender, plural)} {self.core}"

    def after(self, preposition: str, gender: str | None = None, plural: bool | None = None) -> str:
        """ "de" + "o DataOps" → "do DataOps"; "em" + "as equipes" → "nas equipes"."""
        article = self._article(gender, plural)
        fused = {"de": "d", "em": "n", "por": "pel"}.get(preposition)
        if fused is not None:
            return f"{fused}{article} {self.core}"
        return f"{preposition} {article} {self.core}".strip()

    def _article(self, gender: str | None, plural: bool | None) -> str:
        if self.article:
            return self.article
        g = gender or self.gender or "m"
        p = self.plural if plural is None else plural
        return {("m", False): "o", ("f", False): "a", ("m", True): "os", ("f", True): "as"}[(g, p)]


def agrees(word: str, gender: str | None, plural: bool) -> bool:
    """Whether `word` reads as an adjective agreeing with a noun of this gender and number:
    "glóbulos vermelhos", "arroz branco". A feminine singular "-a" word may be a verb
    ("a cafeteira prepara"), so only the endings of ADJECTIVE count there."""
    w = fold(word)
    if w in stopwords() or VERBISH.search(w) or len(w) < 4:
        return False
    if plural:
        return w.endswith({"m": "os", "f": "as"}.get(gender or "", ("os", "as")))
    return gender == "m" and w.endswith("o")


def is_name(word: str, first: bool) -> bool:
    if re.fullmatch(r"[A-ZÀ-Ý]{2,}\w*|\w+[a-zà-ý][A-Z]\w*", word):
        return True
    return not first and word[:1].isupper() and fold(word) not in stopwords()


def gender_number(word: str) -> tuple[str | None, bool]:
    w = fold(word)
    plural = w.endswith("s") and len(w) > 3
    base = w[:-1] if plural else w
    gender = "f" if base.endswith(("a", "dade", "cao", "gem")) else "m" if base.endswith("o") else None
    return gender, plural


def noun_phrases(question: str) -> list[Phrase]:
    """Noun phrases in reading order: article (or fused article) + noun + modifiers, bare names,
    and the bare noun after an interrogative ("Quais ferramentas de MLOps…")."""
    tokens = [(m.group(), m.start(), m.end()) for m in WORD.finditer(question)]
    # where a sentence (of an answer in the history) starts, or a phrase cannot go on
    breaks = {n for n in range(1, len(tokens)) if BREAK.search(question[tokens[n - 1][2] : tokens[n][1]])}
    openers = {0} | {n for n in breaks if SENTENCE_END.search(question[tokens[n - 1][2] : tokens[n][1]])}
    stops = stopwords()
    phrases: list[Phrase] = []
    i = 0
    while i < len(tokens):
        word, start, _ = tokens[i]
        low = fold(word)
        article = ""
        j = i
        indefinite = INDEFINITE.get(low)
        if low in ARTICLES or word.lower() in FUSED:
            article = (ARTICLES.get(low) and low) or FUSED[word.lower()][1]
            j = i + 1
        elif indefinite is not None and i + 1 < len(tokens) and fold(tokens[i + 1][0]) not in stops:
            j = i + 1
        elif not _name_at(tokens, i, openers) and not _after_wh(tokens, i):
            i += 1
            continue
        if j >= len(tokens):
            break
        if article and fold(tokens[j][0]) in NUMERALS and j + 1 < len(tokens):
            j += 1  # "os dois tipos": the noun comes after the numeral
        head = tokens[j][0]
        if fold(head) in stops or fold(head) in NOT_HEADS or (not article and fold(head) in WH_WORDS):
            i += 1
            continue
        head_is_name = _name_at(tokens, j, openers)
        if not head_is_name and (
            (article in ("", "a") and INFINITIVE.search(fold(head)))
            or (not article and VERBISH.search(fold(head)))
        ):
            i += 1
            continue
        if article:
            gender, plural = ARTICLES[article]
        elif head_is_name:
            gender, plural = None, False
        else:
            gender, plural = indefinite or gender_number(head)
        noun = (gender, plural)
        k = j + 1
        if fold(head) in PRENOMINAL and k < len(tokens) and fold(tokens[k][0]) not in stops:
            k += 1  # "as principais ferramentas": the noun comes after the adjective
        while k < len(tokens) and k not in breaks:
            nxt = tokens[k][0]
            if fold(nxt) in LINKS and k + 1 < len(tokens):
                after = tokens[k + 1][0]
                indefinite_link = fold(nxt) == "de" and fold(after) in INDEFINITE and k + 2 < len(tokens)
                if indefinite_link and k + 2 not in breaks and fold(tokens[k + 2][0]) not in stops:
                    noun = INDEFINITE[fold(after)]  # "as etapas de um pipeline"
                    k += 3
                    continue
                if fold(after) in ARTICLES or k + 1 in breaks:  # "de o"? not Portuguese; stop
                    break
                joins = fold(nxt) != "e" or (is_name(after, False) and is_name(tokens[k - 1][0], False))
                infinitive = (
                    fold(nxt) == "de" and INFINITIVE.search(fold(after)) and not is_name(after, False)
                )
                if joins and fold(after) not in stops and fold(after) not in WH_WORDS and not infinitive:
                    fused = FUSED.get(nxt.lower())  # adjectives now agree with the modifier's noun
                    noun = ARTICLES[fused[1]] if fused else gender_number(after)
                    k += 2
                    continue
                break
            low_next = nxt.lower()
            adjective = (
                ADJECTIVE.search(fold(nxt))
                or ADJECTIVE.search(low_next)
                or (not _name_at(tokens, k - 1, openers) and agrees(nxt, *noun))
            )
            if adjective and fold(nxt) not in stops and not is_name(nxt, False):
                k += 1  # "o café coado", "os pipelines analíticos", "os glóbulos vermelhos"
                continue
            if is_name(nxt, False) or ENGLISH_GERUND.search(nxt):
                k += 1  # "Machine Learning", "machine learning", and an apposition: "a sigla DVC"
                continue
            break
        core_start, end = tokens[j][1], tokens[k - 1][2]
        core = question[core_start:end]
        named = any(is_name(t[0], n in openers) for n, t in enumerate(tokens[j:k], start=j))
        phrases.append(Phrase(core, article, start, end, named, gender, plural, head_is_name))
        if not head_is_name:
            phrases.extend(_inner_names(question, tokens[j + 1 : k]))
        i = k
    return [p for p in phrases if fold(p.core.split()[0]) not in FRAMING_HEADS]


def _name_at(tokens: list[tuple[str, int, int]], n: int, openers: set[int]) -> bool:
    """A name, also opening a sentence when a name follows it ("Machado de Assis escreveu…")."""
    word = tokens[n][0]
    if is_name(word, n in openers):
        return True
    if n not in openers or not word[:1].isupper() or fold(word) in stopwords() | WH_WORDS:
        return False
    after = [t[0] for t in tokens[n + 1 : n + 3]]
    if after and fold(after[0]) in LINKS:
        after = after[1:]
    return bool(after) and after[0][:1].isupper()


def _after_wh(tokens: list[tuple[str, int, int]], i: int) -> bool:
    """A bare noun right after "que/qual/quais" ("Quais ferramentas…"), not the verb of "o que faz"."""
    lead = WH_LEAD.match(" ".join(fold(t[0]) for t in tokens[:3]))  # "E quais…", "Entre quais…"
    opening = len(lead.group().split()) + 1 if lead else 1
    if i == opening and fold(tokens[i - 1][0]) in ("que", "qual", "quais", "quantos", "quantas"):
        return True  # not after "quem", "como", "onde": a verb follows those
    # "O que é descalcificação?", "Quem são os…": the noun after the copula
    return i >= 2 and tokens[i - 1][0] in ("é", "são") and fold(tokens[i - 2][0]) in ("que", "quem")


def _inner_names(question: str, tokens: list[tuple[str, int, int]]) -> list[Phrase]:
    """The names inside a phrase's modifiers: "do DataOps" in "o objetivo do DataOps"."""
    inner = []
    for n, (word, start, _) in enumerate(tokens):
        if (word.lower() not in FUSED and fold(word) != "de") or n + 1 >= len(tokens):
            continue
        if not is_name(tokens[n + 1][0], False):
            continue
        last = n + 1
        while last + 1 < len(tokens) and (
            is_name(tokens[last + 1][0], False) or fold(tokens[last + 1][0]) in LINKS
        ):
            last += 1
        while fold(tokens[last][0]) in LINKS:
            last -= 1
        article = FUSED[word.lower()][1] if word.lower() in FUSED else ""
        gender, plural = ARTICLES[article] if article else (None, False)
        core = question[tokens[n + 1][1] : tokens[last][2]]
        begin = start if article else tokens[n + 1][1]
        inner.append(Phrase(core, article, begin, tokens[last][2], True, gender, plural, True))
    return inner


WHAT_IS = r"(?:[ée]|s[ãa]o|significam?|quer\s+dizer|foi|foram|eram?|se\s+entende\s+por)"
"""The verbs after "o que" that ask what something is ("é", "significa", "quer dizer", "era"…),
accents optional: the one place for that wording. `followup_clauses.CLAUSE_LEAD` keeps them out."""
DEFINITION_LEAD = rf"o\s+que\s+{WHAT_IS}|quem\s+(?:[ée]|s[ãa]o|foi|foram)|para\s+que\s+serve[m]?"
"""The leads of a question asking what or who something is, or what it is for."""
ASKS_DEFINITION = re.compile(rf"^\W*(?:e\s+)?(?:{DEFINITION_LEAD})\s+", re.IGNORECASE)
"""A question asking what or who something is, or what it is for: "O que é…", "O que quer dizer…",
"O que se entende por…", "Quem foi…", "Para que serve…"; the phrase after the lead is what it asks about.
Accents optional ("o que e X", typed without them, asks the same), and matched on the question as
typed, so the lead's end is an offset into it. The one reading of a definition lead: the sentence
scorer (`extractive.asked_predicate`) asks it too."""
ASKS_DEFINITION_OR_HOW = re.compile(
    rf"^\W*(?:e\s+)?(?:{DEFINITION_LEAD}|como\s+.{{0,30}}\bdefine)\b", re.IGNORECASE
)
"""`ASKS_DEFINITION` or "Como o texto define X?": for a follow-up both ask what X is, though only
the first puts X right after the lead (`followup_ellipsis`)."""
MENTIONS_DEFINITION = re.compile(rf"\bdefin\w*|\bo\s+que\s+{WHAT_IS}\b", re.IGNORECASE)
"""A definition asked anywhere in a question ("Compare X e Y segundo as definições", "…, e o que
é cada um?"): a comparison asks it after its sides (`comparison`); not "quem é", which there asks
which side ("…, quem é mais rápido?")."""


DEFINED_MAX_WORDS = 6
"""What a definition question asks about is short ("o efeito estufa"); longer, it holds a clause."""


def defined(question: str) -> Phrase | None:
    """The phrase a definition question asks about, whole: "o teste de Turing" in "O que é
    o teste de Turing?" (not the name inside it), "o efeito estufa" (not "o efeito"). The one
    reading of a definition question: the follow-up rules and the sentence scorer
    (`reading.asked_term`) both ask it."""
    lead = ASKS_DEFINITION.match(question)
    if lead is None:
        return None
    found = next((p for p in noun_phrases(question) if p.start == lead.end()), None)
    span = re.match(r"[^?,;:.!()]+", question[lead.end() :])
    words = WORD.findall(span.group()) if span else []
    if not span or not words or len(words) > DEFINED_MAX_WORDS:
        return found
    text = span.group().rstrip()
    first = words[0].lower()
    article = first if first in ARTICLES else ""
    core = text[len(first) :].strip() if article or first in INDEFINITE else text
    if not core:
        return found
    if found is not None and found.core == core:
        return found
    gender, plural = ARTICLES.get(article) or INDEFINITE.get(first) or gender_number(core.split()[0])
    start = lead.end()
    head_named = is_name(core.split()[0], False)
    named = head_named or any(is_name(w, False) for w in core.split()[1:])
    return Phrase(core, article, start, start + len(text), named, gender, plural, head_named)


def topic(question: str) -> Phrase | None:
    """What a question is about: what it defines, else its `subject`."""
    return defined(question) or subject(question)


def subject(question: str) -> Phrase | None:
    """What a question is about: its first name, else its first phrase holding a name, else its
    first noun phrase."""
    phrases = noun_phrases(question)
    ranked = sorted(phrases, key=lambda p: (not p.head_named, not p.named, p.start))
    return ranked[0] if ranked else None


def referent(question: str, gender: str | None, plural: bool) -> Phrase | None:
    """The phrase of `question` a pronoun of this gender and number stands for: one of that
    gender and number, a name before a common noun, the first before the later."""
    fits = [
        p
        for p in noun_phrases(question)
        # without an article the gender is guessed from the ending ("sistemas"): not trusted
        if p.plural == plural and (gender is None or p.gender in (None, gender) or not p.article)
    ]
    asked = defined(question)  # "ele" after "O que é o teste de Turing?" is the test, not Turing
    if asked is not None and asked.plural == plural and (gender is None or asked.gender in (None, gender)):
        return asked
    ranked = sorted(
        fits,
        key=lambda p: (gender is not None and p.gender != gender, not p.head_named, not p.named, p.start),
    )
    if ranked:
        return ranked[0]
    return subject(question) if not plural else None
