"""Run an eval set through retrieval and the answer pipeline; score it; write reports."""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval import metrics
from fonte.errors import BadRequest
from fonte.settings import Settings, bundled_corpus

SETS_DIR = Path(__file__).resolve().parent / "sets"
THRESHOLDS = Path(__file__).resolve().parent / "thresholds.json"
MODES = ("dense", "lexical", "hybrid")
VARIANTS = {"debian_ptbr_pdf": "debian_ptbr"}
"""Sets that ask another set's questions over another edition of its corpus (here the PDF)."""
CONVERSATION_SETS = ("conversations",)
"""Name prefixes of the multi-turn sets (conversations, conversations_heldout): asked turn by turn
with Fonte's own answers as history (eval/conversations.py)."""


@dataclass(frozen=True)
class EvalItem:
    id: str
    question: str
    category: str
    gold_quotes: list[str]
    reference_answer: str = ""
    key_facts: list[str] = field(default_factory=list)
    history: list[dict[str, str]] = field(default_factory=list)
    expect_abstain: bool = False


def available_sets() -> list[str]:
    return sorted([*(p.stem for p in SETS_DIR.glob("*.jsonl") if p.stem != "judge_pairs"), *VARIANTS])


def external_set(name: str) -> Path | None:
    """A set given as a directory with `questions.jsonl` and `docs/` (e.g. ../shared/eval/squad2_pt_dev).

    Such sets stay where they are (their licence may not allow copying them into the repo).
    Rows are SQuAD-like: {"id", "question", "answers", "answerable"}.
    """
    path = Path(name)
    return path if (path / "questions.jsonl").is_file() and (path / "docs").is_dir() else None


def _external_items(path: Path) -> list[EvalItem]:
    rows = [json.loads(line) for line in (path / "questions.jsonl").read_text("utf-8").splitlines() if line]
    return [
        EvalItem(
            id=str(row["id"]),
            question=row["question"],
            category="answerable" if row.get("answerable") else "unanswerable",
            gold_quotes=list(row.get("answers") or []),
            key_facts=list(row.get("answers") or [])[:1],  # the alternatives are one fact
            expect_abstain=not row.get("answerable"),
        )
        for row in rows
    ]


def load_set(name: str) -> list[EvalItem]:
    if (external := external_set(name)) is not None:
        return _external_items(external)
    if name.startswith(CONVERSATION_SETS):
        raise BadRequest(f"'{name}' é um conjunto de conversas — rode `fonte eval --set {name}`")
    path = SETS_DIR / f"{VARIANTS.get(name, name)}.jsonl"
    if not path.exists():
        raise BadRequest(
            f"Conjunto de avaliação '{name}' não existe — use um de: {', '.join(available_sets())}"
        )
    fields = set(EvalItem.__dataclass_fields__)
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            row["expect_abstain"] = bool(row.get("expect_abstain")) or row.get("category") == "unanswerable"
            items.append(EvalItem(**{k: v for k, v in row.items() if k in fields}))
    return items


def corpus_paths(set_name: str, settings: Settings) -> list[Path]:
    if (external := external_set(set_name)) is not None:
        return [external / "docs"]
    if set_name == "debian_ptbr_pdf":
        from eval.corpora import debian_reference_pdf

        return [debian_reference_pdf(settings.data_dir / "corpora" / "debian-reference")]
    if set_name.startswith("debian"):
        from eval.corpora import fetch_debian_reference

        editions = fetch_debian_reference(settings.data_dir / "corpora" / "debian-reference")
        return [Path(editions["pt" if set_name == "debian_pt" else "pt-br"])]
    return [bundled_corpus()]


def prepare_collection(set_name: str, settings: Settings) -> Any:
    from ingest import ingest_paths
    from vectorstore import Collection

    collection = Collection.open(settings)
    report = ingest_paths(corpus_paths(set_name, settings), collection)
    if not report.ok:
        raise BadRequest(f"Não foi possível ingerir o corpus de '{set_name}': {report.skipped}")
    # the eval collection holds exactly this set's corpus: a document ingested earlier from
    # another path (a moved checkout, a second worktree) would answer twice and skew the scores
    current = set(report.ingested) | set(report.unchanged)
    for info in collection.sources():
        if info.source not in current:
            collection.remove_source(info.source)
    return collection


