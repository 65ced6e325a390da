"""The chat's answers: past turns with their sources, footer and feedback form; streaming a new one."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from itertools import chain
from typing import Any

import streamlit as st

from assistant import ABSTAIN_TEXT, Assistant, Final, Token
from assistant.feedback import save_feedback
from fonte.errors import BadRequest, FonteError
from fonte.settings import Settings
from fonte.types import Answer, Hit
from ui.chat.markdown import md_escape, md_lines, passage_md
from ui.render import citation_label

RATING_ICONS = {"up": ":material/thumb_up:", "down": ":material/thumb_down:"}


def render_sources(answer: Answer) -> None:
    if answer.abstained:
        st.info(ABSTAIN_TEXT, icon=":material/search_off:")
        if answer.hits:
            st.caption("Trechos mais próximos encontrados:")
            for hit in answer.hits[:3]:
                render_hit(hit)
        return
    if answer.citations:
        st.caption("Fontes")
    for citation in answer.citations:
        with st.expander(md_escape(citation_label(citation.chunk, citation.n))):
            st.markdown(passage_md(citation.chunk, citation.quote))


def render_footer(answer: Answer) -> None:
    st.caption(f"{answer.backend} · {answer.model} · {answer.timings.total_ms / 1000:.1f} s")


def render_hit(hit: Hit) -> None:
    with st.expander(md_escape(citation_label(hit.chunk))):
        st.markdown(md_lines(hit.chunk.body or hit.chunk.text))


def render_feedback(turn: dict[str, Any], settings: Settings) -> None:
    answer: Answer = turn["answer"]
    if turn.get("rating"):
        st.caption(f"{RATING_ICONS[turn['rating']]} Avaliação registrada — obrigado!")
        return
    with st.form(key=f"feedback-{turn['id']}", border=False, enter_to_submit=False):
        left, middle, right = st.columns([2, 6, 2], vertical_alignment="bottom")
        with left:
            rating = st.feedback("thumbs", key=f"rating-{turn['id']}")
        with middle:
            comment = st.text_input(
                "Comentário (opcional)",
                key=f"comment-{turn['id']}",
                placeholder="Comentário opcional sobre esta resposta",
                label_visibility="collapsed",
            )
        with right:
            sent = st.form_submit_button("Enviar", key=f"send-{turn['id']}")
    if not sent:
        return
    if rating is None:
        st.warning("Escolha :material/thumb_up: ou :material/thumb_down: antes de enviar.")
        return
    try:
        save_feedback(settings, answer, "up" if rating == 1 else "down", comment)
    except FonteError as e:
        st.error(str(e))
        return
    turn["rating"] = "up" if rating == 1 else "down"
    st.caption(f"{RATING_ICONS[turn['rating']]} Avaliação registrada — obrigado!")


def render_turn(turn: dict[str, Any], settings: Settings) -> None:
    with st.chat_message("user"):
        st.markdown(md_lines(turn["question"]))
    with st.chat_message("assistant"):
        answer: Answer | None = turn.get("answer")
        if turn.get("partial"):
            st.markdown(md_escape(turn["partial"]))
        if answer is not None and not answer.abstained:
            st.markdown(md_escape(answer.text))
        if turn.get("error"):
            st.error(turn["error"])
        if answer is not None:
            render_sources(answer)
            render_footer(answer)
            render_feedback(turn, settings)


def history(turns: list[dict[str, Any]]) -> list[dict[str, str]]:
    messages: list[dict[str, str]] = []
    for turn in turns:
        if turn.get("answer") is not None:
            messages.append({"role": "user", "content": turn["question"]})
            messages.append({"role": "assistant", "content": turn["answer"].text})
    return messages


def ask(helper: Assistant, question: str, settings: Settings, *, backend: str, k: int) -> None:
    """Stream the answer to `question` into the chat and keep it in the session's history."""
    turns: list[dict[str, Any]] = st.session_state.turns
    if question.strip():
        with st.chat_message("user"):
            st.markdown(md_lines(question))
    with st.chat_message("assistant"):
        final: dict[str, Answer] = {}
        streamed: list[str] = []

        def texts(events: Iterator[Any]) -> Iterator[str]:
            for event in events:
                if isinstance(event, Token):
                    streamed.append(event.text)
                    yield md_escape(event.text)
                elif isinstance(event, Final):
                    final["answer"] = event.answer

        slot = st.empty()
        try:
            events = helper.stream(question, history=history(turns), backend=backend, k=k)
            with st.spinner("Buscando nos documentos…"):
                first = next(events)
            with slot.container():
                st.write_stream(texts(chain([first], events)))
        except BadRequest as e:
            st.warning(str(e), icon=":material/edit_note:")
            return
        except FonteError as e:
            turn: dict[str, Any] = {"id": uuid.uuid4().hex, "question": question, "answer": None}
            turn["partial"] = "".join(streamed)
            turn["error"] = f"Não foi possível concluir a resposta: {e}"
            st.error(turn["error"])
            turns.append(turn)
            return
        answer = final.get("answer")
        if answer is None:
            st.error("A resposta terminou sem conclusão — tente de novo.")
            return
        if answer.abstained:
            slot.empty()
        turn = {"id": uuid.uuid4().hex, "question": question, "answer": answer}
        turns.append(turn)
        render_sources(answer)
        render_footer(answer)
        render_feedback(turn, settings)
