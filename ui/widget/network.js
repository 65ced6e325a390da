/* Fonte widget — talking to the API: POST /api/ask with the key, the Server-Sent Events stream
 * parsed by hand (fetch, not EventSource, so the key travels in a header), and one message per
 * refusal (status + Retry-After) or failure.
 * Part of widget.js (see its top): uses BASE, KEY, MSG, send, turns, save, history, userBubble,
 * errorBubble and Answer; defines busy, refusal, diagnose, parseEvents and ask. */
var busy = false; // a question is on its way: the form waits

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
