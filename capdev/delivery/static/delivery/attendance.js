/* The attendance sheet, made quicker with a keyboard. The page works without this file: the
   radio groups are native (Tab between participants, arrow keys within one), "Mark everyone
   present" is a link that proposes the marks without saving, and the form posts normally.

   With it:
   - "Mark everyone present" checks "present" for every participant the gate allows, at once;
   - on a participant's radio group, P, L, A and E choose present, late, absent or excused and
     move to the next participant;
   - the counts above the sheet follow the choices.
   The form itself is posted by htmx (one request for the whole class) and swapped back; events
   are delegated from the document so that they survive the swap. */
(function () {
  "use strict";

  var KEYS = { p: "present", l: "late", a: "absent", e: "excused" };

  function sheet() {
    return document.getElementById("attendance-sheet");
  }

  function updateCounts() {
    var root = sheet();
    if (!root) return;
    var counts = { present: 0, late: 0, absent: 0, excused: 0, unmarked: 0 };
    root.querySelectorAll("[data-row]").forEach(function (group) {
      var checked = group.querySelector("input[type=radio]:checked");
      counts[checked ? checked.value : "unmarked"] += 1;
    });
    Object.keys(counts).forEach(function (key) {
      var target = root.querySelector('[data-count="' + key + '"]');
      if (target) target.textContent = String(counts[key]);
    });
  }

  function choose(group, value) {
    var radio = group.querySelector('input[type=radio][value="' + value + '"]');
    if (!radio || radio.disabled) return false;
    radio.checked = true;
    var row = group.closest(".sheet-row");
    if (row) row.classList.add("is-changed");
    return true;
  }

  function focusGroup(group) {
    var target = group.querySelector("input[type=radio]:checked:not(:disabled)") ||
      group.querySelector("input[type=radio]:not(:disabled)");
    if (target) target.focus();
  }

  // With this script "Mark everyone present" acts in the page: it is a button, not a link.
  function enhance() {
    document.querySelectorAll("#attendance-sheet [data-mark-all]").forEach(function (el) {
      el.setAttribute("role", "button");
    });
  }

  function markAll(button) {
    var value = button.getAttribute("data-mark-all");
    sheet().querySelectorAll("[data-row]").forEach(function (group) { choose(group, value); });
    updateCounts();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-mark-all]");
    if (!button || !sheet() || !sheet().contains(button)) return;
    event.preventDefault();
    markAll(button);
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("#attendance-sheet input[type=radio]")) {
      var row = event.target.closest(".sheet-row");
      if (row) row.classList.add("is-changed");
      updateCounts();
    }
  });

  document.addEventListener("keydown", function (event) {
    var radio = event.target;
    if (event.key === " " && radio.matches && radio.matches("#attendance-sheet [data-mark-all]")) {
      event.preventDefault();  // a button answers the space bar too
      markAll(radio);
      return;
    }
    if (!radio.matches || !radio.matches("#attendance-sheet input[type=radio]")) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var value = KEYS[(event.key || "").toLowerCase()];
    if (!value) return;
    event.preventDefault();
    var group = radio.closest("[data-row]");
    if (!choose(group, value)) return;
    updateCounts();
    var groups = Array.prototype.slice.call(sheet().querySelectorAll("[data-row]"));
    var next = groups[groups.indexOf(group) + 1];
    if (next) focusGroup(next);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }

  document.addEventListener("htmx:afterSwap", function () {
    enhance();
    updateCounts();
    var root = sheet();
    var message = root && root.querySelector("[role=alert], [role=status]");
    if (message) {
      message.setAttribute("tabindex", "-1");
      message.focus();
    }
  });
})();
