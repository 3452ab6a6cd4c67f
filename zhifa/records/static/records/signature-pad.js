/* zhifa: the party's handwritten signature on a touch screen (or with a mouse or pen).
   Plain JavaScript, no library: pointer events draw on a canvas; on submit the drawing goes to the server as a
   PNG data URL in the hidden field "image_data". The server checks it is a PNG of a sensible size. */
(function () {
  "use strict";
  var canvas = document.getElementById("signature-pad");
  if (!canvas || !canvas.getContext) { return; }
  var form = canvas.closest("form");
  var input = form.querySelector("input[name=image_data]");
  var fileInput = form.querySelector("input[type=file]");
  var message = document.getElementById("signature-message");
  var ctx = canvas.getContext("2d");
  var drawing = false;
  var dirty = false;
  var last = null;

  function setup() {
    var ratio = window.devicePixelRatio || 1;
    var width = canvas.clientWidth || 600;
    var height = canvas.clientHeight || 200;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.lineWidth = 2.5;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#000";
    ctx.fillStyle = "#000";
    dirty = false;
  }

  function point(event) {
    var rect = canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  canvas.addEventListener("pointerdown", function (event) {
    event.preventDefault();
    if (canvas.setPointerCapture) { canvas.setPointerCapture(event.pointerId); }
    drawing = true;
    last = point(event);
    ctx.beginPath();
    ctx.arc(last.x, last.y, 1.2, 0, 2 * Math.PI);
    ctx.fill();
    dirty = true;
    if (message) { message.textContent = ""; }
  });

  canvas.addEventListener("pointermove", function (event) {
    if (!drawing) { return; }
    event.preventDefault();
    var p = point(event);
    ctx.beginPath();
    ctx.moveTo(last.x, last.y);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
    last = p;
  });

  ["pointerup", "pointercancel", "pointerleave"].forEach(function (name) {
    canvas.addEventListener(name, function () { drawing = false; });
  });

  var clear = document.getElementById("signature-clear");
  if (clear) {
    clear.addEventListener("click", function () {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      dirty = false;
      input.value = "";
    });
  }

  form.addEventListener("submit", function (event) {
    if (dirty) {
      input.value = canvas.toDataURL("image/png");
    } else if (!(fileInput && fileInput.files && fileInput.files.length)) {
      event.preventDefault();
      if (message) { message.textContent = message.getAttribute("data-empty"); }
    }
  });

  setup();
}());
