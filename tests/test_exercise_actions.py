"""Response actions of the exercise layer, on small models with hand-computed timelines.

Each test writes a model and a scenario as YAML, drives an :class:`Exercise` to the times
given, submits actions, and compares what the cascade did with times worked out by hand
(the comment above each expectation gives the arithmetic).  Durations come from
``cybrelia.exercise.actions``: repair = travel + repair hours with a crew of the asset's
sector; a generator arrives after the asset's travel time; isolate and reconnect take 15 min;
a restore takes the asset's ``restore_hours``; a water tanker travels 1 h; a shelter opens in
1 h; support arrives after 4 h (powiat), 8 h (voivode) or 12 h (wot).
"""

from __future__ import annotations

import contextlib
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

from cybrelia.exercise.core import Exercise
from cybrelia.exercise.events import ActionEvent, NoteEvent
from cybrelia.exercise.types import ActionRequest, ActionState, Refusal
from tests.exercise_helpers import (
    action_log,
    asset_log,
    last_detail,
    make_exercise,
    service_log,
    submit,
)


def assert_refused(exercise: Exercise, request: ActionRequest, reason: str) -> None:
    """The request is refused with exactly ``reason`` (and a Polish one), and it is logged.

    A refusal is not a team decision: it is listed apart (``refusals``, an ``R`` id),
    never among the team's actions.
    """
    before = dict(exercise.actions)
    refusals = len(exercise.refusals)
    with pytest.raises(Refusal, match=f"^{re.escape(reason)}$") as refusal:
        exercise.submit(request)
    assert refusal.value.text("en") == reason
    assert refusal.value.text("pl") not in ("", reason), "the console shows it in Polish too"
    assert exercise.actions == before
    assert len(exercise.refusals) == refusals + 1
    refused = list(exercise.refusals.values())[-1]
    assert refused.id == f"R{refusals + 1:03d}"
    assert refused.status == "refused"
    assert refused.detail == reason
    last = exercise.history[-1]
    assert isinstance(last, ActionEvent)
    assert (last.status, last.detail) == ("refused", reason)


# --- repair -------------------------------------------------------------------------------

# Three substations; a base station hangs on gpz-a.  One power crew.
POWER_MODEL = """\
districts:
  - {id: d1, population: 1000}
resources:
  - {id: crew-power, kind: power_crew, count: 1}
assets:
  - {id: gpz-a, name: GPZ A, type: substation, provides: [power], travel_hours: 0.5,
     repair_hours: 3, serves: {d1: 1.0}}
  - {id: gpz-b, name: GPZ B, type: substation, provides: [power], travel_hours: 0.5,
     repair_hours: 3}
  - {id: gpz-c, name: GPZ C, type: substation, provides: [power], travel_hours: 0.5,
     repair_hours: 3}
  - {id: bts, type: bts, provides: [telecom], needs: {power: {from: [gpz-a]}}}
  - {id: suw, name: SUW, type: water_treatment, provides: [water], repair_hours: 2}
"""

DAMAGE_ALL = """\
duration: 24h
injects:
  - {id: I-01, at: 1h, effects: [{damage: [gpz-a, gpz-b, gpz-c, suw]}]}
"""


def test_repair_brings_the_asset_and_its_dependant_back(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, POWER_MODEL, DAMAGE_ALL)
    action = submit(exercise, "power", "repair", "gpz-a", at=2.0)
    exercise.advance_to(24.0)
    # Submitted at 2, 0.5 h travel + 3 h repair: gpz-a up at 5.5, and the base station with it.
    assert action_log(exercise, action.id) == [
        (2.0, "submitted"),
        (2.0, "started"),
        (5.5, "completed"),
    ]
    assert last_detail(exercise, action.id) == "repaired"
    assert action.finished_at == 5.5
    assert asset_log(exercise, "gpz-a") == [(1.0, "down", ("damaged",)), (5.5, "up", ())]
    assert asset_log(exercise, "bts") == [(1.0, "down", ("needs:power",)), (5.5, "up", ())]
    assert service_log(exercise, "d1", "power") == [(1.0, 1000), (5.5, 0)]
    assert exercise.pools["crew-power"].free == 1


