"""Channels with reach from the live state (issue 13, item 1; docs/information.md section 2).

Every expectation is computed by hand from the model below and the defaults of
``docs/information.md``: Alert RCB 30 minutes after the request, radio and web
audiences 0.3, loudspeaker 0.6 of a district in 0.5 h per 1,000 residents plus
the drive, door to door 0.9 at 6 visits an hour of 2.5 residents each, parish
announcements at 07:00 and 18:00 to 0.1 of residents (0.29 on Sundays).
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from cybrelia.exercise.core import Exercise
from cybrelia.exercise.types import ActionRequest, ActionState, Refusal
from tests.exercise_helpers import action_log, make_exercise, submit

MODEL = textwrap.dedent("""\
    base: remiza
    districts:
      - {id: d1, population: 1000, prepared_share: 0.2, at: centrum}
      - {id: d2, population: 500, prepared_share: 0.3, at: wies}
    resources:
      - {id: car, kind: loudspeaker_car, count: 1}
      - {id: soltysi, kind: volunteers, count: 2}
    assets:
      - {id: gpz, type: substation, provides: [power], serves: {d1: 1.0, d2: 1.0}}
      - {id: bts-1, type: bts, provides: [telecom], serves: {d1: 1.0},
         needs: {power: {from: [gpz]}}}
      - {id: bts-2, type: bts, provides: [telecom], serves: {d2: 1.0},
         needs: {power: {from: [gpz]}}}
      - {id: syrena, type: siren, provides: [alerting], serves: {d1: 1.0, d2: 1.0},
         needs: {power: {from: [gpz]}}}
      - {id: urzad, type: office, provides: [administration],
         needs: {telecom: {from: [bts-1]}}}
      - {id: droga, type: road, provides: [transport],
         road: {between: [remiza, centrum], hours: 15m}}
      - {id: most, type: bridge, provides: [transport], road: {between: [remiza, wies], hours: 30m}}
""")

BLACKOUT_AT_1H = """\
duration: 48h
injects:
  - {id: I-01, at: 1h, effects: [{damage: [gpz]}]}
