"""What the routes share: settings, keys, rate limits, the generation gate and the assistants."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fonte.errors import FonteError
from fonte.settings import Settings
from ui.api.errors import ApiError
from ui.api.keys import ApiKey, KeyStore, key_store, normalize_origin
from ui.api.limits import Gate, RateLimits
from ui.api.settings import ApiSettings
from vectorstore.collection import validate_collection_name

AssistantFactory = Callable[[Settings], Any]
"""Settings → the Assistant of its collection; by default `assistant.assistant_for` (cached)."""


def default_factory(settings: Settings) -> Any:
    from assistant import assistant_for

    return assistant_for(settings)


@dataclass(frozen=True)
class Access:
    """Who is asking: a browser page with a key, or a keyless local client."""

    key: ApiKey | None
    client_ip: str
    origin: str | None


class ApiState:
    """Everything the routes share; assistants come from the one process-wide cache."""

    def __init__(self, settings: Settings, api: ApiSettings, factory: AssistantFactory):
        self.settings = settings
        self.api = api
        self.factory = factory
        self.keys: KeyStore = key_store(settings)
        self.gate = Gate(api.max_concurrency, api.queue_size)
        self.limits = RateLimits(
            per_key=api.rate_per_key_per_minute,
            per_ip=api.rate_per_ip_per_minute,
            redis_url=settings.redis_url,
        )

    def assistant_for(self, collection: str) -> Any:
        """The assistant of `collection`; 404 for a collection other than the served one that
        was never ingested (asking must not create collections)."""
        validate_collection_name(collection)
        exists = (self.settings.data_dir / "collections" / collection).is_dir()
        if collection != self.settings.collection and not exists:
            raise ApiError(404, f"A coleção '{collection}' não existe — ingira documentos nela primeiro")
        return self.factory(self.settings.with_overrides(collection=collection))

    def cors_allowed(self, origin: str | None) -> bool:
        if not origin:
            return False
        try:
            return normalize_origin(origin, strict=False) in self.keys.allowed_origins()
        except FonteError:
            return False