def test_one_crew_serves_repairs_in_order_of_priority(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, POWER_MODEL, DAMAGE_ALL)
    first = submit(exercise, "power", "repair", "gpz-a", at=2.0, priority=0)
    low = submit(exercise, "power", "repair", "gpz-b", priority=5)
    high = submit(exercise, "power", "repair", "gpz-c", priority=1)
    assert (first.status, low.status, high.status) == ("started", "queued", "queued")
    exercise.advance_to(24.0)
    # gpz-a: 2 + 3.5 = 5.5.  Then priority 1 (gpz-c): 5.5 + 3.5 = 9.  Then gpz-b: 12.5.
    assert action_log(exercise, first.id) == [
        (2.0, "submitted"),
        (2.0, "started"),
        (5.5, "completed"),
    ]
    assert action_log(exercise, high.id) == [
        (2.0, "submitted"),
        (2.0, "queued"),
        (5.5, "started"),
        (9.0, "completed"),
    ]
    assert action_log(exercise, low.id) == [
        (2.0, "submitted"),
        (2.0, "queued"),
        (9.0, "started"),
        (12.5, "completed"),
    ]
    assert asset_log(exercise, "gpz-c") == [(1.0, "down", ("damaged",)), (9.0, "up", ())]
    assert asset_log(exercise, "gpz-b") == [(1.0, "down", ("damaged",)), (12.5, "up", ())]


def test_equal_priorities_are_served_in_order_of_submission(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, POWER_MODEL, DAMAGE_ALL)
    submit(exercise, "power", "repair", "gpz-a", at=2.0)
    second = submit(exercise, "power", "repair", "gpz-c")
    third = submit(exercise, "power", "repair", "gpz-b")
    exercise.advance_to(24.0)
    assert action_log(exercise, second.id)[-1] == (9.0, "completed")
    assert action_log(exercise, third.id)[-1] == (12.5, "completed")


# --- mobile generators and fuel ------------------------------------------------------------

# Two water stations on one substation, no buffers of their own; one mobile generator
# with 6 h of fuel, one fuel truck.
GENERATOR_MODEL = """\
districts:
  - {id: d1, population: 1000}
  - {id: d2, population: 400}
resources:
  - {id: gen, kind: generator, count: 1, fuel_hours: 6}
  - {id: cysterna, kind: fuel_truck, count: 1}
assets:
  - {id: gpz, name: GPZ, type: substation, provides: [power]}
  - {id: suw, name: SUW, type: water_treatment, provides: [water], travel_hours: 0.5,
     needs: {power: {from: [gpz]}}, serves: {d1: 1.0}}
  - {id: suw-2, name: SUW 2, type: water_treatment, provides: [water], travel_hours: 1,
     needs: {power: {from: [gpz]}}, serves: {d2: 1.0}}
  - {id: szkola, name: Szkoła, type: school, provides: [shelter]}
"""

GPZ_DOWN_AT_1H = """\
duration: 24h
injects:
  - {id: I-01, at: 1h, effects: [{damage: [gpz]}]}
"""


def test_deploy_generator_runs_until_the_fuel_is_gone(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, GENERATOR_MODEL, GPZ_DOWN_AT_1H)
    action = submit(exercise, "water", "deploy_generator", "suw", at=2.0)
    exercise.advance_to(2.5)
    (buffer,) = exercise.engine.buffers("suw")
    assert (buffer.kind, buffer.hours, buffer.remaining, buffer.mode, buffer.empties_at) == (
        "generator",
        6.0,
        6.0,
        "draining",
        8.5,
    )
    exercise.advance_to(24.0)
    # Submitted at 2, 0.5 h travel: on backup at 2.5; 6 h of fuel: down at 2 + 0.5 + 6 = 8.5.
    assert action_log(exercise, action.id) == [
        (2.0, "submitted"),
        (2.0, "started"),
        (2.5, "completed"),
    ]
    assert asset_log(exercise, "suw") == [
        (1.0, "down", ("needs:power",)),
        (2.5, "backup", ()),
        (8.5, "down", ("needs:power",)),
    ]
    assert service_log(exercise, "d1", "water") == [(1.0, 1000), (2.5, 0), (8.5, 1000)]


def test_recall_generator_takes_the_asset_down_and_frees_the_generator(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, GENERATOR_MODEL, GPZ_DOWN_AT_1H)
    submit(exercise, "water", "deploy_generator", "suw", at=2.0)
    exercise.advance_to(3.0)
    assert exercise.pools["gen"].free == 0
    recall = submit(exercise, "water", "recall_generator", "suw", at=4.0)
    assert recall.status == "completed"
    assert exercise.pools["gen"].free == 1
    assert "suw" not in exercise.deployments
    exercise.advance_to(24.0)
    assert asset_log(exercise, "suw") == [
        (1.0, "down", ("needs:power",)),
        (2.5, "backup", ()),
        (4.0, "down", ("needs:power",)),
    ]
    # The generator can go elsewhere now: suw-2 (travel 1 h) runs from 5 to 5 + 6 = 11.
    exercise2 = make_exercise(tmp_path, GENERATOR_MODEL, GPZ_DOWN_AT_1H)
    submit(exercise2, "water", "deploy_generator", "suw", at=2.0)
    submit(exercise2, "water", "recall_generator", "suw", at=4.0)
    submit(exercise2, "water", "deploy_generator", "suw-2")
    exercise2.advance_to(24.0)
    assert asset_log(exercise2, "suw-2") == [
        (1.0, "down", ("needs:power",)),
        (5.0, "backup", ()),
        (11.0, "down", ("needs:power",)),
    ]


