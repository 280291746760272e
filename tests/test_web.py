"""The participant console's routes with Starlette's test client, on a real SQLite session.

Isolation first: every route with no token, a wrong token and another team's
token.  Then what the teams see (exactly their own items), what they submit
(journaled as theirs, refused with the session's own reasons), the facilitator's
moves, and the limits.  The tests are the session's thread: they drive the
session and pump the participants' inbox while a request waits.
"""

from __future__ import annotations

import hashlib
import http.client
import io
import json
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from cybrelia.exercise.events import StateEvent, to_record
from cybrelia.exercise.export import export_records, replay_session
from cybrelia.exercise.participants import SOURCE, TOKEN_BYTES, Participants, Roster, links_path
from cybrelia.exercise.session import Session
from cybrelia.exercise.types import Refusal
from cybrelia.i18n import text
from cybrelia.web.api import api_schema
from cybrelia.web.app import COOKIE, DESK_COOKIE, WebConsole, create_app
from cybrelia.web.limits import RateLimiter
from cybrelia.web.server import _is_open, _link_host, serving

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "mokry-snieg.yaml"
TEAMS = ("gzzk", "zgk", "osp", "it", "osd")


class Room:
    """A live session with its participants and the test client of their console."""

    def __init__(self, path: Path, *, approve: bool = False) -> None:
        self.session = Session.create(SCENARIO, path)
        self.participants = Participants.of(self.session, approve=approve)
        self.participants.base_url = "http://testserver"
        self.console = WebConsole(self.participants, lang="en")
        self.client = TestClient(create_app(self.console), follow_redirects=False)

    def token(self, team: str) -> str:
        token = self.participants.roster.token(team)
        assert token is not None
        return token

    def bearer(self, team: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(team)}"}

    def pumped(self, call: Callable[[], Any]) -> Any:
        """Make a request in another thread while this one (the session's) pumps."""
        with ThreadPoolExecutor(1) as pool:
            future = pool.submit(call)
            while not future.done():
                self.participants.sleep(0.005)
            return future.result()

    def feed(self, team: str, **params: str) -> dict[str, Any]:
        self.participants.pump()
        response = self.client.get("/api/feed", headers=self.bearer(team), params=params)
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data

    def close(self) -> None:
        self.console.bulletin.close()
        self.session.close()


@pytest.fixture
def room(tmp_path: Path) -> Iterator[Room]:
    opened = Room(tmp_path / "room.cybrelia")
    yield opened
    opened.close()


# --- isolation ------------------------------------------------------------------------------

TEAM_ROUTES = [
    ("GET", "/team/{team}", None),
    ("GET", "/team/{team}/media", None),
    ("GET", "/team/{team}/stream", None),
    ("POST", "/team/{team}/actions", "action=note&note=x"),
    ("POST", "/team/{team}/decisions", "note=x"),
    ("GET", "/api/feed?team={team}", None),
    ("GET", "/api/events?team={team}", None),
    ("POST", "/api/actions", '{"team": "{team}", "action": "note", "note": "x"}'),
]
DESK_ROUTES = [
    ("GET", "/desk", None),
    ("GET", "/desk/handout", None),
    ("GET", "/desk/stream", None),
    ("POST", "/desk/teams/osd/revoke", None),
    ("POST", "/desk/teams/osd/reissue", None),
    ("POST", "/desk/holds/H001/accept", None),
]


def _request(room: Room, method: str, path: str, body: str | None, headers: dict[str, str]) -> int:
    return room.client.request(
        method, path, content=body.encode() if body else None, headers=headers
    ).status_code


