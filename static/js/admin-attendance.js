/* When an official is picked in an attendance row, copy their name and
   current positions into the row as the printed text (still editable).
   Text the editor already typed is never overwritten. */
"use strict";
(function () {
  function fill(select) {
    const prefix = select.name.replace(/-official$/, "");
    const name = document.querySelector("input[name='" + prefix + "-name']");
    const positions = document.querySelector("input[name='" + prefix + "-positions']");
    if (!select.value || !name || !positions) return;
    /* The autocomplete widget knows the admin's root: /…/admin/autocomplete/ */
    const ajaxUrl = select.getAttribute("data-ajax--url");
    if (!ajaxUrl) return;
    const url = ajaxUrl.replace(/autocomplete\/?$/, "articles/official/" +
      encodeURIComponent(select.value) + "/printed/");
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        if (!name.value || name.dataset.autofilled) { name.value = data.name; name.dataset.autofilled = "1"; }
        if (!positions.value || positions.dataset.autofilled) { positions.value = data.positions; positions.dataset.autofilled = "1"; }
      });
  }

  function onChange(event) {
    if (event.target.name && /-official$/.test(event.target.name)) fill(event.target);
  }

  document.addEventListener("change", onChange);
  /* Select2 (the admin's autocomplete) fires jQuery events only, and the
     admin's jQuery may load after this file. */
  document.addEventListener("DOMContentLoaded", function () {
    if (window.django && django.jQuery) {
      django.jQuery(document).on("select2:select", "select[name$='-official']", function () { fill(this); });
    }
  });
})();
