"""The web chat page: its settings (data/clinic/widget.yml + environment) and a small static server.

The page is our own (web/chat.js on socket.io-client and markdown-it, both copied from node_modules into
web/vendor/ by `make install`). It is static apart from `/config.js`, which carries the clinic's settings,
the page's own words and the body map, and `/pictures/<name>.svg`, the pictures drawn from
data/pictures/body.yml (knotcare.pictures; nothing personal). The server sends a Content-Security-Policy so
the page can only talk to itself and to Rasa: no outside fonts, scripts or trackers, and an injected script
would not run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Mapping, Optional
from urllib.parse import urlsplit

import yaml

from knotcare.config import DATA_DIR, ROOT
from knotcare.settings import Settings

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
    "idle_clear_minutes": "KNOTCARE_CLINIC_IDLE_CLEAR_MINUTES",
}
REQUIRED = ("name", "title", "primary_color", "init_payload")
#: What the page needs from node_modules (package-lock.json pins them), copied into web/vendor/.
VENDOR_FILES = {
    "socket.io.min.js": "socket.io-client/dist/socket.io.min.js",
    "markdown-it.min.js": "markdown-it/dist/browser/markdown-it.umd.min.js",
}
#: The page's text colour (web/chat.css) and the white of the text on the clinic's colour.
TEXT, WHITE = "#15201b", "#ffffff"


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
    rasa = Settings.from_env(env)
    settings["socket_url"] = rasa.socket_url or f"http://{rasa.rasa_host}:{rasa.rasa_port}"
    missing = [key for key in REQUIRED if not settings.get(key)]
    if missing:
        raise WidgetConfigError(f"{path}: missing {', '.join(missing)}")
    for key in ("primary_color", "background_color"):
        if settings.get(key) and not COLOR.match(str(settings[key])):
            raise WidgetConfigError(f"{key} must look like #1f6f5c, not {settings[key]!r}")
    if urlsplit(settings["socket_url"]).scheme not in ("http", "https"):
        raise WidgetConfigError(f"KNOTCARE_SOCKET_URL must be http(s)://..., not {settings['socket_url']!r}")
    _check_contrast(settings)
    texts = settings.pop("texts", None) or {}
    try:
        idle = float(settings.pop("idle_clear_minutes", 0) or 0)
    except (TypeError, ValueError) as error:
        raise WidgetConfigError("idle_clear_minutes must be a number of minutes (0: off)") from error
    result: Dict[str, Any] = {k: (str(v) if v is not None else None) for k, v in settings.items()}
    result["texts"] = {str(k): str(v) for k, v in texts.items()}
    result["idle_clear_minutes"] = idle
    return result


def contrast(first: str, second: str) -> float:
    """The WCAG 2 contrast ratio of two #rrggbb colours (1 to 21)."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _check_contrast(settings: Mapping[str, Any]) -> None:
    """Refuse clinic colours that people could not read (WCAG 1.4.3: 4.5:1 for text)."""
    pairs = [("primary_color", settings["primary_color"], WHITE, "white text on it (buttons, your messages)")]
    if settings.get("background_color"):
        pairs.append(("background_color", settings["background_color"], TEXT, "the page's dark text on it"))
    for key, colour, other, where in pairs:
        ratio = contrast(str(colour), other)
        if ratio < 4.5:
            raise WidgetConfigError(f"{key} {colour} is too light or too dark to read: {where} has a contrast of "
                                    f"{ratio:.1f}:1, and at least 4.5:1 is needed (WCAG 2.2 AA). Pick a "
                                    f"{'darker' if other == WHITE else 'lighter'} colour.")


def page_config(settings: Mapping[str, Any]) -> Dict[str, Any]:
    """What the page starts with: the settings, and the body map drawn from data/pictures/body.yml."""
    from knotcare.kb.seed import words
    from knotcare.pictures import figure as body
    from knotcare.pictures.catalogue import picture
    from knotcare.pictures.drawing import body_map
    from knotcare.pictures.svg import to_svg

    shapes = body.load()
    chart = picture("body_map")
    config = dict(settings)
    config["body_map"] = {
        "svg": to_svg(body_map(shapes, labels=False)),
        "width": shapes.width, "height": shapes.height, "label_x": shapes.label_x,
        "regions": [{"id": r.id, "label": r.label, "label_y": r.label_y} for r in shapes.regions.values()],
        "alt": chart.alt if chart else "",
        "elsewhere": words()["body_map_elsewhere"],
    }
    return config


def config_js(settings: Mapping[str, Any]) -> str:
    """The page's configuration as a script that sets `window.KNOTCARE` (JSON, with `<` escaped for safety)."""
    return "window.KNOTCARE = " + json.dumps(page_config(settings), indent=2).replace("<", "\\u003c") + ";\n"


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
    #: /config.js, made once per server from the settings (they do not change while it runs)
    script: bytes = b""

    def end_headers(self) -> None:
        # Positions of the body map's buttons are set as inline styles, hence 'unsafe-inline' for styles only.
        self.send_header("Content-Security-Policy", content_security_policy(self.settings["socket_url"]))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        """Serve /config.js from the settings, /pictures/<name>.svg from the figure; everything else from web/."""
        path = self.path.split("?")[0]
        if path == "/config.js":
            self._send(self.script, "text/javascript; charset=utf-8", "no-store")
            return
        if path.startswith("/pictures/") and path.endswith(".svg"):
            from knotcare.pictures.catalogue import picture

            drawn = picture(path[len("/pictures/"):-len(".svg")])
            if drawn is None:
                self.send_error(404)
                return
            self._send(drawn.svg().encode(), "image/svg+xml; charset=utf-8", "public, max-age=3600")
            return
        super().do_GET()

    def _send(self, body: bytes, content_type: str, cache: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
        """No client addresses in the log (privacy): method, path and status only."""
        print(format % args, flush=True)


def make_server(host: str, port: int, settings: Mapping[str, Any], directory: Path = WEB_DIR) -> ThreadingHTTPServer:
    """A threaded HTTP server for the page (call `serve_forever()`)."""
    missing = [name for name in VENDOR_FILES if not (directory / "vendor" / name).exists()]
    if missing:
        raise FileNotFoundError(f"{directory / 'vendor'} lacks {', '.join(missing)}: run `make install`")
    handler = type("Handler", (WebChatHandler,), {"settings": dict(settings),
                                                  "script": config_js(settings).encode()})
    return ThreadingHTTPServer((host, port), partial(handler, directory=str(directory)))


def vendor(node_modules: Path, target: Path) -> None:
    """Copy the page's libraries from node_modules into `target` (web/vendor/), each with its licence."""
    target.mkdir(parents=True, exist_ok=True)
    for name, source in VENDOR_FILES.items():
        shutil.copyfile(node_modules / source, target / name)
        package = node_modules / source.split("/")[0]
        shutil.copyfile(package / "LICENSE", target / f"{name}.LICENSE.txt")
