"""The cascade semantics of MODEL.md section 3, on small models with hand-computed timelines.

Each test writes a model and a scenario as YAML, runs it headless exactly as
``cybrelia simulate`` does, and compares the JSON Lines records (MODEL.md section 5) with a
timeline worked out by hand.  The comment above each expected list gives the arithmetic.
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from cybrelia.cli import main
from cybrelia.files.validation import LoadedScenario, load_scenario
from cybrelia.headless.simulate import jsonl_lines, run_scenario
from tests.helpers import Record, ScenarioFiles, WriteScenario, simulate_records


def asset(t: float, asset_id: str, state: str, *causes: str) -> Record:
    """An asset record as ``cybrelia simulate`` writes it."""
    return {"t": t, "kind": "asset", "asset": asset_id, "state": state, "causes": list(causes)}


def service(t: float, district: str, service_name: str, without: int) -> Record:
    """A service record as ``cybrelia simulate`` writes it."""
    return {
        "t": t,
        "kind": "service",
        "district": district,
        "service": service_name,
        "without": without,
    }


def buffer_at(loaded: LoadedScenario, asset_id: str, until: float) -> tuple[float, str, Any]:
    """(remaining, mode, empties_at) of the asset's only buffer after running to ``until``."""
    run = run_scenario(loaded, until=until)
    assert run.engine is not None
    (buffer,) = run.engine.buffers(asset_id)
    return buffer.remaining, buffer.mode, buffer.empties_at


# A substation feeding a water works and a base station, each with a different buffer.
# ``{BUFFER}`` is replaced per test.
GRID_AND_CONSUMER = """\
    districts:
      - {id: centrum, population: 1000}
    assets:
      - id: gpz
        type: substation
        provides: [power]
        serves: {centrum: 1.0}
      - id: consumer
        type: bts
        provides: [telecom]
        needs:
          power: {from: [gpz], buffer: {BUFFER}}
        serves: {centrum: 1.0}
"""


def grid_model(buffer: str) -> str:
    return GRID_AND_CONSUMER.replace("{BUFFER}", buffer)


def injects(*items: tuple[str, str]) -> str:
    """A scenario's ``injects`` list from (at, effect-as-YAML-flow) pairs, one effect each."""
    lines = ["injects:"]
    for number, (at, effect) in enumerate(items, start=1):
        lines.append(f"  - {{id: I-{number:02d}, at: {at}, effects: [{effect}]}}")
    return "\n".join(lines) + "\n"


# --- 3.3 buffers: exhaustion ------------------------------------------------------------


GENERATOR_MODEL = """\
    districts:
      - {id: centrum, population: 1000}
    assets:
      - id: gpz
        type: substation
        provides: [power]
        serves: {centrum: 1.0}
      - id: suw
        type: water_treatment
        provides: [water]
        needs:
          power: {from: [gpz], buffer: {kind: generator, hours: 12h}}
        serves: {centrum: 1.0}
"""


