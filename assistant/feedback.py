"""What users hand back: ratings of answers, appended to `data_dir/feedback.jsonl`.

The Markdown transcript of a conversation is a rendering: `ui.render.conversation_markdown`.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fonte.errors import BadRequest
from fonte.settings import Settings
from fonte.types import Answer

RATINGS = ("up", "down")
MAX_COMMENT_CHARS = 2000
_write_lock = threading.Lock()


def feedback_path(settings: Settings) -> Path:
    return settings.data_dir / "feedback.jsonl"


def feedback_record(
    answer: Answer, rating: str, comment: str = "", *, collection: str = ""
) -> dict[str, Any]:
    """One feedback line: the question, the answer with its citations, the rating and comment."""
    if rating not in RATINGS:
        raise BadRequest(f"Avaliação inválida: '{rating}' — use {' ou '.join(RATINGS)}")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT_CHARS:
        raise BadRequest(f"Comentário longo demais (máximo {MAX_COMMENT_CHARS} caracteres)")
    return {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "question": answer.question,
        "answer": answer.text,
        "abstained": answer.abstained,
        "citations": [
            {
                "n": c.n,
                "source": c.chunk.source,
                "title": c.chunk.title,
                "page": c.chunk.page,
                "chunk_id": c.chunk.chunk_id,
                "quote": c.quote,
            }
            for c in answer.citations
        ],
        "rating": rating,
        "comment": comment,
        "backend": answer.backend,
        "model": answer.model,
        "collection": collection,
    }


def save_feedback(settings: Settings, answer: Answer, rating: str, comment: str = "") -> dict[str, Any]:
    """Append a rating of `answer` to `data_dir/feedback.jsonl`; returns the record written."""
    record = feedback_record(answer, rating, comment, collection=settings.collection)
    path = feedback_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(record, ensure_ascii=False) + "\n"
    with _write_lock, path.open("a", encoding="utf-8") as f:
        f.write(line)  # one write per line: concurrent appenders never interleave inside it
    return record


def read_feedback(settings: Settings) -> list[dict[str, Any]]:
    path = feedback_path(settings)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
