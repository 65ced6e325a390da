"""Eval reports: JSON, a Markdown summary and a PNG chart per run; reading the newest back."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Iterable
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


def latest_eval_report(reports_dir: Path) -> tuple[Path, dict[str, Any]] | None:
    """The newest readable `eval-*.json` in `reports_dir`, or None."""
    if not reports_dir.is_dir():
        return None
    candidates = sorted(reports_dir.glob("eval-*.json"), key=lambda p: (p.stat().st_mtime, p.name))
    for path in reversed(candidates):
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        if isinstance(report, dict) and isinstance(report.get("metrics"), dict):
            return path, report
    return None


def category_summary(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Per question category: counts, abstention accuracy, faithfulness, key facts, latency."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for q in report.get("per_question", []):
        groups.setdefault(str(q.get("category") or "sem categoria"), []).append(q)
    rows = []
    for category, items in sorted(groups.items()):
        answered = [q for q in items if not q.get("abstained")]
        claims = sum(int(q.get("claims") or 0) for q in answered)
        supported = sum(int(q.get("supported_claims") or 0) for q in answered)
        answerable = [q for q in items if not q.get("expect_abstain")]
        latencies = [float(q["total_ms"]) for q in items if q.get("total_ms") is not None]
        rows.append(
            {
                "categoria": category,
                "perguntas": len(items),
                "respondidas": len(answered),
                "abstenção correta": _mean(
                    float(bool(q.get("abstained")) == bool(q.get("expect_abstain"))) for q in items
                ),
                "fidelidade": supported / claims if claims else None,
                "fatos-chave": _mean(float(q.get("key_fact_recall") or 0.0) for q in answerable),
                "latência p50 (ms)": statistics.median(latencies) if latencies else None,
            }
        )
    return rows


def _mean(values: Iterable[float]) -> float | None:
    items = list(values)
    return sum(items) / len(items) if items else None
