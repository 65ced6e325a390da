"""How the API refuses: `ApiError`, and the one place where every error becomes `{"error": …}` JSON."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from fonte.errors import FonteError

log = logging.getLogger("fonte.api")

INTERNAL_ERROR = "Erro interno do servidor — tente novamente mais tarde"
STATUS_MESSAGES = {404: "Não encontrado", 405: "Método não permitido", 413: "Pedido grande demais"}


class ApiError(Exception):
    """An HTTP refusal with a Portuguese message (rendered as {"error": message})."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    # a message may quote user input; text that is not valid UTF-8 (a lone surrogate) is replaced
    safe = message.encode("utf-8", "replace").decode("utf-8")
    return JSONResponse({"error": safe}, status_code=status, headers=headers)


def message_of(error: BaseException) -> str:
    """The user-facing message of an error raised while answering (never internal details)."""
    if isinstance(error, ApiError):
        return error.message
    if isinstance(error, FonteError):
        return str(error)
    return INTERNAL_ERROR


def install_error_handlers(app: FastAPI) -> None:
    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return error_response(exc.status, exc.message, exc.headers)

    async def fonte_error(request: Request, exc: Exception) -> Response:
        return error_response(getattr(exc, "http_status", 500), str(exc))

    async def invalid(request: Request, exc: Exception) -> Response:
        errors: Sequence[Any] = exc.errors() if isinstance(exc, RequestValidationError) else []
        fields = sorted(
            {".".join(str(p) for p in e.get("loc", ()) if p != "body") or "corpo" for e in errors}
        )
        # our own validators explain themselves in Portuguese (e.g. text that is not valid UTF-8)
        reasons = sorted({str(e["ctx"]["error"]) for e in errors if "error" in e.get("ctx", {})})
        detail = f" — {'; '.join(reasons)}" if reasons else ""
        return error_response(
            422, f"Pedido inválido — confira: {', '.join(fields) or 'o corpo JSON'}{detail}"
        )

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        message = STATUS_MESSAGES.get(exc.status_code) or str(exc.detail)
        return error_response(exc.status_code, message, dict(exc.headers or {}))

    async def internal(request: Request, exc: Exception) -> Response:
        log.error("erro interno em %s", request.url.path, exc_info=exc)
        return error_response(500, INTERNAL_ERROR)

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(FonteError, fonte_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, internal)
