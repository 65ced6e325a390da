"""A follow-up's own request must be in what answers it.

After "O que é DevOps?", "E as desvantagens?" is rewritten "Quais as desvantagens do DevOps?".
The subject (DevOps) is inherited from the conversation; the request (desvantagens) is what
the user just typed. A passage about DevOps covers the subject alone, so its evidence looks
high whatever is asked: the answer is only given when the chosen sentences also speak to the
request, in its own words or in words the ranking treats as the same (stems, paraphrase
classes, answer forms such as a formula); "Em que ano…?" needs a number instead of "ano".

What is not a request: names (a follow-up naming only a new subject, "E o de DataOps?",
swaps the subject), words that point back ("disso", "a primeira delas"), light verbs
("serve", "aparece") and words that frame asking ("explique", "mais", "diferença",
"objetivo", "ano"). "Como assim?" or "E mais?" request nothing. A request word may repeat
the conversation ("E qual delas envolve a limpeza?" after a list naming it): it still has
to be in the sentence chosen as the answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from assistant import answer_type, asked_kind, cues, kin_words, lists
from assistant.conversation import WH_NOUNS, Condensed
from assistant.extractive import Unit
from assistant.grounding import coverage, names, question_terms
from fonte.textpt import analyze, fold

ASKING_WORDS = frozenset(
    analyze(
        "fale falar conte contar diga explique explicar explica detalhe detalhar detalhes "
        "descreva descrever resuma resumir comente comentar mostre aprofundar melhor mais "
        "menos ainda também outro outra outros outras coisa coisas algo tudo assim então "
        "pode poderia podes quero queria gostaria saber sabe ver entender entendi dá dê "
        "caso respeito relação tipo tipos exatamente realmente mesmo mesma normalmente "
        "geralmente exemplo exemplos favor agora"
    )
)
"""Words that frame asking (for more, again, about a case), not what is asked: "E no caso
do X?", "Pode explicar melhor?", "E mais?"."""
RELATION_WORDS = frozenset(
    analyze(
        "diferença diferenças difere diferem diferente semelhança semelhanças semelhante "
        "compara comparar comparação comparado oposto contrário inverso versus igual iguais"
    )
)
"""Words that relate subjects the rules already resolved into the question ("a diferença
para X", "o oposto disso"): the answer shows both sides, rarely the word itself."""
PURPOSE_NOUNS = frozenset(
    analyze(
        "objetivo objetivos finalidade propósito fim motivo motivos razão "
        "importa importam importância importante relevância relevante"
    )
)
"""Words of "com que objetivo?", "por que motivo?", "por que isso importa?": part of the
interrogative, like "ano" in "em que ano?" (conversation.WH_NOUNS); the answer gives the
reason or the consequence, rarely the word."""
LIGHT_VERBS = frozenset(
    analyze(
        "ser estar ter tem têm haver há fazer faz fazem feito servir serve servem usar usa usam "
        "aparecer aparece aparecem acontecer acontece acontecem ocorrer ocorre envolver envolve "
        "envolvem precisar precisa precisam tender tende tendem ajudar ajuda ajudam conseguir "
        "consegue ficar fica ficam vale valem costuma costumam deve devem"
    )
)
"""Verbs that carry little of a request: "Qual delas serve para X?" asks about X, and the
sentence that answers says X in its own verbs."""
REFERENCES = frozenset(
    analyze(
        "isso disso nisso isto disto nisto aquilo daquilo naquilo esse essa esses essas desse "
        "dessa desses dessas nesse nessa nesses nessas este esta estes estas deste desta neste "
        "nesta aquele aquela daquele daquela naquele naquela dele dela deles delas nele nela "
        "ambos ambas dois duas primeiro primeira segundo segunda terceiro terceira último última "
        "penúltimo penúltima anterior acima"
    )
)
"""Words that point back at the conversation or pick from its list ("a primeira delas"):
what they stand for is inherited, not asked."""
NOT_REQUESTS = ASKING_WORDS | RELATION_WORDS | PURPOSE_NOUNS | WH_NOUNS | LIGHT_VERBS | REFERENCES

