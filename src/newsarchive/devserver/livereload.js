// Injected by `newsarchive serve` only (never written into a built site).
// Long-polls the dev server with the build epoch this page was served at and then:
// reloads the page, swaps stylesheets in place (CSS-only change), or shows the build error;
// a build that did not change this page ("unchanged") only clears an error overlay.
(function () {
  "use strict";
  var state = window.__newsarchiveReload || {};
  var epoch = state.epoch || 0;
  var OVERLAY_ID = "__newsarchive-error";
  var delay = 500;

  function hideError() {
    var old = document.getElementById(OVERLAY_ID);
    if (old) old.remove();
  }

  // Everything from the server goes in as text: a message may quote untrusted content.
  function showError(err) {
    hideError();
    var box = document.createElement("div");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    box.style.cssText =
      "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#1e1e1e;color:#f5f5f5;border-top:4px solid #e5484d;padding:1rem 1.25rem;" +
      "font:14px/1.5 ui-monospace,monospace;box-shadow:0 -4px 16px rgba(0,0,0,.4)";
    var title = document.createElement("strong");
    title.textContent = "Build failed — showing the last good version of this page";
    title.style.cssText = "display:block;color:#ff8a8a;margin-bottom:.5rem";
    var where = document.createElement("div");
    where.className = "location";
    var loc = err.file ? err.file + (err.line ? ":" + err.line : "") : "";
    where.textContent = loc;
    var message = document.createElement("pre");
    message.className = "message";
    message.style.cssText = "white-space:pre-wrap;margin:.5rem 0 0";
    message.textContent = err.message || "";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "Hide");
    close.style.cssText =
      "position:absolute;top:.5rem;right:.75rem;background:none;border:0;color:inherit;" +
      "font-size:1.5rem;cursor:pointer";
    close.onclick = hideError;
    box.append(close, title, where, message);
    (document.body || document.documentElement).appendChild(box);
  }

  function swapStylesheets(token) {
    var links = document.querySelectorAll('link[rel~="stylesheet"][href]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.getAttribute("href"), location.href);
      if (url.origin !== location.origin) return;
      url.searchParams.set("__reload", String(token));
      // Insert the new sheet next to the old one and drop the old one once the new one
      // has loaded, so the page never flashes unstyled.
      var fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.onload = fresh.onerror = function () { link.remove(); };
      link.parentNode.insertBefore(fresh, link.nextSibling);
    });
  }

  function handle(answer) {
    if (answer.epoch) epoch = answer.epoch;
    state.epoch = epoch;
    if (answer.action === "reload") {
      location.reload();
      return false;
    }
    if (answer.action === "css") {
      hideError();
      swapStylesheets(answer.epoch);
    } else if (answer.action === "unchanged") {
      hideError();
    } else if (answer.action === "error") {
      showError(answer.error || {});
    }
    return true;
  }

  function poll() {
    var query = "?epoch=" + encodeURIComponent(epoch);
    if (state.page) query += "&page=" + encodeURIComponent(state.page);
    fetch(state.poll + query, { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (answer) {
        delay = 500;
        if (handle(answer)) poll();
      })
      .catch(function () {
        // Server restarting or gone: keep trying, a little slower each time.
        delay = Math.min(delay * 2, 5000);
        setTimeout(poll, delay);
      });
  }

  if (state.error) showError(state.error);
  poll();
})();
