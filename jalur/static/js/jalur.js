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
  // A form refused: the focus goes to the summary of what to fix (includes_form.html), so a screen
  // reader says it first, and the title says so too (the server already does for a page's `form`).
  var summary = document.querySelector(".errorlist-box[data-title-prefix]");
  if (summary) {
    var prefix = summary.getAttribute("data-title-prefix");
    if (document.title.indexOf(prefix) !== 0) { document.title = prefix + document.title; }
    summary.focus();
  }
  // A table wider than the screen: a line above it says it scrolls sideways (the edge shadows of
  // .table-wrap show it without JavaScript too), and the keyboard can reach it to scroll it: a tab
  // stop named by the table's caption or the heading above it. The text comes from <html
  // data-scroll-hint>.
  var hint = document.documentElement.getAttribute("data-scroll-hint");
  function tableName(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption) { return caption.textContent; }
    var box = wrap.closest("section, article, .card, main");
    var heading = box && box.querySelector("h1, h2, h3");
    return heading ? heading.textContent : hint;
  }
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
      var stop = wrap.hasAttribute("data-scroll-stop");
      if (wide && !stop && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("data-scroll-stop", "");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", tableName(wrap).replace(/\s+/g, " ").trim());
      } else if (!wide && stop) {
        ["data-scroll-stop", "tabindex", "role", "aria-label"].forEach(function (name) {
          wrap.removeAttribute(name);
        });
      }
    });
  }
  markWideTables();
  window.addEventListener("resize", markWideTables);
});
