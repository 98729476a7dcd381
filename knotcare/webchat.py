"""The web chat page: its settings (data/clinic/widget.yml + environment) and a small static server.

The page is static (web/) apart from `/config.js`, which carries the settings the widget starts with.
The server sends a Content-Security-Policy so the page can only talk to itself and to Rasa: no
outside fonts, scripts or trackers, and an injected script would not run.
"""

from __future__ import annotations

import json
import os
import re
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Mapping, Optional
from urllib.parse import urlsplit

import yaml

from knotcare.config import DATA_DIR, ROOT

WIDGET_FILE = DATA_DIR / "clinic" / "widget.yml"
WEB_DIR = ROOT / "web"
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
# setting -> environment variable that overrides it
ENV_OVERRIDES = {
    "name": "KNOTCARE_CLINIC_NAME",
    "title": "KNOTCARE_CLINIC_TITLE",
    "subtitle": "KNOTCARE_CLINIC_SUBTITLE",
    "tagline": "KNOTCARE_CLINIC_TAGLINE",
    "primary_color": "KNOTCARE_CLINIC_PRIMARY_COLOR",
    "background_color": "KNOTCARE_CLINIC_BACKGROUND_COLOR",
    "init_payload": "KNOTCARE_CLINIC_INIT_PAYLOAD",
    "input_hint": "KNOTCARE_CLINIC_INPUT_HINT",
}
REQUIRED = ("name", "title", "primary_color", "init_payload")


class WidgetConfigError(ValueError):
    """The widget settings are incomplete or malformed."""


def widget_settings(path: Path = WIDGET_FILE, env: Optional[Mapping[str, str]] = None) -> Dict[str, Any]:
    """The widget's settings: the reviewed file, then environment overrides, then Rasa's address."""
    env = os.environ if env is None else env
    settings: Dict[str, Any] = dict(yaml.safe_load(path.read_text()) or {}) if path.exists() else {}
    for key, variable in ENV_OVERRIDES.items():
        if env.get(variable):
            settings[key] = env[variable]
    settings.setdefault("title", settings.get("name"))
    # Where the browser reaches Rasa's socket.io channel (not necessarily where Rasa binds).
    host, port = env.get("RASA_HOST", "127.0.0.1"), env.get("RASA_PORT", "5005")
    settings["socket_url"] = env.get("KNOTCARE_SOCKET_URL") or f"http://{host}:{port}"
    missing = [key for key in REQUIRED if not settings.get(key)]
    if missing:
        raise WidgetConfigError(f"{path}: missing {', '.join(missing)}")
    for key in ("primary_color", "background_color"):
        if settings.get(key) and not COLOR.match(str(settings[key])):
            raise WidgetConfigError(f"{key} must look like #1f6f5c, not {settings[key]!r}")
    if urlsplit(settings["socket_url"]).scheme not in ("http", "https"):
        raise WidgetConfigError(f"KNOTCARE_SOCKET_URL must be http(s)://..., not {settings['socket_url']!r}")
    return {k: (str(v) if v is not None else None) for k, v in settings.items()}


def config_js(settings: Mapping[str, Any]) -> str:
    """The settings as a script that sets `window.KNOTCARE` (JSON, with `<` escaped for safety)."""
    return "window.KNOTCARE = " + json.dumps(dict(settings), indent=2).replace("<", "\\u003c") + ";\n"


def content_security_policy(socket_url: str) -> str:
    """Only our own files, and connections to Rasa (HTTP long-polling and WebSocket)."""
    parts = urlsplit(socket_url)
    ws = ("wss" if parts.scheme == "https" else "ws") + "://" + parts.netloc
    origin = f"{parts.scheme}://{parts.netloc}"
    return ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data: https:; font-src 'self' data:; connect-src 'self' {origin} {ws}; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


class WebChatHandler(SimpleHTTPRequestHandler):
    """Static files from web/, `/config.js` made from the settings, and security headers on everything."""

    settings: Dict[str, Any] = {}

    def end_headers(self) -> None:
        # The widget injects its own <style> elements, hence 'unsafe-inline' for styles only.
        self.send_header("Content-Security-Policy", content_security_policy(self.settings["socket_url"]))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        """Serve /config.js from the settings; everything else from web/."""
        if self.path.split("?")[0] == "/config.js":
            body = config_js(self.settings).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/javascript; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
        """No client addresses in the log (privacy): method, path and status only."""
        print(format % args, flush=True)


def make_server(host: str, port: int, settings: Mapping[str, Any], directory: Path = WEB_DIR) -> ThreadingHTTPServer:
    """A threaded HTTP server for the page (call `serve_forever()`)."""
    if not (directory / "vendor" / "webchat.js").exists():
        raise FileNotFoundError(f"{directory / 'vendor' / 'webchat.js'} is missing: run `make install`")
    handler = type("Handler", (WebChatHandler,), {"settings": dict(settings)})
    return ThreadingHTTPServer((host, port), partial(handler, directory=str(directory)))


# The bundle's CSS imports the Inter font from Google Fonts: an outside request from every visitor's
# browser (a privacy leak on a health page, and a failure offline). The copy we serve has it removed.
OUTSIDE_IMPORT = re.compile(r"@import url\((?:https?:)?//fonts\.googleapis\.com/[^)]*\);?")


def vendor_bundle(source: Path, target: Path) -> int:
    """Copy rasa-webchat's bundle to `target` without its outside @imports; return how many were removed."""
    text, removed = OUTSIDE_IMPORT.subn("", source.read_text(encoding="utf-8"))
    if "fonts.googleapis.com" in text or "fonts.gstatic.com" in text:
        raise ValueError(f"{source}: an outside font reference is left after stripping; check the bundle")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return removed
