"""The physical world of docs/world.md, on small models with hand-computed expectations.

Each test states its arithmetic in a comment: generator fit (rated kW = 0.8 x kVA),
fuel curve (l/h = 0.033 x rated kW + 0.273 x load kW), fuel trucks that load at working
stations, tankers that shuttle from a working source
(people = floor(litres x 24 / (norm x cycle))), shelters with places, and crews on roads.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import pytest

from cybrelia.exercise.autonomy import (
    FOOD_SHORT,
    MEDICATED,
    REFILL_HOURS,
    RESERVE_HOURS,
    heat_hours,
)
from cybrelia.exercise.core import Exercise
from cybrelia.exercise.driver import play_exercise
from cybrelia.exercise.events import ExerciseEvent, MetricsEvent
from cybrelia.exercise.population import Figures, Population
from cybrelia.exercise.types import Refusal
from cybrelia.exercise.world import litres_per_hour, share_out
from cybrelia.files.diagnostics import ValidationFailed
from cybrelia.files.durations import quantize
from cybrelia.files.validation import load_model, load_responses, load_scenario
from tests.exercise_helpers import asset_log, make_exercise, submit
from tests.helpers import MODEL_HEADER

# A pump whose substation fails at t = 0.5 h; its district has 1000 residents.
PUMP = """\
districts:
  - {id: osiedle, population: 1000, prepared_share: 0.0}
resources:
  - {id: gen-osp, kind: generator, count: 1, kva: 5, tank_l: 20}
  - {id: gen-zgk, kind: generator, count: 1, kva: 100, tank_l: 200}
  - {id: cysterna, kind: fuel_truck, count: 1, capacity_l: 1000}
assets:
  - {id: gpz, type: substation, provides: [power]}
  - id: pompa
    type: booster_pump
    provides: [water]
    needs: {power: {from: [gpz]}}
    load_kw: 40
    serves: {osiedle: 1.0}
"""
DAMAGE = """\
injects:
  - {id: I-1, at: 30m, effects: [{damage: [gpz]}]}
"""


def test_a_generator_too_small_is_refused_with_the_numbers(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, PUMP, DAMAGE)
    with pytest.raises(Refusal) as refused:
        submit(exercise, "water", "deploy_generator", "pompa", at=1.0, resource="gen-osp")
    # 5 kVA x 0.8 = 4 kW, and the pump needs 40 kW.
    assert str(refused.value) == "generator gen-osp 5 kVA (4 kW), pompa needs 40 kW"
    assert refused.value.text("pl") == "agregat gen-osp 5 kVA (4 kW), pompa potrzebuje 40 kW"


def test_the_first_generator_that_fits_is_sent_and_its_tank_follows_the_load(
    tmp_path: Path,
) -> None:
    exercise = make_exercise(tmp_path, PUMP, DAMAGE)
    action = submit(exercise, "water", "deploy_generator", "pompa", at=1.0)
    assert exercise.deployments["pompa"].pool.id == "gen-zgk"
    # 100 kVA: 80 kW rated; 0.033 x 80 + 0.273 x 40 = 2.64 + 10.92 = 13.56 l/h;
    # 200 l last 200 / 13.56 = 14.749 h from its arrival at 1.5 h (travel 0.5 h).
    assert litres_per_hour(100, 40) == pytest.approx(13.56)
    exercise.advance_to(1.5)
    assert action.status == "completed"
    empties = 1.5 + 200 / 13.56
    exercise.advance_to(20.0)
    assert asset_log(exercise, "pompa") == [
        (0.5, "down", ("needs:power",)),
        (1.5, "backup", ()),
        (pytest.approx(empties, abs=1e-6), "down", ("needs:power",)),
    ]


def test_an_asset_without_a_connection_point_takes_no_generator(tmp_path: Path) -> None:
    model = PUMP.replace("    load_kw: 40\n", "    load_kw: 40\n    connection: false\n")
    exercise = make_exercise(tmp_path, model, DAMAGE)
    with pytest.raises(Refusal, match="pompa has no connection point for a mobile generator"):
        submit(exercise, "water", "deploy_generator", "pompa", at=1.0)


# A treatment station with a fixed 10-hour, 100-litre generator (10 l/h), a fuel
# station with a stock, and a fuel truck that starts empty or full.
FIXED = """\
districts:
  - {id: osiedle, population: 1000, prepared_share: 0.0}
resources:
  - {id: cysterna, kind: fuel_truck, count: 1, capacity_l: 1000}
assets:
  - {id: gpz, type: substation, provides: [power]}
  - {id: gpz-stacja, type: substation, provides: [power]}
  - id: suw
    type: water_treatment
    provides: [water]
    needs: {power: {from: [gpz], buffer: {kind: generator, hours: 10, litres: 100}}}
    serves: {osiedle: 1.0}
  - id: stacja
    type: fuel_station
    provides: [fuel]
    needs: {power: {from: [gpz-stacja]}}
    fuel_l: 300
    travel_hours: 15m
"""


def test_refuelling_pours_what_the_tank_lacks_and_the_truck_keeps_the_rest(
    tmp_path: Path,
) -> None:
    exercise = make_exercise(
        tmp_path, FIXED, "injects:\n  - {id: I-1, at: 0, effects: [{damage: [gpz]}]}\n"
    )
    action = submit(exercise, "water", "refuel", "suw", at=6.0)
    # The truck carries 1000 l, more than the tank lacks: straight there, 0.5 h.
    # At 6.5 h the tank holds 3.5 h: it lacks 6.5 h x 10 l/h = 65 l.
    exercise.advance_to(6.5)
    assert action.status == "completed"
    assert action.detail == "65 l delivered, 935 l left in cysterna"
    assert exercise.engine.buffers("suw")[0].remaining == pytest.approx(10.0)
    # The truck is back at the base 0.5 h later; the station's stock is untouched.
    exercise.advance_to(7.0)
    assert exercise.pools["cysterna"].free == 1
    assert exercise.world.truck_loads["cysterna"] == [pytest.approx(935.0)]
    assert exercise.world.fuel == {"stacja": 300.0}


def test_an_empty_truck_loads_at_a_working_station_until_its_stock_runs_out(
    tmp_path: Path,
) -> None:
    model = FIXED.replace("capacity_l: 1000}", "capacity_l: 1000}\n")
    exercise = make_exercise(
        tmp_path, model, "injects:\n  - {id: I-1, at: 0, effects: [{damage: [gpz]}]}\n"
    )
    exercise.world.truck_loads["cysterna"] = [0.0]
    action = submit(exercise, "water", "refuel", "suw", at=6.0)
    # Base -> station 0.25 h, loading 0.5 h, station -> SUW 0.25 + 0.5 = 0.75 h: at 7.5 h.
    # It loads all 300 l; the tank then lacks 7.5 h x 10 = 75 l.
    exercise.advance_to(7.5)
    assert action.status == "completed"
    assert action.detail == "75 l delivered, 225 l left in cysterna"
    assert exercise.world.fuel == {"stacja": 0.0}
    # Back at the base (0.5 h), the truck empties into another request...
    exercise.advance_to(8.0)
    exercise.world.truck_loads["cysterna"] = [0.0]
    # ...and with the station dry there is no diesel anywhere.
    with pytest.raises(Refusal, match="cysterna is empty and no fuel station or depot"):
        submit(exercise, "water", "refuel", "suw")


def test_a_station_without_power_dispenses_nothing(tmp_path: Path) -> None:
    scenario = "injects:\n  - {id: I-1, at: 0, effects: [{damage: [gpz, gpz-stacja]}]}\n"
    exercise = make_exercise(tmp_path, FIXED, scenario)
    exercise.world.truck_loads["cysterna"] = [0.0]
    exercise.advance_to(1.0)
    assert exercise.world.fuel_sources("@base") == []
    with pytest.raises(Refusal, match="no fuel station or depot with power and diesel"):
        submit(exercise, "water", "refuel", "suw")


# A tanker of 10 m3 filling at a SUW 0.5 h from the base; the district is 1 h away.
TANKER = """\
districts:
  - {id: osiedle, population: 10000, prepared_share: 0.0}
