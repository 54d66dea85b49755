// The composer saves as you type (htmx). If the page is left or the browser closed before the last change was
// sent, the form is sent once more with sendBeacon, which the browser delivers even as the page goes away.
(function () {
  var lastInput = new WeakMap(); // form -> time of its last change not yet known to be saved
  var started = new WeakMap(); // form -> time its current request started
  function autosaved(el) {
    return el && el.classList && el.classList.contains("js-draft-autosave");
  }
  function changed(event) {
    var form = event.target && event.target.form;
    if (autosaved(form)) {
      lastInput.set(form, Date.now());
    }
  }
  // Capture phase: noted before htmx (listening on the form) starts the request that saves this change.
  document.addEventListener("input", changed, true);
  document.addEventListener("change", changed, true);
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail && event.detail.elt;
    if (autosaved(form)) {
      started.set(form, Date.now());
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail && event.detail.elt;
    // Saved, unless something was typed after this request left.
    if (autosaved(form) && event.detail.successful && lastInput.get(form) <= started.get(form)) {
      lastInput.delete(form);
    }
  });
  document.addEventListener("submit", function (event) {
    lastInput.delete(event.target);
  });
  function flush() {
    var forms = document.querySelectorAll("form.js-draft-autosave");
    for (var i = 0; i < forms.length; i++) {
      if (lastInput.has(forms[i]) && navigator.sendBeacon) {
        navigator.sendBeacon(forms[i].action, new FormData(forms[i]));
        lastInput.delete(forms[i]);
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
