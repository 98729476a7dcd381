"""The web page in a real browser (Debian's chromium through Playwright): a whole conversation over
Rasa's socket.io channel, a reload that keeps it, a screenshot, and typed HTML shown as text."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterator, List

import pytest
import requests

from tests.channels.conftest import RESULTS
from tests.channels.drivers import EXPECTED, OPENING, contract
from tests.conftest import unavailable

pytestmark = pytest.mark.channels

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-dev-shm-usage"]
WAIT = 30_000  # ms


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Iterator[object]:
    """Debian's chromium, headless, with a fresh profile (installed by .ci/run when missing)."""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM), headless=True,
            args=ARGS, viewport={"width": 900, "height": 1100})
        try:
            yield context
        finally:
            context.close()


def open_page(browser, world, outside: List[str]):
    """A new tab on the chat page, clean storage, recording any request that leaves our two servers."""
    page = browser.new_page()
    ours = (world.web_url, world.servers.rasa_url, "data:")
    page.on("request", lambda request: None if request.url.startswith(ours) else outside.append(request.url))
    # Clear the origin's storage from a page without the widget, then open the chat once: loading the
    # widget, clearing under it and reloading raced with its first handshake (no greeting, now and then).
    page.goto(f"{world.web_url}/config.js")
    page.evaluate("localStorage.clear()")
    page.goto(world.web_url)
    return page


def settle(page, quiet_ms: int = 3000, limit_ms: int = 30_000) -> int:
    """Wait until no new message has appeared for `quiet_ms`; the number of messages shown."""
    shown, still, waited = -1, 0, 0
    while still < quiet_ms and waited < limit_ms:
        now = page.locator(".rw-message").count()
        still = still + 250 if now == shown else 0
        shown = now
        page.wait_for_timeout(250)
        waited += 250
    return shown


def session_id(page) -> str:
    return json.loads(page.evaluate("localStorage.getItem('chat_session')"))["session_id"]


def test_whole_conversation_reload_and_screenshot(browser, world) -> None:
    from playwright.sync_api import expect

    outside: List[str] = []
    page = open_page(browser, world, outside)
    expect(page.locator("#clinic-name")).to_have_text("Knotcare")
    greeting = page.locator(".rw-response").first
    expect(greeting).to_contain_text("I'm Knotcare", timeout=WAIT)
    expect(page.locator(".rw-reply", has_text="Neck")).to_be_visible()  # region buttons from the greeting

    box = page.locator(".rw-new-message")
    box.fill(OPENING[1])
    box.press("Enter")
    expect(page.locator(".rw-client").last).to_have_text(OPENING[1])

    no = page.locator(".rw-reply", has_text=re.compile(r"^\s*No\s*$"))
    skip = page.locator(".rw-reply", has_text=re.compile(r"^\s*Skip\s*$"))  # the plan preferences
    routine = page.locator(".rw-response", has_text="Why this one")
    for _ in range(10):
        expect(routine.or_(no).or_(skip).first).to_be_visible(timeout=WAIT)
        if routine.count():
            break
        button = no if no.count() else skip
        button.first.click()
        expect(button).to_have_count(0, timeout=WAIT)  # the pressed question's buttons go away
    expect(routine).to_be_visible()
    # Basic formatting: the routine's name in bold, its steps as a numbered list.
    expect(page.locator(".rw-response strong").first).to_be_visible(timeout=WAIT)
    expect(page.locator(".rw-response ol li").first).to_be_visible(timeout=WAIT)
    assert page.locator(".rw-response ol").first.evaluate("e => getComputedStyle(e).listStyleType") == "decimal"
    assert "system-ui" in page.locator(".rw-response").first.evaluate("e => getComputedStyle(e).fontFamily")
    settle(page)  # the widget shows queued messages one by one, with a typing delay

    session = session_id(page)
    sender = f"web:{session}"  # the conversation id of a web session (channels/socketio.py)
    assert contract(world, sender) == EXPECTED
    shown = page.locator(".rw-message").count()
    users_before = [e for e in _events(world, sender) if e["event"] == "user"]

    page.reload()
    expect(page.locator(".rw-response", has_text="Why this one")).to_be_visible(timeout=WAIT)
    expect(page.locator(".rw-client", has_text=OPENING[1])).to_be_visible()
    assert settle(page, quiet_ms=1500) == shown
    assert session_id(page) == session  # the widget's persistence: the issued session comes back
    page.wait_for_timeout(1500)
    assert [e for e in _events(world, sender) if e["event"] == "user"] == users_before  # no new greeting
    assert contract(world, sender) == EXPECTED

    RESULTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(RESULTS / "webchat-conversation.png"), full_page=True)
    assert outside == [], outside
    page.close()


def test_typed_html_and_script_are_shown_as_text(browser, world) -> None:
    from playwright.sync_api import expect

    outside: List[str] = []
    page = open_page(browser, world, outside)
    expect(page.locator(".rw-response").first).to_contain_text("I'm Knotcare", timeout=WAIT)
    typed = '<img src=x onerror="window.pwned=1"><b>bold</b><script>window.pwned=2</script> [x](javascript:alert(1))'
    box = page.locator(".rw-new-message")
    box.fill(typed)
    box.press("Enter")
    mine = page.locator(".rw-client").last
    expect(mine).to_have_text(typed)
    assert mine.locator("img, b, script, a").count() == 0
    page.wait_for_timeout(2000)  # let the assistant answer, and any injected handler fire
    assert page.evaluate("window.pwned") is None
    assert page.locator(".rw-messages-container img, .rw-messages-container script").count() == 0
    page.reload()  # restored from storage: still text
    expect(page.locator(".rw-client").last).to_have_text(typed, timeout=WAIT)
    assert page.evaluate("window.pwned") is None
    assert outside == [], outside
    page.close()


def test_page_headers_keep_it_to_itself(world) -> None:
    response = requests.get(world.web_url + "/", timeout=10)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and world.servers.rasa_url in policy
    assert "fonts.googleapis.com" not in requests.get(world.web_url + "/vendor/webchat.js", timeout=10).text
    config = requests.get(world.web_url + "/config.js", timeout=10)
    assert config.headers["Content-Type"].startswith("text/javascript")
    assert f'"socket_url": "{world.servers.rasa_url}"' in config.text


def _events(world, sender: str):
    return requests.get(f"{world.servers.rasa_url}/conversations/{sender}/tracker",
                        params={"token": world.servers.token}, timeout=30).json()["events"]
