"""Runtime grounding: sentence spans, evidence for abstaining, support of a sentence by a passage.

The eval's faithfulness judge (eval/judge.py) is deliberately separate and stricter; this
module decides what Fonte shows, that one decides whether it was right to.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from fonte.textpt import analyze, fold, numbers

CITATION_MARK = re.compile(r"\s*\[(\d{1,2})\]")
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"'“(]?[A-ZÀ-Ý0-9•*@#-])|\n+")
"""Sentence punctuation before a capital, or a newline: loaders put one block per line
(paragraph, list item, heading, table row, code line), so a newline ends a block, never a
wrapped line (ingest/unwrap.py, ingest/pdf.py)."""
# "p.e. Carregue", "ex. 1": a period after these does not end the sentence
ABBREVIATION = re.compile(
    r"\b(?:p\.e|e\.g|i\.e|ex|sr|sra|dr|dra|prof|fig|pág|pp?|vol|cap|art|obs|cf|vs)\.$", re.I
)
MARKS_AFTER_PERIOD = re.compile(r"([.!?])[ \t]*((?:\[\d{1,2}\][ \t]*)+)")
BULLET = re.compile(r"^\s*(?:[•*@#·-]|\d+[.)])\s*")

# Words that frame a question rather than say what it is about.
QUESTION_FRAMING = frozenset(
    analyze(
        "quanto quanta quantos quantas quando onde quem qual quais como porque porquê "
        "documento documentos texto cita citados citadas menciona mencionados fala diz "
        "explica descreve segundo existe existem principal principais exemplo exemplos "
        "algum alguma nota notas pergunta resposta dizer defina definição significa significado "
        "apresenta apresentam mostra mostram traz trata aborda lista listadas listados material "
        "autor autores manual capítulo seção aponta apontam afirma afirmam resume resumem destaca destacam "
        "refere referem citam mencionam descrevem conforme"
    )
)
SUPPORT_THRESHOLD = 0.7
"""Share of a generated sentence's content words its cited passage must contain to be kept."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def sentence_ends(text: str) -> Iterator[re.Match[str]]:
    """Where sentences end: sentence punctuation (not after an abbreviation) or a block end."""
    for match in SENTENCE_END.finditer(text):
        start = match.start()
        if "\n" in match[0] or not ABBREVIATION.search(text[max(0, start - 6) : start]):
            yield match


def sentence_spans(text: str) -> list[Span]:
    """Sentence-like units of `text` (sentences, lines, bullets), as trimmed spans."""
    spans = []
    position = 0
    for match in [*sentence_ends(text), None]:
        end = match.start() if match else len(text)
        start = position
        while start < end and (text[start].isspace() or BULLET.match(text[start:end])):
            bullet = BULLET.match(text[start:end])
            start += bullet.end() if bullet and bullet.end() > 0 else 1
        stop = end
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        if stop - start >= 3:
            spans.append(Span(start, stop))
        position = match.end() if match else len(text)
    return spans


CLITIC = re.compile(r"(\w)-(?:lo|la|los|las|lhe|lhes|se|o|a|os|as)\b")


def question_terms(question: str) -> list[str]:
    question = CLITIC.sub(r"\1", question)  # "adotá-lo" -> "adotá"
    framing = QUESTION_FRAMING | DEFINITION_FRAMING
    return [t for t in dict.fromkeys(analyze(question)) if t not in framing and len(t) > 1]


def coverage(terms: list[str], passage_stems: set[str], weight: Callable[[str], float]) -> float:
    """Weighted share of `terms` present in the passage."""
    total = sum(weight(t) for t in terms)
    if total == 0:
        return 0.0
    return sum(weight(t) for t in terms if t in passage_stems) / total


NAME = re.compile(r"\b(?:[A-ZÀ-Ý]{2,}\w*|\w+[a-zà-ý][A-Z]\w*)\b")
CAPITALISED = re.compile(r"(?<=[^.!?:\s]\s)[A-ZÀ-Ý][a-zà-ý]+\b")


def names(sentence: str) -> set[str]:
    """Acronyms and CamelCase words anywhere, capitalised words not opening the sentence."""
    return set(NAME.findall(sentence)) | set(CAPITALISED.findall(sentence))


