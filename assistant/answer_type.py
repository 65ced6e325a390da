"""Questions whose answer is a quantity: a price, a salary, a count, a year.

Sharing words with a passage is no evidence for these: "Quanto custa implantar o DataOps
numa empresa?" covers DataOps, implantar and empresa in a passage that names no price.
The passage that answers must hold a number ("R$ 300", "três", "2019").
"""

from __future__ import annotations

import re

from fonte.textpt import fold

ASKS_QUANTITY = re.compile(
    r"\b(?:quanto\s+(?:custa|custam|custou|ganha|ganham|vale|valem|cobra|cobram)|"
    r"\b(?:salario|preco)s?\b|(?:qual|quais)\s+(?:e\s+|sao\s+)?(?:o|a|os|as)?\s*(?:custo|valor|faturamento)s?\b|"
    r"cust(?:a|am)\s+(?:menos|mais)|mais\s+(?:barat|car)[oa]s?|"
    r"quant[oa]s\s+(?!(?:para|a\s+mais)\b)\w+|"
    r"(?:em|de)\s+(?:que|qual)\s+ano\b|qual\s+(?:e\s+)?o\s+ano\b)",
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


def asks_quantity(question: str) -> bool:
    return bool(ASKS_QUANTITY.search(fold(question)))


def states_quantity(text: str) -> bool:
    return bool(NUMBER.search(fold(text)))
