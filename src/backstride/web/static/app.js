// backstride: the only script. Pages work without it; it adds live job progress and
// auto-submits the profile picker.
(function () {
  "use strict";
  // The phone menu closes with Escape or a tap elsewhere, as a menu should.
  document.querySelectorAll(".nav-phone details").forEach(function (menu) {
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && menu.open) { menu.open = false; menu.querySelector("summary").focus(); }
    });
    document.addEventListener("click", function (e) {
      if (menu.open && !menu.contains(e.target)) { menu.open = false; }
    });
  });
  // A button that starts something slow says so and cannot be pressed twice.
  document.addEventListener("submit", function (e) {
    var button = e.submitter || e.target.querySelector("button[data-busy]");
    if (!button || !button.hasAttribute("data-busy") || e.defaultPrevented) { return; }
    window.setTimeout(function () {  // after the browser has taken the form's values
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
      button.textContent = button.getAttribute("data-busy");
    }, 0);
  });
  var picker = document.getElementById("runner-select");
  if (picker) {
    picker.addEventListener("change", function () { picker.form.submit(); });
  }
  // A video the browser cannot decode: say so and point at the download link.
  document.querySelectorAll("video[data-fallback]").forEach(function (video) {
    function fail() {
      var note = document.getElementById(video.getAttribute("data-fallback"));
      if (note) { note.hidden = false; }
      video.hidden = true;
    }
    if (video.error) { fail(); } else { video.addEventListener("error", fail); }
  });
  // Questions that only apply after a given answer on the same step: hide them otherwise.
  var dependent = document.querySelectorAll("[data-ask-key]");
  function refresh() {
    dependent.forEach(function (el) {
      var form = el.closest("form");
      var key = el.getAttribute("data-ask-key");
      if (!form || !form.querySelector('input[name="' + key + '"]')) { return; }  // decided on an earlier step
      var chosen = form.querySelector('input[name="' + key + '"]:checked');
      // Shown only once the answer it depends on is given on this step (for example a yes to weight loss).
      el.hidden = !(chosen && chosen.value === el.getAttribute("data-ask-value"));
    });
  }
  if (dependent.length) {
    document.addEventListener("change", refresh);
    refresh();
  }
  // Chart values: the SVG <title> shows on hover; a tap, a click or keyboard focus shows it too.
  var tipBox = null;
  function showTip(el) {
    var title = el.querySelector("title");
    if (!title) { return; }
    if (!tipBox) {
      tipBox = document.createElement("div");
      tipBox.className = "chart-tip";
      tipBox.setAttribute("role", "status");
      document.body.appendChild(tipBox);
    }
    tipBox.textContent = title.textContent;
    tipBox.hidden = false;
    var box = el.getBoundingClientRect();
    var left = Math.min(window.scrollX + box.left, window.scrollX + document.documentElement.clientWidth - tipBox.offsetWidth - 8);
    tipBox.style.left = Math.max(window.scrollX + 4, left) + "px";
    tipBox.style.top = Math.max(window.scrollY + 4, window.scrollY + box.top - tipBox.offsetHeight - 6) + "px";
  }
  function hideTip() { if (tipBox) { tipBox.hidden = true; } }
  var shown = null;
  document.addEventListener("click", function (e) {
    var el = e.target.closest && e.target.closest("svg .tip");
    if (!el) { hideTip(); shown = null; return; }
    // A week's bar links to its runs. On a touch screen the first tap shows the value and
    // a second tap on the same bar opens the runs; a mouse click opens them at once.
    if (el.tagName.toLowerCase() === "a" && e.pointerType === "touch" && shown !== el) { e.preventDefault(); }
    showTip(el);
    shown = el;
  });
  document.addEventListener("focusin", function (e) {
    var el = e.target.closest && e.target.closest("svg .tip");
    if (el) { showTip(el); } else { hideTip(); }
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") { hideTip(); } });
  // A screening step that came back with problems: move focus to the list of what to fix.
  var problems = document.getElementById("step-problems");
  if (problems) { problems.focus(); }
  // Two form-check videos played in step: each one's clock is offset by its first foot contact.
  var pair = document.querySelector("[data-sync-videos]");
  if (pair) {
    var vids = Array.prototype.slice.call(pair.querySelectorAll("video[data-first-contact]"));
    var t0 = function (v) { return parseFloat(v.getAttribute("data-first-contact")) || 0; };
    var syncing = false;
    var follow = function (lead) {
      if (syncing) { return; }
      syncing = true;
      vids.forEach(function (v) {
        if (v === lead) { return; }
        var t = lead.currentTime - t0(lead) + t0(v);
        if (Math.abs(v.currentTime - t) > 0.05) { v.currentTime = Math.max(0, t); }
        if (lead.paused !== v.paused) { if (lead.paused) { v.pause(); } else { v.play().catch(function () {}); } }
      });
      syncing = false;
    };
    vids.forEach(function (v) {
      ["play", "pause", "seeked"].forEach(function (ev) { v.addEventListener(ev, function () { follow(v); }); });
    });
    var start = document.querySelector("[data-sync-play]");
    if (start && vids.length) {
      start.addEventListener("click", function () {
        vids.forEach(function (v) { v.currentTime = t0(v); });
        vids.forEach(function (v) { v.play().catch(function () {}); });
      });
    }
  }
  var job = document.querySelector("[data-job-url]");
  if (!job) { return; }
  var bar = job.querySelector("progress");
  var text = job.querySelector("[data-job-message]");
  function poll() {
    fetch(job.getAttribute("data-job-url"), { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.fraction !== null && bar) { bar.value = s.fraction; bar.textContent = Math.round(s.fraction * 100) + "%"; }
        if (text) { text.textContent = s.message || s.state; }
        if (s.finished) { window.location.reload(); return; }
        window.setTimeout(poll, 700);
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 400);
})();
