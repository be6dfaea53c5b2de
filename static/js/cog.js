// Live fragments: htmx polls them with If-None-Match; a 304 means nothing changed, so keep the
// page as it is (htmx would otherwise swap in the empty body). Polling pauses while someone is
// ticking boxes or typing inside a live fragment, so a refresh never eats their input.
if (window.htmx) {
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "304", swap: false },
    { code: "[23]..", swap: true },
    { code: "[45]..", swap: false, error: true },
  ];
}
document.addEventListener("htmx:beforeRequest", function (event) {
  var live = event.detail.elt;
  if (!live.hasAttribute || !live.hasAttribute("data-live")) return;
  if (live.querySelector("input:checked, input:focus, select:focus, textarea:focus")) {
    event.preventDefault();
  }
});
// A live fragment whose rows are updated in place (the desk) keeps its version in a child
// element that each answer replaces: polls send that version, not one fixed in an attribute.
document.addEventListener("htmx:configRequest", function (event) {
  var elt = event.detail.elt;
  var holder = elt.querySelector && elt.querySelector(":scope > [data-live-version]");
  if (holder) event.detail.headers["If-None-Match"] = '"' + holder.getAttribute("data-live-version") + '"';
});
// Forms marked data-once disable their button on submit: a double-click sends one request.
document.addEventListener("submit", function (event) {
  var button = event.target.querySelector("button[data-once]");
  if (button) { setTimeout(function () { button.disabled = true; }, 0); }
});
// Buttons marked data-confirm (deny, cancel, run a draw) ask first: one stray tap does nothing.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

// Phones show table rows as cards: each cell carries its column's name (CSS draws it).
function labelCells(root) {
  (root || document).querySelectorAll(".desk table").forEach(function (table) {
    var names = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, index) {
        if (names[index]) cell.setAttribute("data-label", names[index]);
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", function () { labelCells(); });
document.addEventListener("htmx:afterSettle", function () { labelCells(); });
document.addEventListener("htmx:oobAfterSwap", function () { labelCells(); });
// "11 minutes left" beside a pickup deadline, kept current between live updates.
function updateCountdowns() {
  document.querySelectorAll(".countdown[data-deadline]").forEach(function (el) {
    var minutes = Math.floor((new Date(el.getAttribute("data-deadline")) - Date.now()) / 60000);
    el.textContent = minutes >= 1 ? "(" + minutes + " minute" + (minutes === 1 ? "" : "s") + " left)"
      : minutes >= 0 ? "(less than a minute left)" : "(the deadline has passed: ask at the desk)";
  });
}
document.addEventListener("DOMContentLoaded", updateCountdowns);
document.addEventListener("htmx:afterSettle", updateCountdowns);
setInterval(updateCountdowns, 20000);
// A live update that changes something shows it: rows whose state is new get a highlight that
// fades and the words "Just updated", and a screen reader hears what changed.
var liveKeysBefore = null;
document.addEventListener("htmx:beforeSwap", function (event) {
  var target = event.detail.target;
  if (!target || !target.hasAttribute || !target.hasAttribute("data-live")) return;
  liveKeysBefore = new Set(Array.prototype.map.call(target.querySelectorAll("[data-key]"), function (el) {
    return el.getAttribute("data-key");
  }));
});
document.addEventListener("htmx:afterSettle", function (event) {
  if (!liveKeysBefore) return;
  var before = liveKeysBefore;
  liveKeysBefore = null;
  var root = document.getElementById("my-hardware");
  if (!root) return;
  var changed = [];
  root.querySelectorAll("[data-key]").forEach(function (el) {
    if (!before.has(el.getAttribute("data-key"))) {
      el.classList.add("just-changed");
      var name = el.querySelector("h2, .request-name");
      var state = el.querySelector(".badge");
      changed.push(((name ? name.textContent : "") + (state ? ": " + state.textContent : "")).replace("Just updated", "").trim());
    }
  });
  var announce = document.getElementById("live-announce");
  if (announce && changed.length) announce.textContent = "Updated: " + changed.join("; ");
});
