"""Conversation history: validation and condensing a follow-up into a standalone question.

Only a question that looks like a follow-up is condensed (standalone questions cost
nothing). With an LLM, it rewrites the follow-up into a complete question (a few dozen
tokens, cached); its output is checked and, when unusable, the rules take over
(assistant/followup_rules.py). When no rule applies either, the follow-up borrows the
previous question as context for retrieval, while the evidence that the documents answer
it is measured on the follow-up plus the previous question's subject only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from assistant import followup_clauses, followup_earlier, followup_picks, followup_rules, lists, references
from assistant.grounding import names, question_terms
from assistant.llm.base import LLM, Generation
from fonte.errors import BadRequest, FonteError
from fonte.textpt import analyze, fold

FOLLOW_UP = re.compile(
    r"^\s*(e|mas|então|e quanto|e sobre|por quê|por que|com que|para quê)\b|"
    r"\b(ela|ele|elas|eles|dela|dele|delas|deles|nela|nele|isso|disso|nisso|esse|essa|esses|"
    r"essas|desse|dessa|desses|dessas|nesse|nessa|nesses|nessas|neste|nesta|este|esta|aquilo|"
    r"aquele|aquela|daquele|daquela|mesmo|mesma|seu|sua|seus|suas|dois|duas|ambos|ambas|"
    r"oposto|contrário|anterior|acima|tal|tais|outro|outra|outros|outras)\b|"
    r"\w-(?:lo|la|los|las|lhe|lhes)\b",
    re.IGNORECASE,
)

DOCUMENT_DEICTIC = re.compile(
    r"\b[dn]?(?:este|esta|esse|essa)\s+(?:documento|texto|manual|material|arquivo|livro|guia)\b",
    re.IGNORECASE,
)
""""Este manual" points at the documents, not at the conversation."""

WH_NOUNS = frozenset(
    analyze(
        "ano data dia mês século época momento tempo lugar país países cidade frequência forma maneira modo"
    )
)
"""Nouns that are part of the interrogative ("em que ano", "quanto tempo"), not a subject."""
CONDENSE_MAX_TOKENS = 48
"""A rewritten question is one line; more output means the model is answering instead."""
CONDENSE_MAX_CHARS = 300
"""Longest rewrite accepted: longer ones are answers or rambling, not questions."""
HISTORY_CHARS = 400
"""Each history message is cut to this many characters: enough to name what it is about."""
HISTORY_TURNS = 4
"""Messages of history the rewrite sees (two exchanges): pronouns point at recent turns."""
KEPT_TERMS = 0.5
"""Share of the follow-up's own content words a rewrite must keep (it rewrites, not replaces)."""
NEW_WORDS_ALLOWED = 1
"""Content words a rewrite may add beyond the conversation: one for rephrasing ("citadas"),
more means the model invented a subject or copied one from the worked examples."""
REWRITE_WORDS = frozenset(analyze("citado citada citados citadas mencionado mencionada documento texto"))
"""Words rewrites use to point back at the conversation; never evidence of invention."""

