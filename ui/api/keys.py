"""Publishable API keys for the embeddable widget: each key is bound to origins and a collection.

Keys live in `settings.data_dir / "keys.json"`, written atomically (temporary file +
`os.replace`) under an inter-process lock (`filelock`), so the CLI and a running server can
share the file: the server re-reads it whenever it changes on disk, so a `fonte keys revoke`
takes effect on the next request.

A key is *publishable* (it is visible in the host page's HTML); what protects it is the
origin binding: browsers always send an `Origin` header that pages cannot forge, and the
API only answers a key's requests that come from one of its origins.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from filelock import FileLock

from fonte.errors import BadRequest, FonteError
from vectorstore.collection import validate_collection_name

KEY_PREFIX = "pk_"
KEYS_FILE = "keys.json"
_DEFAULT_PORTS = {"http": 80, "https": 443}


class UnknownKey(FonteError):
    """The key does not exist (or was revoked)."""

    exit_code = 2
    http_status = 401


class OriginNotAllowed(FonteError):
    """The key exists but the request comes from an origin it is not bound to."""

    exit_code = 2
    http_status = 403


@dataclass(frozen=True)
class ApiKey:
    key: str
    origins: tuple[str, ...]
    collection: str
    created_at: float
    revoked: bool = False
    revoked_at: float | None = None

    def allows(self, origin: str | None) -> bool:
        return origin is not None and normalize_origin(origin, strict=False) in self.origins

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["origins"] = list(self.origins)
        return data


def normalize_origin(origin: str, *, strict: bool = True) -> str:
    """`scheme://host[:port]` in lower case, default port dropped.

    With `strict`, anything that is not a bare http(s) origin raises BadRequest (used when
    keys are created); otherwise an unparseable value becomes "" and matches nothing.
    """
    value = (origin or "").strip()
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        parts, port = None, None
    ok = (
        value.isascii()  # browsers send internationalized hosts in their ASCII (punycode) form
        and parts is not None
        and parts.scheme in _DEFAULT_PORTS
        and bool(parts.hostname)
        and parts.path in ("", "/")
        and not parts.query
        and not parts.fragment
        and parts.username is None
        and parts.password is None
    )
    if not ok or parts is None or parts.hostname is None:
        if strict:
            raise BadRequest(
                f"Origem inválida: {origin!r} — use esquema e host, por exemplo https://loja.example"
            )
        return ""
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[parts.scheme]) else f"{host}:{port}"
    return f"{parts.scheme}://{netloc}"


@dataclass
class _Cache:
    stamp: tuple[int, int] | None = None
    keys: dict[str, ApiKey] = field(default_factory=dict)


class KeyStore:
    """Create, list, revoke and check keys stored in `<data_dir>/keys.json`."""

    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / KEYS_FILE
        self._lock = threading.Lock()
        self._file_lock = FileLock(self.path.with_suffix(".lock"))
        self._cache = _Cache()

    # --- reading -------------------------------------------------------------------------

    def list_keys(self) -> list[ApiKey]:
        return sorted(self._load().values(), key=lambda k: k.created_at)

    def get(self, key: str) -> ApiKey | None:
        if not isinstance(key, str) or not key.startswith(KEY_PREFIX):
            return None
        return self._load().get(key)

    def allowed_origins(self) -> set[str]:
        """Origins of all active keys (what a CORS preflight may be answered for)."""
        return {o for k in self._load().values() if not k.revoked for o in k.origins}

    def authorize(self, key: str, origin: str | None) -> ApiKey:
        """The active key `key` if `origin` is one of its origins; UnknownKey / OriginNotAllowed."""
        record = self.get(key)
        if record is None or record.revoked:
            raise UnknownKey("Chave de API inválida ou revogada — confira o atributo data-fonte-key")
        if origin is None:
            raise OriginNotAllowed("Pedidos com chave precisam do cabeçalho Origin do site que a usa")
        if not record.allows(origin):
            raise OriginNotAllowed(f"Este site ({origin}) não está autorizado a usar esta chave")
        return record

    # --- writing -------------------------------------------------------------------------

    def create(self, origins: Sequence[str], collection: str = "default") -> ApiKey:
        normalized = tuple(dict.fromkeys(normalize_origin(o) for o in origins))
        if not normalized:
            raise BadRequest("Informe ao menos uma origem (--origin https://seu.site)")
        validate_collection_name(collection)
        record = ApiKey(
            key=KEY_PREFIX + secrets.token_urlsafe(24),
            origins=normalized,
            collection=collection,
            created_at=time.time(),
        )
        with self._locked() as keys:
            keys[record.key] = record
        return record

    def revoke(self, key: str) -> ApiKey:
        with self._locked() as keys:
            record = keys.get(key)
            if record is None:
                raise UnknownKey(f"Chave desconhecida: '{key}' — veja `fonte keys list`")
            if not record.revoked:
                record = ApiKey(**{**asdict(record), "revoked": True, "revoked_at": time.time()})
                keys[key] = record
        return record

    # --- storage -------------------------------------------------------------------------

    def _stamp(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def _load(self) -> dict[str, ApiKey]:
        with self._lock:
            stamp = self._stamp()
            if stamp != self._cache.stamp:
                self._cache = _Cache(stamp, self._read())
            return self._cache.keys

    def _read(self) -> dict[str, ApiKey]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, json.JSONDecodeError) as e:
            raise FonteError(f"Arquivo de chaves ilegível: {self.path} ({e})") from e
        return parse_keys(raw)

    @contextmanager
    def _locked(self) -> Iterator[dict[str, ApiKey]]:
        """Read-modify-write under an exclusive file lock (shared with other processes)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._file_lock, self._lock:
            keys = self._read()
            yield keys
            self._write(keys)
            self._cache = _Cache()

    def _write(self, keys: dict[str, ApiKey]) -> None:
        payload = keys_payload(keys)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".keys-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(payload, f, ensure_ascii=False, indent=2)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def parse_keys(raw: Any) -> dict[str, ApiKey]:
    """Key records from a stored document; malformed records are skipped."""
    keys: dict[str, ApiKey] = {}
    for item in raw.get("keys", []) if isinstance(raw, dict) else []:
        try:
            record = ApiKey(
                key=str(item["key"]),
                origins=tuple(str(o) for o in item["origins"]),
                collection=str(item["collection"]),
                created_at=float(item["created_at"]),
                revoked=bool(item.get("revoked", False)),
                revoked_at=item.get("revoked_at"),
            )
        except (KeyError, TypeError, ValueError):
            continue
        keys[record.key] = record
    return keys


def keys_payload(keys: dict[str, ApiKey]) -> dict[str, Any]:
    return {"version": 1, "keys": [k.to_json() for k in sorted(keys.values(), key=_created)]}


def _created(key: ApiKey) -> float:
    return key.created_at


def key_store(settings: Any) -> KeyStore:
    """Keys in Redis when `FONTE_REDIS_URL` is set (shared by replicas), else `<data_dir>/keys.json`."""
    if getattr(settings, "redis_url", None):
        from ui.api.shared_keys import RedisKeyStore

        return RedisKeyStore(settings.redis_url, settings.data_dir)
    return KeyStore(settings.data_dir)
