"""API keys shared by replicas: the key store kept in Redis when `FONTE_REDIS_URL` is set.

The same records and rules as `KeyStore`, stored as one JSON document at `fonte:keys` next
to a version counter `fonte:keys:version`. Every request reads the counter (one round trip)
and re-reads the document only when it moved, so a key created or revoked through any
replica or the CLI holds on all of them at once. Writes are read-modify-write under a Redis
lock. Until the first write, an existing local `keys.json` is served (and then carried over).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fonte.errors import StoreError
from ui.api.keys import ApiKey, KeyStore, _Cache, keys_payload, parse_keys

DOCUMENT = "fonte:keys"
VERSION = "fonte:keys:version"
LOCK = "fonte:keys:lock"
LOCK_LEASE_S = 10.0
"""A key write takes milliseconds; a writer that died frees the lock after this."""


class RedisKeyStore(KeyStore):
    def __init__(self, url: str, data_dir: Path):
        import redis

        super().__init__(data_dir)
        self._url = url
        self._redis = redis.Redis.from_url(url)

    def _stamp(self) -> tuple[int, int] | None:
        with self._redis_errors():
            version: Any = self._redis.get(VERSION)
        return (int(version), 0) if version is not None else super()._stamp()

    def _read(self) -> dict[str, ApiKey]:
        with self._redis_errors():
            raw: Any = self._redis.get(DOCUMENT)
        if raw is None:
            return super()._read()  # the local keys.json, if any, until the first write
        try:
            return parse_keys(json.loads(raw))
        except json.JSONDecodeError as e:
            raise StoreError(f"Chaves ilegíveis no Redis ({DOCUMENT}) — recrie-as") from e

    @contextmanager
    def _locked(self) -> Iterator[dict[str, ApiKey]]:
        lock = self._redis.lock(LOCK, timeout=LOCK_LEASE_S, blocking_timeout=LOCK_LEASE_S)
        with self._redis_errors(), lock, self._lock:
            keys = self._read()
            yield keys
            self._write(keys)
            self._cache = _Cache()

    def _write(self, keys: dict[str, ApiKey]) -> None:
        with self._redis_errors():
            pipe = self._redis.pipeline()  # MULTI/EXEC: document and version change together
            pipe.set(DOCUMENT, json.dumps(keys_payload(keys), ensure_ascii=False))
            pipe.incr(VERSION)
            pipe.execute()

    @contextmanager
    def _redis_errors(self) -> Iterator[None]:
        import redis

        try:
            yield
        except redis.RedisError as e:
            raise StoreError(
                f"Redis não respondeu em {self._url} — inicie o `redis-server` ou remova FONTE_REDIS_URL"
            ) from e
