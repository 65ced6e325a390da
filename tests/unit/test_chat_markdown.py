"""`ui.chat.markdown`: document text shown literally in Streamlit, with the cited quote highlighted."""

from __future__ import annotations

from fonte.types import Chunk
from ui.chat.markdown import md_escape, md_lines, passage_md


def _chunk(text: str, body: str) -> Chunk:
    return Chunk(chunk_id="c1", source="docs/a.md", title="A", text=text, body=body, start=0, end=len(text))


def test_md_escape_neutralises_markdown_html_and_latex() -> None:
    assert md_escape("**x** [a](b) <b> $y$ :red[z]") == (r"\*\*x\*\* \[a\]\(b\) \<b\> \$y\$ \:red\[z\]")


def test_md_lines_keeps_line_breaks_and_paragraphs() -> None:
    assert md_lines("um\ndois\n\n\ntrês") == "um  \ndois\n\ntrês"


def test_passage_md_highlights_the_quote_in_the_body() -> None:
    chunk = _chunk("Título\n\nO MLOps une dados e modelos.", "O MLOps une dados e modelos.")
    assert passage_md(chunk, "une dados") == r"O MLOps :orange-background[une dados] e modelos\."


def test_passage_md_falls_back_to_the_whole_text_when_the_quote_is_in_the_title() -> None:
    chunk = _chunk("Título\n\nCorpo.", "Corpo.")
    assert passage_md(chunk, "Título") == ":orange-background[Título]\n\nCorpo\\."


def test_passage_md_without_a_found_quote_shows_the_body_plain() -> None:
    chunk = _chunk("Título\n\nCorpo.", "Corpo.")
    assert passage_md(chunk, "ausente") == passage_md(chunk) == "Corpo\\."
