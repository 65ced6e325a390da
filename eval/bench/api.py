"""Section 4's HTTP row: POST /api/ask on a real `fonte serve` child process, as a user would run it."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from eval import metrics
from eval.bench.plan import REPO, AskRow, BenchResults, elapsed_ms, median
from eval.bench.process import free_port, stop, subprocess_env, vm_hwm_mb
from fonte.settings import Settings

STARTUP_TIMEOUT_S = 120
"""Generous: the server loads the embedder before /api/health answers, on a shared 2-core box."""


class ServerExited(RuntimeError):
    """`fonte serve` stopped before answering /api/health."""


def log_tail(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")[-300:].strip()


@contextlib.contextmanager
def fonte_server(settings: Settings, log_path: Path) -> Iterator[tuple[str, int]]:
    """`python -m ui.cli serve` on a free loopback port, ready once /api/health answers 200.

    Yields (base URL, pid); the server is always stopped on exit.
    """
    import httpx

    port = free_port()
    env = {**subprocess_env(settings), "FONTE_BACKEND": settings.backend}
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "ui.cli", "serve", "--port", str(port)],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT_S
            while True:
                if server.poll() is not None:
                    raise ServerExited(f"fonte serve saiu com {server.returncode}: {log_tail(log_path)}")
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise ServerExited(f"fonte serve mudo após {STARTUP_TIMEOUT_S} s: {log_tail(log_path)}")
                time.sleep(0.3)
            yield base, server.pid
        finally:
            stop(server)


def bench_api(settings: Settings, questions: Sequence[str], runs: int, results: BenchResults) -> None:
    """The HTTP API row (p50 of POST /api/ask, warm) and the server's peak RSS; a failure is a row too."""
    import httpx

    path = "HTTP API (warm `fonte serve`, loopback)"
    log_path = settings.data_dir / "fonte-serve.log"
    try:
        with (
            fonte_server(settings, log_path) as (base, pid),
            httpx.Client(base_url=base, timeout=120) as client,
        ):
            client.post("/api/ask", json={"question": questions[0]})  # warm-up
            p50s = []
            for _ in range(runs):
                times = []
                for question in questions:
                    started = time.perf_counter()
                    response = client.post("/api/ask", json={"question": question})
                    times.append(elapsed_ms(started))
                    if response.status_code != 200:
                        detail = f"API: HTTP {response.status_code}: {response.text[:120]}"
                        results.ask.append(AskRow(path, settings.backend, None, detail))
                        return
                p50s.append(metrics.percentile(times, 50))
            results.peak_rss_mb[f"`fonte serve` process ({settings.backend})"] = vm_hwm_mb(pid) or 0.0
    except (ServerExited, httpx.HTTPError) as e:
        detail = f"API: not available ({type(e).__name__}: {str(e)[:120]})"
        results.ask.append(AskRow(path, settings.backend, None, detail))
        return
    results.ask.append(AskRow(path, settings.backend, median(p50s), "POST /api/ask JSON, loopback, no key"))
