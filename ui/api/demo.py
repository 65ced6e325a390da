"""The embeddable widget (`/widget.js`) and a demonstration page that uses it (`/demo`)."""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from ui.api.errors import ApiError

WIDGET_DIR = Path(__file__).resolve().parent.parent / "widget"
WIDGET_ENTRY = "widget.js"
"""The widget's entry in WIDGET_DIR; the parts it names are composed into it (see compose_widget)."""
_JS_PART = re.compile(r"^[ \t]*// @include ([\w-]+\.js)[ \t]*$", re.MULTILINE)
_CSS_PART = re.compile(r'"@include ([\w-]+\.css)"')
DEMO_CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
MAX_KEY_CHARS = 200
"""Longest `?key=` echoed into the demo page (real keys are ~35 characters)."""


def add_widget_routes(app: FastAPI) -> None:
    widget_bytes = compose_widget()  # once: the same bytes, and ETag, for every request
    widget_etag = '"' + hashlib.sha256(widget_bytes).hexdigest()[:32] + '"'

    @app.get("/widget.js", summary="O widget embutível (um <script>)", response_class=Response)
    async def widget(request: Request) -> Response:
        if not widget_bytes:
            raise ApiError(404, "widget.js não encontrado nesta instalação")
        headers = {
            "Cache-Control": "public, max-age=3600, must-revalidate",
            "ETag": widget_etag,
            "Cross-Origin-Resource-Policy": "cross-origin",
        }
        if widget_etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        return Response(widget_bytes, media_type="text/javascript; charset=utf-8", headers=headers)

    @app.get("/demo", summary="Página de exemplo com o widget", response_class=HTMLResponse)
    async def demo(key: str = "") -> HTMLResponse:
        return HTMLResponse(
            demo_page(key[:MAX_KEY_CHARS]),
            headers={"Content-Security-Policy": DEMO_CSP, "Cache-Control": "no-store"},
        )


def compose_widget(folder: Path = WIDGET_DIR) -> bytes:
    """The served `/widget.js`, one script without a build step: the entry with each `// @include
    NAME.js` line replaced by that file and each `"@include NAME.css"` string by that stylesheet as a
    JSON string literal. Empty when a file is missing (the route then answers 404)."""
    try:
        entry = (folder / WIDGET_ENTRY).read_text(encoding="utf-8")
        script = _JS_PART.sub(lambda m: (folder / m[1]).read_text(encoding="utf-8").rstrip("\n"), entry)
        script = _CSS_PART.sub(lambda m: json.dumps((folder / m[1]).read_text(encoding="utf-8")), script)
    except FileNotFoundError:
        return b""
    return script.encode("utf-8")


def demo_page(key: str) -> str:
    key_attr = html.escape(key, quote=True)
    if key:
        body = (
            "<p>Clique no botão no canto da página (ou use Tab até ele e Enter) e pergunte, "
            "por exemplo: <em>Quais ferramentas de DataOps o documento cita?</em></p>\n"
            f'<script src="/widget.js" data-fonte-key="{key_attr}" '
            'data-title="Pergunte ao documento" data-position="bottom-right" async></script>'
        )
    else:
        body = (
            "<p>Abra esta página com <code>?key=pk_…</code>, usando uma chave criada para a origem "
            "deste servidor:</p>\n<pre>fonte keys create --origin http://127.0.0.1:8000</pre>"
        )
    return f"""<!doctype html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fonte — demonstração do widget</title>
<style>body{{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;
line-height:1.5}}pre,code{{background:#f3f3f3;padding:.1rem .3rem;border-radius:4px}}</style>
</head>
<body>
<h1>Fonte — widget de perguntas</h1>
<p>Esta é uma página de exemplo que incorpora o widget com uma única tag
<code>&lt;script&gt;</code>. As respostas citam os trechos dos documentos.</p>
{body}
</body>
</html>
"""