def test_recall_without_a_generator_is_refused(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, GENERATOR_MODEL, GPZ_DOWN_AT_1H)
    exercise.advance_to(2.0)
    assert_refused(
        exercise,
        ActionRequest("water", "recall_generator", "suw"),
        "SUW has no mobile generator",
    )


def test_refuel_fills_the_tank_again(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, GENERATOR_MODEL, GPZ_DOWN_AT_1H)
    submit(exercise, "water", "deploy_generator", "suw", at=2.0)
    refuel = submit(exercise, "water", "refuel", "suw", at=5.0)
    exercise.advance_to(5.5)
    # At 5.5 the truck is there (0.5 h travel): 6 h of fuel again, so down at 5.5 + 6 = 11.5.
    (buffer,) = exercise.engine.buffers("suw")
    assert (buffer.remaining, buffer.mode, buffer.empties_at) == (6.0, "draining", 11.5)
    exercise.advance_to(24.0)
    assert action_log(exercise, refuel.id) == [
        (5.0, "submitted"),
        (5.0, "started"),
        (5.5, "completed"),
    ]
    assert asset_log(exercise, "suw") == [
        (1.0, "down", ("needs:power",)),
        (2.5, "backup", ()),
        (11.5, "down", ("needs:power",)),
    ]


def test_refuel_of_an_asset_without_a_generator_is_refused(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, GENERATOR_MODEL, GPZ_DOWN_AT_1H)
    exercise.advance_to(2.0)
    assert_refused(exercise, ActionRequest("water", "refuel", "suw"), "SUW has no generator")


def test_no_free_generator_is_refused(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, GENERATOR_MODEL, GPZ_DOWN_AT_1H)
    submit(exercise, "water", "deploy_generator", "suw", at=2.0)
    assert_refused(
        exercise,
        ActionRequest("water", "deploy_generator", "suw-2"),
        "no free mobile generator",
    )
    exercise.advance_to(3.0)
    assert_refused(
        exercise,
        ActionRequest("water", "deploy_generator", "suw"),
        "SUW has a mobile generator already",
    )
    assert_refused(
        exercise,
        ActionRequest("crisis", "deploy_generator", "szkola"),
        "Szkoła needs no power",
    )


def test_a_second_generator_for_an_asset_whose_first_is_on_its_way_is_refused(
    tmp_path: Path,
) -> None:
    model = GENERATOR_MODEL.replace("count: 1, fuel_hours: 6", "count: 2, fuel_hours: 6")
    exercise = make_exercise(tmp_path, model, GPZ_DOWN_AT_1H)
    submit(exercise, "water", "deploy_generator", "suw", at=2.0)
    # The first generator is still on the road (it arrives at 2.5), but it is SUW's already:
    # a second one would be swapped in over it and the first never given back.
    assert_refused(
        exercise,
        ActionRequest("water", "deploy_generator", "suw"),
        "SUW has a mobile generator already",
    )


def test_recall_gives_back_every_generator_sent_to_the_asset(tmp_path: Path) -> None:
    model = GENERATOR_MODEL.replace("count: 1, fuel_hours: 6", "count: 2, fuel_hours: 6")
    exercise = make_exercise(tmp_path, model, GPZ_DOWN_AT_1H)
    submit(exercise, "water", "deploy_generator", "suw", at=2.0)
    with contextlib.suppress(Refusal):  # refused, if the engine guards against it
        submit(exercise, "water", "deploy_generator", "suw")
    exercise.advance_to(4.0)
    submit(exercise, "water", "recall_generator", "suw")
    exercise.advance_to(5.0)
    # After the recall both generators are free and SUW is without power again.
    assert exercise.pools["gen"].free == 2
    assert exercise.engine.status("suw").state == "down"


def test_cancelling_a_generator_on_its_way_frees_it(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, GENERATOR_MODEL, GPZ_DOWN_AT_1H)
    action = submit(exercise, "water", "deploy_generator", "suw-2", at=2.0)
    exercise.advance_to(2.5)
    exercise.cancel(action.id)
    assert action.status == "cancelled"
    assert exercise.pools["gen"].free == 1
    exercise.advance_to(24.0)
    assert asset_log(exercise, "suw-2") == [(1.0, "down", ("needs:power",))]


# --- network changes and cyber -----------------------------------------------------------

