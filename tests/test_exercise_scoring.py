"""Scoring, branching, consequence messages and the no-action baseline of the exercise layer.

Expectations open when their inject is delivered: an action of the right team, action and
target that takes effect (a repair done, a shelter open) within ``[delivery, delivery +
within)`` earns full points, one that takes effect later half, none by the deadline 0 (a
``missed`` score at the deadline).  Branch injects are due
``when`` a condition holds.  The simulation sends consequence messages of its own.
"""

from __future__ import annotations

import contextlib
import io
import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from cybrelia.exercise.core import Exercise
from cybrelia.exercise.events import (
    ActionEvent,
    InjectEvent,
    MessageEvent,
    RatingEvent,
    ScoreEvent,
)
from cybrelia.exercise.export import export_records, replay_session, write_export
from cybrelia.exercise.scoring import points
from cybrelia.exercise.session import Session
from cybrelia.exercise.types import ActionRequest, ActionState, Refusal
from cybrelia.files.validation import load_scenario
from tests.helpers import write_files

TEAMS = """\
teams:
  - {id: crisis, name: {pl: Sztab kryzysowy, en: Crisis team}, role: crisis}
  - {id: power, name: {pl: Energetyka, en: Power utility}, role: operator, sectors: [power]}
  - {id: water, name: {pl: Wodociągi, en: Water utility}, role: operator, sectors: [water]}
  - {id: health, name: {pl: SPZOZ, en: Health centre}, role: operator, sectors: [health]}
"""


def scenario_path(tmp_path: Path, model_yaml: str, scenario_yaml: str) -> Path:
    """Write the model and the scenario (with the teams above); return the scenario's path."""
    _, path = write_files(tmp_path, model_yaml, TEAMS + textwrap.dedent(scenario_yaml))
    return path


def make_exercise(tmp_path: Path, model_yaml: str, scenario_yaml: str) -> Exercise:
    return Exercise(load_scenario(scenario_path(tmp_path, model_yaml, scenario_yaml)))


def submit(
    exercise: Exercise, team: str, action: str, target: str | None = None, *, at: float
) -> ActionState:
    exercise.advance_to(at)
    return exercise.submit(ActionRequest(team, action, target))


def scores(exercise: Exercise) -> list[ScoreEvent]:
    return [e for e in exercise.history if isinstance(e, ScoreEvent)]


def deliveries(exercise: Exercise, inject_id: str) -> list[float]:
    """Times at which the inject was delivered."""
    return [
        e.t
        for e in exercise.history
        if isinstance(e, InjectEvent) and e.inject == inject_id and e.status == "delivered"
    ]


def messages(exercise: Exercise, topic: str) -> list[MessageEvent]:
    return [e for e in exercise.history if isinstance(e, MessageEvent) and e.topic == topic]


# One substation feeding a district; one power crew.
MODEL = """\
districts:
  - {id: d1, population: 1000, prepared_share: 0}
resources:
  - {id: crew-power, kind: power_crew, count: 1}
  - {id: crew-water, kind: water_crew, count: 1}
assets:
  - {id: gpz, name: GPZ, type: substation, provides: [power], serves: {d1: 1.0},
     repair_hours: 3}
  - {id: gpz-2, name: GPZ 2, type: substation, provides: [power], repair_hours: 3}
  - {id: bts, type: bts, provides: [telecom], serves: {d1: 1.0}}
"""

# I-01 at 1 h, the power team is expected to repair gpz within 6 h: window [1, 7).
# A repair takes 0.5 h of travel and 3 h of work.
REPAIR_EXPECTED = """\
duration: 24h
injects:
  - id: I-01
    at: 1h
    effects: [{damage: [gpz, gpz-2]}]
    expect:
      - {action: repair, target: gpz, team: power, within: 6h, points: 10, pillar: 7,
         capability: restoring power}
"""


# --- expectations ----------------------------------------------------------------------------


@pytest.mark.parametrize("at", [1.0, 2.0, 3.25])
def test_an_action_taking_effect_within_the_window_earns_full_points(
    tmp_path: Path, at: float
) -> None:
    exercise = make_exercise(tmp_path, MODEL, REPAIR_EXPECTED)
    action = submit(exercise, "power", "repair", "gpz", at=at)
    exercise.advance_to(at + 3.4)
    assert scores(exercise) == [], "nothing is earned before the repair is done"
    exercise.advance_to(24.0)
    assert scores(exercise) == [
        ScoreEvent(at + 3.5, "I-01.1", "I-01", "power", 7, "met", 10.0, 10, action.id)
    ]
    state = exercise.expectations["I-01.1"]
    assert (state.status, state.points, state.opened_at, state.deadline) == (
        "met",
        10.0,
        1.0,
        7.0,
    )


