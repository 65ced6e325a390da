"""HTTP API of Fonte (`fonte serve`): questions over HTTP/SSE, the embeddable widget, admin.

The API only parses input and renders output; answers come from `assistant.Assistant`, keys
from `assistant.keys`. Safe by default:

* `POST /api/ask` needs an API key (`X-Fonte-Key`) bound to the calling page's `Origin`
  (browsers always send it and pages cannot forge it). Requests that carry a key must carry
  an `Origin` too. CORS answers echo only allowed origins, never `*`.
* **Local use without a key**: a request with *no* `Origin`, *no* key and no browser
  `Sec-Fetch-*` headers, from a loopback client address and for a loopback `Host`
  (curl or a script on the same machine), is allowed. Browser requests always need a key.
* Rate limits (token buckets) per key and per client IP (the TCP peer; `X-Forwarded-For`
  is not trusted), a bounded number of simultaneous generations and a bounded waiting
  queue (429 / 503 with `Retry-After`), and caps on body, question and history sizes.
* Admin endpoints exist only when `FONTE_ADMIN_TOKEN` is set (otherwise 404) and require
  `Authorization: Bearer <token>`.
* Errors are JSON `{"error": "<mensagem em português>"}`, never a traceback.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import html
import ipaddress
import json
import logging
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, File, Form, Header, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.keys import ApiKey, KeyStore, UnknownKey, normalize_origin
from fonte.errors import FonteError
from fonte.settings import Settings
from ui.api_settings import ApiSettings
from ui.limits import Busy, Gate, RateLimiter, retry_after
from ui.render import answer_payload, backend_summary, citation_payload

log = logging.getLogger("fonte.api")

WIDGET_JS = Path(__file__).resolve().parent / "widget" / "widget.js"
ASK_PATH = "/api/ask"
UPLOAD_PATH = "/api/admin/ingest"
CORS_ALLOW_HEADERS = "Content-Type, X-Fonte-Key, Accept"
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
INTERNAL_ERROR = "Erro interno do servidor — tente novamente mais tarde"

AssistantFactory = Callable[[Settings], Any]


class ApiError(Exception):
    """An HTTP refusal with a Portuguese message (rendered as {"error": message})."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


# --- request and response models ---------------------------------------------------------


class HistoryMessage(BaseModel):
    role: Literal["user", "assistant"]
    content: str


class AskRequest(BaseModel):
    question: str = Field(description="A pergunta, em português (até 2.000 caracteres)")
    history: list[HistoryMessage] = Field(default_factory=list, description="Mensagens anteriores")
    collection: str | None = Field(default=None, description="Só sem chave; com chave vale a da chave")


class KeyRequest(BaseModel):
    origins: list[str] = Field(min_length=1, description="Origens permitidas, ex. https://loja.example")
    collection: str = "default"


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": text, "content": {"application/json": {"example": {"error": "…"}}}}
    for status, text in {
        400: "Pedido inválido",
        401: "Chave ausente, desconhecida ou revogada",
        403: "Origem não autorizada para a chave, ou outra coleção",
        404: "Coleção inexistente",
        413: "Corpo ou pergunta grandes demais",
        422: "Campos inválidos (histórico longo demais, papel inválido…)",
        429: "Limite de pedidos excedido (veja Retry-After)",
        503: "Ocupado: fila de geração cheia (veja Retry-After)",
    }.items()
}


# --- state ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """Who is asking: a browser page with a key, or a keyless local client."""

    key: ApiKey | None
    client_ip: str
    origin: str | None


class ApiState:
    """Everything the routes share: settings, keys, limits and one assistant per collection."""

    def __init__(self, settings: Settings, api: ApiSettings, factory: AssistantFactory):
        self.settings = settings
        self.api = api
        self.factory = factory
        self.keys = KeyStore(settings.data_dir)
        self.gate = Gate(api.max_concurrency, api.queue_size)
        self.per_key = RateLimiter(api.rate_per_key_per_minute, api.rate_burst_per_key)
        self.per_ip = RateLimiter(api.rate_per_ip_per_minute, api.rate_burst_per_ip)
        self._assistants: dict[str, Any] = {}
        self._lock = threading.Lock()

    def assistant_for(self, collection: str) -> Any:
        from vectorstore.collection import validate_collection_name

        validate_collection_name(collection)
        with self._lock:
            if collection not in self._assistants:
                exists = (self.settings.data_dir / "collections" / collection).is_dir()
                if collection != self.settings.collection and not exists:
                    raise ApiError(
                        404, f"A coleção '{collection}' não existe — ingira documentos nela primeiro"
                    )
                self._assistants[collection] = self.factory(
                    self.settings.with_overrides(collection=collection)
                )
            return self._assistants[collection]

    def cors_allowed(self, origin: str | None) -> bool:
        if not origin:
            return False
        try:
            return normalize_origin(origin, strict=False) in self.keys.allowed_origins()
        except FonteError:
            return False


