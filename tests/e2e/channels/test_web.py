"""The web page in a real browser (Debian's chromium through Playwright): a whole conversation over Rasa's
socket.io channel, the body map, the routine's picture, a reload that keeps it, "End and clear", the page
when Rasa is out of reach, keyboard use, axe-core's WCAG 2.2 AA checks, screenshots, and typed HTML shown
as text."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
import requests

from harness.stack import free_port
from knotcare.webchat import make_server, widget_settings
from tests.conftest import unavailable
from tests.e2e.channels.conftest import RESULTS
from tests.e2e.channels.drivers import EXPECTED, OPENING, contract, wait_turns

pytestmark = pytest.mark.channels

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-dev-shm-usage"]
WAIT = 30_000  # ms
#: axe-core's rule tags for WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


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


def open_page(browser, world, outside: List[str], url: str = ""):
    """A new tab on the chat page, clean storage, recording any request that leaves our two servers."""
    url = url or world.web_url
    page = browser.new_page()
    ours = (url, world.web_url, world.servers.rasa_url, "data:")
    page.on("request", lambda request: None if request.url.startswith(ours) else outside.append(request.url))
    # Clear the origin's storage from a page without the chat, then open the chat once.
    page.goto(f"{url}/config.js")
    page.evaluate("localStorage.clear()")
    page.goto(url)
    return page


def settle(page, quiet_ms: int = 3000, limit_ms: int = 30_000) -> int:
    """Wait until no new message has appeared for `quiet_ms`; the number of messages shown."""
    shown, still, waited = -1, 0, 0
    while still < quiet_ms and waited < limit_ms:
        now = page.locator(".msg").count()
        still = still + 250 if now == shown else 0
        shown = now
        page.wait_for_timeout(250)
        waited += 250
    return shown


def session_id(page) -> str:
    return json.loads(page.evaluate("localStorage.getItem('knotcare_chat')"))["session_id"]


def slots(world, sender: str) -> Dict[str, object]:
    """The conversation's slots once Rasa has stored its latest turn (replies reach the page before that)."""
    return wait_turns(world, sender, 1)["slots"]


def axe(page, moment: str) -> None:
    """axe-core's WCAG 2.2 A/AA rules on the page as it is: no serious or critical violation."""
    if not AXE.exists():
        unavailable(f"{AXE} is missing: run `make install` (npm ci installs axe-core)")
    page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated by the browser's debugger: the page's CSP allows it
    result = page.evaluate("tag => axe.run(document, {runOnly: {type: 'tag', values: tag}})", WCAG_TAGS)
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
           if v["impact"] in ("serious", "critical")]
    assert bad == [], f"{moment}: {bad}"
    assert result["passes"], "axe ran no rule"


def answer_until_routine(page, expect) -> None:
    """Press No (the screen) or Skip (the plan preferences) until the routine comes."""
    no = page.locator("button.choice", has_text=re.compile(r"^\s*No\s*$"))
    skip = page.locator("button.choice", has_text=re.compile(r"^\s*Skip\s*$"))
    routine = page.locator(".msg.bot", has_text="Why this one")
    for _ in range(10):
        expect(routine.or_(no).or_(skip).first).to_be_visible(timeout=WAIT)
        if routine.count():
            break
        button = no if no.count() else skip
        button.first.click()
        expect(button).to_have_count(0, timeout=WAIT)  # the pressed question's buttons go away
        expect(page.locator("#message")).to_be_focused()  # focus goes back to the message box
    expect(routine).to_be_visible()


