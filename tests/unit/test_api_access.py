"""Who may use the HTTP API: widget keys, origins and CORS, the admin token, the `fonte keys`
CLI, and the widget and demo page that carry a key."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from typer.testing import CliRunner

from assistant.pipeline import Assistant
from fonte.errors import BadRequest
from fonte.settings import Settings
from tests.unit.api_client import ORIGIN, REMOTE, ask, make_client
from ui.api import create_app
from ui.api.demo import compose_widget
from ui.api.keys import KeyStore, normalize_origin
from ui.api.settings import ApiSettings

WIDGET_DIR = Path(__file__).resolve().parents[2] / "ui" / "widget"


# --- keys, origins, CORS --------------------------------------------------------------------------


def test_unknown_missing_and_revoked_keys_are_401(settings: Settings, key: str) -> None:
    client = make_client(settings)
    assert ask(client, "pk_nao-existe").status_code == 401
    assert ask(client, None).status_code == 401  # a browser (Origin) without a key
    assert ask(client, None, origin=None).status_code == 401  # keyless but not from loopback
    assert ask(client, key).status_code == 200
    KeyStore(settings.data_dir).revoke(key)
    refused = ask(client, key)
    assert refused.status_code == 401 and "revogada" in refused.json()["error"]


def test_wrong_or_missing_origin_is_403_and_cors_never_echoes_it(settings: Settings, key: str) -> None:
    client = make_client(settings)
    wrong = ask(client, key, origin="https://intruso.example")
    assert wrong.status_code == 403
    assert "access-control-allow-origin" not in wrong.headers
    assert ask(client, key, origin=None).status_code == 403  # key requests must carry Origin
    other = KeyStore(settings.data_dir).create(["https://outra.example"], "default").key
    crossed = ask(client, other, origin=ORIGIN)  # allowed origin, but not for this key
    assert crossed.status_code == 403 and crossed.headers["access-control-allow-origin"] == ORIGIN
    ok = ask(client, key, origin="HTTPS://Loja.Example:443")
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] != "*"


def test_a_key_only_reaches_its_own_collection(settings: Settings, key: str) -> None:
    client = make_client(settings)
    assert ask(client, key, collection="default").status_code == 200
    denied = ask(client, key, collection="segredos")
    assert denied.status_code == 403 and "coleção" in denied.json()["error"]


def test_preflight_for_allowed_origins_only(settings: Settings, key: str) -> None:
    client = make_client(settings)
    request = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-fonte-key",
    }
    ok = client.options("/api/ask", headers={"Origin": ORIGIN, **request})
    assert ok.status_code == 204
    assert ok.headers["access-control-allow-origin"] == ORIGIN
    allowed = {h.strip().lower() for h in ok.headers["access-control-allow-headers"].split(",")}
    assert {"content-type", "x-fonte-key", "accept"} <= allowed
    assert "POST" in ok.headers["access-control-allow-methods"] and "Origin" in ok.headers["vary"]
    denied = client.options("/api/ask", headers={"Origin": "https://intruso.example", **request})
    assert denied.status_code == 403 and "access-control-allow-origin" not in denied.headers


def test_keyless_requests_are_allowed_only_from_loopback(settings: Settings) -> None:
    local = make_client(settings, client=("127.0.0.1", 5000), base_url="http://127.0.0.1:8000")
    assert ask(local, None, origin=None).status_code == 200
    assert ask(local, None, origin="http://127.0.0.1:8000").status_code == 401  # browsers need a key
    sneaky = local.post("/api/ask", json={"question": "oi"}, headers={"Sec-Fetch-Site": "same-origin"})
    assert sneaky.status_code == 401
    rebound = make_client(settings, client=("127.0.0.1", 5000), base_url="http://evil.example")
    assert ask(rebound, None, origin=None).status_code == 401  # DNS rebinding: Host is not loopback


def test_origins_are_normalized_and_validated() -> None:
    assert normalize_origin("https://Loja.Example:443/") == "https://loja.example"
    assert normalize_origin("http://127.0.0.1:8123") == "http://127.0.0.1:8123"
    for bad in ("loja.example", "ftp://x.example", "https://x.example/caminho", "*", "https://u:p@x.example"):
        with pytest.raises(BadRequest):
            normalize_origin(bad)
    assert normalize_origin("null", strict=False) == ""


# --- admin ----------------------------------------------------------------------------------------


def test_admin_is_404_without_a_token(settings: Settings) -> None:
    client = make_client(settings)
    assert client.get("/api/admin/keys").status_code == 404
    assert client.post("/api/admin/keys", json={"origins": [ORIGIN]}).status_code == 404
    assert client.delete("/api/admin/keys/pk_x", headers={"Authorization": "Bearer x"}).status_code == 404
    assert "/api/admin/keys" not in client.get("/openapi.json").json()["paths"]


def test_admin_token_guards_key_management_and_upload(settings: Settings, fake_collection: Any) -> None:
    app = create_app(
        settings,
        ApiSettings(admin_token=SecretStr("s3cret-token")),
        assistant_factory=lambda s: Assistant(s, collection=fake_collection),
    )
    client = TestClient(app, client=REMOTE)
    assert client.get("/api/admin/keys").status_code == 401
    wrong = client.get("/api/admin/keys", headers={"Authorization": "Bearer s3cret-tokem"})
    assert wrong.status_code == 401 and "www-authenticate" in wrong.headers
    auth = {"Authorization": "Bearer s3cret-token"}
    created = client.post("/api/admin/keys", json={"origins": [ORIGIN]}, headers=auth)
    assert created.status_code == 201 and created.json()["key"].startswith("pk_")
    listed = client.get("/api/admin/keys", headers=auth).json()
    assert [k["key"] for k in listed] == [created.json()["key"]]
    revoked = client.delete(f"/api/admin/keys/{created.json()['key']}", headers=auth)
    assert revoked.status_code == 200 and revoked.json()["revoked"]
    assert client.delete("/api/admin/keys/pk_nada", headers=auth).status_code == 404
    bad = client.post("/api/admin/keys", json={"origins": ["*"]}, headers=auth)
    assert bad.status_code == 400
    upload = client.post(
        "/api/admin/ingest",
        files={"file": ("../../../etc/notas secretas.txt", "A Fonte responde com citações.\n", "text/plain")},
        headers=auth,
    )
    assert upload.status_code == 200, upload.text
    assert upload.json()["name"] == "notas secretas.txt" and upload.json()["status"] == "ingested"
    assert (settings.data_dir / "uploads" / "default" / "notas secretas.txt").is_file()
    assert not (settings.data_dir.parent / "etc").exists()
    assert client.post("/api/admin/ingest", files={"file": ("x.exe", b"MZ")}, headers=auth).status_code == 422
    evil = client.post(
        "/api/admin/ingest", files={"file": ("a.txt", b"x")}, data={"collection": "../x"}, headers=auth
    )
    assert evil.status_code == 400


# --- widget, demo ---------------------------------------------------------------------------------


def test_widget_is_served_cacheable_small_and_never_uses_html_sinks(settings: Settings) -> None:
    client = make_client(settings)
    response = client.get("/widget.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "max-age" in response.headers["cache-control"] and response.headers["etag"]
    assert response.headers["x-content-type-options"] == "nosniff"
    again = client.get("/widget.js", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304
    source = response.text  # every part, composed
    assert len(gzip.compress(response.content, 9)) <= 15 * 1024
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in source, sink
    assert "new EventSource" not in source and "getReader" in source
    assert "http://" not in source.replace('"http://www.w3.org/2000/svg"', "")  # no CDN


def test_widget_is_one_script_composed_from_small_parts(settings: Settings) -> None:
    client = make_client(settings)
    first, second = client.get("/widget.js"), client.get("/widget.js")
    assert first.content == second.content and first.headers["etag"] == second.headers["etag"]
    served = first.text
    inside = served[served.index('"use strict";') : served.rindex("})();")]  # the one IIFE's body
    stylesheet = (WIDGET_DIR / "widget.css").read_text(encoding="utf-8")
    assert f"var CSS = {json.dumps(stylesheet)};" in served  # the styles, as one JS string
    sources = sorted(p for p in WIDGET_DIR.iterdir() if p.suffix in {".js", ".css"})
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert len(text.splitlines()) < 400, f"{path.name}: one job per file, under 400 lines"
        if path.suffix == ".js" and path.name != "widget.js":
            assert text.strip() in inside, f"{path.name} is not inside /widget.js's function"
    assert "@include" not in served.replace("`// @include NAME.js`", "")  # no placeholder left


def test_a_widget_part_missing_from_the_install_composes_nothing(tmp_path: Path) -> None:
    (tmp_path / "widget.js").write_text('(function () {\n  "use strict";\n  // @include gone.js\n})();\n')
    assert compose_widget(tmp_path) == b""  # so /widget.js answers 404, not a broken script


def test_demo_page_escapes_the_key(settings: Settings) -> None:
    client = make_client(settings)
    hostile = '"><script>alert(1)</script>'
    page = client.get("/demo", params={"key": hostile})
    assert page.status_code == 200 and "<script>alert(1)" not in page.text
    assert 'data-fonte-key="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "fonte keys create" in client.get("/demo").text


# --- CLI ------------------------------------------------------------------------------------------


def test_cli_keys_create_list_revoke(settings: Settings) -> None:
    from ui.cli import app

    runner = CliRunner()
    created = runner.invoke(app, ["keys", "create", "--origin", ORIGIN, "--origin", "http://127.0.0.1:8080"])
    assert created.exit_code == 0, created.output
    key = created.stdout.strip().splitlines()[0]
    assert key.startswith("pk_")
    record = KeyStore(settings.data_dir).get(key)
    assert record and record.origins == (ORIGIN, "http://127.0.0.1:8080") and record.collection == "default"
    listed = runner.invoke(app, ["keys", "list"])
    assert key in listed.stdout and "ativa" in listed.stdout
    assert runner.invoke(app, ["keys", "revoke", key]).exit_code == 0
    assert "revogada" in runner.invoke(app, ["keys", "list"]).stdout
    as_json = json.loads(runner.invoke(app, ["keys", "list", "--json"]).stdout)
    assert as_json[0]["revoked"] is True
    bad = runner.invoke(app, ["keys", "create", "--origin", "loja.example"])
    assert bad.exit_code == 2
    assert runner.invoke(app, ["keys", "revoke", "pk_nada"]).exit_code == 2
    stat = (settings.data_dir / "keys.json").stat()
    assert stat.st_mode & 0o077 == 0