@pytest.mark.parametrize("at", [3.6, 5.0])
def test_an_action_taking_effect_after_the_deadline_earns_half(tmp_path: Path, at: float) -> None:
    exercise = make_exercise(tmp_path, MODEL, REPAIR_EXPECTED)
    action = submit(exercise, "power", "repair", "gpz", at=at)
    exercise.advance_to(24.0)
    # Submitted in the window, but missed at the deadline (7 h), then credited as late
    # when the repair is done.
    assert scores(exercise) == [
        ScoreEvent(7.0, "I-01.1", "I-01", "power", 7, "missed", 0.0, 10, None),
        ScoreEvent(at + 3.5, "I-01.1", "I-01", "power", 7, "late", 5.0, 10, action.id),
    ]
    assert exercise.expectations["I-01.1"].points == 5.0


def test_a_cancelled_action_earns_nothing(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, MODEL, REPAIR_EXPECTED)
    action = submit(exercise, "power", "repair", "gpz", at=1.0)
    exercise.advance_to(1.25)
    exercise.cancel(action.id)
    exercise.advance_to(24.0)
    assert action.status == "cancelled"
    assert scores(exercise) == [
        ScoreEvent(7.0, "I-01.1", "I-01", "power", 7, "missed", 0.0, 10, None)
    ]


def test_no_action_is_missed_at_the_deadline(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, MODEL, REPAIR_EXPECTED)
    exercise.advance_to(6.999)
    assert scores(exercise) == []
    statuses = [exercise.expectations["I-01.1"].status]
    exercise.advance_to(7.0)
    assert scores(exercise) == [
        ScoreEvent(7.0, "I-01.1", "I-01", "power", 7, "missed", 0.0, 10, None)
    ]
    statuses.append(exercise.expectations["I-01.1"].status)
    assert statuses == ["pending", "missed"]


def test_only_the_expected_team_action_and_target_count(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, MODEL, REPAIR_EXPECTED)
    submit(exercise, "power", "repair", "gpz-2", at=1.5)  # another target
    exercise.advance_to(2.0)
    exercise.submit(ActionRequest("crisis", "note", note="repair gpz"))  # another action
    exercise.advance_to(24.0)
    assert [s.status for s in scores(exercise)] == ["missed"]


ALERT_EXPECTED = """\
duration: 24h
information: {alert_delay: 0}  # these tests are about windows: an Alert RCB sent at once
injects:
  - id: I-01
    at: 1h
    effects: [{damage: [gpz]}]
    expect:
      - {action: public_alert, target: all, team: crisis, within: 2h, points: 20, pillar: 2,
         capability: warning the public}
"""


def test_an_action_before_delivery_does_not_count(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, MODEL, ALERT_EXPECTED)
    action = submit(exercise, "crisis", "public_alert", "all", at=0.5)
    assert action.status == "completed"
    exercise.advance_to(24.0)
    assert scores(exercise) == [
        ScoreEvent(3.0, "I-01.1", "I-01", "crisis", 2, "missed", 0.0, 20, None)
    ]


def test_an_expectation_for_a_target_needs_that_target(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, MODEL, ALERT_EXPECTED)
    submit(exercise, "crisis", "public_alert", "d1", at=1.5)
    exercise.advance_to(24.0)
    assert [s.status for s in scores(exercise)] == ["missed"]


@pytest.mark.parametrize("target", ["d1", "all"])
def test_an_expectation_without_target_matches_any_target(tmp_path: Path, target: str) -> None:
    # An ad-hoc inject carries the expectation (the exercise layer's own check).
    exercise = make_exercise(tmp_path, MODEL, "duration: 24h\ninformation: {alert_delay: 0}\n")
    exercise.advance_to(1.0)
    inject = exercise.add_inject(
        {
            "id": "ADHOC-01",
            "expect": [
                {
                    "action": "public_alert",
                    "team": "crisis",
                    "within": "2h",
                    "points": 20,
                    "pillar": 2,
                    "capability": "warning the public",
                }
            ],
        }
    )
    action = submit(exercise, "crisis", "public_alert", target, at=1.5)
    exercise.advance_to(24.0)
    assert scores(exercise) == [
        ScoreEvent(1.5, f"{inject}.1", inject, "crisis", 2, "met", 20.0, 20, action.id)
    ]


def test_a_scenario_file_may_leave_an_expectations_target_out(tmp_path: Path) -> None:
    # docs/scenario-format.md: "any target if the expectation names none".
    scenario = ALERT_EXPECTED.replace("target: all, ", "")
    exercise = make_exercise(tmp_path, MODEL, scenario)
    action = submit(exercise, "crisis", "public_alert", "d1", at=1.5)
    exercise.advance_to(24.0)
    assert scores(exercise) == [
        ScoreEvent(1.5, "I-01.1", "I-01", "crisis", 2, "met", 20.0, 20, action.id)
    ]


def test_a_refused_action_does_not_count(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, MODEL, REPAIR_EXPECTED)
    exercise.advance_to(0.5)
    with pytest.raises(Refusal):
        exercise.submit(ActionRequest("power", "repair", "gpz"))  # not damaged yet
    exercise.advance_to(24.0)
    assert [s.status for s in scores(exercise)] == ["missed"]


# --- ratings and roll-up -----------------------------------------------------------------------


