"""Admin endpoints (`/api/admin/*`): keys and uploads, only when `FONTE_ADMIN_TOKEN` is set."""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import Depends, FastAPI, File, Form, Header, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ui.api.errors import ApiError
from ui.api.keys import UnknownKey
from ui.api.limits import Busy
from ui.api.state import ApiState
from vectorstore.collection import validate_collection_name


class KeyRequest(BaseModel):
    origins: list[str] = Field(min_length=1, description="Origens permitidas, ex. https://loja.example")
    collection: str = "default"


def add_admin_routes(app: FastAPI, state: ApiState) -> None:
    api = state.api
    token = api.admin_token.get_secret_value() if api.admin_token else ""
    enabled = bool(token)

    def admin(authorization: Annotated[str | None, Header()] = None) -> None:
        if not enabled:
            raise ApiError(404, "Não encontrado")
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode("utf-8", "replace"), token.encode("utf-8")
        ):
            raise ApiError(
                401, "Token de administração inválido", {"WWW-Authenticate": 'Bearer realm="fonte-admin"'}
            )

    guard = [Depends(admin)]

    @app.post("/api/admin/keys", dependencies=guard, include_in_schema=enabled, status_code=201)
    async def create_key(body: KeyRequest) -> dict[str, Any]:
        return (await run_in_threadpool(state.keys.create, body.origins, body.collection)).to_json()

    @app.get("/api/admin/keys", dependencies=guard, include_in_schema=enabled)
    async def list_keys() -> list[dict[str, Any]]:
        return [k.to_json() for k in await run_in_threadpool(state.keys.list_keys)]

    @app.delete("/api/admin/keys/{key}", dependencies=guard, include_in_schema=enabled)
    async def revoke_key(key: str) -> dict[str, Any]:
        try:
            return (await run_in_threadpool(state.keys.revoke, key)).to_json()
        except UnknownKey:
            raise ApiError(404, "Chave desconhecida") from None

    @app.post("/api/admin/ingest", dependencies=guard, include_in_schema=enabled)
    async def ingest(
        file: Annotated[UploadFile, File(description="Documento .txt .md .html .pdf .docx")],
        collection: Annotated[str, Form()] = "default",
    ) -> JSONResponse:
        validate_collection_name(collection)
        data = await file.read()
        try:
            slot = await state.gate.acquire(api.queue_timeout_s)
        except Busy:
            raise ApiError(
                503, "Ocupado — tente de novo em instantes", {"Retry-After": str(api.busy_retry_after_s)}
            ) from None
        try:
            result = await run_in_threadpool(_ingest, state, collection, file.filename or "arquivo", data)
        finally:
            slot.release()
        payload = {"name": result.name, "status": result.status, "detail": result.detail}
        payload["chunks"] = result.chunks
        return JSONResponse(payload, status_code=422 if result.status == "skipped" else 200)


def _ingest(state: ApiState, collection: str, filename: str, data: bytes) -> Any:
    from ingest import ingest_upload
    from vectorstore.collection import Collection

    try:  # the serving assistant's own store, so its indexes see the new document
        store = getattr(state.assistant_for(collection), "collection", None)
    except ApiError:  # a new collection
        store = None
    store = store or Collection.open(state.settings.with_overrides(collection=collection))
    return ingest_upload(store, filename, data)
