"""Who may ask: API keys bound to origins, keyless local clients, and their rate limits."""

from __future__ import annotations

import ipaddress
from typing import Annotated

from fastapi import Header, Request

from ui.api.errors import ApiError
from ui.api.limits import retry_after
from ui.api.state import Access, ApiState

LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
TOO_MANY = "Muitas perguntas em pouco tempo — aguarde alguns segundos e tente de novo"


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


def access(
    request: Request, x_fonte_key: Annotated[str | None, Header(description="Chave pk_…")] = None
) -> Access:
    """FastAPI dependency of /api/ask (sync: FastAPI runs it in a worker thread, since the key
    file and a shared Redis are I/O)."""
    return admit(request.app.state.fonte, request, x_fonte_key)


def admit(state: ApiState, request: Request, key: str | None) -> Access:
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
            _refuse_if_waiting(state.limits.wait_for_ip(client_ip))
        return Access(key=None, client_ip=client_ip, origin=None)
    _refuse_if_waiting(state.limits.wait_for_ip(client_ip))
    record = state.keys.authorize(key, origin)
    _refuse_if_waiting(state.limits.wait_for_key(record.key))
    return Access(key=record, client_ip=client_ip, origin=origin)


def _refuse_if_waiting(wait: float) -> None:
    if wait > 0:
        raise ApiError(429, TOO_MANY, {"Retry-After": retry_after(wait)})


def collection_for(state: ApiState, who: Access, requested: str | None) -> str:
    """A key reaches only its own collection; a local client may name any."""
    if who.key is None:
        return requested or state.settings.collection
    if requested and requested != who.key.collection:
        raise ApiError(403, "Esta chave não dá acesso a essa coleção")
    return who.key.collection