# Two SCADA systems and a server; the water station is steered from `scada` and can run
# one hour by hand without it.
CYBER_MODEL = """\
districts:
  - {id: d1, population: 1000}
resources:
  - {id: it-team, kind: it_team, count: 1}
  - {id: crew-water, kind: water_crew, count: 1}
assets:
  - {id: gpz, name: GPZ, type: substation, provides: [power]}
  - {id: scada, name: SCADA, type: scada, provides: [control],
     cyber: {exposure: internet, backup: tested, restore_hours: 4}}
  - {id: scada-old, name: SCADA stara, type: scada, provides: [control],
     cyber: {exposure: internet, backup: untested, restore_hours: 4}}
  - {id: server, name: Serwer, type: server, provides: [data],
     cyber: {exposure: internal, backup: none}}
  - {id: suw, name: SUW, type: water_treatment, provides: [water], travel_hours: 0.5,
     needs: {control: {from: [scada], buffer: {kind: manual, hours: 1}}}, serves: {d1: 1.0}}
"""


def test_isolate_and_reconnect_take_fifteen_minutes(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, CYBER_MODEL, "duration: 12h\n")
    isolate = submit(exercise, "it", "isolate", "scada", at=1.0)
    exercise.advance_to(3.0)
    reconnect = submit(exercise, "it", "reconnect", "scada")
    exercise.advance_to(12.0)
    # Isolated at 1 + 0.25; the station runs 1 h by hand: down at 2.25.  Back at 3 + 0.25.
    assert action_log(exercise, isolate.id) == [
        (1.0, "submitted"),
        (1.0, "started"),
        (1.25, "completed"),
    ]
    assert action_log(exercise, reconnect.id) == [
        (3.0, "submitted"),
        (3.0, "started"),
        (3.25, "completed"),
    ]
    assert asset_log(exercise, "scada") == [(1.25, "down", ("isolated",)), (3.25, "up", ())]
    assert asset_log(exercise, "suw") == [
        (1.25, "backup", ()),
        (2.25, "down", ("needs:control",)),
        (3.25, "up", ()),
    ]


def test_isolate_twice_and_reconnect_of_a_connected_asset_are_refused(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, CYBER_MODEL, "duration: 12h\n")
    exercise.advance_to(1.0)
    assert_refused(exercise, ActionRequest("it", "reconnect", "scada"), "SCADA is not isolated")
    submit(exercise, "it", "isolate", "scada", at=1.0)
    exercise.advance_to(2.0)
    assert_refused(exercise, ActionRequest("it", "isolate", "scada"), "SCADA is isolated already")


COMPROMISE_AT_1H = """\
duration: 24h
injects:
  - {id: I-01, at: 1h, effects: [{compromise: [scada, scada-old, server]}]}
"""


def test_restore_from_a_tested_backup(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, CYBER_MODEL, COMPROMISE_AT_1H)
    action = submit(exercise, "it", "restore_backup", "scada", at=2.0)
    exercise.advance_to(24.0)
    # Submitted at 2, restore_hours 4: restored at 6.  The station ran by hand from 1 to 2.
    assert action_log(exercise, action.id) == [
        (2.0, "submitted"),
        (2.0, "started"),
        (6.0, "completed"),
    ]
    assert asset_log(exercise, "scada") == [(1.0, "down", ("compromised",)), (6.0, "up", ())]
    assert asset_log(exercise, "suw") == [
        (1.0, "backup", ()),
        (2.0, "down", ("needs:control",)),
        (6.0, "up", ()),
    ]
    assert exercise.pools["it-team"].free == 1


def _untested_restore(tmp_path: Path, seed: int) -> tuple[str, list[Any]]:
    exercise = make_exercise(tmp_path, CYBER_MODEL, COMPROMISE_AT_1H, seed=seed)
    action = submit(exercise, "it", "restore_backup", "scada-old", at=2.0)
    exercise.advance_to(24.0)
    return action.status, asset_log(exercise, "scada-old")


def test_restore_from_an_untested_backup_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    outcomes = {}
    for seed in range(16):
        first = _untested_restore(tmp_path, seed)
        assert _untested_restore(tmp_path, seed) == first
        outcomes[seed] = first
    # Restored at 2 + 4 = 6, or failed then and still compromised.
    restored = [(1.0, "down", ("compromised",)), (6.0, "up", ())]
    failed = [(1.0, "down", ("compromised",))]
    for status, log in outcomes.values():
        assert (status, log) in (("completed", restored), ("failed", failed))
    # A 50 % failure chance: across 16 seeds both outcomes occur.
    assert {status for status, _ in outcomes.values()} == {"completed", "failed"}


