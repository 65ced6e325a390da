"""Two API instances share one key's rate limit through a real Redis (Debian's redis-server).

The server runs on a free loopback port with no persistence and is always stopped; without
/usr/bin/redis-server the test is skipped (CI installs it).
"""

from __future__ import annotations

import contextlib
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fonte.settings import Settings
from tests.conftest import free_port
from ui.api import ApiSettings, create_app
from ui.api.keys import KeyStore

pytestmark = pytest.mark.slow

REDIS_SERVER = Path("/usr/bin/redis-server")
ORIGIN = "https://loja.example"


class Instant:
    """An assistant that answers at once (only admission is under test)."""

    def stream(self, question: str, **_: object) -> Iterator[object]:
        from assistant.pipeline import Final
        from fonte.types import Answer

        yield Final(
            Answer(question=question, text="ok", citations=[], abstained=False, backend="x", model="x")
        )


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    if not REDIS_SERVER.exists():
        pytest.skip("redis-server não instalado (apt-get install -y redis-server)")
    import redis

    port = free_port()
    server = subprocess.Popen(
        [str(REDIS_SERVER), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url)
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(redis.ConnectionError):
                if client.ping():
                    break
            assert server.poll() is None and time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(10)


def test_two_instances_share_one_keys_limit(settings: Settings, redis_url: str) -> None:
    shared = settings.with_overrides(redis_url=redis_url)
    key = KeyStore(settings.data_dir).create([ORIGIN]).key
    limits = ApiSettings(rate_per_key_per_minute=4, rate_per_ip_per_minute=100)
    replicas = [
        TestClient(
            create_app(shared, limits, assistant_factory=lambda s: Instant()), client=("203.0.113.9", 1)
        )
        for _ in range(2)
    ]

    def ask(n: int) -> int:
        response = replicas[n % 2].post(
            "/api/ask", json={"question": "oi"}, headers={"X-Fonte-Key": key, "Origin": ORIGIN}
        )
        return response.status_code

    assert [ask(n) for n in range(4)] == [200, 200, 200, 200]  # two on each replica
    refused = replicas[0].post(
        "/api/ask", json={"question": "oi"}, headers={"X-Fonte-Key": key, "Origin": ORIGIN}
    )
    assert refused.status_code == 429 and 55 <= int(refused.headers["retry-after"]) <= 60
    assert ask(1) == 429  # the other replica agrees
    alone = create_app(settings, limits, assistant_factory=lambda s: Instant())  # memory: its own count
    assert (
        TestClient(alone, client=("203.0.113.9", 1))
        .post("/api/ask", json={"question": "oi"}, headers={"X-Fonte-Key": key, "Origin": ORIGIN})
        .status_code
        == 200
    )


def test_redis_down_is_a_503_in_portuguese(settings: Settings) -> None:
    gone = settings.with_overrides(redis_url=f"redis://127.0.0.1:{free_port()}/0")
    key = KeyStore(settings.data_dir).create([ORIGIN]).key
    client = TestClient(create_app(gone, assistant_factory=lambda s: Instant()), client=("203.0.113.9", 1))
    response = client.post(
        "/api/ask", json={"question": "oi"}, headers={"X-Fonte-Key": key, "Origin": ORIGIN}
    )
    assert response.status_code == 503 and "Redis" in response.json()["error"]