resources:
  - {id: beczkowoz, kind: water_tanker, count: 1, capacity_m3: 10}
assets:
  - {id: gpz, type: substation, provides: [power]}
  - {id: gpz-2, type: substation, provides: [power]}
  - id: pompa
    type: booster_pump
    provides: [water]
    needs: {power: {from: [gpz]}}
    serves: {osiedle: 1.0}
  - id: suw
    type: water_treatment
    provides: [water]
    needs: {power: {from: [gpz-2]}}
"""


def test_a_tanker_serves_the_people_its_round_trips_can_supply(tmp_path: Path) -> None:
    exercise = make_exercise(
        tmp_path, TANKER, "injects:\n  - {id: I-1, at: 0, effects: [{damage: [gpz]}]}\n"
    )
    action = submit(exercise, "water", "water_point", "osiedle", at=0.0, hours=48)
    # Base -> SUW 0.5 h, filling 0.5 h, SUW -> district 0.5 + 1 = 1.5 h: open at 2.5 h.
    # Cycle 2 x 1.5 + 0.5 = 3.5 h; 10,000 l x 24 / (15 l x 3.5 h) = 4571.4 -> 4571 people.
    exercise.advance_to(2.5)
    assert exercise.population.covered("osiedle", "water") == 4571
    assert "open for 4,571 people" in action.detail
    # At 24 h all 10,000 are in need of water; the point serves 4571 of them.
    exercise.advance_to(24.0)
    assert exercise.metrics().people_in_need == 10000 - 4571


def test_a_tanker_with_no_working_source_is_refused_and_one_that_loses_it_stops(
    tmp_path: Path,
) -> None:
    scenario = """\
injects:
  - {id: I-1, at: 0, effects: [{damage: [gpz]}]}
  - {id: I-2, at: 4h, effects: [{damage: [gpz-2]}]}
"""
    exercise = make_exercise(tmp_path, TANKER, scenario)
    action = submit(exercise, "water", "water_point", "osiedle", at=0.0, hours=48)
    # Open at 2.5 h; the next fill is due at 2.5 + 3.5 = 6 h, when the SUW is down.
    exercise.advance_to(6.0)
    assert action.status == "failed"
    assert action.detail == "tanker empty: no working drinking-water source in reach"
    assert exercise.population.covered("osiedle", "water") == 0
    with pytest.raises(Refusal, match="no working drinking-water source"):
        submit(exercise, "water", "water_point", "osiedle")


SHELTER = """\
districts:
  - {id: osiedle, population: 1000, prepared_share: 0.0}
assets:
  - {id: gpz, type: substation, provides: [power]}
  - {id: kotlownia, type: boiler_house, provides: [heat], needs: {power: {from: [gpz]}},
     serves: {osiedle: 1.0}}
  - {id: siec, type: lv_network, provides: [power], needs: {power: {from: [gpz]}},
     serves: {osiedle: 1.0}}
  - {id: szkola, type: school, provides: [shelter], places: 250, serves: {osiedle: 1.0}}
"""


def test_a_shelter_takes_at_most_its_places(tmp_path: Path) -> None:
    exercise = make_exercise(
        tmp_path, SHELTER, "injects:\n  - {id: I-1, at: 0, effects: [{damage: [gpz]}]}\n"
    )
    submit(exercise, "crisis", "open_shelter", "szkola", at=0.0)
    # Open at 1 h; at 24 h all 1000 lack heat and power, 250 of them have places.
    exercise.advance_to(24.0)
    assert exercise.metrics().people_in_need == 750


def test_a_shelter_opened_off_the_clock_grid_closes_when_its_hours_are_over(
    tmp_path: Path,
) -> None:
    # Opened at 5.941349336 h for 12 h: in floating point 5.941349336 + 12 is
    # 17.941349336000002, one ulp past the clock's reading 17.941349336 of that very
    # instant.  A float end left a wait of 3.6e-15 h, which the clock rounds to no time,
    # and the shelter's process looped at that instant for ever (a dry run of
    # mokry-snieg hung so).  Stepped a bounded number of events: a process stuck at
    # one instant uses them all up without closing.
    opened = 5.941349336
    assert opened + 12.0 > quantize(opened + 12.0)
    exercise = make_exercise(tmp_path, SHELTER)
    shelter = submit(exercise, "crisis", "open_shelter", "szkola", at=opened - 1.0, hours=12)
    for _ in range(1000):
        if shelter.status == "completed" or exercise.now > opened + 13.0:
            break
        exercise.env.step()
    assert shelter.status == "completed"
    assert shelter.detail == "shelter closed"
    assert exercise.now == quantize(opened + 12.0)


def test_places_are_shared_out_by_largest_remainder() -> None:
    # 250 places over 3000 and 1000 residents: 187.5 and 62.5; the tie goes to 'a'.
    assert share_out(250, {"b": 1000.0, "a": 3000.0}) == {"a": 188, "b": 62}
    assert share_out(7, {"x": 0.0}) == {"x": 0}


# Crews set out from the town; the village is across a bridge, or by a long detour.
ROADS = """\
base: miasto
resources:
  - {id: ekipa, kind: power_crew, count: 1}
assets:
  - {id: droga, type: road, provides: [transport],
     road: {between: [miasto, rozstaje], hours: 15m}}
  - {id: most, type: bridge, provides: [transport],
     road: {between: [rozstaje, zarzecze], hours: 6m}}
  - {id: gpz, type: substation, provides: [power], at: zarzecze, repair_hours: 2}
