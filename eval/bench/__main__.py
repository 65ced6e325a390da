"""`python -m eval.bench [--quick] [--out PATH]`: run every section and write the Markdown report."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from eval import bench
from eval.bench.answers import bench_answers
from eval.bench.ingest import bench_ingest
from eval.bench.llm import bench_llm
from eval.bench.plan import (
    DEFAULT_OUT,
    BenchResults,
    Plan,
    ask_subset,
    eval_items,
    load_average,
    machine_description,
    plain_questions,
    stage,
)
from eval.bench.report import render_markdown
from eval.bench.search import bench_search
from eval.bench.seed import make_seed, model_file


def run(plan: Plan, workspace: Path) -> BenchResults:
    items, set_name = eval_items()
    results = BenchResults(quick=plan.quick, runs=plan.runs, machine=machine_description(), eval_set=set_name)
    started = time.perf_counter()
    with stage(results, "ingest"):
        results.ingest = bench_ingest(plan, workspace, results.notes)
    model = model_file(workspace)
    results.llm_model = model.name
    seed = make_seed(workspace, model)
    with stage(results, "search"):
        bench_search(plan, workspace, seed, plain_questions(items, plan.search_questions), results)
    with stage(results, "llm"):
        results.llm = bench_llm(plan, seed, plain_questions(items, plan.llm_questions))
    bench_answers(plan, seed, ask_subset(items, plan), results)
    results.machine += f"; load avg {load_average()} at end"
    results.total_seconds = time.perf_counter() - started
    return results


def main(argv: Sequence[str] | None = None) -> None:
    summary = (bench.__doc__ or "").splitlines()[0]
    parser = argparse.ArgumentParser(prog="python -m eval.bench", description=summary)
    parser.add_argument("--quick", action="store_true", help="1 run, smaller sizes, fewer questions")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="Markdown report path")
    args = parser.parse_args(argv)
    for name in [n for n in os.environ if n.startswith("FONTE_")]:
        del os.environ[name]  # measure the defaults, whatever this shell has set
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    workspace = Path(tempfile.mkdtemp(prefix="fonte-bench-"))
    try:
        report = render_markdown(run(Plan.make(args.quick), workspace))
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    print(f"(relatório em {args.out})", file=sys.stderr)


if __name__ == "__main__":
    main()
