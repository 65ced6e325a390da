"""Admission control for the HTTP API: token-bucket rate limits and a bounded generation gate."""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass


class Busy(Exception):
    """No generation slot and no room in the waiting queue (or the wait timed out)."""


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Token buckets by name (e.g. "key:pk_…", "ip:1.2.3.4"): `capacity` burst, `per_minute` refill.

    The number of buckets is bounded (least recently used are forgotten), so a flood of
    distinct client addresses cannot grow memory without limit.
    """

    def __init__(
        self,
        per_minute: float,
        capacity: float,
        *,
        max_buckets: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.rate = per_minute / 60.0
        self.capacity = max(1.0, capacity)
        self.max_buckets = max_buckets
        self._clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, name: str) -> float:
        """Take one token: 0.0 if allowed, else the seconds until one is available."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.pop(name, None) or _Bucket(self.capacity, now)
            bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
            self._buckets[name] = bucket
            while len(self._buckets) > self.max_buckets:
                self._buckets.popitem(last=False)
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            if self.rate <= 0:
                return 3600.0
            return (1.0 - bucket.tokens) / self.rate


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
