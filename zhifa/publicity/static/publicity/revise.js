/* zhifa: the reviewer marks more text to remove by selecting it in the original (the form works without this:
   type the text into the box). */
(function () {
  "use strict";
  var button = document.getElementById("add-selection");
  var box = document.getElementById("add-removal");
  var original = document.getElementById("original-text");
  if (!button || !box || !original) return;
  button.hidden = false;
  document.getElementById("selection-hint").hidden = false;
  button.addEventListener("click", function () {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || !original.contains(sel.getRangeAt(0).commonAncestorContainer)) return;
    var text = sel.toString().replace(/\s+/g, " ").trim();
    if (!text) return;
    var lines = box.value.split("\n").filter(function (l) { return l.trim(); });
    if (lines.indexOf(text) < 0) lines.push(text);
    box.value = lines.join("\n");
    sel.removeAllRanges();
  });
})();