def test_restore_refusals(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, CYBER_MODEL, COMPROMISE_AT_1H)
    exercise.advance_to(0.5)
    assert_refused(
        exercise, ActionRequest("it", "restore_backup", "scada"), "SCADA is not compromised"
    )
    exercise.advance_to(2.0)
    assert_refused(
        exercise, ActionRequest("it", "restore_backup", "gpz"), "GPZ is not a cyber asset"
    )
    assert_refused(
        exercise,
        ActionRequest("it", "restore_backup", "server"),
        "Serwer has no backup to restore from",
    )


def test_manual_operation_replaces_the_control_buffer_for_its_hours(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, CYBER_MODEL, COMPROMISE_AT_1H)
    action = submit(exercise, "water", "manual_operation", "suw", at=3.0, hours=5)
    exercise.advance_to(3.5)
    (buffer,) = exercise.engine.buffers("suw")
    assert (buffer.service, buffer.kind, buffer.hours, buffer.empties_at) == (
        "control",
        "manual",
        5.0,
        8.5,
    )
    exercise.advance_to(24.0)
    # Manual buffer 1 h: down at 2.  Staff arrive at 3 + 0.5 and run it for 5 h: to 8.5.
    assert asset_log(exercise, "suw") == [
        (1.0, "backup", ()),
        (2.0, "down", ("needs:control",)),
        (3.5, "backup", ()),
        (8.5, "down", ("needs:control",)),
    ]
    assert action_log(exercise, action.id) == [
        (3.0, "submitted"),
        (3.0, "started"),
        (8.5, "completed"),
    ]
    assert exercise.pools["crew-water"].free == 1


def test_manual_operation_of_an_asset_without_control_is_refused(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, CYBER_MODEL, COMPROMISE_AT_1H)
    assert_refused(
        exercise,
        ActionRequest("power", "manual_operation", "gpz"),
        "GPZ has no remote control to replace",
    )


# --- people: water points, shelters, alerts, claims -------------------------------------------

# Nobody prepared: everyone whose water is off for 24 h is in need.
WATER_MODEL = """\
districts:
  - {id: d1, population: 1000, prepared_share: 0}
  - {id: d2, population: 500, prepared_share: 0}
resources:
  - {id: beczkowoz, kind: water_tanker, count: 1}
assets:
  - {id: ujecie-1, type: well, provides: [water], serves: {d1: 1.0}}
  - {id: ujecie-2, type: well, provides: [water], serves: {d2: 1.0}}
"""

WELLS_DOWN_AT_1H = """\
duration: 48h
injects:
  - {id: I-01, at: 1h, effects: [{damage: [ujecie-1, ujecie-2]}]}
"""


def in_need(exercise: Exercise, t: float) -> dict[str, int]:
    exercise.advance_to(t)
    return exercise.population.figures(exercise.now).in_need_by_district


def test_water_point_takes_its_district_out_of_need(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, WATER_MODEL, WELLS_DOWN_AT_1H)
    assert in_need(exercise, 24.5) == {"d1": 0, "d2": 0}
    # Without water since 1 h: in need from 25 h.
    assert in_need(exercise, 25.0) == {"d1": 1000, "d2": 500}
    assert exercise.metrics().people_in_need == 1500
    action = submit(exercise, "water", "water_point", "d1", at=26.0, hours=10)
    # The tanker arrives at 27 and stays 10 h: d1 covered from 27 to 37.
    assert in_need(exercise, 26.5) == {"d1": 1000, "d2": 500}
    assert in_need(exercise, 27.0) == {"d1": 0, "d2": 500}
    assert exercise.metrics().people_in_need == 500
    assert in_need(exercise, 36.5) == {"d1": 0, "d2": 500}
    assert in_need(exercise, 37.0) == {"d1": 1000, "d2": 500}
    assert action_log(exercise, action.id) == [
        (26.0, "submitted"),
        (26.0, "started"),
        (37.0, "completed"),
    ]
    assert exercise.pools["beczkowoz"].free == 1


def test_water_point_in_an_unknown_district_is_refused(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, WATER_MODEL, WELLS_DOWN_AT_1H)
    assert_refused(exercise, ActionRequest("water", "water_point", "d9"), "unknown district 'd9'")


# Power down for the whole district; the boiler house needs power; a school can shelter.
SHELTER_MODEL = """\
districts:
  - {id: d1, population: 1000, prepared_share: 0, vulnerable: 10}
assets:
  - {id: gpz, name: GPZ, type: substation, provides: [power], serves: {d1: 1.0}}
  - {id: kotlownia, type: boiler_house, provides: [heat], needs: {power: {from: [gpz]}},
     serves: {d1: 1.0}}
  - {id: szkola, name: SP 1, type: school, provides: [shelter], serves: {d1: 1.0}}
"""


