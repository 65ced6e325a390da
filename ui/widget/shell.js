/* Fonte widget — the shell: text-only DOM helpers, and the launcher button and the dialog
 * (header, conversation log, question form) inside a shadow root styled by CSS.
 * Part of widget.js (see its top): uses TITLE, LEFT, CSS and MAX_CHARS from there; defines el,
 * clear, sourceLabel and the nodes host, launch, panel, reset, close, log, form, input and send. */
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

var root = el("div", { class: LEFT ? "root left" : "root" });
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