def test_manual_ratings(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, MODEL, REPAIR_EXPECTED)
    exercise.advance_to(2.0)
    for rating in ("P", "S", "M", "U"):
        exercise.rate("I-01", "power", rating, f"rated {rating}")
        assert exercise.history[-1] == RatingEvent(2.0, "I-01", "power", rating, f"rated {rating}")
    # The latest rating of an inject for a team stands.
    assert exercise.ratings[("I-01", "power")].rating == "U"
    bad: Any = "X"
    with pytest.raises(Refusal, match=r"^rating must be P, S, M or U, not 'X'$"):
        exercise.rate("I-01", "power", bad)
    with pytest.raises(Refusal, match=r"^unknown inject 'I-99'$"):
        exercise.rate("I-99", "power", "P")
    with pytest.raises(Refusal, match=r"^unknown team 'nobody'$"):
        exercise.rate("I-01", "nobody", "P")
    assert exercise.ratings[("I-01", "power")].rating == "U"


ROLL_UP = """\
duration: 24h
information: {alert_delay: 0}
injects:
  - id: I-01
    at: 1h
    effects: [{damage: [gpz]}]
    expect:
      - {action: repair, target: gpz, team: power, within: 6h, points: 10, pillar: 7,
         capability: restoring power}
      - {action: public_alert, target: all, team: crisis, within: 1h, points: 20, pillar: 2,
         capability: warning the public}
  - id: I-02
    at: 10h
    expect:
      - {action: note, team: water, within: 1h, points: 7, pillar: 3, capability: logging}
"""


def test_points_roll_up_by_team_and_by_pillar(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, MODEL, ROLL_UP)
    submit(exercise, "power", "repair", "gpz", at=2.0)  # done at 5.5, met: 10 of 10
    submit(exercise, "crisis", "public_alert", "all", at=2.5)  # late: 10 of 20
    exercise.advance_to(6.0)
    # I-02 is not delivered yet: its expectation counts nowhere.
    rolled = points(exercise)
    assert (rolled["points"], rolled["max"]) == (20.0, 30)
    assert rolled["by_team"] == {
        "crisis": {"points": 10.0, "max": 20},
        "health": {"points": 0.0, "max": 0},
        "power": {"points": 10.0, "max": 10},
        "water": {"points": 0.0, "max": 0},
    }
    assert rolled["by_pillar"] == {
        "1": {"points": 0.0, "max": 0},
        "2": {"points": 10.0, "max": 20},
        "3": {"points": 0.0, "max": 0},
        "4": {"points": 0.0, "max": 0},
        "5": {"points": 0.0, "max": 0},
        "6": {"points": 0.0, "max": 0},
        "7": {"points": 10.0, "max": 10},
    }
    # Once I-02 is delivered its window is open: it counts towards the maximum only.
    exercise.advance_to(10.5)
    rolled = points(exercise)
    assert (rolled["points"], rolled["max"]) == (20.0, 37)
    assert rolled["by_team"]["water"] == {"points": 0.0, "max": 7}
    assert rolled["by_pillar"]["3"] == {"points": 0.0, "max": 7}


# --- branches ---------------------------------------------------------------------------------

BRANCH_MODEL = """\
districts:
  - {id: d1, population: 1000}
resources:
  - {id: crew-power, kind: power_crew, count: 1}
assets:
  - {id: gpz, name: GPZ, type: substation, provides: [power], repair_hours: 3}
  - {id: linia, name: Linia SN, type: mv_line, provides: [power], needs: {power: {from: [gpz]}},
     serves: {d1: 1.0}}
"""


def branch_exercise(tmp_path: Path, injects: str) -> Exercise:
    return make_exercise(tmp_path, BRANCH_MODEL, "duration: 24h\ninjects:\n" + injects)


def test_branch_after_a_delivery(tmp_path: Path) -> None:
    exercise = branch_exercise(
        tmp_path,
        """\
  - {id: I-01, at: 1h}
  - {id: B-01, when: {delivered: I-01, after: 1h}}
""",
    )
    exercise.advance_to(24.0)
    assert deliveries(exercise, "B-01") == [2.0]


def test_branch_fires_when_an_asset_was_down_for_a_while(tmp_path: Path) -> None:
    exercise = branch_exercise(
        tmp_path,
        """\
  - {id: I-01, at: 1h, effects: [{damage: [gpz]}]}
  - {id: B-01, when: {asset: {id: gpz, state: down, for: 2h}}}
""",
    )
    exercise.advance_to(2.999)
    assert deliveries(exercise, "B-01") == []
    exercise.advance_to(24.0)
    assert deliveries(exercise, "B-01") == [3.0]


def test_branch_does_not_fire_if_the_asset_came_back_in_time(tmp_path: Path) -> None:
    exercise = branch_exercise(
        tmp_path,
        """\
  - {id: I-01, at: 1h, effects: [{damage: [gpz]}]}
  - {id: I-02, at: 2h30m, effects: [{repair: [gpz]}]}
  - {id: B-01, when: {asset: {id: gpz, state: down, for: 2h}}}
""",
    )
    exercise.advance_to(24.0)
    assert deliveries(exercise, "B-01") == []
    assert exercise.injects["B-01"].status == "pending"


