"""One writer at a time per collection: across threads, processes and (with Redis) hosts.

`writer_lock(...)` returns a context manager. Inside a process a `threading.Lock` orders
the threads; between processes on one host `filelock` locks `<collection>/write.lock`;
when `FONTE_REDIS_URL` is set, a Redis lock (redis-py `Lock`) replaces the file lock so
replicas on several hosts sharing one Chroma server exclude each other too. The Redis
lock is a lease: a writer that dies frees it after `REDIS_LEASE_S`; a live writer renews
it at every batch (`renew`).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from fonte.errors import StoreError

REDIS_LEASE_S = 120.0
"""How long a Redis lock outlives a silent writer; renewed every 64 chunks (~seconds)."""

_THREAD_LOCKS: dict[str, threading.Lock] = {}
_THREAD_LOCKS_GUARD = threading.Lock()


class WriterLock(Protocol):
    def renew(self) -> None:
        """Tell a lease-based lock the writer is alive (no-op for file locks)."""


class _FileWriter:
    def renew(self) -> None:
        return None


class _RedisWriter:
    def __init__(self, lock: Any, url: str):
        self._lock = lock
        self._url = url

    def renew(self) -> None:
        import redis

        try:
            self._lock.reacquire()
        except (redis.RedisError, redis.exceptions.LockError) as e:
            raise _redis_down(self._url) from e


def _thread_lock(key: str) -> threading.Lock:
    with _THREAD_LOCKS_GUARD:
        return _THREAD_LOCKS.setdefault(key, threading.Lock())


@contextmanager
def writer_lock(
    *, name: str, directory: Path, redis_url: str | None, timeout: float, blocking: bool = True
) -> Iterator[WriterLock | None]:
    """Hold the collection's write lock; yields None when `blocking=False` and it is taken."""
    key = f"{redis_url or directory}#{name}"
    local = _thread_lock(key)
    if not local.acquire(timeout=timeout if blocking else 0):
        if not blocking:
            yield None
            return
        raise _busy(name, timeout)
    try:
        if redis_url:
            with _redis_lock(name, redis_url, timeout, blocking) as held:
                yield held
        else:
            with _file_lock(name, directory, timeout, blocking) as held:
                yield held
    finally:
        local.release()


@contextmanager
def _file_lock(name: str, directory: Path, timeout: float, blocking: bool) -> Iterator[WriterLock | None]:
    from filelock import FileLock, Timeout

    directory.mkdir(parents=True, exist_ok=True)
    lock = FileLock(directory / "write.lock")
    try:
        lock.acquire(timeout=timeout if blocking else 0)
    except Timeout:
        if not blocking:
            yield None
            return
        raise _busy(name, timeout) from None
    try:
        yield _FileWriter()
    finally:
        lock.release()


@contextmanager
def _redis_lock(name: str, url: str, timeout: float, blocking: bool) -> Iterator[WriterLock | None]:
    import redis

    client = redis.Redis.from_url(url)
    lock = client.lock(f"fonte:collection:{name}:write", timeout=REDIS_LEASE_S)
    try:
        acquired = lock.acquire(blocking=blocking, blocking_timeout=timeout if blocking else None)
    except redis.RedisError as e:
        raise _redis_down(url) from e
    if not acquired:
        if not blocking:
            yield None
            return
        raise _busy(name, timeout)
    try:
        yield _RedisWriter(lock, url)
    finally:
        # the lease expired (or Redis went away): there is nothing left to release
        with contextlib.suppress(redis.RedisError):
            lock.release()
        client.close()


def _redis_down(url: str) -> StoreError:
    return StoreError(f"Redis não respondeu em {url} — inicie o `redis-server` ou remova FONTE_REDIS_URL")


def _busy(name: str, timeout: float) -> StoreError:
    return StoreError(
        f"A coleção '{name}' está ocupada por outra escrita há mais de {timeout:.0f} s "
        "— espere a outra ingestão terminar e tente de novo"
    )


OPEN_TIMEOUT_S = 120.0
"""Longest wait for another process to finish creating the same embedded store."""


@contextmanager
def opening_lock(directory: Path) -> Iterator[None]:
    """Serialise opening an embedded Chroma in `directory` across processes.

    Two processes creating one embedded store at once race in Chroma's schema migrations
    ("table collections already exists"); holding `open.lock` while opening orders them.
    """
    from filelock import FileLock, Timeout

    try:
        with FileLock(directory / "open.lock", timeout=OPEN_TIMEOUT_S):
            yield
    except Timeout as e:
        raise StoreError(
            f"Outro processo está abrindo a coleção em {directory} há mais de {OPEN_TIMEOUT_S:.0f} s "
            "— espere ele terminar ou confira se ficou travado"
        ) from e
