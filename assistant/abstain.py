"""The one abstain sentence, and how to recognise a model saying it."""

from __future__ import annotations

from fonte.textpt import fold

ABSTAIN_TEXT = "Não encontrei essa informação nos documentos."
"""What Fonte says when the documents lack the answer (prompts ask models for it verbatim)."""

_OPENING = fold("Não encontrei")  # small models keep the opening but vary the rest of the sentence


def is_abstention(text: str) -> bool:
    """Whether `text` (one generated sentence) is the model declining to answer."""
    return fold(text).startswith(_OPENING)