"""


def test_a_crew_cannot_cross_a_damaged_bridge(tmp_path: Path) -> None:
    scenario = "injects:\n  - {id: I-1, at: 0, effects: [{damage: [gpz, most]}]}\n"
    exercise = make_exercise(tmp_path, ROADS, scenario)
    with pytest.raises(Refusal) as refused:
        submit(exercise, "power", "repair", "gpz", at=0.0)
    assert str(refused.value) == "gpz is not reachable (most down)"


def test_travel_time_follows_the_open_route(tmp_path: Path) -> None:
    detour = (
        "  - {id: objazd, type: road, provides: [transport],\n"
        "     road: {between: [miasto, zarzecze], hours: 90m}}\n"
    )
    scenario = "injects:\n  - {id: I-1, at: 0, effects: [{damage: [gpz]}]}\n"
    exercise = make_exercise(tmp_path, ROADS + detour, scenario)
    # Over the bridge: 0.25 + 0.1 = 0.35 h, then 2 h of repair: done at 2.35 h.
    assert exercise.world.leg("@base", "gpz").hours == pytest.approx(0.35)
    assert exercise.world.leg("@base", "gpz").roads == ("droga", "most")
    submit(exercise, "power", "repair", "gpz", at=0.0)
    exercise.advance_to(2.35)
    assert exercise.engine.is_available("gpz")
    # With the bridge down the detour takes 1.5 h: a second repair ends at 3 + 3.5 = 6.5 h.
    exercise.advance_to(3.0)
    exercise.add_inject({"effects": [{"damage": ["gpz", "most"]}]})
    assert exercise.world.leg("@base", "gpz").roads == ("objazd",)
    submit(exercise, "power", "repair", "gpz")
    exercise.advance_to(6.49)
    assert not exercise.engine.is_available("gpz")
    exercise.advance_to(6.5)
    assert exercise.engine.is_available("gpz")


def test_without_roads_or_world_fields_an_exercise_means_what_it_did(tmp_path: Path) -> None:
    model = PUMP.replace(", kva: 5, tank_l: 20", "").replace(", kva: 100, tank_l: 200", "")
    model = model.replace(", capacity_l: 1000", "").replace("    load_kw: 40\n", "")
    exercise: Exercise = make_exercise(tmp_path, model, DAMAGE)
    submit(exercise, "water", "deploy_generator", "pompa", at=1.0)
    exercise.advance_to(1.5)
    # The default 8 h of fuel, as before the world fields existed.
    assert exercise.engine.buffers("pompa")[0].remaining == pytest.approx(8.0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "resources:\n  - {id: w, kind: water_tanker, count: 1, kva: 5}\n",
            "3: resources[0].kva: kva applies to resources of kind 'generator', not 'water_tanker'",
        ),
        (
            "resources:\n  - {id: g, kind: generator, count: 1, tank_l: 50}\n",
            "3: resources[0].tank_l: a generator's tank_l needs its kva",
        ),
        (
            "assets:\n  - {id: a, type: school, provides: [shelter], fuel_l: 10}\n",
            "3: assets[0].fuel_l: fuel_l applies to assets that provide 'fuel'",
        ),
        (
            "assets:\n  - {id: a, type: office, places: 10}\n",
            "3: assets[0].places: places applies to assets that provide 'shelter'",
        ),
        (
            "assets:\n  - {id: a, type: office, load_kw: 10}\n",
            "3: assets[0].load_kw: load_kw given but the asset needs no power",
        ),
        (
            "assets:\n  - {id: a, type: well, water_source: true}\n",
            "3: assets[0].water_source: a water source must provide 'water'",
        ),
        (
            "assets:\n  - {id: r, type: road, provides: [transport],\n"
            "     road: {between: [x, x], hours: 1}}\n",
            "4: assets[0].road.between: a road joins two different places",
        ),
        (
            "base: mastro\nassets:\n  - {id: r, type: road, provides: [transport],\n"
            "     road: {between: [miasto, wies], hours: 1}}\n",
            "2: base: no road or bridge joins place 'mastro'; did you mean 'miasto'?",
        ),
        (
            "assets:\n  - {id: g, type: substation, provides: [power]}\n"
            "  - {id: a, type: pump,\n"
            "     needs: {power: {from: [g], buffer: {kind: battery, hours: 1, litres: 5}}}}\n",
            "5: assets[1].needs.power.buffer.litres: litres applies to generator buffers",
        ),
        (
            "assets:\n  - {id: s, type: school, occupied: {from: 8h, to: 15h}}\n",
            "3: assets[0].occupied: occupied applies to assets with occupants",
        ),
        (
            "assets:\n  - {id: s, type: school, occupants: 5, occupied: {from: 15h, to: 8h}}\n",
            "3: assets[0].occupied: 'from' (15 h) must come before 'to' (8 h)",
        ),
        # One clock step (1e-9 h) of work would relieve a shelter's staff 2.4e10 times a
        # day: every stint under 15 minutes is refused, volunteers' and crews' alike.
        (
            "resources:\n  - {id: v, kind: volunteers, count: 3,\n"
            "     shift: {work: 0.000000001, rest: 1h}}\n",
            "4: resources[0].shift.work: a shift's work must be at least 15m (0.25 h), got 1e-09 h",
        ),
        (
            "resources:\n  - {id: c, kind: power_crew, count: 1, shift: {work: 14m, rest: 0}}\n",
            "3: resources[0].shift.work: a shift's work must be at least 15m (0.25 h), got 0.2333",
        ),
    ],
)
def test_world_fields_are_checked_with_file_and_line(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(MODEL_HEADER + textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        load_model(path)
    found = [str(d) for d in failed.value.diagnostics]
    assert any(message.startswith(f"{path}:{expected}") for message in found), found


CREW = """\
resources:
  - {id: ekipa, kind: power_crew, count: 1, shift: {work: 12h, rest: 12h}}
assets:
  - {id: gpz, type: substation, provides: [power], repair_hours: 20, travel_hours: 1}
  - {id: sn, type: mv_line, provides: [power], needs: {power: {from: [gpz]}}, repair_hours: 1,
     travel_hours: 1}
"""


def test_a_crew_on_shifts_rests_between_and_after_its_work(tmp_path: Path) -> None:
    scenario = "injects:\n  - {id: I-1, at: 0, effects: [{damage: [gpz, sn]}]}\n"
    exercise = make_exercise(tmp_path, CREW, scenario)
    first = submit(exercise, "power", "repair", "gpz", at=0.0)
    second = submit(exercise, "power", "repair", "sn")
    # 1 h travel + 20 h repair = 21 h of work: 12 h, 12 h of rest, 9 h: done at 33 h.
    exercise.advance_to(32.99)
    assert exercise.engine.status("gpz").causes == ("damaged",)
    exercise.advance_to(33.0)
    assert first.status == "completed"
    # Then it rests 12 x 9 / 12 = 9 h: the second job starts at 42 h and takes 2 h.
    exercise.advance_to(41.99)
    assert second.status == "queued"
    exercise.advance_to(44.0)
    assert exercise.actions[second.id].status == "completed"


# The office is the command post; its telephones need the mast (it works on without).
OFFICE = """\
assets:
  - {id: gpz, type: substation, provides: [power]}
  - {id: bts, type: bts, provides: [telecom], needs: {power: {from: [gpz]}}}
  - id: urzad
    type: office
    needs:
      power: {from: [gpz], buffer: {kind: generator, hours: 72}}
      telecom: {from: [bts], buffer: {kind: manual, hours: 14d}}
"""
SUPPORT = """\
world:
  command_post: urzad
  runner_hours: 2h
  support:
    - source: powiat
      answer: 1h
      deliver: 3h
      offers:
        - {kind: generator, count: 2, kva: 30, tank_l: 60}
        - {kind: generator, count: 3, at: 24h}
      reason: {pl: Agregaty dostały najpierw gminy sąsiednie., en: Neighbouring gminas came first.}
