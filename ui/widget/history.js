/* Fonte widget — the conversation kept for the page session: turns in sessionStorage under
 * STORE, and the history sent with each question.
 * Part of widget.js (see its top): uses STORE and MAX_HISTORY; defines turns, load, save and history. */
var turns = load();

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
