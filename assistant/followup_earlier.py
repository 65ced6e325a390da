"""An ellipsis whose slot only an earlier question has.

"E quando é bem feito?" pairs with "O que acontece se o bolo for mal feito?" also when an
unrelated question came in between; "E no caso do inverno, quais são?" with the list question
it repeats. Only a slot the earlier question visibly has counts: the same kind of condition
with a shared or opposite word, the same interrogative, the same preposition, a "<noun> de
<…>" phrase or the same head noun — never "its subject", which every question has. A
circumstance no question had ("E aos domingos?") narrows the previous question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.followup_clauses import contrast
from assistant.followup_ellipsis import (
    BARE_LEAD,
    OF_ELLIPSIS,
    PREPOSITIONAL,
    ellipsis,
    matched,
    one_phrase,
    preposition_slot,
    same_head,
)
from assistant.followup_picks import picks_from_list
from assistant.followup_tails import BARE_TAIL, with_tail
from assistant.phrases import WORD, is_name
from fonte.textpt import fold, stopwords


def paired(question: str, asked: Sequence[str]) -> str | None:
    """The ellipsis `question` put in the latest earlier question that has its slot; None when
    the previous question (`asked[-1]`) takes the ellipsis, or no earlier one has the slot."""
    if not asked or ellipsis(question, asked[-1]) is not None:
        return None
    if picks_from_list(question, asked[-1]):
        return None  # "E sem contar a segunda?" picks from the last list: the rules' job
    match = matched(question)
    for earlier in reversed(asked[:-1]):
        found = contrast(question, earlier, loose=False)
        if found is None and match is not None:
            found = _slotted(match, earlier)
        if found is not None:
            return found
    return _circumstance(match, asked[-1]) if match is not None else None


def _circumstance(match: re.Match[str], previous: str) -> str | None:
    """ "E aos domingos?" after "Qual é o horário da padaria?" → "Qual é o horário da padaria aos
    domingos?": a common noun after a preposition no question had narrows the previous one."""
    np = match["np"].strip()
    lead = PREPOSITIONAL.match(np)
    words = WORD.findall(np[lead.end() :]) if lead is not None else []
    if lead is None or match["tail"] or any(is_name(w, False) for w in words):
        return None
    if all(fold(w) in stopwords() for w in words):
        return None  # "E com isso?" names nothing
    if not BARE_LEAD.fullmatch(match.string[: match.start("np")]):
        return None  # "E no caso do inverno?" names a subject, not a circumstance
    return f"{previous.rstrip(' ?.!')} {np}?"


def _slotted(match: re.Match[str], earlier: str) -> str | None:
    """The ellipsis put in an earlier question, only where that question has its slot."""
    tail = (match["tail"] or "").strip()
    np = match["np"].strip()
    prepositional = PREPOSITIONAL.match(np)
    if prepositional and preposition_slot(prepositional["prep"].lower(), earlier) is None:
        return None  # "E no inverno?" needs an earlier "em"/"no"/"na", not just a subject
    if BARE_TAIL.match(tail) or prepositional or OF_ELLIPSIS.match(np):
        return ellipsis(match.group(), earlier)  # each of these finds its slot or gives None
    new = one_phrase(np)
    if new is None:
        return None
    return with_tail(same_head(new, earlier), match["tail"], earlier, np)
