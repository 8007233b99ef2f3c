/* The project's own script: small enhancements; every page works without it. */
(function () {
  "use strict";

  /* A filter form sends only the fields in use: "?status=todo", not
     "?q=&status=todo&priority=". */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-drop-empty")) {
      return;
    }
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && field.value === "" && !field.disabled) {
        field.disabled = true;
        field.setAttribute("data-dropped", "");
      }
    });
  });

  /* Back to a page whose fields were switched off for its submit. */
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("[data-dropped]").forEach(function (field) {
      field.disabled = false;
      field.removeAttribute("data-dropped");
    });
  });

  /* <button data-copy="ID">: copies the value of the field ID, and says so in
     the element data-copy-status names (a live region). */
  function copied(button, text) {
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (status) {
      status.textContent = text;
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) {
      return;
    }
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) {
      return;
    }
    var fallback = function () {
      field.focus();
      field.select();
      var done = false;
      try {
        done = document.execCommand("copy");
      } catch (error) {
        done = false;
      }
      copied(button, done ? "Link copied." : "Press Ctrl+C (or ⌘C) to copy the selected link.");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () {
        copied(button, "Link copied.");
      }, fallback);
    } else {
      fallback();
    }
  });
})();
