// The composer saves as you type (htmx). If the page is left or the browser closed before the last change was
// sent, the form is sent once more with sendBeacon, which the browser delivers even as the page goes away.
(function () {
  var dirty = new WeakSet();
  document.addEventListener("input", function (event) {
    var form = event.target && event.target.form;
    if (form && form.classList.contains("js-draft-autosave")) {
      dirty.add(form);
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail && event.detail.elt;
    if (form && event.detail.successful) {
      dirty.delete(form);
    }
  });
  document.addEventListener("submit", function (event) {
    dirty.delete(event.target);
  });
  function flush() {
    var forms = document.querySelectorAll("form.js-draft-autosave");
    for (var i = 0; i < forms.length; i++) {
      if (dirty.has(forms[i]) && navigator.sendBeacon) {
        navigator.sendBeacon(forms[i].action, new FormData(forms[i]));
        dirty.delete(forms[i]);
      }
    }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      flush();
    }
  });
  window.addEventListener("pagehide", flush);
})();
