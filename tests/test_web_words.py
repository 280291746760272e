"""The participants' web console says details and refusals in words, as the facilitator's does.

Names where the records write ids (a district, a resource), a refused submission said in
the form that sent it and listed nowhere else, an action under way said as it stands
now; in both languages, through the Starlette test client on a live Mokry śnieg.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cybrelia.exercise.types import ActionRequest
from cybrelia.exercise.wording import resource_text
from cybrelia.i18n import Texts, resource_label, text
from cybrelia.web.app import DESK_COOKIE
from tests.test_web import Room

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DISTRICT = "Przykładowo \u2013 Stare Miasto"  # the district stare-miasto by its name


@pytest.fixture
def room(tmp_path: Path) -> Iterator[Room]:
    opened = Room(tmp_path / "room.cybrelia")
    yield opened
    opened.close()


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_a_refusal_names_the_district_and_is_listed_nowhere(room: Room, lang: str) -> None:
    headers = {**room.bearer("gzzk"), **FORM}
    body = b"action=restrict_water&target=stare-miasto"
    first = room.pumped(
        lambda: room.client.post(f"/team/gzzk/actions?lang={lang}", content=body, headers=headers)
    )
    assert first.status_code == 201, first.text
    again = room.pumped(
        lambda: room.client.post(f"/team/gzzk/actions?lang={lang}", content=body, headers=headers)
    )
    assert again.status_code == 422
    reason = text("refusal.order_in_force", lang, district=DISTRICT)
    assert text("web.result.refused", lang, reason=reason) in again.text
    assert "stare-miasto" not in again.text
    refusals = room.session.exercise.refusals
    assert list(refusals) == ["R001"]  # journaled, as the report lists it apart
    feed = room.feed("gzzk")["items"]
    assert not [i for i in feed if i.get("id") == "R001"]
    page = room.client.get(f"/team/gzzk?lang={lang}", headers=room.bearer("gzzk"))
    assert "R001" not in page.text
    figures = room.console.bulletin.figures("gzzk")
    assert [a["id"] for a in figures["actions"]] == ["A001"]
    desk = room.console.bulletin.since(None, 0, None)[0]
    assert not [i for i in desk if i.get("id") == "R001"]  # nor the facilitator's feed


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_an_api_refusal_says_the_name_in_both_languages(room: Room, lang: str) -> None:
    body = {"action": "restrict_water", "target": "stare-miasto"}
    for _ in range(2):
        response = room.pumped(
            lambda: room.client.post("/api/actions", json=body, headers=room.bearer("gzzk"))
        )
    assert response.status_code == 422
    answer = response.json()
    said = answer["reason_pl"] if lang == "pl" else answer["reason"]
    assert said == text("refusal.order_in_force", lang, district=DISTRICT)


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_an_action_under_way_is_said_in_words_as_it_stands(
    room: Room, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cybrelia.web.feed.REFRESH_SECONDS", 0.0)  # figures at every pump
    room.participants.submit(
        ActionRequest(team="zgk", action="deploy_generator", target="suw-lesna-gora")
    )
    room.participants.pump()
    room.console.bulletin.refresh()
    page = room.client.get(f"/team/zgk?lang={lang}", headers=room.bearer("zgk"))
    generator = resource_text(room.session.exercise, "gen-mobile-large", Texts(lang))
    assert generator in page.text and "gen-mobile-large" not in page.text
    room.session.advance_to(0.2)  # 12 minutes on: 48 left on the road
    room.participants.pump()
    room.console.bulletin.refresh()
    (action,) = room.console.bulletin.figures("zgk")["actions"]
    said = text("detail.on_its_way_left", lang, pool=generator, left="48 min")
    assert action["text"][lang] == said, action["text"]


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_the_target_choices_are_names_in_the_language(room: Room, lang: str) -> None:
    page = room.client.get(f"/team/gzzk?lang={lang}", headers=room.bearer("gzzk")).text
    whole = text("target.all_districts", lang)
    assert f'<option value="all">{whole}</option>' in page
    assert "all / wszystkie" not in page
    crew = resource_label("power_crew", lang)
    assert f'<option value="power_crew">{crew}</option>' in page


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_a_held_submission_refused_on_acceptance_says_why_in_words(
    tmp_path: Path, lang: str
) -> None:
    room = Room(tmp_path / "approve.cybrelia", approve=True)
    try:
        body = {"action": "restrict_water", "target": "stare-miasto"}
        desk = {"Cookie": f"{DESK_COOKIE}={room.participants.roster.facilitator_token}"}

        def submit_and_accept(hold: str) -> Any:
            room.client.post("/api/actions", json=body, headers=room.bearer("gzzk"))
            return room.client.post(f"/desk/holds/{hold}/accept?lang={lang}", headers=desk)

        room.pumped(lambda: submit_and_accept("H001"))
        answer = room.pumped(lambda: submit_and_accept("H002"))
        reason = text("refusal.order_in_force", lang, district=DISTRICT)
        assert reason in answer.text  # the facilitator's desk says it in words
        assert room.participants.holds["H002"].status == "returned"
        room.console.bulletin.refresh()
        page = room.client.get(f"/team/gzzk?lang={lang}", headers=room.bearer("gzzk")).text
        assert reason in page and "stare-miasto</" not in page
    finally:
        room.close()
