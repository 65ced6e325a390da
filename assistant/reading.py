"""Reading a passage's structure: what a chosen sentence announces or continues.

Sentence selection picks the sentence that best covers the question, but documents spread
an answer over what follows it. General habits of Portuguese technical prose:
- a lead-in ending in ":" ("pode executar as seguintes tarefas:") is followed by its items,
  one per line, bulleted or not (HTML lists lose their bullets as text); the lead-in alone
  says nothing;
- a how-to answer is the paragraph of steps: "escreva reset. … Também pode utilizar clear";
- a definition reads on while the next sentences keep the defined term as their subject
  ("O sistema usa um esquema X (UPG). Um UPG é criado… Um UPG tem…");
- a sentence defines a term when it names it in a defining frame: "X é…", "X: …",
  "… chamada X", "… (X)";
- a question's literal ("~/", "(x)", a quoted "deb") is matched as written, not as words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.grounding import Span, passage_units
from assistant.phrases import defined
from fonte.textpt import fold

LEAD_IN = re.compile(r":\s*$")
"""A unit ending in a colon announces what follows it."""
ITEM_MAX_CHARS = 200
"""A line longer than this is a paragraph, not an item of an unbulleted list (items of the
lists seen in HTML manuals run to about 100 characters; sentences of prose to 150–300)."""
MIN_ITEMS = 2
"""A list has two items or more; one line after a colon is a sentence or a command."""
SENTENCE_CLOSE = re.compile(r"[.!?…]\W*$")


def implicit_items(text: str, span: Span, *, floor: int = 0, colon: bool = True) -> Span | None:
    """The lines after a lead-in that are its items: consecutive short lines of the same form
    (all closed by sentence punctuation, or none), up to a longer line, a line of another
    form, or the next lead-in. Without a colon (a sentence announcing a list: "X tem vários
    aspectos."), only lines that are not sentences are items. Returns the span from the
    first item to the last; None when fewer than two such lines follow."""
    lead_in = bool(LEAD_IN.search(text[span.start : span.end]))
    if colon and not lead_in:
        return None
    if span.end < floor or "\n" not in text[span.end : span.end + 2]:
        return None  # the lead-in's line goes on: its items are in the same sentence
    items: list[Span] = []
    form: bool | None = None
    position = text.index("\n", span.end) + 1
    for line in text[position:].split("\n"):
        start, position = position, position + len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        closed = bool(SENTENCE_CLOSE.search(stripped))
        if (
            len(stripped) > ITEM_MAX_CHARS
            or LEAD_IN.search(stripped)
            or form not in (None, closed)
            or (closed and not lead_in)  # without a colon, only lines that are no sentences list
            or not re.search(r"[^\W\d_]{2}", stripped)  # "…", "---": a placeholder, not an item
        ):
            break
        form = closed
        offset = start + len(line) - len(line.lstrip())
        items.append(Span(offset, offset + len(stripped)))
    if len(items) < MIN_ITEMS:
        return None
    return Span(items[0].start, items[-1].end)


def paragraph_after(text: str, span: Span, floor: int = 0) -> list[Span]:
    """The units of `text` after `span` on the same line (the rest of its paragraph)."""
    line_end = text.find("\n", span.end)
    line_end = len(text) if line_end < 0 else line_end
    return [u for u in passage_units(text, floor) if span.end <= u.start and u.end <= line_end]


ASKS_HOW = re.compile(
    r"^\W*(?:e\s+)?(?:como\s+(?:se\s+)?(?:\w+(?:ar|er|ir|or)\b|e\s+que\s+se|faco|faz|devo|posso|pode)|"
    r"o\s+que\s+(?:fazer|devo\s+fazer|se\s+deve\s+fazer|posso\s+fazer)\b|qual\s+(?:e\s+)?o\s+comando\b)"
)
"""On the folded question: a how-to ("Como desligar…?", "O que fazer quando…?", "Qual o
comando…?"); not "Como o texto define…" (an infinitive must follow "como")."""


def asks_how(question: str) -> bool:
    return bool(ASKS_HOW.match(fold(question)))


ALIAS = re.compile(r"\s*\(\s*([^()\s]+)\s*\)")
"""What the question writes in parentheses right after the asked phrase: "internacionalização (I18N)"."""


def asked_term(question: str) -> list[str]:
    """The ways the term a definition question asks about may be written ("O que é o debconf?",
    "Para que serve o sticky bit?", "Quem foi…"), with the acronym the question gives for it
    ("(I18N)"); [] for other questions. The question is read by `phrases.defined`, as the
    follow-up rules read it."""
    asked = defined(question)
    if asked is None:
        return []
    alias = ALIAS.match(question, asked.end)
    acronym = [alias[1]] if alias and NAME_WORD.match(alias[1]) else []
    return list(dict.fromkeys([*defined_terms(asked.core), *acronym]))


NAME_WORD = re.compile(r"^(?:[A-ZÀ-Ý0-9][\w-]*[A-Z0-9][\w-]*|\w+[a-z][A-Z]\w*)$")
"""An acronym or a name written with inner capitals ("UPG", "I18N", "MLOps")."""


def defined_terms(core: str) -> list[str]:
    """How a defined phrase may be written in the passage: whole ("sticky bit"), and the
    acronym or name inside a longer phrase ("UPG" in "esquema UPG usado pelo sistema")."""
    words = re.findall(r"[\w-]+", core)
    names = [w for w in words if NAME_WORD.match(w)]
    cut = next((i for i, w in enumerate(words) if fold(w) in PHRASE_ENDS), len(words))
    return list(dict.fromkeys(t for t in [core.strip(), " ".join(words[:cut]), *names[:1]] if t))


PHRASE_ENDS = frozenset(
    ("em", "no", "na", "nos", "nas", "de", "do", "da", "dos", "das", "para", "com", "por", "pelo",
     "pela", "sem", "sob", "usado", "usada", "usados", "usadas", "que", "quando")
)  # fmt: skip
"""Words that end the head of a defined phrase: "sticky bit | em um diretório"."""


def _term(term: str) -> str:
    words = re.findall(r"[\w-]+", term)
    return r"\s+".join(re.escape(w) + r"(?:e?s)?" for w in words)


def defines(terms: list[str], sentence: str) -> bool:
    """Whether `sentence` names one of `terms` in a defining frame: "X é", "X são", "X: …",
    "X significa", "… chamado X", "conhecido como X", "… (X)" after its expansion."""
    for term in terms:
        t = _term(term)
        if not t:
            continue
        frames = (
            rf"(?<![\w-]){t}\s*(?:\([^)]*\)\s*)?(?::|\s(?:é|são|significa|significam|refere-se|"
            rf"consiste|designa|representa)\b)",
            rf"\b(?:chamad|denominad|designad)[oa]s?\s+(?:de\s+)?{t}(?![\w-])",
            rf"\bconhecid[oa]s?\s+(?:como|por)\s+{t}(?![\w-])",
            rf"\w\s+\(\s*{t}\s*\)",
        )
        if any(re.search(f, sentence, re.IGNORECASE) for f in frames):
            return True
    return False


def names_term(terms: list[str], sentence: str) -> bool:
    """Whether `sentence` names one of `terms` (as written, any case, plural allowed)."""
    return any(
        re.search(rf"(?<![\w-]){_term(t)}(?![\w-])", sentence, re.IGNORECASE) for t in terms if _term(t)
    )


QUOTED = re.compile(r"[\"“”«»]([^\"“”«»]{1,40})[\"“”«»]")
SYMBOLIC = re.compile(r"(?<!\S)(?=\S*[~$/=])[^\s\"“”«»?!,;]{2,40}|\(\w{1,3}\)")
"""A token written with symbols ("~/", "$PATH", "/etc/fstab") or a short code in parentheses
("(x)", "(u)"): the analyser drops or splits these, yet they pin the passage."""


@dataclass(frozen=True)
class Literal:
    """A piece of the question to find verbatim in a passage."""

    text: str

    @property
    def term(self) -> str:
        """A pseudo-stem for coverage: no analysed word looks like it."""
        return f"«{self.text}»"

    def found_in(self, passage: str) -> bool:
        pattern = rf"(?<![\w-]){re.escape(self.text)}" if self.text[0].isalnum() else re.escape(self.text)
        # "deb" is not written in "deb-src" nor in "deb.debian.org"
        pattern += r"(?![\w-]|\.\w)" if self.text[-1].isalnum() else ""
        return re.search(pattern, passage) is not None


def literals(question: str) -> list[Literal]:
    """The question's quoted strings and symbol-written tokens, each once."""
    found = [m[1].strip() for m in QUOTED.finditer(question)]
    unquoted = QUOTED.sub(" ", question)
    found += [m[0].rstrip(".:") for m in SYMBOLIC.finditer(unquoted)]
    return [Literal(t) for t in dict.fromkeys(found) if t]
