/* Article gallery lightbox. Without this script every thumbnail is a plain
   link to the large image. With it: a modal dialog with the photo, its
   caption and "3 / 24"; arrows, Home/End and Esc on the keyboard; swipe on
   touch screens; focus stays inside and returns to the thumbnail on close;
   the next photo is fetched ahead. */
"use strict";
(function () {
  function build() {
    const dialog = document.createElement("dialog");
    dialog.className = "lightbox";
    dialog.setAttribute("aria-label", "Xem ảnh");
    dialog.innerHTML =
      '<figure class="lightbox-figure"><img class="lightbox-image" alt="" decoding="async">' +
      '<figcaption class="lightbox-caption"></figcaption></figure>' +
      '<p class="lightbox-position" aria-live="polite"></p>' +
      '<button type="button" class="lightbox-prev" aria-label="Ảnh trước">‹</button>' +
      '<button type="button" class="lightbox-next" aria-label="Ảnh sau">›</button>' +
      '<button type="button" class="lightbox-close" aria-label="Đóng (Esc)">×</button>';
    document.body.append(dialog);
    return dialog;
  }

  function setup(gallery) {
    const links = Array.from(gallery.querySelectorAll("a.gallery-link"));
    if (!links.length || typeof HTMLDialogElement !== "function") return;
    const slides = links.map(function (link) {
      const thumb = link.querySelector("img");
      const caption = link.closest("figure").querySelector("figcaption");
      return {
        link: link,
        href: link.href,
        srcset: thumb.getAttribute("srcset") || "",
        width: link.dataset.width,
        height: link.dataset.height,
        alt: thumb.alt,
        caption: caption ? caption.textContent.trim() : "",
      };
    });
    let dialog = null;
    let image, captionBox, position, buttons;
    let current = 0;
    let opener = null;

    function load(target, slide) {
      target.removeAttribute("srcset");
      if (slide.srcset) {
        target.sizes = "100vw";
        target.srcset = slide.srcset;
      }
      target.src = slide.href;
    }

    function show(index) {
      current = (index + slides.length) % slides.length;
      const slide = slides[current];
      load(image, slide);
      image.alt = slide.alt;
      if (slide.width && slide.height) {
        image.width = slide.width;
        image.height = slide.height;
      }
      captionBox.textContent = slide.caption;
      captionBox.hidden = !slide.caption;
      position.textContent = (current + 1) + " / " + slides.length;
      if (slides.length > 1) load(new Image(), slides[(current + 1) % slides.length]);
    }

    function open(index) {
      if (!dialog) {
        dialog = build();
        image = dialog.querySelector(".lightbox-image");
        captionBox = dialog.querySelector(".lightbox-caption");
        position = dialog.querySelector(".lightbox-position");
        buttons = Array.from(dialog.querySelectorAll("button"));
        dialog.querySelector(".lightbox-prev").addEventListener("click", function () { show(current - 1); });
        dialog.querySelector(".lightbox-next").addEventListener("click", function () { show(current + 1); });
        dialog.querySelector(".lightbox-close").addEventListener("click", function () { dialog.close(); });
        dialog.addEventListener("keydown", keydown);
        dialog.addEventListener("close", function () {
          document.documentElement.classList.remove("lightbox-is-open");
          if (opener) opener.focus();
        });
        dialog.addEventListener("click", function (event) {
          if (event.target === dialog) dialog.close();  // the dark backdrop
        });
        let startX = null, startY = null;
        dialog.addEventListener("touchstart", function (event) {
          startX = event.touches[0].clientX;
          startY = event.touches[0].clientY;
        }, { passive: true });
        dialog.addEventListener("touchend", function (event) {
          if (startX === null) return;
          const dx = event.changedTouches[0].clientX - startX;
          const dy = event.changedTouches[0].clientY - startY;
          startX = null;
          if (Math.abs(dx) > 40 && Math.abs(dx) > Math.abs(dy)) show(current + (dx < 0 ? 1 : -1));
        });
        if (slides.length < 2) {
          buttons.slice(0, 2).forEach(function (button) { button.hidden = true; });
        }
      }
      opener = slides[index].link;
      show(index);
      document.documentElement.classList.add("lightbox-is-open");
      dialog.showModal();
      dialog.querySelector(".lightbox-close").focus();
    }

    function keydown(event) {
      if (event.key === "ArrowRight") { show(current + 1); event.preventDefault(); }
      else if (event.key === "ArrowLeft") { show(current - 1); event.preventDefault(); }
      else if (event.key === "Home") { show(0); event.preventDefault(); }
      else if (event.key === "End") { show(slides.length - 1); event.preventDefault(); }
      else if (event.key === "Tab") {
        // Keep focus on the dialog's own buttons.
        const visible = buttons.filter(function (button) { return !button.hidden; });
        const at = visible.indexOf(document.activeElement);
        const next = event.shiftKey ? at - 1 : at + 1;
        visible[(next + visible.length) % visible.length].focus();
        event.preventDefault();
      }
    }

    links.forEach(function (link, index) {
      link.addEventListener("click", function (event) {
        if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
        event.preventDefault();
        open(index);
      });
    });
  }

  document.querySelectorAll(".gallery").forEach(setup);
})();