def test_whole_conversation_reload_and_screenshot(browser, world) -> None:
    from playwright.sync_api import expect

    outside: List[str] = []
    page = open_page(browser, world, outside)
    expect(page.locator("#clinic-name")).to_have_text("Knotcare")
    expect(page.locator("#message")).to_be_focused()  # the chat opens ready to type
    greeting = page.locator(".msg.bot").first
    expect(greeting).to_contain_text("I'm Knotcare", timeout=WAIT)
    # Replies land inside a live region that was there before the first one (screen readers announce them).
    assert page.locator("#log").get_attribute("role") == "log"
    expect(page.locator("#log .msg.bot").first).to_be_attached()
    expect(page.locator("button.region", has_text="Neck")).to_be_visible()  # the greeting's body map
    axe(page, "at the start")
    page.screenshot(path=str(shot("start-desktop")), full_page=True)

    box = page.locator("#message")
    box.fill(OPENING[1])
    box.press("Enter")
    expect(page.locator(".msg.user .text").last).to_have_text(OPENING[1])
    expect(page.locator("button.choice", has_text=re.compile(r"^\s*No\s*$")).first).to_be_visible(timeout=WAIT)
    axe(page, "mid-conversation, a yes/no question open")
    answer_until_routine(page, expect)
    # Basic formatting: the routine's name in bold, its steps as a numbered list.
    expect(page.locator(".msg.bot strong").first).to_be_visible(timeout=WAIT)
    expect(page.locator(".msg.bot ol li").first).to_be_visible(timeout=WAIT)
    assert page.locator(".msg.bot ol").first.evaluate("e => getComputedStyle(e).listStyleType") == "decimal"
    assert "system-ui" in page.locator(".msg.bot").first.evaluate("e => getComputedStyle(e).fontFamily")
    # The routine's picture, with its text alternative, drawn (the image loaded).
    picture = page.locator(".msg.bot figure img")
    expect(picture.first).to_be_visible(timeout=WAIT)
    assert "back view of the body for this routine" in picture.first.get_attribute("alt")
    assert "shoulder blade" in picture.first.get_attribute("alt")
    assert picture.first.evaluate("img => img.complete && img.naturalWidth > 0")
    expect(page.locator(".msg.bot figcaption").first).to_contain_text("rings for the knots")
    settle(page)
    axe(page, "after the routine")
    page.screenshot(path=str(shot("routine-desktop")), full_page=True)

    session = session_id(page)
    sender = f"web:{session}"  # the conversation id of a web session (channels/socketio.py)
    assert contract(world, sender) == EXPECTED
    shown = page.locator(".msg").count()
    users_before = [e for e in _events(world, sender) if e["event"] == "user"]

    page.reload()
    expect(page.locator(".msg.bot", has_text="Why this one")).to_be_visible(timeout=WAIT)
    expect(page.locator(".msg.user", has_text=OPENING[1])).to_be_visible()
    assert settle(page, quiet_ms=1500) == shown
    assert session_id(page) == session  # the issued session comes back
    page.wait_for_timeout(1500)
    assert [e for e in _events(world, sender) if e["event"] == "user"] == users_before  # no new greeting
    assert contract(world, sender) == EXPECTED

    # Step by step: a hold shows a countdown outside the log, which can be paused.
    page.locator("button.choice", has_text="Guide me step by step").click()
    expect(page.locator(".msg.bot").last).to_contain_text("to 10 (the worst", timeout=WAIT)
    page.locator("#message").fill("5")
    page.locator("#message").press("Enter")
    expect(page.locator(".msg.bot", has_text="Step 1 of ")).to_be_visible(timeout=WAIT)
    # The first step says where the body goes: a drawing of that position, with its text alternative, drawn.
    position = page.locator('.msg.bot figure img[src*="pictures/position/"]')
    expect(position.first).to_be_visible(timeout=WAIT)
    assert position.first.get_attribute("alt").startswith("A side view of a person")
    assert position.first.evaluate("img => img.complete && img.naturalWidth > 0")
    for step in range(2, 5):  # on to the first step with a hold
        page.locator("button.choice", has_text="Next").click()
        expect(page.locator(".msg.bot", has_text=f"Step {step} of ")).to_be_visible(timeout=WAIT)
        if "Hold for" in page.locator(".msg.bot").last.inner_text():
            break
    expect(page.locator("#timer")).to_be_visible(timeout=WAIT)
    assert page.locator("#log #timer").count() == 0  # not inside the live log: the countdown is not read out
    expect(page.locator("#announce")).to_contain_text("Timer started", timeout=WAIT)
    page.locator("#timer-pause").click()
    expect(page.locator("#announce")).to_have_text("Timer paused.", timeout=WAIT)
    paused = page.locator("#timer-count").inner_text()
    page.wait_for_timeout(1500)
    assert page.locator("#timer-count").inner_text() == paused
    expect(page.locator("#timer-pause")).to_have_text("Resume")

    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(shot("routine-390px")), full_page=True)
    page.set_viewport_size({"width": 320, "height": 640})  # reflow (WCAG 1.4.10): no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert outside == [], outside
    page.close()


