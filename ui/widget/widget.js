/*! Fonte — widget de perguntas com citações. Sem dependências, sem build.
 * <script src="https://HOST/widget.js" data-fonte-key="pk_…" data-title="Pergunte ao documento"
 *         data-position="bottom-right" async></script>
 * Segurança: todo texto vindo do servidor (respostas, trechos, nomes) entra no DOM por
 * textContent / createTextNode — nunca como HTML.
 */
/* How this file becomes /widget.js (no build step): ui/api/demo.py serves it once composed, with
 * each `// @include NAME.js` line replaced by that file of this folder, in this order, and the
 * string assigned to CSS replaced by widget.css as a JSON string literal. Every part is valid
 * JavaScript on its own, but only the composed script works: the parts share this IIFE's scope.
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

  var CSS = "@include widget.css";

  // @include shell.js
  // @include history.js
  // @include render.js
  // @include network.js
  // @include controls.js

  replay();
  function mount() {
    (document.body || document.documentElement).appendChild(host);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
