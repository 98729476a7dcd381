"""A burst of messages keeps Rasa's event loop busy for seconds: its calls to the action server must still land.

Rasa opens a connection per action call and may write the request only after its loop is free again; the action
server must not close a connection that has been silent that long (a lost call is a turn without its action).
"""

from __future__ import annotations

import socket
import time
from urllib.parse import urlparse

import pytest

from actions.server import KEEP_ALIVE_SECONDS
from tests.e2e.conftest import Servers

pytestmark = pytest.mark.e2e

#: Longer than Sanic's own default (5 s), which closed such connections.
SILENCE_SECONDS = 6.5


def test_a_connection_silent_for_seconds_still_gets_its_answer(servers: Servers) -> None:
    assert KEEP_ALIVE_SECONDS > SILENCE_SECONDS
    address = urlparse(servers.actions_url)
    with socket.create_connection((address.hostname, address.port), timeout=30) as connection:
        time.sleep(SILENCE_SECONDS)
        connection.sendall(f"GET /health HTTP/1.1\r\nHost: {address.hostname}\r\nConnection: close\r\n\r\n".encode())
        answer = connection.recv(4096)
    assert answer.startswith(b"HTTP/1.1 200"), answer
