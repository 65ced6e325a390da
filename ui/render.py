"""Plain renderings of library results shared by the command-line tools and the API."""

from __future__ import annotations

from typing import Any

from fonte.types import Answer, Citation


def citation_payload(citation: Citation) -> dict[str, Any]:
    return {
        "n": citation.n,
        "chunk_id": citation.chunk.chunk_id,
        "source": citation.chunk.source,
        "title": citation.chunk.title,
        "quote": citation.quote,
        "start": citation.chunk.start,
        "end": citation.chunk.end,
    }


def answer_payload(answer: Answer) -> dict[str, Any]:
    """The `ask --json` contract."""
    return {
        "question": answer.question,
        "answer": answer.text,
        "abstained": answer.abstained,
        "backend": answer.backend,
        "model": answer.model,
        "citations": [citation_payload(c) for c in answer.citations],
        "timings": {
            "retrieve_ms": answer.timings.retrieve_ms,
            "first_token_ms": answer.timings.first_token_ms,
            "total_ms": answer.timings.total_ms,
        },
    }


def sources_text(answer: Answer) -> str:
    lines = []
    for c in answer.citations:
        page = f", p. {c.chunk.page}" if c.chunk.page else ""
        lines.append(f"[{c.n}] {c.chunk.name} — {c.chunk.title}{page}")
        lines.append(f"    “{' '.join(c.quote.split())}”")
    if answer.abstained and answer.hits:
        lines.append("Trechos mais próximos encontrados:")
        lines.extend(f"  - {h.chunk.name} — {h.chunk.title}" for h in answer.hits[:3])
    return "\n".join(lines)
