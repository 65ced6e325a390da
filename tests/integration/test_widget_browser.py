"""The embeddable widget in real headless Chromium, on a hostile host page of another origin.

`fonte serve` runs as a subprocess over the bundled document plus a document that contains
`<script>` text; host pages are served by stdlib http.server on two other ports (one allowed
by the key, one not).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, CORPUS, REPO, fonte_server, free_port, run_module

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DATAOPS = "Quais ferramentas de DataOps o documento cita?"
SCRIPT_QUESTION = "O que o widget faz com o trecho malicioso de script?"
SCRIPT_DOC = """+ Segurança do widget +

O widget de perguntas trata o conteúdo dos documentos como texto simples. Um documento de teste \
contém o trecho malicioso <script>window.__pwned=1</script> e o widget mostra esse trecho como \
texto, sem executar o script.
"""
HOSTILE_PAGE = """<!doctype html>
<html lang="pt-BR"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Loja com CSS hostil</title>
<style>
* {{ all: unset; font-size: 40px !important }}
button {{ background: red !important; color: yellow !important }}
div {{ display: none !important }}
fonte-widget {{ display: none !important }}
</style></head>
<body><a href="#topo">Início da loja</a><p>Produtos e um CSS agressivo.</p>
<script src="{api}/widget.js" data-fonte-key="{key}" data-title="Pergunte ao documento"
 data-position="bottom-right" async></script>
