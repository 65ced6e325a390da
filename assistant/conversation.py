"""Conversation history: validation and condensing a follow-up into a standalone question."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assistant.grounding import question_terms
from fonte.errors import BadRequest

FOLLOW_UP = re.compile(
    r"^\s*(e|mas|então|e quanto|e sobre)\b|"
    r"\b(ela|ele|elas|eles|dela|dele|delas|deles|nela|nele|isso|disso|nisso|esse|essa|esses|"
    r"essas|desse|dessa|desses|dessas|este|esta|aquilo|mesmo|mesma|seu|sua|seus|suas)\b|"
    r"\w-(?:lo|la|los|las|lhe|lhes)\b",
    re.IGNORECASE,
)


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


def condense(question: str, history: list[Turn]) -> str:
    """A standalone retrieval query: follow-ups borrow the subject of the previous question."""
    previous = [t.content for t in history if t.role == "user"]
    if not previous:
        return question
    if FOLLOW_UP.search(question) or len(question_terms(question)) <= 1:
        return f"{question} ({previous[-1]})"
    return question
