"""The wójt's orders and what informed residents do (issue 13, items 2-3; docs/information.md 4-5).

Defaults used below: compliance 0.7, a restriction cuts a complying household's
demand by 0.2, evacuation uptake 0.8, trust plays no part in orders.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from cybrelia.exercise.core import Exercise
from cybrelia.exercise.types import ActionRequest, Refusal
from tests.exercise_helpers import asset_log, make_exercise, submit
from tests.test_world import TANKER as WORLD_TANKER

MODEL = textwrap.dedent("""\
    districts:
      - {id: d1, population: 1000, prepared_share: 0, zones: [dolina]}
      - {id: d2, population: 500, prepared_share: 0}
      - {id: d3, population: 200, prepared_share: 0, zones: [dolina]}
    assets:
      - {id: gpz, type: substation, provides: [power]}
      - {id: bts, type: bts, provides: [telecom], serves: {d1: 1.0, d2: 1.0, d3: 1.0}}
      - {id: suw, type: water_treatment, provides: [water], serves: {d1: 1.0},
         needs: {power: {from: [gpz], buffer: {kind: storage, hours: 12}}}}
      - {id: studnia, type: well, provides: [water], serves: {d3: 1.0}}
""")

BLACKOUT = """\
duration: 48h
injects:
  - {id: I-01, at: 0h, effects: [{damage: [gpz]}]}
"""


def tell(exercise: Exercise, target: str, topic: str, at: float) -> None:
    """An Alert RCB on ``topic`` requested at ``at``: on every phone 30 minutes later."""
    submit(exercise, "crisis", "public_alert", target, at=at, topic=topic)
    exercise.advance_to(at + 0.5)


def suw_down_at(exercise: Exercise) -> float:
    exercise.advance_to(48.0)
    return next(t for t, state, _ in asset_log(exercise, "suw") if state == "down")


def test_a_water_use_restriction_stretches_the_tank_by_the_computed_time(tmp_path: Path) -> None:
    unrestricted = make_exercise(tmp_path, MODEL, BLACKOUT)
    assert suw_down_at(unrestricted) == 12.0

    restricted = make_exercise(tmp_path, MODEL, BLACKOUT)
    order = submit(restricted, "crisis", "restrict_water", "d1", at=2.0)
    assert order.status == "started" and order.effective_at is None  # nobody knows yet
    tell(restricted, "d1", "water_restriction", 2.0)
    # At 2.5 h everyone in d1 knows, 0.7 comply, each cutting demand by 0.2: demand 0.86.
    # The 9.5 h left last 9.5 / 0.86 = 11.0465 h: the tank runs dry at 13.5465 h.
    assert restricted.orders.demand["d1"] == pytest.approx(0.86)
    assert suw_down_at(restricted) == pytest.approx(2.5 + 9.5 / 0.86, abs=1e-6)
    assert restricted.actions[order.id].effective_at == 2.5
    assert restricted.actions[order.id].share == pytest.approx(0.7)


def test_a_restriction_nobody_hears_of_changes_nothing(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, MODEL, BLACKOUT)
    submit(exercise, "crisis", "restrict_water", "d1", at=2.0)
    tell(exercise, "d2", "water_restriction", 2.0)  # told elsewhere
    assert suw_down_at(exercise) == 12.0


def test_lifting_a_restriction_gives_the_usual_demand_back(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, MODEL, BLACKOUT)
    order = submit(exercise, "crisis", "restrict_water", "d1", at=2.0)
    tell(exercise, "d1", "water_restriction", 2.0)
    exercise.advance_to(4.5)
    exercise.cancel(order.id)
    # 2 h at demand 0.86 used 1.72 h of the usual: 9.5 - 1.72 = 7.78 h left at 4.5 h.
    assert suw_down_at(exercise) == pytest.approx(4.5 + 9.5 - 2.0 * 0.86, abs=1e-6)


CLAIM = """\
duration: 24h
injects:
  - id: I-01
    at: 0h
    effects:
      - claim:
          id: nie-wyjezdzaj
          text: {pl: Ewakuacja to pretekst do kradzieży, en: The evacuation is a ruse to rob homes}
          behaviour: refuse_evacuation
          districts: [d1]
          reach: 0.25
          growth: 0
          max_reach: 0.25
