// Candidate pages: shrink phone photos before upload, offer the job types that go to the countries
// ticked, and the print button of the log-in slip.
// Everything still works without JavaScript: the server checks and re-encodes every file anyway.
document.addEventListener("DOMContentLoaded", function () {
  var MAX_SIDE = 2400;

  // A file over the limit is refused here, before any mobile data is spent sending it; the
  // message (with %s for the size in MB) comes from the server, translated.
  function sizeCheck(input) {
    var file = input.files && input.files[0];
    var max = parseInt(input.getAttribute("data-max-bytes"), 10);
    var button = input.form && input.form.querySelector("button[type=submit]");
    var old = input.parentNode.querySelector(".size-error");
    if (old) { old.remove(); }
    var tooBig = Boolean(file && max && file.size > max);
    if (tooBig) {
      var note = document.createElement("p");
      note.className = "error size-error";
      note.setAttribute("role", "alert");
      note.textContent = (input.getAttribute("data-too-big") || "").replace(
        "%s", (file.size / 1048576).toFixed(1)
      );
      input.insertAdjacentElement("afterend", note);
    }
    if (button) { button.disabled = tooBig; }
  }

  function shrink(input, file) {
    var form = input.form;
    var button = form && form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) {
        if (blob && blob.size < file.size) {
          var name = file.name.replace(/\.[^.]+$/, "") + ".jpg";
          var transfer = new DataTransfer();
          transfer.items.add(new File([blob], name, { type: "image/jpeg" }));
          input.files = transfer.files;
        }
        sizeCheck(input);
      }, "image/jpeg", 0.85);
    }).catch(function () {
      sizeCheck(input);
    });
  }

  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      var photo = file && /^image\/(jpeg|png)$/.test(file.type);
      // a big photo is made smaller first (the server would refuse it otherwise)
      if (photo && window.DataTransfer && window.createImageBitmap && file.size >= 1500000) {
        shrink(input, file);
      } else {
        sizeCheck(input);
      }
    });
  });

  // Verification: choosing "back for correction" fills an empty "what to fix" box with the
  // rejected documents and what is still missing; a document reviewed afterwards updates it, as
  // long as the verifier has not written in it themselves.
  var decisionForm = document.querySelector("[data-correction-form]");
  if (decisionForm) {
    var box = decisionForm.querySelector("textarea[name=items]");
    var filled = box ? box.value : "";
    var fill = function () {
      var source = document.getElementById("correction-items");
      var chosen = decisionForm.querySelector("input[name=decision]:checked");
      if (!box || !source || !chosen || chosen.value !== "correction") { return; }
      if (box.value.trim() === "" || box.value === filled) {
        box.value = filled = source.getAttribute("data-items") || "";
      }
    };
    decisionForm.addEventListener("change", fill);
    document.body.addEventListener("htmx:afterSettle", fill);
  }

  // Preferences: only the job types whose open pathways lead to a country ticked are offered
  // (the server says where each leads, data-countries). One ticked already stays in sight, for
  // the server to explain; with no country ticked every job type shows.
  document.querySelectorAll("form").forEach(function (form) {
    var jobs = form.querySelectorAll("input[data-countries]");
    var countries = form.querySelectorAll("input[type=checkbox][name$=preferred_countries]");
    if (!jobs.length || !countries.length) { return; }
    var filter = function () {
      var chosen = [];
      countries.forEach(function (box) { if (box.checked) { chosen.push(box.value); } });
      jobs.forEach(function (job) {
        var reach = job.getAttribute("data-countries").split(" ");
        var fits = !chosen.length || reach.some(function (c) { return chosen.indexOf(c) >= 0; });
        var row = job.closest("div") || job.parentNode;
        row.style.display = fits || job.checked ? "" : "none";
      });
    };
    countries.forEach(function (box) { box.addEventListener("change", filter); });
    filter();
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