def _default_factory(settings: Settings) -> Any:
    from assistant.pipeline import Assistant

    return Assistant(settings)


# --- the app --------------------------------------------------------------------------------


def create_app(
    settings: Settings,
    api_settings: ApiSettings | None = None,
    assistant_factory: AssistantFactory | None = None,
) -> FastAPI:
    """The FastAPI application; `assistant_factory(settings)` builds one assistant per collection."""
    api = api_settings or ApiSettings()
    state = ApiState(settings, api, assistant_factory or _default_factory)
    admin_enabled = api.admin_token is not None and bool(api.admin_token.get_secret_value())
    app = FastAPI(
        title="Fonte",
        summary="Perguntas e respostas com citações sobre os seus documentos",
        version="0.1.0",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.fonte = state
    _install_error_handlers(app)
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
    async def ask(
        body: AskRequest, request: Request, access: Annotated[Access, Depends(_access)]
    ) -> Response:
        _check_caps(state, body)
        collection = _collection_for(state, access, body.collection)
        assistant = state.assistant_for(collection)
        try:
            slot = await state.gate.acquire(api.queue_timeout_s)
        except Busy:
            raise ApiError(
                503,
                "O assistente está ocupado agora — tente de novo em alguns segundos",
                {"Retry-After": str(api.busy_retry_after_s)},
            ) from None
        history = [m.model_dump() for m in body.history]
        run = _Run(assistant, body.question, history, slot)
        wants_sse = "text/event-stream" in request.headers.get("accept", "").lower()
        watcher = asyncio.create_task(_watch_disconnect(request.receive, run))
        streaming = False
        try:
            item = await run.next(api.idle_timeout_s)
            if isinstance(item, BaseException):
                raise item
            if wants_sse and not isinstance(item, _Disconnected):
                streaming = True
                return _SSEResponse(run, item, api.idle_timeout_s)
            while not isinstance(item, _Disconnected):
                answer = getattr(item, "answer", None)
                if answer is not None:
                    return JSONResponse(answer_payload(answer))
                item = await run.next(api.idle_timeout_s)
                if isinstance(item, BaseException):
                    raise item
            return Response(status_code=499)  # the client went away: nobody reads this
        finally:
            watcher.cancel()
            if not streaming:
                run.cancel()

    @app.get("/api/health", summary="Estado do armazenamento e do backend")
    async def health() -> dict[str, Any]:
        return await run_in_threadpool(_health, state)

    widget_bytes = WIDGET_JS.read_bytes() if WIDGET_JS.is_file() else b""
    widget_etag = '"' + hashlib.sha256(widget_bytes).hexdigest()[:32] + '"'

    @app.get("/widget.js", summary="O widget embutível (um <script>)", response_class=Response)
    async def widget(request: Request) -> Response:
        if not widget_bytes:
            raise ApiError(404, "widget.js não encontrado nesta instalação")
        headers = {
            "Cache-Control": "public, max-age=3600, must-revalidate",
            "ETag": widget_etag,
            "Cross-Origin-Resource-Policy": "cross-origin",
        }
        if widget_etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        return Response(widget_bytes, media_type="text/javascript; charset=utf-8", headers=headers)

    @app.get("/demo", summary="Página de exemplo com o widget", response_class=HTMLResponse)
    async def demo(key: str = "") -> HTMLResponse:
        return HTMLResponse(
            _demo_page(key[:200]),
            headers={
                "Content-Security-Policy": "default-src 'none'; script-src 'self'; connect-src 'self'; "
                "style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; "
                "form-action 'none'; frame-ancestors 'none'",
                "Cache-Control": "no-store",
            },
        )

    _add_admin_routes(app, state, enabled=admin_enabled)
    return app


# --- admission -------------------------------------------------------------------------------


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_name(host_header: str) -> str:
    host = host_header.strip().lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


async def _access(
    request: Request, x_fonte_key: Annotated[str | None, Header(description="Chave pk_…")] = None
) -> Access:
    return _admit(request.app.state.fonte, request, x_fonte_key)


def _admit(state: ApiState, request: Request, key: str | None) -> Access:
    """Authenticate and rate-limit a request to /api/ask (before its body is validated)."""
    headers = request.headers
    origin = headers.get("origin")
    client_ip = request.client.host if request.client else ""
    browser = origin is not None or "sec-fetch-site" in headers or "sec-fetch-mode" in headers
    if not key:
        if browser:
            raise ApiError(401, "Chave de API ausente — o widget precisa do atributo data-fonte-key")
        local = _is_loopback(client_ip) and _host_name(headers.get("host", "")) in LOOPBACK_HOSTS
        if not local:
            raise ApiError(
                401, "Chave de API ausente (X-Fonte-Key) — sem chave, só pedidos desta máquina são aceitos"
            )
        if state.api.rate_limit_local:
            _limit(state.per_ip, f"ip:{client_ip}")
        return Access(key=None, client_ip=client_ip, origin=None)
    _limit(state.per_ip, f"ip:{client_ip}")
    record = state.keys.authorize(key, origin)
    _limit(state.per_key, f"key:{record.key}")
    return Access(key=record, client_ip=client_ip, origin=origin)


def _limit(limiter: RateLimiter, name: str) -> None:
    wait = limiter.take(name)
    if wait > 0:
        raise ApiError(
            429,
            "Muitas perguntas em pouco tempo — aguarde alguns segundos e tente de novo",
            {"Retry-After": retry_after(wait)},
        )


def _check_caps(state: ApiState, body: AskRequest) -> None:
    cap = state.settings.max_question_chars
    if len(body.question) > cap:
        raise ApiError(
            413, f"Pergunta longa demais ({len(body.question)} caracteres; máximo {cap}) — resuma a pergunta"
        )
    if len(body.history) > state.api.max_history_messages:
        raise ApiError(
            422,
            f"Histórico longo demais ({len(body.history)} mensagens; máximo "
            f"{state.api.max_history_messages}) — comece uma nova conversa",
        )
    if any(len(m.content) > state.api.max_history_chars for m in body.history):
        raise ApiError(
            422, f"Mensagem do histórico longa demais (máximo {state.api.max_history_chars} caracteres)"
        )


def _collection_for(state: ApiState, access: Access, requested: str | None) -> str:
    if access.key is None:
        return requested or state.settings.collection
    if requested and requested != access.key.collection:
        raise ApiError(403, "Esta chave não dá acesso a essa coleção")
    return access.key.collection


# --- running a generation in a worker thread ----------------------------------------------


class _End:
    """The worker finished (after its last event)."""


class _Disconnected:
    """The client went away."""


class _Run:
    """One answer generated by `assistant.stream` in a worker thread, bridged to asyncio.

    The worker owns the gate slot and releases it when it stops: at the end of the answer,
    on an error, or at the next event after `cancel()` (client disconnect, timeout).
    """

    def __init__(self, assistant: Any, question: str, history: list[dict[str, str]], slot: Any):
        self.loop = asyncio.get_running_loop()
        self.queue: asyncio.Queue[Any] = asyncio.Queue()
        self.cancelled = threading.Event()
        self._assistant = assistant
        self._question = question
        self._history = history
        self._slot = slot
        try:
            threading.Thread(target=self._work, name="fonte-answer", daemon=True).start()
        except BaseException:
            slot.release()
            raise

    def _work(self) -> None:
        from assistant.pipeline import Final

        events: Any = None
        try:
            events = iter(self._assistant.stream(self._question, history=self._history))
            for event in events:
                if self.cancelled.is_set():
                    break
                self._put(event)
                if isinstance(event, Final):
                    break
        except FonteError as e:
            self._put(e)
        except Exception:
            log.exception("falha ao gerar a resposta")
            self._put(ApiError(500, INTERNAL_ERROR))
        finally:
            close = getattr(events, "close", None)
            if close is not None:
                try:
                    close()
                except Exception:
                    log.exception("falha ao encerrar a geração")
            self._slot.release()
            self._put(_End())

    def _put(self, item: Any) -> None:
        try:
            self.loop.call_soon_threadsafe(self.queue.put_nowait, item)
        except RuntimeError:  # the event loop is gone (server shutting down)
            self.cancelled.set()

    def cancel(self) -> None:
        self.cancelled.set()

    def disconnected(self) -> None:
        self.cancelled.set()
        self.queue.put_nowait(_Disconnected())

    async def next(self, timeout: float) -> Any:
        """The next event, or an exception object describing why there is none."""
        try:
            item = await asyncio.wait_for(self.queue.get(), timeout)
        except TimeoutError:
            self.cancel()
            return ApiError(504, "A resposta demorou demais — tente de novo")
        if isinstance(item, _End):
            return ApiError(500, INTERNAL_ERROR)  # ended without a Final: never expected
        return item


async def _watch_disconnect(receive: Receive, run: _Run) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            run.disconnected()
            return


def _sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


class _SSEResponse(StreamingResponse):
    """Server-Sent Events of one answer; a client disconnect stops the worker (and frees the slot)."""

    def __init__(self, run: _Run, first: Any, idle_timeout: float):
        self.run = run
        super().__init__(
            self._events(first, idle_timeout),
            media_type="text/event-stream; charset=utf-8",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    async def _events(self, first: Any, idle_timeout: float) -> AsyncIterator[str]:
        from assistant.pipeline import Final, Token

        item = first
        try:
            while True:
                if isinstance(item, _Disconnected):
                    return
                if isinstance(item, Token):
                    yield _sse("token", {"text": item.text})
                elif isinstance(item, Final):
                    yield _sse("citations", [citation_payload(c) for c in item.answer.citations])
                    yield _sse("done", answer_payload(item.answer))
                    return
                elif isinstance(item, FonteError | ApiError):
                    message = item.message if isinstance(item, ApiError) else str(item)
                    yield _sse("error", {"message": message})
                    return
                else:
                    yield _sse("error", {"message": INTERNAL_ERROR})
                    return
                item = await self.run.next(idle_timeout)
        finally:
            self.run.cancel()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        watcher = asyncio.create_task(_watch_disconnect(receive, self.run))
        try:
            await self.stream_response(send)
        except OSError:
            pass  # the client went away mid-stream
        finally:
            watcher.cancel()
            self.run.cancel()


# --- health, demo, admin -----------------------------------------------------------------------


def _health(state: ApiState) -> dict[str, Any]:
    from assistant.status import backend_status

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


def _demo_page(key: str) -> str:
    key_attr = html.escape(key, quote=True)
    if key:
        body = (
            "<p>Clique no botão no canto da página (ou use Tab até ele e Enter) e pergunte, "
            "por exemplo: <em>Quais ferramentas de DataOps o documento cita?</em></p>\n"
            f'<script src="/widget.js" data-fonte-key="{key_attr}" '
            'data-title="Pergunte ao documento" data-position="bottom-right" async></script>'
        )
    else:
        body = (
            "<p>Abra esta página com <code>?key=pk_…</code>, usando uma chave criada para a origem "
            "deste servidor:</p>\n<pre>fonte keys create --origin http://127.0.0.1:8000</pre>"
        )
    return f"""<!doctype html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fonte — demonstração do widget</title>
<style>body{{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;
line-height:1.5}}pre,code{{background:#f3f3f3;padding:.1rem .3rem;border-radius:4px}}</style>
</head>
<body>
<h1>Fonte — widget de perguntas</h1>
<p>Esta é uma página de exemplo que incorpora o widget com uma única tag
<code>&lt;script&gt;</code>. As respostas citam os trechos dos documentos.</p>
{body}
</body>
</html>
"""


def _add_admin_routes(app: FastAPI, state: ApiState, *, enabled: bool) -> None:
    api = state.api

    def admin(authorization: Annotated[str | None, Header()] = None) -> None:
        token = api.admin_token.get_secret_value() if api.admin_token else ""
        if not enabled or not token:
            raise ApiError(404, "Não encontrado")
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode("utf-8"), token.encode("utf-8")
        ):
            raise ApiError(
                401, "Token de administração inválido", {"WWW-Authenticate": 'Bearer realm="fonte-admin"'}
            )

    guard = [Depends(admin)]
    shown = enabled

    @app.post("/api/admin/keys", dependencies=guard, include_in_schema=shown, status_code=201)
    async def create_key(body: KeyRequest) -> dict[str, Any]:
        return (await run_in_threadpool(state.keys.create, body.origins, body.collection)).to_json()

    @app.get("/api/admin/keys", dependencies=guard, include_in_schema=shown)
    async def list_keys() -> list[dict[str, Any]]:
        return [k.to_json() for k in await run_in_threadpool(state.keys.list_keys)]

    @app.delete("/api/admin/keys/{key}", dependencies=guard, include_in_schema=shown)
    async def revoke_key(key: str) -> dict[str, Any]:
        try:
            return (await run_in_threadpool(state.keys.revoke, key)).to_json()
        except UnknownKey:
            raise ApiError(404, "Chave desconhecida") from None

    @app.post("/api/admin/ingest", dependencies=guard, include_in_schema=shown)
    async def ingest(
        file: Annotated[UploadFile, File(description="Documento .txt .md .html .pdf .docx")],
        collection: Annotated[str, Form()] = "default",
    ) -> JSONResponse:
        from ingest import ingest_upload
        from vectorstore.collection import Collection, validate_collection_name

        validate_collection_name(collection)
        data = await file.read()
        try:
            slot = await state.gate.acquire(api.queue_timeout_s)
        except Busy:
            raise ApiError(
                503, "Ocupado — tente de novo em instantes", {"Retry-After": str(api.busy_retry_after_s)}
            ) from None
        try:

            def work() -> Any:
                try:  # the serving assistant's own store, so its indexes see the new document
                    store = getattr(state.assistant_for(collection), "collection", None)
                except ApiError:  # a new collection
                    store = None
                store = store or Collection.open(state.settings.with_overrides(collection=collection))
                return ingest_upload(store, file.filename or "arquivo", data)

            result = await run_in_threadpool(work)
        finally:
            slot.release()
        payload = {"name": result.name, "status": result.status, "detail": result.detail}
        payload["chunks"] = result.chunks
        return JSONResponse(payload, status_code=422 if result.status == "skipped" else 200)


# --- errors and the edge middleware -------------------------------------------------------------


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def _install_error_handlers(app: FastAPI) -> None:
    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return _error(exc.status, exc.message, exc.headers)

    async def fonte_error(request: Request, exc: Exception) -> Response:
        return _error(getattr(exc, "http_status", 500), str(exc))

    async def invalid(request: Request, exc: Exception) -> Response:
        errors: Sequence[Any] = exc.errors() if isinstance(exc, RequestValidationError) else []
        fields = sorted(
            {".".join(str(p) for p in e.get("loc", ()) if p != "body") or "corpo" for e in errors}
        )
        return _error(422, f"Pedido inválido — confira: {', '.join(fields) or 'o corpo JSON'}")

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        messages = {404: "Não encontrado", 405: "Método não permitido", 413: "Pedido grande demais"}
        message = messages.get(exc.status_code) or str(exc.detail)
        return _error(exc.status_code, message, dict(exc.headers or {}))

    async def internal(request: Request, exc: Exception) -> Response:
        log.error("erro interno em %s", request.url.path, exc_info=exc)
        return _error(500, INTERNAL_ERROR)

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(FonteError, fonte_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, internal)


class EdgeMiddleware:
    """Pure ASGI: body size caps, CORS for /api/ask (echoing only allowed origins), headers."""

    def __init__(self, app: ASGIApp, state: ApiState):
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        headers = Headers(scope=scope)
        cors: dict[str, str] = {}
        if path == ASK_PATH:
            origin = headers.get("origin")
            cors["Vary"] = "Origin"
            if origin and self.state.cors_allowed(origin):
                cors["Access-Control-Allow-Origin"] = origin
                cors["Access-Control-Expose-Headers"] = "Retry-After"
            if scope["method"] == "OPTIONS":
                await self._preflight(scope, receive, send, cors)
                return
        cap = self.state.api.max_upload_bytes if path == UPLOAD_PATH else self.state.api.max_body_bytes
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > cap):
            response = _error(413, f"Pedido grande demais (máximo {cap // 1024} KB)", cors)
            await response(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > cap:
                    raise StarletteHTTPException(413, "Pedido grande demais")
            return message

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                for name, value in cors.items():
                    out[name] = value
                out.setdefault("X-Content-Type-Options", "nosniff")
                out.setdefault("Referrer-Policy", "no-referrer")
                if path.startswith("/api/"):
                    out.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, limited_receive, send_with_headers)

    async def _preflight(self, scope: Scope, receive: Receive, send: Send, cors: dict[str, str]) -> None:
        if "Access-Control-Allow-Origin" not in cors:
            response: Response = _error(403, "Origem não autorizada", {"Vary": "Origin"})
        else:
            response = Response(
                status_code=204,
                headers={
                    **cors,
                    "Access-Control-Allow-Methods": "POST, OPTIONS",
                    "Access-Control-Allow-Headers": CORS_ALLOW_HEADERS,
                    "Access-Control-Max-Age": "600",
                },
            )
        await response(scope, receive, send)


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the API with uvicorn (one process; generations run in worker threads)."""
    import uvicorn

    uvicorn.run(create_app(settings), host=host, port=port, log_level="info", proxy_headers=False)
