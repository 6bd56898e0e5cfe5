// congvan serve: small progressive enhancements; every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // the sort menu applies at once
  var sort = document.querySelector(".searchbox select[name=sort]");
  if (sort) { sort.addEventListener("change", function () { sort.form.submit(); }); }
  // drop a file anywhere on the upload form
  var form = document.getElementById("upload-form");
  var input = document.getElementById("upload-file");
  if (form && input) {
    ["dragenter", "dragover"].forEach(function (ev) {
      form.addEventListener(ev, function (e) { e.preventDefault(); form.classList.add("dragover"); });
    });
    ["dragleave", "drop"].forEach(function (ev) {
      form.addEventListener(ev, function (e) { e.preventDefault(); form.classList.remove("dragover"); });
    });
    form.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) { input.files = e.dataTransfer.files; }
    });
  }
  // the correction form starts from the field's current value
  var field = document.getElementById("correct-field");
  var value = document.getElementById("correct-value");
  if (field && value) {
    var fill = function () {
      var row = document.querySelector("tr[data-field='" + field.value + "'] td");
      value.placeholder = row ? row.textContent.trim() : "";
    };
    field.addEventListener("change", fill);
    fill();
  }
});
