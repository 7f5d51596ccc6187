// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  // Buttons that ask for confirmation: <button data-confirm="...">
  document.body.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  // Auto-submit filters: <select data-autosubmit>
  document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // A table wider than the screen: a line above it says it scrolls sideways (the edge shadows of
  // .table-wrap show it without JavaScript too). The text comes from <html data-scroll-hint>.
  var hint = document.documentElement.getAttribute("data-scroll-hint");
  function markWideTables() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      var wide = wrap.scrollWidth > wrap.clientWidth + 1;
      var note = wrap.previousElementSibling;
      var shown = note !== null && note.classList.contains("scroll-hint");
      if (wide && !shown && hint) {
        note = document.createElement("p");
        note.className = "scroll-hint";
        note.textContent = hint;
        wrap.parentNode.insertBefore(note, wrap);
      } else if (!wide && shown) {
        note.remove();
      }
    });
  }
  markWideTables();
  window.addEventListener("resize", markWideTables);
});
