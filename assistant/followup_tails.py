"""The tail of an ellipsis: what follows the comma in "E o Genie, <tail>?".

- a tail with a predicate of its own asks it of the new thing alone: "E o de DataOps, foca
  em quê?" → "O Engenheiro de DataOps foca em quê?"; a personal pronoun in it is the new
  thing ("E no caso do Genie, o que ele faz?" → "O que o Genie faz?"), and so is an object
  pronoun ("E o Java, quem o criou?" → "Quem criou o Java?");
- a tail that only repeats the previous predicate adds nothing: "E o Java, também usa?"
  after "O Python usa indentação?" → "O Java usa indentação?";
- a tail asking only "quais são?" or "quantas tem?" leaves its noun out: it asks the list
  question that opened with the same interrogative again (`asks_again`);
- any other tail is kept after the rewritten question: "E o MLOps, nessa mesma lista?".
"""

from __future__ import annotations

import re

from assistant.antecedents import OBLIQUE_PERSONAL, SUBJECT_PERSONAL
from assistant.followup_clauses import PROCLITIC
from assistant.phrases import WH_WORDS, WORD, noun_phrases
from assistant.references import resolve_references
from fonte.textpt import fold, stem, stopwords

TAIL_VERBS = frozenset(
    fold(w) for w in ["é", "são", "foi", "tem", "têm", "está", "pode", "serve", "usa", "faz"]
)
"""A tail opening with a verb asks its own yes/no question about the new thing."""
SUBJECT = re.compile(rf"\b(?:{'|'.join(SUBJECT_PERSONAL)})\b", re.IGNORECASE)
"""A subject pronoun in a tail is the new thing: "E no caso do Genie, o que ele faz?"."""
OBLIQUE = re.compile(rf"\b(?:{'|'.join(OBLIQUE_PERSONAL)})\b", re.IGNORECASE)
"""So is "dele" ("E o Java, qual o objetivo dele?")…"""
COMPARED = re.compile(r"\b(?:difer|compar|semelhan|parecid|igual|relação|versus)", re.IGNORECASE)
"""…except in a comparison, which sets it against the old one ("E o Java, em que difere dele?")."""
BARE_TAIL = re.compile(r"^(?P<wh>quais|qual|quantos|quantas)(?:\s+[\wÀ-ÿ]+){1,2}$", re.IGNORECASE)
"""An interrogative that needs a noun, and a verb or two: "quais são", "quantas tem", "quantos
existem" (not "quanto custa", which needs none)."""
SAME = re.compile(
    r"^(?:também\s+)?(?:vale|serve|acontece|se\s+aplica|funciona)\s+(?:o\s+mesmo|igual)$|"
    r"^(?:é\s+)?(?:igual|o\s+mesmo|idem)$",
    re.IGNORECASE,
)
""""vale o mesmo", "é igual": the tail says the previous predicate holds, and asks nothing else."""
ALSO_WORDS = ("também", "tb", "igualmente")
"""Words after the new thing that say it shares the previous predicate ("E o Java também?")."""
ALSO = frozenset(fold(w) for w in [*ALSO_WORDS, "idem"])
"""Words that say the new thing shares the previous predicate: they add nothing to look for."""


def asks_again(tail: str | None, previous: str) -> bool:
    """Whether `tail` asks only "which/how many are they" ("E no caso do Genie, quais são?") of
    the list question `previous`, which opens with the same interrogative ("que" for "quais")."""
    match = BARE_TAIL.match((tail or "").strip())
    if match is None or noun_phrases(f"E {tail}"):
        return False
    wh = fold(match["wh"])
    opens = WORD.match(previous.strip())
    first = fold(opens.group()) if opens is not None else ""
    return first == wh or (wh in ("quais", "qual") and first == "que")


def own_tail(tail: str | None, previous: str) -> str | None:
    """The tail, or None when it asks nothing the previous question did not: no interrogative,
    and every content word already there ("também usa", "é?")."""
    if not tail or not tail.strip() or SAME.match(tail.strip()):
        return None
    words = [fold(w) for w in WORD.findall(tail)]
    if any(w in WH_WORDS for w in words):
        return tail
    before = {stem(fold(w)) for w in WORD.findall(previous)}
    content = [w for w in words if w not in stopwords() and w not in ALSO]
    return tail if any(stem(w) not in before for w in content) else None


def with_tail(text: str | None, tail: str | None, previous: str, np: str = "") -> str | None:
    """`text` (the previous question about the new thing `np`) with the follow-up's tail."""
    if not tail or text is None:
        return text
    proclitic = PROCLITIC.match(tail)
    if np and proclitic is not None:  # "E o Java, quem o criou?" → "quem criou o Java"
        tail = tail[: proclitic.start("o")] + tail[proclitic.end() :]
    own = np and (SUBJECT.search(tail) or (OBLIQUE.search(tail) and not COMPARED.search(tail)))
    tail = resolved(tail, f"{np}?" if own else previous)
    if np and fold(np) in fold(tail):
        return tail  # "o que ele faz" became "o que o Genie faz"
    words = [fold(w) for w in WORD.findall(tail)]
    if np and any(w in WH_WORDS for w in words[:2]):
        return f"{tail} {np}"  # "E o DataOps, em que se concentra?" → "em que se concentra o DataOps?"
    if np and (any(w in WH_WORDS for w in words) or (words and words[0] in TAIL_VERBS)):
        return f"{np} {tail}"  # "E o Pachyderm, é de qual lista?", "E o MongoDB, é relacional?"
    return f"{text.rstrip(' ?')}, {tail}"


def resolved(text: str, previous: str) -> str:
    """`text` with its pronouns replaced by the phrases of `previous` they stand for."""
    found = resolve_references(text, previous, "")
    return found[0] if found is not None else text
