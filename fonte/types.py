"""Typed records passed between ingestion, retrieval and answering."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    """A span of a document's normalised text under one heading path."""

    title_path: tuple[str, ...]
    start: int
    end: int
    page: int | None = None


@dataclass(frozen=True)
class Document:
    """A loaded file: normalised text plus its section structure."""

    source: str
    text: str
    sections: tuple[Section, ...]
    content_hash: str

    @property
    def name(self) -> str:
        return self.source.rsplit("/", 1)[-1]


TITLE_SEPARATOR = " › "
"""Joins a chunk's heading path in `Chunk.title` ("Capítulo 2 › Limpeza")."""


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage. `start`/`end` index the document's normalised text."""

    chunk_id: str
    source: str
    title: str
    text: str
    body: str
    start: int
    end: int
    page: int | None = None
    content_hash: str = ""

    @property
    def name(self) -> str:
        return self.source.rsplit("/", 1)[-1]

    @property
    def section(self) -> str:
        """The heading the passage sits under: the last part of its title path."""
        return self.title.split(TITLE_SEPARATOR)[-1]

    @property
    def body_offset(self) -> int:
        """Where `body` starts in `text` (after the title line)."""
        return len(self.text) - len(self.body)


@dataclass(frozen=True)
class Hit:
    """A chunk returned by retrieval, with the scores that ranked it."""

    chunk: Chunk
    score: float
    rank: int
    dense_score: float | None = None
    lexical_score: float | None = None


@dataclass(frozen=True)
class Citation:
    """A numbered source of an answer; `quote` is an exact substring of `chunk.text`."""

    n: int
    chunk: Chunk
    quote: str


@dataclass
class Timings:
    retrieve_ms: float = 0.0
    first_token_ms: float | None = None
    total_ms: float = 0.0


@dataclass
class Answer:
    """What Fonte returns for a question."""

    question: str
    text: str
    citations: list[Citation]
    abstained: bool
    backend: str
    model: str
    timings: Timings = field(default_factory=Timings)
    standalone_question: str = ""
    hits: list[Hit] = field(default_factory=list)