def test_open_shelter_covers_heat_and_power_need(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, SHELTER_MODEL, GPZ_DOWN_AT_1H.replace("24h", "48h"))
    exercise.advance_to(5.0)
    # Vulnerable residents are at risk after 4 h without power, the rest in need after 24 h.
    assert exercise.metrics().vulnerable_at_risk == 10
    assert in_need(exercise, 25.0) == {"d1": 1000}
    action = submit(exercise, "crisis", "open_shelter", "szkola", at=26.0, hours=10)
    # Open after 1 h of setup (27), for 10 h (to 37).
    assert in_need(exercise, 26.5) == {"d1": 1000}
    assert in_need(exercise, 27.0) == {"d1": 0}
    assert exercise.metrics().vulnerable_at_risk == 0
    assert in_need(exercise, 37.0) == {"d1": 1000}
    assert exercise.metrics().vulnerable_at_risk == 10
    assert action_log(exercise, action.id) == [
        (26.0, "submitted"),
        (26.0, "started"),
        (37.0, "completed"),
    ]


def test_open_shelter_in_an_asset_that_is_no_shelter_is_refused(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, SHELTER_MODEL, GPZ_DOWN_AT_1H)
    assert_refused(
        exercise, ActionRequest("crisis", "open_shelter", "gpz"), "GPZ cannot serve as a shelter"
    )


# Two districts, each with its own mast.
ALERT_MODEL = """\
districts:
  - {id: d1, population: 1000}
  - {id: d2, population: 500}
assets:
  - {id: bts-1, type: bts, provides: [telecom], serves: {d1: 1.0}}
  - {id: bts-2, type: bts, provides: [telecom], serves: {d2: 1.0}}
"""


def alert(exercise: Exercise, target: str, at: float) -> ActionState:
    """Request an Alert RCB at ``at`` and wait the 30 minutes until RCB sends it."""
    state = submit(exercise, "crisis", "public_alert", target, at=at)
    assert (state.status, state.detail) == (
        "started",
        "requested through the voivode's crisis centre (WCZK); RCB sends the Alert RCB in 30m",
    )
    exercise.advance_to(at + 0.5)
    assert state.status == "completed"
    return state


def test_public_alert_reaches_only_residents_with_telecom(tmp_path: Path) -> None:
    scenario = """\
        duration: 12h
        injects:
          - {id: I-01, at: 1h, effects: [{damage: [bts-2]}]}
    """
    exercise = make_exercise(tmp_path, ALERT_MODEL, scenario)
    # Sent at 0.75 h, before the mast of d2 goes down at 1 h.
    assert alert(exercise, "all", 0.25).detail == "reached 1,500 of 1,500 residents"
    assert alert(exercise, "all", 2.0).detail == "reached 1,000 of 1,500 residents"
    assert alert(exercise, "d1", 3.0).detail == "reached 1,000 of 1,000 residents"
    assert alert(exercise, "d2", 4.0).detail == "reached 0 of 500 residents"
    assert_refused(
        exercise,
        ActionRequest("crisis", "public_alert", "d1", {"channel": "pigeon"}),
        "channel must be one of rcb_alert, sirens, radio, web, loudspeaker, door_to_door, "
        "parish, not 'pigeon'",
    )


def test_public_alert_leaves_out_residents_no_mast_covers(tmp_path: Path) -> None:
    model = """\
        districts:
          - {id: d1, population: 100}
          - {id: d2, population: 100}
        assets:
          - {id: bts-1, type: bts, provides: [telecom], serves: {d1: 0.9}}
    """
    scenario = """\
        duration: 12h
        injects:
          - {id: I-01, at: 1h, effects: [{damage: [bts-1]}]}
    """
    exercise = make_exercise(tmp_path, textwrap.dedent(model), scenario)
    covered = alert(exercise, "all", 0.25)
    assert covered.detail == "reached 90 of 200 residents"  # a tenth of d1 and all of d2: no mast
    assert alert(exercise, "d1", 2.0).detail == "reached 0 of 100 residents"


def test_action_details_are_given_in_polish_too(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, ALERT_MODEL, "duration: 12h\n")
    sent = alert(exercise, "all", 0.5)
    assert sent.detail_in("en") == "reached 1,500 of 1,500 residents"
    assert sent.detail_in("pl") == "dotarło do 1\u00a0500 z 1\u00a0500 mieszkańców"
    events = [e for e in exercise.history if isinstance(e, ActionEvent) and e.status == "completed"]
    assert events[-1].detail_in("pl") == "dotarło do 1\u00a0500 z 1\u00a0500 mieszkańców"
    noted = submit(exercise, "crisis", "note", note="Odprawa o 8:00")
    assert noted.detail_in("pl") == noted.detail_in("en") == "Odprawa o 8:00"


