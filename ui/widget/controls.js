/* Fonte widget — interaction: open and close (button, ✕, Esc), a new conversation, and sending a
 * question with Enter or the button.
 * Part of widget.js (see its top): uses the shell's nodes, turns, save, busy, ask, errorBubble and MSG. */
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
