/* Resumable evidence upload from the browser: the file goes in 8 MB pieces to /api/v1/evidence-uploads/, the
   upload id is remembered in localStorage, and after a dropped connection (or a closed tab, when the same file is
   chosen again) it continues from the byte the server last recorded. Without JavaScript the form posts normally. */
(function () {
  "use strict";
  var form = document.getElementById("evidence-form");
  if (!form || !window.fetch || !window.localStorage) return;
  var status = document.getElementById("upload-status");
  var d = form.dataset;
  var CHUNK = 8 * 1024 * 1024;
  // The API's refusal in words: its "detail", or each field's messages (a date in the wrong form, say).
  function problem(body) {
    if (body && body.detail) return body.detail;
    var parts = [];
    if (body && typeof body === "object") {
      Object.keys(body).forEach(function (k) {
        parts.push([].concat(body[k]).join(" "));
      });
    }
    return parts.length ? parts.join("；") : d.failed;
  }
  var csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;

  function say(text) { status.textContent = text; }
  function json(url, options) {
    options = options || {};
    options.headers = Object.assign({ "X-CSRFToken": csrf }, options.headers || {});
    options.credentials = "same-origin";
    return fetch(url, options).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) { return { ok: r.ok, body: body }; });
    });
  }
  function wait(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  form.addEventListener("submit", async function (ev) {
    var file = form.querySelector("[name=file]").files[0];
    if (!file) return;
    ev.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    var key = "zhifa-evidence-upload:" + d.case + ":" + file.name + ":" + file.size + ":" + file.lastModified;
    var id = localStorage.getItem(key);
    var offset = 0;
    if (id) {
      var known = await json(d.api + id + "/");
      if (known.ok && known.body.state === "open") { offset = known.body.received; } else { id = null; }
    }
    if (!id) {
      var made = await json(d.api, {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ case: Number(d.case), size: file.size, name: file.name }),
      });
      if (!made.ok) { say(problem(made.body)); button.disabled = false; return; }
      id = made.body.id;
      localStorage.setItem(key, id);
    }
    while (offset < file.size) {
      try {
        var sent = await json(d.api + id + "/", {
          method: "PUT", headers: { "Content-Type": "application/octet-stream", "Upload-Offset": String(offset) },
          body: file.slice(offset, offset + CHUNK),
        });
        if (!sent.ok) { say(problem(sent.body)); button.disabled = false; return; }
        offset = sent.body.received;
        say(d.progress + Math.floor((offset * 100) / file.size) + "%");
      } catch (e) {
        say(d.dropped);
        await wait(5000);
        try {
          var again = await json(d.api + id + "/");
          if (again.ok) offset = again.body.received;
        } catch (e2) { /* still offline: try again */ }
      }
    }
    var meta = {};
    new FormData(form).forEach(function (value, name) {
      // A field left empty is left out (the API's optional date, number and choice fields take no empty string).
      if (name !== "file" && name !== "csrfmiddlewaretoken" && value !== "") meta[name] = value;
    });
    say(d.checking);
    var done = await json(d.api + id + "/complete/", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(meta),
    });
    if (!done.ok) { say(problem(done.body)); button.disabled = false; return; }
    localStorage.removeItem(key);
    window.location.href = d.evidence.replace("0", String(done.body.id));
  });
})();