CONDENSE_SYSTEM = (
    "Você reescreve a última pergunta de uma conversa como uma pergunta completa e "
    "independente, em português. Use o histórico apenas para resolver pronomes e elipses "
    "(ela, disso, 'E o de X?'). Não responda à pergunta, não acrescente informação nova. "
    "Escreva só a pergunta reescrita, numa linha."
)
_EXAMPLES = (
    (
        "Usuário: Quais frutas o livro cita?\nAssistente: Maçã, banana e uva.",
        "E qual delas é amarela?",
        "Qual das frutas citadas no livro (maçã, banana e uva) é amarela?",
    ),
    (
        "Usuário: O que faz o técnico de redes?\nAssistente: Ele instala e mantém redes.",
        "E o de suporte?",
        "O que faz o técnico de suporte?",
    ),
)
EXAMPLE_WORDS = frozenset(analyze(" ".join(" ".join(example) for example in _EXAMPLES))) - REWRITE_WORDS
"""Words of the worked examples: in a rewrite, but not in the conversation, they were copied."""
QUESTION_WORDS = re.compile(
    r"\b(?:porque|paraque|quando|onde|quanto|quanta|quantos|quantas|quem|como|qual|quais|que)\b"
)
_LABEL = re.compile(r"^\s*(?:pergunta(?: reescrita| independente)?|reescrita)\s*:\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Condensed:
    """A turn made standalone."""

    question: str
    """What is retrieved and answered (and shown as the standalone question)."""
    evidence: str
    """What the evidence that the documents answer is measured on: the same question, except
    when only context could be borrowed; then the follow-up and the previous subject, so the
    previous question's words cannot make an unanswerable follow-up look answered."""
    with_context: bool = False
    """No rule applied: `question` is the follow-up with the previous question appended."""
    follow_up: bool = False
    """The turn leans on the conversation (`is_follow_up`), also when the rules then found it a
    subject of its own: its request is checked against the answer (assistant/followup_support.py)."""


@dataclass(frozen=True)
class Turn:
    role: str
    """"user" or "assistant"."""
    content: str


def parse_history(history: Sequence[Any] | None, *, max_turns: int) -> list[Turn]:
    """Accept Turns, {"role","content"} dicts or (role, content) pairs; keep the last turns."""
    turns = []
    for item in history or []:
        if isinstance(item, Turn):
            turn = item
        elif isinstance(item, dict):
            turn = Turn(str(item.get("role", "")), str(item.get("content", "")))
        elif isinstance(item, (list, tuple)) and len(item) == 2:
            turn = Turn(str(item[0]), str(item[1]))
        else:
            raise BadRequest('Histórico inválido — use uma lista de {"role", "content"}')
        if turn.role not in ("user", "assistant"):
            raise BadRequest(f"Papel inválido no histórico: '{turn.role}' — use user ou assistant")
        turns.append(turn)
    return turns[-2 * max_turns :]


def is_follow_up(question: str, history: list[Turn]) -> bool:
    """Whether `question` leans on the conversation (pronouns, ellipsis, or almost no content)."""
    asked = [t.content for t in history if t.role == "user"]
    return bool(asked) and (
        _looks_like_follow_up(question) or followup_picks.picks_from_list(question, asked[-1])
    )


def _looks_like_follow_up(question: str) -> bool:
    if FOLLOW_UP.search(DOCUMENT_DEICTIC.sub("", question)) or followup_clauses.leans_on_previous(question):
        return True
    terms = [t for t in question_terms(question) if t not in WH_NOUNS]  # "Em que ano surgiu?"
    if not terms or (len(terms) == 1 and not names(question)):
        return True
    return followup_clauses.only_verbs(
        question
    )  # "Quem precisa declarar?"  # "Com que objetivo?", not "O que é DVC?"


def condense(question: str, history: list[Turn], llm: LLM | None = None) -> str:
    """A standalone question for retrieval and answering (see `condense_turn`)."""
    return condense_turn(question, history, llm).question


def condense_turn(question: str, history: list[Turn], llm: LLM | None = None) -> Condensed:
    """The turn made standalone.

    Standalone questions are returned as they are, also when only the rules can tell (one
    with "mesmo" or "outras" that names its own subject). A follow-up is rewritten by `llm` when
    one is given and its rewrite passes `usable_rewrite` and `agrees_with_rules`; otherwise
    by the rules; when no rule applies it borrows the previous question as retrieval context.
    """
    if not is_follow_up(question, history):
        return Condensed(question, question)
    rules = replace(by_rules(question, history), follow_up=True)
    if rules.question == question and not rules.with_context:
        return rules  # the rules found a subject of its own ("O Python é mesmo gratuito?"): no rewrite
    if llm is not None:
        recent = tuple((t.role, t.content[:HISTORY_CHARS]) for t in history[-HISTORY_TURNS:])
        try:
            rewrite = _rewrite(_ByModel(llm), recent, question)
        except FonteError:
            rewrite = ""  # the model is unreachable: the rules answer, the failure is not cached
        context = " ".join(c for _, c in recent)
        if (
            rewrite
            and usable_rewrite(rewrite, question, context)
            and agrees_with_rules(rewrite, question, rules)
        ):
            return Condensed(rewrite, rewrite, follow_up=True)
    return rules


def by_rules(question: str, history: list[Turn]) -> Condensed:
    """The rules' standalone question, or the follow-up with the previous question as context."""
    earlier, previous, answer, asked = _previous_turns(history)
    return _by_rules(question, earlier, previous, answer, asked)


def _by_rules(
    question: str, earlier: str, previous: str, answer: str, asked: Sequence[str] = ()
) -> Condensed:
    paired = followup_earlier.paired(question, asked)  # the ellipsis's slot is in an earlier question
    if paired is not None:
        finished = followup_rules.finish(paired)  # "de o Corinthians" → "do Corinthians"
        return Condensed(finished, finished)
    rewritten = followup_rules.rewrite(references.as_pronouns(question), previous, answer, earlier)
    if rewritten is not None:
        return Condensed(rewritten.question, rewritten.evidence)
    if followup_rules.stands_alone(question):  # "O Python é mesmo gratuito?": a new subject
        return Condensed(question, question)
    topic = followup_rules.subject(previous)
    evidence = f"{question} ({topic.core})" if topic is not None else question
    return Condensed(f"{question} ({previous})", evidence, with_context=True)


def _previous_turns(history: list[Turn]) -> tuple[str, str, str, list[str]]:
    """The two previous user questions made standalone (by the rules, in one pass over the
    history), the answer to the last one, and all of them in order."""
    earlier, standalone, answer = "", "", ""
    asked: list[str] = []
    for turn in history:
        if turn.role == "assistant":
            answer = turn.content
            continue
        if not standalone or not _looks_like_follow_up(turn.content):
            earlier, standalone = standalone, turn.content
        else:
            made = _by_rules(turn.content, earlier, standalone, answer, asked)
            if not made.with_context:  # "Quantas são?" names nothing: keep the subject before
                earlier, standalone = standalone, made.question
        if not asked or asked[-1] != standalone:
            asked.append(standalone)
        answer = ""
    return earlier, standalone, answer, asked


def agrees_with_rules(rewrite: str, question: str, rules: Condensed) -> bool:
    """Whether an LLM rewrite asks what the follow-up asks, about what the rules resolved.

    It keeps the follow-up's question word ("Por quê?" is not "Qual é a função…?"), turns
    into a pick from a list only when the follow-up was one, and holds at least half of the
    words the rules brought in (the phrase "delas" or "ele" stands for).
    """
    asked, written = _question_words(question), _question_words(rewrite)
    if not asked <= written:
        return False
    if lists.asks_selection(rewrite) and not lists.asks_selection(rules.question):
        return False
    if rules.with_context:  # no rule applied: the rewrite must at least bring in some context
        return bool(set(analyze(rewrite)) - set(analyze(question)) - REWRITE_WORDS)
    added = set(analyze(rules.question)) - set(analyze(question))
    return not added or len(added & set(analyze(rewrite))) >= KEPT_TERMS * len(added)


def _question_words(text: str) -> set[str]:
    """Interrogatives of `text`, "que/qual/quais" counted as one ("Que empresas" = "Quais empresas")."""
    folded = fold(text).replace("por que", "porque").replace("para que", "paraque")
    return {"qual" if w in ("que", "quais") else w for w in QUESTION_WORDS.findall(folded)}


def usable_rewrite(rewrite: str, question: str, context: str) -> bool:
    """Reject rewrites that answer, ramble, drop the question or bring in new names or words
    of the worked examples."""
    if not rewrite.endswith("?") or len(rewrite) > CONDENSE_MAX_CHARS:
        return False
    if (EXAMPLE_WORDS - set(analyze(f"{context} {question}"))) & set(analyze(rewrite)):
        return False  # copied from the worked examples ("citadas no livro")
    own = set(question_terms(question))
    if own and len(own & set(analyze(rewrite))) < KEPT_TERMS * len(own):
        return False
    known = set(analyze(f"{context} {question}")) | REWRITE_WORDS
    new_words = [t for t in analyze(rewrite) if t not in known]
    new_names = [n for n in names(rewrite) if not set(analyze(n)) <= known]
    return len(new_words) <= NEW_WORDS_ALLOWED and not new_names


class _ByModel:
    """An LLM as a cache key: backends are rebuilt per request, their (name, model) is not."""

    def __init__(self, llm: LLM):
        self.llm = llm
        self.key = (llm.name, llm.model)

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ByModel) and self.key == other.key


