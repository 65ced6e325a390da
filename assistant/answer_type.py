"""Questions whose answer is a quantity: a price, a salary, a count, a year.

Sharing words with a passage is no evidence for these: "Quanto custa implantar o DataOps
numa empresa?" covers DataOps, implantar and empresa in a passage that names no price.
The passage that answers must hold a number ("R$ 300", "três", "2019").
"""

from __future__ import annotations

import re

from assistant.antecedents import is_trade
from assistant.grounding import names
from fonte.textpt import analyze, fold, words

ASKS_QUANTITY = re.compile(
    r"\b(?:quanto\s+(?:custa|custam|custou|ganha|ganham|vale|valem|cobra|cobram)|"
    r"\b(?:salario|preco)s?\b|(?:qual|quais)\s+(?:e\s+|sao\s+)?(?:o|a|os|as)?\s*(?:custo|valor|faturamento)s?\b|"
    r"cust(?:a|am)\s+(?:menos|mais)|mais\s+(?:barat|car)[oa]s?|"
    r"quant[oa]s\s+(?!(?:para|a\s+mais)\b)\w+|"
    r"(?:em|de|desde)\s+(?:que|qual)\s+ano\b|qual\s+(?:e\s+)?o\s+ano\b)",
)
"""Asks for a price, a salary, a count or a year (on folded text). Not "de quanto para quanto",
whose answer may be words ("de meses para segundos")."""
NUMBER = re.compile(
    r"\d|\b(?:dois|duas|tres|quatro|cinco|seis|sete|oito|nove|dez|onze|doze|treze|quatorze|"
    r"catorze|quinze|dezesseis|dezessete|dezoito|dezenove|vinte|trinta|quarenta|cinquenta|sessenta|"
    r"setenta|oitenta|noventa|cem|cento|mil|milhao|milhoes|bilhao|bilhoes|dezenas?|centenas?|"
    r"milhares|duzi[ao]s?|gratuit[oa]s?|gratis)\b"
)
"""A number in digits or in words ("um"/"uma" are mostly articles); "gratuito" is a price too."""


MEASURED = re.compile(
    r"\bquant[oa]s\s+(?:\w+\s+){0,2}?(?:anos|meses|semanas|dias|horas|minutos|segundos|vezes|"
    r"reais|dolares|euros|pessoas|funcionarios|usuarios|clientes|metros|quilometros|km|quilos|"
    r"litros|gigas?|gb|mb|porcento|por\s+cento)\b"
)
"""On folded text: a count in a unit of measure ("Quantos anos de experiência…?", "Quantas
pessoas…?"): a number answers it, never a list of things."""


def asks_measure(question: str) -> bool:
    return bool(MEASURED.search(fold(question)))


def asks_quantity(question: str) -> bool:
    return bool(ASKS_QUANTITY.search(fold(question)))


def states_quantity(text: str) -> bool:
    return bool(NUMBER.search(fold(text)))


ASKS_EXISTENCE = re.compile(
    r"^\W*(?:e\s+)?(?:existe|existem|ha|tem)\s+(?:algum|alguma|alguns|algumas)\s+(?P<thing>\w+)"
    r"(?:\s+ou\s+(?:algum\s+|alguma\s+)?(?P<other>\w+))?"
)
"""On folded text: "Existe algum curso ou faculdade que…?", "Há alguma ferramenta…?": the
thing whose existence is asked."""


def asked_things(question: str) -> list[str]:
    """Stems of the thing(s) an existence question asks about ("curso", "faculdade"): a
    sentence that names none of them does not say one exists."""
    match = ASKS_EXISTENCE.match(fold(question))
    if match is None:
        return []
    return [stem for word in (match["thing"], match["other"]) if word for stem in analyze(word)[:1]]


ASKS_FORMULA = re.compile(r"\b(?:formula|equacao|expressao)s?\b")
"""On folded text: the answer is a formula ("Qual é a fórmula que resume X?")."""
STATES_FORMULA = re.compile(r"\w\s*=\s*\w")
"""A formula written out: "X = A + B"."""


def answered_terms(question: str, text: str) -> set[str]:
    """Stems of the question's answer-type words that `text` satisfies by its form: a
    passage writing "X = A + B" is a "fórmula" without using the word."""
    folded = fold(question)
    if STATES_FORMULA.search(text) and ASKS_FORMULA.search(folded):
        return set(analyze(" ".join(m[0] for m in ASKS_FORMULA.finditer(folded))))
    return set()


ASKS_AUTHORSHIP = re.compile(
    r"\b(?:autor(?:a|es|as)?|autoria|quem\s+(?:escreveu|redigiu|elaborou|publicou|assina|assinou))\b"
)
"""On folded text: who wrote or signed something ("Quem é o autor do documento?")."""
STATES_AUTHORSHIP = re.compile(
    r"\b(?:autor(?:a|es|as)?|autoria|(?:escrit|redigid|elaborad|publicad|assinad|organizad)[oa]s?\s+por)\b|"
    r"©|\bcopyright\b|\(c\)\s*\d"
)
"""A passage that says who wrote something: "autor", "escrito por", "©"."""


ASKS_AGENT = re.compile(
    r"^\W*(?:e\s+)?quem\s+(?:\w+\s+)?(?:criou|criaram|inventou|inventaram|fundou|fundaram|"
    r"desenvolveu|desenvolveram|escreveu|cunhou|idealizou|idealizaram|propos|lancou|lancaram|"
    r"descobriu|introduziu|popularizou|comecou)\b"
)
"""On folded text: who originated something ("Quem criou esse termo?", "Quem primeiro propôs…?"),
which a proper name or a role answers; not "Quem é responsável…?", answered by any agent
("é tarefa da oficina")."""
ROLE = re.compile(
    r"\b(?:profissiona(?:l|is)|equipes?|times?|empresas?|autor(?:a|es|as)?|pessoas?|grupos?|"
    r"comunidades?|responsave(?:l|is)|organizac(?:ao|oes)|governos?|universidades?)\b"
)
"""On folded text: a word naming someone that is no trade ("a equipe", "o autor"); trades
("o engenheiro", "a cientista", "os usuários") are antecedents.is_trade."""


def asks_agent(question: str) -> bool:
    return bool(ASKS_AGENT.match(fold(question)))


def states_agent(text: str) -> bool:
    """Whether `text` names someone: a proper name (capitalised inside the sentence, an
    acronym) or a role ("o engenheiro", "a equipe")."""
    folded = fold(text)
    return bool(names(text) or ROLE.search(folded) or any(is_trade(w) for w in words(folded)))


def asks_authorship(question: str) -> bool:
    return bool(ASKS_AUTHORSHIP.search(fold(question)))


def lacks_answer(question: str, texts: list[str]) -> bool:
    """Whether passages of the wrong kind cannot answer: a price, count or year asked of
    passages without a number; an author asked of passages that state no authorship."""
    if asks_quantity(question) and not any(states_quantity(t) for t in texts):
        return True
    return asks_authorship(question) and not any(STATES_AUTHORSHIP.search(fold(t)) for t in texts)