"""


def evacuated(scenario: str, tmp_path: Path) -> int:
    exercise = make_exercise(tmp_path, MODEL, scenario)
    submit(exercise, "crisis", "order_evacuation", "d1", at=1.0)
    tell(exercise, "d1", "evacuation", 1.0)
    exercise.advance_to(3.0)
    return exercise.orders.evacuated["d1"]


def test_evacuation_uptake_falls_with_believers_of_a_claim_against_it(tmp_path: Path) -> None:
    # Everyone told, 0.8 leave: 800 of 1000.  With a quarter believing the claim (it does
    # not grow): 1000 x 0.8 x (1 - 0.25) = 600.
    assert evacuated("duration: 24h\n", tmp_path) == 800
    assert evacuated(CLAIM, tmp_path) == 600


def test_evacuees_are_no_longer_counted_in_need(tmp_path: Path) -> None:
    scenario = """\
        duration: 48h
        injects:
          - {id: I-01, at: 0h, effects: [{damage: [studnia]}]}
    """
    stayed = make_exercise(tmp_path, MODEL, scenario)
    stayed.advance_to(30.0)
    assert stayed.metrics().people_in_need == 200  # d3 without water for 24 h
    left = make_exercise(tmp_path, MODEL, scenario)
    order = submit(left, "crisis", "order_evacuation", "dolina", at=1.0)
    tell(left, "dolina", "evacuation", 1.0)
    left.advance_to(30.0)
    # The zone is d1 and d3; 0.8 of d3's 200 left: 40 in need.
    assert left.orders.orders[order.id].districts == ("d1", "d3")
    assert left.metrics().people_in_need == 40


def test_a_boil_water_notice_lets_the_heeding_drink_unsafe_water(tmp_path: Path) -> None:
    scenario = """\
        duration: 48h
        injects:
          - {id: I-01, at: 0h, effects: [{damage: [studnia]}]}
    """
    exercise = make_exercise(tmp_path, MODEL, scenario)
    submit(exercise, "crisis", "boil_water_notice", "d3", at=1.0)
    tell(exercise, "d3", "boil_water", 1.0)
    exercise.advance_to(30.0)
    # 0.7 of d3 boil their water (all have power): 200 - 140 = 60 in need.
    assert exercise.metrics().people_in_need == 60


def test_orders_are_refused_where_the_law_or_the_state_does_not_allow_them(
    tmp_path: Path,
) -> None:
    exercise = make_exercise(tmp_path, MODEL, "duration: 12h\n")
    cases: list[tuple[str, str, dict[str, Any], str]] = [
        ("restrict_water", "d2", {}, "no public water supply serves d2"),
        ("boil_water_notice", "d1", {}, "needs the sanitary inspector's (PPIS) decision"),
        ("order_evacuation", "atlantyda", {}, "unknown district or hazard zone 'atlantyda'"),
    ]
    for action, target, params, reason in cases:
        with pytest.raises(Refusal, match=reason.replace("(", r"\(").replace(")", r"\)")):
            exercise.submit(ActionRequest("crisis", action, target, params))
    notice = exercise.submit(ActionRequest("crisis", "boil_water_notice", "d1", {"ppis": True}))
    assert notice.status == "started"
    with pytest.raises(Refusal, match="in force in d1 already"):
        exercise.submit(ActionRequest("crisis", "boil_water_notice", "all", {"ppis": True}))


def test_believers_of_a_panic_buying_claim_drain_the_fuel_stations(tmp_path: Path) -> None:
    model = MODEL.replace(  # a station with 5,000 l of diesel
        "  - {id: gpz, type: substation, provides: [power]}\n",
        "  - {id: gpz, type: substation, provides: [power]}\n"
        "  - {id: stacja, type: fuel_station, provides: [fuel], fuel_l: 5000,\n"
        "     needs: {power: {from: [gpz]}}}\n",
    )
    scenario = CLAIM.replace("behaviour: refuse_evacuation", "behaviour: panic_buying_fuel")
    exercise = make_exercise(tmp_path, model, scenario)
    exercise.advance_to(1.0)
    # 250 believers (the claim does not grow) in 100 households of 2.5 buy 40 l each.
    assert exercise.world.fuel == {"stacja": 5000 - 100 * 40}
    exercise.advance_to(10.0)
    assert exercise.world.fuel == {"stacja": 1000}


HOUSEHOLDS = textwrap.dedent("""\
    districts:
      - {id: d1, population: 1000, prepared_share: 0, vulnerable: 20}
    assets:
      - {id: gpz, type: substation, provides: [power], serves: {d1: 1.0}}
      - {id: bts, type: bts, provides: [telecom], serves: {d1: 1.0}}