def test_support_joins_the_pool_it_names(tmp_path: Path) -> None:
    model = """\
        resources:
          - {id: gen-a, kind: generator, count: 1, fuel_hours: 8}
          - {id: gen-b, kind: generator, count: 1, fuel_hours: 24}
        assets:
          - {id: gpz, type: substation, provides: [power]}
    """
    exercise = make_exercise(tmp_path, textwrap.dedent(model), "duration: 12h\n")
    named = submit(exercise, "crisis", "request_support", "generator", source="powiat",
                   resource="gen-b")  # fmt: skip
    unnamed = submit(exercise, "crisis", "request_support", "generator", source="powiat")
    exercise.advance_to(4.0)
    assert last_detail(exercise, named.id) == "1 x generator arrived (gen-b)"
    assert last_detail(exercise, unnamed.id) == "1 x generator arrived (gen-a)"
    assert (exercise.pools["gen-a"].capacity, exercise.pools["gen-b"].capacity) == (2, 2)


# --- support from outside ---------------------------------------------------------------

LONG_REPAIRS = POWER_MODEL.replace("repair_hours: 3", "repair_hours: 10")


def test_request_support_grows_the_pool_and_the_queued_repair_starts(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, LONG_REPAIRS, DAMAGE_ALL)
    first = submit(exercise, "power", "repair", "gpz-a", at=2.0)
    second = submit(exercise, "power", "repair", "gpz-b")
    support = submit(exercise, "crisis", "request_support", "power_crew", source="powiat")
    exercise.advance_to(24.0)
    # gpz-a: 2 + 10.5 = 12.5.  The powiat's crew arrives at 2 + 4 = 6: gpz-b from 6 to 16.5.
    assert action_log(exercise, support.id) == [
        (2.0, "submitted"),
        (2.0, "started"),
        (6.0, "completed"),
    ]
    assert last_detail(exercise, support.id) == "1 x power_crew arrived (crew-power)"
    assert action_log(exercise, first.id)[-1] == (12.5, "completed")
    assert action_log(exercise, second.id) == [
        (2.0, "submitted"),
        (2.0, "queued"),
        (6.0, "started"),
        (16.5, "completed"),
    ]
    assert exercise.pools["crew-power"].capacity == 2


@pytest.mark.parametrize(("source", "arrives"), [("powiat", 5.0), ("voivode", 9.0), ("wot", 13.0)])
def test_support_delay_by_source(tmp_path: Path, source: str, arrives: float) -> None:
    exercise = make_exercise(tmp_path, LONG_REPAIRS, DAMAGE_ALL)
    action = submit(exercise, "crisis", "request_support", "power_crew", at=1.0, source=source)
    exercise.advance_to(24.0)
    assert action_log(exercise, action.id)[-1] == (arrives, "completed")


def test_support_brings_a_kind_the_model_lacks(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, POWER_MODEL, DAMAGE_ALL)
    exercise.advance_to(2.0)
    assert_refused(
        exercise,
        ActionRequest("power", "repair", "suw"),
        "no water crew in the model's resources",
    )
    submit(exercise, "crisis", "request_support", "water_crew", source="voivode", count=2)
    exercise.advance_to(10.0)
    assert exercise.pools["support-water_crew"].capacity == 2
    # Now a water crew repairs the water station: 10 + 0.5 + 2 = 12.5.
    repair = submit(exercise, "water", "repair", "suw")
    exercise.advance_to(24.0)
    assert action_log(exercise, repair.id)[-1] == (12.5, "completed")
    assert asset_log(exercise, "suw") == [(1.0, "down", ("damaged",)), (12.5, "up", ())]


def test_request_support_refusals(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, POWER_MODEL, DAMAGE_ALL)
    assert_refused(
        exercise,
        ActionRequest("crisis", "request_support", "power_crew", {"source": "nato"}),
        "support comes from powiat, voivode or wot, not 'nato'",
    )
    assert_refused(
        exercise,
        ActionRequest("crisis", "request_support", "power_crew", {"count": 0}),
        "count must be a whole number of at least 1",
    )


# --- notes ------------------------------------------------------------------------------


def test_note_is_logged(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, POWER_MODEL, DAMAGE_ALL)
    exercise.advance_to(1.5)
    action = submit(exercise, "crisis", "note", note="Zwołano posiedzenie sztabu")
    assert (action.status, action.detail, action.finished_at) == (
        "completed",
        "Zwołano posiedzenie sztabu",
        1.5,
    )
    exercise.note("Sztab zebrał się o 7:30", team="crisis")
    last = exercise.history[-1]
    assert last == NoteEvent(1.5, "Sztab zebrał się o 7:30", "crisis")
    with pytest.raises(Refusal, match="unknown team 'nobody'"):
        exercise.note("?", team="nobody")


