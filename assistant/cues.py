"""Sentence cues for extractive ranking: which part of a question is asked, and what a
passage sentence does (names its subject acting, leans on the sentence before, names
instances of a kind).

Each cue is a general reading habit of Portuguese prose, not a list of one corpus's terms:
- the question proper: "Esqueça o documento: o que é X?" asks "o que é X?";
- activity: "O que faz X?" is answered where X is the subject of a verb of doing
  ("X se concentra em…", "X apoia…", "X é responsável por…");
- anaphora: "essa lacuna se torna o motivo…" talks about the sentence before it;
- instances: "Que empresas…?" is answered by "Empresas como Google, Amazon…".
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from assistant.grounding import Span, sentence_spans
from fonte.textpt import analyze
from fonte.textpt import fold as _fold

FOLD_CACHE_SIZE = 8192
"""Folded texts kept: each passage sentence is folded for several cues on every question
(folding dominated selection time before caching)."""
fold = lru_cache(maxsize=FOLD_CACHE_SIZE)(_fold)

QUESTION_OPENING = re.compile(
    r"^\W*(?:e\s+)?(?:o\s+que|que|qual|quais|quem|quando|onde|como|por\s*que|quant[oa]s?|"
    r"liste|cite|explique|descreva|defina)\b"
)
"""On folded text: a clause that opens a question ("o que é MLOps?" after an instruction and a colon)."""


def question_parts(question: str) -> list[str]:
    """The sentences of a question, each instruction before a colon split from the question
    after it ("Esqueça o documento: o que é MLOps?" → two parts), keeping only the parts that
    end in "?" when some do; one part when it is one."""
    parts: list[str] = []
    for span in sentence_spans(question) or [Span(0, len(question))]:
        sentence = question[span.start : span.end]
        head, colon, tail = sentence.rpartition(":")
        if colon and head.strip() and QUESTION_OPENING.match(fold(tail)):
            parts += [head.strip(), tail.strip()]
        else:
            parts.append(sentence.strip())
    parts = [p for p in parts if p]
    # an instruction is no question: when some part asks, only the asking parts count
    asking = [p for p in parts if p.endswith("?")]
    return asking if asking and len(asking) < len(parts) else parts


ASKS_ACTIVITY = re.compile(
    r"^\W*(?:e\s+)?(?:o\s+que\s+(?:faz|fazem|realiza|realizam)|"
    r"qual\s+(?:e\s+)?(?:o|a)\s+(?:papel|funcao|trabalho|atividade|atribuicao))\s+"
    r"(?:(?:d?[oa]s?|de|um|uma)\s+)?(?P<subject>[^?]+)"
)
"""On folded text: "O que faz o Engenheiro de DataOps?", "Qual o papel do analista?"."""
ACTIVITY_VERB = re.compile(
    r"\b(?:se\s+(?:concentra|dedica|ocupa|foca)m?|(?:e|sao)\s+(?:o\s+|os\s+)?responsave(?:l|is)|"
    r"(?:e|sao)\s+(?:o\s+|os\s+)?profissiona(?:l|is)\s+(?:\w+\s+){0,2}que|"
    r"(?:tem|teem|possui)\s+(?:a|o)\s+(?:funcao|papel|tarefa)|"
    r"(?:apoia|cuida|atua|trabalha|projeta|desenvolve|cria|constroi|constroem|gerencia|define|"
    r"garante|executa|mantem|mantem|supervisiona|coordena|implementa|monitora|analisa|"
    r"planeja|administra|opera|fornece|ajuda|pesquisa)m?)\b"
)
"""On folded text: verbs of doing that say what someone's job is."""
ACTIVITY_FACTOR = 1.15
"""Boost for a sentence where the asked-about subject does something: it answers "o que faz"
better than one that only mentions the subject (a 1.0 sentence ties at 1.15 with a 0.87 one)."""


def asked_subject(question: str) -> list[str]:
    """Stems of the subject of "O que faz X?" (or "Qual o papel de X?"); [] for other questions."""
    match = ASKS_ACTIVITY.match(fold(question))
    return analyze(match["subject"]) if match else []


def subject_acts(subject: list[str], sentence: str) -> bool:
    """Whether `sentence` names the subject and, after it, a verb of doing."""
    if not subject:
        return False
    folded = fold(sentence)
    words = re.findall(r"\w+", folded)
    positions = [i for i, w in enumerate(words) if set(analyze(w)) & set(subject)]
    if not set(subject) <= set(analyze(sentence)) or not positions:
        return False
    after = " ".join(words[positions[0] :])
    return bool(ACTIVITY_VERB.search(after))