def shot(name: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    return RESULTS / f"web-{name}.png"


def test_tapping_the_body_map_answers_where_it_hurts(browser, world) -> None:
    from playwright.sync_api import expect

    outside: List[str] = []
    page = open_page(browser, world, outside)
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator("button.region", has_text="Lower back")).to_be_visible(timeout=WAIT)
    page.screenshot(path=str(shot("body-map-390px")), full_page=True)
    # Every region's button is a real button with its visible name, at least 24 x 24 px (WCAG 2.5.8).
    for region in page.locator("button.region").all():
        box = region.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, region.inner_text()
    # Tapping the drawn area is the same as its button.
    page.locator('.body-map svg polygon[data-region="lower_back"]').click()
    expect(page.locator(".msg.user .text").last).to_have_text("Lower back", timeout=WAIT)
    expect(page.locator("button.region")).to_have_count(0)  # answered: the map goes away
    session = session_id(page)
    expect(page.locator(".msg.bot").last).to_contain_text("feel like", timeout=WAIT)
    assert slots(world, f"web:{session}")["body_region"] == "lower_back"
    assert outside == [], outside
    page.close()


def test_somewhere_else_gets_the_scope_answer(browser, world) -> None:
    from playwright.sync_api import expect

    page = open_page(browser, world, [])
    page.locator("button.elsewhere").click(timeout=WAIT)
    expect(page.locator(".msg.bot").last).to_contain_text("neck, the tops of the shoulders and the back", timeout=WAIT)
    assert slots(world, f"web:{session_id(page)}")["body_region"] is None
    page.close()


def clipped_or_outside(page, width: int) -> List[str]:
    """Controls whose text is cut off or that stand (partly) outside a `width`-px-wide window, and the page itself
    when it scrolls sideways."""
    return page.evaluate("""width => {
        const bad = [];
        if (document.documentElement.scrollWidth > width) bad.push('page scrolls sideways');
        for (const el of document.querySelectorAll('button, textarea')) {
            const box = el.getBoundingClientRect();
            if (box.width === 0 && box.height === 0) continue;  // not shown
            if (el.scrollWidth > el.clientWidth + 1 || box.right > width + 1 || box.left < -1)
                bad.push(el.id || el.textContent.trim());
        }
        return bad;
    }""", width)


@pytest.mark.parametrize("how", ["zoom", "text"])
def test_at_200_percent_nothing_is_cut_off_and_the_chat_still_works(browser, world, how: str) -> None:
    """WCAG 1.4.4 and 1.4.10: a 1280 x 800 screen zoomed to 200% lays the page out 640 px wide; text alone made
    twice as large (the browser's text size) on the full width. Either way every control shows its whole label
    inside the window, nothing scrolls sideways, and a region tap and a typed answer are still taken."""
    from playwright.sync_api import expect

    width = 640 if how == "zoom" else 1280
    page = open_page(browser, world, [])
    page.set_viewport_size({"width": width, "height": 400 if how == "zoom" else 800})
    if how == "text":
        page.evaluate("document.documentElement.style.fontSize = '200%'")
    expect(page.locator("button.region", has_text="Neck")).to_be_visible(timeout=WAIT)
    page.wait_for_timeout(300)  # the map's labels are placed after layout
    assert clipped_or_outside(page, width) == []
    page.screenshot(path=str(shot(f"200-percent-{how}")), full_page=True)
    page.locator("button.region", has_text="Neck").click()
    expect(page.locator(".msg.bot").last).to_contain_text("feel like", timeout=WAIT)
    page.locator("#message").fill("a dull ache")
    page.locator("#send").click()
    expect(page.locator(".msg.user .text").last).to_have_text("a dull ache", timeout=WAIT)
    expect(page.locator(".msg.bot").last).not_to_contain_text("feel like", timeout=WAIT)
    assert clipped_or_outside(page, width) == []
    assert slots(world, f"web:{session_id(page)}")["pain_quality"] == "dull_ache"
    page.close()