# --- refusals -----------------------------------------------------------------------------

REACH_MODEL = """\
districts:
  - {id: d1, population: 100}
resources:
  - {id: crew-power, kind: power_crew, count: 1}
assets:
  - {id: gpz, name: GPZ, type: substation, provides: [power]}
  - {id: most, name: Most na Odrze, type: bridge, provides: [transport]}
  - {id: sn-wies, name: Linia SN Wieś, type: mv_line, provides: [power],
     needs: {power: {from: [gpz]}, transport: {from: [most]}}, serves: {d1: 1.0}}
"""


def test_repair_refusals(tmp_path: Path) -> None:
    scenario = """\
        duration: 12h
        injects:
          - {id: I-01, at: 1h, effects: [{damage: [most, sn-wies]}]}
    """
    exercise = make_exercise(tmp_path, REACH_MODEL, scenario)
    exercise.advance_to(2.0)
    assert_refused(exercise, ActionRequest("power", "repair", "gpz"), "GPZ is not damaged")
    assert_refused(
        exercise,
        ActionRequest("power", "repair", "sn-wies"),
        "Linia SN Wieś is not reachable (Most na Odrze down)",
    )
    assert_refused(
        exercise,
        ActionRequest("power", "repair", "most"),
        "no road crew in the model's resources",
    )
    assert_refused(exercise, ActionRequest("power", "repair", "gpz-x"), "unknown asset 'gpz-x'")


def test_unknown_team_and_unknown_action_are_refused_before_logging(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, POWER_MODEL, DAMAGE_ALL)
    with pytest.raises(Refusal, match=r"^unknown team 'nobody'$"):
        exercise.submit(ActionRequest("nobody", "note"))
    with pytest.raises(Refusal, match=r"^unknown action 'fly'$"):
        exercise.submit(ActionRequest("crisis", "fly"))
    assert exercise.actions == {}


# --- cancelling ----------------------------------------------------------------------------


def test_cancel_a_running_repair_releases_the_crew(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, POWER_MODEL, DAMAGE_ALL)
    running = submit(exercise, "power", "repair", "gpz-a", at=2.0)
    queued = submit(exercise, "power", "repair", "gpz-b")
    exercise.advance_to(3.0)
    exercise.cancel(running.id)
    assert running.status == "cancelled"
    assert running.finished_at == 3.0
    exercise.advance_to(24.0)
    # The crew goes to gpz-b at 3: 3 + 3.5 = 6.5; gpz-a stays damaged.
    assert action_log(exercise, running.id) == [
        (2.0, "submitted"),
        (2.0, "started"),
        (3.0, "cancelled"),
    ]
    assert action_log(exercise, queued.id) == [
        (2.0, "submitted"),
        (2.0, "queued"),
        (3.0, "started"),
        (6.5, "completed"),
    ]
    assert asset_log(exercise, "gpz-a") == [(1.0, "down", ("damaged",))]
    assert exercise.pools["crew-power"].free == 1


def test_cancel_a_queued_repair_leaves_the_queue(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, POWER_MODEL, DAMAGE_ALL)
    running = submit(exercise, "power", "repair", "gpz-a", at=2.0)
    queued = submit(exercise, "power", "repair", "gpz-b")
    exercise.advance_to(3.0)
    exercise.cancel(queued.id)
    assert queued.status == "cancelled"
    assert len(exercise.pools["crew-power"].queue) == 0
    exercise.advance_to(24.0)
    assert action_log(exercise, queued.id) == [
        (2.0, "submitted"),
        (2.0, "queued"),
        (3.0, "cancelled"),
    ]
    assert action_log(exercise, running.id)[-1] == (5.5, "completed")
    assert asset_log(exercise, "gpz-b") == [(1.0, "down", ("damaged",))]
    assert exercise.pools["crew-power"].free == 1
    assert len(exercise.pools["crew-power"].queue) == 0


def test_cancel_of_a_completed_or_unknown_action_is_refused(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, POWER_MODEL, DAMAGE_ALL)
    action = submit(exercise, "power", "repair", "gpz-a", at=2.0)
    exercise.advance_to(6.0)
    assert action.status == "completed"
    with pytest.raises(
        Refusal,
        match=f"^{re.escape(f'action {action.id} is completed; only queued or running ones')}$",
    ):
        exercise.cancel(action.id)
    note = submit(exercise, "crisis", "note", note="x")
    with pytest.raises(Refusal, match="is completed; only queued or running ones"):
        exercise.cancel(note.id)
    with pytest.raises(Refusal, match=r"^unknown action 'A999'$"):
        exercise.cancel("A999")