ANAPHOR = re.compile(
    r"\b(?:ess[ea]s?|isso|diss[oa]|dess[ea]s?|ness[ea]s?|nisso|naquel[ea]s?|daquel[ea]s?|tal|tais)\b"
)
"""On folded text: a demonstrative pointing back ("essa lacuna", "essa necessidade", "isso")."""
ELIDED_SUBJECT = re.compile(r"^\W*(?:e|sao|foi|foram|era|eram|tem|teem)\s")
"""On folded text: a sentence opening with its verb ("É um ponto ideal…") takes its subject
from the sentence before."""
ANAPHOR_WEIGHT = 0.8
"""What the sentence before is worth to an anaphoric one: it borrows its subject, but a
sentence naming the words itself still wins a tie (0.8 < 1)."""


PRONOUN_OPENING = re.compile(r"^\W*(?:isto|disto|nisto)\b")
"""On folded text: a sentence opening with a neuter demonstrative ("Isto é para manter…",
"Isto porque…") is about the sentence before; mid-sentence, ", isto é," means "that is"."""


def is_anaphoric(sentence: str) -> bool:
    """Whether `sentence` points back at the one before: it opens with its verb or with "isto",
    or has a demonstrative whose noun it has not named itself ("o trecho … esse trecho")."""
    folded = fold(sentence)
    if ELIDED_SUBJECT.match(folded) or PRONOUN_OPENING.match(folded):
        return True
    for match in ANAPHOR.finditer(folded):
        noun = re.match(r"\s+(\w+)", folded[match.end() :])
        if noun and re.search(rf"\b{re.escape(noun[1])}\b", folded[: match.start()]):
            continue  # resolved within the sentence
        return True
    return False


def antecedent(text: str, span: Span, floor: int) -> Span | None:
    """The sentence right before `span` in `text` (not before offset `floor`, the body's start),
    when `span` is anaphoric and that sentence is in the same paragraph or list item."""
    if not is_anaphoric(text[span.start : span.end]):
        return None
    before = [s for s in sentence_spans(text[floor : span.start]) if s.end + floor <= span.start]
    if not before:
        return None
    previous = Span(before[-1].start + floor, before[-1].end + floor)
    if "\n" in text[previous.end : span.start]:
        return None  # another paragraph: the demonstrative points elsewhere
    return previous


ASKS_KIND = re.compile(r"^\W*(?:e\s+)?(?:que|quais)\s+(?P<kind>\w+s)\b")
"""On folded text: "Que empresas…?", "Quais ferramentas…?": the plural noun names the kind asked for."""
INSTANCES = re.compile(r"\s+(?:\w+\s+){0,2}?(?:tais\s+)?como\s+[A-ZÀ-Ý0-9]")
"""After the kind's word, named examples: "Empresas como Google, Amazon…"."""


def names_instances(question: str, sentence: str) -> bool:
    """Whether `sentence` names examples of the kind a "Que <plural>…?" question asks for."""
    match = ASKS_KIND.match(fold(question))
    if not match or match["kind"] not in fold(sentence):
        return False
    return any(
        fold(word[0]) == match["kind"] and INSTANCES.match(sentence, word.end())
        for word in re.finditer(r"\w+", sentence)
    )


class Paraphrase(NamedTuple):
    """Folded words and phrases that say the same thing in general Portuguese."""

    reason: str
    """Why they are one class: what each of them says."""
    phrases: tuple[str, ...]


