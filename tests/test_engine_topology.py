"""The topology compiled once per model and shared by its engines (docs/engine.md).

Engines built on one model share its tables and first fixed point; each must still
behave exactly as an engine built alone, whatever the others did, and a changed copy
of a model must get a topology of its own.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cybrelia.engine import topology
from cybrelia.engine.cascade import EFFECT, Engine, Step
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
    assert model in topology._COMPILED
    kept = len(topology._COMPILED)
    del model
    gc.collect()
    assert len(topology._COMPILED) == kept - 1


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


def test_a_closed_engine_refuses_to_change_or_advance() -> None:
    # Closing drops the pending exhaustions: advancing afterwards would leave a generator
    # that ran dry on "backup" for ever, so every way to change or advance is refused.
    engine = Engine(load_model(MODEL), seed=1)
    engine.apply([Effect(damage=["gpz-przykladowo"])])
    engine.close()
    attempts: list[Callable[[], object]] = [
        lambda: engine.advance_to(5.0),
        lambda: engine.apply([Effect(repair=["gpz-przykladowo"])]),
        lambda: engine.act([Effect(repair=["gpz-przykladowo"])]),
        lambda: engine.schedule(3.0, [Effect(repair=["gpz-przykladowo"])]),
        lambda: engine.after(1.0, EFFECT, lambda _: None),
    ]
    for attempt in attempts:
        with pytest.raises(RuntimeError, match="closed"):
            attempt()


def test_a_loaded_model_whose_assets_changed_gets_columns_of_what_it_holds() -> None:
    # Models are not to change once loaded; if the list of assets does anyway, the kept
    # columns (positions in the old list) are not used: the topology is that of the
    # model as it is now, the same as a fresh model with those assets gets.
    model = load_model(MODEL)
    place, asset = next((n, a) for n, a in enumerate(model.assets) if a.id == "suw-przykladowo")
    bigger = {
        service: need.model_copy(
            update={"buffer": Buffer(kind="generator", hours=200.0, recharge=0.0)}
        )
        for service, need in asset.needs.items()
    }
    model.assets[place] = asset.model_copy(update={"needs": bigger})
    assert model in columns._KEPT
    changed = topology.Topology(model)
    fresh = topology.Topology(model.model_copy(update={"assets": list(model.assets)}))
    assert changed.buffers != topology.Topology(load_model(MODEL)).buffers
    for name in topology.Topology.__slots__:
        assert getattr(changed, name) == getattr(fresh, name), name


def test_the_loaders_columns_give_the_topology_a_model_made_in_code_gets() -> None:
    # The loader keeps the columns its checks made; a model without them has them built
    # from its assets.  Both must compile to the same tables, in a model whose file order
    # is not the order of the ids and with an asset that lists a service twice.
    model = load_model(MODEL)
    assert model in columns._KEPT  # kept by the loader
    loaded = topology.Topology(model)
    assert model not in columns._KEPT  # handed over
    shuffled = list(reversed(model.assets))
    first = shuffled[0].model_copy(update={"provides": [*shuffled[0].provides] * 2})
    made = model.model_copy(update={"assets": [first, *shuffled[1:]]})
    assert made not in columns._KEPT
    built = topology.Topology(made)
    for name in topology.Topology.__slots__:
        assert getattr(built, name) == getattr(loaded, name), name
