"""Multi-turn eval: each conversation is asked turn by turn, with Fonte's own answers as history.

A turn is right when Fonte abstains exactly when it should and, when it answers, cites a
gold passage, mentions every key fact and none of the turn's `absent_facts` (what a wrong
reading would say: the whole list instead of the item asked for, the previous subject
instead of the new one). Follow-up accuracy counts the turns after the first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from eval import metrics
from eval.runner import (
    SETS_DIR,
    EvalItem,
    _mean,
    judge_accuracy,
    prepare_collection,
    score_answer,
    summarize,
)
from fonte.errors import BadRequest
from fonte.settings import Settings


@dataclass(frozen=True)
class ConversationTurn:
    item: EvalItem
    absent_facts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Conversation:
    id: str
    turns: tuple[ConversationTurn, ...]


def load_conversations(name: str = "conversations") -> list[Conversation]:
    path = SETS_DIR / f"{name}.jsonl"
    if not path.exists():
        raise BadRequest(f"Conjunto de conversas '{name}' não existe em {SETS_DIR}")
    conversations = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        turns = tuple(
            ConversationTurn(
                item=EvalItem(
                    id=f"{row['id']}.{n}",
                    question=turn["question"],
                    category=turn.get("category", "follow-up"),
                    gold_quotes=list(turn.get("gold_quotes", [])),
                    key_facts=list(turn.get("key_facts", [])),
                    reference_answer=turn.get("reference_answer", ""),
                    expect_abstain=bool(turn.get("expect_abstain")),
                ),
                absent_facts=tuple(turn.get("absent_facts", [])),
            )
            for n, turn in enumerate(row["turns"], start=1)
        )
        conversations.append(Conversation(id=row["id"], turns=turns))
    return conversations


def turn_right(turn: ConversationTurn, row: dict[str, Any]) -> bool:
    """Abstained exactly when expected; otherwise gold cited, key facts in, absent facts out."""
    if turn.item.expect_abstain or row["abstained"]:
        return bool(row["abstained"]) == turn.item.expect_abstain
    leaked = [fact for fact in turn.absent_facts if metrics.key_fact_recall(row["answer"], [fact]) == 1.0]
    return row["cites_gold"] and row["key_fact_recall"] == 1.0 and not leaked


def run(settings: Settings, *, set_name: str, backend: str, mode: str) -> dict[str, Any]:
    """The eval report of a conversation set, in the shape `eval.reports` renders."""
    from assistant import Assistant

    conversations = load_conversations(set_name)
    settings = settings.with_overrides(collection="eval-mlops", mode=mode)
    collection = prepare_collection("mlops", settings)
    helper = Assistant(settings, collection=collection)
    per_question: list[dict[str, Any]] = []
    relevance: list[list[bool]] = []
    for conversation in conversations:
        history: list[dict[str, str]] = []
        for position, turn in enumerate(conversation.turns):
            answer = helper.answer(turn.item.question, history=history, backend=backend)
            row = score_answer(turn.item, answer)
            row["conversation"] = conversation.id
            row["follow_up"] = position > 0
            row["standalone_question"] = answer.standalone_question
            row["right"] = turn_right(turn, row)
            per_question.append(row)
            if not turn.item.expect_abstain and turn.item.gold_quotes:
                relevance.append(
                    [metrics.is_relevant(h.chunk.text, turn.item.gold_quotes) for h in answer.hits]
                )
            history += [
                {"role": "user", "content": turn.item.question},
                {"role": "assistant", "content": answer.text},
            ]
    follow_ups = [q for q in per_question if q["follow_up"]]
    retrieval = {
        "hit@3": _mean(metrics.hit_at_k(r, 3) for r in relevance),
        "hit@5": _mean(metrics.hit_at_k(r, 5) for r in relevance),
        "mrr": _mean(metrics.reciprocal_rank(r) for r in relevance),
        "ndcg@5": _mean(metrics.ndcg_at_k(r, 5, 1) for r in relevance),
    }
    summary = summarize(per_question)
    summary["follow_up_accuracy"] = _mean(float(q["right"]) for q in follow_ups)
    summary["turn_accuracy"] = _mean(float(q["right"]) for q in per_question)
    summary["follow_up_total_p50_ms"] = metrics.percentile([q["total_ms"] for q in follow_ups], 50)
    return {
        "set": set_name,
        "backend": backend,
        "mode": mode,
        "metrics": {**retrieval, **summary},
        "per_question": per_question,
        "retrieval_by_mode": {mode: retrieval},
        "judge_accuracy": judge_accuracy(),
        "llm_judge": None,
        "embedder": settings.embedder,
        "conversations": len(conversations),
        "wrong_turns": [q["id"] for q in per_question if not q["right"]],
    }