PARAPHRASES = (
    Paraphrase("how often: 'frequentemente' is 'na maioria das vezes'",
        ("frequentemente", "muitas vezes", "na maioria das vezes", "geralmente", "em geral",
         "normalmente", "com frequencia", "costuma", "costumam")),
    Paraphrase("what causes: 'o que leva ao fracasso' is 'o motivo do fracasso'",
        ("leva", "levam", "causa", "causam", "provoca", "provocam", "motivo", "motivos", "razao",
         "razoes")),
    Paraphrase("what is lacking: 'qual carência?' is 'há uma escassez…', 'não possuem…'",
        ("falta", "faltam", "escassez", "carencia", "ausencia", "deficit", "necessidade",
         "necessidades", "nao possui", "nao possuem", "carece", "carecem")),
    Paraphrase("aiming at: 'tenta' is 'procura', 'busca', 'visa'",
        ("tenta", "tentam", "procura", "procuram", "busca", "buscam", "visa", "visam", "pretende",
         "pretendem")),
    Paraphrase("meeting a need: 'cobrir uma carência' is 'atender a uma necessidade'",
        ("suprir", "supre", "suprem", "atender", "atende", "atendem", "preencher", "preenche",
         "preenchem", "cobrir", "cobre", "cobrem")),
    Paraphrase("whose job it is: 'responsável por' is 'encarregado de', 'tarefa de'",
        ("responsavel", "responsaveis", "encarregado", "encarregados", "encarregada", "encarregadas",
         "tarefa", "tarefas", "incumbe", "incumbem", "cabe a", "cabe ao", "cabe aos")),
    Paraphrase("ending something: 'encerrar a sessão' is 'fechar a sessão'",
        ("encerrar", "encerra", "encerram", "fechar", "fecha", "fecham", "terminar", "termina",
         "terminam", "finalizar", "finaliza", "abandonar", "abandona", "sair", "sai")),
    Paraphrase("the business side: 'negócio' is 'comercial', 'empresarial'",
        ("negocio", "negocios", "comercial", "comerciais", "empresarial", "empresariais")),
    Paraphrase("done badly: 'mal executado', 'se correr mal' is 'feito de maneira inadequada'",
        ("mal executado", "mal executada", "mal executados", "mal executadas", "mal feito",
         "mal feita", "mal feitos", "mal feitas", "mal realizado", "mal realizada", "mal implementado",
         "mal implementada", "de maneira inadequada", "de forma inadequada", "de modo inadequado",
         "inadequadamente", "de maneira errada", "de forma errada", "de maneira incorreta",
         "de forma incorreta", "incorretamente", "corre mal", "correr mal", "der errado",
         "da errado")),
    Paraphrase("done well: 'bem executado', 'quando corre bem' is 'bem feito'",
        ("bem executado", "bem executada", "bem executados", "bem executadas", "bem feito",
         "bem feita", "bem feitos", "bem feitas", "bem realizado", "bem realizada",
         "de maneira adequada", "de forma adequada", "de modo adequado", "adequadamente",
         "de maneira correta", "de forma correta", "corretamente", "corre bem", "correr bem",
         "der certo", "da certo")),
    Paraphrase("in between: 'no meio de duas áreas' is 'na interseção de' (not 'entre', which every "
        "comparison says)",
        ("no meio de", "no meio da", "no meio do", "no meio das", "no meio dos", "intersecao",
         "interseccao")),
    Paraphrase("making sure: 'se certifica de que' is 'verifica', 'confere', 'garante'",
        ("certifica", "certificam", "certificar", "verifica", "verificam", "verificar", "checa",
         "checam", "checar", "confere", "conferem", "conferir", "assegura", "asseguram", "assegurar",
         "garante", "garantem", "garantir", "valida", "validam", "validar")),
    Paraphrase("a position held: 'o cargo' is 'o perfil', 'a função', 'a profissão'",
        ("cargo", "cargos", "perfil", "perfis", "funcao", "funcoes", "profissao", "profissoes")),
)  # fmt: skip
"""Paraphrase classes, each with why its words say the same: "o que frequentemente leva ao
fracasso" is answered by "na maioria das vezes, essa lacuna se torna o motivo do fracasso";
"encerrar a sessão" by "fechar a sessão". A phrase matches whole words of the folded text."""


IDIOMS = re.compile(
    r"\b(?:por\s+meio\s+d[aeo]s?|a\s+fim\s+de|em\s+vez\s+d[aeo]s?|de\s+fato|no\s+entanto|"
    r"na\s+pr[aá]tica|na\s+verdade)\b",
    re.IGNORECASE,
)
"""Fixed phrases whose words do not mean what they mean alone: "por meio de" (by way of) says
nothing of a "meio" (middle), "de fato" nothing of a "fato", "na prática" (in practice)
asks for no "prática"."""


def without_idioms(text: str) -> str:
    """`text` with its fixed phrases blanked, so their words are no evidence of their own."""
    return IDIOMS.sub(" ", text)


Classes = tuple[Paraphrase, ...]


def paraphrased(question: str, sentence: str, classes: Classes = PARAPHRASES) -> set[str]:
    """Stems of the question's words that `sentence` says in other words of the same class
    (of `classes`)."""
    asked = _asked_classes(question, classes)
    if not asked:
        return set()
    said = _phrases(sentence)
    stems: set[str] = set()
    for group, used in asked:
        if any(f" {p} " in said for p in group):
            stems.update(used)
    return stems


QUESTION_CACHE_SIZE = 256
"""Questions whose paraphrase classes are kept: a question is scored once per part and per call."""


@lru_cache(maxsize=QUESTION_CACHE_SIZE)
def _asked_classes(question: str, classes: Classes) -> tuple[tuple[tuple[str, ...], frozenset[str]], ...]:
    """The paraphrase classes a question uses, each with the stems of its words there."""
    asked = _phrases(question)
    words = re.findall(r"\w+", question)
    found = []
    for _, group in classes:
        used = {w for p in group if f" {p} " in asked for w in p.split()}
        if used:  # stems of the words as written: "responsável" stems unlike "responsavel"
            found.append((group, frozenset(analyze(" ".join(w for w in words if fold(w) in used)))))
    return tuple(found)


@lru_cache(maxsize=FOLD_CACHE_SIZE)
def _phrases(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", fold(text))) + " "
