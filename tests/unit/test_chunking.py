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
