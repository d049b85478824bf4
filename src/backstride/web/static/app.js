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
