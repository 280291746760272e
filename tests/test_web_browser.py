"""The participant console in a real browser: Debian's chromium driven by Playwright.

A session runs on a thread of its own, as under ``cybrelia run --serve``: it
serves the console on the loopback address and carries out what the test
posts to it through the same inbox the teams' submissions use.  Two teams
join on phone-sized screens; an inject reaches one and not the other; a
decision record one team submits shows in the facilitator's feed and in the
session's export as that team's.

``.ci/run`` installs chromium when it is missing, so CI always runs these;
a developer without it sees them skipped with the reason.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from cybrelia.exercise.export import export_records, replay_session
from cybrelia.exercise.participants import Participants
from cybrelia.exercise.session import Session
from cybrelia.web.server import ServedConsole, serving

playwright_sync = pytest.importorskip("playwright.sync_api")
# The two cores are shared with whole test suites: give a page time before calling it late.
playwright_sync.expect.set_options(timeout=20_000)

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "mokry-snieg.yaml"
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-extensions",
    "--disable-sync",
    "--no-first-run",
    "--mute-audio",
]

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: .ci/run should have installed chromium")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)

T = TypeVar("T")


class FlakyLink:
    """A TCP relay on 127.0.0.1 between the phone and the server, whose line can be cut.

    While cut, open connections are dropped and new ones refused at once: for
    the browser, the room's network went away.
    """

    def __init__(self, port: int) -> None:
        self._upstream = port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self.down = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.down:
                client.close()
                continue
            server = socket.create_connection(("127.0.0.1", self._upstream))
            with self._lock:
                self._open += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.down = True
        with self._lock:
            dropped, self._open = self._open, []
        for end in dropped:
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
                end.close()

    def restore(self) -> None:
        self.down = False

    def close(self) -> None:
        self.cut()
        self._listener.close()


class LiveRoom:
    """A session on its own thread, serving the participant console on 127.0.0.1."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._ready = threading.Event()
        self._stop = threading.Event()
        self.served: ServedConsole | None = None
        self.participants: Participants | None = None
        self.session: Session | None = None
        self.error: BaseException | None = None
        self.links = path.with_suffix(".links.json")
        self._thread = threading.Thread(target=self._main, name="session", daemon=True)
        self._thread.start()
        if not self._ready.wait(30) or self.served is None:
            raise RuntimeError(f"the session did not start: {self.error!r}")

    def _main(self) -> None:
        try:
            self.session = Session.create(SCENARIO, self.path)
            self.participants = Participants.of(self.session)
            with serving(self.participants, port=0, links=self.links, lang="en") as served:
                self.served = served
                self._ready.set()
                while not self._stop.is_set():
                    self.participants.sleep(0.02)
            self.session.close()
        except BaseException as error:
            self.error = error
            self._ready.set()

    def do(self, call: Callable[[Session], T]) -> T:
        """Run ``call`` on the session's thread and return what it returns."""
        assert self.participants is not None and self.session is not None
        session = self.session
        return self.participants.inbox.call(lambda: call(session)).result(timeout=30)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)


@pytest.fixture
def room(tmp_path: Path) -> Iterator[LiveRoom]:
    live = LiveRoom(tmp_path / "browser.cybrelia")
    yield live
    live.stop()


@pytest.fixture
def browser() -> Iterator[Any]:
    with playwright_sync.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


