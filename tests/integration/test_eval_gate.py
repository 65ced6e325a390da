"""The CI quality gate: extractive answers on the bundled document must stay above the floors
stored in eval/thresholds.json (raised as Fonte improves, never lowered to pass)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = [pytest.mark.slow, pytest.mark.eval]

METRIC_KEYS = {
    "hit@3", "hit@5", "mrr", "ndcg@5", "faithfulness", "citation_recall", "citation_precision",
    "key_fact_recall", "token_f1", "abstention_precision", "abstention_recall", "latency_ms",
}  # fmt: skip


def test_eval_gate_on_bundled_document(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    result = subprocess.run(
        [sys.executable, "-m", "ui.cli", "eval", "--set", "mlops", "--backend", "extractive",
         "--json", "--gate", "--reports-dir", str(reports)],
        cwd=REPO, capture_output=True, text=True, env=dict(os.environ), timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    payload = json.loads(result.stdout)
    assert set(payload) == {"set", "backend", "mode", "metrics", "per_question"}
    assert set(payload["metrics"]) == METRIC_KEYS
    assert set(payload["metrics"]["latency_ms"]) == {
        "retrieve_p50",
        "first_token_p50",
        "total_p50",
        "total_p95",
    }
    assert (payload["set"], payload["backend"], payload["mode"]) == ("mlops", "extractive", "hybrid")
    assert all(q["quotes_verbatim"] for q in payload["per_question"])
    written = {p.suffix for p in reports.iterdir()}
    assert written == {".json", ".md", ".png"}


def test_gate_fails_below_a_floor(tmp_path: Path) -> None:
    from eval import runner

    report = {"set": "mlops", "backend": "extractive", "metrics": {"faithfulness": 0.5, "mrr": 0.99}}
    floors = json.loads(runner.THRESHOLDS.read_text(encoding="utf-8"))["mlops:extractive"]
    failures = runner.below_thresholds({**report, "metrics": {k: 0.0 for k in floors}})
    assert len(failures) == len(floors)


def test_unknown_set_is_a_clear_error() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ui.cli", "eval", "--set", "nada"], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 2 and "mlops" in result.stderr and "Traceback" not in result.stderr
