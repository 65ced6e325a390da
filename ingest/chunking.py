"""Structure-aware chunking: chunks never cross a section and carry its title path."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from langchain_text_splitters import RecursiveCharacterTextSplitter

from fonte.settings import CHUNK_OVERLAP, CHUNK_SIZE
from fonte.types import TITLE_SEPARATOR, Chunk, Document, Section

SEPARATORS = ["\n\n", "\n", ". ", "; ", ", ", " ", ""]


WHOLE_SECTION_SLACK = 1.5
"""A section up to this many times `size` stays one chunk (see `chunk_document`)."""


def chunk_document(
    document: Document, *, size: int = CHUNK_SIZE, overlap: int = CHUNK_OVERLAP
) -> list[Chunk]:
    """Split each section of `document` into chunks of about `size` characters.

    A section up to 1.5 × `size` stays one chunk: splitting it would leave a small,
    mostly-overlapping tail that competes with the head for the same questions.
    """
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=size,
        chunk_overlap=overlap,
        separators=SEPARATORS,
        keep_separator="end",
        add_start_index=True,
        strip_whitespace=False,
    )
    return [
        _make_chunk(document, section, start, end)
        for section in document.sections
        for start, end in _spans(document.text, section, splitter, whole_up_to=WHOLE_SECTION_SLACK * size)
    ]


def _spans(
    text: str, section: Section, splitter: RecursiveCharacterTextSplitter, *, whole_up_to: float
) -> Iterator[tuple[int, int]]:
    body = text[section.start : section.end]
    whole = len(body.strip()) <= whole_up_to
    pieces = [(0, body)] if whole else [
        (p.metadata["start_index"], p.page_content) for p in splitter.create_documents([body])
    ]  # fmt: skip
    for offset, content in pieces:
        start = section.start + offset
        end = start + len(content)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if _has_content(text[start:end], section):
            yield start, end


def _has_content(body: str, section: Section) -> bool:
    """Skip pieces that are only the heading line or decoration."""
    stripped = " ".join(body.replace("*", " ").replace("+", " ").split())
    return bool(stripped.strip("#=-")) and stripped not in section.title_path


def _make_chunk(document: Document, section: Section, start: int, end: int) -> Chunk:
    body = document.text[start:end]
    title = TITLE_SEPARATOR.join(section.title_path)
    text = f"{title}\n{body}" if title else body
    digest = hashlib.sha256(text.encode()).hexdigest()
    chunk_id = hashlib.sha1(f"{document.source}\x00{start}\x00{end}\x00{digest}".encode())
    return Chunk(
        chunk_id=chunk_id.hexdigest()[:24],
        source=document.source,
        title=title,
        text=text,
        body=body,
        start=start,
        end=end,
        page=section.page,
        content_hash=digest[:16],
    )
