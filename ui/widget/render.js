/* Fonte widget — rendering the conversation: question and error bubbles, an answer that grows
 * token by token with clickable [n] citations, its sources and the quoted passage, and the replay of
 * stored turns. Server text enters only through textContent / createTextNode.
 * Part of widget.js (see its top): uses el, sourceLabel, log and turns; defines userBubble,
 * errorBubble, Answer and replay. */
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