def test_branch_counts_from_the_last_time_the_asset_went_down(tmp_path: Path) -> None:
    exercise = branch_exercise(
        tmp_path,
        """\
  - {id: I-01, at: 1h, effects: [{damage: [gpz]}]}
  - {id: I-02, at: 2h, effects: [{repair: [gpz]}]}
  - {id: I-03, at: 2h30m, effects: [{damage: [gpz]}]}
  - {id: B-01, when: {asset: {id: gpz, state: down, for: 2h}}}
""",
    )
    exercise.advance_to(24.0)
    assert deliveries(exercise, "B-01") == [4.5]


def test_branch_counts_from_going_down_even_if_the_causes_change(tmp_path: Path) -> None:
    # The line goes down at 1 h (damaged); at 2 h its supply fails too (damaged, needs:power).
    # It has been down without a break since 1 h, so the branch is due at 1 + 2 = 3 h.
    exercise = branch_exercise(
        tmp_path,
        """\
  - {id: I-01, at: 1h, effects: [{damage: [linia]}]}
  - {id: I-02, at: 2h, effects: [{damage: [gpz]}]}
  - {id: B-01, when: {asset: {id: linia, state: down, for: 2h}}}
""",
    )
    exercise.advance_to(24.0)
    assert deliveries(exercise, "B-01") == [3.0]


def test_branch_on_an_expectation_met(tmp_path: Path) -> None:
    injects = """\
  - id: I-01
    at: 1h
    effects: [{damage: [gpz]}]
    expect:
      - {action: repair, target: gpz, team: power, within: 6h, pillar: 7, capability: power}
  - {id: B-MET, when: {met: I-01.1, after: 30m}}
  - {id: B-MISSED, when: {missed: I-01.1}}
"""
    met = branch_exercise(tmp_path, injects)
    submit(met, "power", "repair", "gpz", at=2.0)  # done at 5.5
    met.advance_to(24.0)
    assert deliveries(met, "B-MET") == [6.0]
    assert deliveries(met, "B-MISSED") == []

    missed = branch_exercise(tmp_path, injects)
    missed.advance_to(24.0)
    assert deliveries(missed, "B-MET") == []
    assert deliveries(missed, "B-MISSED") == [7.0]

    late = branch_exercise(tmp_path, injects)
    submit(late, "power", "repair", "gpz", at=4.0)  # done at 7.5
    late.advance_to(24.0)
    assert deliveries(late, "B-MET") == []
    assert deliveries(late, "B-MISSED") == [7.0]


@pytest.mark.parametrize(("above", "due"), [(500, [1.0]), (999, [1.0]), (1000, [])])
def test_branch_on_a_metric(tmp_path: Path, above: int, due: list[float]) -> None:
    exercise = branch_exercise(
        tmp_path,
        f"""\
  - {{id: I-01, at: 1h, effects: [{{damage: [gpz]}}]}}
  - {{id: B-01, when: {{metric: {{name: people_without_power, above: {above}}}}}}}
""",
    )
    exercise.advance_to(24.0)
    # 1000 residents lose power at 1 h.
    assert deliveries(exercise, "B-01") == due


def test_a_branch_carries_its_effects(tmp_path: Path) -> None:
    exercise = branch_exercise(
        tmp_path,
        """\
  - {id: I-01, at: 1h}
  - {id: B-01, when: {delivered: I-01, after: 1h}, effects: [{damage: [gpz]}]}
""",
    )
    exercise.advance_to(24.0)
    assert exercise.engine.status("linia").causes == ("needs:power",)
    assert exercise.history and deliveries(exercise, "B-01") == [2.0]


# --- consequence messages -----------------------------------------------------------------------

# A water station with its own 6 h generator, a hospital without one.
CONSEQUENCE_MODEL = """\
districts:
  - {id: d1, population: 1000, prepared_share: 0.2}
resources:
  - {id: gen, kind: generator, count: 1, fuel_hours: 6}
  - {id: cysterna, kind: fuel_truck, count: 1}
assets:
  - {id: gpz, name: GPZ, type: substation, provides: [power], serves: {d1: 1.0}}
  - {id: suw, name: SUW, type: water_treatment, provides: [water],
     needs: {power: {from: [gpz], buffer: {kind: generator, hours: 6}}}, serves: {d1: 1.0}}
  - {id: pompownia, name: Pompownia, type: booster_pump, provides: [water],
     needs: {power: {from: [gpz]}}, travel_hours: 0.5}
  - {id: szpital, name: Szpital, type: hospital, provides: [health], critical: true,
     needs: {power: {from: [gpz]}}}
"""

GPZ_DOWN = """\
duration: 48h
injects:
  - {id: I-01, at: 1h, effects: [{damage: [gpz]}]}
"""