QUALIFIER = re.compile(
    r"\b(?:primeir|ultim|unic)[oa]s?\s+(?!(?:d[aeo]s?|dess\w*|dest\w*|del\w*|entre|que)\b)(?=\w)"
)
"""On folded text: "a primeira empresa", "o único modelo", "o último a sair" qualify what is asked,
and the answer must say it (a passage naming companies does not name the first one); "a primeira
delas", "o último da lista" or a bare "E o último?" pick from the conversation instead."""
GENS_PLURAL = re.compile(r"(?<=\w)gens\b", re.IGNORECASE)
"""The "-gem"/"-gens" plural the Snowball stemmer leaves apart ("vantagens" → "vantagens",
"vantagem" → "vantag"): both sides are matched in the singular."""
COUNT = re.compile(r"\bquant[oa]s\s")
"""On folded text: a count ("Quantas são?"), which a list answers without stating a number;
not a count in a unit of measure (`answer_type.asks_measure`: "Quantos anos…?")."""

DENSE_SUPPORT = 0.87
"""Cosine (e5, the follow-up as typed against a chosen sentence) at which a request worded
unlike the text is taken as answered ("E se isso for mal feito?" / "Se feito de maneira
inadequada…", 0.873). Measured at off / 0.85 / 0.86 / 0.87 / 0.88 (reports/followup_support.md):
unanswerable follow-ups whose words are missing reach 0.859; 0.87 lets none of them through."""
SUPPORTED_SHARE = 0.0
"""Idf-weighted share of the request words the chosen sentences must hold more than: any one
word. Measured at any / 0.34 / 0.5 (reports/followup_support.md): stricter shares catch more
unanswerable follow-ups but also abstain on answerable ones worded unlike the text ("que
resultado concreto…?" answered by what the passage says happened), on the mlops sets too."""

FOLLOW_UP_MARGIN = 0.05
"""How far under the abstain threshold a follow-up's evidence may be when the chosen sentences
hold every word of its request (strict support): the inherited subject, worded as the earlier
turn put it ("na analogia…com o trânsito", "que o texto lista"), drags the evidence of a
request the text says word for word. Measured at 0 / 0.03 / 0.05 / 0.10
(reports/followup_support.md)."""


@dataclass(frozen=True)
class Request:
    """What a follow-up asks beyond the subject it inherits."""

    question: str
    """The follow-up as typed."""
    terms: tuple[str, ...]
    """Stems of the follow-up's own request words."""
    number: bool = False
    """It asks a year, a price or another quantity that only a number answers."""
    qualifiers: tuple[str, ...] = ()
    """Stems of qualifiers the answer must hold each ("primeira" in "a primeira empresa a…")."""
    strict: bool = False
    """The evidence was under the abstain threshold: every request word must be said."""
    pick: bool = False
    """A pick from a list under the abstain threshold: only items the pick chose answer, and
    each must say some of the request in its own words (`lists.said`)."""

    agent: bool = False
    """It asks who ("Quem criou…?"): only a sentence naming someone answers it."""
    subjects: tuple[str, ...] = ()
    """Stems of each name the follow-up types ("O Genie serve pra quê?"), and of the thing an
    existence question asks about ("Existe algum curso…?", also standalone): the answer is
    about them, so it must name one (in its words, its section title or an acronym's other
    form; one, since "É de X ou de Y?" is answered by naming either)."""

    def __bool__(self) -> bool:
        return bool(self.terms) or self.number or self.agent or bool(self.subjects)


def request(question: str, condensed: Condensed) -> Request:
    """The request of `question` when `condense_turn` found it a follow-up (`condensed`);
    otherwise only the thing an existence question asks about (a standalone question is
    judged by the pipeline's evidence as a whole)."""
    # "Existe algum curso…?" is answered by naming a course ("Tem algum exemplo?" by one)
    things = tuple(t for t in answer_type.asked_things(question) if t not in NOT_REQUESTS)
    if not condensed.follow_up:
        return Request(question, (), subjects=things)
    typed = sorted(names(question))
    named = set(analyze(" ".join(typed)))
    own = question_terms(cues.without_idioms(_singular(question)))
    terms = tuple(t for t in own if t not in NOT_REQUESTS | named)
    folded = fold(question)
    qualifiers = tuple(stem for q in QUALIFIER.finditer(folded) for stem in analyze(q.group()))
    counted = COUNT.search(folded) and not answer_type.asks_measure(question)
    number = answer_type.asks_quantity(question) and not counted
    subjects = tuple(" ".join(analyze(n)) for n in typed if analyze(n)) + things
    agent = answer_type.asks_agent(question)
    return Request(question, (*terms, *qualifiers), number, qualifiers, agent=agent, subjects=subjects)


