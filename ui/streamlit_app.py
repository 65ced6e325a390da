"""Fonte — interface web (Streamlit, pt-BR). Run with `fonte ui` or `streamlit run ui/streamlit_app.py`.

The entry point: page set-up, the sidebar (collection, settings, status, documents) and the chat page.
Answers are drawn by `ui.chat.answers`, document text escaped by `ui.chat.markdown`; answers,
ingestion, feedback and status come from the library (`assistant`, `assistant.status`, `ingest`);
labels from `ui.render`.
"""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from assistant import Assistant, assistant_for
from assistant.status import backend_status, list_collections
from fonte.errors import FonteError
from fonte.settings import Settings
from ingest import SUPPORTED_SUFFIXES, ensure_documents, ingest_upload, remove_source
from ui.chat.answers import ask, render_turn
from ui.chat.markdown import md_escape
from ui.render import BACKEND_LABELS, backend_summary, conversation_markdown

APP_DIR = Path(__file__).resolve().parent
EVAL_PAGE = APP_DIR / "pages" / "1_Avaliação.py"
UPLOAD_ICONS = {
    "ingested": ":green[:material/check_circle:]",
    "unchanged": ":gray[:material/do_not_disturb_on:]",
    "skipped": ":orange[:material/warning:]",
}
UPLOAD_WORDS = {"ingested": "ingerido", "unchanged": "inalterado", "skipped": "ignorado"}


# --- cached resources (one per process) ----------------------------------------------------


@st.cache_resource(show_spinner=False)
def startup_settings() -> Settings:
    """Settings from FONTE_* variables, read once at start-up; the sidebar overrides them."""
    return Settings()


# --- sidebar -------------------------------------------------------------------------------------


def remove_callback(helper: Assistant, source: str, name: str) -> None:
    try:
        removed = remove_source(helper.collection, source)  # the collection's own lock orders writers
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
    with st.spinner("Coleção vazia: ingerindo o documento de exemplo…"):  # shown only if it takes a while
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