def test_fuel_warning_two_hours_before_a_generator_runs_dry(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, CONSEQUENCE_MODEL, GPZ_DOWN)
    exercise.advance_to(48.0)
    # SUW on its 6 h generator from 1 h: empty at 7, warned at 7 - 2 = 5.
    (warning,) = messages(exercise, "fuel_low")
    assert (warning.t, warning.subject) == (5.0, "suw")
    assert set(warning.to) == {"crisis", "water"}
    assert "2h" in warning.text["en"] and "2h" in warning.text["pl"]


def test_no_fuel_warning_when_power_returns_first(tmp_path: Path) -> None:
    scenario = GPZ_DOWN + "  - {id: I-02, at: 4h, effects: [{repair: [gpz]}]}\n"
    exercise = make_exercise(tmp_path, CONSEQUENCE_MODEL, scenario)
    exercise.advance_to(48.0)
    assert messages(exercise, "fuel_low") == []


def test_fuel_warning_for_a_deployed_generator(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, CONSEQUENCE_MODEL, GPZ_DOWN)
    submit(exercise, "water", "deploy_generator", "pompownia", at=2.0)
    exercise.advance_to(48.0)
    # Arrives at 2.5 with 6 h of fuel: empty at 8.5, warned at 6.5.
    warnings = [m for m in messages(exercise, "fuel_low") if m.subject == "pompownia"]
    assert [(m.t, set(m.to)) for m in warnings] == [(6.5, {"crisis", "water"})]


def test_fuel_warning_after_a_refuel(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, CONSEQUENCE_MODEL, GPZ_DOWN)
    submit(exercise, "water", "refuel", "suw", at=4.0)
    exercise.advance_to(48.0)
    # Refuelled at 4 + 0.5 (SUW's default travel time): 6 h again, empty at 10.5, so the
    # warning comes at 8.5 (not at 5, the old tank's warning time).
    warnings = [(m.t, m.subject) for m in messages(exercise, "fuel_low")]
    assert warnings == [(8.5, "suw")]


def test_fuel_warning_for_a_generator_brought_to_an_asset_on_its_battery(tmp_path: Path) -> None:
    model = CONSEQUENCE_MODEL.replace(
        "needs: {power: {from: [gpz]}}, travel_hours: 0.5",
        "needs: {power: {from: [gpz], buffer: {kind: battery, hours: 1}}}, travel_hours: 0.5",
    )
    exercise = make_exercise(tmp_path, model, GPZ_DOWN)
    submit(exercise, "water", "deploy_generator", "pompownia", at=1.5)
    exercise.advance_to(48.0)
    # On its battery from 1 h (still on backup when the generator arrives at 2): 6 h of
    # fuel, empty at 8, warned at 6.
    warnings = [m.t for m in messages(exercise, "fuel_low") if m.subject == "pompownia"]
    assert warnings == [6.0]


def test_critical_facility_down_message(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, CONSEQUENCE_MODEL, GPZ_DOWN)
    exercise.advance_to(2.0)
    (message,) = messages(exercise, "critical_down")
    assert (message.t, message.subject) == (1.0, "szpital")
    assert set(message.to) == {"crisis", "health"}
    assert message.text["en"] == "Critical facility down: Szpital (no power)."
    assert message.text["pl"] == "Obiekt krytyczny nie działa: Szpital (brak zasilania)."
    assert exercise.metrics().critical_down == 1


def test_people_in_need_threshold_messages(tmp_path: Path) -> None:
    scenario = "consequences: {people_in_need: [100, 500, 1000]}\n" + GPZ_DOWN
    exercise = make_exercise(tmp_path, CONSEQUENCE_MODEL, scenario)
    exercise.advance_to(24.5)
    assert messages(exercise, "people_in_need") == []
    exercise.advance_to(48.0)
    # 800 unprepared residents in need after 24 h without power and water (from 25 h);
    # the 200 prepared ones only after 72 h, past the end.
    crossed = messages(exercise, "people_in_need")
    assert [(m.t, m.subject, m.to) for m in crossed] == [
        (25.0, "100", ("crisis",)),
        (25.0, "500", ("crisis",)),
    ]
    assert exercise.metrics().people_in_need == 800


def test_claim_reach_threshold_messages(tmp_path: Path) -> None:
    scenario = """\
        duration: 12h
        consequences: {claim_reach: [0.25, 0.5]}
        injects:
          - id: I-01
            at: 1h
            effects:
              - claim:
                  id: woda-skazona
                  text: {pl: Woda jest skażona, en: The water is poisoned}
                  service: water
                  reach: 0.125
                  growth: 0.125
                  max_reach: 0.75
    """
    exercise = make_exercise(tmp_path, CONSEQUENCE_MODEL, scenario)
    shares = {}
    for hour in range(1, 13):
        exercise.advance_to(float(hour))
        shares[float(hour)] = exercise.population.claims["woda-skazona"].reach(float(hour))
    # One message at the first sample at which the believers' share passed each threshold.
    first = [min(t for t, share in shares.items() if share >= each) for each in (0.25, 0.5)]
    spreading = messages(exercise, "claim_spreading")
    assert [(m.t, m.subject, m.to) for m in spreading] == [
        (first[0], "woda-skazona", ("crisis",)),
        (first[1], "woda-skazona", ("crisis",)),
    ]
    assert "The water is poisoned" in spreading[0].text["en"]


