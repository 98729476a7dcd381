// The chat page on Rasa's socket.io channel (channels/socketio.py), with the clinic's settings from /config.js
// (window.KNOTCARE). What people type is shown as text; the assistant's messages as Markdown with raw HTML
// escaped (markdown-it, html: false). Replies go into a role="log" region, so screen readers announce them.
// The session id the server issues and the messages are kept in localStorage: a reload resumes the chat, and
// "End and clear" (or the clinic's idle clear) removes them from this browser.
(function () {
  "use strict";
  var c = window.KNOTCARE;
  var t = c.texts || {};
  var STORE = "knotcare_chat";
  var REGION = /"body_region"\s*:\s*"([a-z_]+)"/;
  var md = window.markdownit({ html: false, linkify: false, breaks: true });
  var openLink = md.renderer.rules.link_open || function (tokens, i, options, env, self) {
    return self.renderToken(tokens, i, options);
  };
  md.renderer.rules.link_open = function (tokens, i, options, env, self) {
    tokens[i].attrSet("target", "_blank");
    tokens[i].attrSet("rel", "noopener noreferrer");
    return openLink(tokens, i, options, env, self);
  };

  var el = function (id) { return document.getElementById(id); };
  var log = el("log"), box = el("message"), offline = el("offline"), announcer = el("announce");

  // --- the clinic's look and the page's words -------------------------------------------------------------
  document.title = c.name;
  el("clinic-name").textContent = c.name;
  el("tagline").textContent = c.tagline || "";
  document.documentElement.style.setProperty("--primary", c.primary_color);
  if (c.background_color) document.documentElement.style.setProperty("--background", c.background_color);
  el("message-label").textContent = t.message_label || "Your message";
  el("send").textContent = t.send || "Send";
  el("end").textContent = t.end_and_clear || "End and clear";
  box.placeholder = c.input_hint || "";

  function say(text) {
    // Announce one short line (role="status"); cleared first so the same words are read again.
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function format(text, values) {
    return String(text || "").replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }

  // --- what is kept in this browser --------------------------------------------------------------------------
  var state = load();

  function load() {
    try {
      var kept = JSON.parse(window.localStorage.getItem(STORE) || "null");
      if (kept && Array.isArray(kept.messages)) return kept;
    } catch (e) { /* a damaged entry starts a new conversation */ }
    return { session_id: null, messages: [] };
  }

  function save() {
    try { window.localStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* storage full or off */ }
  }

  // --- drawing messages --------------------------------------------------------------------------------------
  function clearChoices() {
    var groups = log.querySelectorAll(".choices, .body-map");
    for (var i = 0; i < groups.length; i++) groups[i].remove();
  }

  function button(title, onPress, className) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = className || "choice";
    b.textContent = title;
    b.addEventListener("click", onPress);
    return b;
  }

  function choose(choice) {
    if (send(choice.payload, choice.title)) box.focus();
  }

  function bodyMap(regionButtons) {
    // The figure is a picture (hidden from screen readers); the regions are real buttons with visible names,
    // placed beside the figure, each joined to its area by a line. Tapping an area is the same as its button.
    var map = c.body_map;
    var wrap = document.createElement("div");
    wrap.className = "body-map";
    wrap.setAttribute("role", "group");
    wrap.setAttribute("aria-label", t.body_map || "Where does it hurt?");
    var figure = document.createElement("div");
    figure.className = "figure";
    var svg = new DOMParser().parseFromString(map.svg, "image/svg+xml").documentElement;
    svg = document.importNode(svg, true);
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    figure.appendChild(svg);
    var offered = {};
    regionButtons.forEach(function (choice) { offered[choice.region] = choice; });
    map.regions.forEach(function (region) {
      var choice = offered[region.id];
      var parts = svg.querySelectorAll('[data-region="' + region.id + '"]');
      if (!choice) {
        for (var i = 0; i < parts.length; i++) parts[i].classList.add("off");
        return;
      }
      var b = button(region.label, function () { choose(choice); }, "region");
      b.dataset.region = region.id;
      b.style.left = (100 * map.label_x / map.width) + "%";
      b.style.top = (100 * region.label_y / map.height) + "%";
      var light = function (on) { for (var i = 0; i < parts.length; i++) parts[i].classList.toggle("lit", on); };
      b.addEventListener("mouseenter", function () { light(true); });
      b.addEventListener("mouseleave", function () { light(false); });
      b.addEventListener("focus", function () { light(true); });
      b.addEventListener("blur", function () { light(false); });
      for (var i = 0; i < parts.length; i++) {
        parts[i].addEventListener("click", function () { choose(choice); });
        parts[i].classList.add("tappable");
      }
      figure.appendChild(b);
    });
    wrap.appendChild(figure);
    if (map.elsewhere) {
      wrap.appendChild(button(map.elsewhere, function () {
        choose({ title: map.elsewhere, payload: "/describe_other_part" });
      }, "choice elsewhere"));
    }
    return wrap;
  }

  function choices(buttons) {
    var regions = [], others = [];
    buttons.forEach(function (b) {
      var match = REGION.exec(b.payload || "");
      if (match) regions.push({ title: b.title, payload: b.payload, region: match[1] });
      else others.push(b);
    });
    var parts = [];
    if (regions.length && c.body_map) parts.push(bodyMap(regions));
    if (others.length || (regions.length && !c.body_map)) {
      var group = document.createElement("div");
      group.className = "choices";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", t.choices || "Choose an answer");
      (c.body_map ? others : buttons).forEach(function (b) {
        group.appendChild(button(b.title, function () { choose(b); }));
      });
      parts.push(group);
    }
    return parts;
  }

  function picture(p) {
    var src = p.name ? "pictures/" + p.name + ".svg" : p.src;
    if (!src || (!p.name && src.indexOf("data:image/png;base64,") !== 0)) return null;
    var figure = document.createElement("figure");
    figure.className = "picture";
    var img = document.createElement("img");
    img.src = src;
    img.alt = p.alt || "";
    figure.appendChild(img);
    if (p.caption) {
      var caption = document.createElement("figcaption");
      caption.textContent = p.caption;
      figure.appendChild(caption);
    }
    return figure;
  }

  function draw(entry, withChoices) {
    var item = document.createElement("div");
    item.className = "msg " + (entry.from === "user" ? "user" : "bot");
    var who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = (entry.from === "user" ? t.you_said || "You" : t.assistant_said || c.name) + ": ";
    item.appendChild(who);
    if (entry.text) {
      var body = document.createElement("div");
      body.className = "text";
      if (entry.from === "user") body.textContent = entry.text;
      else body.innerHTML = md.render(entry.text);
      item.appendChild(body);
    }
    if (entry.picture) {
      var shown = picture(entry.picture);
      if (shown) item.appendChild(shown);
    }
    if (!entry.text && !item.querySelector("figure")) return;
    log.appendChild(item);
    if (withChoices && entry.buttons && entry.buttons.length) {
      choices(entry.buttons).forEach(function (part) { log.appendChild(part); });
    }
    item.scrollIntoView({ block: "end" });
  }

  function add(entry) {
    if (entry.from === "user") clearChoices();
    state.messages.push(entry);
    save();
    draw(entry, true);
    idle();
  }

  function restore() {
    // Buttons only for the assistant's messages after the last thing the person said.
    var last = -1;
    state.messages.forEach(function (m, i) { if (m.from === "user") last = i; });
    state.messages.forEach(function (m, i) { draw(m, i > last); });
  }

  // --- the hold timer (guided steps) --------------------------------------------------------------------------
  var timer = { left: 0, running: false, tick: null };

  function showTimer() {
    el("timer-count").textContent = String(timer.left);
    el("timer-pause").textContent = timer.running ? t.pause || "Pause" : t.resume || "Resume";
  }

  function startHold(seconds) {
    window.clearInterval(timer.tick);
    timer = { left: seconds, running: true, tick: null };
    el("timer-label").textContent = format(t.hold || "Hold: {seconds} seconds", { seconds: seconds });
    el("timer").hidden = false;
    showTimer();
    say(format(t.hold_started || "Timer started: {seconds} seconds.", { seconds: seconds }));
    timer.tick = window.setInterval(function () {
      if (!timer.running) return;
      timer.left -= 1;
      showTimer();
      if (timer.left <= 0) {
        window.clearInterval(timer.tick);
        timer.running = false;
        el("timer").hidden = true;
        say(t.hold_done || "Time's up.");
      }
    }, 1000);
  }

  el("timer-pause").addEventListener("click", function () {
    timer.running = !timer.running;
    showTimer();
    say(timer.running ? t.hold_resumed || "Timer running again." : t.hold_paused || "Timer paused.");
  });

  // --- talking to Rasa ---------------------------------------------------------------------------------------
  var socket = window.io(c.socket_url, { path: "/socket.io/", transports: ["websocket", "polling"] });
  var downSince = null;

  function setOnline(online) {
    if (online) {
      if (!offline.hidden) say(t.back_online || "The assistant is back.");
      offline.hidden = true;
      downSince = null;
      return;
    }
    downSince = downSince || Date.now();
    offline.textContent = t.offline || "I can't reach the assistant right now. In an emergency, call your local emergency number now.";
    offline.hidden = false;
  }

  function send(message, shown) {
    if (!socket.connected || !state.session_id) {
      setOnline(false);
      return false;
    }
    if (shown !== null) add({ from: "user", text: shown });
    socket.emit("user_uttered", { message: message, session_id: state.session_id });
    return true;
  }

  socket.on("connect", function () {
    setOnline(true);
    socket.emit("session_request", { session_id: state.session_id });
  });

  socket.on("session_confirm", function (session) {
    var id = typeof session === "string" ? session : session && session.session_id;
    if (id === state.session_id) return;
    // A new conversation (first visit, cleared, or an id the server no longer knows): start it afresh.
    state = { session_id: id, messages: [] };
    log.textContent = "";
    save();
    send(c.init_payload, null);
  });

  socket.on("bot_uttered", function (m) {
    if (!m || typeof m !== "object") return;
    var custom = m.custom || {};
    if (custom.hold && custom.hold.seconds > 0) {
      startHold(Math.min(600, Math.round(custom.hold.seconds)));
      return;
    }
    var entry = { from: "bot", text: typeof m.text === "string" ? m.text : "" };
    if (Array.isArray(m.quick_replies)) {
      entry.buttons = m.quick_replies.map(function (b) { return { title: String(b.title), payload: String(b.payload) }; });
    }
    if (custom.picture) entry.picture = custom.picture;
    else if (m.attachment && m.attachment.payload && m.attachment.payload.src) {
      entry.picture = { src: m.attachment.payload.src, alt: "" };
    }
    add(entry);
  });

  socket.on("disconnect", function () { window.setTimeout(function () { if (!socket.connected) setOnline(false); }, 1500); });
  socket.on("connect_error", function () { setOnline(false); });

  // --- the message box, "End and clear", the idle clear --------------------------------------------------------
  el("composer").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = box.value.trim();
    if (!text) return;
    if (send(text, text)) box.value = "";
    box.focus();
  });

  box.addEventListener("keydown", function (event) {
    // Enter sends; Shift+Enter starts a new line.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      el("composer").requestSubmit();
    }
  });

  function endAndClear() {
    window.clearInterval(timer.tick);
    el("timer").hidden = true;
    state = { session_id: null, messages: [] };
    try { window.localStorage.removeItem(STORE); } catch (e) { /* nothing kept */ }
    log.textContent = "";
    say(t.cleared || "Cleared.");
    // A new socket session: the server issues a new id and the assistant greets again.
    socket.disconnect();
    socket.connect();
    box.value = "";
    box.focus();
  }

  el("end").addEventListener("click", endAndClear);

  var idleTimer = null;
  function idle() {
    if (!(c.idle_clear_minutes > 0)) return;
    window.clearTimeout(idleTimer);
    idleTimer = window.setTimeout(endAndClear, c.idle_clear_minutes * 60000);
  }

  restore();
  box.focus();
})();