def test_generator_runs_out_exactly_at_t0_plus_hours(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(GENERATOR_MODEL, "duration: 24h\n" + injects(("30m", "damage: gpz")))
    # 0.5: the GPZ goes down; the SUW runs on its generator (backup, still serves water);
    #      1000 of 1000 residents lose power (share 1.0).
    # 0.5 + 12 = 12.5: the generator is empty; the SUW goes down for want of power and the
    #      whole district loses water.
    assert simulate_records(loaded) == [
        asset(0.5, "gpz", "down", "damaged"),
        asset(0.5, "suw", "backup"),
        service(0.5, "centrum", "power", 1000),
        asset(12.5, "suw", "down", "needs:power"),
        service(12.5, "centrum", "water", 1000),
    ]
    # Half-way the generator has 12 - (6.5 - 0.5) = 6 h left and will be empty at 12.5.
    assert buffer_at(loaded, "suw", 6.5) == (6.0, "draining", 12.5)
    # A generator does not refill (recharge 0) and a down asset's buffer is idle.
    assert buffer_at(loaded, "suw", 24.0) == (0.0, "idle", None)


def test_generator_exhaustion_is_included_at_until(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(GENERATOR_MODEL, "duration: 24h\n" + injects(("30m", "damage: gpz")))
    # --until 12.5 includes everything due at 12.5, the exhaustion too; 12.4 does not.
    assert simulate_records(loaded, until=12.5)[-2:] == [
        asset(12.5, "suw", "down", "needs:power"),
        service(12.5, "centrum", "water", 1000),
    ]
    assert simulate_records(loaded, until=12.4)[-1] == service(0.5, "centrum", "power", 1000)


# --- 3.3 buffers: recharge --------------------------------------------------------------


def test_battery_recharges_to_full_and_is_capped(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(
        grid_model("{kind: battery, hours: 4h}"),
        "duration: 24h\n"
        + injects(("1h", "damage: gpz"), ("2h", "repair: gpz"), ("5h", "damage: gpz")),
    )
    # 1: the battery (4 h) starts draining.   2: power back with 4 - 1 = 3 h left.
    # Recharge 0.5 h per hour (battery default): full at 2 + (4 - 3) / 0.5 = 4; it stays at
    # 4 h (capped) until 5.   5: power lost again with a full battery: empty at 5 + 4 = 9.
    assert simulate_records(loaded) == [
        asset(1.0, "consumer", "backup"),
        asset(1.0, "gpz", "down", "damaged"),
        service(1.0, "centrum", "power", 1000),
        asset(2.0, "consumer", "up"),
        asset(2.0, "gpz", "up"),
        service(2.0, "centrum", "power", 0),
        asset(5.0, "consumer", "backup"),
        asset(5.0, "gpz", "down", "damaged"),
        service(5.0, "centrum", "power", 1000),
        asset(9.0, "consumer", "down", "needs:power"),
        service(9.0, "centrum", "telecom", 1000),
    ]
    # At 3 the battery holds 3 + 0.5 x 1 = 3.5 h and is recharging; at 4.5 it is capped at 4.
    assert buffer_at(loaded, "consumer", 3.0) == (3.5, "recharging", None)
    assert buffer_at(loaded, "consumer", 4.5) == (4.0, "recharging", None)


def test_battery_partly_recharged(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(
        grid_model("{kind: battery, hours: 4h}"),
        "duration: 24h\n"
        + injects(("1h", "damage: gpz"), ("2h", "repair: gpz"), ("3h", "damage: gpz")),
    )
    # 1 -> 2 drains 1 h: 3 h left.  2 -> 3 recharges 0.5 x 1 = 0.5 h: 3.5 h left at 3.
    # Empty at 3 + 3.5 = 6.5.
    assert simulate_records(loaded) == [
        asset(1.0, "consumer", "backup"),
        asset(1.0, "gpz", "down", "damaged"),
        service(1.0, "centrum", "power", 1000),
        asset(2.0, "consumer", "up"),
        asset(2.0, "gpz", "up"),
        service(2.0, "centrum", "power", 0),
        asset(3.0, "consumer", "backup"),
        asset(3.0, "gpz", "down", "damaged"),
        service(3.0, "centrum", "power", 1000),
        asset(6.5, "consumer", "down", "needs:power"),
        service(6.5, "centrum", "telecom", 1000),
    ]
    assert buffer_at(loaded, "consumer", 5.0) == (1.5, "draining", 6.5)


def test_custom_recharge_rate(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(
        grid_model("{kind: battery, hours: 4h, recharge: 2}"),
        "duration: 24h\n"
        + injects(("1h", "damage: gpz"), ("3h", "repair: gpz"), ("3h30m", "damage: gpz")),
    )
    # 1 -> 3 drains 2 h: 2 h left.  3 -> 3.5 recharges 2 x 0.5 = 1 h: 3 h left.
    # Empty at 3.5 + 3 = 6.5.
    assert simulate_records(loaded) == [
        asset(1.0, "consumer", "backup"),
        asset(1.0, "gpz", "down", "damaged"),
        service(1.0, "centrum", "power", 1000),
        asset(3.0, "consumer", "up"),
        asset(3.0, "gpz", "up"),
        service(3.0, "centrum", "power", 0),
        asset(3.5, "consumer", "backup"),
        asset(3.5, "gpz", "down", "damaged"),
        service(3.5, "centrum", "power", 1000),
        asset(6.5, "consumer", "down", "needs:power"),
        service(6.5, "centrum", "telecom", 1000),
    ]
    assert buffer_at(loaded, "consumer", 3.25) == (2.5, "recharging", None)


def test_default_recharge_of_storage_and_manual_is_one(write_scenario: WriteScenario) -> None:
    for kind in ("storage", "manual"):
        loaded = write_scenario(
            grid_model(f"{{kind: {kind}, hours: 4h}}"),
            "duration: 24h\n"
            + injects(("1h", "damage: gpz"), ("3h", "repair: gpz"), ("3h30m", "damage: gpz")),
        )
        # 1 -> 3 drains to 2 h; 3 -> 3.5 recharges 1 x 0.5: 2.5 h left; empty at 6.
        assert simulate_records(loaded)[-2:] == [
            asset(6.0, "consumer", "down", "needs:power"),
            service(6.0, "centrum", "telecom", 1000),
        ], kind


def test_buffer_refills_after_it_ran_out(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(
        grid_model("{kind: battery, hours: 2h}"),
        "duration: 24h\n"
        + injects(("1h", "damage: gpz"), ("5h", "repair: gpz"), ("7h", "damage: gpz")),
    )
    # 1: on battery; empty at 1 + 2 = 3: down.  5: power back, up, the battery refills from
    # 0 at 0.5/h: 1 h at 7.  7: power lost again: empty at 7 + 1 = 8.
    assert simulate_records(loaded) == [
        asset(1.0, "consumer", "backup"),
        asset(1.0, "gpz", "down", "damaged"),
        service(1.0, "centrum", "power", 1000),
        asset(3.0, "consumer", "down", "needs:power"),
        service(3.0, "centrum", "telecom", 1000),
        asset(5.0, "consumer", "up"),
        asset(5.0, "gpz", "up"),
        service(5.0, "centrum", "power", 0),
        service(5.0, "centrum", "telecom", 0),
        asset(7.0, "consumer", "backup"),
        asset(7.0, "gpz", "down", "damaged"),
        service(7.0, "centrum", "power", 1000),
        asset(8.0, "consumer", "down", "needs:power"),
        service(8.0, "centrum", "telecom", 1000),
    ]


# --- 3.3 buffers: frozen while down -------------------------------------------------------


def test_buffer_frozen_while_asset_is_down_for_another_reason(
    write_scenario: WriteScenario,
) -> None:
    loaded = write_scenario(
        grid_model("{kind: battery, hours: 4h}"),
        "duration: 24h\n"
        + injects(
            ("1h", "damage: gpz"),
            ("2h", "damage: consumer"),
            ("5h", "repair: gpz"),
            ("6h", "damage: gpz"),
            ("8h", "repair: consumer"),
        ),
    )
    # 1: on battery, 4 h.  2: the base station itself is damaged with 3 h left.  From 2 to 8
    # it is down: the battery neither drains (no supply 2-5 and 6-8) nor recharges (supply
    # 5-6), so it still holds 3 h at 8, when the repair puts it back on battery: empty at
    # 8 + 3 = 11.  (Had it drained while down, it would be empty by 5 and stay down at 8;
    # had it recharged 5-6, it would last until 11.5.)
    assert simulate_records(loaded) == [
        asset(1.0, "consumer", "backup"),
        asset(1.0, "gpz", "down", "damaged"),
        service(1.0, "centrum", "power", 1000),
        asset(2.0, "consumer", "down", "damaged"),
        service(2.0, "centrum", "telecom", 1000),
        asset(5.0, "gpz", "up"),
        service(5.0, "centrum", "power", 0),
        asset(6.0, "gpz", "down", "damaged"),
        service(6.0, "centrum", "power", 1000),
        asset(8.0, "consumer", "backup"),
        service(8.0, "centrum", "telecom", 0),
        asset(11.0, "consumer", "down", "needs:power"),
        service(11.0, "centrum", "telecom", 1000),
    ]
    assert buffer_at(loaded, "consumer", 5.5) == (3.0, "idle", None)
    assert buffer_at(loaded, "consumer", 9.0) == (2.0, "draining", 11.0)


def test_buffer_frozen_while_a_different_need_is_unmet(write_scenario: WriteScenario) -> None:
    model = """\
        assets:
          - {id: gpz, type: substation, provides: [power]}
          - {id: core, type: network, provides: [data]}
          - id: scada
            type: scada
            needs:
              power: {from: [gpz], buffer: {kind: battery, hours: 4h}}
              data: {from: [core]}
    """
    loaded = write_scenario(
        model,
        "duration: 24h\n"
        + injects(("1h", "damage: gpz"), ("2h", "damage: core"), ("6h", "repair: core")),
    )
    # 1: on battery.  2: no data (no buffer): down with 3 h of battery left; the unmet data
    # need is the only cause (power is still met by the battery).  2-6 frozen.  6: data back,
    # on battery again with 3 h: empty at 9.
    assert simulate_records(loaded) == [
        asset(1.0, "gpz", "down", "damaged"),
        asset(1.0, "scada", "backup"),
        asset(2.0, "core", "down", "damaged"),
        asset(2.0, "scada", "down", "needs:data"),
        asset(6.0, "core", "up"),
        asset(6.0, "scada", "backup"),
        asset(9.0, "scada", "down", "needs:power"),
    ]


# --- 3.2 k-of-n redundancy ----------------------------------------------------------------


K_OF_N_MODEL = """\
    assets:
      - {id: f1, type: mv_line, provides: [power]}
      - {id: f2, type: mv_line, provides: [power]}
      - {id: f3, type: mv_line, provides: [power]}
      - id: station
        type: water_treatment
        needs:
          power: {from: [f1, f2, f3], k: 2}
      - id: pump
        type: booster_pump
        needs:
          power: {from: [f1, f2], k: 1}
"""


def test_k_of_n_redundancy(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(
        K_OF_N_MODEL,
        "duration: 10h\n"
        + injects(
            ("1h", "damage: f1"),
            ("2h", "damage: f2"),
            ("3h", "repair: f1"),
            ("4h", "damage: f3"),
        ),
    )
    # 1: f1 lost: station has 2 of 3 (k = 2), pump 1 of 2 (k = 1): both stay up.
    # 2: f2 lost too: station 1 of 3 < 2 and pump 0 of 2 < 1: both down.
    # 3: f1 back: station 2 of 3, pump 1 of 2: both up again.
    # 4: f3 lost: station 1 of 3: down; pump still has f1: up.
    assert simulate_records(loaded) == [
        asset(1.0, "f1", "down", "damaged"),
        asset(2.0, "f2", "down", "damaged"),
        asset(2.0, "pump", "down", "needs:power"),
        asset(2.0, "station", "down", "needs:power"),
        asset(3.0, "f1", "up"),
        asset(3.0, "pump", "up"),
        asset(3.0, "station", "up"),
        asset(4.0, "f3", "down", "damaged"),
        asset(4.0, "station", "down", "needs:power"),
    ]


def test_k_of_n_with_buffer_runs_on_backup_below_k(write_scenario: WriteScenario) -> None:
    model = """\
        assets:
          - {id: f1, type: mv_line, provides: [power]}
          - {id: f2, type: mv_line, provides: [power]}
          - id: hospital
            type: hospital
            needs:
              power: {from: [f1, f2], k: 2, buffer: {kind: generator, hours: 3h}}
    """
    loaded = write_scenario(model, "duration: 10h\n" + injects(("1h", "damage: f2")))
    # 1: 1 of 2 < k = 2: not supplied, but met by the generator: backup; empty at 1 + 3 = 4.
    assert simulate_records(loaded) == [
        asset(1.0, "f2", "down", "damaged"),
        asset(1.0, "hospital", "backup"),
        asset(4.0, "hospital", "down", "needs:power"),
    ]


# --- 3.2 grounded supply: no black start, cycles, islands ----------------------------------


NO_BLACK_START_MODEL = """\
    assets:
      - id: gen
        type: power_plant
        provides: [power]
        needs:
          control: {from: [scada]}
      - id: scada
        type: scada
        provides: [control]
        needs:
          power: {from: [gen]}
      - {id: well, type: well, provides: [water]}
"""


def test_no_black_start_both_down_at_t0(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(NO_BLACK_START_MODEL, "duration: 5h\n")
    # The least fixed point from nothing available: gen waits for scada, scada for gen.
    # Both are down at t = 0, each for want of the other; the well (a source) is up.
    assert simulate_records(loaded) == [
        asset(0.0, "gen", "down", "needs:control"),
        asset(0.0, "scada", "down", "needs:power"),
    ]


def test_validate_warns_about_each_asset_down_at_start(
    scenario_files: ScenarioFiles, capsys: pytest.CaptureFixture[str]
) -> None:
    model_path, _ = scenario_files(NO_BLACK_START_MODEL, "duration: 5h\n")
    assert main(["validate", str(model_path)]) == 0
    out = capsys.readouterr().out
    warnings = [line for line in out.splitlines() if "warning" in line]
    assert len(warnings) == 2, out
    assert "'gen'" in warnings[0]
    assert "'scada'" in warnings[1]
    assert all(line.startswith(str(model_path) + ":") for line in warnings)
    assert "'well'" not in out


CYCLE_WITH_BUFFER_MODEL = """\
    assets:
      - {id: gpz, type: substation, provides: [power]}
      - id: ctrl
        type: scada
        provides: [control]
        needs:
          power: {from: [gpz], buffer: {kind: battery, hours: 3h}}
          cooling: {from: [chiller], buffer: {kind: storage, hours: 2h}}
      - id: chiller
        type: hvac
        provides: [cooling]
        needs:
          control: {from: [ctrl]}
"""


def test_cycle_with_buffer_starts_and_drains_after_source_lost(
    write_scenario: WriteScenario,
) -> None:
    loaded = write_scenario(
        CYCLE_WITH_BUFFER_MODEL,
        "duration: 10h\n" + injects(("1h", "damage: gpz"), ("6h", "repair: gpz")),
    )
    # t = 0: ctrl's cooling storage starts it (black start through a live buffer), chiller
    # follows, and then ctrl's cooling is supplied by chiller: everything up, nothing reported.
    # 1: gpz lost: ctrl on battery (3 h); chiller still up.
    # 1 + 3 = 4: battery empty: ctrl down (needs:power) and with it chiller (needs:control).
    #    ctrl's cooling storage still holds 2 h, so cooling is met: not among its causes.
    # 6: power back: ctrl restarts on its cooling storage, chiller follows, both up.
    assert simulate_records(loaded) == [
        asset(1.0, "ctrl", "backup"),
        asset(1.0, "gpz", "down", "damaged"),
        asset(4.0, "chiller", "down", "needs:control"),
        asset(4.0, "ctrl", "down", "needs:power"),
        asset(6.0, "chiller", "up"),
        asset(6.0, "ctrl", "up"),
        asset(6.0, "gpz", "up"),
    ]


def test_same_cycle_without_the_buffer_cannot_start(write_scenario: WriteScenario) -> None:
    model = CYCLE_WITH_BUFFER_MODEL.replace(", buffer: {kind: storage, hours: 2h}", "")
    loaded = write_scenario(model, "duration: 10h\n")
    # Without the cooling storage ctrl and chiller wait for each other: down at t = 0.
    assert simulate_records(loaded) == [
        asset(0.0, "chiller", "down", "needs:control"),
        asset(0.0, "ctrl", "down", "needs:cooling"),
    ]


RING_MODEL = """\
    districts:
      - {id: osiedle, population: 100}
    assets:
      - {id: gpz, type: substation, provides: [power]}
      - id: l1
        type: mv_line
        provides: [power]
        needs: {power: {from: [gpz, l2, l4]}}
        serves: {osiedle: 0.25}
      - id: l2
        type: mv_line
        provides: [power]
        needs: {power: {from: [l1, l3]}}
        serves: {osiedle: 0.25}
      - id: l3
        type: mv_line
        provides: [power]
        needs: {power: {from: [l2, l4]}}
        serves: {osiedle: 0.25}
      - id: l4
        type: mv_line
        provides: [power]
        needs: {power: {from: [l3, l1]}}
        serves: {osiedle: 0.25}
"""


def test_island_of_a_ring_goes_down_with_its_source(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(
        RING_MODEL,
        "duration: 10h\n"
        + injects(("1h", "damage: gpz"), ("2h", "repair: gpz"), ("3h", "damage: l2")),
    )
    # The ring l1-l2-l3-l4 is fed only through l1 from gpz.  Every line still has an
    # available neighbour after gpz is lost, so "everyone keeps everyone up" is a fixed point
    # too, but not the least one: the island has no grounded supply and all four lines go
    # down at 1 together, taking 4 x 0.25 x 100 = 100 residents off power.
    # 2: gpz back: the ring grows back from l1.   3: l2 lost: l3 is still fed through l4;
    #    only l2's quarter is without power (25).
    assert simulate_records(loaded) == [
        asset(1.0, "gpz", "down", "damaged"),
        asset(1.0, "l1", "down", "needs:power"),
        asset(1.0, "l2", "down", "needs:power"),
        asset(1.0, "l3", "down", "needs:power"),
        asset(1.0, "l4", "down", "needs:power"),
        service(1.0, "osiedle", "power", 100),
        asset(2.0, "gpz", "up"),
        asset(2.0, "l1", "up"),
        asset(2.0, "l2", "up"),
        asset(2.0, "l3", "up"),
        asset(2.0, "l4", "up"),
        service(2.0, "osiedle", "power", 0),
        asset(3.0, "l2", "down", "damaged"),
        service(3.0, "osiedle", "power", 25),
    ]


def test_cycle_whose_only_buffer_is_inside_it_keeps_itself_up(
    write_scenario: WriteScenario,
) -> None:
    """Documents the literal reading of 3.2: a need supplied by an available provider does
    not drain its buffer, even if that provider is available only thanks to the buffer.

    A power plant (with a cooling-water tank) powers the pump that supplies its cooling
    water; the grid is a second feed of the pump.  Once the grid is lost the plant and the
    pump sustain each other as an island: supply traces back to the plant's live tank,
    and the tank never drains because the plant's cooling need is supplied by the pump.
    """
    model = """\
        assets:
          - {id: grid, type: substation, provides: [power]}
          - id: plant
            type: power_plant
            provides: [power]
            needs:
              water: {from: [pump], buffer: {kind: storage, hours: 2h}}
          - id: pump
            type: booster_pump
            provides: [water]
            needs:
              power: {from: [grid, plant]}
    """
    loaded = write_scenario(model, "duration: 10h\n" + injects(("1h", "damage: grid")))
    assert simulate_records(loaded) == [asset(1.0, "grid", "down", "damaged")]


# --- 4 zones --------------------------------------------------------------------------------


def test_damage_zone_damages_exactly_the_assets_in_the_zone(
    write_scenario: WriteScenario,
) -> None:
    model = """\
        assets:
          - {id: a, type: substation, provides: [power], zones: [flood]}
          - {id: b, type: substation, provides: [power], zones: [flood, storm]}
          - {id: c, type: substation, provides: [power], zones: [storm]}
          - {id: d, type: substation, provides: [power]}
          - id: e
            type: well
            needs: {power: {from: [a, d]}}
    """
    loaded = write_scenario(
        model,
        "duration: 10h\n"
        + injects(("1h", "damage_zone: flood"), ("2h", "damage_zone: storm"), ("3h", "damage: d")),
    )
    # 1: flood: a and b (not c, d; e is outside any zone and still fed by d).
    # 2: storm: c; b is already damaged (no change).   3: d lost: e loses its last feed.
    assert simulate_records(loaded) == [
        asset(1.0, "a", "down", "damaged"),
        asset(1.0, "b", "down", "damaged"),
        asset(2.0, "c", "down", "damaged"),
        asset(3.0, "d", "down", "damaged"),
        asset(3.0, "e", "down", "needs:power"),
    ]


# --- 3.1 states and causes ------------------------------------------------------------------


CAUSES_MODEL = """\
    assets:
      - {id: src, type: substation, provides: [power]}
      - id: x
        type: scada
        provides: [control]
        needs: {power: {from: [src]}}
        cyber: {exposure: internet}
"""


def test_causes_are_sorted_and_cause_changes_are_reported(
    write_scenario: WriteScenario,
) -> None:
    loaded = write_scenario(
        CAUSES_MODEL,
        "duration: 10h\n"
        + injects(
            ("1h", "damage: x"),
            ("2h", "damage: src"),
            ("3h", "compromise: x"),
            ("4h", "isolate: x"),
            ("5h", "repair: src"),
            ("6h", "repair: x"),
            ("7h", "reconnect: x"),
            ("8h", "restore: x"),
        ),
    )
    # x stays down from 1 to 8; every change of its causes is reported, sorted
    # (compromised < damaged < isolated < needs:*), even though its state does not change.
    assert simulate_records(loaded) == [
        asset(1.0, "x", "down", "damaged"),
        asset(2.0, "src", "down", "damaged"),
        asset(2.0, "x", "down", "damaged", "needs:power"),
        asset(3.0, "x", "down", "compromised", "damaged", "needs:power"),
        asset(4.0, "x", "down", "compromised", "damaged", "isolated", "needs:power"),
        asset(5.0, "src", "up"),
        asset(5.0, "x", "down", "compromised", "damaged", "isolated"),
        asset(6.0, "x", "down", "compromised", "isolated"),
        asset(7.0, "x", "down", "compromised"),
        asset(8.0, "x", "up"),
    ]


def test_unmet_needs_are_listed_by_service(write_scenario: WriteScenario) -> None:
    model = """\
        assets:
          - {id: src, type: substation, provides: [power, water, data]}
          - id: x
            type: hospital
            needs:
              water: {from: [src]}
              power: {from: [src]}
              data: {from: [src]}
    """
    loaded = write_scenario(model, "duration: 2h\n" + injects(("1h", "damage: src")))
    assert simulate_records(loaded) == [
        asset(1.0, "src", "down", "damaged"),
        asset(1.0, "x", "down", "needs:data", "needs:power", "needs:water"),
    ]


# --- 3.4 recovery: isolate / reconnect, effects that change nothing -------------------------


ISOLATION_MODEL = """\
    assets:
      - {id: fw, type: network, provides: [data]}
      - id: app
        type: server
        needs: {data: {from: [fw]}}
"""


def test_isolate_and_reconnect(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(
        ISOLATION_MODEL,
        "duration: 10h\n"
        + injects(
            ("1h", "isolate: fw"),
            ("2h", "isolate: fw"),
            ("3h", "reconnect: fw"),
            ("4h", "reconnect: fw"),
        ),
    )
    # 1: isolated: down, and app loses its data.  2: isolating again changes nothing.
    # 3: reconnect: both back at that instant.  4: reconnecting again changes nothing.
    assert simulate_records(loaded) == [
        asset(1.0, "app", "down", "needs:data"),
        asset(1.0, "fw", "down", "isolated"),
        asset(3.0, "app", "up"),
        asset(3.0, "fw", "up"),
    ]


def test_effects_on_assets_without_the_cause_change_nothing(
    write_scenario: WriteScenario,
) -> None:
    model = """\
        assets:
          - {id: x, type: scada, provides: [control], cyber: {exposure: internal}}
    """
    loaded = write_scenario(
        model,
        "duration: 10h\n"
        + injects(("1h", "repair: x"), ("2h", "restore: x"), ("3h", "reconnect: x")),
    )
    assert simulate_records(loaded) == []


def test_repair_does_not_clear_other_causes(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(
        CAUSES_MODEL,
        "duration: 10h\n"
        + injects(("1h", "compromise: x"), ("2h", "repair: x"), ("3h", "reconnect: x")),
    )
    # x is compromised, not damaged or isolated: repair and reconnect change nothing.
    assert simulate_records(loaded) == [asset(1.0, "x", "down", "compromised")]


# --- 3.5 same-instant semantics -------------------------------------------------------------


def test_damage_and_repair_in_one_inject_cancel(write_scenario: WriteScenario) -> None:
    scenario = """\
        duration: 24h
        injects:
          - id: I-01
            at: 1h
            effects:
              - damage: [gpz]
              - repair: [gpz]
    """
    loaded = write_scenario(GENERATOR_MODEL, scenario)
    # Effects apply before availability is recomputed: the net change at 1 is none.
    assert simulate_records(loaded) == []


def test_effects_of_one_instant_apply_in_file_order(write_scenario: WriteScenario) -> None:
    scenario = """\
        duration: 24h
        injects:
          - id: I-01
            at: 1h
            effects:
              - repair: [gpz]
          - id: I-02
            at: 1h
            effects:
              - damage: [gpz]
    """
    loaded = write_scenario(GENERATOR_MODEL, scenario)
    # Repairing an undamaged gpz does nothing, then it is damaged: down at 1 (generator
    # empty at 1 + 12 = 13).
    assert simulate_records(loaded) == [
        asset(1.0, "gpz", "down", "damaged"),
        asset(1.0, "suw", "backup"),
        service(1.0, "centrum", "power", 1000),
        asset(13.0, "suw", "down", "needs:power"),
        service(13.0, "centrum", "water", 1000),
    ]


def test_repair_at_the_instant_a_generator_runs_out(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(
        GENERATOR_MODEL,
        "duration: 24h\n" + injects(("30m", "damage: gpz"), ("12h30m", "repair: gpz")),
    )
    # The generator empties at 0.5 + 12 = 12.5, the very instant power returns: supply
    # returned first, so the SUW goes from backup straight to up, never down.
    assert simulate_records(loaded) == [
        asset(0.5, "gpz", "down", "damaged"),
        asset(0.5, "suw", "backup"),
        service(0.5, "centrum", "power", 1000),
        asset(12.5, "gpz", "up"),
        asset(12.5, "suw", "up"),
        service(12.5, "centrum", "power", 0),
    ]
    # The tank does not refill (generator recharge 0): a second loss of power takes it
    # down at once.
    loaded = write_scenario(
        GENERATOR_MODEL,
        "duration: 24h\n"
        + injects(("30m", "damage: gpz"), ("12h30m", "repair: gpz"), ("20h", "damage: gpz")),
    )
    assert simulate_records(loaded)[-4:] == [
        asset(20.0, "gpz", "down", "damaged"),
        asset(20.0, "suw", "down", "needs:power"),
        service(20.0, "centrum", "power", 1000),
        service(20.0, "centrum", "water", 1000),
    ]


def test_damage_at_the_instant_a_buffer_runs_out(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(
        GENERATOR_MODEL,
        "duration: 24h\n" + injects(("30m", "damage: gpz"), ("12h30m", "damage: suw")),
    )
    # At 12.5 the generator is empty and the SUW is damaged: both causes hold.
    assert simulate_records(loaded)[-2:] == [
        asset(12.5, "suw", "down", "damaged", "needs:power"),
        service(12.5, "centrum", "water", 1000),
    ]


# --- 3.6 population without service ---------------------------------------------------------


POPULATION_MODEL = """\
    districts:
      - {id: d1, population: 5}
      - {id: d2, population: 7}
      - {id: d3, population: 10}
      - {id: d4, population: 1}
    assets:
      - {id: a, type: substation, provides: [power], serves: {d1: 0.5}}
      - {id: b, type: substation, provides: [power], serves: {d2: 0.3}}
      - {id: c, type: well, provides: [water], serves: {d3: 0.1}}
      - {id: e, type: well, provides: [water], serves: {d3: 0.2}}
      - {id: f, type: substation, provides: [power], serves: {d4: 0.5}}
"""


def test_population_without_service_rounds_halves_up(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(
        POPULATION_MODEL,
        "duration: 10h\n"
        + injects(
            ("1h", "damage: a"),
            ("2h", "damage: b"),
            ("3h", "damage: c"),
            ("4h", "damage: e"),
            ("5h", "damage: f"),
            ("6h", "repair: c"),
        ),
    )
    # 1: 5 x 0.5 = 2.5 -> 3 (halves up, not to even).   2: 7 x 0.3 = 2.1 -> 2.
    # 3: 10 x 0.1 = 1.   4: 10 x (0.1 + 0.2) = 3 (exactly, not 3.0000000000000004).
    # 5: 1 x 0.5 = 0.5 -> 1.   6: only e: 10 x 0.2 = 2.
    assert simulate_records(loaded) == [
        asset(1.0, "a", "down", "damaged"),
        service(1.0, "d1", "power", 3),
        asset(2.0, "b", "down", "damaged"),
        service(2.0, "d2", "power", 2),
        asset(3.0, "c", "down", "damaged"),
        service(3.0, "d3", "water", 1),
        asset(4.0, "e", "down", "damaged"),
        service(4.0, "d3", "water", 3),
        asset(5.0, "f", "down", "damaged"),
        service(5.0, "d4", "power", 1),
        asset(6.0, "c", "up"),
        service(6.0, "d3", "water", 2),
    ]


def test_population_figures_per_service_and_district(write_scenario: WriteScenario) -> None:
    model = """\
        districts:
          - {id: north, population: 400}
          - {id: south, population: 301}
        assets:
          - id: plant
            type: chp
            provides: [power, heat]
            serves: {north: 0.5, south: 0.5}
          - {id: boiler, type: boiler_house, provides: [heat], serves: {south: 0.5}}
    """
    loaded = write_scenario(
        model, "duration: 10h\n" + injects(("1h", "damage: plant"), ("2h", "damage: boiler"))
    )
    # 1: the CHP serves half of each district with power and heat: north 200,
    #    south 301 x 0.5 = 150.5 -> 151 for each of its two services.
    # 2: south heat: (0.5 + 0.5) x 301 = 301.
    assert simulate_records(loaded) == [
        asset(1.0, "plant", "down", "damaged"),
        service(1.0, "north", "heat", 200),
        service(1.0, "north", "power", 200),
        service(1.0, "south", "heat", 151),
        service(1.0, "south", "power", 151),
        asset(2.0, "boiler", "down", "damaged"),
        service(2.0, "south", "heat", 301),
    ]


def test_assets_on_backup_still_serve(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(
        grid_model("{kind: battery, hours: 4h}"),
        "duration: 24h\n" + injects(("1h", "damage: gpz")),
    )
    records = simulate_records(loaded)
    # While the base station is on battery (1 to 5) nobody is without telecom.
    assert [r for r in records if r.get("service") == "telecom"] == [
        service(5.0, "centrum", "telecom", 1000)
    ]


# --- 5 reporting at t = 0 and afterwards ----------------------------------------------------


def test_t0_reports_everything_not_up_then_only_changes(write_scenario: WriteScenario) -> None:
    model = """\
        districts:
          - {id: wies, population: 80}
        assets:
          - {id: gpz, type: substation, provides: [power], serves: {wies: 0.5}}
          - {id: gpz2, type: substation, provides: [power], serves: {wies: 0.25}}
          - id: bts
            type: bts
            provides: [telecom]
            needs: {power: {from: [gpz], buffer: {kind: battery, hours: 2h}}}
            serves: {wies: 1.0}
          - id: orphan
            type: well
            provides: [water]
            needs: {control: {from: [plc]}}
            serves: {wies: 0.5}
          - id: plc
            type: plc
            provides: [control]
            needs: {water: {from: [orphan]}}
    """
    loaded = write_scenario(
        model,
        "duration: 10h\n"
        + injects(("0h", "damage: gpz"), ("1h", "damage: gpz2"), ("3h", "repair: gpz")),
    )
    # t = 0: orphan and plc have no grounded supply (down); the inject at 0 damages gpz and
    # puts bts on battery.  Reported: every asset not up (bts, gpz, orphan, plc) and every
    # figure above 0: power 80 x 0.5 = 40, water 80 x 0.5 = 40; telecom is 0 (backup serves).
    # 1: gpz2 lost: power 80 x 0.75 = 60.   2: battery empty: telecom 80.
    # 3: gpz repaired: bts up again, power 80 x 0.25 = 20, telecom 0.
    assert simulate_records(loaded) == [
        asset(0.0, "bts", "backup"),
        asset(0.0, "gpz", "down", "damaged"),
        asset(0.0, "orphan", "down", "needs:control"),
        asset(0.0, "plc", "down", "needs:water"),
        service(0.0, "wies", "power", 40),
        service(0.0, "wies", "water", 40),
        asset(1.0, "gpz2", "down", "damaged"),
        service(1.0, "wies", "power", 60),
        asset(2.0, "bts", "down", "needs:power"),
        service(2.0, "wies", "telecom", 80),
        asset(3.0, "bts", "up"),
        asset(3.0, "gpz", "up"),
        service(3.0, "wies", "power", 20),
        service(3.0, "wies", "telecom", 0),
    ]


def test_effects_at_t0_that_change_nothing_net_report_nothing(
    write_scenario: WriteScenario,
) -> None:
    scenario = """\
        duration: 2h
        injects:
          - id: I-01
            at: 0
            effects:
              - damage: [gpz]
              - repair: [gpz]
    """
    loaded = write_scenario(GENERATOR_MODEL, scenario)
    assert simulate_records(loaded) == []


# --- 3.7 cyber spread -----------------------------------------------------------------------


SPREAD_MODEL = """\
    assets:
      - {id: a, type: server, provides: [data], cyber: {exposure: internet}}
      - {id: b, type: server, provides: [data], cyber: {exposure: internal}}
      - {id: c, type: server, provides: [data], cyber: {exposure: internal}}
      - {id: d, type: server, provides: [data], cyber: {exposure: none}}
      - {id: e, type: server, provides: [data]}
      - {id: f, type: server, provides: [data], cyber: {exposure: internal}}
    cyber_links:
      - [a, b]
      - [b, c]
      - [a, d]
      - [e, a]
      - [c, f]
"""


def spread(at: str, target: str, every: str, probability: float) -> tuple[str, str]:
    return at, f"{{compromise: {target}, spread: {{every: {every}, probability: {probability}}}}}"


def test_spread_with_probability_one_is_a_deterministic_chain(
    write_scenario: WriteScenario,
) -> None:
    loaded = write_scenario(
        SPREAD_MODEL,
        "duration: 12h\n"
        + injects(
            ("30m", "isolate: f"),
            spread("1h", "a", "2h", 1),
            ("8h", "reconnect: f"),
        ),
    )
    # a at 1 tries every 2 h: at 3 it takes b (d has exposure none, e is no cyber asset).
    # b tries from 3 every 2 h: at 5 it takes c.  c tries from 5: at 7 f is isolated (no
    # try); f is reconnected at 8; at 9 c takes f.  f's own tries (11) find nobody left.
    assert simulate_records(loaded) == [
        asset(0.5, "f", "down", "isolated"),
        asset(1.0, "a", "down", "compromised"),
        asset(3.0, "b", "down", "compromised"),
        asset(5.0, "c", "down", "compromised"),
        asset(8.0, "f", "up"),
        asset(9.0, "f", "down", "compromised"),
    ]


def test_spread_with_probability_zero_never_spreads(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(SPREAD_MODEL, "duration: 48h\n" + injects(spread("1h", "a", "1h", 0)))
    assert simulate_records(loaded) == [asset(1.0, "a", "down", "compromised")]


def test_compromise_without_spread_does_not_spread(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(SPREAD_MODEL, "duration: 48h\n" + injects(("1h", "compromise: a")))
    assert simulate_records(loaded) == [asset(1.0, "a", "down", "compromised")]


def test_isolating_the_source_stops_its_spread(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(
        SPREAD_MODEL,
        "duration: 6h\n" + injects(spread("1h", "a", "2h", 1), ("2h", "isolate: a")),
    )
    # a is isolated before its first try (3): b is never compromised.
    assert simulate_records(loaded) == [
        asset(1.0, "a", "down", "compromised"),
        asset(2.0, "a", "down", "compromised", "isolated"),
    ]


def test_reconnected_source_resumes_on_its_schedule(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(
        SPREAD_MODEL,
        "duration: 6h\n"
        + injects(spread("1h", "a", "2h", 1), ("2h", "isolate: a"), ("4h", "reconnect: a")),
    )
    # The try at 3 is skipped (isolated); reconnected at 4, a tries again at 1 + 2 x 2 = 5.
    assert simulate_records(loaded) == [
        asset(1.0, "a", "down", "compromised"),
        asset(2.0, "a", "down", "compromised", "isolated"),
        asset(4.0, "a", "down", "compromised"),
        asset(5.0, "b", "down", "compromised"),
    ]


def test_restore_before_the_first_try_ends_the_spread(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(
        SPREAD_MODEL,
        "duration: 12h\n" + injects(spread("1h", "a", "2h", 1), ("2h", "restore: a")),
    )
    assert simulate_records(loaded) == [
        asset(1.0, "a", "down", "compromised"),
        asset(2.0, "a", "up"),
    ]


def test_new_compromise_after_restore_starts_a_new_schedule(
    write_scenario: WriteScenario,
) -> None:
    loaded = write_scenario(
        SPREAD_MODEL,
        "duration: 7h\n"
        + injects(
            spread("1h", "a", "2h", 1),
            ("2h", "restore: a"),
            spread("2h30m", "a", "2h", 1),
        ),
    )
    # The old schedule (tries at 3, 5, ...) ended at 2; the new one tries at 2.5 + 2 = 4.5
    # (b), and b at 4.5 + 2 = 6.5 (c).
    assert simulate_records(loaded) == [
        asset(1.0, "a", "down", "compromised"),
        asset(2.0, "a", "up"),
        asset(2.5, "a", "down", "compromised"),
        asset(4.5, "b", "down", "compromised"),
        asset(6.5, "c", "down", "compromised"),
    ]


def test_spread_tries_come_after_the_effects_of_their_instant(
    write_scenario: WriteScenario,
) -> None:
    loaded = write_scenario(
        SPREAD_MODEL,
        "duration: 6h\n"
        + injects(spread("1h", "a", "2h", 1), ("3h", "isolate: b"), ("4h", "reconnect: b")),
    )
    # At 3 the isolation of b comes first, so a's try at 3 skips it; a takes b at 5.
    assert simulate_records(loaded) == [
        asset(1.0, "a", "down", "compromised"),
        asset(3.0, "b", "down", "isolated"),
        asset(4.0, "b", "up"),
        asset(5.0, "b", "down", "compromised"),
    ]


def test_compromised_asset_spreads_even_while_damaged(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(
        SPREAD_MODEL,
        "duration: 4h\n" + injects(("30m", "damage: a"), spread("1h", "a", "2h", 1)),
    )
    # Only isolation stops spread (3.7); a damaged, compromised a still takes b at 3.
    assert simulate_records(loaded) == [
        asset(0.5, "a", "down", "damaged"),
        asset(1.0, "a", "down", "compromised", "damaged"),
        asset(3.0, "b", "down", "compromised"),
    ]


# --- 5 --until, determinism, ordering -------------------------------------------------------


def test_until_stops_records_and_includes_its_instant(
    write_scenario: WriteScenario,
    scenario_files: ScenarioFiles,
    capsys: pytest.CaptureFixture[str],
) -> None:
    scenario = "duration: 10h\n" + injects(
        ("1h", "damage: f1"), ("2h", "damage: f2"), ("3h", "repair: f1")
    )
    loaded = write_scenario(K_OF_N_MODEL, scenario)
    expected = [
        asset(1.0, "f1", "down", "damaged"),
        asset(2.0, "f2", "down", "damaged"),
        asset(2.0, "pump", "down", "needs:power"),
        asset(2.0, "station", "down", "needs:power"),
    ]
    assert simulate_records(loaded, until=2.0) == expected
    assert simulate_records(loaded, until=2.99)[-1]["t"] == 2.0
    assert len(simulate_records(loaded)) == 7
    _, scenario_path = scenario_files(K_OF_N_MODEL, scenario)
    assert main(["simulate", str(scenario_path), "--until", "2h", "--jsonl", "-"]) == 0
    out = capsys.readouterr().out
    assert [json.loads(line) for line in out.splitlines()] == expected


DETERMINISM_MODEL = """\
    assets:
      - {id: n1, type: server, provides: [data], cyber: {exposure: internet}}
      - {id: n2, type: server, provides: [data], cyber: {exposure: internal}}
      - {id: n3, type: server, provides: [data], cyber: {exposure: internal}}
      - {id: n4, type: server, provides: [data], cyber: {exposure: internal}}
      - {id: n5, type: server, provides: [data], cyber: {exposure: internal}}
      - id: app
        type: server
        needs: {data: {from: [n2, n3, n4, n5], k: 3}}
    cyber_links:
      - [n1, n2]
      - [n1, n3]
      - [n2, n4]
      - [n3, n4]
      - [n4, n5]
      - [n5, n1]
"""
DETERMINISM_SCENARIO = "duration: 24h\nseed: 7\n" + injects(
    spread("1h", "n1", "1h", 0.5),
    ("6h", "restore: n1"),
    spread("8h", "n5", "1h30m", 0.5),
)


def test_same_scenario_and_seed_give_identical_output(
    scenario_files: ScenarioFiles, capsys: pytest.CaptureFixture[str]
) -> None:
    _, scenario_path = scenario_files(DETERMINISM_MODEL, DETERMINISM_SCENARIO)
    first = list(jsonl_lines(run_scenario(load_scenario(scenario_path)).steps))
    second = list(jsonl_lines(run_scenario(load_scenario(scenario_path)).steps))
    assert first == second
    assert len(first) > 2  # something spread
    assert main(["simulate", str(scenario_path), "--jsonl", "-"]) == 0
    assert capsys.readouterr().out == "".join(line + "\n" for line in first)
    # --seed 7 is the scenario's own seed; other seeds are other draws.
    assert main(["simulate", str(scenario_path), "--seed", "7", "--jsonl", "-"]) == 0
    assert capsys.readouterr().out == "".join(line + "\n" for line in first)
    others = []
    for seed in range(8):
        assert main(["simulate", str(scenario_path), "--seed", str(seed), "--jsonl", "-"]) == 0
        others.append(capsys.readouterr().out)
    assert any(out != "".join(line + "\n" for line in first) for out in others)


def test_jsonl_line_format(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(GENERATOR_MODEL, "duration: 24h\n" + injects(("30m", "damage: gpz")))
    assert list(jsonl_lines(run_scenario(loaded).steps))[:3] == [
        '{"t": 0.5, "kind": "asset", "asset": "gpz", "state": "down", "causes": ["damaged"]}',
        '{"t": 0.5, "kind": "asset", "asset": "suw", "state": "backup", "causes": []}',
        '{"t": 0.5, "kind": "service", "district": "centrum", "service": "power", "without": 1000}',
    ]


def test_records_ordered_by_time_kind_and_id(write_scenario: WriteScenario) -> None:
    model = """\
        districts:
          - {id: zachod, population: 10}
          - {id: centrum, population: 10}
        assets:
          - {id: zz-gpz, type: substation, provides: [power], serves: {zachod: 1, centrum: 1}}
          - id: b-suw
            type: water_treatment
            provides: [water]
            needs: {power: {from: [zz-gpz]}}
            serves: {zachod: 1, centrum: 1}
          - id: a-bts
            type: bts
            provides: [telecom]
            needs: {power: {from: [zz-gpz]}}
            serves: {centrum: 1}
    """
    loaded = write_scenario(model, "duration: 2h\n" + injects(("1h", "damage: zz-gpz")))
    # Within an instant: assets by id, then services by district and service.
    assert simulate_records(loaded) == [
        asset(1.0, "a-bts", "down", "needs:power"),
        asset(1.0, "b-suw", "down", "needs:power"),
        asset(1.0, "zz-gpz", "down", "damaged"),
        service(1.0, "centrum", "power", 10),
        service(1.0, "centrum", "telecom", 10),
        service(1.0, "centrum", "water", 10),
        service(1.0, "zachod", "power", 10),
        service(1.0, "zachod", "water", 10),
    ]


def test_records_of_a_busy_scenario_are_sorted(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(DETERMINISM_MODEL, DETERMINISM_SCENARIO)
    records = simulate_records(loaded)

    def key(record: Record) -> tuple[float, int, str, str]:
        if record["kind"] == "asset":
            return record["t"], 0, record["asset"], ""
        return record["t"], 1, record["district"], record["service"]

    assert records == sorted(records, key=key)
    assert len({key(record) for record in records}) == len(records)


def test_spread_draws_in_order_of_source_then_target(write_scenario: WriteScenario) -> None:
    model = """\
        assets:
          - {id: a, type: server, cyber: {exposure: internal}}
          - {id: b, type: server, cyber: {exposure: internal}}
          - {id: c, type: server, cyber: {exposure: internal}}
          - {id: e, type: server, cyber: {exposure: internal}}
          - {id: f, type: server, cyber: {exposure: internal}}
        cyber_links:
          - [f, e]
          - [c, a]
          - [a, b]
    """

    # a and e, compromised together at 1, both try at 2, in the order (a, b), (a, c), (e, f).
    # This assumes what the engine documents: the generator is random.Random(seed) and a try
    # succeeds when random() < p.  Take a seed whose first three draws succeed, fail and
    # succeed at p = 0.5: then b and f fall, c does not.  Any other order of the tries
    # ((e, f) first, or c before b) would give a different set.
    def pattern(seed: int) -> list[bool]:
        rng = random.Random(seed)
        return [rng.random() < 0.5 for _ in range(3)]

    seed = next(s for s in range(1000) if pattern(s) == [True, False, True])
    scenario = f"duration: 2h\nseed: {seed}\n" + injects(spread("1h", "[a, e]", "1h", 0.5))
    loaded = write_scenario(model, scenario)
    assert simulate_records(loaded) == [
        asset(1.0, "a", "down", "compromised"),
        asset(1.0, "e", "down", "compromised"),
        asset(2.0, "b", "down", "compromised"),
        asset(2.0, "f", "down", "compromised"),
    ]