def retrieval_scores(items: list[EvalItem], collection: Any, mode: str, k: int = 5) -> dict[str, Any]:
    rows = []
    latencies = []
    for item in items:
        if item.expect_abstain or not item.gold_quotes:
            continue
        query = item.question if not item.history else _with_history(item)
        started = time.perf_counter()
        hits = collection.search(query, k=k, mode=mode)
        latencies.append((time.perf_counter() - started) * 1000)
        relevance = [metrics.is_relevant(h.chunk.text, item.gold_quotes) for h in hits]
        rows.append((item.id, relevance, len(item.gold_quotes)))
    return {
        "hit@3": _mean(metrics.hit_at_k(r, 3) for _, r, _ in rows),
        "hit@5": _mean(metrics.hit_at_k(r, 5) for _, r, _ in rows),
        "mrr": _mean(metrics.reciprocal_rank(r) for _, r, _ in rows),
        "ndcg@5": _mean(metrics.ndcg_at_k(r, 5, n) for _, r, n in rows),
        "search_p50_ms": metrics.percentile(latencies, 50),
        "misses": [i for i, r, _ in rows if not any(r[:5])],
    }


def _with_history(item: EvalItem) -> str:
    from assistant.conversation import condense, parse_history

    return condense(item.question, parse_history(item.history, max_turns=10))


