"""The API's edge, before any route: body size caps, CORS for /api/ask, security headers."""

from __future__ import annotations

from fastapi.responses import Response
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ui.api.errors import error_response
from ui.api.state import ApiState

ASK_PATH = "/api/ask"
UPLOAD_PATH = "/api/admin/ingest"
CORS_ALLOW_HEADERS = "Content-Type, X-Fonte-Key, Accept"


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
            response = error_response(413, f"Pedido grande demais (máximo {cap // 1024} KB)", cors)
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
            response: Response = error_response(403, "Origem não autorizada", {"Vary": "Origin"})
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