"""


def status(state: ActionState) -> str:
    """Where an action stands now (read afresh: the clock moved it on)."""
    return state.status


def alert(exercise: Exercise, target: str, at: float, **params: Any) -> tuple[str, int]:
    """Send a message at ``at``, run until it is delivered; its status and people reached."""
    state = submit(exercise, "crisis", "public_alert", target, at=at, **params)
    message = exercise.information.messages[state.id]
    for _ in range(200):
        if message.delivered_at is not None:
            break
        exercise.advance_to(exercise.now + 0.25)
    return state.status, message.people()


def test_an_alert_with_every_mast_and_siren_down_reaches_nobody(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, MODEL, BLACKOUT_AT_1H)
    # Before the blackout the same alert reaches everyone under a mast and a siren.
    assert alert(exercise, "all", 0.0) == ("completed", 1500)
    assert alert(exercise, "all", 0.5, channel="sirens") == ("completed", 1500)
    exercise.advance_to(2.0)
    assert alert(exercise, "all", 2.0) == ("completed", 0)
    assert alert(exercise, "all", 3.0, channel="sirens") == ("completed", 0)
    assert exercise.information.informed("warning", "d1") == 1.0  # from the first one only
    assert exercise.actions["A003"].share == 0.0


def test_alert_rcb_goes_through_wczk_and_rcb_with_a_delay(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, MODEL, "duration: 12h\ninformation: {alert_delay: 45m}\n")
    state = submit(exercise, "crisis", "public_alert", "d2", at=1.0, topic="evacuation")
    exercise.advance_to(1.7)
    assert exercise.information.informed("evacuation", "d2") == 0.0
    exercise.advance_to(1.75)
    assert action_log(exercise, state.id) == [
        (1.0, "submitted"),
        (1.0, "started"),
        (1.75, "completed"),
    ]
    assert exercise.information.informed("evacuation", "d2") == 1.0
    assert exercise.information.informed("evacuation", "d1") == 0.0


def test_sirens_carry_only_tones_which_send_people_to_the_radio(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, MODEL, "duration: 12h\n")
    with pytest.raises(Refusal, match="sirens carry only tones"):
        exercise.submit(
            ActionRequest("crisis", "public_alert", "all", {"channel": "sirens", "topic": "flood"})
        )
    with pytest.raises(Refusal, match="carries words, not the tone 'alarm'"):
        exercise.submit(
            ActionRequest("crisis", "public_alert", "all", {"channel": "radio", "topic": "alarm"})
        )
    # Radio alone: 0.3 of d1 (all have power) = 300.
    assert alert(exercise, "d1", 1.0, channel="radio", topic="flood") == ("completed", 300)
    # After the alarm tone (heard by all of d1) everyone looks for the radio: 1000.
    assert alert(exercise, "d1", 2.0, channel="sirens", tone="alarm") == ("completed", 1000)
    assert exercise.information.informed("flood", "d1") == pytest.approx(0.3)
    assert alert(exercise, "d1", 2.5, channel="radio", topic="flood") == ("completed", 1000)
    assert exercise.information.informed("flood", "d1") == 1.0
    # An hour after the tone they no longer listen out: back to 0.3.
    assert alert(exercise, "d1", 3.5, channel="radio", topic="other") == ("completed", 300)


def test_radio_reaches_households_with_power_or_a_battery_radio(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, MODEL, BLACKOUT_AT_1H)
    # No power anywhere: only the prepared (0.2 of d1, 0.3 of d2) have a battery radio.
    # d1: 0.3 x 0.2 x 1000 = 60; d2: 0.3 x 0.3 x 500 = 45.
    assert alert(exercise, "all", 2.0, channel="radio") == ("completed", 105)


def test_the_web_needs_telecom_at_the_office_and_at_home(tmp_path: Path) -> None:
    scenario = """\
        duration: 12h
        injects:
          - {id: I-01, at: 1h, effects: [{damage: [bts-2]}]}
          - {id: I-02, at: 3h, effects: [{damage: [bts-1]}]}
    """
    exercise = make_exercise(tmp_path, MODEL, scenario)
    assert alert(exercise, "all", 0.0, channel="web") == ("completed", 450)  # 0.3 x 1500
    assert alert(exercise, "all", 2.0, channel="web") == ("completed", 300)  # d2 has no mast
    exercise.advance_to(3.0)
    with pytest.raises(Refusal, match="urzad has no telecom"):
        exercise.submit(ActionRequest("crisis", "public_alert", "all", {"channel": "web"}))


def test_a_loudspeaker_car_drives_through_the_districts_it_can_reach(tmp_path: Path) -> None:
    scenario = """\
        duration: 12h
        injects:
          - {id: I-01, at: 0h, effects: [{damage: [most]}]}
    """
    exercise = make_exercise(tmp_path, MODEL, scenario)
    state = submit(exercise, "crisis", "public_alert", "all", at=0.0, channel="loudspeaker")
    # d1: 15 minutes out, 0.5 h for its 1,000 residents; d2 is across the broken bridge.
    exercise.advance_to(0.74)
    assert status(state) == "started"
    exercise.advance_to(0.75)
    assert status(state) == "completed"
    message = exercise.information.messages[state.id]
    assert message.reached == {"d1": 600}
    assert state.detail == "reached 600 of 1,500 residents"


def test_a_second_car_message_waits_for_the_only_car(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, MODEL, "duration: 12h\n")
    first = submit(exercise, "crisis", "public_alert", "d2", at=0.0, channel="loudspeaker")
    second = submit(exercise, "crisis", "public_alert", "d1", channel="loudspeaker")
    assert status(second) == "queued"
    exercise.advance_to(0.75)  # d2: 0.5 h out, 0.25 h for 500 residents
    assert status(first) == "completed"
    exercise.advance_to(1.0)  # from the base again: 0.25 h out, 0.5 h for 1,000 residents
    assert status(second) == "started"
    exercise.advance_to(1.5)
    assert status(second) == "completed"


def test_soltysi_door_to_door_are_slow_and_reliable(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, MODEL, "duration: 48h\n")
    state = submit(exercise, "crisis", "public_alert", "all", at=0.0, channel="door_to_door")
    # Two members, 6 households an hour each of 2.5 residents: 30 residents an hour.
    # d1 takes 1000 / 30 = 33.3 h, then d2 500 / 30 = 16.7 h.
    exercise.advance_to(33.3)
    assert exercise.information.messages[state.id].reached == {}
    exercise.advance_to(33.34)
    assert exercise.information.messages[state.id].reached == {"d1": 900}
    assert exercise.pools["soltysi"].free == 0
    exercise.advance_to(48.0)
    assert state.status == "started"
    assert exercise.information.messages[state.id].reached == {"d1": 900}


def test_parish_announcements_wait_for_the_next_service(tmp_path: Path) -> None:
    # Thursday 14 January 2027, 10:00: read at 18:00 (8 h) to 0.1 of residents.
    scenario = "duration: 96h\nstart: 2027-01-14T10:00:00\n"
    exercise = make_exercise(tmp_path, MODEL, scenario)
    state = submit(exercise, "crisis", "public_alert", "all", at=0.0, channel="parish")
    exercise.advance_to(7.99)
    assert state.status == "started"
    exercise.advance_to(8.0)
    assert exercise.information.messages[state.id].reached == {"d1": 100, "d2": 50}
    # Submitted on Saturday at 20:00 (58 h): read on Sunday at 07:00 to 0.29.
    sunday = submit(exercise, "crisis", "public_alert", "all", at=58.0, channel="parish")
    exercise.advance_to(69.0)
    assert exercise.information.messages[sunday.id].reached == {"d1": 290, "d2": 145}


def test_channels_inform_as_independent_draws_repeats_reach_the_same_people(
    tmp_path: Path,
) -> None:
    exercise = make_exercise(tmp_path, MODEL, "duration: 12h\n")
    alert(exercise, "d1", 0.0, channel="radio", topic="water")
    alert(exercise, "d1", 3.0, channel="radio", topic="water")
    assert exercise.information.informed("water", "d1") == pytest.approx(0.3)  # same listeners
    alert(exercise, "d1", 4.0, channel="web", topic="water")
    # 1 - (1 - 0.3) x (1 - 0.3) = 0.51
    assert exercise.information.informed("water", "d1") == pytest.approx(0.51)
    assert exercise.information.informed_people("water") == {"d1": 510, "d2": 0}


def test_an_aid_point_informs_more_residents_each_hour_it_is_open(tmp_path: Path) -> None:
    school = "  - {id: szkola, type: school, provides: [shelter], serves: {d1: 1.0, d2: 0.5}}\n"
    model = MODEL + school
    exercise = make_exercise(tmp_path, model, "duration: 24h\n")
    state = submit(exercise, "crisis", "open_aid_point", "szkola", at=0.0, topic="aid", hours=10)
    exercise.advance_to(2.0)  # set up in 1 h, then a first hour open: 5 % came by
    # d1: 1000 x 0.05 = 50; d2, half of which it serves: 500 x 0.05 x 0.5 = 12.5, so 13.
    assert exercise.information.informed_people("aid") == {"d1": 50, "d2": 13}
    assert state.share == pytest.approx(63 / 1500)
    exercise.advance_to(11.0)  # ten hours open: 1 - 0.95^10 = 0.401 of those it serves
    assert exercise.information.informed_people("aid") == {"d1": 401, "d2": 100}
    assert state.status == "completed"
    with pytest.raises(Refusal, match="serves no district"):
        exercise.submit(ActionRequest("crisis", "open_aid_point", "droga"))
