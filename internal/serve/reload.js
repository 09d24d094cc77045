// dealsite live reload: injected by `dealsite serve` only, never written
// to disk. Reloads the page once per new build (the browser keeps the
// scroll position), swaps stylesheets in place when only CSS changed,
// and shows the build errors in an overlay until they are fixed.
(function () {
  "use strict";
  var me = document.currentScript;
  var build = Number(me && me.getAttribute("data-build")) || 0;
  var source = new EventSource("/__dealsite/events");

  function overlay(lines) {
    var old = document.getElementById("dealsite-overlay");
    if (old) old.remove();
    if (!lines || !lines.length) return;
    var box = document.createElement("div");
    box.id = "dealsite-overlay";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#2b0d0d;color:#ffe9e9;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.25rem;border-top:4px solid #ff6b6b";
    var title = document.createElement("strong");
    title.textContent = "The site did not build. The last good version is shown. Fix these and save:";
    var list = document.createElement("ul");
    list.style.cssText = "margin:.5rem 0 0;padding-left:1.25rem";
    lines.forEach(function (line) {
      var li = document.createElement("li");
      li.textContent = line;
      list.appendChild(li);
    });
    box.appendChild(title);
    box.appendChild(list);
    document.body.appendChild(box);
  }

  function swapStyles(id) {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("dealsite-build", id);
      var fresh = link.cloneNode();
      fresh.href = url.toString();
      fresh.onload = function () { link.remove(); };
      link.after(fresh);
    });
  }

  function handle(ev) {
    var msg = JSON.parse(ev.data);
    if (msg.type === "errors") {
      build = msg.id;
      overlay(msg.errors);
      return;
    }
    if (msg.id === build) return; // already showing this build
    if (msg.type === "hello" && msg.errors && msg.errors.length) {
      overlay(msg.errors);
      return;
    }
    if (msg.type === "reload" && msg.cssOnly) {
      build = msg.id;
      overlay(null);
      swapStyles(msg.id);
      return;
    }
    location.reload();
  }
  source.addEventListener("hello", handle);
  source.addEventListener("reload", handle);
  source.addEventListener("errors", handle);
  window.__dealsiteBuild = function () { return build; };
})();
