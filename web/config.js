// Where the page finds Rasa's REST channel (make run: 127.0.0.1:5005).
window.KNOTCARE = { rasaUrl: "http://127.0.0.1:5005" };
