"""The FastAPI application: `create_app` wires the rooms together; `serve` runs it (`fonte serve`)."""

from __future__ import annotations

import logging
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import AfterValidator, BaseModel, Field

from fonte.errors import FonteError
from fonte.settings import Settings
from ui.api.admin import add_admin_routes
from ui.api.auth import access, collection_for
from ui.api.demo import add_widget_routes
from ui.api.edge import ASK_PATH, EdgeMiddleware
from ui.api.errors import ApiError, install_error_handlers
from ui.api.limits import Busy
from ui.api.settings import ApiSettings
from ui.api.sse import CLOSED_EARLY, answer_response
from ui.api.state import Access, ApiState, AssistantFactory, default_factory

log = logging.getLogger("fonte.api")


def _encodable(text: str) -> str:
    """JSON may carry lone surrogates (`"\\ud800"`), which are not text: refuse them here."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(
            "o texto tem caracteres inválidos (um substituto Unicode isolado) — reescreva-o sem eles"
        ) from None
    return text


Text = Annotated[str, AfterValidator(_encodable)]


class HistoryMessage(BaseModel):
    role: Literal["user", "assistant"]
    content: Text


class AskRequest(BaseModel):
    question: Text = Field(description="A pergunta, em português (até 2.000 caracteres)")
    history: list[HistoryMessage] = Field(default_factory=list, description="Mensagens anteriores")
    collection: str | None = Field(default=None, description="Só sem chave; com chave vale a da chave")


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": text, "content": {"application/json": {"example": {"error": "…"}}}}
    for status, text in {
        400: "Pedido inválido (pergunta vazia ou longa demais, coleção inválida…)",
        401: "Chave ausente, desconhecida ou revogada",
        403: "Origem não autorizada para a chave, ou outra coleção",
        404: "Coleção inexistente",
        413: "Corpo grande demais",
        422: "Campos inválidos (histórico longo demais, papel inválido, texto não UTF-8…)",
        429: "Limite de pedidos excedido (veja Retry-After)",
        503: "Ocupado: fila de geração cheia (veja Retry-After)",
    }.items()
}


def create_app(
    settings: Settings,
    api_settings: ApiSettings | None = None,
    assistant_factory: AssistantFactory | None = None,
) -> FastAPI:
    """The FastAPI application; `assistant_factory(settings)` gives a collection's assistant
    (by default the process-wide `assistant.assistant_for` cache)."""
    api = api_settings or ApiSettings()
    state = ApiState(settings, api, assistant_factory or default_factory)
    app = FastAPI(
        title="Fonte",
        summary="Perguntas e respostas com citações sobre os seus documentos",
        version="0.1.0",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.fonte = state
    install_error_handlers(app)
    app.add_middleware(EdgeMiddleware, state=state)

    @app.post(
        ASK_PATH,
        summary="Pergunta (JSON, ou SSE com Accept: text/event-stream)",
        responses={
            200: {
                "description": "Resposta (contrato de `ask --json`) ou eventos SSE "
                "`token`, `citations`, `done`, `error`",
                "content": {"text/event-stream": {}},
            },
            **ERROR_RESPONSES,
        },
    )
    async def ask(body: AskRequest, request: Request, who: Annotated[Access, Depends(access)]) -> Response:
        _check_history(api, body)
        assistant = state.assistant_for(collection_for(state, who, body.collection))
        try:
            slot = await state.gate.acquire(api.queue_timeout_s)
        except Busy:
            raise ApiError(
                503,
                "O assistente está ocupado agora — tente de novo em alguns segundos",
                {"Retry-After": str(api.busy_retry_after_s)},
            ) from None
        if await request.is_disconnected():  # the client gave up while queued: nobody would read it
            slot.release()
            return Response(status_code=CLOSED_EARLY)
        history = [m.model_dump() for m in body.history]
        try:
            events = assistant.stream(body.question, history=history)
        except BaseException:
            slot.release()
            raise
        return await answer_response(request, events, slot, send_timeout=api.send_timeout_s)

    @app.get("/api/health", summary="Estado da coleção (fontes, trechos) e do backend")
    async def health() -> dict[str, Any]:
        return await run_in_threadpool(_health, state)

    add_widget_routes(app)
    add_admin_routes(app, state)
    return app


def _check_history(api: ApiSettings, body: AskRequest) -> None:
    """The API's own caps; the question itself is checked by the pipeline (`BadRequest` → 400)."""
    if len(body.history) > api.max_history_messages:
        raise ApiError(
            422,
            f"Histórico longo demais ({len(body.history)} mensagens; máximo "
            f"{api.max_history_messages}) — comece uma nova conversa",
        )
    if any(len(m.content) > api.max_history_chars for m in body.history):
        raise ApiError(422, f"Mensagem do histórico longa demais (máximo {api.max_history_chars} caracteres)")


def _health(state: ApiState) -> dict[str, Any]:
    from assistant.status import backend_status
    from ui.render import backend_summary

    settings = state.settings
    store: dict[str, Any] = {"collection": settings.collection}
    try:
        collection = getattr(state.assistant_for(settings.collection), "collection", None)
        if collection is not None:
            store.update(ok=True, chunks=collection.store.count(), sources=len(collection.sources()))
        else:
            store.update(ok=True, chunks=None, sources=None)
    except (FonteError, ApiError) as e:
        store.update(ok=False, error=getattr(e, "message", str(e)))
    status = backend_status(settings)
    return {
        "status": "ok" if store["ok"] else "degraded",
        "store": store,
        "backend": {
            "requested": status.requested,
            "backend": status.backend,
            "model": status.model,
            "summary": backend_summary(status),
            "ollama_up": status.ollama_up,
        },
        "generation": {
            "active": state.gate.active,
            "waiting": state.gate.waiting,
            "max_concurrency": state.gate.slots,
            "queue_size": state.gate.queue,
        },
    }


def prepare(settings: Settings) -> None:
    """The start-up rule every way in shares: an empty collection gets the bundled document."""
    from assistant import assistant_for
    from ingest import ensure_documents

    report = ensure_documents(assistant_for(settings).collection)
    if report is not None:
        log.info(
            "A coleção '%s' estava vazia: ingeri o documento de exemplo incluído (%d trechos). "
            "Para usar os seus documentos: fonte ingest CAMINHO",
            settings.collection,
            report.chunks,
        )


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the API with uvicorn (one process; generations run in worker threads)."""
    import uvicorn

    _show_fonte_logs()
    prepare(settings)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info", proxy_headers=False)


def _show_fonte_logs() -> None:
    """Fonte's own messages on stderr, formatted like uvicorn's (which configures only its own)."""
    logger = logging.getLogger("fonte")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