"""


def test_outside_help_is_finite_partial_and_told(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, OFFICE, SUPPORT)
    first = submit(exercise, "crisis", "request_support", "generator", at=0.0, count=5)
    # Answer after 1 h: 2 of the 5 (the pool at 1 h); they arrive 3 h later.
    exercise.advance_to(1.0)
    assert first.detail == "powiat grants 2 of 5 x generator, arriving in 3h"
    assert first.detail_pl == "powiat przyznaje 2 z 5 x generator, przybędą za 3h"
    second = submit(exercise, "crisis", "request_support", "generator", at=2.0)
    # At 3 h the pool is empty: refused with the scenario's reason.
    exercise.advance_to(3.0)
    assert second.status == "failed"
    assert second.detail == "powiat refused: Neighbouring gminas came first."
    exercise.advance_to(4.0)
    assert first.status == "completed"
    pool = exercise.pools["powiat-generator"]
    assert (pool.capacity, pool.resource.kva, pool.resource.tank_l) == (2, 30, 60)
    # From 24 h three more: asked at 24 h, answered at 25 h with all three.
    third = submit(exercise, "crisis", "request_support", "generator", at=24.0, count=4)
    exercise.advance_to(28.0)
    assert third.status == "completed"
    assert exercise.pools["powiat-generator"].capacity == 5


def test_a_request_needs_a_working_channel(tmp_path: Path) -> None:
    scenario = SUPPORT + "injects:\n  - {id: I-1, at: 0, effects: [{damage: [bts]}]}\n"
    exercise = make_exercise(tmp_path, OFFICE, scenario)
    with pytest.raises(Refusal) as refused:
        submit(exercise, "crisis", "request_support", "generator", at=0.0)
    assert str(refused.value) == (
        "the telephone does not work at urzad (no telecom); use the radio or a runner"
    )
    # The radio works while the office has power; a runner always, 2 h slower.
    radio = submit(exercise, "crisis", "request_support", "generator", channel="radio")
    runner = submit(exercise, "crisis", "request_support", "generator", channel="runner")
    exercise.advance_to(1.0)
    assert radio.detail.startswith("powiat grants 1 of 1")
    exercise.advance_to(2.99)
    assert runner.detail.startswith("requested from powiat by runner")
    exercise.advance_to(3.0)
    assert runner.detail.startswith("powiat grants 1 of 1")


def test_a_source_the_scenario_does_not_state_answers_as_before(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, OFFICE, SUPPORT)
    action = submit(exercise, "crisis", "request_support", "generator", at=0.0, source="wot")
    # WOT is not stated: everything asked, after 12 h.
    exercise.advance_to(12.0)
    assert action.status == "completed"
    with pytest.raises(Refusal, match=r"phone, radio or runner, not .pigeon."):
        submit(exercise, "crisis", "request_support", "generator", channel="pigeon")


# 750 unprepared and 250 prepared residents; their water and heat fail at t = 0.
PEOPLE = """\
districts:
  - {id: wies, population: 1000, prepared_share: 0.25}
assets:
  - {id: gpz, type: substation, provides: [power]}
  - {id: suw, type: water_treatment, provides: [water], serves: {wies: 1.0}}
  - {id: kotlownia, type: boiler_house, provides: [heat], serves: {wies: 1.0}}
"""


def test_with_survey_autonomy_the_number_in_need_grows_continuously(tmp_path: Path) -> None:
    scenario = (
        "world: {autonomy: survey}\ninjects:\n  - {id: I-1, at: 0, effects: [{damage: [suw]}]}\n"
    )
    exercise = make_exercise(tmp_path, PEOPLE, scenario)
    figures = {}
    for t in (12.0, 24.0, 60.0, 96.0):
        exercise.advance_to(t)
        figures[t] = exercise.metrics().people_in_need
    # Unprepared run out evenly over 0-48 h, prepared over 48-96 h:
    # 12 h: 750 x 12/48 = 187.5 -> 188; 24 h: 375; 60 h: 750 + 250 x 12/48 = 812.5 -> 813.
    assert figures == {12.0: 188, 24.0: 375, 60.0: 813, 96.0: 1000}


def test_with_step_autonomy_nobody_is_in_need_before_24_hours(tmp_path: Path) -> None:
    scenario = "injects:\n  - {id: I-1, at: 0, effects: [{damage: [suw]}]}\n"
    exercise = make_exercise(tmp_path, PEOPLE, scenario)
    exercise.advance_to(23.9)
    assert exercise.metrics().people_in_need == 0
    exercise.advance_to(24.0)
    assert exercise.metrics().people_in_need == 750


# A shop and a pharmacy on one substation, which fails at t = 0; 750 + 250 residents.
SHOPS = """\
districts:
  - {id: wies, population: 1000, prepared_share: 0.25}
assets:
  - {id: gpz, type: substation, provides: [power]}
  - {id: sklep, type: shop, provides: [food], needs: {power: {from: [gpz]}}, serves: {wies: 1.0}}
  - {id: apteka, type: pharmacy, provides: [medicines], needs: {power: {from: [gpz]}},
     serves: {wies: 1.0}}
  - {id: szkola, type: school, provides: [shelter], places: 100, serves: {wies: 1.0}}
"""
BLACKOUT = "injects:\n  - {id: I-1, at: 0, effects: [{damage: [gpz]}]}\n"


def test_households_run_short_of_food_as_the_survey_says_when_the_shops_close(
    tmp_path: Path,
) -> None:
    model = SHOPS.replace("provides: [medicines]", "provides: [care]")
    exercise = make_exercise(tmp_path, model, "world: {autonomy: survey}\n" + BLACKOUT)
    # Of those short of 3 days of water (46.4 %), those short of food too (17.1 %):
    # r = 0.171 / 0.464 = 0.368534; the unprepared's food curve is r over 0-48 h, then
    # up to 1 at 96 h; the prepared's is 0 until 48 h, then up to 1 at 96 h.
    assert round(FOOD_SHORT, 6) == 0.368534
    exercise.advance_to(24.0)
    # 750 x r x 24/48 = 138.2 -> 138
    assert exercise.metrics().people_in_need == 138
    exercise.advance_to(72.0)
    # 750 x (r + (1 - r) x 24/48) = 513.2 and 250 x 24/48 = 125: 638.2 -> 638
    assert exercise.metrics().people_in_need == 638
    # Under the step setting food runs out as water does: the unprepared at 24 h.
    step = make_exercise(tmp_path, model, BLACKOUT)
    step.advance_to(24.0)
    assert step.metrics().people_in_need == 750


def test_a_shelter_feeds_its_places_and_open_shops_end_the_need_for_food(tmp_path: Path) -> None:
    model = SHOPS.replace("provides: [medicines]", "provides: [care]")
    repaired = BLACKOUT + "  - {id: I-2, at: 30h, effects: [{repair: [gpz]}]}\n"
    exercise = make_exercise(tmp_path, model, repaired)
    submit(exercise, "crisis", "open_shelter", "szkola", at=20.0, hours=48)
    # Open at 21 h with 100 places: of the 750 in need of food at 24 h, 650 are left.
    exercise.advance_to(24.0)
    assert exercise.metrics().people_in_need == 650
    # The shop has power again at 30 h: nobody is in need of food.
    exercise.advance_to(30.0)
    assert exercise.metrics().people_in_need == 0


def test_the_gminas_stocks_feed_as_many_as_they_hold_and_then_run_out(tmp_path: Path) -> None:
    model = SHOPS.replace("provides: [medicines]", "provides: [care]")
    exercise = make_exercise(tmp_path, model, "world: {stocks: {food: 100}}\n" + BLACKOUT)
    handout = submit(exercise, "crisis", "hand_out_supplies", "wies", at=20.0)
    # 100 person-days feed 100 of the 1000 residents for the default 24 h; loaded in
    # 0.5 h and driven 1 h (no place): from 21.5 h to 45.5 h.
    assert exercise.world.stocks == {"food": 0}
    exercise.advance_to(24.0)
    # The 750 unprepared are out of food at 24 h; 100 of them are fed: 650 in need.
    assert exercise.metrics().people_in_need == 650
    with pytest.raises(Refusal) as refused:
        submit(exercise, "crisis", "hand_out_supplies", "wies", essential="food")
    assert str(refused.value) == "the gmina has no food left in its stocks: 0 person-days"
    exercise.advance_to(45.5)
    assert exercise.actions[handout.id].status == "completed"
    assert exercise.metrics().people_in_need == 750
    # 50 people for 48 h use ceil(50 x 48 / 24) = 100 person-days, the same stock.
    longer = make_exercise(tmp_path, model, "world: {stocks: {food: 100}}\n" + BLACKOUT)
    submit(longer, "crisis", "hand_out_supplies", "wies", at=20.0, people=50, hours=48)
    assert longer.world.stocks == {"food": 0}
    longer.advance_to(60.0)
    # At 60 h the 750 unprepared less the 50 fed; the prepared run out only at 72 h.
    assert longer.metrics().people_in_need == 700


def test_medicines_run_out_on_the_refill_cycle_of_those_who_take_them(tmp_path: Path) -> None:
    model = SHOPS.replace("provides: [food]", "provides: [trade]")
    exercise = make_exercise(tmp_path, model, BLACKOUT)
    # Half the residents take regular medicines; the unprepared refill when the 30-day
    # pack is empty, so 750 x 0.5 x 72 / 720 = 37.5 -> 38 have none left at 72 h; the
    # prepared still have their week's reserve (168 h).
    assert (MEDICATED, REFILL_HOURS, RESERVE_HOURS) == (0.5, 720.0, 168.0)
    exercise.advance_to(24.0)
    assert exercise.metrics().people_in_need == 13  # 750 x 0.5 x 24 / 720 = 12.5, halves up
    exercise.advance_to(72.0)
    assert exercise.metrics().people_in_need == 38


def test_heat_follows_the_outdoor_temperature(tmp_path: Path) -> None:
    cold = "world: {autonomy: survey, outdoor_c: -5}\n"
    damage = "injects:\n  - {id: I-1, at: 0, effects: [{damage: [kotlownia]}]}\n"
    exercise = make_exercise(tmp_path, PEOPLE, cold + damage)
    # A home cools from 21 to 16 °C in 48 x ln(26 / 21) = 10.25 h at -5 °C: the unprepared
    # run out evenly over twice that; at 5 h, 750 x 5 / 20.50 = 182.9 -> 183.
    cooling = 48 * math.log(26 / 21)
    assert heat_hours(-5) == pytest.approx(cooling)
    exercise.advance_to(5.0)
    assert exercise.metrics().people_in_need == round(750 * 5 / (2 * cooling))
    # In June (20 °C) losing heat and hot water puts nobody in need, even after days.
    warm = make_exercise(tmp_path, PEOPLE, "world: {season: summer}\n" + damage)
    warm.advance_to(72.0)
    assert warm.metrics().people_in_need == 0


CAMP = """\
districts:
  - {id: las, population: 10}
