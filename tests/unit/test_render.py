"""One citation label everywhere, and the JSON contract that carries it."""

from __future__ import annotations

import pytest

from fonte.types import Answer, Chunk, Citation, Timings
from ui.render import answer_payload, citation_label, conversation_markdown, sources_text


def chunk(title: str, page: int | None) -> Chunk:
    body = "A garantia é de 24 meses."
    return Chunk("c1", "/docs/manual.pdf", title, f"{title}\n{body}", body, 0, len(body), page=page)


@pytest.mark.parametrize(
    ("title", "page", "n", "label"),
    [
        ("Capítulo 2 › Limpeza", 3, 1, "[1] manual.pdf — Capítulo 2 › Limpeza, p. 3"),
        ("", 3, 1, "[1] manual.pdf, p. 3"),
        ("  ", 3, 2, "[2] manual.pdf, p. 3"),
        ("Capítulo 2 ›  ", 3, 1, "[1] manual.pdf — Capítulo 2, p. 3"),
        ("Uso", None, None, "manual.pdf — Uso"),
        ("", None, None, "manual.pdf"),
    ],
)
def test_citation_label(title: str, page: int | None, n: int | None, label: str) -> None:
    assert citation_label(chunk(title, page), n) == label


def answered(title: str, page: int | None) -> Answer:
    c = chunk(title, page)
    return Answer(
        question="Qual é a garantia?", text="A garantia é de 24 meses. [1]",
        citations=[Citation(1, c, c.body)], abstained=False, backend="extractive",
        model="sentence-selection", timings=Timings(retrieve_ms=1.0, first_token_ms=2.0, total_ms=3.0),
    )  # fmt: skip


def test_payload_carries_page_and_label_without_empty_title_punctuation() -> None:
    citation = answer_payload(answered("", 3))["citations"][0]
    assert citation["page"] == 3 and citation["label"] == "[1] manual.pdf, p. 3"
    assert answer_payload(answered("Garantia", None))["citations"][0]["page"] is None


def test_text_and_markdown_use_the_same_label() -> None:
    answer = answered("", 3)
    for rendered in (sources_text(answer), conversation_markdown([answer])):
        assert "[1] manual.pdf, p. 3" in rendered and " — ," not in rendered and " — \n" not in rendered
