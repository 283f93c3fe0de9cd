/* CKEditor 4 uploads (drop, paste, image dialog) go to our own endpoint,
   which is CSRF-protected like every admin form: send the form's token. */
;(() => {
  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]")
    return input ? input.value : ""
  }

  function watch(editor) {
    editor.on("fileUploadRequest", (event) => {
      event.data.fileLoader.xhr.setRequestHeader("X-CSRFToken", csrfToken())
    })
  }

  function start() {
    if (!window.CKEDITOR) {
      setTimeout(start, 100)
      return
    }
    Object.values(window.CKEDITOR.instances).forEach(watch)
    window.CKEDITOR.on("instanceCreated", (event) => watch(event.editor))
  }

  start()
})()
