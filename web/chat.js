// Starts the rasa-webchat widget on Rasa's socket.io channel with the clinic's settings
// (window.KNOTCARE, from /config.js). The widget renders what people type as plain text and the
// assistant's messages as Markdown with raw HTML escaped.
(function () {
  "use strict";
  var c = window.KNOTCARE;
  document.title = c.name;
  document.getElementById("clinic-name").textContent = c.name;
  document.getElementById("tagline").textContent = c.tagline || "";
  var root = document.documentElement.style;
  root.setProperty("--primary", c.primary_color);
  if (c.background_color) root.setProperty("--background", c.background_color);

  window.WebChat.default({
    socketUrl: c.socket_url,
    socketPath: "/socket.io/",
    // Rasa's socketio channel keeps the conversation per session id (session_persistence: true);
    // the widget keeps that id and the messages in localStorage, so a reload resumes the chat.
    params: { storage: "local" },
    initPayload: c.init_payload,
    customData: { language: "en" },
    title: c.title,
    subtitle: c.subtitle || "",
    inputTextFieldHint: c.input_hint || "Type a message...",
    connectingText: "Connecting...",
    embedded: true,
    showFullScreenButton: false,
    showCloseButton: false,
    hideWhenNotConnected: false,
    mainColor: c.primary_color,
    userBackgroundColor: c.primary_color,
    userTextColor: "#ffffff",
  }, document.getElementById("chat"));
})();