resources:
  - {id: autobus, kind: bus, count: 1, seats: 50}
assets:
  - {id: gpz, type: substation, provides: [power]}
  - id: oboz
    type: camp
    needs: {power: {from: [gpz]}}
    occupants: 160
  - {id: szkola, type: school, provides: [shelter], places: 120}
"""


def test_occupants_are_at_risk_when_their_facility_is_down(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, CAMP, DAMAGE)
    assert exercise.metrics().vulnerable_at_risk == 0
    exercise.advance_to(0.5)
    assert exercise.metrics().vulnerable_at_risk == 160


def test_evacuation_moves_occupants_by_bus_up_to_the_places(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, CAMP, DAMAGE)
    action = submit(exercise, "crisis", "evacuate", "oboz", at=0.5, to="szkola")
    # Base -> camp 0.5 h; a trip is 0.5 h boarding + 1 h (0.5 + 0.5 via the base), back 1 h.
    exercise.advance_to(2.5)
    assert exercise.population.occupants["oboz"] == 110
    exercise.advance_to(5.0)
    assert exercise.population.occupants["oboz"] == 60
    # Third trip at 7.5 h: the school has 20 places left; 40 stay, still at risk.
    exercise.advance_to(7.5)
    assert action.status == "completed"
    assert action.detail == "120 people taken to szkola, 40 left"
    assert exercise.metrics().vulnerable_at_risk == 40
    with pytest.raises(Refusal, match="no free places at szkola"):
        submit(exercise, "crisis", "evacuate", "oboz", to="szkola")


# A school of 300 pupils in session Monday-Friday 08:00-15:00 from September to June;
# its substation fails at 0.5 h.
SCHOOL = """\
assets:
  - {id: gpz, type: substation, provides: [power]}
  - id: szkola
    type: school
    needs: {power: {from: [gpz]}}
    occupants: 300
    occupied: {from: 8h, to: 15h, months: [1, 2, 3, 4, 5, 6, 9, 10, 11, 12]}
"""


def test_pupils_are_at_risk_only_while_their_school_is_in_session(tmp_path: Path) -> None:
    # Thursday 14 January 2027, 06:00 at t = 0: in session 2 h <= t < 9 h (08:00-15:00),
    # on Friday 26 h <= t < 33 h.  The power fails at 4 h (10:00), in the lesson.
    thursday = "start: 2027-01-14T06:00:00+01:00\n" + DAMAGE.replace("at: 30m", "at: 4h")
    exercise = make_exercise(tmp_path, SCHOOL, thursday)
    seen = {}
    for t in (2.0, 3.99, 4.0, 8.99, 9.0, 26.0, 50.0):
        exercise.advance_to(t)
        seen[t] = exercise.metrics().vulnerable_at_risk
    # At risk from the loss to the end of the day; on Friday the school is still dark at
    # 08:00, so the head suspends classes and the pupils stay at home (Saturday: no school).
    assert seen == {2.0: 0, 3.99: 0, 4.0: 300, 8.99: 300, 9.0: 0, 26.0: 0, 50.0: 0}
    # The figure falls at the bell, not at the next sample.
    changes = [(e.t, e.vulnerable_at_risk) for e in exercise.history if isinstance(e, MetricsEvent)]
    assert (9.0, 0) in changes
    # A loss before the bell (0.5 h): classes are suspended from the start.
    early = make_exercise(tmp_path, SCHOOL, "start: 2027-01-14T06:00:00+01:00\n" + DAMAGE)
    early.advance_to(3.0)
    assert early.metrics().vulnerable_at_risk == 0
    # In July the school is not in session at all; without a start the pupils are there.
    in_lesson = DAMAGE.replace("at: 30m", "at: 4h")
    july = make_exercise(tmp_path, SCHOOL, "start: 2027-07-15T06:00:00+02:00\n" + in_lesson)
    july.advance_to(5.0)
    assert july.metrics().vulnerable_at_risk == 0
    timeless = make_exercise(tmp_path, SCHOOL, DAMAGE)
    timeless.advance_to(1.0)
    assert timeless.metrics().vulnerable_at_risk == 300


# Thursday 14 January 2027: 06:00 at t = 0, so the working day is 1 h <= t < 11 h.
VOLUNTEERS = """\
districts:
  - {id: osiedle, population: 1000, prepared_share: 0.0}
resources:
  - {id: kgw, kind: volunteers, count: 10, day_share: 0.3, shift: {work: 8h, rest: 16h}}
assets:
  - {id: szkola, type: school, provides: [shelter], staff: 4, serves: {osiedle: 1.0}}
