// chatshop's few lines of page behaviour beyond htmx:
// - live updates: the dashboard listens to its shop's server-sent events (/app/live; the admin
//   console to /admin/live) and, per kind
//   of change, fires "live-<kind>" on <body>; the parts of a page that show such things reload
//   themselves on it (hx-trigger="live-chat from:body"), and the navigation's badges are recounted.
//   The browser's EventSource reconnects by itself; an idle stream costs nothing but a comment.
//   A live part with a form the person has typed in is left alone until they send it.
// - saved replies: choosing one in a reply box's picker puts its text in the box.
// - print: a [data-print] button prints the page.
(function () {
  "use strict";

  function recountBadges() {
    if (!document.querySelector("[data-badge]")) return; // the admin console has none
    fetch("/app/live/badges", { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (counts) {
        if (!counts) return;
        document.querySelectorAll("[data-badge]").forEach(function (el) {
          var n = counts[el.dataset.badge] || 0;
          el.textContent = n > 99 ? "99+" : String(n);
          el.hidden = n === 0;
        });
      })
      .catch(function () {});
  }

  function listen(src) {
    if (!window.EventSource) return;
    var pending = {};
    var stream = new EventSource(src);
    ["chat", "notification", "dispute"].forEach(function (kind) {
      stream.addEventListener(kind, function () {
        // A burst of changes (a webhook batch) reloads each part once.
        clearTimeout(pending[kind]);
        pending[kind] = setTimeout(function () {
          document.body.dispatchEvent(new CustomEvent("live-" + kind));
        }, 150);
      });
    });
    stream.addEventListener("open", function () { document.body.classList.remove("live-off"); });
    stream.addEventListener("error", function () { document.body.classList.add("live-off"); });
    // The badges are recounted once the live parts have reloaded (which may mark things seen).
    document.body.addEventListener("htmx:afterSettle", function (e) {
      if (e.target.closest && e.target.closest("[data-live]")) recountBadges();
    });
  }

  // A live part the person is typing in waits: it reloads with the page their form leads to.
  document.addEventListener("input", function (e) {
    var region = e.target.closest && e.target.closest("[data-live]");
    if (region) region.dataset.dirty = "1";
  });
  document.addEventListener("htmx:beforeRequest", function (e) {
    if (e.detail.elt.dataset && e.detail.elt.dataset.dirty) e.preventDefault();
  });

  document.addEventListener("change", function (e) {
    var picker = e.target.closest && e.target.closest("[data-saved-reply]");
    if (!picker) return;
    var option = picker.selectedOptions[0];
    var box = document.getElementById(picker.dataset.savedReply);
    if (!option || !option.value || !box) return;
    box.value = box.value ? box.value.replace(/\s*$/, "\n\n") + option.value : option.value;
    picker.value = "";
    box.focus();
  });

  // A conversation opens, and stays, scrolled to its latest message.
  function scrollToEnd() {
    document.querySelectorAll("[data-scroll-end]").forEach(function (el) { el.scrollTop = el.scrollHeight; });
  }

  // A Print button prints the page (a packing slip); without JavaScript, the browser's own command does.
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-print]")) window.print();
  });

  document.addEventListener("DOMContentLoaded", function () {
    scrollToEnd();
    document.body.addEventListener("htmx:afterSettle", scrollToEnd);
    var el = document.querySelector("[data-live-stream]");
    if (el) listen(el.dataset.liveStream);
  });
})();