""")

STORM_AT_6H = """\
duration: 48h
injects:
  - {id: I-01, at: 6h, effects: [{damage: [gpz]}]}
"""


@pytest.mark.parametrize(("told_at", "in_need"), [(None, 1000), (1.0, 500), (7.0, 1000)])
def test_a_forecast_heard_before_the_hazard_makes_households_stock_up(
    tmp_path: Path, told_at: float | None, in_need: int
) -> None:
    # Told at 1.5 h, before the blackout at 6 h: half of the unprepared stock up and last
    # 72 h, so at 31 h (25 h without power) only the other 500 are in need.  Told after
    # the blackout: too late to buy anything.
    exercise = make_exercise(tmp_path, HOUSEHOLDS, STORM_AT_6H)
    if told_at is not None:
        tell(exercise, "d1", "forecast", told_at)
    exercise.advance_to(31.0)
    assert exercise.metrics().people_in_need == in_need


def test_neighbours_asked_to_check_look_after_the_vulnerable(tmp_path: Path) -> None:
    alone = make_exercise(tmp_path, HOUSEHOLDS, STORM_AT_6H)
    alone.advance_to(11.0)
    assert alone.metrics().vulnerable_at_risk == 20  # 4 h without power
    helped = make_exercise(tmp_path, HOUSEHOLDS, STORM_AT_6H)
    tell(helped, "d1", "check_neighbours", 7.0)
    helped.advance_to(11.0)
    # Everyone told, 0.7 comply, each keeping the neighbour from harm half the time:
    # 20 x (1 - 0.35) = 13.
    assert helped.metrics().vulnerable_at_risk == 13


def test_a_crowd_believing_a_claim_blocks_its_bridge_for_crews(tmp_path: Path) -> None:
    model = textwrap.dedent("""\
        base: remiza
        districts:
          - {id: wies, population: 1000, at: wies}
        resources:
          - {id: crew, kind: power_crew, count: 1}
        assets:
          - {id: most, type: bridge, provides: [transport],
             road: {between: [remiza, wies], hours: 30m}}
          - {id: stacja, type: substation, provides: [power], serves: {wies: 1.0}, at: wies}
    """)

    def scenario(reach: float) -> str:
        return f"""\
duration: 12h
injects:
  - id: I-01
    at: 1h
    effects:
      - damage: [stacja]
      - claim:
          id: tlum
          text: {{pl: Na moście rozdają agregaty, en: Generators handed out on the bridge}}
          behaviour: crowd_at_bridge
          at: most
          reach: {reach}
          growth: 0
          max_reach: {reach}