"""


def test_volunteers_are_at_work_by_day_and_tire(tmp_path: Path) -> None:
    scenario = "start: 2027-01-14T06:00:00+01:00\n"
    exercise = make_exercise(tmp_path, VOLUNTEERS, scenario)
    # 06:00: all 10 free; the shelter opens with 4 and serves until the team tires.
    shelter = submit(exercise, "crisis", "open_shelter", "szkola", at=0.0, hours=48)
    # 14:00 (t = 8): by day only 10 x 0.3 = 3 are free, 4 of them still on duty:
    # 3 - 4 < 4 needed, so the relief fails at 1 h + 8 h = 9 h.
    exercise.advance_to(9.0)
    assert shelter.status == "failed"
    assert shelter.detail.startswith("the volunteers are worn out")
    # At 10:00 on a working day a second shelter is refused with the numbers.
    with pytest.raises(Refusal) as refused:
        submit(exercise, "crisis", "open_shelter", "szkola", at=10.0)
    # 3 by day, minus the 4 resting until 9 + 16 = 25 h: none free.
    assert str(refused.value) == (
        "szkola needs 4 volunteers; 0 are free now (by day most are at work)"
    )
    # At 18:00 (t = 12) the evening shift: 10 - 4 resting = 6 free.
    late = submit(exercise, "crisis", "open_shelter", "szkola", at=12.0, hours=6)
    exercise.advance_to(19.0)
    assert late.status == "completed"


def _afresh(exercise: Exercise, t: float) -> Figures:
    """The figures at ``t`` from a Population that remembers nothing, fed the same state."""
    population = exercise.population
    fresh = Population(exercise.model, exercise.setting, exercise.scenario_start)
    fresh.down_since = dict(population.down_since)
    fresh.claims = population.claims
    fresh.occupants = population.occupants
    fresh.facilities_at_risk = population.facilities_at_risk
    fresh._risk_since = population._risk_since
    fresh._covers = population._covers
    return fresh.figures(t)


@pytest.mark.parametrize("name", ["mokry-snieg", "nawalnica", "zatruty-kran"])
def test_remembered_figures_are_those_computed_afresh(name: str) -> None:
    # The figures reuse shares while every curve is flat (survey autonomy in mokry-snieg,
    # summer in nawalnica, a claim in zatruty-kran): at every figure the exercise emits,
    # samples included, they must be what a population that remembers nothing computes.
    scenario = Path(__file__).resolve().parent.parent / "scenarios" / f"{name}.yaml"
    exercise = Exercise(load_scenario(scenario), seed=1)
    checked: list[float] = []

    def check(event: ExerciseEvent) -> None:
        if isinstance(event, MetricsEvent):
            assert exercise.population.figures(event.t) == _afresh(exercise, event.t)
            checked.append(event.t)

    exercise.subscribe(check)
    play_exercise(exercise, load_responses(scenario.with_suffix(".responses.yaml")))
    assert exercise.now == exercise.scenario.duration
    assert len(checked) > 20


# Ten residents on powered medical devices in a village whose power fails at t = 0;
# their batteries last 4 h.  Four OSP members, no district place: 1 h from the base.
DEVICES = """\
districts:
  - {id: wies, name: Wieś, population: 1000, prepared_share: 0.0, vulnerable: 10}
  - {id: osiedle, population: 500, prepared_share: 0.0}
resources:
  - {id: osp, kind: volunteers, count: 4}
assets:
  - {id: gpz, type: substation, provides: [power]}
  - {id: siec, type: lv_network, provides: [power], needs: {power: {from: [gpz]}},
     serves: {wies: 1.0, osiedle: 1.0}}
"""
DEVICES_DOWN = "injects:\n  - {id: I-1, at: 0, effects: [{damage: [gpz]}]}\n"


def test_door_to_door_checks_serve_residents_on_devices_before_their_batteries_run_out(
    tmp_path: Path,
) -> None:
    exercise = make_exercise(tmp_path, DEVICES, DEVICES_DOWN)
    checks = submit(exercise, "crisis", "door_to_door", "wies", at=0.0, people=4)
    # Two pairs arrive at 1 h and serve one resident each per 0.5 h: 2, 4, 6, 8, 10 by
    # 3.5 h, before the batteries run out at 4 h; then the volunteers go home.
    exercise.advance_to(3.0)
    assert exercise.population.checked("wies") == 8
    exercise.advance_to(3.5)
    assert checks.detail == "residents on medical devices checked and served: 10 of 10"
    assert exercise.pools["osp"].free == 4
    exercise.advance_to(4.0)
    assert exercise.metrics().vulnerable_at_risk == 0
    # The arrangements last 24 h from the team's arrival: at 25 h all 10 are at risk again.
    exercise.advance_to(25.0)
    assert checks.status == "completed"
    assert exercise.metrics().vulnerable_at_risk == 10


def test_one_pair_on_a_short_shift_serves_only_some_and_then_rests(tmp_path: Path) -> None:
    model = DEVICES.replace("count: 4}", "count: 4, shift: {work: 2h, rest: 4h}}")
    exercise = make_exercise(tmp_path, model, DEVICES_DOWN)
    submit(exercise, "crisis", "door_to_door", "wies", at=0.0)
    # One pair (the default 2 people): 1 h travel, then visits at 1.5 h and 2 h, when its
    # 2 h shift is over; it rests 4 x 2 / 2 = 4 h.  At 4 h, 10 - 2 = 8 are at risk.
    exercise.advance_to(4.0)
    assert exercise.population.checked("wies") == 2
    assert exercise.metrics().vulnerable_at_risk == 8
    assert exercise.pools["osp"].free == 2
    exercise.advance_to(6.0)
    assert exercise.pools["osp"].free == 4


def test_door_to_door_checks_are_refused_with_the_numbers(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, DEVICES, DEVICES_DOWN)
    with pytest.raises(Refusal) as nobody:
        submit(exercise, "crisis", "door_to_door", "osiedle")
    assert str(nobody.value) == "nobody on a powered medical device is registered in osiedle"
    with pytest.raises(Refusal) as short:
        submit(exercise, "crisis", "door_to_door", "wies", people=6)
    assert str(short.value) == (
        "door-to-door checks need 6 volunteers; 4 are free now (by day most are at work)"
    )
    assert short.value.text("pl") == (
        "obchód wymaga wolontariuszy: 6; wolnych teraz: 4 (w dzień większość pracuje)"
    )


def test_a_relief_draws_on_volunteers_who_arrived_after_the_opening(tmp_path: Path) -> None:
    scenario = "start: 2027-01-14T06:00:00+01:00\n"
    exercise = make_exercise(tmp_path, VOLUNTEERS, scenario)
    shelter = submit(exercise, "crisis", "open_shelter", "szkola", at=0.0, hours=48)
    # Four scouts asked of the powiat at 0 h arrive at 4 h (no stated source: 4 h) as a
    # pool of their own with no shift; at the relief at 9 h they take over for good.
    submit(exercise, "crisis", "request_support", "volunteers", count=4, resource="harcerze")
    exercise.advance_to(9.0)
    assert shelter.status == "started"
    exercise.advance_to(49.0)
    assert exercise.actions[shelter.id].status == "completed"


# A water point needs two volunteers (world.water_point_staff); the district names no
# place, so the tanker of unstated capacity is there 1 h after it sets out.
WATER_STAFF = """\
districts:
  - {id: osiedle, population: 1000, prepared_share: 0.0}
