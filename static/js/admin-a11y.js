// Names for the admin widgets Django's own scripts draw without one (found by axe-core 4.14):
// the autocomplete (select2) boxes, the "filter" help icon of two-pane pickers, and the empty
// header cells of tabular inlines. Runs once the admin's scripts have drawn them.
window.addEventListener("load", function () {
  "use strict";
  function labelFor(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : select.name;
  }
  document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
    var box = select.nextElementSibling;
    if (!box || !box.classList.contains("select2")) return;
    box.querySelectorAll(".select2-selection, .select2-selection__rendered").forEach(function (el) {
      el.setAttribute("aria-label", labelFor(select));
    });
  });
  document.querySelectorAll("span.help-tooltip[aria-label]").forEach(function (icon) {
    icon.setAttribute("role", "img");
  });
  document.querySelectorAll(".tabular th:empty").forEach(function (cell) {
    var text = cell.classList.contains("original") ? "Link" : "Delete";
    cell.innerHTML = '<span class="visually-hidden">' + text + "</span>";
  });
});
