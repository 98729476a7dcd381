// A minimal chat page over Rasa's REST channel. What people type is only ever
// inserted as text (textContent), never as HTML.
(function () {
  "use strict";
  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const input = document.getElementById("text");
  const sender = localStorage.getItem("knotcare-sender") || ("web-" + crypto.randomUUID());
  localStorage.setItem("knotcare-sender", sender);

  // Bot text: escaped first, then **bold** and line breaks.
  function renderBotText(el, text) {
    text.split("\n").forEach(function (line, i) {
      if (i) el.appendChild(document.createElement("br"));
      line.split(/(\*\*[^*]+\*\*)/).forEach(function (part) {
        if (part.startsWith("**") && part.endsWith("**")) {
          const b = document.createElement("strong");
          b.textContent = part.slice(2, -2);
          el.appendChild(b);
        } else {
          el.appendChild(document.createTextNode(part));
        }
      });
    });
  }

  function add(who, message) {
    const row = document.createElement("div");
    row.className = "msg " + who;
    if (who === "user") row.textContent = message;
    else {
      if (message.text) renderBotText(row, message.text);
      // Charts come inline as data: URLs (actions/followup.py); nothing is loaded from elsewhere.
      if (typeof message.image === "string" && message.image.indexOf("data:image/png;base64,") === 0) {
        const img = document.createElement("img");
        img.src = message.image;
        img.alt = "Chart of your pain before and after each session";
        img.className = "chart";
        row.appendChild(img);
      }
      if (message.buttons && message.buttons.length) {
        const bar = document.createElement("div");
        bar.className = "buttons";
        message.buttons.forEach(function (b) {
          const btn = document.createElement("button");
          btn.type = "button";
          btn.textContent = b.title;
          btn.addEventListener("click", function () { send(b.payload, b.title); });
          bar.appendChild(btn);
        });
        row.appendChild(bar);
      }
    }
    log.appendChild(row);
    row.scrollIntoView({ block: "end" });
  }

  async function send(payload, shown) {
    add("user", shown || payload);
    try {
      const res = await fetch(window.KNOTCARE.rasaUrl + "/webhooks/rest/webhook", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: sender, message: payload }),
      });
      const replies = await res.json();
      replies.forEach(function (m) { add("bot", m); });
    } catch (err) {
      add("bot", { text: "Sorry, I can't reach the assistant right now. If this is an emergency, call your local emergency number." });
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });
})();