@dataclass(frozen=True)
class Abstain:
    """`gated`'s verdict when the evidence is too weak to choose sentences: the pipeline answers
    with the abstain sentence. Not an empty `Request`, which asks nothing beyond the question
    and goes on."""


def gated(asked: Request, evidence: float, threshold: float, *, pick: bool = False) -> Request | Abstain:
    """The request to check when the pipeline may go on to choose sentences, or `Abstain`.
    Under `threshold`, only a follow-up asking something goes on, strictly checked; or, when it
    picks from a list (`pick`), answered by the chosen items alone (by position too: "E a
    terceira?" asks nothing of the item).

    A pick's evidence is measured on words the list's items share with their heading and on
    the property worded as the user put it ("o pessoal técnico e o de negócio não se
    entendem"): low whatever the answer. The pick itself weighs the property against every
    item (`lists.choose`), and an item holding the request's own words is the evidence."""
    if evidence >= threshold:
        return asked
    if asked.terms and evidence >= threshold - FOLLOW_UP_MARGIN:
        return replace(asked, strict=True)
    if pick:
        return replace(asked, strict=True, pick=True)
    return Abstain()


def supported(
    asked: Request,
    chosen: Sequence[Unit],
    idf: Callable[[str], float],
    embedder: lists.Embedder | None = None,
) -> bool:
    """Whether the chosen units (with the sentences they lean on and their section titles)
    answer the follow-up's request: in its words, or, with `embedder`, in words close enough
    in meaning (a year, a price or a qualifier asked must still be said)."""
    if asked.pick:  # under the threshold only the items a pick chose answer, each saying the request
        return bool(chosen) and all(u.item and _says(asked, u.quote) for u in chosen)
    if not asked:
        return True
    quotes = [" ".join([*(u.hit.chunk.text[b.start : b.end] for b in u.before), u.quote]) for u in chosen]
    if asked.number and not any(answer_type.states_quantity(q) for q in quotes):
        return False
    if asked.agent and not any(answer_type.states_agent(q) for q in quotes):
        return False  # "Quem criou…?" is not answered by what was created
    if chosen and all(u.item for u in chosen):
        return True  # a pick from a list: `lists.choose` weighed the request against every item
    if asked.subjects and not any(_named(asked, subject, chosen, quotes) for subject in asked.subjects):
        return False  # about something else than the subject(s) typed ("é de X ou de Y?": one)
    if not asked.terms:
        return True
    stems: set[str] = set()
    for unit, quote in zip(chosen, quotes, strict=True):
        stems |= set(analyze(cues.without_idioms(_singular(f"{unit.hit.chunk.title}\n{quote}"))))
        stems |= answer_type.answered_terms(asked.question, quote) | cues.paraphrased(asked.question, quote)
        stems |= asked_kind.answered(asked.question, quote)
    if not set(asked.qualifiers) <= stems:
        return False
    if asked.strict:
        return set(asked.terms) <= stems
    if coverage(list(asked.terms), stems, idf) > SUPPORTED_SHARE:
        return True
    return embedder is not None and said_alike(asked.question, quotes, embedder)


def _named(asked: Request, subject: str, chosen: Sequence[Unit], quotes: Sequence[str]) -> bool:
    """Whether one chosen unit (with its section title) names `subject` (stems of one name):
    as written, or by the other form of an acronym ("IA" ~ "inteligência artificial")."""
    stems = subject.split()
    for unit, quote in zip(chosen, quotes, strict=True):
        text = f"{unit.hit.chunk.title}\n{quote}"
        if set(stems) <= kin_words.said(asked.question, stems, text):
            return True
    return False


def _says(asked: Request, quote: str) -> bool:
    """Whether an item says some of the request in its words or kin of them (a pick by
    position asks nothing of the item)."""
    return not asked.terms or bool(set(asked.terms) & kin_words.said(asked.question, asked.terms, quote))


def said_alike(question: str, quotes: Sequence[str], embedder: lists.Embedder) -> bool:
    """Whether one of `quotes` says what `question` asks in other words (dense similarity)."""
    if not quotes:
        return False
    return float(lists.similarities(embedder, question, list(quotes)).max()) >= DENSE_SUPPORT


def _singular(text: str) -> str:
    return GENS_PLURAL.sub("gem", text)
