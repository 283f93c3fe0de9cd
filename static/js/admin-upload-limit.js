/* Admin forms with files (an article's photos and attachments, an
   official's portrait): a file past the limit is refused as soon as it is
   chosen, and a save whose files add up past it is stopped before it is
   sent. Sent, such a body is refused by the reverse proxy with a page of
   its own, and what the editor typed may be lost. The limit comes from the
   server, on each file input's data-max-bytes. */
"use strict";
(function () {
  function megabytes(bytes) {
    return (bytes / 1048576).toFixed(1).replace(".", ",") + " MB";
  }

  function limited(input) {
    return input instanceof HTMLInputElement && input.type === "file" &&
      input.dataset.maxBytes;
  }

  /* One message per place, replaced when it changes, read out when shown. */
  function say(before, text) {
    let note = before.previousElementSibling;
    if (!note || !note.classList.contains("upload-limit")) {
      if (!text) return;
      note = document.createElement("p");
      note.className = "errornote upload-limit";
      note.setAttribute("role", "alert");
      before.parentNode.insertBefore(note, before);
    }
    if (text) note.textContent = text;
    else note.remove();
  }

  document.addEventListener("change", function (event) {
    const input = event.target;
    if (!limited(input)) return;
    const limit = parseInt(input.dataset.maxBytes, 10);
    const file = input.files[0];
    if (file && file.size > limit) {
      input.value = "";
      say(input, "Tệp “" + file.name + "” quá lớn (" + megabytes(file.size) +
        "), tối đa " + megabytes(limit) + ". Hãy nén, thu nhỏ hoặc chia nhỏ tệp rồi chọn lại.");
    } else {
      say(input, "");
    }
  });

  document.addEventListener("submit", function (event) {
    const form = event.target;
    const inputs = Array.from(form.querySelectorAll("input[type=file]")).filter(limited);
    if (!inputs.length) return;
    const limit = Math.min.apply(null, inputs.map(function (input) {
      return parseInt(input.dataset.maxBytes, 10);
    }));
    let total = 0;
    inputs.forEach(function (input) {
      Array.from(input.files).forEach(function (file) { total += file.size; });
    });
    const top = form.querySelector("fieldset, .inline-group") || form.firstElementChild;
    if (total > limit) {
      event.preventDefault();
      say(top, "Các tệp đã chọn cộng lại " + megabytes(total) + ", quá " +
        megabytes(limit) + " cho một lần lưu. Chưa có gì được gửi đi: hãy bỏ bớt " +
        "tệp, lưu, rồi thêm các tệp còn lại ở lần lưu sau, hoặc kéo thả chúng vào " +
        "khung “Thêm nhiều … cùng lúc”, nơi mỗi tệp được gửi riêng.");
      top.scrollIntoView();
    } else {
      say(top, "");
    }
  });
})();