def test_a_whole_conversation_by_keyboard_alone(browser, world) -> None:
    """Tab to the body map, Enter on a region, type the rest, Space and Enter on the yes/no buttons."""
    from playwright.sync_api import expect

    page = open_page(browser, world, [])
    expect(page.locator("button.region", has_text="Upper back")).to_be_visible(timeout=WAIT)
    for _ in range(20):  # Shift+Tab from the message box back up to the map
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.dataset.region") == "upper_back":
            break
    assert page.evaluate("document.activeElement.dataset.region") == "upper_back"
    focused = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focused != "none"  # visible focus
    page.keyboard.press("Enter")
    expect(page.locator("#message")).to_be_focused()
    page.keyboard.type("dull ache, 3 weeks, 5/10")
    page.keyboard.press("Enter")
    for _ in range(12):
        no = page.locator("button.choice", has_text=re.compile(r"^\s*(No|Skip)\s*$"))
        routine = page.locator(".msg.bot", has_text="Why this one")
        expect(routine.or_(no).first).to_be_visible(timeout=WAIT)
        if routine.count():
            break
        for _ in range(30):  # Shift+Tab back from the message box to the No (or Skip) button
            page.keyboard.press("Shift+Tab")
            label = page.evaluate("document.activeElement.textContent.trim()")
            if label in ("No", "Skip"):
                break
        page.keyboard.press("Space" if label == "No" else "Enter")
        expect(page.locator("#message")).to_be_focused(timeout=WAIT)
        expect(no).to_have_count(0, timeout=WAIT)
    expect(page.locator(".msg.bot", has_text="Why this one")).to_be_visible()
    assert slots(world, f"web:{session_id(page)}")["routine_id"] == "upper_back_ball_on_wall"
    page.close()


def test_end_and_clear_wipes_the_browser_and_starts_afresh(browser, world) -> None:
    from playwright.sync_api import expect

    page = open_page(browser, world, [])
    expect(page.locator(".msg.bot").first).to_contain_text("I'm Knotcare", timeout=WAIT)
    page.locator("#message").fill("my neck is stiff")
    page.locator("#message").press("Enter")
    expect(page.locator(".msg.bot")).to_have_count(2, timeout=WAIT)
    before = session_id(page)
    page.locator("#end").click()
    expect(page.locator(".msg.user")).to_have_count(0)
    expect(page.locator("#announce")).to_contain_text("Cleared", timeout=WAIT)
    expect(page.locator(".msg.bot").first).to_contain_text("I'm Knotcare", timeout=WAIT)  # a new greeting
    assert session_id(page) != before
    assert "stiff" not in page.evaluate("localStorage.getItem('knotcare_chat')")
    page.reload()
    expect(page.locator(".msg.user")).to_have_count(0)
    page.close()