@pytest.mark.parametrize(("method", "route", "body"), TEAM_ROUTES)
def test_every_team_route_refuses_no_token_a_wrong_one_and_another_teams(
    room: Room, method: str, route: str, body: str | None
) -> None:
    path = route.replace("{team}", "osd")
    content = body.replace("{team}", "osd") if body else None
    assert _request(room, method, path, content, {}) == 401
    wrong = {"Authorization": "Bearer " + "x" * 32}
    assert _request(room, method, path, content, wrong) == 401
    # the OSP's own token naming the OSD: forbidden, by header and by cookie alike
    assert _request(room, method, path, content, room.bearer("osp")) == 403
    cookie = {"Cookie": f"{COOKIE}={room.token('osp')}"}
    assert _request(room, method, path, content, cookie) == 403
    # a team that does not exist is "another team" too: nothing tells which ids exist
    unknown = route.replace("{team}", "nobody")
    unknown_body = body.replace("{team}", "nobody") if body else None
    assert _request(room, method, unknown, unknown_body, room.bearer("osp")) == 403


@pytest.mark.parametrize(("method", "path", "body"), DESK_ROUTES)
def test_the_facilitators_routes_refuse_teams_and_strangers(
    room: Room, method: str, path: str, body: str | None
) -> None:
    assert _request(room, method, path, body, {}) == 401
    assert _request(room, method, path, body, room.bearer("gzzk")) == 401
    assert _request(room, method, path, body, {"Cookie": f"{COOKIE}={room.token('gzzk')}"}) == 401


def test_the_api_without_a_team_named_answers_for_the_tokens_team(room: Room) -> None:
    assert room.client.get("/api/feed").status_code == 401
    assert room.client.get("/api/feed").headers["www-authenticate"] == "Bearer"
    assert room.feed("osp")["team"] == "osp"
    assert room.client.get("/api/feed?team=osp", headers=room.bearer("osp")).status_code == 200


def test_tokens_are_long_random_and_only_their_digests_are_looked_up(tmp_path: Path) -> None:
    roster = Roster(TEAMS)
    tokens = [roster.token(team) for team in TEAMS]
    assert len(set(tokens)) == len(TEAMS)
    for token in tokens:
        assert token is not None
        assert len(token) >= 22  # 128 bits of base64url
        assert len(token) == len(secrets.token_urlsafe(TOKEN_BYTES))
        assert roster.team_of(token) in TEAMS
    assert TOKEN_BYTES * 8 >= 128
    assert roster.team_of(None) is None
    assert roster.team_of("") is None
    assert roster.team_of(f"{tokens[0]}x") is None
    assert not roster.is_facilitator(tokens[0])


def test_links_are_kept_beside_the_session_for_a_resume_and_only_its_owner_reads_them(
    tmp_path: Path,
) -> None:
    path = links_path(tmp_path / "s.cybrelia")
    first = Roster(TEAMS, path)
    old = first.token("zgk")
    first.revoke("osp")
    again = Roster(TEAMS, path)
    assert again.token("zgk") == old
    assert again.token("osp") is None  # a revoked link stays dead until re-issued
    assert again.facilitator_token == first.facilitator_token
    assert path.stat().st_mode & 0o077 == 0


def test_joining_sets_an_httponly_samesite_cookie_and_opens_the_teams_page(room: Room) -> None:
    response = room.client.get(f"/join/{room.token('zgk')}")
    assert response.status_code == 303
    assert response.headers["location"] == "/team/zgk"
    cookie = response.headers["set-cookie"]
    assert f"{COOKIE}={room.token('zgk')}" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie.replace("samesite", "SameSite")
    page = room.client.get("/team/zgk")  # the client keeps the cookie
    assert page.status_code == 200
    assert "Municipal utility (ZGK)" in page.text
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert room.client.get("/join/" + "y" * 32).status_code == 401
    presence = {p.team: p for p in room.participants.roster.presence()}
    assert presence["zgk"].joined_at is not None
    assert presence["osp"].joined_at is None


