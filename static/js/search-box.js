// The search box's loader: js/search.js, the search itself, is fetched
// only when the visitor first focuses or types in the box, so that a
// page nobody searches from costs this file alone.
(function () {
  "use strict";
  var form = document.querySelector("form[data-search]");
  if (!form) return;
  function load() {
    form.removeEventListener("focusin", load);
    form.removeEventListener("keydown", load);
    var s = document.createElement("script");
    s.src = form.getAttribute("data-search").replace(/search\/$/, "js/search.js");
    document.head.appendChild(s);
  }
  form.addEventListener("focusin", load);
  form.addEventListener("keydown", load);
  if (document.activeElement && form.contains(document.activeElement)) load();
})();