def supports(sentence: str, passage: str) -> float:
    """Support in [0, 1]: content-word coverage of `sentence` by `passage`.

    Zero when a number or a name of the sentence is missing from the passage.
    """
    passage_folded = fold(passage)
    literals = numbers(sentence) | names(sentence)
    if any(fold(literal) not in passage_folded for literal in literals):
        return 0.0
    if changed_meaning(sentence, passage):
        return 0.0
    terms = [t for t in dict.fromkeys(analyze(sentence)) if len(t) > 1]
    if not terms:
        return 0.0
    return coverage(terms, set(analyze(passage)), lambda _: 1.0)


HEADING_LINE = re.compile(r"^\s*[+*#=]{1,}[^\n]*[+*#=]\s*$")
MAX_UNIT_CHARS = 900
"""A lead-in and its bulleted items join only while the unit stays under this many characters."""
MIN_UNIT_CHARS = 12
"""Shorter non-list pieces ("Figura 3.", "Nota:") say nothing citable on their own."""
BULLET_INDENT_LIMIT = 4
"""A piece opens a bullet only if it starts fewer than this many characters into its line."""
COMMAND_MAX_INDENT = 2
"""A shell command line ("# ...", "$ ...") starts at most this far into its line; deeper is prose."""
LIST_ITEM_CHAR_LIMIT = 90
"""Bulleted lines this long or longer are paragraphs: they stand alone instead of joining a list."""
ECHO_MAX_NEW_WORDS = 1
"""A sentence adding at most this many content words to the question only repeats it."""
# a shell line ("# shutdown -h now", "$ ls") belongs to the sentence that introduces it
COMMAND_LINE = re.compile(r"^[#$]\s+[a-z./~]")
LIST_ITEM = re.compile(r"^\s*[*•·-]\s*\S")


def passage_units(text: str, body_offset: int = 0) -> list[Span]:
    """Citable units of a chunk's body (offsets in `text`): sentences, lines, list blocks.

    Consecutive short list items form one unit, and so do a lead-in ending in ":" and the
    bulleted items after it ("os desafios são:" means nothing without them), and a sentence
    and the shell command lines that follow it.
    """
    merged: list[Span] = []
    under_lead_in = False
    for s in sentence_spans(text[body_offset:]):
        span = Span(s.start + body_offset, s.end + body_offset)
        piece = text[span.start : span.end]
        item = is_list_item(text, span)
        # the section's own heading line repeats the chunk's title: not a quote
        heading = body_offset > 0 and piece in text[:body_offset]
        if heading or HEADING_LINE.match(piece) or (len(piece) < MIN_UNIT_CHARS and not item):
            continue
        line_start = text.rfind("\n", 0, span.start) + 1
        starts_bullet = span.start - line_start < BULLET_INDENT_LIMIT and bool(
            LIST_ITEM.match(text[line_start : span.end])
        )
        if merged and text[merged[-1].end - 1] == ":" and starts_bullet:
            under_lead_in = True
        elif not starts_bullet and not item:
            under_lead_in = False
        joins_lead_in = under_lead_in and span.end - merged[-1].start < MAX_UNIT_CHARS
        joins_list = item and bool(merged) and is_list_item(text, merged[-1], last=True)
        command = span.start - line_start <= COMMAND_MAX_INDENT and COMMAND_LINE.match(
            text[line_start : span.end]
        )
        joins_command = bool(merged) and bool(command)
        if merged and (joins_lead_in or joins_list or joins_command):
            merged[-1] = Span(merged[-1].start, span.end)
        else:
            under_lead_in = False
            merged.append(span)
    return merged


def is_list_item(text: str, span: Span, *, last: bool = False) -> bool:
    """Whether the span's first (or last) line is a short bulleted item."""
    line_start = text.rfind("\n", 0, span.start) + 1
    lines = text[line_start : span.end].split("\n")
    line = lines[-1] if last else lines[0]
    return bool(LIST_ITEM.match(line)) and len(line) < LIST_ITEM_CHAR_LIMIT


def best_quote(sentence: str, text: str, body_offset: int = 0) -> Span:
    """The unit of the chunk body that shares most content words with `sentence`."""
    terms = set(analyze(sentence))
    spans = passage_units(text, body_offset) or [Span(body_offset, len(text))]
    return max(spans, key=lambda s: (len(terms & set(analyze(text[s.start : s.end]))), -s.start))


def echoes(sentence: str, question: str) -> bool:
    """Whether a sentence only repeats the question (small models do), adding nothing."""
    added = set(analyze(sentence)) - set(analyze(question))
    return len(added) <= ECHO_MAX_NEW_WORDS


