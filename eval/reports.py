"""Eval reports: JSON, a Markdown summary and a PNG chart per run."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

SCORE_KEYS = (
    "hit@3",
    "hit@5",
    "mrr",
    "ndcg@5",
    "faithfulness",
    "citation_recall",
    "citation_precision",
    "key_fact_recall",
    "token_f1",
    "abstention_precision",
    "abstention_recall",
)


def write(report: dict[str, Any], directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stem = directory / f"eval-{time.strftime('%Y%m%d-%H%M%S')}-{report['set']}-{report['backend']}"
    stem.with_suffix(".json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    stem.with_suffix(".md").write_text(markdown(report), encoding="utf-8")
    _chart(report, stem.with_suffix(".png"))
    return stem.with_suffix(".json")


def table(report: dict[str, Any]) -> str:
    m = report["metrics"]
    lines = [f"conjunto {report['set']} · backend {report['backend']} · modo {report['mode']}"]
    lines += [f"  {key:<22} {m[key]:.3f}" for key in SCORE_KEYS]
    lines += [f"  {'latency ' + key:<22} {value:.0f} ms" for key, value in m["latency_ms"].items()]
    if "follow_up_accuracy" in m:  # conversation sets (eval/conversations.py)
        lines.append(f"  {'follow_up_accuracy':<22} {m['follow_up_accuracy']:.3f}")
        lines.append(f"  {'turn_accuracy':<22} {m['turn_accuracy']:.3f}")
        lines.append(f"  errados: {', '.join(report.get('wrong_turns', [])) or '—'}")
    lines.append(
        "  retrieval por modo:   "
        + "  ".join(
            f"{mode}: hit@3 {r['hit@3']:.2f} hit@5 {r['hit@5']:.2f} mrr {r['mrr']:.2f}"
            for mode, r in report["retrieval_by_mode"].items()
        )
    )
    lines.append(f"  judge accuracy        {report['judge_accuracy']:.3f}")
    if report.get("llm_judge"):
        j = report["llm_judge"]
        lines.append(
            f"  juiz LLM {j['model']}: fidelidade {j['faithfulness']:.3f}, concordância "
            f"{j['agreement_with_deterministic']:.3f} ({j['claims']} afirmações, {j['unparsed']} sem JSON)"
        )
    return "\n".join(lines)


def markdown(report: dict[str, Any]) -> str:
    m = report["metrics"]
    rows = "\n".join(f"| {key} | {m[key]:.3f} |" for key in SCORE_KEYS)
    modes = "\n".join(
        f"| {mode} | {r['hit@3']:.3f} | {r['hit@5']:.3f} | {r['mrr']:.3f} | {r['ndcg@5']:.3f} |"
        for mode, r in report["retrieval_by_mode"].items()
    )
    lat = m["latency_ms"]
    return (
        f"# Avaliação — {report['set']} ({report['backend']}, {report['mode']})\n\n"
        f"| métrica | valor |\n|---|---|\n{rows}\n\n"
        "| modo | hit@3 | hit@5 | MRR | nDCG@5 |\n|---|---|---|---|---|\n"
        f"{modes}\n\n"
        f"Latência: retrieve p50 {lat['retrieve_p50']:.0f} ms, primeiro token p50 "
        f"{lat['first_token_p50']:.0f} ms, total p50 {lat['total_p50']:.0f} ms, "
        f"p95 {lat['total_p95']:.0f} ms.\n\n"
        f"Exatidão do juiz de fidelidade nos pares rotulados: {report['judge_accuracy']:.3f}\n"
    )


def _chart(report: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    values = [report["metrics"][k] for k in SCORE_KEYS]
    fig, ax = plt.subplots(figsize=(9, 4))
    ax.barh(list(SCORE_KEYS), values, color="#2b6cb0")
    ax.set_xlim(0, 1)
    ax.set_title(f"Fonte — {report['set']} · {report['backend']} · {report['mode']}")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
