"""Fonte — interface web (Streamlit, pt-BR). Run with `fonte ui` or `streamlit run ui/streamlit_app.py`.

Only rendering lives here: answers, ingestion, feedback and status come from the library
(`assistant`, `assistant.status`, `assistant.feedback`, `ingest`); labels from `ui.render`.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import Any

import streamlit as st

from assistant import ABSTAIN_TEXT, Assistant, Final, Token, assistant_for
from assistant.feedback import save_feedback
from assistant.status import backend_status, list_collections
from fonte.errors import BadRequest, FonteError
from fonte.settings import Settings
from fonte.types import Answer, Chunk, Hit
from ingest import SUPPORTED_SUFFIXES, ensure_documents, ingest_upload, remove_source
from ui.render import BACKEND_LABELS, backend_summary, citation_label, conversation_markdown

APP_DIR = Path(__file__).resolve().parent
EVAL_PAGE = APP_DIR / "pages" / "1_Avaliação.py"
UPLOAD_ICONS = {
    "ingested": ":green[:material/check_circle:]",
    "unchanged": ":gray[:material/do_not_disturb_on:]",
    "skipped": ":orange[:material/warning:]",
}
RATING_ICONS = {"up": ":material/thumb_up:", "down": ":material/thumb_down:"}
UPLOAD_WORDS = {"ingested": "ingerido", "unchanged": "inalterado", "skipped": "ignorado"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=^\"'])")


# --- cached resources (one per process) ----------------------------------------------------


@st.cache_resource(show_spinner=False)
def startup_settings() -> Settings:
    """Settings from FONTE_* variables, read once at start-up; the sidebar overrides them."""
    return Settings()


@st.cache_resource(show_spinner=False)
def write_lock(collection_dir: str) -> threading.Lock:
    """Serialises writes (uploads, removals) to one collection across browser sessions."""
    return threading.Lock()


# --- markdown that shows document text literally ------------------------------------------------


def md_escape(text: str) -> str:
    """Document text as literal Markdown: no formatting, links, HTML, LaTeX or directives."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_lines(text: str) -> str:
    """Escaped text keeping its line breaks and paragraphs."""
    return _passage_md(text, 0, 0)


def _passage_md(text: str, start: int, end: int) -> str:
    """Escaped `text` with text[start:end] highlighted, line breaks and paragraphs kept."""
    paragraphs: list[list[str]] = [[]]
    pos = 0
    for line in text.split("\n"):
        line_start, line_end = pos, pos + len(line)
        pos = line_end + 1
        if not line.strip():
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        a, b = max(start, line_start), min(end, line_end)
        if a < b and line[a - line_start : b - line_start].strip():
            before, mark, after = (
                line[: a - line_start],
                line[a - line_start : b - line_start],
                line[b - line_start :],
            )
            rendered = f"{md_escape(before)}:orange-background[{md_escape(mark)}]{md_escape(after)}"
        else:
            rendered = md_escape(line)
        paragraphs[-1].append(rendered.strip())
    return "\n\n".join("  \n".join(p) for p in paragraphs if p)


def passage_md(chunk: Chunk, quote: str = "") -> str:
    """The passage (body, or whole text if the quote lies outside it) with the quote highlighted."""
    body_offset = len(chunk.text) - len(chunk.body)
    at = chunk.text.find(quote) if quote else -1
    if at >= body_offset:
        return _passage_md(chunk.body, at - body_offset, at - body_offset + len(quote))
    if at >= 0:
        return _passage_md(chunk.text, at, at + len(quote))
    return md_lines(chunk.body or chunk.text)


# --- answers ---------------------------------------------------------------------------------------


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


# --- sidebar -------------------------------------------------------------------------------------


def remove_callback(helper: Assistant, source: str, name: str) -> None:
    try:
        with write_lock(str(helper.collection.directory)):
            removed = remove_source(helper.collection, source)
    except FonteError as e:
        st.session_state.flash = ("error", str(e))
        return
    st.session_state.flash = ("success", f"Removido: {name} ({removed} trechos)")


def sidebar_documents(helper: Assistant) -> None:
    state = st.session_state
    collection = helper.collection
    st.subheader("Documentos")
    files = st.file_uploader(
        "Adicionar documentos",
        type=[s.lstrip(".") for s in SUPPORTED_SUFFIXES],
        accept_multiple_files=True,
        key=f"uploads-{collection.name}",
        help="txt, md, html, pdf ou docx — ficam salvos na pasta de dados do Fonte",
    )
    processed: set[str] = state.setdefault("processed_uploads", set())
    new = [f for f in files or [] if f.file_id not in processed]
    if new:
        bar = st.progress(0.0, text=f"Ingerindo {len(new)} arquivo(s)…")
        results = []
        for i, upload in enumerate(new):
            bar.progress(i / len(new), text=f"Ingerindo {upload.name} ({i + 1}/{len(new)})…")
            with write_lock(str(collection.directory)):
                results.append(ingest_upload(collection, upload.name, upload.getvalue()))
            processed.add(upload.file_id)
        bar.progress(1.0, text="Ingestão concluída")
        state.upload_results = results
    for result in state.get("upload_results", []):
        text = f"{UPLOAD_ICONS[result.status]} **{md_escape(result.name)}**: {UPLOAD_WORDS[result.status]}"
        if result.detail:
            text += f" — {md_escape(result.detail)}"
        st.markdown(text)
    flash = state.pop("flash", None)
    if flash:
        (st.error if flash[0] == "error" else st.success)(flash[1])
    infos = collection.sources()
    if not infos:
        st.caption("Nenhum documento nesta coleção ainda.")
    for info in infos:
        left, right = st.columns([5, 1], vertical_alignment="center")
        left.markdown(f"**{md_escape(info.name)}**  \n{info.chunks} trechos")
        right.button(
            ":material/delete:",
            key=f"remove:{info.source}",
            help=f"Remover {info.name} da coleção",
            type="tertiary",
            on_click=remove_callback,
            args=(helper, info.source, info.name),
        )


