"""Sanity checks for the hand-written eval sets (fast, offline)."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETS = ROOT / "eval" / "sets"
CORPUS = ROOT / "fonte" / "corpus" / "mlops_dataops_fundamentos.txt"

QA_KEYS = {"id", "question", "category", "gold_quotes", "reference_answer", "key_facts", "history"}
MLOPS_CATEGORIES = {"factual", "list", "definition", "comparison", "follow-up", "unanswerable", "adversarial"}
DEBIAN_CATEGORIES = {"factual", "list", "definition", "how-to", "unanswerable"}
PERTURBATIONS = {"none", "swapped_number", "negation", "swapped_entity", "unsupported_addition", "paraphrase"}


def _rows(name: str) -> list[dict]:
    lines = (SETS / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


def _abstains(row: dict) -> bool:
    return bool(row.get("expect_abstain")) or row["category"] == "unanswerable"


def _check_qa_schema(rows: list[dict], categories: set[str]) -> None:
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for r in rows:
        assert r.keys() >= QA_KEYS, r["id"]
        assert r["category"] in categories, r["id"]
        assert isinstance(r["question"], str) and r["question"].strip(), r["id"]
        assert isinstance(r["gold_quotes"], list) and isinstance(r["key_facts"], list), r["id"]
        assert isinstance(r.get("expect_abstain", False), bool), r["id"]
        if r["category"] == "unanswerable":
            assert r.get("expect_abstain") is True, r["id"]
        if _abstains(r):
            assert r["gold_quotes"] == [] and r["key_facts"] == [] and r["reference_answer"] == "", r["id"]
        else:
            assert r["gold_quotes"], r["id"]
            assert r["reference_answer"].strip(), r["id"]
            assert 1 <= len(r["key_facts"]) <= 4, r["id"]
        for quote in r["gold_quotes"]:
            assert 20 <= len(quote) <= 200, (r["id"], quote)
            assert "\n" not in quote, (r["id"], quote)


@pytest.fixture(scope="module")
def mlops() -> list[dict]:
    return _rows("mlops.jsonl")


def test_mlops_schema_and_counts(mlops):
    _check_qa_schema(mlops, MLOPS_CATEGORIES)
    counts = Counter(r["category"] for r in mlops)
    assert len(mlops) >= 40
    assert sum(_abstains(r) for r in mlops) >= 10
    assert counts["definition"] >= 8 and counts["factual"] >= 6 and counts["list"] >= 5
    assert counts["comparison"] >= 4 and counts["adversarial"] >= 4
    assert all(r["id"].startswith("mlops-") for r in mlops)


def test_mlops_follow_ups_have_history(mlops):
    follow_ups = [r for r in mlops if r["category"] == "follow-up"]
    assert len(follow_ups) >= 5
    for r in follow_ups:
        assert [turn["role"] for turn in r["history"]] == ["user", "assistant"], r["id"]
        assert all(turn["content"].strip() for turn in r["history"]), r["id"]
    assert all(r["history"] == [] for r in mlops if r["category"] != "follow-up")


def test_mlops_gold_quotes_are_verbatim(mlops):
    corpus = CORPUS.read_text(encoding="utf-8")
    for r in mlops:
        for quote in r["gold_quotes"]:
            assert quote in corpus, (r["id"], quote)


def test_mlops_key_facts_occur_in_corpus(mlops):
    corpus = _fold(CORPUS.read_text(encoding="utf-8"))
    for r in mlops:
        for fact in r["key_facts"]:
            assert _fold(fact) in corpus, (r["id"], fact)


def test_mlops_comparisons_cite_two_quotes(mlops):
    for r in mlops:
        if r["category"] == "comparison":
            assert len(r["gold_quotes"]) >= 2, r["id"]


def test_debian_sets_align():
    ptbr, pt = _rows("debian_ptbr.jsonl"), _rows("debian_pt.jsonl")
    assert len(ptbr) >= 30 and len(pt) == len(ptbr)
    assert [r["id"] for r in ptbr] == [r["id"] for r in pt]
    assert [r["question"] for r in ptbr] == [r["question"] for r in pt]
    for rows in (ptbr, pt):
        _check_qa_schema(rows, DEBIAN_CATEGORIES)
        assert sum(_abstains(r) for r in rows) >= 3
        assert all(r.get("source_hint") for r in rows)


def test_judge_pairs():
    pairs = _rows("judge_pairs.jsonl")
    assert len(pairs) >= 60
    assert len({p["id"] for p in pairs}) == len(pairs)
    labels = Counter(p["label"] for p in pairs)
    assert labels[True] >= 20 and labels[False] >= 20
    for p in pairs:
        assert isinstance(p["label"], bool), p["id"]
        assert p["claim"].strip() and p["passage"].strip(), p["id"]
        assert p["perturbation"] in PERTURBATIONS, p["id"]
        assert p["label"] == (p["perturbation"] in {"none", "paraphrase"}), p["id"]


def test_sets_load_through_runner():
    from eval.runner import available_sets, load_set

    assert {"mlops", "debian_ptbr", "debian_pt"} <= set(available_sets())
    items = load_set("mlops")
    assert sum(item.expect_abstain for item in items) >= 10
