from ingest.chunking import chunk_document
from ingest.loaders import load
from tests.conftest import CORPUS


def test_chunks_stay_in_sections_and_slice_the_text() -> None:
    document = load(CORPUS)
    chunks = chunk_document(document, size=400, overlap=50)
    for chunk in chunks:
        assert document.text[chunk.start : chunk.end] == chunk.body
        section = next(s for s in document.sections if s.start <= chunk.start < s.end)
        assert chunk.end <= section.end
        assert chunk.text.startswith(chunk.title)
        assert chunk.title.endswith(section.title_path[-1])


def test_chunk_ids_are_stable_and_unique() -> None:
    first = [c.chunk_id for c in chunk_document(load(CORPUS))]
    second = [c.chunk_id for c in chunk_document(load(CORPUS))]
    assert first == second
    assert len(set(first)) == len(first)


def test_a_section_slightly_over_size_stays_whole() -> None:
    document = load(CORPUS)
    section = next(s for s in document.sections if s.title_path[-1].startswith("O que é Machine Learning"))
    body_length = len(document.text[section.start : section.end].strip())
    assert 600 < body_length <= 900
    chunks = [c for c in chunk_document(document, size=600, overlap=100) if c.start >= section.start]
    whole = document.text[section.start : section.end].strip()
    assert chunks[0].body == whole  # one chunk holds the whole section