def move_marks_before_period(text: str) -> str:
    """ "Frase. [1] Outra" -> "Frase [1]. Outra", so marks stay with their sentence."""
    return MARKS_AFTER_PERIOD.sub(lambda m: f" {m[2].strip()}{m[1]} ", text)


def split_stream(buffer: str) -> list[str]:
    """Complete sentences of a growing text, then the unfinished rest (possibly empty)."""
    pieces: list[str] = []
    position = 0
    for match in sentence_ends(buffer):
        if match.end() == len(buffer):
            break  # the next sentence has not started: the boundary may still move
        piece = buffer[position : match.start()].strip()
        if piece:
            pieces.append(piece)
        position = match.end()
    return [*pieces, buffer[position:]]


def strip_citations(sentence: str) -> tuple[str, list[int]]:
    marks = [int(m) for m in CITATION_MARK.findall(sentence)]
    return CITATION_MARK.sub("", sentence).strip(), marks


# "O que significa a sigla DVC?": the text writes "DVC (Data Version Control)" and never the
# word "sigla", so these words frame definition questions and must not count as missing.
DEFINITION_FRAMING = frozenset(
    analyze("sigla siglas acrônimo acrônimos abreviação abreviatura abreviaturas quer dizer")
)


# --- Meaning checks: a sentence can share every word with a passage and still misstate it.

# Words that narrow or rank a claim; a claim may only use one its evidence uses too.
# Matched by folded prefix so gender and number variants count ("primeir" = primeiro/as).
QUALIFIER_ROOTS = (
    "primeir", "ultim", "unic", "maior", "menor", "melhor", "pior", "principa",
    "mais antig", "mais nov", "mais recent", "todos", "todas", "sempre", "nunca", "apenas",
    "somente", "exclusiv", "maioria", "minoria",
)  # fmt: skip
NEGATION = frozenset({"nao", "nunca", "jamais", "nenhum", "nenhuma", "nem", "sem"})
EVIDENCE_UNITS = 2
"""Passage sentences that may back one claim (a claim often joins two adjacent ones)."""
_WORD = re.compile(r"\w+")


def _evidence(sentence: str, passage: str) -> list[str]:
    """The passage sentences sharing most content words with `sentence`, best first."""
    terms = set(analyze(sentence))
    units = [passage[s.start : s.end] for s in sentence_spans(passage)] or [passage]
    ranked = sorted(units, key=lambda u: -len(terms & set(analyze(u))))
    return ranked[:EVIDENCE_UNITS]


def _qualifiers(text: str) -> set[str]:
    folded = " " + " ".join(_WORD.findall(fold(text))) + " "
    return {root for root in QUALIFIER_ROOTS if f" {root}" in folded}


def changed_meaning(sentence: str, passage: str) -> str | None:
    """Why `sentence` misstates what `passage` says, or None when no check objects.

    Checked against the passage sentences that back the claim, not the whole chunk, so a
    qualifier or number elsewhere in the chunk does not lend support:
    - qualifiers ("o primeiro", "o único", "o maior") the evidence does not use;
    - numbers and years absent from the evidence;
    - a number or year paired with a name when the passage gives it to someone else
      (swapped entities: every passage sentence holding it lacks the claim's names);
    - negation present on one side only.
    """
    evidence = _evidence(sentence, passage)
    joined = fold(" ".join(evidence))
    extra = _qualifiers(sentence) - _qualifiers(joined)
    if extra:
        return f"qualificador ausente na passagem: {', '.join(sorted(extra))}"
    claim_names = {fold(name) for name in names(sentence)}
    units = [fold(passage[s.start : s.end]) for s in sentence_spans(passage)]
    for number in sorted(numbers(sentence)):
        if fold(number) not in joined:
            return f"'{number}' não aparece na frase que sustentaria a afirmação"
        # with the sentence before: a split after an initial ("Rajendra K.") ends one too early
        holders = [" ".join(units[max(0, i - 1) : i + 1]) for i, u in enumerate(units) if fold(number) in u]
        if claim_names and holders and not any(n in u for u in holders for n in claim_names):
            return f"'{number}' pertence a outro nome na passagem"
    claim_negated = bool(NEGATION & set(_WORD.findall(fold(sentence))))
    passage_negated = bool(NEGATION & set(_WORD.findall(fold(evidence[0]))))
    if claim_negated != passage_negated:
        return "negação em só um dos lados"
    return None
