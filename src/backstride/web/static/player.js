// backstride session player. The page works without this script (exercise cards and a log form);
// with it, the session plays one exercise at a time: countdowns for holds and rests, a counter for
// reps, skip, "this hurts" with a 0-10 rating, pause and a summary that fills in the log form.
// Everything it needs is in the page (the JSON in #session-data), so it keeps working offline; the
// final save is retried when the connection comes back.
(function () {
  "use strict";
  var dataEl = document.getElementById("session-data");
  var root = document.getElementById("player");
  if (!dataEl || !root) { return; }
  var S = JSON.parse(dataEl.textContent);
  var steps = S.steps, items = S.items;
  if (!steps.length) { return; }
  function $(id) { return document.getElementById(id); }
  var el = {
    where: $("p-where"), progress: $("p-progress"), figure: $("p-figure"), name: $("p-name"), dose: $("p-dose"),
    phase: $("p-phase"), timer: $("p-timer"), counter: $("p-counter"), count: $("p-count"), countOf: $("p-count-of"),
    rep: $("p-rep"), unrep: $("p-unrep"), status: $("p-status"), start: $("p-start"), howSteps: $("p-steps"),
    cues: $("p-cues"), main: $("p-main"), pause: $("p-pause"), skip: $("p-skip"), hurt: $("p-hurt"),
    sound: $("p-sound"), vibrate: $("p-vibrate"), vibrateWrap: $("p-vibrate-wrap"),
    dialog: $("p-pain"), painAdvice: $("p-pain-advice"), painOk: $("p-pain-ok"), painCancel: $("p-pain-cancel"),
    log: $("session-log"), form: $("log-form"), logTitle: $("log-title"), summary: $("summary-text"),
    logStatus: $("log-status"), save: $("log-save")
  };
  var STORE = "backstride.session.pending";
  var direct = null;          // "log it without the player", until the session starts

  // ------------------------------------------------------------ sound and vibration
  var audio = null;
  function prefs(name, fallback) {
    try { var v = window.localStorage.getItem("backstride.player." + name); return v === null ? fallback : v === "1"; }
    catch (e) { return fallback; }
  }
  function savePref(name, on) { try { window.localStorage.setItem("backstride.player." + name, on ? "1" : "0"); } catch (e) { /* private mode */ } }
  el.sound.checked = prefs("sound", true);
  if (typeof navigator.vibrate === "function") {
    el.vibrateWrap.hidden = false;
    el.vibrate.checked = prefs("vibrate", false);   // off unless the runner turns it on
  }
  el.sound.addEventListener("change", function () { savePref("sound", el.sound.checked); wakeAudio(); });
  el.vibrate.addEventListener("change", function () { savePref("vibrate", el.vibrate.checked); });
  function wakeAudio() {   // browsers allow sound only after a tap or key press
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx || !el.sound.checked) { return; }
    try {
      if (!audio) { audio = new Ctx(); }
      if (audio.state === "suspended") { audio.resume(); }
    } catch (e) { audio = null; }
  }
  function beep(freq, ms) {
    if (!el.sound.checked || !audio) { return; }
    try {
      var t = audio.currentTime, osc = audio.createOscillator(), gain = audio.createGain();
      osc.type = "sine"; osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.3, t + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + ms / 1000);
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(t); osc.stop(t + ms / 1000 + 0.02);
    } catch (e) { /* no sound is never an error */ }
  }
  function buzz(pattern) {
    // Muted means silent in every way: no vibration either.
    if (el.sound.checked && el.vibrate.checked && typeof navigator.vibrate === "function") { navigator.vibrate(pattern); }
  }

  // ------------------------------------------------------------ state
  var results = items.map(function () { return { sets: 0, reps: null, hold: null, pain: null, stopped: false, skipped: false, side: null }; });
  var pos = 0;              // index of the current step
  var phase = "intro";      // intro | ready | work | rest | switch | done
  var count = 0;            // reps counted in the current work step
  var timer = null;         // {endsAt, remaining, total, onEnd, lastSecond}
  var paused = false, ticker = null, painOpen = false;
  var startedAt = null, pausedMs = 0, pausedAt = null;

  function fmt(sec) { var s = Math.max(0, Math.ceil(sec)); return Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2); }
  function stepItem() { return steps[pos] ? steps[pos].item : items.length; }
  function firstStepOf(itemIndex) { for (var i = 0; i < steps.length; i++) { if (steps[i].item === itemIndex) { return i; } } return steps.length; }
  function say(text, cls) { el.status.textContent = text; el.status.className = "player-status" + (cls ? " " + cls : ""); }

  function showItem(i) {
    var item = items[i], card = document.querySelector("#card-" + i + " .figure svg");
    el.figure.innerHTML = "";
    if (card) { el.figure.appendChild(card.cloneNode(true)); }
    el.name.textContent = item.name;
    el.dose.textContent = item.dose_text;
    el.start.textContent = item.start_position ? "Start: " + item.start_position : "";
    el.howSteps.innerHTML = "";
    item.instructions.forEach(function (s) { var li = document.createElement("li"); li.textContent = s; el.howSteps.appendChild(li); });
    el.cues.innerHTML = "";
    item.cues.forEach(function (c) { var li = document.createElement("li"); li.textContent = c; el.cues.appendChild(li); });
  }

  function where() {
    var st = steps[pos], i = stepItem();
    var text = "Exercise " + (i + 1) + " of " + items.length;
    if (st && phase !== "intro") {
      text += " · set " + st.set_no + " of " + st.sets;
      if (st.side) { text += " · " + st.side + " side"; }
    }
    el.where.textContent = text;
    el.progress.value = pos / steps.length;
    el.progress.textContent = Math.round(100 * pos / steps.length) + "%";
  }

  // ------------------------------------------------------------ countdown
  function startTimer(seconds, onEnd) {
    timer = { endsAt: Date.now() + seconds * 1000, remaining: seconds * 1000, total: seconds, onEnd: onEnd, lastSecond: null };
    el.timer.hidden = false;
    el.timer.textContent = fmt(seconds);
    if (!ticker) { ticker = window.setInterval(tick, 200); }
  }
  function stopTimer() { timer = null; if (ticker) { window.clearInterval(ticker); ticker = null; } }
  function tick() {
    if (!timer || paused) { return; }
    timer.remaining = timer.endsAt - Date.now();
    var left = Math.ceil(timer.remaining / 1000);
    if (left !== timer.lastSecond) {
      timer.lastSecond = left;
      if (left > 0 && left <= 3) { beep(660, 90); }
    }
    el.timer.textContent = fmt(timer.remaining / 1000);
    if (timer.remaining <= 0) {
      var done = timer.onEnd;
      stopTimer();
      beep(880, 450);
      buzz([200, 100, 200]);
      done();
    }
  }

  // ------------------------------------------------------------ steps
  function intro() {
    phase = "intro"; count = 0; stopTimer();
    var i = stepItem();
    showItem(i);
    el.timer.hidden = true; el.counter.hidden = true;
    el.phase.textContent = items[i].timed ? "Get into the start position. Press Start; the hold counts down after " + S.get_ready_s + " seconds."
      : "Get into the start position, then press Start and count your reps.";
    el.main.textContent = "Start";
    el.pause.disabled = true;
    say(items[i].why && items[i].why.indexOf("advanced") === 0 ? "Moved up: " + items[i].why : "");
    where();
  }

  function begin() {
    var st = steps[pos];
    wakeAudio();
    if (startedAt === null) { startedAt = Date.now(); direct.hidden = true; }
    if (root.scrollIntoView) { root.scrollIntoView({ block: "start" }); }
    el.pause.disabled = false;
    el.timer.className = "player-timer";
    if (st.kind !== "work") {
      phase = st.kind;
      el.counter.hidden = true;
      el.timer.className = "player-timer rest";
      el.phase.textContent = st.kind === "switch" ? "Switch to the " + st.side + " side." : "Rest. Next: set " + (st.set_no + 1) + " of " + st.sets + ".";
      el.main.textContent = st.kind === "switch" ? "Ready now" : "Skip the rest";
      startTimer(st.seconds, next);
    } else if (st.seconds) {
      phase = "ready";
      el.counter.hidden = true;
      el.phase.textContent = "Get ready…";
      el.main.textContent = "Start the hold now";
      startTimer(S.get_ready_s, hold);
    } else {
      phase = "work";
      count = 0;
      el.timer.hidden = true; el.counter.hidden = false;
      el.count.textContent = "0";
      el.countOf.textContent = " of " + st.reps + (st.hold_each_rep_s ? " (hold each " + st.hold_each_rep_s + " s)" : "");
      el.phase.textContent = (st.side ? st.side.charAt(0).toUpperCase() + st.side.slice(1) + " side: " : "") + st.reps + " reps. Tap +1 rep as you go, or just press Set done.";
      el.main.textContent = "Set done";
    }
    where();
  }

  function hold() {
    var st = steps[pos];
    phase = "work";
    beep(520, 200);
    el.phase.textContent = "Hold" + (st.side ? ", " + st.side + " side" : "") + ".";
    el.main.textContent = "End the hold early";
    startTimer(st.seconds, function () { finishWork(st.seconds); });
    where();
  }

  function finishWork(amount) {
    var st = steps[pos], r = results[st.item], item = items[st.item];
    // A one-sided set counts once both sides are done; its amount is the weaker side.
    var side = r.side === null ? amount : Math.min(r.side, amount);
    if (!st.side || st.side === "right") {
      r.sets += 1;
      r.side = null;
      if (item.timed) { r.hold = r.hold === null ? side : Math.min(r.hold, side); }
      else { r.reps = r.reps === null ? side : Math.min(r.reps, side); }
    } else {
      r.side = side;
    }
    next();
  }

  function next() {
    stopTimer();
    var was = stepItem();
    pos += 1;
    if (pos >= steps.length) { summary(); return; }
    if (steps[pos].item !== was) { intro(); return; }
    begin();
  }

  function leaveItem() {   // on to the next exercise, whatever the step
    stopTimer();
    pos = firstStepOf(stepItem() + 1);
    paused = false; el.pause.textContent = "Pause";
    if (pos >= steps.length) { summary(); } else { intro(); }
  }

  function main() {
    if (painOpen || phase === "done") { return; }
    if (paused) { togglePause(); return; }
    if (phase === "intro") { begin(); }
    else if (phase === "ready") { stopTimer(); hold(); }
    else if (phase === "work") {
      var st = steps[pos];
      if (st.seconds) { finishWork(Math.max(0, Math.floor(st.seconds - timer.remaining / 1000))); }
      else { finishWork(count || st.reps); }
    } else { next(); }   // rest or switch: skip it
  }

  function togglePause() {
    if (phase === "intro" || phase === "done") { return; }
    paused = !paused;
    if (paused) {
      pausedAt = Date.now();
      if (timer) { timer.remaining = timer.endsAt - Date.now(); }
      el.pause.textContent = "Resume";
      el.timer.classList.add("paused");
      say("Paused. Press Resume (or P) to carry on.");
    } else {
      pausedMs += Date.now() - (pausedAt || Date.now());
      if (timer) { timer.endsAt = Date.now() + timer.remaining; }
      el.pause.textContent = "Pause";
      el.timer.classList.remove("paused");
      say("");
    }
  }

  function skip() {
    if (phase === "done" || painOpen) { return; }
    var r = results[stepItem()];
    if (r.sets === 0) { r.skipped = true; }
    leaveItem();
  }

  function rep(delta) {
    if (phase !== "work" || steps[pos].seconds || paused) { return; }
    count = Math.max(0, Math.min(200, count + delta));
    el.count.textContent = String(count);
    if (delta > 0) { beep(440, 60); }
  }

  // ------------------------------------------------------------ this hurts
  var wasPaused = false, chosen = null;
  function hurt() {
    if (phase === "done" || painOpen) { return; }
    wasPaused = paused;
    if (!paused && phase !== "intro") { togglePause(); }
    painOpen = true; chosen = null;
    el.painAdvice.textContent = "";
    el.painOk.hidden = true;
    Array.prototype.forEach.call(el.dialog.querySelectorAll(".pain-n"), function (b) { b.setAttribute("aria-pressed", "false"); });
    if (typeof el.dialog.showModal === "function") { el.dialog.showModal(); } else { el.dialog.setAttribute("open", ""); }
    var first = el.dialog.querySelector(".pain-n");
    if (first) { first.focus(); }
  }
  function ratePain(n) {
    var i = stepItem(), item = items[i], r = results[i], pain = S.pain;
    chosen = n;
    r.pain = r.pain === null ? n : Math.max(r.pain, n);
    Array.prototype.forEach.call(el.dialog.querySelectorAll(".pain-n"), function (b) {
      b.setAttribute("aria-pressed", String(Number(b.getAttribute("data-pain")) === n));
    });
    var stop = n > item.stop_above_nrs;
    el.painAdvice.textContent = stop ? pain.advice.stop.replace(/^Stop this exercise for today: \d+\/10/, "Stop this exercise for today: " + n + "/10")
      : (n > pain.safe_max ? pain.advice.acceptable : pain.advice.safe);
    el.painAdvice.className = stop ? "player-status stop" : "player-status";
    el.painOk.hidden = false;
    el.painOk.textContent = stop ? "Stop this exercise" : "Carry on";
    el.painOk.focus();
  }
  function closePain(confirmed) {
    if (!painOpen) { return; }
    painOpen = false;
    if (typeof el.dialog.close === "function" && el.dialog.open) { el.dialog.close(); } else { el.dialog.removeAttribute("open"); }
    var i = stepItem();
    if (confirmed && chosen !== null && chosen > items[i].stop_above_nrs) {
      results[i].stopped = true;
      leaveItem();
      say("Stopped " + items[i].name + " at " + chosen + "/10 pain. It is logged that way, so it comes back easier.", "stop");
      return;
    }
    if (chosen !== null) { say("Pain " + chosen + "/10 noted."); }
    if (paused && !wasPaused) { togglePause(); }
    el.main.focus();
  }

  // ------------------------------------------------------------ summary and saving
  function summary() {
    stopTimer();
    phase = "done";
    el.progress.value = 1; el.progress.textContent = "100%";
    root.hidden = true;
    var done = 0, sets = 0;
    var rows = el.form.querySelectorAll(".log-row");
    Array.prototype.forEach.call(rows, function (row) {
      var i = Number(row.getAttribute("data-item")), r = results[i], item = items[i];
      var did = !r.skipped && (r.sets > 0 || r.pain !== null);
      row.querySelector('input[name="done"]').checked = did;
      row.querySelector('input[name^="sets__"]').value = String(r.sets);
      var reps = row.querySelector('input[name^="reps__"]'), held = row.querySelector('input[name^="hold_s__"]');
      if (reps) { reps.value = r.reps === null ? "" : String(r.reps); }
      if (held) { held.value = r.hold === null ? "" : String(r.hold); }
      row.querySelector('input[name^="pain__"]').value = r.pain === null ? "" : String(r.pain);
      var note = row.querySelector(".log-note");
      var text = r.stopped ? "Stopped for pain (" + r.pain + "/10)." : (r.skipped ? "Skipped." : (r.sets < item.dose.sets ? r.sets + " of " + item.dose.sets + " sets." : "Done as planned."));
      note.textContent = text; note.hidden = false;
      if (did) { done += 1; sets += r.sets; }
    });
    var minutes = startedAt === null ? 0 : Math.max(1, Math.round((Date.now() - startedAt - pausedMs) / 60000));
    el.logTitle.textContent = "Session done: your summary";
    el.summary.hidden = false;
    el.summary.textContent = done + " of " + items.length + " exercises, " + sets + " sets" + (minutes ? ", about " + minutes + " minute" + (minutes === 1 ? "" : "s") : "") + ". Check the numbers, add how much it hurt, and save.";
    el.log.hidden = false;
    el.logTitle.setAttribute("tabindex", "-1");
    el.logTitle.focus();
  }

  function body() { return new URLSearchParams(new FormData(el.form)).toString(); }
  function send(payload) {
    el.save.disabled = true;
    el.logStatus.textContent = "Saving…";
    return fetch(el.form.getAttribute("action"), {
      method: "POST", body: payload, credentials: "same-origin",
      headers: { "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded" }
    }).then(function (resp) {
      return resp.json().then(function (json) { return { ok: resp.ok, json: json }; });
    }).then(function (res) {
      if (!res.ok) {
        var err = res.json.error || {}, problems = (err.problems || []).map(function (p) { return p.field + ": " + p.message; });
        el.logStatus.textContent = (err.message || "That was not accepted.") + (problems.length ? " " + problems.join("; ") : "");
        el.save.disabled = false;
        forget();
        return;
      }
      forget();
      el.logStatus.innerHTML = "";
      el.logStatus.appendChild(document.createTextNode("Saved to your journal for " + res.json.day + ". "));
      var a = document.createElement("a"); a.href = res.json.next; a.textContent = "See Today";
      el.logStatus.appendChild(a);
      el.save.textContent = "Saved";
    }).catch(function () {
      remember(payload);
      el.save.disabled = false;
      el.save.textContent = "Try saving again";
      el.logStatus.textContent = "backstride could not be reached, so this is not saved yet. It is kept on this device and sent when the connection is back, or press Try saving again.";
    });
  }
  function remember(payload) { try { window.localStorage.setItem(STORE, JSON.stringify({ url: el.form.getAttribute("action"), body: payload })); } catch (e) { /* nothing to do */ } }
  function forget() { try { window.localStorage.removeItem(STORE); } catch (e) { /* nothing to do */ } }
  function pending() { try { return JSON.parse(window.localStorage.getItem(STORE) || "null"); } catch (e) { return null; } }

  el.form.addEventListener("submit", function (event) { event.preventDefault(); send(body()); });
  window.addEventListener("online", function () { var p = pending(); if (p && phase === "done") { send(p.body); } });

  // ------------------------------------------------------------ wiring
  el.main.addEventListener("click", main);
  el.pause.addEventListener("click", togglePause);
  el.skip.addEventListener("click", skip);
  el.hurt.addEventListener("click", hurt);
  el.rep.addEventListener("click", function () { rep(1); });
  el.unrep.addEventListener("click", function () { rep(-1); });
  Array.prototype.forEach.call(el.dialog.querySelectorAll(".pain-n"), function (b) {
    b.addEventListener("click", function () { ratePain(Number(b.getAttribute("data-pain"))); });
  });
  el.painOk.addEventListener("click", function () { closePain(true); });
  el.painCancel.addEventListener("click", function () { closePain(false); });
  el.dialog.addEventListener("cancel", function (event) { event.preventDefault(); closePain(false); });
  var typed = "";
  el.dialog.addEventListener("keydown", function (event) {
    if (/^[0-9]$/.test(event.key)) {   // "1" then "0" within a second makes 10
      typed = (typed === "1" && event.key === "0") ? "10" : event.key;
      ratePain(Number(typed));
      window.setTimeout(function () { typed = ""; }, 1000);
      event.preventDefault();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (painOpen || phase === "done" || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var t = event.target, tag = t && t.tagName ? t.tagName.toLowerCase() : "";
    if (tag === "input" || tag === "textarea" || tag === "select") { return; }
    var onControl = tag === "button" || tag === "a" || tag === "summary";
    var k = event.key;
    if ((k === "Enter" || k === " ") && !onControl) { main(); }
    else if (k === "p" || k === "P") { togglePause(); }
    else if (k === "+" || k === "=" || k === "ArrowUp") { rep(1); }
    else if (k === "-" || k === "ArrowDown") { rep(-1); }
    else if (k === "s" || k === "S") { skip(); }
    else if (k === "h" || k === "H") { hurt(); }
    else { return; }
    event.preventDefault();
  });

  document.body.classList.add("js-player");
  root.hidden = false;
  el.log.hidden = true;
  direct = document.createElement("button");
  direct.type = "button"; direct.className = "secondary"; direct.textContent = "Log it without the player";
  direct.addEventListener("click", function () {
    stopTimer(); phase = "done"; root.hidden = true; el.log.hidden = false; direct.hidden = true;
    document.body.classList.add("show-cards");   // the exercise cards come back with the form
    el.logTitle.setAttribute("tabindex", "-1"); el.logTitle.focus();
  });
  root.parentNode.insertBefore(direct, el.log);
  intro();
  // A session finished while the server was out of reach: send it now (once; it stays kept on failure).
  var waiting = pending();
  if (waiting) {
    fetch(waiting.url, { method: "POST", body: waiting.body, credentials: "same-origin",
      headers: { "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded" } })
      .then(function (resp) { if (resp.ok || resp.status === 400) { forget(); } })
      .catch(function () { /* still offline: keep it */ });
  }
})();
