/* zhifa: the little script every page needs, as a file (the Content-Security-Policy allows no inline script).
   - the language menu switches as soon as a language is chosen;
   - a "返回" link marked data-back goes back in the browser's history when it has no address of its own. */
(function () {
  "use strict";
  document.querySelectorAll("form.lang select[name=language]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  document.querySelectorAll("a[data-back]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (window.history.length > 1) {
        event.preventDefault();
        window.history.back();
      }
    });
  });
})();