</body></html>
"""

SHADOW = "document.querySelector('fonte-widget').shadowRoot"


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = run_module("ui.cli", *args, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    return result


class _Page(BaseHTTPRequestHandler):
    html = b""

    def do_GET(self) -> None:
        body = self.html if self.path.split("?")[0] == "/" else b"nada"
        self.send_response(200 if body != b"nada" else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def host_page(html: str) -> tuple[ThreadingHTTPServer, str]:
    handler = type("Page", (_Page,), {"html": html.encode()})
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def api(tmp_path: Path, artifacts_dir: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """`fonte serve` on a free port, over the bundled corpus plus the <script> document."""
    env = {**os.environ, "FONTE_BACKEND": "extractive", "PYTHONUNBUFFERED": "1"}
    doc = tmp_path / "docs" / "seguranca_do_widget.txt"
    doc.parent.mkdir()
    doc.write_text(SCRIPT_DOC, encoding="utf-8")
    cli(env, "ingest", str(CORPUS), str(doc))
    with fonte_server(env, artifacts_dir / "server.log") as (base, _pid):
        yield base, env


def shadow_eval(page: Any, expression: str) -> Any:
    return page.evaluate(f"(() => {{ const s = {SHADOW}; return {expression}; }})()")


def open_with_keyboard(page: Any) -> None:
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.tagName") == "FONTE-WIDGET":
            break
    assert shadow_eval(page, "s.activeElement && s.activeElement.className") == "launch"
    page.keyboard.press("Enter")
    assert shadow_eval(page, "s.activeElement && s.activeElement.tagName") == "TEXTAREA"


def ask(page: Any, question: str, answers_before: int) -> Any:
    page.keyboard.type(question)
    page.keyboard.press("Enter")
    answer = page.locator("fonte-widget .msg.bot").nth(answers_before)
    answer.locator(".srcs").wait_for(state="visible", timeout=180_000)
    return answer


def test_widget_on_a_hostile_page_of_another_origin(
    api: tuple[str, dict[str, str]], artifacts_dir: Path
) -> None:
    from playwright.sync_api import sync_playwright

    base, env = api
    allowed_server, allowed = host_page("")
    denied_server, denied = host_page("")
    try:
        key = cli(env, "keys", "create", "--origin", allowed, "--collection", "default").stdout.strip()
        assert key.startswith("pk_")
        page_html = HOSTILE_PAGE.format(api=base, key=key).encode()
        allowed_server.RequestHandlerClass.html = page_html  # type: ignore[attr-defined]
        denied_server.RequestHandlerClass.html = page_html  # type: ignore[attr-defined]

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 860})
                errors: list[str] = []
                page.on("pageerror", lambda e: errors.append(str(e)))
                streams: list[str] = []
                page.on(
                    "response",
                    lambda r: (
                        streams.append(r.headers.get("content-type", "")) if "/api/ask" in r.url else None
                    ),
                )
                page.goto(allowed + "/")
                page.wait_for_function("!!document.querySelector('fonte-widget')")

                # hostile CSS cannot hide or restyle the widget
                launcher = page.locator("fonte-widget .launch")
                assert launcher.is_visible()
                assert shadow_eval(page, "getComputedStyle(s.querySelector('.launch')).fontSize") == "15px"

                open_with_keyboard(page)
                dialog = page.locator("fonte-widget [role=dialog]")
                assert dialog.is_visible() and dialog.get_attribute("aria-labelledby")
                assert page.locator("fonte-widget [aria-live=polite]").count() == 1

                first = ask(page, DATAOPS, 0)
                assert "DataKitchen" in first.inner_text()
                assert any(c.startswith("text/event-stream") for c in streams), streams
                sources = first.locator(".srcs").inner_text()
                assert sources.startswith("[1] mlops_dataops_fundamentos.txt — ")  # the payload's label
                assert " — ," not in sources
                first.locator("button.cite").first.click()
                quote = first.locator(".quote")
                assert quote.is_visible() and "“" in quote.inner_text()
                assert shadow_eval(page, "s.activeElement && s.activeElement.className") == "quote"
                page.screenshot(path=str(artifacts_dir / "widget-resposta.png"))
                docs = REPO / "docs"
                docs.mkdir(exist_ok=True)
                shutil.copy(artifacts_dir / "widget-resposta.png", docs / "screenshot-widget.png")

                # a document containing <script> is shown as text, never executed
                page.locator("fonte-widget textarea").focus()
                second = ask(page, SCRIPT_QUESTION, 1)
                assert "<script>window.__pwned=1</script>" in second.inner_text()
                second.locator("button.cite").first.click()
                assert "<script>window.__pwned=1</script>" in second.locator(".quote").inner_text()
                assert page.evaluate("typeof window.__pwned") == "undefined"
                assert shadow_eval(page, "s.querySelectorAll('script').length") == 0
                page.screenshot(path=str(artifacts_dir / "widget-script-como-texto.png"))

                # Esc closes and gives focus back to the button
                page.keyboard.press("Escape")
                assert not dialog.is_visible()
                assert shadow_eval(page, "s.activeElement && s.activeElement.className") == "launch"

                # the conversation survives a reload (sessionStorage) and is sent as history
                page.reload()
                page.wait_for_function("!!document.querySelector('fonte-widget')")
                page.locator("fonte-widget .launch").click()
                assert page.locator("fonte-widget .msg.user").count() == 2
                assert page.evaluate("typeof window.__pwned") == "undefined"
                assert not errors, errors

                # a 360-px phone
                phone = browser.new_page(viewport={"width": 360, "height": 740}, is_mobile=True)
                phone.goto(allowed + "/")
                phone.wait_for_function("!!document.querySelector('fonte-widget')")
                phone.locator("fonte-widget .launch").click()
                box = phone.locator("fonte-widget [role=dialog]").bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360 and box["width"] >= 300
                phone.screenshot(path=str(artifacts_dir / "widget-celular-360.png"))

                # a host origin the key does not allow sees a clear refusal
                other = browser.new_page(viewport={"width": 1280, "height": 860})
                other.goto(denied + "/")
                other.wait_for_function("!!document.querySelector('fonte-widget')")
                open_with_keyboard(other)
                other.keyboard.type(DATAOPS)
                other.keyboard.press("Enter")
                refusal = other.locator("fonte-widget .msg.err")
                refusal.wait_for(state="visible", timeout=60_000)
                assert "não está autorizado" in refusal.inner_text()
                assert other.locator("fonte-widget .msg.bot").count() == 0
                other.screenshot(path=str(artifacts_dir / "widget-origem-recusada.png"))
            finally:
                browser.close()
    finally:
        allowed_server.shutdown()
        denied_server.shutdown()
        allowed_server.server_close()
        denied_server.server_close()
