"""Fake Slack Web API and Telegram Bot API: real HTTP servers on loopback that record every call."""

from __future__ import annotations

import json
import threading
import time
from email.parser import BytesParser
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import parse_qs


class FakeApi:
    """An HTTP server on 127.0.0.1 that records each POST as (method, params) and answers via `respond`."""

    def __init__(self, respond: Callable[[str, Dict[str, Any]], Dict[str, Any]]) -> None:
        self.calls: List[Dict[str, Any]] = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                kind = self.headers.get("Content-Type", "")
                files: Dict[str, bytes] = {}
                if kind.startswith("application/json"):
                    params = json.loads(raw.decode() or "{}")
                elif kind.startswith("multipart/form-data"):  # Telegram's sendPhoto
                    params, files = _multipart(kind, raw)
                elif self.path.startswith("/upload/"):  # Slack's upload URL: the file's bytes
                    params, files = {}, {"file": raw}
                else:
                    params = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                # Some Web API methods (chat.delete) send their arguments in the query string.
                path, _, query = self.path.partition("?")
                params.update({k: v[0] for k, v in parse_qs(query).items()})
                method = path.rstrip("/").rsplit("/", 1)[-1]
                call = {"method": method, "path": self.path, "params": params, "files": files,
                        "authorization": self.headers.get("Authorization")}
                with fake.lock:
                    fake.calls.append(call)
                body = json.dumps(respond(method, params)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Base URL of the fake."""
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> "FakeApi":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def matching(self, method: str, where: Optional[Callable[[Dict[str, Any]], bool]] = None) -> List[Dict[str, Any]]:
        """Recorded calls of `method` whose params satisfy `where`."""
        with self.lock:
            return [c for c in self.calls if c["method"] == method and (where is None or where(c["params"]))]

    def wait_for(self, method: str, where: Optional[Callable[[Dict[str, Any]], bool]] = None, count: int = 1,
                 timeout: float = 30.0) -> List[Dict[str, Any]]:
        """Wait until at least `count` matching calls arrived; return them (fail with what did arrive)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.matching(method, where)
            if len(found) >= count:
                return found
            time.sleep(0.1)
        raise AssertionError(f"expected {count} {method} call(s), got {self.matching(method, where)}; "
                             f"all calls: {[c['method'] for c in self.calls]}")

    def wait_quiet(self, method: str, where: Optional[Callable[[Dict[str, Any]], bool]] = None,
                   quiet: float = 1.5, timeout: float = 30.0) -> List[Dict[str, Any]]:
        """Wait until no new matching call arrived for `quiet` seconds; return the matching calls."""
        deadline = time.monotonic() + timeout
        last, since = -1, time.monotonic()
        while time.monotonic() < deadline:
            now = len(self.matching(method, where))
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break
            time.sleep(0.1)
        return self.matching(method, where)


def _multipart(content_type: str, raw: bytes) -> Tuple[Dict[str, Any], Dict[str, bytes]]:
    """The fields and the files of a multipart/form-data body."""
    message = BytesParser(policy=default).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw)
    params: Dict[str, Any] = {}
    files: Dict[str, bytes] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if part.get_filename():
            files[name] = payload
        else:
            params[name] = payload.decode()
    return params, files


class SlackResponder:
    """What Slack's Web API answers (enough for slack_sdk), uploads included (to `upload_base`)."""

    def __init__(self) -> None:
        self.upload_base = ""
        self.file_id = 0

    def __call__(self, method: str, params: Dict[str, Any]) -> Dict[str, Any]:
        if method == "files.getUploadURLExternal":
            self.file_id += 1
            file_id = f"F{self.file_id}"
            return {"ok": True, "upload_url": f"{self.upload_base}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = params.get("files") or "[]"
            files = json.loads(files) if isinstance(files, str) else files
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        if method == "files.info":
            return {"ok": True, "file": {"id": params.get("file")}}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(params.get("users", "")).lstrip("UW")}}
        return {"ok": True, "channel": params.get("channel"), "ts": f"{time.time():.6f}"}


class TelegramResponder:
    """What the Bot API answers: Message objects for sends, True for the rest."""

    def __init__(self) -> None:
        self.message_id = 1000

    def __call__(self, method: str, params: Dict[str, Any]) -> Dict[str, Any]:
        if method in ("sendMessage", "sendPhoto", "editMessageReplyMarkup"):
            self.message_id += 1
            chat_id = int(params.get("chat_id", 0))
            return {"ok": True, "result": {"message_id": self.message_id, "date": int(time.time()),
                                           "chat": {"id": chat_id, "type": "private"}, "text": params.get("text")}}
        return {"ok": True, "result": True}