def test_revoking_kills_the_link_and_reissuing_gives_a_new_one(room: Room) -> None:
    old = room.token("it")
    desk = {"Cookie": f"{DESK_COOKIE}={room.participants.roster.facilitator_token}"}
    assert room.client.post("/desk/teams/it/revoke", headers=desk).status_code == 200
    assert (
        room.client.get("/api/feed", headers={"Authorization": f"Bearer {old}"}).status_code == 401
    )
    assert room.client.get(f"/join/{old}").status_code == 401
    panel = room.client.post("/desk/teams/it/reissue", headers=desk)
    assert panel.status_code == 200
    new = room.token("it")
    assert new != old
    assert f"/join/{new}" in panel.text
    assert room.feed("it")["team"] == "it"


# --- what each team sees --------------------------------------------------------------------


def _own_ids(records: Iterable[dict[str, Any]], team: str) -> list[str]:
    """The ids a team should see, from a session's records (export or history)."""
    ids = []
    for record in records:
        if record["kind"] == "inject" and record["status"] == "delivered":
            if record["channel"] == "media" or team in record["to"]:
                ids.append(record["inject"])
        elif record["kind"] == "message" and (
            record["topic"] == "claim_spreading" or team in record["to"]
        ):
            ids.append(f"{record['topic']}:{record['subject']}")
    return ids


def _expected(session: Session, team: str) -> list[str]:
    history = session.exercise.history
    return _own_ids((to_record(e) for e in history if not isinstance(e, StateEvent)), team)


def test_each_team_sees_exactly_its_own_injects_and_messages(room: Room) -> None:
    room.session.advance_to(1.0)
    osd = room.feed("osd")
    osp = room.feed("osp")
    assert [i["id"] for i in osd["items"]] == ["I-01"]
    assert osp["items"] == []  # the I-01 call went to the OSD, not to the fire brigades
    room.session.advance_to(30.0)
    for team in TEAMS:
        items = room.feed(team)["items"]
        assert [i["id"] for i in items if i["kind"] != "action"] == _expected(room.session, team)
        assert all(team in item["to"] for item in items)
        assert [i["seq"] for i in items] == sorted(i["seq"] for i in items)
    gzzk = room.feed("gzzk")
    first = gzzk["items"][0]
    assert (
        first["kind"] == "inject" and first["channel"] == "email" and first["clock"] == "D+0 06:00"
    )
    assert first["title"].startswith("IMGW level-3 warning")
    assert room.feed("gzzk", lang="pl")["items"][0]["title"].startswith("Ostrzeżenie IMGW")
    later = room.feed("gzzk", after=str(gzzk["items"][2]["seq"]))
    assert later["items"] == gzzk["items"][3:]


def test_the_media_feed_is_the_same_for_every_team(room: Room) -> None:
    room.session.advance_to(72.0)
    media = {
        team: [i["id"] for i in room.feed(team)["items"] if i["kind"] == "media"] for team in TEAMS
    }
    assert media["gzzk"], "the scenario has media injects"
    assert all(ids == media["gzzk"] for ids in media.values())
    page = room.client.get("/team/it/media", headers=room.bearer("it"))
    assert page.status_code == 200
    assert page.text.count('class="item kind-media') == len(media["it"])


def test_the_team_page_shows_its_assets_deadlines_and_escapes_hostile_text(room: Room) -> None:
    room.session.advance_to(0.5)
    room.session.add_inject(
        {
            "title": {"pl": "<script>alert(1)</script>", "en": "<script>alert(1)</script>"},
            "message": {"pl": "<img src=x onerror=alert(1)>", "en": "<img src=x onerror=alert(1)>"},
            "to": ["zgk"],
            "channel": "phone",
        }
    )
    room.participants.pump()
    page = room.client.get("/team/zgk", headers=room.bearer("zgk")).text
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert "SUW" in page  # the utility's own facilities
    assert "channel-phone" in page
    gzzk = room.client.get("/team/gzzk", headers=room.bearer("gzzk")).text
    assert "by D+0 07:00" in gzzk  # M-01 expects a note within the hour
    assert "&lt;script&gt;" not in gzzk  # the ad-hoc inject went to the ZGK only


# --- what each team submits -------------------------------------------------------------------