def serve_page(env: Dict[str, str]):
    """The page on a port of its own, with these settings; the server (shut it down after)."""
    server = make_server("127.0.0.1", free_port(), widget_settings(env=env))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def test_a_kiosk_clears_itself_after_a_quiet_spell(browser, world) -> None:
    from playwright.sync_api import expect

    server, url = serve_page({"RASA_HOST": "127.0.0.1", "RASA_PORT": str(world.servers.rasa_port),
                              "KNOTCARE_CLINIC_IDLE_CLEAR_MINUTES": "0.1"})  # six seconds
    try:
        page = open_page(browser, world, [], url=url)
        expect(page.locator(".msg.bot").first).to_contain_text("I'm Knotcare", timeout=WAIT)
        page.locator("#message").fill("my neck is stiff")
        page.locator("#message").press("Enter")
        expect(page.locator(".msg.user")).to_have_count(1, timeout=WAIT)
        first = session_id(page)
        expect(page.locator("#announce")).to_contain_text("Cleared", timeout=20_000)
        expect(page.locator(".msg.user")).to_have_count(0)
        expect(page.locator(".msg.bot").first).to_contain_text("I'm Knotcare", timeout=WAIT)
        assert session_id(page) != first
        page.close()
    finally:
        server.shutdown()
        server.server_close()


def test_when_rasa_cannot_be_reached_the_page_says_so_with_the_emergency_line(browser, world) -> None:
    from playwright.sync_api import expect

    server, url = serve_page({"RASA_HOST": "127.0.0.1", "RASA_PORT": str(free_port())})  # nothing listens there
    try:
        page = open_page(browser, world, [], url=url)
        notice = page.locator("#offline")
        expect(notice).to_be_visible(timeout=WAIT)
        expect(notice).to_contain_text("call your local emergency number")
        assert notice.get_attribute("role") == "alert"
        page.locator("#message").fill("hello?")
        page.locator("#message").press("Enter")
        expect(page.locator("#message")).to_have_value("hello?")  # nothing typed is lost
        axe(page, "with Rasa out of reach")
        page.close()
    finally:
        server.shutdown()
        server.server_close()


def test_typed_html_and_script_are_shown_as_text(browser, world) -> None:
    from playwright.sync_api import expect

    outside: List[str] = []
    page = open_page(browser, world, outside)
    expect(page.locator(".msg.bot").first).to_contain_text("I'm Knotcare", timeout=WAIT)
    typed = '<img src=x onerror="window.pwned=1"><b>bold</b><script>window.pwned=2</script> [x](javascript:alert(1))'
    box = page.locator("#message")
    box.fill(typed)
    box.press("Enter")
    mine = page.locator(".msg.user .text").last
    expect(mine).to_have_text(typed)
    assert mine.locator("img, b, script, a").count() == 0
    page.wait_for_timeout(2000)  # let the assistant answer, and any injected handler fire
    assert page.evaluate("window.pwned") is None
    assert page.locator("#log script, #log .msg.user img").count() == 0
    page.reload()  # restored from storage: still text
    expect(page.locator(".msg.user .text").last).to_have_text(typed, timeout=WAIT)
    assert page.evaluate("window.pwned") is None
    assert outside == [], outside
    page.close()


def test_page_headers_keep_it_to_itself(world) -> None:
    response = requests.get(world.web_url + "/", timeout=10)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and world.servers.rasa_url in policy
    page = response.text
    assert "http" not in re.sub(r"<!--.*?-->", "", page, flags=re.S).replace('lang="en"', "")  # no outside address
    config = requests.get(world.web_url + "/config.js", timeout=10)
    assert config.headers["Content-Type"].startswith("text/javascript")
    assert f'"socket_url": "{world.servers.rasa_url}"' in config.text
    picture = requests.get(world.web_url + "/pictures/routine/neck_side.svg", timeout=10)
    assert picture.headers["Content-Type"].startswith("image/svg+xml") and "<title" in picture.text
    assert requests.get(world.web_url + "/pictures/routine/../../etc/passwd.svg", timeout=10).status_code == 404
    assert requests.get(world.web_url + "/pictures/routine/no_such.svg", timeout=10).status_code == 404


def _events(world, sender: str):
    return requests.get(f"{world.servers.rasa_url}/conversations/{sender}/tracker",
                        params={"token": world.servers.token}, timeout=30).json()["events"]