resources:
  - {id: beczkowoz, kind: water_tanker, count: 1}
  - {id: osp, kind: volunteers, count: 4, shift: {work: 8h, rest: 16h}}
assets:
  - {id: gpz, type: substation, provides: [power]}
  - {id: pompa, type: booster_pump, provides: [water], needs: {power: {from: [gpz]}},
     serves: {osiedle: 1.0}}
"""
STAFFED = "world: {water_point_staff: 2}\n" + DAMAGE


def test_a_water_point_without_enough_free_volunteers_is_refused_with_the_numbers(
    tmp_path: Path,
) -> None:
    exercise = make_exercise(tmp_path, WATER_STAFF.replace("count: 4", "count: 1"), STAFFED)
    with pytest.raises(Refusal) as refused:
        submit(exercise, "water", "water_point", "osiedle", at=1.0)
    assert str(refused.value) == (
        "the water point in osiedle needs 2 volunteers; 1 are free now (by day most are at work)"
    )
    assert refused.value.text("pl") == (
        "punkt poboru wody (osiedle) potrzebuje 2 wolontariuszy; wolnych jest teraz 1"
        " (w dzień większość pracuje)"
    )
    # Without the scenario's field a water point needs no volunteers, as before.
    plain = make_exercise(tmp_path, WATER_STAFF.replace("count: 4", "count: 1"), DAMAGE)
    assert submit(plain, "water", "water_point", "osiedle", at=1.0).status == "started"


def test_a_water_point_closes_when_its_volunteers_are_worn_out(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, WATER_STAFF, STAFFED)
    point = submit(exercise, "water", "water_point", "osiedle", at=1.0, hours=30)
    # Open at 2 h with 2 of the 4; relieved at 2 + 8 = 10 h by the other 2 (the first
    # rest until 26 h); at 18 h no 2 are free: the point closes at 18 h, not at 32 h.
    exercise.advance_to(17.99)
    assert point.status == "started"
    assert exercise.metrics().people_in_need == 0
    exercise.advance_to(18.0)
    assert exercise.actions[point.id].status == "failed"
    assert point.detail.startswith("the volunteers are worn out")
    assert exercise.pools["beczkowoz"].free == 1
    # The unprepared 1000 run out of water 24 h after the loss at 0.5 h: nothing covers them.
    exercise.advance_to(24.5)
    assert exercise.metrics().people_in_need == 1000
    # With 6 volunteers the third team takes over at 18 h and the point serves until 32 h.
    enough = make_exercise(tmp_path, WATER_STAFF.replace("count: 4", "count: 6"), STAFFED)
    kept = submit(enough, "water", "water_point", "osiedle", at=1.0, hours=30)
    enough.advance_to(24.5)
    assert enough.metrics().people_in_need == 0
    enough.advance_to(32.0)
    assert kept.status == "completed"
    assert enough.metrics().people_in_need == 1000


def test_a_tankers_volunteers_start_their_shift_when_the_point_opens(tmp_path: Path) -> None:
    model = (
        WATER_STAFF.replace("count: 4", "count: 2").replace(
            "count: 1}", "count: 1, capacity_m3: 5}"
        )
        + "  - {id: suw, type: water_treatment, provides: [water]}\n"
    )
    exercise = make_exercise(tmp_path, model, STAFFED)
    point = submit(exercise, "water", "water_point", "osiedle", at=0.0, hours=24)
    # Base -> SUW 0.5 h, filling 0.5 h, SUW -> district 0.5 + 1 h (through the base):
    # open at 2.5 h, so the two volunteers' 8 h shift ends at 10.5 h; nobody can relieve them.
    exercise.advance_to(10.49)
    assert point.status == "started"
    exercise.advance_to(10.5)
    assert exercise.actions[point.id].status == "failed"


REFERENCE = Path(__file__).resolve().parent.parent / "infrastructure_models"


def bundled(name: str) -> str:
    """A bundled model's text without its format line (make_exercise writes one)."""
    text = (REFERENCE / f"{name}.yaml").read_text(encoding="utf-8")
    return text.replace("format: cybrelia.infrastructure/1\n", "", 1)


def test_bundled_shops_take_cards_only_with_telecom_and_cash_while_households_have_it(
    tmp_path: Path,
) -> None:
    # The Wierzbowa mast fails: the village shop's card terminal and its ATM (GSM) go.
    masts = "injects:\n  - {id: I-1, at: 0, effects: [{damage: [bts-wierzbowa]}]}\n"
    exercise = make_exercise(tmp_path, bundled("gmina-przykladowa"), masts)
    exercise.advance_to(1.0)
    engine = exercise.engine
    assert engine.status("sklep-wierzbowa").state == "down"
    assert engine.status("bankomat-wierzbowa").state == "down"
    # The cash customers (0.4) still buy: the ATM at the Rynek works (k: 1 of the two).
    assert engine.status("sklep-wierzbowa-gotowka").state == "up"
    assert engine.without("wierzbowa", "food") == round(1900 * 0.6)
    # The fibre node fails too: no ATM works; households' cash lasts 48 h.
    fibre = masts + "  - {id: I-2, at: 0, effects: [{damage: [wezel-swiatlowodowy]}]}\n"
    both = make_exercise(tmp_path, bundled("gmina-przykladowa"), fibre)
    both.advance_to(47.9)
    assert both.engine.status("sklep-rynek-gotowka").state == "backup"
    assert both.engine.without("zielone", "food") == round(2000 * 0.6)
    both.advance_to(48.0)
    assert both.engine.status("sklep-rynek-gotowka").state == "down"
    assert both.engine.without("zielone", "food") == 2000


# A flooded valley: the SUW and the GPZ lie in zone `rzeka`, the tank on the hill
# keeps 10 h of water; 1000 unprepared residents drink from the tank.
FLOOD = """\
districts:
  - {id: dolina, population: 1000, prepared_share: 0.0}
resources:
  - {id: wod-kan, kind: water_crew, count: 1}
  - {id: pogotowie, kind: power_crew, count: 1}
assets:
  - {id: suw, type: water_treatment, provides: [water], zones: [rzeka], repair_hours: 8}
  - {id: gpz, type: substation, provides: [power], zones: [rzeka], repair_hours: 8}
  - id: zbiornik
    type: water_tank
    provides: [water]
    needs: {water: {from: [suw], buffer: {kind: storage, hours: 10}}}
    serves: {dolina: 1.0}
"""
AFTERMATH = """\
duration: 30d
world:
  zones:
    - {zone: rzeka, repair_hours: 21d, types: [water_treatment], water_unfit: true}
injects:
  - {id: I-1, at: 0, effects: [{damage_zone: [rzeka]}]}
"""


def test_repairs_in_a_flooded_zone_take_the_weeks_the_scenario_states(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, FLOOD, AFTERMATH)
    suw = submit(exercise, "water", "repair", "suw", at=0.0)
    gpz = submit(exercise, "power", "repair", "gpz")
    # The GPZ is a substation, not of the zone's types: 0.5 h travel + its own 8 h.
    exercise.advance_to(8.5)
    assert gpz.status == "completed"
    # The SUW: 0.5 h + 21 days = 504.5 h, not 8.5 h.
    exercise.advance_to(504.4)
    assert suw.status == "started"
    exercise.advance_to(504.5)
    assert exercise.actions[suw.id].status == "completed"