def test_a_submitted_action_is_journaled_as_the_teams_own_and_exported_as_such(
    room: Room, tmp_path: Path
) -> None:
    room.session.advance_to(1.0)
    body = {"action": "public_alert", "target": "all", "note": "ostrzeżenie"}
    response = room.pumped(
        lambda: room.client.post("/api/actions", json=body, headers=room.bearer("gzzk"))
    )
    assert response.status_code == 201, response.text
    answer = response.json()
    assert re.fullmatch(r"A\d{3}", answer["id"])
    state = room.session.exercise.actions[answer["id"]]
    assert state.request.team == "gzzk" and state.request.action == "public_alert"
    assert answer["state"] == state.status
    entry = [e for e in room.session.journal.inputs() if e.kind == "action"][-1]
    assert entry.payload["team"] == "gzzk" and entry.payload["_source"] == SOURCE
    actions = [i for i in room.feed("gzzk")["items"] if i["kind"] == "action"]
    assert actions and actions[-1]["id"] == answer["id"]
    assert not [i for i in room.feed("osd")["items"] if i["kind"] == "action"]
    room.session.advance_to(2.0)
    room.close()
    records = list(export_records(replay_session(tmp_path / "room.cybrelia")))
    exported = [r for r in records if r["kind"] == "action" and r["action_id"] == answer["id"]]
    assert exported and {r["team"] for r in exported} == {"gzzk"}
    scores = [r for r in records if r["kind"] == "score" and r.get("action_id") == answer["id"]]
    assert scores and scores[0]["team"] == "gzzk"  # it met M-01's public-alert expectation
    reopened = Session.open(tmp_path / "room.cybrelia")  # a resume replays it the same
    assert reopened.exercise.actions[answer["id"]].request.team == "gzzk"
    reopened.close()
    room.session = Session.open(tmp_path / "room.cybrelia")


def test_a_refusal_is_the_sessions_own_reason_with_422(room: Room) -> None:
    body = {"action": "repair", "target": "no-such-asset"}
    response = room.pumped(
        lambda: room.client.post("/api/actions", json=body, headers=room.bearer("osd"))
    )
    assert response.status_code == 422
    assert response.json() == {
        "error": "refused",
        "reason": "unknown asset 'no-such-asset'",
        "reason_pl": "nieznany obiekt 'no-such-asset'",
    }
    invalid = room.client.post(
        "/api/actions", json={"action": "teleport"}, headers=room.bearer("osd")
    )
    assert invalid.status_code == 422 and invalid.json()["error"] == "invalid"
    unknown_field = room.client.post(
        "/api/actions", json={"action": "note", "by": "x"}, headers=room.bearer("osd")
    )
    assert unknown_field.status_code == 422
    not_json = room.client.post("/api/actions", content=b"{", headers=room.bearer("osd"))
    assert not_json.status_code == 422


def test_the_forms_submit_an_action_and_a_decision_record(room: Room) -> None:
    headers = {**room.bearer("osp"), "Content-Type": "application/x-www-form-urlencoded"}
    refused = room.pumped(
        lambda: room.client.post(
            "/team/osp/actions?lang=pl", content=b"action=repair&target=nope", headers=headers
        )
    )
    assert refused.status_code == 422
    assert "Odmowa: nieznany obiekt" in refused.text
    decided = room.pumped(
        lambda: room.client.post(
            "/team/osp/decisions",
            content="note=Dyżur+w+remizie+całą+noc".encode(),
            headers=headers,
        )
    )
    assert decided.status_code == 201
    state = list(room.session.exercise.actions.values())[-1]
    assert (state.request.team, state.request.action) == ("osp", "note")
    assert state.request.note == "Dyżur w remizie całą noc"


