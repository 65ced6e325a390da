"""Named sections: when a question names a section by its heading, its opening passages.

Dense and BM25 rank passages by their words; a question that names a chapter ("como o guia
define o Debian no capítulo de gestão de pacotes?") asks about the passage that opens it,
which may share few words with the question (the chapter's title words are in every one of
its passages) and rank far below the top. `SectionIndex.named` lists the opening passages
of the sections whose heading the question names in full, best-named first; the hybrid
search gives them a floor score in the fusion (`vectorstore.retrieval`).

A section's own heading is the last part of its title path; its stems, minus numbers and
structural labels ("Capítulo", "Seção"), must all be in the question. Contents lists (a
chapter's "Índice", lines that are the headings of its subsections) never open a section.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from fonte.textpt import content_stems
from fonte.types import Chunk

SECTION_LABELS = frozenset(
    content_stems("capítulo seção secção apêndice anexo parte chapter section appendix")
)
"""Words that say what kind of division a heading is, not what it is about."""
MIN_HEADING_STEMS = 2
"""A one-word heading ("Introdução", "DataOps") is named by almost any question on its topic."""
MAX_NAMED_SECTIONS = 2
"""Sections a question may name at once (a comparison names both sides)."""
OPENING_PASSAGES = 2
"""Passages per named section: a short note or caption often comes before the opening prose."""
CONTENTS_LINE_SHARE = 0.5
"""A passage at least half of whose lines are headings of its document is a contents list."""

Idf = Callable[[str], float]


@dataclass(frozen=True)
class NamedSection:
    """A section a question can name: its heading's stems and its opening passages."""

    stems: frozenset[str]
    openings: tuple[Chunk, ...]


class SectionIndex:
    """Each section's heading stems and opening passages, built from all chunks of a collection."""

    def __init__(self, chunks: Iterable[Chunk]):
        by_section: dict[tuple[str, str], list[Chunk]] = {}
        headings: dict[str, set[str]] = {}
        for chunk in chunks:
            by_section.setdefault((chunk.source, chunk.title), []).append(chunk)
            headings.setdefault(chunk.source, set()).add(_line(chunk.section))
        self.sections: list[NamedSection] = []
        for members in by_section.values():
            members.sort(key=lambda c: c.start)
        self._members = {key: tuple(members) for key, members in by_section.items()}
        for (source, _title), members in sorted(by_section.items()):
            stems = heading_stems(members[0].section)
            if len(stems) < MIN_HEADING_STEMS:
                continue
            openings = [c for c in members if not is_contents_list(c.body, headings[source])]
            self.sections.append(NamedSection(stems, tuple(openings[:OPENING_PASSAGES])))

    def section_of(self, chunk: Chunk) -> tuple[Chunk, ...]:
        """Every chunk of `chunk`'s section, in document order (a list cut by chunking is read whole)."""
        return self._members.get((chunk.source, chunk.title), (chunk,))

    def named(self, question: str, idf: Idf) -> list[tuple[Chunk, float]]:
        """Opening passages of the sections `question` names, with the named heading's idf mass.

        Sections whose heading carries more idf (a longer, rarer name) come first; their
        openings are interleaved so that a second named section is not crowded out.
        """
        asked = content_stems(question)
        named = [(sum(map(idf, sec.stems)), sec) for sec in self.sections if sec.stems <= asked]
        named.sort(key=lambda pair: -pair[0])
        ranked: list[tuple[Chunk, float]] = []
        chosen = named[:MAX_NAMED_SECTIONS]
        for position in range(OPENING_PASSAGES):
            ranked += [(s.openings[position], mass) for mass, s in chosen if position < len(s.openings)]
        return ranked


def heading_stems(heading: str) -> frozenset[str]:
    """The stems that name a section: its heading's content words, minus numbers and labels."""
    return frozenset(s for s in content_stems(heading) if not s.isdigit() and s not in SECTION_LABELS)


def is_contents_list(body: str, headings: set[str]) -> bool:
    """True when most lines of `body` are headings of the document (a table of contents)."""
    lines = [_line(line) for line in body.split("\n") if line.strip()]
    listed = sum(line in headings for line in lines)
    return listed >= 2 and listed >= CONTENTS_LINE_SHARE * len(lines)


def _line(text: str) -> str:
    return " ".join(text.split())
