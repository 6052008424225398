// labrun render --html: the copy buttons of command blocks. A button
// carries the block's commands (no prompt, no sample output) in data-copy.
"use strict";
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest(".copy-button") : null;
  if (!button) {
    return;
  }
  var text = button.getAttribute("data-copy") || "";
  var label = button.textContent;
  var done = function () {
    button.textContent = document.body.getAttribute("data-copied-label") || label;
    button.classList.add("copied");
    setTimeout(function () {
      button.textContent = label;
      button.classList.remove("copied");
    }, 1500);
  };
  // The Clipboard API needs a secure context; a page opened from disk may
  // not be one, so fall back to a selected textarea.
  var fallback = function () {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try {
      document.execCommand("copy");
      done();
    } finally {
      document.body.removeChild(area);
    }
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, fallback);
  } else {
    fallback();
  }
});