def test_with_approval_a_submission_waits_then_is_accepted_or_sent_back(tmp_path: Path) -> None:
    room = Room(tmp_path / "approve.cybrelia", approve=True)
    try:
        body = {"action": "note", "note": "plan"}
        held = room.pumped(
            lambda: room.client.post("/api/actions", json=body, headers=room.bearer("zgk"))
        )
        assert held.status_code == 201 and held.json() == {"id": "H001", "state": "held"}
        assert not room.session.exercise.actions  # nothing reached the session yet
        assert [e for e in room.session.journal.inputs() if e.kind == "action"] == []
        desk = {"Cookie": f"{DESK_COOKIE}={room.participants.roster.facilitator_token}"}
        assert "H001" in room.client.get("/desk", headers=desk).text
        room.pumped(lambda: room.client.post("/desk/holds/H001/accept", headers=desk))
        (state,) = room.session.exercise.actions.values()
        assert state.request.team == "zgk"
        entry = [e for e in room.session.journal.inputs() if e.kind == "action"][-1]
        assert entry.payload["_source"] == SOURCE and entry.payload["_hold"] == "H001"
        room.pumped(lambda: room.client.post("/api/actions", json=body, headers=room.bearer("zgk")))
        form = {**desk, "Content-Type": "application/x-www-form-urlencoded"}
        room.pumped(
            lambda: room.client.post(
                "/desk/holds/H002/return",
                content=b"note=za+ma%C5%82o+szczeg%C3%B3%C5%82%C3%B3w",
                headers=form,
            )
        )
        assert room.participants.holds["H002"].status == "returned"
        assert len(room.session.exercise.actions) == 1
        items = [i for i in room.feed("zgk", lang="pl")["items"] if i["id"] == "H002"]
        assert [i["status"] for i in items] == ["held", "returned"]
        assert items[-1]["text"] == "za mało szczegółów"
        again = room.pumped(lambda: room.client.post("/desk/holds/H002/accept", headers=desk))
        assert "H002" in again.text  # the refusal is shown; nothing was submitted
        assert len(room.session.exercise.actions) == 1
    finally:
        room.close()


# --- limits -------------------------------------------------------------------------------------


def test_large_bodies_are_refused_before_they_are_read(room: Room) -> None:
    big = json.dumps({"action": "note", "note": "x" * 20_000})
    response = room.client.post("/api/actions", content=big, headers=room.bearer("osd"))
    assert response.status_code == 413
    assert not room.session.exercise.actions


def test_submissions_and_failed_logins_are_rate_limited(room: Room) -> None:
    statuses = [
        room.pumped(
            lambda: room.client.post(
                "/api/actions", json={"action": "note", "note": "n"}, headers=room.bearer("it")
            )
        ).status_code
        for _ in range(12)
    ]
    assert statuses[:10] == [201] * 10 and statuses[-1] == 429
    assert room.feed("osd")["team"] == "osd"  # another team is not held back
    failures = [room.client.get("/join/" + "z" * 32).status_code for _ in range(40)]
    assert failures[0] == 401 and failures[-1] == 429


def test_the_rate_limiter_refills_at_its_rate() -> None:
    now = [0.0]
    limiter = RateLimiter(rate=1.0, burst=2, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(3)] == [True, True, False]
    assert limiter.allow("b")
    now[0] = 1.0
    assert limiter.allow("a") and not limiter.allow("a")


# --- what the console ships ---------------------------------------------------------------------


def test_htmx_is_vendored_with_its_version_licence_and_hash() -> None:
    static = ROOT / "cybrelia" / "web" / "static"
    table = (static / "VENDORED.md").read_text(encoding="utf-8")
    for name, version in (("htmx.min.js", "2.0.11"), ("htmx-ext-sse.min.js", "2.2.4")):
        digest = hashlib.sha256((static / name).read_bytes()).hexdigest()
        row = next(line for line in table.splitlines() if line.startswith(f"| `{name}`"))
        assert version in row and digest in row and "0BSD" in row
    assert 'version:"2.0.11"' in (static / "htmx.min.js").read_text(encoding="utf-8")
    page = (ROOT / "cybrelia" / "web" / "templates" / "base.html").read_text(encoding="utf-8")
    assert re.findall(r'src="([^"]+)"', page) == [
        "/static/htmx.min.js",
        "/static/htmx-ext-sse.min.js",
        "/static/console.js",
    ]