def test_tap_water_stays_unfit_after_the_repair_until_the_ppis_declares_it_fit(
    tmp_path: Path,
) -> None:
    repaired = AFTERMATH + "  - {id: I-2, at: 20h, effects: [{repair: [suw]}]}\n"
    exercise = make_exercise(tmp_path, FLOOD, repaired)
    with pytest.raises(Refusal) as refused:
        submit(exercise, "water", "water_tests", "suw", at=5.0)
    assert str(refused.value) == (
        "suw is still damaged: the inspector samples the water only after the repair"
    )
    # The tank runs dry at 10 h; the SUW is repaired at 20 h and the taps run again,
    # but the water is unfit: the unprepared are in need from 10 + 24 = 34 h.
    exercise.advance_to(34.0)
    assert exercise.engine.without("dolina", "water") == 0
    assert exercise.metrics().people_in_need == 1000
    with pytest.raises(Refusal, match="zbiornik has not been declared unfit"):
        submit(exercise, "water", "water_tests", "zbiornik")
    # A boil-water notice needs no PPIS flag: the water is known to be unfit.
    submit(exercise, "crisis", "boil_water_notice", "dolina")
    tests = submit(exercise, "water", "water_tests", "suw", at=40.0)
    # 0.5 h to the SUW, 0.5 h of sampling, 48 h in the laboratory: the decision at 89 h.
    exercise.advance_to(88.9)
    assert tests.status == "started"
    exercise.advance_to(89.0)
    assert tests.detail == "the sanitary inspector (PPIS) declares the water of suw fit to drink"
    assert exercise.metrics().people_in_need == 0
    # Flooded again before the decision: the samples fail and the water stays unfit.
    again = repaired + "  - {id: I-3, at: 60h, effects: [{damage: [suw]}]}\n"
    failing = make_exercise(tmp_path, FLOOD, again)
    retest = submit(failing, "water", "water_tests", "suw", at=40.0)
    failing.advance_to(89.0)
    assert failing.actions[retest.id].status == "failed"
    assert "suw" in failing.population.unfit
    assert failing.metrics().people_in_need == 1000
    # Without `water_unfit` the repaired SUW's water is drinkable at once.
    plain = make_exercise(tmp_path, FLOOD, repaired.replace(", water_unfit: true", ""))
    plain.advance_to(34.0)
    assert plain.metrics().people_in_need == 0


@pytest.mark.parametrize(
    ("model", "scenario", "old", "new", "expected"),
    [
        (
            OFFICE,
            SUPPORT,
            "command_post: urzad",
            "command_post: urzd",
            "world.command_post: unknown asset 'urzd'",
        ),
        (OFFICE, SUPPORT, "    - source: powiat\n", "    - source: psp\n" * 2, "stated twice"),
        (
            OFFICE,
            SUPPORT,
            "{kind: generator, count: 3",
            "{kind: water_tanker, kva: 5, count: 3",
            "kva applies",
        ),
        (
            OFFICE,
            SUPPORT,
            "{kind: generator, count: 3",
            "{kind: generatr, count: 3",
            "unknown kind of resource",
        ),
        (
            OFFICE,
            SUPPORT,
            "  command_post: urzad\n",
            "  command_post: urzad\n  water_point_staff: 2\n",
            "world.water_point_staff: water points need volunteers but the model has no pool",
        ),
        (
            FLOOD,
            AFTERMATH,
            "zone: rzeka,",
            "zone: rzka,",
            "world.zones[0].zone: unknown zone 'rzka'; did you mean",
        ),
        (
            FLOOD,
            AFTERMATH,
            "[water_treatment]",
            "[suv]",
            "world.zones[0].types[0]: no asset of type 'suv'",
        ),
        (
            FLOOD,
            AFTERMATH,
            "  zones:\n",
            "  zones:\n    - {zone: rzeka}\n",
            "world.zones[1].zone: zone 'rzeka' stated",
        ),
    ],
)
def test_the_world_block_of_a_scenario_is_checked(
    tmp_path: Path, model: str, scenario: str, old: str, new: str, expected: str
) -> None:
    assert old in scenario
    with pytest.raises(ValidationFailed) as failed:
        make_exercise(tmp_path, model, scenario.replace(old, new))
    assert any(expected in str(d) for d in failed.value.diagnostics), failed.value.diagnostics


def test_the_reference_gmina_sends_its_crews_over_its_roads(tmp_path: Path) -> None:
    cut = (
        "injects:\n  - {id: I-1, at: 0, effects: [{damage: [suw-debowiec, most-nadrzecze]}]}\n"
        "  - {id: I-2, at: 1h, effects: [{damage: [droga-debowiec]}]}\n"
        "  - {id: I-3, at: 2h, effects: [{damage: [droga-krajowa]}]}\n"
    )
    exercise = make_exercise(tmp_path, bundled("gmina-przykladowa"), cut)
    world = exercise.world
    exercise.advance_to(0.5)
    # From the town to Dębowiec by the powiat road: 1 h; to Nadrzecze, the bridge being
    # down, by the 35 km detour: 1.5 h instead of 1 h.
    assert world.leg("@base", "suw-debowiec").hours == 1.0
    assert world.leg("@base", "szkola-nadrzecze").hours == 1.5
    # The powiat road closed: round by the national road to Kamionka, 1 + 0.5 h.
    exercise.advance_to(1.5)
    assert world.leg("@base", "suw-debowiec").hours == 1.5
    # Both closed: the water crew cannot reach the station, and is told which roads.
    exercise.advance_to(2.5)
    with pytest.raises(Refusal) as refused:
        submit(exercise, "water", "repair", "suw-debowiec")
    assert "Droga powiatowa Przykładowo \u2013 Dębowiec" in str(refused.value)


def test_the_rural_gminas_dairy_farms_lose_their_milk_three_hours_after_the_power(
    tmp_path: Path,
) -> None:
    blackout = "injects:\n  - {id: I-1, at: 0, effects: [{damage: [st-gorki, st-olszynka]}]}\n"
    exercise = make_exercise(tmp_path, bundled("gmina-wiejska"), blackout)
    # The cooling tank keeps the milk cold for 3 h; then milking and cooling stop.
    exercise.advance_to(2.99)
    assert exercise.engine.status("ferma-gorki").state == "backup"
    exercise.advance_to(3.0)
    assert exercise.engine.status("ferma-gorki").state == "down"
    assert exercise.engine.status("gospodarstwa-olszynka-legi").state == "down"
    # The small farms are many: no mobile generator can be connected to them.
    with pytest.raises(Refusal, match="no connection point for a mobile generator"):
        submit(exercise, "crisis", "deploy_generator", "gospodarstwa-olszynka-legi")


def test_the_towns_outer_osiedla_hang_on_their_crossings(tmp_path: Path) -> None:
    cut = (
        "injects:\n  - {id: I-1, at: 1h, effects: [{damage: [wiadukt-zatorze, most-przyrzecze]}]}\n"
    )
    exercise = make_exercise(tmp_path, bundled("miasto"), cut)
    world = exercise.world
    # Over the viaduct 0.5 h to Zatorze; to Wólka over the bridge and the ring road 1 h.
    assert world.leg("@base", "suw-zatorze").hours == 0.5
    assert world.leg("@base", "st-wolka").hours == 1.0
    # Viaduct and bridge down: the level crossing (0.75 h), the road through Leśne (1.25 h).
    exercise.advance_to(1.0)
    assert world.leg("@base", "suw-zatorze").hours == 0.75
    assert world.leg("@base", "st-wolka").hours == 1.25