def sidebar_status(settings: Settings, backend: str) -> None:
    status = backend_status(settings, backend)
    st.markdown(f"**Respondendo com:** {md_escape(backend_summary(status))}")
    if status.ollama_up:
        st.caption(
            f":green[●] Ollama no ar em {md_escape(status.ollama_host)} ({md_escape(status.ollama_model)})"
        )
    else:
        st.caption(
            f":gray[●] Ollama fora do ar em {md_escape(status.ollama_host)} — `ollama serve` e "
            f"`ollama pull {status.ollama_model}` para usá-lo"
        )
    st.caption(f"Embeddings: {md_escape(status.embedder)}")


# --- pages -----------------------------------------------------------------------------------------


def chat_page() -> None:
    state = st.session_state
    state.setdefault("turns", [])
    try:
        base = startup_settings()
    except ValueError as e:  # pydantic ValidationError: a bad FONTE_* variable
        st.error(f"Configuração inválida — confira as variáveis FONTE_*: {e}")
        st.stop()
    # the chat box first, so the page is usable while the collection opens
    # (no max_chars: the browser would silently cut a pasted question; the library says why instead)
    question = st.chat_input("Pergunte sobre os seus documentos…", key="question")
    with st.sidebar:
        st.title(":material/menu_book: Fonte")
        if st.button("Nova conversa", icon=":material/add_comment:", width="stretch", key="new_conversation"):
            state.turns = []
        collections = list_collections(base)
        collection = st.selectbox(
            "Coleção",
            collections,
            index=collections.index(base.collection),
            key="collection",
            help="Coleções ficam em FONTE_DATA_DIR/collections; crie uma com `fonte ingest -c NOME`",
        )
        with st.expander("Configurações", icon=":material/tune:"):
            backend = st.selectbox(
                "Backend",
                list(BACKEND_LABELS),
                index=list(BACKEND_LABELS).index(base.backend),
                format_func=BACKEND_LABELS.__getitem__,
                key="backend",
            )
            k = st.slider("Trechos recuperados (k)", 1, 20, min(base.k, 20), key="k")
        status_box = st.container()
        download_slot = st.empty()
    if state.get("turns_collection", collection) != collection:
        state.turns = []
    state.turns_collection = collection
    settings = base.with_overrides(collection=collection)
    with status_box:
        sidebar_status(settings, backend)

    try:
        helper = assistant_for(settings)
        bootstrap(helper, first_load=collection == base.collection)
        with st.sidebar:
            sidebar_documents(helper)
    except FonteError as e:
        st.error(str(e))
        st.stop()

    st.title("Fonte")
    st.caption("Perguntas sobre os seus documentos, com citações [n] para cada frase.")
    if state.get("bootstrap_message") and not state.turns:
        st.success(state.bootstrap_message, icon=":material/description:")
    if helper.collection.is_empty():
        st.info(
            f"A coleção '{collection}' está vazia — adicione documentos na barra lateral.",
            icon=":material/folder_open:",
        )
    for turn in state.turns:
        render_turn(turn, settings)
    if question is not None:
        ask(helper, question, settings, backend=backend, k=k)
    answers = [t["answer"] for t in state.turns if t.get("answer") is not None]
    if answers:
        download_slot.download_button(
            "Baixar conversa (.md)",
            data=conversation_markdown(answers, collection=collection),
            file_name=f"fonte-conversa-{time.strftime('%Y%m%d-%H%M')}.md",
            mime="text/markdown",
            icon=":material/download:",
            on_click="ignore",
            width="stretch",
        )


def bootstrap(helper: Assistant, *, first_load: bool) -> None:
    """On the first load of the start-up collection, ingest the bundled document if it is empty."""
    state = st.session_state
    key = f"bootstrapped:{helper.collection.directory}"
    if not first_load or state.get(key):
        return
    state[key] = True
    with (
        write_lock(str(helper.collection.directory)),
        st.spinner("Coleção vazia: ingerindo o documento de exemplo…"),  # shown only if it takes a while
    ):
        report = ensure_documents(helper.collection)
    if report is None:
        return
    state.bootstrap_message = (
        f"A coleção estava vazia: ingeri o documento de exemplo ({report.chunks} trechos). "
        "Adicione os seus documentos na barra lateral."
    )


def main() -> None:
    st.set_page_config(page_title="Fonte", page_icon=":material/menu_book:", layout="centered")
    pages = [
        st.Page(chat_page, title="Conversa", icon=":material/chat:", default=True),
        st.Page(EVAL_PAGE, title="Avaliação", icon=":material/bar_chart:", url_path="avaliacao"),
    ]
    st.navigation(pages).run()


if __name__ == "__main__":
    main()
