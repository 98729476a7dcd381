"""A fake Slack Web API: a real HTTP server on loopback that records calls and answers like Slack."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List
from urllib.parse import parse_qs


class FakeSlack:
    """Records every Web API call (method, token, arguments); `chat.*` answer ok with a ts."""

    def __init__(self) -> None:
        self.calls: List[Dict[str, Any]] = []
        calls = self.calls

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                if "json" in (self.headers.get("Content-Type") or ""):
                    args = json.loads(body or "{}")
                else:
                    args = {k: v[0] for k, v in parse_qs(body).items()}
                method = self.path.rsplit("/", 1)[-1]
                calls.append({"method": method, "auth": self.headers.get("Authorization"), "args": args})
                reply = {"ok": True, "channel": args.get("channel"), "ts": args.get("ts") or f"{time.time():.6f}"}
                data = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The base URL to give slack_sdk (ends with a slash, like https://slack.com/api/)."""
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/"

    def start(self) -> "FakeSlack":
        """Serve in a background thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()

    def wait_for(self, method: str, count: int = 1, timeout: float = 20) -> List[Dict[str, Any]]:
        """The calls of one method, waiting until there are `count` of them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [c for c in self.calls if c["method"] == method]
            if len(found) >= count:
                return found
            time.sleep(0.1)
        raise AssertionError(f"fake Slack: expected {count} {method} call(s), got {self.calls}")
