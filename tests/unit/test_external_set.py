"""An eval set kept outside the repo (e.g. ../shared/eval/squad2_pt_dev): a directory with
questions.jsonl (SQuAD-like rows with `answerable`) and docs/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval import runner
from fonte.settings import Settings
from tests.conftest import HashEmbedder


def _make_set(root: Path) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "a.txt").write_text("Título\n\nO castelo foi construído em 1624.\n", encoding="utf-8")
    rows = [
        {"id": "q1", "question": "Quando o castelo foi construído?", "answers": ["1624"],
         "doc": "a.txt", "answerable": True},
        {"id": "q2", "question": "Quem construiu o castelo?", "answers": [], "doc": "a.txt",
         "answerable": False},
    ]  # fmt: skip
    (root / "questions.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return root


def test_directory_sets_load_with_answerable_flags(tmp_path: Path) -> None:
    path = _make_set(tmp_path / "squad_like")
    items = runner.load_set(str(path))
    assert [(i.id, i.expect_abstain, i.key_facts) for i in items] == [
        ("q1", False, ["1624"]),
        ("q2", True, []),
    ]
    assert runner.corpus_paths(str(path), Settings(data_dir=tmp_path)) == [path / "docs"]
    assert runner.external_set("mlops") is None


def test_the_eval_collection_holds_only_the_sets_corpus(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document ingested earlier from another path (a moved checkout, a second worktree)
    would be retrieved twice and skew every score: preparing the set removes it."""
    from ingest import ingest_paths
    from vectorstore import Collection

    opened = Collection.open.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(
        Collection, "open", classmethod(lambda cls, s, **_: opened(cls, s, embedder=HashEmbedder()))
    )

    path = _make_set(tmp_path / "squad_like")
    stale = tmp_path / "elsewhere" / "a.txt"
    stale.parent.mkdir()
    stale.write_text((path / "docs" / "a.txt").read_text(encoding="utf-8"), encoding="utf-8")
    ingest_paths([stale], Collection.open(settings))

    collection = runner.prepare_collection(str(path), settings)
    assert [info.source for info in collection.sources()] == [str((path / "docs" / "a.txt").resolve())]