def test_the_documented_schema_is_the_apis() -> None:
    documented = json.loads((ROOT / "docs" / "participants.schema.json").read_text("utf-8"))
    assert documented == api_schema()


def test_the_handout_has_a_qr_code_per_team(room: Room) -> None:
    desk = {"Cookie": f"{DESK_COOKIE}={room.participants.roster.facilitator_token}"}
    page = room.client.get("/desk/handout", headers=desk).text
    assert page.count("<svg") == len(TEAMS)
    for team in TEAMS:
        assert f"http://testserver/join/{room.token(team)}" in page


# --- the command ----------------------------------------------------------------------------------


def _get(url: str, token: str | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(url)
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, None


def _post(url: str, token: str, body: dict[str, Any]) -> tuple[int, Any]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_headless_run_serves_each_team_exactly_its_own(tmp_path: Path) -> None:
    """``cybrelia run --serve``: isolation on the wire, and a participant's action exported."""
    links_file = tmp_path / "links.json"
    session_file = tmp_path / "served.cybrelia"
    command = [
        sys.executable, "-m", "cybrelia.cli", "run", str(SCENARIO),
        "--responses", str(SCENARIO.with_name("mokry-snieg.responses.yaml")),
        "--session", str(session_file), "--serve", "--port", "0",
        "--links", str(links_file), "--pace", "0.2",
    ]  # fmt: skip
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not links_file.exists() and time.monotonic() < deadline:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            time.sleep(0.05)
        links: dict[str, str] = json.loads(links_file.read_text(encoding="utf-8"))
        assert sorted(links) == sorted(TEAMS)
        base = links["osd"].split("/join/")[0]
        tokens = {team: url.rsplit("/", 1)[1] for team, url in links.items()}
        assert base.startswith("http://127.0.0.1:")
        assert _get(f"{base}/api/feed")[0] == 401
        assert _get(f"{base}/api/feed", "w" * 32)[0] == 401
        assert _get(f"{base}/api/feed?team=osd", tokens["osp"])[0] == 403
        status, answer = _post(
            f"{base}/api/actions", tokens["zgk"], {"action": "note", "note": "z telefonu"}
        )
        assert status == 201, answer
        time.sleep(1.0)  # let a few injects arrive
        feeds = {team: _get(f"{base}/api/feed", token)[1] for team, token in tokens.items()}
        assert process.wait(timeout=120) == 0
    finally:
        if process.poll() is None:
            process.kill()
    records = list(export_records(replay_session(session_file)))
    mine = [r for r in records if r["kind"] == "action" and r["action_id"] == answer["id"]]
    assert mine and {r["team"] for r in mine} == {"zgk"} and mine[0]["detail"] == "z telefonu"
    for team, feed in feeds.items():
        assert feed["team"] == team
        expected = _own_ids(records, team)
        seen = [item["id"] for item in feed["items"] if item["kind"] != "action"]
        assert seen == expected[: len(seen)]  # its own, in order, none missing, none foreign
    assert any(feed["items"] for feed in feeds.values())


# --- the live stream and the server's life ----------------------------------------------------


def _events(base: str, token: str, headers: dict[str, str], count: int) -> list[dict[str, Any]]:
    """The first ``count`` items of ``GET /api/events``, read off a real connection."""
    host, port = base.removeprefix("http://").rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request(
            "GET", "/api/events?lang=en", headers={"Authorization": f"Bearer {token}", **headers}
        )
        response = connection.getresponse()
        assert response.status == 200
        assert response.getheader("content-type", "").startswith("text/event-stream")
        items: list[dict[str, Any]] = []
        seq = None
        while len(items) < count:
            line = response.readline().decode("utf-8").rstrip("\n")
            if line.startswith("id: "):
                seq = int(line[4:])
            elif line.startswith("data: "):
                item = json.loads(line[6:])
                assert item["seq"] == seq
                items.append(item)
        return items
    finally:
        connection.close()


def test_the_event_stream_resumes_after_the_last_event_id_and_stops_with_the_session(
    tmp_path: Path,
) -> None:
    session = Session.create(SCENARIO, tmp_path / "live.cybrelia")
    participants = Participants.of(session)
    out = io.StringIO()
    try:
        with serving(participants, port=0, out=out) as served:
            session.advance_to(12.0)
            participants.pump()
            token = participants.roster.token("gzzk")
            assert token is not None
            everything = _events(served.url, token, {}, 4)
            assert [i["seq"] for i in everything] == sorted(i["seq"] for i in everything)
            assert all("gzzk" in item["to"] for item in everything)
            resumed = _events(served.url, token, {"Last-Event-ID": str(everything[1]["seq"])}, 2)
            assert resumed == everything[2:4]  # exactly what came after, nothing twice
            views = participants.roster.presence
            deadline = time.monotonic() + 30
            while views()[0].clients and time.monotonic() < deadline:
                session.advance_to(session.now + 0.25)  # items wake the streams
                participants.pump()
                time.sleep(0.1)
            assert views()[0].clients == 0  # a closed connection frees its view
            thread = next(t for t in threading.enumerate() if t.name == "cybrelia-web")
            url = served.url
        assert "uczestnicy: http://127.0.0.1:" in out.getvalue()
        assert not thread.is_alive()  # the server does not outlive its session
        with pytest.raises(OSError):
            urllib.request.urlopen(f"{url}/api/feed", timeout=2)
        with pytest.raises(Refusal):  # the inbox refuses what comes after
            participants.inbox.call(lambda: None).result(timeout=1)
    finally:
        session.close()


def test_links_name_this_machine_and_an_open_host_is_warned_about() -> None:
    assert _link_host("127.0.0.1") == "127.0.0.1"
    assert _link_host("::1") == "[::1]"
    open_host = _link_host("0.0.0.0")
    assert open_host != "0.0.0.0" and not open_host.startswith("127.")
    assert _is_open("0.0.0.0") and _is_open("::") and not _is_open("127.0.0.1")
    warning = text("web.serve.open_warning", "pl", host="0.0.0.0")
    assert "0.0.0.0" in warning and "sieci" in warning


def test_the_team_page_speaks_polish_or_english(room: Room) -> None:
    polish = room.client.get("/team/zgk?lang=pl", headers=room.bearer("zgk"))
    assert '<html lang="pl">' in polish.text and "Wiadomości" in polish.text
    assert "cybrelia_lang=pl" in polish.headers["set-cookie"]
    english = room.client.get("/team/zgk?lang=en", headers=room.bearer("zgk"))
    assert '<html lang="en">' in english.text and "Messages" in english.text


def test_an_inject_the_facilitator_takes_back_is_withdrawn_for_its_teams(room: Room) -> None:
    room.session.advance_to(0.5)
    sent = [i for i in room.feed("gzzk")["items"] if i["id"] == "M-01"]
    assert len(sent) == 1 and sent[0]["status"] is None
    room.session.undeliver("M-01", "sent before the briefing")
    items = [i for i in room.feed("gzzk")["items"] if i["id"] == "M-01"]
    assert [i["status"] for i in items] == ["withdrawn", None]
    notice = items[1]
    assert notice["text"] == "Withdrawn by the facilitator: disregard this inject."
    polish = [i for i in room.feed("gzzk", lang="pl")["items"] if i["id"] == "M-01"]
    assert polish[1]["text"].startswith("Wycofane przez prowadzącego ćwiczenie")
    assert notice["to"] == sent[0]["to"] and notice["title"] == sent[0]["title"]
    assert not [i for i in room.feed("osp")["items"] if i["id"] == "M-01"], "only its teams"
    page = room.client.get("/team/gzzk", headers=room.bearer("gzzk"))
    assert page.text.count('class="withdrawn"') == 1
