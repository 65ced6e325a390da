"""The chat UI in a real headless Chromium: `fonte ui` (streamlit run) → ask → numbered sources."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, REPO, free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUESTION = "Quais ferramentas de DataOps o documento cita?"
README_SCREENSHOT = REPO / "docs" / "screenshot-ui.png"


def wait_healthy(port: int, server: subprocess.Popen[bytes], timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"streamlit exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"streamlit did not answer on port {port} within {timeout:.0f} s")


def test_ask_in_browser_shows_answer_with_numbered_sources(data_dir: Path, artifacts_dir: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    port = free_port()
    env = {**os.environ, "FONTE_DATA_DIR": str(data_dir), "FONTE_BACKEND": "extractive"}
    log = (artifacts_dir / "streamlit.log").open("wb")
    started = time.perf_counter()
    # `fonte ui` execs `streamlit run ui/streamlit_app.py --server.port N --server.headless true ...`
    server = subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "ui", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    timings: dict[str, float] = {}
    try:
        wait_healthy(port, server)
        timings["server_healthy_s"] = time.perf_counter() - started
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="pt-BR")
                page.set_default_timeout(120_000)
                page.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded")
                chat = page.get_by_test_id("stChatInputTextArea")
                chat.wait_for(state="visible")
                timings["chat_input_visible_s"] = time.perf_counter() - started
                sidebar = page.get_by_test_id("stSidebar")
                sidebar.get_by_text("mlops_dataops_fundamentos.txt").first.wait_for(state="visible")
                timings["collection_ready_s"] = time.perf_counter() - started

                asked = time.perf_counter()
                chat.fill(QUESTION)
                chat.press("Enter")
                source = page.get_by_test_id("stExpander").filter(has_text="[1]").first
                source.wait_for(state="visible")
                timings["answer_with_sources_s"] = time.perf_counter() - asked
                answer = page.get_by_test_id("stChatMessage").filter(has_text="DataKitchen").first
                assert "[1]" in answer.inner_text()
                assert "mlops_dataops_fundamentos.txt" in source.inner_text()

                listing = page.get_by_test_id("stExpander").filter(has_text="Plataformas de DataOps").first
                listing.locator("summary").click()  # show the passage with its highlighted quote
                page.get_by_text("DataKitchen", exact=True).first.wait_for(state="visible")
                page.wait_for_timeout(500)
                shot = artifacts_dir / "screenshot-ui.png"
                page.screenshot(path=str(shot), full_page=True)
            finally:
                browser.close()
        README_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, README_SCREENSHOT)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)
        log.close()
        (artifacts_dir / "timings.json").write_text(json.dumps(timings, indent=1))
    print(f"\nstreamlit start-up timings: {json.dumps({k: round(v, 2) for k, v in timings.items()})}")