def test_two_teams_on_phones_see_their_own_and_a_decision_reaches_the_facilitator(
    room: LiveRoom, browser: Any, tmp_path: Path
) -> None:
    expect = playwright_sync.expect
    links = json.loads(room.links.read_text(encoding="utf-8"))
    assert set(links) == {"gzzk", "zgk", "osp", "it", "osd"}
    assert all(url.startswith("http://127.0.0.1:") for url in links.values())

    osd = browser.new_context(**PHONE).new_page()
    osp = browser.new_context(**PHONE).new_page()
    osd.goto(links["osd"])
    osp.goto(links["osp"])
    assert osd.url.endswith("/team/osd") and osp.url.endswith("/team/osp")
    expect(osd.locator("h1")).to_contain_text("Distribution system operator")
    # the page went live: the stream replaced the feed with its own copy
    expect(osd.locator("#feed li.empty")).to_have_count(1)

    room.do(lambda s: s.advance_to(1.0))  # I-01 (06:30) is a call to the OSD, not the OSP
    expect(osd.locator("#feed [data-id='I-01']")).to_be_visible()
    expect(osd.locator("#feed [data-id='I-01']")).to_have_class("item kind-inject channel-phone")
    expect(osp.locator("#panel .status-line .clock")).to_have_text("D+0 07:00")
    expect(osd.locator("#panel .status-line .clock")).to_have_text("D+0 07:00")
    assert osp.locator("#feed [data-id='I-01']").count() == 0
    assert osp.locator("#feed .item").count() == 0

    # the other team's page is not reachable with this team's cookie
    forbidden = osp.goto(osd.url)
    assert forbidden is not None and forbidden.status == 403
    osp.go_back()

    osd.fill("#decide textarea[name=note]", "Patrol to the northern forest; report at 08:00")
    osd.click("#decide button[type=submit]")
    expect(osd.locator("#decide-result .result.ok")).to_contain_text("Accepted: A001")
    expect(osd.locator("#decide textarea[name=note]")).to_have_value("")
    expect(osd.locator("#panel .actions [data-action='A001']")).to_contain_text("completed")
    assert osp.locator("#panel .actions [data-action]").count() == 0

    assert room.served is not None
    desk = browser.new_context().new_page()
    desk.goto(room.served.facilitator_url)
    expect(desk.locator("#feed [data-id='A001']")).to_contain_text("OSD")
    expect(desk.locator("#feed [data-id='A001']")).to_contain_text("Patrol to the northern forest")
    expect(desk.locator(".teams [data-team='osd']")).to_have_class("team joined")
    expect(desk.locator(".teams [data-team='zgk']")).to_have_class("team waiting")

    if os.environ.get("CYBRELIA_SCREENSHOTS"):
        room.do(lambda s: s.advance_to(5.5))
        expect(osd.locator("#panel .status-line .clock")).to_have_text("D+0 11:30")
        osd.evaluate("window.scrollTo(0, 0)")
        osd.screenshot(path=str(ROOT / "docs" / "images" / "team-page-phone.png"))

    room.stop()
    records = list(export_records(replay_session(room.path)))
    decision = [r for r in records if r["kind"] == "action" and r["action_id"] == "A001"]
    assert decision and {r["team"] for r in decision} == {"osd"}
    assert decision[0]["action"] == "note"


def test_a_phone_that_lost_the_connection_gets_what_it_missed(room: LiveRoom, browser: Any) -> None:
    expect = playwright_sync.expect
    links = json.loads(room.links.read_text(encoding="utf-8"))
    assert room.served is not None
    server_port = int(room.served.url.rsplit(":", 1)[1])
    link = FlakyLink(server_port)
    context = browser.new_context(**PHONE)
    context.add_init_script(
        "window.opened = 0; document.addEventListener('htmx:sseOpen', () => window.opened++);"
    )
    page = context.new_page()
    try:
        page.goto(links["gzzk"].replace(f":{server_port}/", f":{link.port}/"))
        room.do(lambda s: s.advance_to(0.25))
        expect(page.locator("#feed [data-id='M-01']")).to_be_visible()
        assert page.evaluate("window.opened") == 1
        link.cut()
        expect(page.locator("body")).to_have_class("is-offline", timeout=20_000)
        room.do(lambda s: s.advance_to(2.0))  # I-01 and I-02 arrive while the phone is away
        link.restore()
        expect(page.locator("#feed [data-id='I-02']")).to_be_visible(timeout=30_000)
        expect(page.locator("body")).not_to_have_class("is-offline")
        assert page.evaluate("window.opened") >= 2  # it did reconnect
    finally:
        link.close()
    bulletin = room.served.console.bulletin
    expected = [item["id"] for item in bulletin.since("gzzk", 0, ("inject", "message"))[0]]
    ids = page.locator("#feed .item").evaluate_all("els => els.map(e => e.dataset.id)")
    assert ids == expected[::-1]  # newest first, each once
    assert {"M-01", "I-01", "I-02"} <= set(ids)
