// Timeline filter: progressive enhancement only. Without this script
// every filter is a plain link to the tag or party page. With it, a click
// filters the timeline in place, the address keeps the choice
// (#tags=slug) so it can be shared, and a status line says what is shown.
// When the timeline lists only the newest events (data-filter-pages), a
// filter would show a partial list: the links then go to the tag's or
// party's own pages, and a shared #tags=slug address leads there too.
(function () {
  "use strict";
  var nav = document.querySelector("[data-filter]");
  if (!nav || !document.querySelectorAll) return;
  if (nav.hasAttribute("data-filter-pages")) {
    var m = /^#(tags|parties)=([^&]+)$/.exec(location.hash);
    Array.prototype.forEach.call(m ? nav.querySelectorAll("a[data-kind]") : [], function (a) {
      if (a.getAttribute("data-kind") === m[1] && encodeURIComponent(a.getAttribute("data-slug")) === m[2]) location.replace(a.href);
    });
    return;
  }
  var events = Array.prototype.slice.call(document.querySelectorAll(".timeline .event"));
  var years = Array.prototype.slice.call(document.querySelectorAll(".timeline .year"));
  var labels = Array.prototype.slice.call(document.querySelectorAll(".timeline .era-label"));
  var status = nav.querySelector(".filter-status");
  var links = Array.prototype.slice.call(nav.querySelectorAll("a[data-kind]"));
  var reset = document.createElement("button");
  reset.type = "button";
  reset.className = "filter-reset";
  reset.textContent = "Show all events";
  reset.hidden = true;
  status.parentNode.insertBefore(reset, status.nextSibling);

  function apply(kind, slug) {
    var shown = 0, active = null;
    links.forEach(function (a) {
      var on = a.getAttribute("data-kind") === kind && a.getAttribute("data-slug") === slug;
      if (on) { a.setAttribute("aria-current", "true"); active = a; } else { a.removeAttribute("aria-current"); }
    });
    if (!active) kind = slug = null;
    events.forEach(function (e) {
      var match = !kind || (" " + e.getAttribute("data-" + kind) + " ").indexOf(" " + slug + " ") >= 0;
      e.hidden = !match;
      if (match) shown++;
    });
    years.forEach(function (y) { y.hidden = !y.querySelector(".event:not([hidden])"); });
    labels.forEach(function (l) { l.hidden = !!kind; });
    reset.hidden = !kind;
    status.textContent = kind ? "Showing " + shown + " of " + events.length + " events for " + active.textContent + "." : "";
  }

  function fromHash() {
    var m = /^#(tags|parties)=([^&]+)$/.exec(location.hash);
    if (m) apply(m[1], decodeURIComponent(m[2])); else apply(null, null);
  }

  nav.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest("a[data-kind]") : null;
    if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
    ev.preventDefault();
    var kind = a.getAttribute("data-kind"), slug = a.getAttribute("data-slug");
    if (a.getAttribute("aria-current") === "true") { kind = slug = null; }
    history.replaceState(null, "", kind ? "#" + kind + "=" + encodeURIComponent(slug) : location.pathname + location.search);
    apply(kind, slug);
  });
  reset.addEventListener("click", function () {
    history.replaceState(null, "", location.pathname + location.search);
    apply(null, null);
    nav.querySelector("a[data-kind]").focus();
  });
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
