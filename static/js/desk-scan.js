// The desk's scan field: always focused, one key per follow-up, the phone camera as a scanner.
// A USB scanner is a keyboard that types the code and presses Enter; the form does the rest
// (htmx swaps the scan panel in place). See checkout/desk/scan.py.
(function () {
  "use strict";

  function panel() { return document.getElementById("scan-panel"); }

  function showReady() {
    var here = panel();
    if (here) here.classList.toggle("is-ready", !!document.activeElement.closest("#scan-panel"));
  }

  function focusScan() {
    var here = panel();
    if (!here) return;
    var field = here.querySelector("[data-focus]") || document.getElementById("scan-code");
    if (field && document.activeElement !== field) field.focus();
    showReady();
  }

  function typingElsewhere(target) {
    // Another form on the page (search, a slot typed by hand) keeps its focus.
    return target && target.closest && target.closest("input, select, textarea, [contenteditable]")
      && !target.closest("#scan-panel");
  }

  function clearCard() {
    var form = document.getElementById("scan-form");
    if (!form) return;
    ["person", "units", "last_unit", "slot"].forEach(function (name) {
      var input = form.querySelector("[name=" + name + "]");
      if (input) input.value = "";
    });
    document.getElementById("scan-code").value = "";
    if (window.htmx) htmx.trigger(form, "submit"); else form.submit();
  }

  document.addEventListener("DOMContentLoaded", focusScan);
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "scan-panel") focusScan();
  });

  // Not ready: say so loudly when focus leaves the field (a stray click), as Shelf does.
  document.addEventListener("focusin", showReady);
  document.addEventListener("focusout", function () { setTimeout(showReady, 0); });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-refocus]")) focusScan();
  });

  document.addEventListener("keydown", function (event) {
    if (event.isComposing || !panel()) return;
    if (event.key === "Escape") {
      event.preventDefault();
      var camera = document.querySelector(".scan-camera-box");
      if (camera) stopCamera(camera); else clearCard();  // Esc closes the camera first
      return;
    }
    var button = panel().querySelector('[data-key="' + event.key + '"]');
    if (button) {
      event.preventDefault();
      button.click();
      return;
    }
    // A scan landing while focus is elsewhere (not another field): send it to the scan field.
    if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey
        && !typingElsewhere(event.target) && !event.target.closest("#scan-panel")) {
      focusScan();
    }
  });

  // The phone camera as a scanner: BarcodeDetector where the browser has it, jsQR elsewhere.
  var stream = null;

  function stopCamera(box) {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    if (box) box.remove();
    focusScan();
  }

  function submitCode(code) {
    var field = document.getElementById("scan-code");
    field.value = code;
    var form = document.getElementById("scan-form");
    if (window.htmx) htmx.trigger(form, "submit"); else form.submit();
  }

  function startCamera() {
    var box = document.createElement("div");
    box.className = "scan-camera-box";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", "Camera scanner");
    box.innerHTML = '<video playsinline muted></video><p>Point the camera at a badge or a label.</p>'
      + '<button type="button" class="secondary">Close camera</button>';
    document.body.appendChild(box);
    box.querySelector("button").addEventListener("click", function () { stopCamera(box); });
    var video = box.querySelector("video");
    var canvas = document.createElement("canvas");
    var detector = ("BarcodeDetector" in window) ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        return video.play();
      })
      .then(function tick() {
        if (!stream) return;
        var found = function (code) {
          if (code) { stopCamera(box); submitCode(code); } else { requestAnimationFrame(tick); }
        };
        if (video.readyState < 2) { requestAnimationFrame(tick); return; }
        if (detector) {
          detector.detect(video).then(function (codes) { found(codes.length ? codes[0].rawValue : ""); },
            function () { found(""); });
          return;
        }
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        var context = canvas.getContext("2d", { willReadFrequently: true });
        context.drawImage(video, 0, 0);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var result = window.jsQR ? window.jsQR(image.data, image.width, image.height) : null;
        found(result ? result.data : "");
      })
      .catch(function (error) {
        var why = {
          NotFoundError: "This device has no camera.",
          NotAllowedError: "Camera access was refused: allow it in the browser's site settings.",
          NotReadableError: "Another app is using the camera.",
          SecurityError: "The camera needs the desk opened over HTTPS.",
        }[error.name] || "The camera could not start (" + error.name + ").";
        box.querySelector("p").textContent = why + " Press Esc or Close to scan by hand.";
      });
  }

  function offerCamera() {
    var button = document.querySelector("#scan-panel [data-camera]");
    if (!button || !(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)) return;
    button.hidden = false;
    button.onclick = startCamera;
  }

  document.addEventListener("DOMContentLoaded", offerCamera);
  document.addEventListener("htmx:afterSettle", offerCamera);
})();
