"""What users hand back: ratings of answers (JSONL) and conversation transcripts (Markdown)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fonte.errors import BadRequest
from fonte.settings import Settings
from fonte.types import Answer, Chunk

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


def source_label(chunk: Chunk, n: int | None = None) -> str:
    """ "[n] arquivo — seção (p. X)": how a passage is named wherever it is shown."""
    section = chunk.title.split(" › ")[-1].strip() if chunk.title else ""
    label = f"[{n}] {chunk.name}" if n is not None else chunk.name
    if section:
        label += f" — {section}"
    if chunk.page:
        label += f" (p. {chunk.page})"
    return label


def conversation_markdown(answers: Sequence[Answer], *, collection: str = "") -> str:
    """A conversation (one Answer per turn) as Markdown, each answer followed by its sources."""
    when = time.strftime("%Y-%m-%d %H:%M")
    lines = ["# Conversa com o Fonte", ""]
    lines.append(f"_Exportada em {when}" + (f" · coleção `{collection}`" if collection else "") + "_")
    for i, answer in enumerate(answers, 1):
        lines += ["", f"## {i}. {_one_line(answer.question)}", "", answer.text.strip()]
        if answer.abstained:
            if answer.hits:
                lines += ["", "Trechos mais próximos encontrados:", ""]
                lines += [f"- {source_label(h.chunk)}" for h in answer.hits[:3]]
            continue
        if answer.citations:
            lines += ["", "**Fontes**", ""]
            for c in answer.citations:
                lines.append(f"- {source_label(c.chunk, c.n)}")
                lines.append(f"  > “{_one_line(c.quote)}”")
        lines += ["", f"_{answer.backend} · {answer.model} · {answer.timings.total_ms / 1000:.1f} s_"]
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())
