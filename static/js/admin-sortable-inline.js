/* Drag rows of a tabular inline (fieldset class "sortable-inline") to
   reorder them; the "order" inputs are renumbered to match. Typing numbers
   into the order column keeps working without this script. */
"use strict";
(function () {
  function renumber(tbody) {
    let n = 1;
    tbody.querySelectorAll("tr.form-row:not(.empty-form)").forEach(function (row) {
      const input = row.querySelector("input[name$='-order']");
      const filled = Array.from(row.querySelectorAll("input[type=text], input[type=file], select, textarea"))
        .some(function (el) { return el !== input && el.value; });
      if (input && (filled || row.classList.contains("has_original"))) {
        input.value = n++;
      }
    });
  }

  function setup(tbody) {
    let dragged = null;
    tbody.addEventListener("dragstart", function (event) {
      dragged = event.target.closest("tr");
      if (dragged) { event.dataTransfer.effectAllowed = "move"; dragged.classList.add("dragging"); }
    });
    tbody.addEventListener("dragover", function (event) {
      const row = event.target.closest("tr.form-row");
      if (!dragged || !row || row === dragged || row.classList.contains("empty-form")) return;
      event.preventDefault();
      const box = row.getBoundingClientRect();
      const after = event.clientY > box.top + box.height / 2;
      row.parentNode.insertBefore(dragged, after ? row.nextSibling : row);
    });
    tbody.addEventListener("dragend", function () {
      if (dragged) dragged.classList.remove("dragging");
      dragged = null;
      renumber(tbody);
    });
    tbody.querySelectorAll("tr.form-row").forEach(function (row) { row.draggable = true; });
    new MutationObserver(function () {
      tbody.querySelectorAll("tr.form-row").forEach(function (row) { row.draggable = true; });
    }).observe(tbody, { childList: true });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("fieldset.sortable-inline tbody, .sortable-inline tbody").forEach(setup);
  });
})();
