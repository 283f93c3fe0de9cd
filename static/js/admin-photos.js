/* Article page, photo inline: the "Chọn làm ảnh đại diện" buttons, which
   set the cover field. */
"use strict";
(function () {
  function setupCover() {
    const select = document.getElementById("id_cover");
    const buttons = document.querySelectorAll(".photo-cover");
    if (!select) {
      buttons.forEach(function (button) { button.hidden = true; });
      return;
    }
    function mark() {
      buttons.forEach(function (button) {
        const chosen = button.dataset.photo === select.value;
        button.classList.toggle("is-cover", chosen);
        button.textContent = chosen ? "Ảnh đại diện ✓" : "Chọn làm ảnh đại diện";
        button.setAttribute("aria-pressed", chosen ? "true" : "false");
      });
    }
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        select.value = button.dataset.photo;
        select.dispatchEvent(new Event("change", { bubbles: true }));
        mark();
      });
    });
    select.addEventListener("change", mark);
    mark();
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupCover();
  });
})();
