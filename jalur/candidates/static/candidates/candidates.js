// Candidate pages: shrink phone photos before upload, and the print button of the log-in slip.
// Everything still works without JavaScript: the server checks and re-encodes every file anyway.
document.addEventListener("DOMContentLoaded", function () {
  var MAX_SIDE = 2400;

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
        if (button) { button.disabled = false; }
      }, "image/jpeg", 0.85);
    }).catch(function () {
      if (button) { button.disabled = false; }
    });
  }

  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file || !/^image\/(jpeg|png)$/.test(file.type)) { return; }
      if (!window.DataTransfer || !window.createImageBitmap) { return; }
      if (file.size < 1500000) { return; }  // already small enough for a cheap data plan
      shrink(input, file);
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
