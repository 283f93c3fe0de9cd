/* Article page: an upload box above the photos or the attachments. Many
   files at once, one request per file (a bar and a result line each), then
   the article is saved so that the new files appear as rows to describe.
   The box says what it takes: data-field (the form field the endpoint
   reads) and data-noun ("ảnh", "tệp") for its messages. */
"use strict";
(function () {
  const RETRIES = 2;

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function megabytes(bytes) {
    return (bytes / 1048576).toFixed(1).replace(".", ",") + " MB";
  }

  function setupUpload(box) {
    const url = box.dataset.url;
    const maxBytes = parseInt(box.dataset.maxBytes, 10);
    const parallel = parseInt(box.dataset.parallel, 10) || 1;
    const field = box.dataset.field;
    const noun = box.dataset.noun;
    const drop = box.querySelector(".upload-drop");
    const input = box.querySelector(".upload-files");
    const queue = box.querySelector(".upload-queue");
    const summary = box.querySelector(".upload-summary");
    const summaryText = box.querySelector(".upload-summary-text");
    const showNew = box.querySelector(".upload-show-new");
    const seen = new Set();
    const waiting = [];
    let running = 0;
    let stored = 0;
    let problems = 0;

    function row(file) {
      const item = document.createElement("li");
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = file.name;
      name.title = file.name;
      const bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      const state = document.createElement("span");
      state.className = "state";
      state.textContent = "Đang chờ…";
      item.append(name, bar, state);
      queue.append(item);
      return { item: item, bar: bar, state: state };
    }

    function finish(view, kind, message) {
      view.item.classList.add(kind === "stored" ? "is-done" : kind === "duplicate" ? "is-duplicate" : "is-error");
      view.bar.value = 100;
      view.state.textContent = message;
      if (kind === "stored") stored += 1; else problems += 1;
    }

    function send(job) {
      running += 1;
      const xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.setRequestHeader("X-CSRFToken", csrfToken());
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) {
          job.view.bar.value = Math.round((event.loaded / event.total) * 95);
          job.view.state.textContent = "Đang tải lên… " + Math.round((event.loaded / event.total) * 100) + "%";
        }
      });
      xhr.upload.addEventListener("load", function () {
        job.view.state.textContent = "Đang xử lý " + noun + "…";
      });
      xhr.addEventListener("load", function () {
        let answer = null;
        try { answer = JSON.parse(xhr.responseText); } catch (error) { answer = null; }
        if ((xhr.status >= 500 || xhr.status === 0) && job.tries < RETRIES) {
          retry(job);
          return;
        }
        if (answer && answer.status) {
          finish(job.view, answer.status, answer.message);
        } else if (xhr.status === 403) {
          finish(job.view, "refused", "Không được phép tải lên (phiên đăng nhập hết hạn?). Hãy tải lại trang.");
        } else if (xhr.status === 413) {
          finish(job.view, "refused", "Tệp quá lớn, máy chủ không nhận.");
        } else {
          finish(job.view, "refused", "Lỗi máy chủ (mã " + xhr.status + "). Hãy thử lại.");
        }
        next();
      });
      xhr.addEventListener("error", function () {
        if (job.tries < RETRIES) {
          retry(job);
          return;
        }
        finish(job.view, "refused", "Mất kết nối, " + noun + " này chưa được tải lên. Hãy chọn lại " + noun + ".");
        seen.delete(job.key);
        next();
      });
      const data = new FormData();
      data.append(field, job.file, job.file.name);
      job.view.state.textContent = "Đang tải lên…";
      xhr.send(data);
    }

    function retry(job) {
      // A busy server or a dropped mobile connection: wait, then try again.
      job.tries += 1;
      job.view.state.textContent = "Đang thử lại…";
      window.setTimeout(function () {
        running -= 1;
        waiting.unshift(job);
        pump();
      }, 1500 * job.tries);
    }

    function next() {
      running -= 1;
      pump();
    }

    function pump() {
      while (running < parallel && waiting.length) send(waiting.shift());
      if (running === 0 && waiting.length === 0) done();
    }

    function done() {
      if (!stored && !problems) return;
      summaryText.textContent = "Đã lưu " + stored + " " + noun + (problems ? ", " + problems + " " + noun + " cần xem lại (xem từng dòng ở trên)." : ".");
      summary.hidden = false;
      if (stored && !problems && showNew) {
        // Saving brings the new files in as rows; edits typed so far are saved too.
        showNew.form.requestSubmit(showNew);
      }
    }

    function add(files) {
      summary.hidden = true;
      Array.from(files).forEach(function (file) {
        const key = [file.name, file.size, file.lastModified].join("|");
        if (seen.has(key)) return;
        seen.add(key);
        const view = row(file);
        if (file.size === 0) {
          finish(view, "refused", "Tệp rỗng (0 byte).");
        } else if (file.size > maxBytes) {
          finish(view, "refused", "Tệp quá lớn (" + megabytes(file.size) + "), tối đa " + megabytes(maxBytes) + ".");
        } else {
          waiting.push({ file: file, view: view, key: key, tries: 0 });
        }
      });
      pump();
    }

    input.addEventListener("change", function () {
      add(input.files);
      input.value = "";
    });
    ["dragenter", "dragover"].forEach(function (type) {
      drop.addEventListener(type, function (event) {
        if (!event.dataTransfer || !Array.from(event.dataTransfer.types).includes("Files")) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = "copy";
        drop.classList.add("is-over");
      });
    });
    drop.addEventListener("dragleave", function () { drop.classList.remove("is-over"); });
    drop.addEventListener("drop", function (event) {
      event.preventDefault();
      drop.classList.remove("is-over");
      if (event.dataTransfer && event.dataTransfer.files.length) add(event.dataTransfer.files);
    });
    // A file dropped just beside the box must not replace the page.
    window.addEventListener("dragover", function (event) {
      if (event.dataTransfer && Array.from(event.dataTransfer.types).includes("Files")) event.preventDefault();
    });
    window.addEventListener("drop", function (event) {
      if (event.dataTransfer && event.dataTransfer.files.length) event.preventDefault();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".upload-box").forEach(setupUpload);
  });
})();