# --- the no-action baseline and determinism -----------------------------------------------------

WATER_MODEL = """\
districts:
  - {id: d1, population: 1000}
resources:
  - {id: crew-water, kind: water_crew, count: 1}
assets:
  - {id: suw, name: SUW, type: water_treatment, provides: [water], serves: {d1: 1.0},
     travel_hours: 0.5, repair_hours: 3}
"""

WATER_SCENARIO = """\
duration: 24h
injects:
  - id: I-01
    at: 1h
    effects: [{damage: [suw]}]
    expect:
      - {action: repair, target: suw, team: water, within: 6h, pillar: 7, capability: water}
"""


def test_the_baseline_without_team_actions(tmp_path: Path) -> None:
    path = scenario_path(tmp_path, WATER_MODEL, WATER_SCENARIO)
    session = Session.create(path, tmp_path / "s.cybrelia")
    session.advance_to(2.0)
    session.submit(ActionRequest("water", "repair", "suw"))
    session.rate("I-01", "water", "S")
    session.advance_to(24.0)
    session.close()

    records = list(export_records(replay_session(tmp_path / "s.cybrelia")))
    summary = records[-1]
    assert summary["kind"] == "summary"
    assert summary["t"] == 24.0
    # Run: without water from 1 to 2 + 0.5 + 3 = 5.5.  Baseline: from 1 to the end, 24.
    assert summary["actual"]["person_hours"]["water"] == 4500.0
    assert summary["baseline"]["person_hours"]["water"] == 23000.0
    assert summary["avoided"]["person_hours"]["water"] == 18500.0
    assert summary["baseline"]["person_hours"]["water"] > summary["actual"]["person_hours"]["water"]
    assert summary["points"]["points"] == 10.0
    assert summary["ratings"] == {"I-01/water": "S"}
    assert {"t": 5.5, "kind": "asset", "asset": "suw", "state": "up", "causes": []} in records


def _played_session(tmp_path: Path, name: str) -> str:
    model = """\
        districts:
          - {id: d1, population: 1000}
        resources:
          - {id: it-team, kind: it_team, count: 1}
        assets:
          - {id: scada, type: scada, provides: [control], serves: {d1: 0.5},
             cyber: {exposure: internet, backup: untested, restore_hours: 2}}
          - {id: serwer, type: server, provides: [control], serves: {d1: 0.5},
             cyber: {exposure: internal, backup: untested, restore_hours: 3}}
          - {id: plc, type: plc, provides: [data], cyber: {exposure: internal}}
        cyber_links: [[scada, serwer], [serwer, plc]]
    """
    scenario = """\
        duration: 24h
        seed: 3
        injects:
          - id: I-01
            at: 1h
            effects:
              - compromise: [scada]
                spread: {every: 1h, probability: 0.5}
            expect:
              - {action: restore_backup, target: scada, team: crisis, within: 2h, pillar: 7,
                 capability: cyber}
    """
    folder = tmp_path / name
    folder.mkdir()
    path = scenario_path(folder, model, scenario)
    session = Session.create(path, folder / "s.cybrelia")
    session.advance_to(1.5)
    session.submit(ActionRequest("crisis", "restore_backup", "scada"))
    session.advance_to(6.0)
    for target in ("scada", "serwer", "plc"):
        with contextlib.suppress(Refusal):
            session.submit(ActionRequest("crisis", "restore_backup", target))
    session.note("po przywróceniu", team="crisis")
    session.advance_to(24.0)
    session.close()
    out = io.StringIO()
    write_export(replay_session(folder / "s.cybrelia"), out)
    return out.getvalue()


def test_identical_sessions_export_identical_json_lines(tmp_path: Path) -> None:
    first = _played_session(tmp_path, "one")
    second = _played_session(tmp_path, "two")
    assert first == second
    lines = [json.loads(line) for line in first.splitlines()]
    assert lines[-1]["kind"] == "summary"
    assert any(line["kind"] == "action" for line in lines)


def test_a_critical_facility_down_is_reported_once_per_outage(tmp_path: Path) -> None:
    model = """\
        assets:
          - {id: gpz, type: substation, provides: [power]}
          - {id: dps, type: care_home, critical: true, provides: [health],
             needs: {power: {from: [gpz]}}}
    """
    scenario = """\
        format: cybrelia.scenario/1
        infrastructure: model.yaml
        duration: 12h
        teams: [{id: crisis, name: {pl: Sztab, en: Crisis team}, role: crisis}]
        injects:
          - {id: I-01, at: 1h, effects: [{damage: [dps]}]}
          - {id: I-02, at: 2h, effects: [{damage: [gpz]}]}
          - {id: I-03, at: 3h, effects: [{repair: [gpz]}]}
          - {id: I-04, at: 5h, effects: [{repair: [dps]}]}
          - {id: I-05, at: 6h, effects: [{damage: [gpz]}]}
    """
    (tmp_path / "model.yaml").write_text(
        "format: cybrelia.infrastructure/1\n" + textwrap.dedent(model), encoding="utf-8"
    )
    (tmp_path / "scenario.yaml").write_text(textwrap.dedent(scenario), encoding="utf-8")
    exercise = Exercise(load_scenario(tmp_path / "scenario.yaml"))
    exercise.advance_to(12.0)
    down = [
        (e.t, e.text["en"])
        for e in exercise.history
        if isinstance(e, MessageEvent) and e.topic == "critical_down"
    ]
    # Causes change at 2 h and 3 h while it stays down: no new message until the next outage.
    assert down == [
        (1.0, "Critical facility down: dps (damaged)."),
        (6.0, "Critical facility down: dps (no power)."),
    ]


