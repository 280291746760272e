"""Property tests: every mutation the exercise layer makes, against a from-scratch fixed point.

``tests/test_engine_properties.py`` drives the engine with timed scenario effects only.  The
exercise layer also gives needs buffers and takes them away (a generator deployed and
recalled, staff operating a plant by hand and withdrawn, a tank refuelled), applies effects
inside an instant (repair and restore completions, isolation and reconnection) and moves the
clock by the durations facilitators write (10m, 20m, 40m).  Here hypothesis draws small models,
rich in cycles that only a temporary buffer can ground, and random interleavings of all of
those mutations; after every step the engine's state must be the least fixed point of
MODEL.md 3.2 computed from scratch from its own inputs (3.3 in version 1.1: history never keeps
an asset up), and the engine's own invariant checks (``debug=True``) run at every settle.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cybrelia.engine.cascade import BufferSpec, Engine
from tests.test_engine_properties import (
    AssetSpec,
    EffectSpec,
    ModelSpec,
    NeedSpec,
    buffers,
    check_engine_is_fixed_point,
    effect_specs,
    model_specs,
)
from tests.test_engine_properties import BufferSpec as PropertyBuffer

#: Clock moves a facilitator writes: 10m, 15m, 20m, 40m, 1h and staying at the instant.
STEPS = (Fraction(0), Fraction(1, 6), Fraction(1, 4), Fraction(1, 3), Fraction(2, 3), Fraction(1))


@dataclass(frozen=True)
class Op:
    """One mutation: ``advance``, ``effects``, ``act``, ``give``, ``take`` or ``put_back``."""

    kind: str
    args: tuple[Any, ...] = ()


@st.composite
def cyclic_model_specs(draw: st.DrawFn) -> ModelSpec:
    """A ring of assets that need each other with no buffer, beside a random model.

    Such a ring is down unless something grounds it; a buffer given to one of its members
    grounds all of it, and taking that buffer away must take all of it down again.
    """
    base = draw(model_specs())
    size = draw(st.integers(1, 4))
    ring = [f"r{i}" for i in range(size)]
    assets = list(base.assets)
    for i, asset_id in enumerate(ring):
        service = ("power", "control")[i % 2]
        providers = {ring[(i + 1) % size]}
        others = [a.id for a in base.assets if service in a.provides]
        if draw(st.booleans()) and others:
            providers.add(draw(st.sampled_from(others)))
        need = NeedSpec(service, tuple(sorted(providers)), 1, None)
        assets.append(AssetSpec(asset_id, ("control", "power"), (need,), (), (), None))
    return ModelSpec(base.districts, tuple(assets), base.links)


@st.composite
def operations(draw: st.DrawFn, model: ModelSpec) -> list[Op]:
    needs = [(a.id, n.service) for a in model.assets for n in a.needs]
    ops = []
    for _ in range(draw(st.integers(1, 14))):
        choices = ["advance", "effects", "act"]
        if needs:
            choices += ["give", "give", "take", "take", "put_back"]
        kind = draw(st.sampled_from(choices))
        if kind == "advance":
            ops.append(Op(kind, (draw(st.sampled_from(STEPS)),)))
        elif kind in ("effects", "act"):
            effects = draw(st.lists(effect_specs(model), min_size=1, max_size=3))
            ops.append(Op(kind, tuple(effects)))
        elif kind == "give":
            asset_id, service = draw(st.sampled_from(needs))
            spec = draw(buffers())
            level = draw(st.sampled_from(STEPS[1:])) * draw(st.integers(0, 6))
            ops.append(Op(kind, (asset_id, service, spec.kind, spec.hours, spec.rate, level)))
        else:
            ops.append(Op(kind, draw(st.sampled_from(needs))))
    return ops


@st.composite
def mutation_cases(draw: st.DrawFn) -> tuple[ModelSpec, list[Op], int]:
    model = draw(cyclic_model_specs() | model_specs())
    return model, draw(operations(model)), draw(st.integers(0, 2**16))


def run_and_check(model: ModelSpec, ops: list[Op], seed: int) -> Engine:
    """Apply ``ops`` one by one; after each, the state must be the least fixed point."""
    engine = Engine(model.to_model(), seed=seed, debug=True)
    engine.advance_to(0.0)
    check_engine_is_fixed_point(engine, model)
    previous: dict[tuple[str, str], list[BufferSpec | None]] = {}
    for op in ops:
        if op.kind == "advance":
            engine.advance_to(engine.now + float(op.args[0]))
        elif op.kind == "effects":
            engine.apply([effect.to_effect() for effect in op.args])
        elif op.kind == "act":
            engine.act([effect.to_effect() for effect in op.args])
            engine.advance_to(engine.now)
        elif op.kind == "give":
            asset_id, service, kind, hours, rate, level = op.args
            spec = BufferSpec(kind, float(hours), float(rate), float(min(level, hours)))
            previous.setdefault((asset_id, service), []).append(
                engine.swap_buffer(asset_id, service, spec)
            )
            engine.advance_to(engine.now)
        elif op.kind == "take":
            asset_id, service = op.args
            engine.swap_buffer(asset_id, service, None)
            engine.advance_to(engine.now)
        else:  # put_back: a recall restores the buffer the need had before
            asset_id, service = op.args
            stack = previous.get((asset_id, service), [])
            engine.swap_buffer(asset_id, service, stack.pop() if stack else None)
            engine.advance_to(engine.now)
        check_engine_is_fixed_point(engine, model)
    return engine


@settings(max_examples=200, deadline=None)
@given(mutation_cases())
def test_every_mutation_leaves_the_least_fixed_point(
    case: tuple[ModelSpec, list[Op], int],
) -> None:
    run_and_check(*case)


# --- the case from issue 10, written out ----------------------------------------------------

PLANT_AND_SCADA = ModelSpec(
    districts=(("d0", 1000),),
    assets=(
        # The plant needs control from its SCADA; the SCADA needs the plant's power.
        AssetSpec(
            "plant",
            ("power",),
            (NeedSpec("control", ("scada",), 1, None),),
            (("d0", "1"),),
            (),
            None,
        ),
        AssetSpec("scada", ("control",), (NeedSpec("power", ("plant",), 1, None),), (), (), None),
    ),
    links=(),
)


def test_withdrawn_manual_operation_takes_the_cycle_down() -> None:
    """Both start down; 2 h of manual operation grounds them; withdrawing it ungrounds them."""
    engine = run_and_check(PLANT_AND_SCADA, [], 0)
    assert engine.status("plant").state == "down"
    assert engine.without("d0", "power") == 1000
    previous = engine.swap_buffer("plant", "control", BufferSpec("manual", 2.0, 0.0, 2.0))
    engine.advance_to(engine.now)
    # Once grounded, the pair supplies each other: both up, the manual buffer unused (3.1).
    assert (engine.status("plant").state, engine.status("scada").state) == ("up", "up")
    assert engine.without("d0", "power") == 0
    engine.advance_to(1.0)
    engine.swap_buffer("plant", "control", previous)  # staff withdrawn after 1 h
    engine.advance_to(1.0)
    assert engine.status("plant").causes == ("needs:control",)
    assert engine.status("scada").causes == ("needs:power",)
    assert engine.without("d0", "power") == 1000
    check_engine_is_fixed_point(engine, PLANT_AND_SCADA)


def test_a_buffer_of_no_hours_never_grounds_its_need() -> None:
    """A battery of 0 h recharging while supplied stays empty: capped at its capacity."""
    model = ModelSpec(
        districts=(("d0", 0),),
        assets=(
            AssetSpec("src", ("water",), (), (), (), None),
            AssetSpec(
                "user",
                (),
                (NeedSpec("water", ("src",), 1, PropertyBuffer("battery", Fraction(0), None)),),
                (),
                (),
                None,
            ),
        ),
        links=(),
    )
    engine = run_and_check(model, [Op("advance", (Fraction(1, 4),))], 0)
    engine.apply([EffectSpec("damage", ("src",)).to_effect()])
    assert engine.status("user").causes == ("needs:water",)
