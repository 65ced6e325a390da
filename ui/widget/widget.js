/*! Fonte — widget de perguntas com citações. Sem dependências, sem build.
 * <script src="https://HOST/widget.js" data-fonte-key="pk_…" data-title="Pergunte ao documento"
 *         data-position="bottom-right" async></script>
 * Segurança: todo texto vindo do servidor (respostas, trechos, nomes) entra no DOM por
 * textContent / createTextNode — nunca como HTML.
 */
(function () {
  "use strict";
  if (window.__fonteWidget) return;
  window.__fonteWidget = true;

  var script = document.currentScript || document.querySelector("script[data-fonte-key]");
  if (!script) return;
  var KEY = script.getAttribute("data-fonte-key") || "";
  var TITLE = script.getAttribute("data-title") || "Pergunte ao documento";
  var LEFT = (script.getAttribute("data-position") || "bottom-right") === "bottom-left";
  var src = new URL(script.src, location.href);
  var BASE = src.origin + src.pathname.replace(/\/[^\/]*$/, "");
  var STORE = "fonte:" + BASE + ":" + KEY;
  var MAX_HISTORY = 20;
  var MAX_CHARS = 2000;

  var MSG = {
    401: "A chave deste assistente é inválida ou foi revogada. Avise o responsável pelo site.",
    403: "Este site não está autorizado a usar este assistente.",
    413: "A pergunta é longa demais — resuma, por favor.",
    429: "Muitas perguntas em pouco tempo. Tente de novo em {s} s.",
    503: "O assistente está ocupado agora. Tente de novo em {s} s.",
    net: "Não foi possível conectar ao assistente. Verifique a sua conexão e tente de novo.",
    fail: "Algo deu errado ao responder. Tente de novo.",
  };

  var CSS =
    ".root{all:initial;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;" +
    "color:#1d2330}" +
    ".root *{box-sizing:border-box;font:inherit;color:inherit;letter-spacing:normal;text-transform:none}" +
    ".launch{position:fixed;bottom:20px;" + (LEFT ? "left" : "right") + ":20px;z-index:2147483646;" +
    "display:flex;align-items:center;gap:8px;height:52px;padding:0 18px;border:0;border-radius:26px;" +
    "background:#1f5eff;color:#fff;font-size:15px;font-weight:600;cursor:pointer;" +
    "box-shadow:0 6px 20px rgba(0,0,0,.25)}" +
    ".launch:focus-visible,.root button:focus-visible,textarea:focus-visible{outline:3px solid #ffb300;" +
    "outline-offset:2px}" +
    ".panel{position:fixed;bottom:84px;" + (LEFT ? "left" : "right") + ":12px;z-index:2147483647;" +
    "width:min(400px,calc(100vw - 24px));height:min(600px,calc(100vh - 100px));display:flex;" +
    "flex-direction:column;background:#fff;border:1px solid #d5dae3;border-radius:14px;overflow:hidden;" +
    "box-shadow:0 12px 40px rgba(0,0,0,.28)}" +
    ".panel[hidden]{display:none}" +
    ".head{display:flex;align-items:center;gap:8px;padding:10px 12px;background:#1f5eff;color:#fff}" +
    ".head h2{flex:1;margin:0;font-size:16px;font-weight:700;color:#fff}" +
    ".head button{background:transparent;border:1px solid rgba(255,255,255,.6);color:#fff;" +
    "border-radius:8px;padding:4px 8px;font-size:13px;cursor:pointer}" +
    ".log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:10px;" +
    "background:#f6f7fb}" +
    ".msg{max-width:92%;padding:9px 12px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word;" +
    "overflow-wrap:anywhere}" +
    ".user{align-self:flex-end;background:#1f5eff;color:#fff}" +
    ".bot{align-self:flex-start;background:#fff;border:1px solid #e0e4ec}" +
    ".abst{background:#fff8e6;border-color:#f0d48a}" +
    ".abst .tag,.err .tag{display:block;font-size:12px;font-weight:700;margin-bottom:4px}" +
    ".err{align-self:stretch;background:#fdecec;border:1px solid #f2b8b8;color:#8a1c1c}" +
    ".cite{display:inline;border:0;background:#e7edff;color:#1f3fbf;border-radius:5px;padding:0 4px;" +
    "margin:0 1px;font-size:13px;font-weight:700;cursor:pointer;vertical-align:baseline}" +
    ".srcs{margin:8px 0 0;padding:6px 0 0;border-top:1px solid #eceff4;font-size:13px;list-style:none}" +
    ".srcs li{margin:2px 0}.srcs button{border:0;background:none;padding:0;text-align:left;" +
    "color:#1f3fbf;text-decoration:underline;cursor:pointer;font-size:13px}" +
    ".quote{margin:8px 0 0;padding:8px 10px;border-left:4px solid #1f5eff;background:#f1f4ff;" +
    "border-radius:6px;font-size:13px}" +
    ".quote b{display:block;margin-bottom:4px}.quote p{margin:0;font-style:italic}" +
    ".quote button{margin-top:6px;border:1px solid #b9c3e6;background:#fff;border-radius:6px;" +
    "padding:2px 8px;font-size:12px;cursor:pointer}" +
    ".busy{font-size:13px;color:#5a6272;font-style:italic}" +
    "form{display:flex;gap:8px;padding:10px;border-top:1px solid #e0e4ec;background:#fff}" +
    "textarea{flex:1;resize:none;height:44px;max-height:120px;padding:10px;border:1px solid #b8c0cf;" +
    "border-radius:10px;font-size:15px;background:#fff;color:#1d2330}" +
    "form button{border:0;border-radius:10px;padding:0 14px;background:#1f5eff;color:#fff;" +
    "font-weight:600;font-size:15px;cursor:pointer}form button[disabled]{opacity:.55;cursor:default}" +
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}" +
    "@media (max-width:480px){.panel{left:8px;right:8px;width:auto;bottom:76px;" +
    "height:calc(100vh - 92px)}.launch{bottom:12px}}";

  // ---- DOM helpers (text only) -----------------------------------------------------------
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) for (var name in attrs) node.setAttribute(name, attrs[name]);
    if (text != null) node.textContent = String(text);
    return node;
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }
  function sourceLabel(c) {
    // the server's label ("[1] manual.pdf — Limpeza, p. 3"): one format on every way in
    return String(c.label || "[" + c.n + "]");
  }

  // ---- shell ------------------------------------------------------------------------------
  var host = document.createElement("fonte-widget");
  var hs = host.style;
  hs.setProperty("all", "initial", "important");
  hs.setProperty("display", "block", "important");
  hs.setProperty("position", "static", "important");
  var shadow = host.attachShadow({ mode: "open" });
  var sheetDone = false;
  try {
    if (shadow.adoptedStyleSheets !== undefined && typeof CSSStyleSheet === "function") {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      shadow.adoptedStyleSheets = [sheet];
      sheetDone = true;
    }
  } catch (e) {
    sheetDone = false;
  }
  if (!sheetDone) shadow.appendChild(el("style", null, CSS));

  var root = el("div", { class: "root" });
  var uid = "fonte-" + Math.random().toString(36).slice(2, 8);
  var launch = el("button", {
    type: "button",
    class: "launch",
    "aria-haspopup": "dialog",
    "aria-expanded": "false",
    "aria-controls": uid + "-panel",
  });
  var icon = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  icon.setAttribute("width", "20");
  icon.setAttribute("height", "20");
  icon.setAttribute("viewBox", "0 0 24 24");
  icon.setAttribute("aria-hidden", "true");
  var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("fill", "currentColor");
  path.setAttribute("d", "M4 4h16v12H7l-3 3V4zm4 5h8v2H8V9zm0-3h8v2H8V6z");
  icon.appendChild(path);
  launch.appendChild(icon);
  launch.appendChild(el("span", null, TITLE));

  var panel = el("div", {
    class: "panel",
    id: uid + "-panel",
    role: "dialog",
    "aria-modal": "false",
    "aria-labelledby": uid + "-title",
  });
  panel.hidden = true;
  var head = el("div", { class: "head" });
  head.appendChild(el("h2", { id: uid + "-title" }, TITLE));
  var reset = el("button", { type: "button", "aria-label": "Nova conversa" }, "Nova conversa");
  var close = el("button", { type: "button", "aria-label": "Fechar o assistente" }, "✕");
  head.appendChild(reset);
  head.appendChild(close);
  var log = el("div", {
    class: "log",
    role: "log",
    "aria-live": "polite",
    "aria-relevant": "additions text",
    "aria-label": "Conversa",
    tabindex: "0",
  });
  var form = el("form", { "aria-label": "Enviar pergunta" });
  var label = el("label", { class: "sr", for: uid + "-q" }, "Sua pergunta");
  var input = el("textarea", {
    id: uid + "-q",
    rows: "1",
    maxlength: String(MAX_CHARS),
    placeholder: "Escreva sua pergunta…",
    autocomplete: "off",
  });
  var send = el("button", { type: "submit" }, "Enviar");
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(send);
  panel.appendChild(head);
  panel.appendChild(log);
  panel.appendChild(form);
  root.appendChild(launch);
  root.appendChild(panel);
  shadow.appendChild(root);

  // ---- conversation (page session) ------------------------------------------------------------
  var turns = load();
  var busy = false;

  function load() {
    try {
      var data = JSON.parse(sessionStorage.getItem(STORE) || "[]");
      return Array.isArray(data) ? data : [];
    } catch (e) {
      return [];
    }
  }
  function save() {
    try {
      sessionStorage.setItem(STORE, JSON.stringify(turns.slice(-MAX_HISTORY)));
    } catch (e) {
      /* storage full or blocked: keep the conversation in memory only */
    }
  }
  function history() {
    return turns
      .filter(function (t) {
        return t.role === "user" || (t.role === "assistant" && !t.error);
      })
      .slice(-MAX_HISTORY)
      .map(function (t) {
        return { role: t.role, content: String(t.content).slice(0, 4000) };
      });
  }

  // ---- rendering ----------------------------------------------------------------------------------
  function scroll() {
    log.scrollTop = log.scrollHeight;
  }

  function userBubble(text) {
    var node = el("div", { class: "msg user" });
    node.appendChild(el("span", { class: "sr" }, "Você: "));
    node.appendChild(document.createTextNode(text));
    log.appendChild(node);
    scroll();
  }

  function errorBubble(text) {
    var node = el("div", { class: "msg err", role: "alert" });
    node.appendChild(el("span", { class: "tag" }, "Não foi possível responder"));
    node.appendChild(document.createTextNode(text));
    log.appendChild(node);
    scroll();
  }

  function Answer() {
    this.node = el("div", { class: "msg bot", "aria-busy": "true" });
    this.node.appendChild(el("span", { class: "sr" }, "Assistente: "));
    this.body = el("div");
    this.node.appendChild(this.body);
    this.wait = el("span", { class: "busy" }, "Procurando nos documentos…");
    this.body.appendChild(this.wait);
    this.citations = {};
    this.quote = null;
    log.appendChild(this.node);
    scroll();
  }
  Answer.prototype.add = function (text) {
    if (this.wait) {
      this.body.removeChild(this.wait);
      this.wait = null;
    }
    var self = this;
    String(text)
      .split(/(\[\d+\])/)
      .forEach(function (part) {
        var m = /^\[(\d+)\]$/.exec(part);
        if (!m) {
          if (part) self.body.appendChild(document.createTextNode(part));
          return;
        }
        var n = m[1];
        var b = el("button", { type: "button", class: "cite", "aria-label": "Ver trecho citado " + n }, "[" + n + "]");
        b.addEventListener("click", function () {
          self.show(n, b);
        });
        self.body.appendChild(b);
      });
    scroll();
  };
  Answer.prototype.sources = function (list) {
    var self = this;
    (list || []).forEach(function (c) {
      self.citations[String(c.n)] = c;
    });
    if (!list || !list.length) return;
    var ul = el("ul", { class: "srcs", "aria-label": "Fontes" });
    list.forEach(function (c) {
      var li = el("li");
      var b = el("button", { type: "button" }, sourceLabel(c));
      b.addEventListener("click", function () {
        self.show(String(c.n), b);
      });
      li.appendChild(b);
      ul.appendChild(li);
    });
    this.node.appendChild(ul);
    scroll();
  };
  Answer.prototype.show = function (n, opener) {
    var c = this.citations[n];
    if (!c) return;
    if (this.quote) this.node.removeChild(this.quote);
    var box = el("div", { class: "quote", role: "region", tabindex: "-1", "aria-label": "Trecho citado " + n });
    box.appendChild(el("b", null, sourceLabel(c)));
    box.appendChild(el("p", null, "“" + String(c.quote || "").replace(/\s+/g, " ").trim() + "”"));
    var hide = el("button", { type: "button" }, "Fechar trecho");
    var self = this;
    hide.addEventListener("click", function () {
      self.node.removeChild(box);
      self.quote = null;
      if (opener && opener.isConnected) opener.focus();
    });
    box.appendChild(hide);
    this.node.appendChild(box);
    this.quote = box;
    box.focus();
    box.scrollIntoView({ block: "nearest" });
  };
  Answer.prototype.finish = function (payload) {
    this.node.removeAttribute("aria-busy");
    if (this.wait) {
      this.body.removeChild(this.wait);
      this.wait = null;
    }
    if (payload && payload.abstained) {
      this.node.classList.add("abst");
      this.node.insertBefore(el("span", { class: "tag" }, "Sem resposta nos documentos"), this.body);
    }
  };
  Answer.prototype.fail = function () {
    if (this.node.parentNode) this.node.parentNode.removeChild(this.node);
  };

  function replay() {
    turns.forEach(function (t) {
      if (t.role === "user") userBubble(t.content);
      else if (t.error) errorBubble(t.content);
      else {
        var a = new Answer();
        a.add(t.content);
        a.sources(t.citations);
        a.finish(t);
      }
    });
  }

  // ---- network ----------------------------------------------------------------------------------------
  function refusal(status, retry) {
    var text = MSG[status];
    if (!text) return null;
    return text.replace("{s}", String(parseInt(retry, 10) || 5));
  }

  // fetch rejects with no status when CORS refuses the origin: tell that apart from "offline"
  function diagnose() {
    return fetch(BASE + "/api/health", { mode: "no-cors", cache: "no-store" }).then(
      function () {
        return MSG[403];
      },
      function () {
        return MSG.net;
      }
    );
  }

  function parseEvents(buffer, onEvent) {
    var parts = buffer.split(/\r?\n\r?\n/);
    var rest = parts.pop();
    parts.forEach(function (block) {
      var name = "message";
      var data = [];
      block.split(/\r?\n/).forEach(function (line) {
        if (line.indexOf("event:") === 0) name = line.slice(6).trim();
        else if (line.indexOf("data:") === 0) data.push(line.slice(5).replace(/^ /, ""));
      });
      if (!data.length) return;
      try {
        onEvent(name, JSON.parse(data.join("\n")));
      } catch (e) {
        /* ignore a malformed event */
      }
    });
    return rest;
  }

  function ask(question) {
    busy = true;
    send.disabled = true;
    var prior = history();
    turns.push({ role: "user", content: question });
    save();
    userBubble(question);
    var answer = new Answer();
    var text = "";
    var finished = false;

    function stop(message) {
      answer.fail();
      errorBubble(message);
      turns.push({ role: "assistant", content: message, error: true });
      save();
    }
    function onEvent(name, data) {
      if (name === "token" && data && typeof data.text === "string") {
        text += data.text;
        answer.add(data.text);
      } else if (name === "citations") {
        answer.sources(Array.isArray(data) ? data : []);
      } else if (name === "done") {
        finished = true;
        answer.finish(data);
        turns.push({
          role: "assistant",
          content: (data && data.answer) || text,
          citations: (data && data.citations) || [],
          abstained: !!(data && data.abstained),
        });
        save();
      } else if (name === "error") {
        finished = true;
        stop((data && data.message) || MSG.fail);
      }
    }

    return fetch(BASE + "/api/ask", {
      method: "POST",
      mode: "cors",
      credentials: "omit",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream", "X-Fonte-Key": KEY },
      body: JSON.stringify({ question: question, history: prior }),
    })
      .then(
        function (res) {
          if (!res.ok) {
            return res
              .json()
              .catch(function () {
                return {};
              })
              .then(function (body) {
                finished = true;
                stop(refusal(res.status, res.headers.get("Retry-After")) || (body && body.error) || MSG.fail);
              });
          }
          if (!res.body || !res.body.getReader) {
            return res.text().then(function (all) {
              parseEvents(all + "\n\n", onEvent);
            });
          }
          var reader = res.body.getReader();
          var decoder = new TextDecoder();
          var buffer = "";
          function pump() {
            return reader.read().then(function (step) {
              if (step.done) {
                parseEvents(buffer + decoder.decode() + "\n\n", onEvent);
                return;
              }
              buffer = parseEvents(buffer + decoder.decode(step.value, { stream: true }), onEvent);
              return pump();
            });
          }
          return pump();
        },
        function () {
          return diagnose().then(function (message) {
            finished = true;
            stop(message);
          });
        }
      )
      .catch(function () {
        if (!finished) {
          finished = true;
          stop(MSG.net);
        }
      })
      .then(function () {
        if (!finished) stop(MSG.fail);
        busy = false;
        send.disabled = false;
      });
  }

  // ---- interaction --------------------------------------------------------------------------------------
  function open() {
    panel.hidden = false;
    launch.setAttribute("aria-expanded", "true");
    scroll();
    input.focus();
  }
  function shut() {
    panel.hidden = true;
    launch.setAttribute("aria-expanded", "false");
    launch.focus();
  }
  launch.addEventListener("click", function () {
    if (panel.hidden) open();
    else shut();
  });
  close.addEventListener("click", shut);
  reset.addEventListener("click", function () {
    turns = [];
    save();
    clear(log);
    input.focus();
  });
  panel.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      e.preventDefault();
      shut();
    }
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    submit();
  });
  function submit() {
    var q = input.value.trim();
    if (!q || busy) return;
    if (q.length > MAX_CHARS) {
      errorBubble(MSG[413]);
      return;
    }
    input.value = "";
    ask(q);
  }

  replay();
  function mount() {
    (document.body || document.documentElement).appendChild(host);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
