"""Child processes the benchmark times like a user would: environment, wall time and peak memory."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from eval.bench.plan import REPO, elapsed_ms, median
from fonte.settings import Settings

# `RUSAGE_CHILDREN.ru_maxrss` is useless here: a child's maxrss starts at the RSS of this large
# process at fork/vfork time. So each child reports its own VmHWM (per address space, reset by
# exec) on stderr when it exits.
PEAK_MARK = "FONTE_BENCH_PEAK_KB="
CHILD_WRAPPER = f"""
import atexit, runpy, sys
def _peak():
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM:'):
            sys.stderr.write('\\n{PEAK_MARK}' + line.split()[1] + '\\n')
atexit.register(_peak)
sys.argv = sys.argv[1:]
runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)
"""


def vm_hwm_mb(pid: int) -> float | None:
    """Peak RSS (VmHWM) of a running process, from /proc."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    return next(
        (int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:")), None
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def subprocess_env(settings: Settings) -> dict[str, str]:
    """This environment without stray FONTE_* variables, pointed at `settings`' collection."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FONTE_") and k != "OLLAMA_HOST"}
    env.update(
        FONTE_DATA_DIR=str(settings.data_dir),
        FONTE_COLLECTION=settings.collection,
        FONTE_EMBEDDER=settings.embedder,
        ANONYMIZED_TELEMETRY="False",
    )
    if settings.chroma_url:
        env["FONTE_CHROMA_URL"] = settings.chroma_url
    return env


def cold_run(args: Sequence[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    """(median wall ms, peak RSS MB) of a fresh `python -m module args` process.

    Fails loudly on a non-zero exit. The tiny wrapper around `runpy` costs well under 1 ms.
    """
    times, peaks = [], []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", CHILD_WRAPPER, *args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        times.append(elapsed_ms(started))
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} saiu com {done.returncode}: {done.stderr[-500:]}")
        peaks += [
            int(line[len(PEAK_MARK) :]) / 1024
            for line in done.stderr.splitlines()
            if line.startswith(PEAK_MARK)
        ]
    return median(times), max(peaks, default=0.0)


def stop(server: subprocess.Popen[bytes]) -> None:
    """Terminate a server child, killing it if it does not exit within 30 s."""
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=30)
