from pathlib import Path

from fonte.settings import Settings
from ingest import ingest_paths
from tests.conftest import CORPUS, HashEmbedder
from vectorstore import Collection


def test_unchanged_files_are_skipped_until_chunking_changes(settings: Settings) -> None:
    first = ingest_paths([CORPUS], Collection.open(settings, embedder=HashEmbedder()))
    assert len(first.ingested) == 1 and first.chunks > 0
    again = ingest_paths([CORPUS], Collection.open(settings, embedder=HashEmbedder()))
    assert again.unchanged and not again.ingested
    smaller = settings.with_overrides(chunk_size=300, chunk_overlap=50)
    collection = Collection.open(smaller, embedder=HashEmbedder())
    rechunked = ingest_paths([CORPUS], collection)
    assert rechunked.ingested and rechunked.chunks > first.chunks
    assert len(collection.store.all_ids()) == rechunked.chunks  # old chunks replaced, no orphans


def test_hidden_files_inside_a_folder_are_skipped_but_a_hidden_parent_is_fine(
    settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / ".local" / "docs"
    (folder / ".git").mkdir(parents=True)
    (folder / "nota.md").write_text("# Nota\n\nTexto visível.\n", encoding="utf-8")
    (folder / ".git" / "config.md").write_text("# Oculto\n\nNão ingerir.\n", encoding="utf-8")
    report = ingest_paths([folder], Collection.open(settings, embedder=HashEmbedder()))
    assert [Path(s).name for s in report.ingested] == ["nota.md"]
