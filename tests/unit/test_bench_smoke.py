"""eval.bench imports cheaply and renders its Markdown report from fake numbers (no models)."""

from __future__ import annotations

from eval import bench


def fake_results() -> bench.BenchResults:
    results = bench.BenchResults(quick=True, runs=1, machine="test box", eval_set="eval/sets/mlops.jsonl")
    results.ingest = [bench.IngestRow("bundled", bench.E5, 20, 0.008, 2.0, 0.001, 0.5)]
    results.search = [
        bench.SearchRow(1000, "embedded", mode, 12.5, 30.0, 150.0) for mode in bench.SEARCH_MODES
    ]
    results.cli_search_cold_ms = 3210.0
    results.llm = [bench.LlmRow("O que é DataOps?", 1200, 500.0, 70.0, 1500, 3000, 1900, 3300, 15, False)]
    results.ask = [bench.AskRow("HTTP API", "extractive", None, "API: not available")]
    results.quality = [bench.QualityRow("Fonte (extractive)", 0.9, 1.0, 0.8, 0.7, 25.0, 56)]
    results.peak_rss_mb = {"bench process, after search": 900.0}
    results.section_seconds = {"ingest": 3.0}
    results.notes = ["Debian Reference rows skipped: eval/corpora.py not present."]
    return results


def test_render_markdown_on_fake_numbers() -> None:
    report = bench.render_markdown(fake_results())
    for heading in ("## 1. Ingest", "## 2. Search", "## 3. LLM", "## 4. End-to-end", "## 5. Fonte vs"):
        assert heading in report
    assert "| bundled | `e5:multilingual-e5-small` | 20 | 0.008 | 2.00 | 10.0 |" in report
    assert "12.5 / 30.0" in report and "**3210 ms**" in report
    assert "+10%" in report  # pipeline 3300 ms vs raw 3000 ms
    assert "API: not available" in report and "Debian Reference rows skipped" in report


def test_render_markdown_with_nothing_measured() -> None:
    report = bench.render_markdown(bench.BenchResults(quick=False, runs=3, machine="m", eval_set="s"))
    assert report.startswith("# Fonte — benchmark") and "not measured" in report
