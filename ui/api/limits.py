"""Admission control for the HTTP API: per-minute rate limits and a bounded generation gate.

Rate limits come from the `limits` library: a moving 60-second window per API key and per
client IP, counted in memory by default or in Redis when `FONTE_REDIS_URL` is set, so that
several `fonte serve` replicas share one key's budget. The Gate (generations at once plus a
bounded waiting queue) is per process: it protects this process's CPU.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections import deque

from limits import RateLimitItem, RateLimitItemPerMinute
from limits.errors import ConfigurationError, StorageError
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from fonte.errors import FonteError, StoreError

NAMESPACE = "fonte"
"""First part of every counter's name, so Fonte's counters are easy to find in a shared Redis."""


class Busy(Exception):
    """No generation slot and no room in the waiting queue (or the wait timed out)."""


class LimitsUnavailable(StoreError):
    """The shared rate-limit store (Redis) does not answer."""


class RateLimits:
    """Requests per minute per API key and per client IP, in memory or in a shared Redis."""

    def __init__(self, *, per_key: int, per_ip: int, redis_url: str | None = None):
        self.per_key: RateLimitItem = RateLimitItemPerMinute(per_key)
        self.per_ip: RateLimitItem = RateLimitItemPerMinute(per_ip)
        self.storage = _storage(redis_url)
        self._limiter = MovingWindowRateLimiter(self.storage)

    def wait_for_key(self, key: str) -> float:
        """Count one request of `key`: 0.0 if allowed, else the seconds until one is."""
        return self._hit(self.per_key, "key", key)

    def wait_for_ip(self, address: str) -> float:
        """Count one request from `address`: 0.0 if allowed, else the seconds until one is."""
        return self._hit(self.per_ip, "ip", address)

    def _hit(self, item: RateLimitItem, kind: str, name: str) -> float:
        try:
            if self._limiter.hit(item, NAMESPACE, kind, name):
                return 0.0
            stats = self._limiter.get_window_stats(item, NAMESPACE, kind, name)
        except StorageError as e:
            raise LimitsUnavailable(
                "O contador de pedidos (Redis em FONTE_REDIS_URL) não responde — "
                "confira o servidor Redis e tente de novo"
            ) from e
        return max(0.0, stats.reset_time - time.time())


def _storage(redis_url: str | None) -> Storage:
    if not redis_url:
        return MemoryStorage()
    try:
        storage = storage_from_string(redis_url, wrap_exceptions=True)
    except ConfigurationError as e:
        storage, reason = None, str(e)
    else:
        reason = "use um servidor Redis síncrono"
    if not isinstance(storage, Storage) or not redis_url.startswith(("redis", "valkey")):
        raise FonteError(
            f"FONTE_REDIS_URL inválida: '{redis_url}' ({reason}) — use, por exemplo, redis://127.0.0.1:6379/0"
        )
    return storage


def retry_after(seconds: float) -> str:
    """A Retry-After header value: whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))


class Gate:
    """At most `slots` holders at once and at most `queue` waiters; beyond that, `Busy`.

    Safe across threads and event loops: waiters are futures of their own loop, and a slot
    is handed directly from a releasing holder to the oldest waiter. `release` may be called
    from any thread (generations run in worker threads and release when they finish).
    """

    def __init__(self, slots: int, queue: int):
        self.slots = max(1, slots)
        self.queue = max(0, queue)
        self._active = 0
        self._waiters: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = deque()
        self._lock = threading.Lock()

    @property
    def active(self) -> int:
        return self._active

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    async def acquire(self, timeout: float) -> Slot:
        with self._lock:
            if self._active < self.slots and not self._waiters:
                self._active += 1
                return Slot(self)
            if len(self._waiters) >= self.queue:
                raise Busy
            loop = asyncio.get_running_loop()
            waiter = (loop, loop.create_future())
            self._waiters.append(waiter)
        try:
            await asyncio.wait_for(waiter[1], timeout)
        except BaseException as e:
            with self._lock:
                still_waiting = waiter in self._waiters
                if still_waiting:
                    self._waiters.remove(waiter)
            if not still_waiting:  # the slot was handed to us while we gave up: pass it on
                self._release()
            if isinstance(e, TimeoutError):
                raise Busy from None
            raise
        return Slot(self)

    def _release(self) -> None:
        with self._lock:
            if self._waiters:
                loop, future = self._waiters.popleft()  # the slot moves to this waiter
                loop.call_soon_threadsafe(_wake, future)
            else:
                self._active = max(0, self._active - 1)


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class Slot:
    """One held place in a Gate; `release()` is idempotent and thread-safe."""

    def __init__(self, gate: Gate):
        self._gate = gate
        self._released = False
        self._lock = threading.Lock()

    @property
    def released(self) -> bool:
        return self._released

    def release(self) -> None:
        with self._lock:
            if self._released:
                return
            self._released = True
        self._gate._release()
