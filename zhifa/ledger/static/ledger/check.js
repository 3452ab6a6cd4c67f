/* zhifa: check a ledger entry in the browser, with nothing but the agency's published key.
   Same rules as zhifa/ledger/verify_bundle.py: the checkpoint is a C2SP signed note (Ed25519), leaves are
   SHA-256(0x00 || entry), nodes SHA-256(0x01 || left || right), inclusion proofs as RFC 9162 2.1.3.2.
   No library, no network beyond this site's public ledger API. */
(function () {
  "use strict";
  if (!document.getElementById("ledger-words")) return;
  var W = JSON.parse(document.getElementById("ledger-words").textContent);
  var LOGS = JSON.parse(document.getElementById("ledger-logs").textContent);
  var enc = new TextEncoder();

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, k) { return values[k] === undefined ? "" : String(values[k]); });
  }
  function hex(bytes) {
    return Array.prototype.map.call(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }
  function unhex(text) {
    if (!/^([0-9a-f]{2})*$/i.test(text)) throw new Error("hex");
    var out = new Uint8Array(text.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(text.substr(i * 2, 2), 16);
    return out;
  }
  function unb64(text) {
    var s = atob(text), out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }
  function concat(parts) {
    var n = 0, i, off = 0;
    for (i = 0; i < parts.length; i++) n += parts[i].length;
    var out = new Uint8Array(n);
    for (i = 0; i < parts.length; i++) { out.set(parts[i], off); off += parts[i].length; }
    return out;
  }
  function same(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  async function sha256(bytes) { return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)); }
  function leafHash(body) { return sha256(concat([new Uint8Array([0]), body])); }
  function nodeHash(l, r) { return sha256(concat([new Uint8Array([1]), l, r])); }

  async function rootFromProof(index, size, leaf, proof) {
    if (!(index >= 0 && index < size) || leaf.length !== 32) return null;
    var fn = index, sn = size - 1, r = leaf;
    for (var i = 0; i < proof.length; i++) {
      var p = proof[i];
      if (sn === 0 || p.length !== 32) return null;
      if ((fn & 1) || fn === sn) {
        r = await nodeHash(p, r);
        if (!(fn & 1)) { while (fn && !(fn & 1)) { fn = fn >>> 1; sn = sn >>> 1; } }
      } else {
        r = await nodeHash(r, p);
      }
      fn = fn >>> 1; sn = sn >>> 1;
    }
    return sn === 0 ? r : null;
  }

  function parseKey(vkey) {
    var line = vkey.trim(), a = line.indexOf("+"), b = line.indexOf("+", a + 1);
    var raw = unb64(line.slice(b + 1));
    return { name: line.slice(0, a), id: line.slice(a + 1, b).toLowerCase(), type: raw[0], key: raw.slice(1), raw: raw };
  }

  // The signed note: its text (what was signed) and the signature lines.
  function parseNote(note) {
    var split = note.lastIndexOf("\n\n");
    if (split < 0 || note.slice(-1) !== "\n") throw new Error(W.bad_checkpoint);
    var text = note.slice(0, split + 1), sigs = [];
    note.slice(split + 2).split("\n").forEach(function (line) {
      if (!line) return;
      var parts = line.slice(2).split(" ");
      if (line.charAt(0) !== "\u2014" || parts.length !== 2) throw new Error(W.bad_checkpoint);
      var raw = unb64(parts[1]);
      sigs.push({ name: parts[0], id: hex(raw.slice(0, 4)), sig: raw.slice(4) });
    });
    var lines = text.split("\n");
    var checkpoint = { origin: lines[0], size: parseInt(lines[1], 10), root: unb64(lines[2]), time: "" };
    lines.slice(3).forEach(function (l) { if (l.indexOf("time ") === 0) checkpoint.time = l.slice(5); });
    if (!(checkpoint.size >= 0) || checkpoint.root.length !== 32) throw new Error(W.bad_checkpoint);
    return { text: text, sigs: sigs, checkpoint: checkpoint };
  }

  // Returns true (verified), false (a bad signature) or null (this browser cannot check this kind of key).
  async function checkSignature(note, key) {
    var own = note.sigs.filter(function (s) { return s.name === key.name && s.id === key.id; });
    if (!own.length) return false;
    if (key.type !== 1 || key.key.length !== 32) return null; // SM2: the Python verifier checks it
    var expected = hex((await sha256(concat([enc.encode(key.name + "\n"), key.raw]))).slice(0, 4));
    if (expected !== key.id) return false;
    try {
      var k = await crypto.subtle.importKey("raw", key.key, { name: "Ed25519" }, false, ["verify"]);
      for (var i = 0; i < own.length; i++) {
        if (!(await crypto.subtle.verify({ name: "Ed25519" }, k, own[i].sig, enc.encode(note.text)))) return false;
      }
      return true;
    } catch (e) {
      return null;
    }
  }

  function report(box, steps, ok, extra) {
    box.innerHTML = "";
    box.className = "result " + (ok === true ? "ok" : "bad");
    var h = document.createElement("p");
    h.innerHTML = "<strong></strong>";
    h.firstChild.textContent = ok === true ? W.passed : (ok === null ? W.partly : W.failed);
    box.appendChild(h);
    var ol = document.createElement("ol");
    steps.forEach(function (s) {
      var li = document.createElement("li");
      li.textContent = (s[0] === true ? "\u2713 " : s[0] === null ? "? " : "\u2717 ") + s[1];
      ol.appendChild(li);
    });
    box.appendChild(ol);
    if (extra) box.appendChild(extra);
    box.focus();
  }

  function logFor(origin) {
    for (var i = 0; i < LOGS.length; i++) if (LOGS[i].origin === origin) return LOGS[i];
    return null;
  }

  async function checkBundle(text) {
    var steps = [], bundle;
    try { bundle = JSON.parse(text); } catch (e) { return [[[false, W.not_json]], false]; }
    if (!bundle || bundle.format !== "zhifa-ledger-bundle/1") return [[[false, W.not_bundle]], false];
    var log = logFor(bundle.origin);
    if (!log) return [[[false, fmt(W.unknown_log, { origin: bundle.origin })]], false];
    steps.push([true, fmt(W.log_known, { agency: log.agency, origin: log.origin })]);
    if (bundle.public_key && bundle.public_key.trim() !== log.vkey) {
      steps.push([false, W.key_differs]);
      return [steps, false];
    }
    var note;
    try { note = parseNote(bundle.checkpoint || ""); } catch (e) { steps.push([false, W.bad_checkpoint]); return [steps, false]; }
    var signed = await checkSignature(note, parseKey(log.vkey));
    steps.push([signed, signed === true ? fmt(W.signature_ok, { n: note.checkpoint.size, time: note.checkpoint.time })
      : signed === null ? W.signature_unchecked : W.signature_bad]);
    if (signed === false) return [steps, false];
    if (note.checkpoint.origin !== bundle.origin) { steps.push([false, W.bad_checkpoint]); return [steps, false]; }
    var rows = [], previous = null, want = bundle.object || {};
    for (var i = 0; i < (bundle.entries || []).length; i++) {
      var item = bundle.entries[i], body, proof, leaf, head;
      try {
        body = unb64(item.body);
        proof = item.inclusion_proof.map(unhex);
        head = JSON.parse(new TextDecoder().decode(body)).head;
      } catch (e) { steps.push([false, fmt(W.entry_malformed, { seq: item.seq })]); return [steps, false]; }
      leaf = await leafHash(body);
      if (item.leaf_hash && item.leaf_hash !== hex(leaf)) { steps.push([false, fmt(W.entry_changed, { seq: item.seq })]); return [steps, false]; }
      var got = await rootFromProof(item.seq, note.checkpoint.size, leaf, proof);
      if (!got || !same(got, note.checkpoint.root)) { steps.push([false, fmt(W.entry_not_included, { seq: item.seq })]); return [steps, false]; }
      if (head.seq !== item.seq || head.log !== note.checkpoint.origin ||
          (want.kind && (head.kind !== want.kind || head.object !== String(want.id)))) {
        steps.push([false, fmt(W.entry_mismatch, { seq: item.seq })]); return [steps, false];
      }
      if (previous && previous.seq === item.seq - 1 && head.prev !== hex(previous.leaf)) {
        steps.push([false, fmt(W.entry_chain, { seq: item.seq })]); return [steps, false];
      }
      previous = { seq: item.seq, leaf: leaf };
      rows.push(head);
    }
    steps.push([true, fmt(W.entries_ok, { n: rows.length })]);
    return [steps, signed, rows];
  }

  function table(rows) {
    var t = document.createElement("table");
    t.className = "stack";
    var cols = [W.col_seq, W.col_time, W.col_action, W.col_object];
    var head = "<thead><tr>" + cols.map(function () { return "<th scope=\"col\"></th>"; }).join("") + "</tr></thead>";
    t.innerHTML = head + "<tbody></tbody>";
    cols.forEach(function (c, i) { t.tHead.rows[0].cells[i].textContent = c; });
    rows.forEach(function (h) {
      var tr = t.tBodies[0].insertRow();
      [h.seq, h.at, h.action, h.kind + " #" + h.object].forEach(function (v, i) {
        var td = tr.insertCell(); td.textContent = v; td.setAttribute("data-label", cols[i]);
      });
    });
    var wrap = document.createElement("div");
    wrap.className = "scroll";
    wrap.appendChild(t);
    return wrap;
  }

  var bundleForm = document.getElementById("check-bundle");
  var bundleBox = document.getElementById("bundle-result");
  if (bundleForm) bundleForm.addEventListener("submit", async function (ev) {
    ev.preventDefault();
    var file = bundleForm.querySelector("input[type=file]").files[0];
    var text = file ? await file.text() : bundleForm.querySelector("textarea").value;
    var r = await checkBundle(text.trim());
    report(bundleBox, r[0], r[1], r[2] && r[2].length ? table(r[2]) : null);
  });

  var entryForm = document.getElementById("check-entry");
  var entryBox = document.getElementById("entry-result");
  if (entryForm) entryForm.addEventListener("submit", async function (ev) {
    ev.preventDefault();
    var code = entryForm.elements.log.value, log = LOGS.filter(function (l) { return l.code === code; })[0];
    var index = parseInt(entryForm.elements.index.value, 10), steps = [];
    try {
      var note = parseNote(await (await fetch(log.checkpoint_url)).text());
      var signed = await checkSignature(note, parseKey(log.vkey));
      steps.push([signed, signed === true ? fmt(W.signature_ok, { n: note.checkpoint.size, time: note.checkpoint.time })
        : signed === null ? W.signature_unchecked : W.signature_bad]);
      if (signed === false) return report(entryBox, steps, false);
      if (!(index >= 0 && index < note.checkpoint.size)) {
        steps.push([false, fmt(W.index_outside, { n: note.checkpoint.size })]);
        return report(entryBox, steps, false);
      }
      var url = log.proof_url + "?format=json&index=" + index + "&tree_size=" + note.checkpoint.size;
      var proof = await (await fetch(url)).json();
      var leaf = unhex(proof.leaf_hash);
      var got = await rootFromProof(index, note.checkpoint.size, leaf, proof.proof.map(unhex));
      var included = !!got && same(got, note.checkpoint.root);
      steps.push([included, included ? fmt(W.leaf_included, { seq: index, leaf: proof.leaf_hash.slice(0, 16) }) : fmt(W.entry_not_included, { seq: index })]);
      var ok = included && signed;
      var body = entryForm.elements.body.value.trim();
      if (included && body) {
        var bytes;
        try { bytes = body.charAt(0) === "{" ? enc.encode(body) : unb64(body); } catch (e) { bytes = enc.encode(body); }
        var match = hex(await leafHash(bytes)) === proof.leaf_hash;
        steps.push([match, match ? W.body_matches : W.body_differs]);
        ok = ok && match;
      } else if (included) {
        steps.push([null, W.body_missing]);
      }
      var link = document.createElement("p");
      link.innerHTML = "<a download></a>";
      link.firstChild.href = url;
      link.firstChild.setAttribute("download", log.code + "-" + index + "-proof.json");
      link.firstChild.textContent = W.download_proof;
      report(entryBox, steps, ok === true ? true : (ok === null ? null : false), link);
    } catch (e) {
      steps.push([false, W.fetch_failed]);
      report(entryBox, steps, false);
    }
  });

  // A published decision's page: its publication's proof bundle, then the page's text against the text the
  // release entry recorded (payload.state.text and its SHA-256).
  var pub = document.getElementById("publication-check");
  if (pub) {
    var pubButton = document.getElementById("check-publication");
    var pubBox = document.getElementById("publication-result");
    pubButton.addEventListener("click", async function () {
      var steps, ok;
      try {
        var bundle = await (await fetch(pub.getAttribute("data-proof-url"))).text();
        var r = await checkBundle(bundle.trim());
        steps = r[0]; ok = r[1];
        var parsed = JSON.parse(bundle), release = null;
        (parsed.entries || []).forEach(function (item) {
          var entry = JSON.parse(new TextDecoder().decode(unb64(item.body)));
          if (entry.head.action === "publicity.release_publication" && entry.head.object === pub.getAttribute("data-publication")) release = entry;
        });
        if (!release) {
          steps.push([false, (parsed.pending || []).length ? W.not_yet : W.no_release]);
          ok = false;
        } else {
          var textBox = document.getElementById("decision-text");
          var recorded = release.record.payload.state;
          if (textBox) {
            var digest = hex(await sha256(enc.encode(textBox.textContent)));
            var same = digest === recorded.text_sha256 && textBox.textContent === recorded.text;
            steps.push([same, same ? fmt(W.text_matches, { hash: digest.slice(0, 16) }) : W.text_differs]);
            if (!same) ok = false;
          }
        }
      } catch (e) {
        steps = [[false, W.fetch_failed]]; ok = false;
      }
      report(pubBox, steps, ok === true ? true : (ok === null ? null : false));
    });
  }

  // The check buttons come disabled (a press before this script has loaded would do nothing); enabled now that
  // their handlers are in place.
  document.querySelectorAll("[data-needs-script]").forEach(function (b) { b.disabled = false; });
})();