def test_an_inject_comes_before_the_messages_it_sets_off(tmp_path: Path) -> None:
    scenario = """\
        format: cybrelia.scenario/1
        infrastructure: model.yaml
        duration: 6h
        teams: [{id: crisis, name: {pl: Sztab, en: Crisis team}, role: crisis}]
        consequences: {claim_reach: [0.1]}
        injects:
          - id: I-01
            at: 1h
            effects:
              - claim: {id: plotka, text: {pl: Plotka, en: Rumour}, service: water, reach: 0.2}
    """
    (tmp_path / "model.yaml").write_text(
        "format: cybrelia.infrastructure/1\ndistricts: [{id: d, population: 100}]\n"
        "assets: [{id: suw, type: water_treatment, provides: [water], serves: {d: 1.0}}]\n",
        encoding="utf-8",
    )
    (tmp_path / "scenario.yaml").write_text(textwrap.dedent(scenario), encoding="utf-8")
    exercise = Exercise(load_scenario(tmp_path / "scenario.yaml"))
    exercise.advance_to(2.0)
    kinds = [
        type(e).__name__ for e in exercise.history if isinstance(e, InjectEvent | MessageEvent)
    ]
    assert kinds == ["InjectEvent", "MessageEvent"]


# --- points for effect, not for clicks ----------------------------------------------------------

# The school opens as a warming shelter after 1 h of setup; half the district's telecom
# depends on the substation.
EFFECT_MODEL = """\
districts:
  - {id: d1, population: 1000, prepared_share: 0}
resources:
  - {id: crew-power, kind: power_crew, count: 1}
assets:
  - {id: gpz, name: GPZ, type: substation, provides: [power], serves: {d1: 1.0}, repair_hours: 3}
  - {id: bts-1, type: bts, provides: [telecom], needs: {power: {from: [gpz]}}, serves: {d1: 0.5}}
  - {id: bts-2, type: bts, provides: [telecom], serves: {d1: 0.5}}
  - {id: szkola, name: SP 1, type: school, provides: [shelter], serves: {d1: 1.0}}
"""

EFFECT_SCENARIO = """\
duration: 24h
injects:
  - id: I-01
    at: 1h
    effects:
      - damage: [gpz]
      - claim:
          id: woda-skazona
          text: {pl: Woda w kranach jest skażona, en: Tap water is poisoned}
          service: water
          reach: 0.125
          growth: 0.125
          max_reach: 0.75
          decay: 0.0625
    expect:
      - {action: open_shelter, target: szkola, team: crisis, within: 6h, points: 10, pillar: 1,
         capability: mass care}
      - {action: public_alert, target: all, team: crisis, within: 6h, points: 20, pillar: 2,
         capability: warning}
      - {action: debunk, target: woda-skazona, team: crisis, within: 6h, points: 20, pillar: 5,
         capability: information}
      - {action: note, team: crisis, within: 1h, points: 5, pillar: 3, capability: coordination}
"""


def effect_exercise(tmp_path: Path) -> Exercise:
    return make_exercise(tmp_path, EFFECT_MODEL, EFFECT_SCENARIO)


def earned(exercise: Exercise, expectation: str) -> tuple[str, float]:
    state = exercise.expectations[expectation]
    return state.status, state.points


def test_a_shelter_cancelled_right_after_opening_earns_nothing(tmp_path: Path) -> None:
    exercise = effect_exercise(tmp_path)
    shelter = submit(exercise, "crisis", "open_shelter", "szkola", at=1.0)
    exercise.advance_to(1.5)
    assert earned(exercise, "I-01.1") == ("pending", 0.0), "not open yet: nothing earned"
    exercise.advance_to(2.01)  # open at 2 h (36 s ago)
    assert earned(exercise, "I-01.1") == ("met", 10.0)
    exercise.cancel(shelter.id)
    assert earned(exercise, "I-01.1") == ("pending", 0.0), "the window is open again"
    exercise.advance_to(24.0)
    assert [(s.t, s.status, s.points) for s in scores(exercise) if s.expectation == "I-01.1"] == [
        (2.0, "met", 10.0),
        (2.01, "withdrawn", 0.0),
        (7.0, "missed", 0.0),
    ]