"""

    # 40 believers: no crowd to speak of, the crew gets through; 100 (of the 50 that make a
    # crowd): the bridge is blocked and the repair is refused.
    small = make_exercise(tmp_path, model, scenario(0.04))
    assert submit(small, "power", "repair", "stacja", at=1.0).status == "started"
    crowd = make_exercise(tmp_path, model, scenario(0.1))
    crowd.advance_to(1.0)
    with pytest.raises(Refusal, match="not reachable"):
        crowd.submit(ActionRequest("power", "repair", "stacja"))
    assert crowd.metrics().people_in_need == 100  # the crowd, away from home and shelter
    # After crowd_hours (3 h) of waiting they go home, still believing it: the bridge is
    # open again (at the 4 h sample) and the crowd is no longer in need.
    crowd.advance_to(4.0)
    assert crowd.population.claims["tlum"].believers(4.0) == 100
    assert crowd.world.crowded == set() and crowd.metrics().people_in_need == 0
    assert submit(crowd, "power", "repair", "stacja").status == "started"


def test_callers_believing_a_claim_jam_the_duty_phone(tmp_path: Path) -> None:
    model = MODEL + "  - {id: urzad, type: office, provides: [administration]}\n"

    def scenario(reach: float) -> str:
        return f"""\
duration: 12h
world: {{command_post: urzad}}
injects:
  - id: I-01
    at: 1h
    effects:
      - claim:
          id: telefony
          text: {{pl: "Agregaty w gminie, dzwońcie", en: "Generators at the office, call"}}
          behaviour: jam_duty_phone
          reach: {reach}
          growth: 0
          max_reach: {reach}
"""

    # 0.1 of 1,700 residents = 170 callers: the phone copes; 0.2 = 340 (200 jam it).
    quiet = make_exercise(tmp_path, model, scenario(0.1))
    quiet.advance_to(1.0)
    quiet.submit(ActionRequest("crisis", "request_support", "generator", {"channel": "phone"}))
    busy = make_exercise(tmp_path, model, scenario(0.2))
    busy.advance_to(1.0)
    with pytest.raises(Refusal, match="duty phone is jammed"):
        busy.submit(ActionRequest("crisis", "request_support", "generator", {"channel": "phone"}))
    busy.submit(ActionRequest("crisis", "request_support", "generator", {"channel": "runner"}))


# tests/test_world.py's tanker of 10 m3 (cycle 3.5 h, 4,571 people at the norm of 15 l),
# with a mast to tell the residents of the restriction.
TANKER = WORLD_TANKER.replace(
    "assets:\n",
    "assets:\n  - {id: bts, type: bts, provides: [telecom], serves: {osiedle: 1.0}}\n",
)


def test_a_restriction_stretches_a_tankers_load_by_the_computed_time(tmp_path: Path) -> None:
    scenario = "duration: 48h\ninjects:\n  - {id: I-1, at: 0h, effects: [{damage: [gpz]}]}\n"
    exercise = make_exercise(tmp_path, TANKER, scenario)
    submit(exercise, "crisis", "restrict_water", "osiedle", at=0.0)
    tell(exercise, "osiedle", "water_restriction", 0.0)
    assert exercise.orders.demand["osiedle"] == pytest.approx(0.86)
    point = submit(exercise, "water", "water_point", "osiedle", hours=48)
    exercise.advance_to(3.0)  # open at 0.5 + 2.5 h
    # Each resident heeding it takes 0.86 x 15 = 12.9 l a day: a 10 m3 load that lasted
    # the 4,571 people of the norm one cycle of 3.5 h now lasts them 3.5 / 0.86 = 4.07 h,
    # 0.57 h more; the point serves floor(10,000 x 24 / (12.9 x 3.5)) = 5,315 people.
    assert exercise.population.covered("osiedle", "water") == 5315
    assert "open for 5,315 people (12.9 l a day each)" in point.detail
    assert "dla 5\xa0315 osób (12,9 l na dobę)" in point.detail_in("pl")
