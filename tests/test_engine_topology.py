"""The topology compiled once per model and shared by its engines (docs/engine.md).

Engines built on one model share its tables and first fixed point; each must still
behave exactly as an engine built alone, whatever the others did, and a changed copy
of a model must get a topology of its own.
"""

from __future__ import annotations

import gc
import weakref
from pathlib import Path
from typing import Any

from cybrelia.engine import topology
from cybrelia.engine.cascade import Engine, Step
from cybrelia.files import columns
from cybrelia.files.model import Buffer
from cybrelia.files.scenario import Effect
from cybrelia.files.validation import load_model
from cybrelia.headless.simulate import records

MODEL = Path(__file__).resolve().parent.parent / "infrastructure_models" / "gmina-przykladowa.yaml"


def _run(engine: Engine) -> list[dict[str, Any]]:
    """The records of a fixed sequence of effects on ``engine``, to 30 h."""
    steps: list[Step] = []
    engine.subscribe(steps.append)
    engine.schedule(1.0, [Effect(damage=["gpz-przykladowo"])])
    engine.schedule(20.0, [Effect(repair=["gpz-przykladowo"])])
    engine.advance_to(30.0)
    return list(records(steps))


def test_engines_on_one_model_share_its_topology_and_nothing_else() -> None:
    model = load_model(MODEL)
    first = Engine(model, seed=1)
    assert topology.topology(model) is topology.topology(model)
    first.apply([Effect(damage=["gpz-przykladowo"])])
    first.advance_to(10.0)  # mid-cascade: counts, availability and buffers have all moved
    assert first.status("gpz-przykladowo").state == "down"
    assert any(b.mode == "draining" for a in first.asset_ids for b in first.buffers(a))
    shared = _run(Engine(model, seed=1))  # built on the topology the first one uses
    topology._COMPILED.clear()  # an engine that compiles its own tables from scratch
    assert shared == _run(Engine(model, seed=1))
    assert first.status("gpz-przykladowo").state == "down"  # untouched by the others


def test_a_changed_copy_of_a_model_gets_its_own_topology() -> None:
    model = load_model(MODEL)
    asset = next(a for a in model.assets if a.id == "suw-przykladowo")
    bigger = {
        service: need.model_copy(
            update={"buffer": Buffer(kind="generator", hours=200.0, recharge=0.0)}
        )
        for service, need in asset.needs.items()
    }
    copy = model.model_copy(
        update={
            "assets": [
                a.model_copy(update={"needs": bigger}) if a.id == asset.id else a
                for a in model.assets
            ]
        }
    )
    engine = Engine(model, seed=1)
    changed = Engine(copy, seed=1)
    assert topology.topology(copy) is not topology.topology(model)
    hours = {b.service: b.hours for b in changed.buffers("suw-przykladowo")}
    assert hours and set(hours.values()) == {200.0}
    assert {b.hours for b in engine.buffers("suw-przykladowo")} != {200.0}


def test_a_model_no_longer_used_takes_its_topology_with_it() -> None:
    model = load_model(MODEL)
    Engine(model, seed=1).advance_to(1.0)
    key = id(model)
    assert key in topology._COMPILED
    del model
    gc.collect()
    assert key not in topology._COMPILED


def test_a_closed_engine_is_freed_without_the_cyclic_collector() -> None:
    # Mid-cascade, buffers are draining: their exhaustion events are pending on the clock,
    # which holds the engine in a reference cycle until the engine is closed.
    model = load_model(MODEL)
    engine = Engine(model, seed=1)
    engine.apply([Effect(damage=["gpz-przykladowo"])])
    engine.advance_to(2.0)
    assert any(b.mode == "draining" for a in engine.asset_ids for b in engine.buffers(a))
    gc.disable()
    try:
        pending = weakref.ref(engine)
        del engine
        kept = pending()
        assert kept is not None  # the cycle through the clock keeps it
        before = kept.status("gpz-przykladowo")
        kept.close()
        assert kept.status("gpz-przykladowo") == before  # still reads the last instant
        del kept
        assert pending() is None
    finally:
        gc.enable()


def test_the_loaders_columns_give_the_topology_a_model_made_in_code_gets() -> None:
    # The loader keeps the columns its checks made; a model without them has them built
    # from its assets.  Both must compile to the same tables, in a model whose file order
    # is not the order of the ids and with an asset that lists a service twice.
    model = load_model(MODEL)
    assert id(model) in columns._KEPT  # kept by the loader
    loaded = topology.Topology(model)
    assert id(model) not in columns._KEPT  # handed over
    shuffled = list(reversed(model.assets))
    first = shuffled[0].model_copy(update={"provides": [*shuffled[0].provides] * 2})
    made = model.model_copy(update={"assets": [first, *shuffled[1:]]})
    assert id(made) not in columns._KEPT
    built = topology.Topology(made)
    for name in topology.Topology.__slots__:
        assert getattr(built, name) == getattr(loaded, name), name