def answer_scores(
    items: list[EvalItem], settings: Settings, collection: Any, backend: str, *, keep_passages: bool = False
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    from assistant import Assistant

    helper = Assistant(settings, collection=collection)
    per_question: list[dict[str, Any]] = []
    for item in items:
        answer = helper.answer(item.question, history=item.history, backend=backend)
        per_question.append(score_answer(item, answer, keep_passages=keep_passages))
    return summarize(per_question), per_question


def score_answer(item: EvalItem, answer: Any, *, keep_passages: bool = False) -> dict[str, Any]:
    """One answer scored against its item: claims, citations, key facts, abstention, timings."""
    passages = {c.n: c.chunk.text for c in answer.citations}
    supported, n_claims = metrics.faithfulness(answer.text, passages) if not answer.abstained else (0, 0)
    rec, _, prec, prec_n = (
        metrics.citation_scores(answer.text, passages) if not answer.abstained else (0, 0, 0, 0)
    )
    row: dict[str, Any] = {
        "id": item.id,
        "category": item.category,
        "question": item.question,
        "answer": answer.text,
        "abstained": answer.abstained,
        "expect_abstain": item.expect_abstain,
        "claims": n_claims,
        "supported_claims": supported,
        "citation_recall_hits": rec,
        "citation_precision_hits": prec,
        "citations": prec_n,
        "cites_gold": any(metrics.is_relevant(c.chunk.text, item.gold_quotes) for c in answer.citations),
        "quotes_verbatim": all(c.quote in c.chunk.text for c in answer.citations),
        "quotes_at_boundary": sum(metrics.ends_at_boundary(c.quote, c.chunk.text) for c in answer.citations),
        "quotes": len(answer.citations),
        "key_fact_recall": metrics.key_fact_recall(answer.text, item.key_facts),
        "token_f1": metrics.token_f1(answer.text, item.reference_answer),
        "retrieve_ms": answer.timings.retrieve_ms,
        "first_token_ms": answer.timings.first_token_ms,
        "total_ms": answer.timings.total_ms,
        "model": answer.model,
    }
    if keep_passages:
        row["_passages"] = passages
    return row


def summarize(per_question: list[dict[str, Any]]) -> dict[str, Any]:
    """Set-level answer metrics from per-question rows (see `score_answer`)."""
    answered = [q for q in per_question if not q["abstained"]]
    answerable = [q for q in per_question if not q["expect_abstain"]]
    precision, recall = metrics.abstention(
        [q["expect_abstain"] for q in per_question], [q["abstained"] for q in per_question]
    )
    claims = sum(q["claims"] for q in answered)
    citations = sum(q["citations"] for q in answered)
    return {
        "faithfulness": sum(q["supported_claims"] for q in answered) / claims if claims else 1.0,
        "citation_recall": sum(q["citation_recall_hits"] for q in answered) / claims if claims else 1.0,
        "citation_precision": sum(q["citation_precision_hits"] for q in answered) / citations
        if citations
        else 1.0,
        "key_fact_recall": _mean(q["key_fact_recall"] for q in answerable if not q["abstained"]),
        "token_f1": _mean(q["token_f1"] for q in answerable),
        "abstention_precision": precision,
        "abstention_recall": recall,
        "answered_with_gold_citation": _mean(
            float(not q["abstained"] and q["cites_gold"]) for q in answerable
        ),
        "quotes_verbatim": _mean(float(q["quotes_verbatim"]) for q in per_question),
        # share of cited quotes ending at a sentence or list-item boundary of the source
        "quotes_at_boundary": sum(q["quotes_at_boundary"] for q in per_question)
        / max(1, sum(q["quotes"] for q in per_question)),
        "latency_ms": {
            "retrieve_p50": metrics.percentile([q["retrieve_ms"] for q in per_question], 50),
            "first_token_p50": metrics.percentile([q["first_token_ms"] for q in per_question], 50),
            "total_p50": metrics.percentile([q["total_ms"] for q in per_question], 50),
            "total_p95": metrics.percentile([q["total_ms"] for q in per_question], 95),
        },
    }


def judge_accuracy() -> float:
    from eval import judge

    path = SETS_DIR / "judge_pairs.jsonl"
    if not path.exists():
        return float("nan")
    pairs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return _mean(float(judge.supported(p["claim"], [p["passage"]]) == p["label"]) for p in pairs)


def llm_judge_scores(per_question: list[dict[str, Any]], judge: Any) -> dict[str, Any]:
    """Faithfulness by an LLM judge and its agreement with the deterministic one, per claim."""
    from eval import judge as deterministic

    agree = total = supported = unparsed = 0
    for q in per_question:
        passages = q.pop("_passages", {})
        for claim, marks in deterministic.claims(q["answer"]) if not q["abstained"] else []:
            cited = [passages[n] for n in marks[: metrics.MAX_CITATIONS_PER_CLAIM] if n in passages]
            verdict = judge.verdict(claim, cited)
            if verdict.supported is None:
                unparsed += 1
                continue
            total += 1
            supported += verdict.supported
            agree += verdict.supported == deterministic.supported(claim, cited)
    return {
        "model": judge.llm.model,
        "faithfulness": supported / total if total else 1.0,
        "agreement_with_deterministic": agree / total if total else 1.0,
        "claims": total,
        "unparsed": unparsed,
    }


def run(
    settings: Settings,
    *,
    set_name: str = "mlops",
    backend: str = "extractive",
    mode: str = "hybrid",
    judge: str | None = None,
) -> dict[str, Any]:
    if mode not in MODES:
        raise BadRequest(f"Modo inválido: {mode} — use {', '.join(MODES)}")
    if set_name.startswith(CONVERSATION_SETS):
        from eval import conversations

        return conversations.run(settings, set_name=set_name, backend=backend, mode=mode)
    items = load_set(set_name)
    label = Path(set_name).name if external_set(set_name) else set_name
    settings = settings.with_overrides(collection=f"eval-{label.replace('_', '-')}", mode=mode)
    collection = prepare_collection(set_name, settings)
    by_mode = {m: retrieval_scores(items, collection, m) for m in MODES}
    llm_judge = _ollama_judge(settings, judge) if judge else None  # fail fast if Ollama is down
    summary, per_question = answer_scores(items, settings, collection, backend, keep_passages=bool(judge))
    llm_judge_report = llm_judge_scores(per_question, llm_judge) if llm_judge else None
    chosen = by_mode[mode]
    retrieval = {key: chosen[key] for key in ("hit@3", "hit@5", "mrr", "ndcg@5")}
    return {
        "set": label,
        "backend": backend,
        "mode": mode,
        "metrics": {**retrieval, **summary},
        "per_question": per_question,
        "retrieval_by_mode": by_mode,
        "judge_accuracy": judge_accuracy(),
        "llm_judge": llm_judge_report,
        "embedder": settings.embedder,
    }


def _ollama_judge(settings: Settings, spec: str) -> Any:
    from assistant.llm.ollama import OllamaLLM
    from eval.llm_judge import LLMJudge, parse_spec

    llm = OllamaLLM(host=settings.ollama_host, model=parse_spec(spec), num_ctx=settings.ollama_num_ctx)
    llm.check()
    return LLMJudge(llm)


def contract(report: dict[str, Any]) -> dict[str, Any]:
    """The `fonte eval --json` contract: only the pinned metric keys."""
    from eval.reports import SCORE_KEYS

    keys = (*SCORE_KEYS, "latency_ms")
    return {
        "set": report["set"],
        "backend": report["backend"],
        "mode": report["mode"],
        "metrics": {k: report["metrics"][k] for k in keys},
        "per_question": report["per_question"],
    }


def below_thresholds(report: dict[str, Any]) -> list[str]:
    """Metrics under the floors stored in eval/thresholds.json for this set and backend."""
    floors = json.loads(THRESHOLDS.read_text(encoding="utf-8")).get(
        f"{report['set']}:{report['backend']}", {}
    )
    return [
        f"{name} = {report['metrics'][name]:.3f} < {floor:.3f}"
        for name, floor in floors.items()
        if report["metrics"][name] < floor
    ]


def _mean(values: Any) -> float:
    values = list(values)
    return statistics.fmean(values) if values else 0.0
