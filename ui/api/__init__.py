"""HTTP API of Fonte (`fonte serve`): questions over HTTP/SSE, the embeddable widget, admin.

The API only parses input and renders output; answers come from `assistant.stream`. Rooms:

* `app`      — `create_app` (routes for asking and health) and `serve`
* `auth`     — who may ask: keys bound to origins, keyless loopback clients, rate limits
* `keys`     — the key store (`keys.json`, shared with `fonte keys`)
* `limits`   — per-minute rate limits (`limits`: memory, or Redis with `FONTE_REDIS_URL`)
               and the bounded generation gate
* `sse`      — one answer as JSON or Server-Sent Events (`sse-starlette`)
* `admin`    — `/api/admin/*`, only with `FONTE_ADMIN_TOKEN`
* `demo`     — `/widget.js` and the `/demo` page
* `edge`     — body caps, CORS and security headers before any route
* `errors`   — every refusal as `{"error": "<mensagem em português>"}`, never a traceback
* `state`, `settings` — what the routes share, and the `FONTE_*` API settings

Safe by default:

* `POST /api/ask` needs an API key (`X-Fonte-Key`) bound to the calling page's `Origin`
  (browsers always send it and pages cannot forge it). Requests that carry a key must carry
  an `Origin` too. CORS answers echo only allowed origins, never `*`.
* **Local use without a key**: a request with *no* `Origin`, *no* key and no browser
  `Sec-Fetch-*` headers, from a loopback client address and for a loopback `Host`
  (curl or a script on the same machine), is allowed. Browser requests always need a key.
* Rate limits per key and per client IP (the TCP peer; `X-Forwarded-For` is not trusted),
  shared by replicas through Redis; a bounded number of simultaneous generations and a
  bounded waiting queue (429 / 503 with `Retry-After`); caps on body and history sizes
  (the question's own limits are the pipeline's: `BadRequest` → 400).
* Admin endpoints exist only when `FONTE_ADMIN_TOKEN` is set (otherwise 404) and require
  `Authorization: Bearer <token>`.
"""

from ui.api.app import create_app, prepare, serve
from ui.api.settings import ApiSettings

__all__ = ["ApiSettings", "create_app", "prepare", "serve"]