@lru_cache(maxsize=256)
def _rewrite(model: _ByModel, history: tuple[tuple[str, str], ...], question: str) -> str:
    """The model's one-line rewrite ("" if it wrote nothing); cached per (model, history, question)."""
    text = "".join(model.llm.stream(condense_generation(history, question)))
    line = next((ln.strip() for ln in text.strip().splitlines() if ln.strip()), "")
    return _LABEL.sub("", line).strip().strip("\"'“”«»").strip()


def condense_generation(history: tuple[tuple[str, str], ...], question: str) -> Generation:
    """The rewrite request: worked examples, then the conversation and its last question."""
    speaker = {"user": "Usuário", "assistant": "Assistente"}

    def block(conversation: str, last: str) -> str:
        return f"Histórico:\n{conversation}\nÚltima pergunta: {last}\nPergunta reescrita:"

    shots = "\n\n".join(f"{block(h, q)} {r}" for h, q, r in _EXAMPLES)
    conversation = "\n".join(f"{speaker[role]}: {' '.join(content.split())}" for role, content in history)
    return Generation(
        prompt=f"{shots}\n\n{block(conversation, question)}",
        system=CONDENSE_SYSTEM,
        stop=("\n",),
        max_tokens=CONDENSE_MAX_TOKENS,
        temperature=0.0,
        repeat_penalty=1.0,
    )
