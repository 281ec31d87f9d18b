(function () {
  "use strict";
  // Filters the findings table by hiding rows; it only reads textContent and never builds HTML or code from report text.
  var text = document.getElementById("filter-text");
  var severity = document.getElementById("filter-severity");
  var section = document.getElementById("filter-section");
  var rule = document.getElementById("filter-rule");
  var counter = document.getElementById("filter-count");
  var empty = document.getElementById("filter-empty");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#findings-table tbody tr"));
  if (!text || !severity || !section || !rule || !counter) {
    return;
  }
  function apply() {
    var needle = text.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var keep = (!severity.value || row.dataset.severity === severity.value) &&
        (!section.value || row.dataset.section === section.value) &&
        (!rule.value || row.dataset.rule === rule.value) &&
        (!needle || row.textContent.toLowerCase().indexOf(needle) !== -1);
      row.hidden = !keep;
      if (keep) {
        shown += 1;
      }
    });
    counter.textContent = String(shown);
    if (empty) {
      empty.hidden = shown !== 0;
    }
  }
  [text, severity, section, rule].forEach(function (control) {
    control.addEventListener("input", apply);
    control.addEventListener("change", apply);
  });
  Array.prototype.slice.call(document.querySelectorAll("[data-filter-rule]")).forEach(function (link) {
    link.addEventListener("click", function () {
      rule.value = link.getAttribute("data-filter-rule") || "";
      apply();
    });
  });
  document.documentElement.classList.add("js");
  apply();
})();
