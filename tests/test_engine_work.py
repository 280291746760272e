"""Work proportional to what changes: the engine's ``work`` counter (issue 10, item 4).

A change that alters nothing downstream must not make the engine look at everything
downstream.  The counter is a count of assets whose rule was read, not a timing, so these
tests are exact and do not depend on the machine.
"""

from __future__ import annotations

from typing import Any

from cybrelia.engine.cascade import Engine
from cybrelia.files.model import InfrastructureModel
from cybrelia.files.scenario import Effect

FEEDERS = 200


def two_substations(ring: int = 0) -> InfrastructureModel:
    """A main and a reserve substation; every feeder is fed by either; a school per feeder.

    With ``ring`` > 0, also a ring of MV lines that feed each other (a cyclic component), the
    first of them fed by both substations too.
    """
    assets: list[dict[str, Any]] = [
        {"id": "gpz-main", "type": "substation", "provides": ["power"]},
        {"id": "gpz-reserve", "type": "substation", "provides": ["power"]},
    ]
    for i in range(FEEDERS):
        assets.append(
            {
                "id": f"feeder-{i:03d}",
                "type": "mv_line",
                "provides": ["power"],
                "needs": {"power": {"from": ["gpz-main", "gpz-reserve"]}},
            }
        )
        assets.append(
            {
                "id": f"school-{i:03d}",
                "type": "school",
                "provides": ["shelter"],
                "needs": {"power": {"from": [f"feeder-{i:03d}"]}},
            }
        )
    for i in range(ring):
        feeds = [f"ring-{(i - 1) % ring:02d}"]
        if i == 0:
            feeds += ["gpz-main", "gpz-reserve"]
        assets.append(
            {
                "id": f"ring-{i:02d}",
                "type": "mv_line",
                "provides": ["power"],
                "needs": {"power": {"from": feeds}},
            }
        )
    return InfrastructureModel.model_validate(
        {"format": "cybrelia.infrastructure/1", "assets": assets}
    )


def damage(engine: Engine, asset_id: str) -> None:
    engine.apply([Effect.model_validate({"damage": [asset_id]})])


def test_losing_a_redundant_feed_examines_only_what_changes() -> None:
    engine = Engine(two_substations(), seed=0, debug=True)
    engine.advance_to(0.0)
    assert engine.work.examined == 2 * FEEDERS + 2  # the first instant looks at everything
    damage(engine, "gpz-reserve")
    # Only the reserve changed; every feeder is still fed by the main substation.
    assert engine.work.changed == 1
    assert engine.work.examined <= 2 * engine.work.changed


def test_losing_the_last_feed_examines_what_goes_down() -> None:
    engine = Engine(two_substations(), seed=0, debug=True)
    engine.advance_to(0.0)
    damage(engine, "gpz-reserve")
    damage(engine, "gpz-main")
    # Now everything goes down: the main substation, every feeder and every school.
    assert engine.work.changed == 1 + 2 * FEEDERS
    assert engine.work.examined == engine.work.changed


def test_a_cycle_is_re_derived_only_when_a_change_reaches_it() -> None:
    engine = Engine(two_substations(ring=8), seed=0, debug=True)
    engine.advance_to(0.0)
    damage(engine, "gpz-reserve")
    # The ring's first line lost one of its external providers: the ring (8 lines) is
    # re-derived from scratch, nothing else.
    assert engine.work.changed == 1
    assert engine.work.examined == 1 + 8
    damage(engine, "feeder-000")
    assert (engine.work.examined, engine.work.changed) == (2, 2)  # the feeder and its school
    damage(engine, "gpz-main")
    assert engine.status("ring-05").causes == ("needs:power",)
    assert engine.work.changed == 1 + 2 * (FEEDERS - 1) + 8
    # ... and feeder-000, already down, whose supply was lost too.
    assert engine.work.examined == engine.work.changed + 1


def test_buffers_that_empty_together_share_one_clock_event() -> None:
    # A substation feeding schools on batteries: 4 h for all but the last, which has 6 h.
    schools = [
        {
            "id": f"school-{i:03d}",
            "type": "school",
            "needs": {
                "power": {
                    "from": ["gpz"],
                    "buffer": {"kind": "battery", "hours": 6.0 if i == FEEDERS - 1 else 4.0},
                }
            },
        }
        for i in range(FEEDERS)
    ]
    model = InfrastructureModel.model_validate(
        {
            "format": "cybrelia.infrastructure/1",
            "assets": [{"id": "gpz", "type": "substation", "provides": ["power"]}, *schools],
        }
    )
    engine = Engine(model, seed=0, debug=True)
    engine.advance_to(0.0)
    damage(engine, "gpz")
    pending = sorted(entry[0] for entry in engine.env._queue if entry[0] > 0)
    assert pending == [4.0, 6.0]  # one event for the 199 buffers of 4 h, one for 6 h
    down: dict[float, int] = {}
    engine.subscribe(lambda step: down.update({step.t: len(step.assets)}))
    engine.advance_to(10.0)
    assert down == {4.0: FEEDERS - 1, 6.0: 1}