def test_a_shelter_cancelled_before_it_opens_earns_nothing(tmp_path: Path) -> None:
    exercise = effect_exercise(tmp_path)
    shelter = submit(exercise, "crisis", "open_shelter", "szkola", at=1.0)
    exercise.advance_to(1.5)
    exercise.cancel(shelter.id)
    exercise.advance_to(24.0)
    assert [(s.status, s.points) for s in scores(exercise) if s.expectation == "I-01.1"] == [
        ("missed", 0.0)
    ]


def test_a_public_alert_earns_by_the_share_of_its_target_it_reached(tmp_path: Path) -> None:
    exercise = effect_exercise(tmp_path)
    alert = submit(exercise, "crisis", "public_alert", "all", at=1.5)
    exercise.advance_to(2.0)  # RCB sends it 30 minutes after the request
    # bts-1 lost its power with the substation: 500 of the 1000 residents are reached.
    assert alert.detail == "reached 500 of 1,000 residents"
    assert earned(exercise, "I-01.2") == ("met", 10.0)


def test_a_public_alert_reaching_nobody_earns_nothing(tmp_path: Path) -> None:
    model = EFFECT_MODEL.replace(
        "{id: bts-2, type: bts, provides: [telecom],",
        "{id: bts-2, type: bts, provides: [telecom], needs: {power: {from: [gpz]}},",
    )
    exercise = make_exercise(tmp_path, model, EFFECT_SCENARIO)
    submit(exercise, "crisis", "public_alert", "all", at=1.5)
    exercise.advance_to(2.0)
    assert earned(exercise, "I-01.2") == ("met", 0.0)


@pytest.mark.parametrize(("channel", "points"), [("web", 1.8), ("radio", 0.0)])
def test_a_debunk_earns_by_the_share_it_reached_who_trust_the_gmina(
    tmp_path: Path, channel: str, points: float
) -> None:
    # From 1 h only bts-2 works: half of d1 has telecom.  The web reaches 0.3 of them and
    # 0.6 trust the gmina: 20 x 0.3 x 0.5 x 0.6 = 1.8.  Nobody has power, and nobody in
    # d1 is prepared with a battery radio: the radio reaches nobody.
    exercise = effect_exercise(tmp_path)
    exercise.advance_to(2.0)
    exercise.submit(ActionRequest("crisis", "debunk", "woda-skazona", {"channel": channel}))
    assert earned(exercise, "I-01.3") == ("met", points)


def test_a_note_earns_only_where_asked_and_once_the_facilitator_confirms_it(
    tmp_path: Path,
) -> None:
    exercise = effect_exercise(tmp_path)
    with pytest.raises(Refusal, match=r"no open expectation 'I-01\.4'"):
        exercise.confirm("I-01.4")  # not delivered yet
    exercise.advance_to(1.0)
    with pytest.raises(Refusal, match="has no unconfirmed decision record"):
        exercise.confirm("I-01.4")
    submit(exercise, "crisis", "note", at=1.5)
    assert earned(exercise, "I-01.4") == ("pending", 0.0), "a note alone earns nothing"
    exercise.advance_to(3.0)
    assert earned(exercise, "I-01.4") == ("missed", 0.0)
    exercise.confirm("I-01.4")  # confirmed after the window, written within it
    assert earned(exercise, "I-01.4") == ("met", 5.0)
    with pytest.raises(Refusal, match="has no unconfirmed decision record"):
        exercise.confirm("I-01.4")
    # Notes meet nothing but a note expectation, however many there are.
    for hour in range(4, 20, 2):
        submit(exercise, "crisis", "note", at=float(hour))
    assert points(exercise)["points"] == 5.0


def test_ratings_never_change_points(tmp_path: Path) -> None:
    rated, unrated = effect_exercise(tmp_path), effect_exercise(tmp_path)
    for exercise in (rated, unrated):
        submit(exercise, "crisis", "public_alert", "all", at=1.5)
    rated.rate("I-01", "crisis", "P", "excellent")
    unrated.advance_to(1.5)
    rated.advance_to(24.0)
    unrated.advance_to(24.0)
    assert points(rated) == points(unrated)
    assert points(rated)["points"] == 10.0


def test_a_refused_submission_is_not_a_team_decision(tmp_path: Path) -> None:
    exercise = effect_exercise(tmp_path)
    exercise.advance_to(1.5)
    with pytest.raises(Refusal, match="unknown asset 'most'"):
        exercise.submit(ActionRequest("crisis", "open_shelter", "most"))
    with pytest.raises(Refusal, match="unknown team"):
        exercise.submit(ActionRequest("nobody", "note"))
    accepted = exercise.submit(ActionRequest("crisis", "open_shelter", "szkola"))
    assert list(exercise.refusals) == ["R001", "R002"]
    assert list(exercise.actions) == ["A001"] and accepted.id == "A001"
    events = [e for e in exercise.history if isinstance(e, ActionEvent)]
    assert [(e.action_id, e.status) for e in events][:3] == [
        ("R001", "refused"),
        ("R002", "refused"),
        ("A001", "submitted"),
    ], "a refusal is announced once, as refused, never as submitted"
