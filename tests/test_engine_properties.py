"""Property tests: the incremental engine against from-scratch readings of MODEL.md section 3.

Hypothesis draws small random models (sources, k-of-n needs, buffers of every kind, cycles,
self-loops, districts with shares, cyber assets and links, zones) and random timed effects on
a quarter-hour grid.  The engine is driven step by step with ``schedule`` and ``advance_to``
(at every effect time and at random times in between), and after every advance:

1. ``test_engine_state_is_the_least_fixed_point`` recomputes the state from scratch from the
   engine's own inputs: its hard causes (``status().causes`` not starting with ``needs:``)
   and which buffers still hold autonomy (``buffers()``).  Availability is iterated from the
   empty set to the least fixed point; states, causes and population figures (with exact
   fractions) follow from it.  This checks 3.1, 3.2 and 3.6 at every instant.

2. ``test_engine_matches_an_independent_simulation`` runs a second, naive simulator written
   here from the contract alone: it keeps its own hard causes, buffer levels (exact
   fractions) and spread schedules, steps from event to event (effects, spread tries,
   buffer exhaustions), recomputes the least fixed point at each instant from scratch, and
   writes its own JSON Lines records.  Its states, buffers and figures must equal the
   engine's at every checkpoint, and its records must equal ``cybrelia.headless.simulate.records``.
   The one thing it copies from the implementation rather than the contract is how a draw
   is made: ``random.Random(seed).random() < p``, in the contract's order (time, source id,
   target id).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cybrelia.engine.cascade import Engine, Step
from cybrelia.files.model import InfrastructureModel
from cybrelia.files.scenario import Effect
from cybrelia.headless.simulate import records

SERVICES = ("power", "water", "control")
SHARES = ("0.1", "0.2", "0.25", "0.3", "0.5", "0.7", "1")
BUFFER_KINDS = ("battery", "generator", "storage", "manual")
#: MODEL.md section 2: hours of autonomy regained per hour of restored supply.
DEFAULT_RECHARGE = {
    "battery": Fraction(1, 2),
    "storage": Fraction(1),
    "manual": Fraction(1),
    "generator": Fraction(0),
}
RECHARGES = (None, "0", "0.25", "0.5", "1", "2")
EXPOSURES = ("none", "internal", "internet")
ZONES = ("flood", "storm")
PROBABILITIES = (0.0, 0.3, 0.5, 1.0)
QUARTER = Fraction(1, 4)
HARD_VERBS = {
    "damage": "damaged",
    "compromise": "compromised",
    "isolate": "isolated",
}
CLEAR_VERBS = {"repair": "damaged", "restore": "compromised", "reconnect": "isolated"}


# --- the drawn cases ------------------------------------------------------------------------


@dataclass(frozen=True)
class BufferSpec:
    kind: str
    hours: Fraction
    recharge: str | None  # a decimal string, or None for the kind's default

    @property
    def rate(self) -> Fraction:
        return DEFAULT_RECHARGE[self.kind] if self.recharge is None else Fraction(self.recharge)


@dataclass(frozen=True)
class NeedSpec:
    service: str
    providers: tuple[str, ...]
    k: int
    buffer: BufferSpec | None


@dataclass(frozen=True)
class AssetSpec:
    id: str
    provides: tuple[str, ...]
    needs: tuple[NeedSpec, ...]  # sorted by service
    serves: tuple[tuple[str, str], ...]  # (district, share as a decimal string)
    zones: tuple[str, ...]
    exposure: str | None  # None: not a cyber asset


@dataclass(frozen=True)
class ModelSpec:
    districts: tuple[tuple[str, int], ...]
    assets: tuple[AssetSpec, ...]
    links: tuple[tuple[str, str], ...]

    def to_model(self) -> InfrastructureModel:
        assets: list[dict[str, Any]] = []
        for spec in self.assets:
            item: dict[str, Any] = {"id": spec.id, "type": "node", "provides": list(spec.provides)}
            needs: dict[str, Any] = {}
            for need in spec.needs:
                entry: dict[str, Any] = {"from": list(need.providers), "k": need.k}
                if need.buffer is not None:
                    buffer: dict[str, Any] = {
                        "kind": need.buffer.kind,
                        "hours": float(need.buffer.hours),
                    }
                    if need.buffer.recharge is not None:
                        buffer["recharge"] = float(need.buffer.recharge)
                    entry["buffer"] = buffer
                needs[need.service] = entry
            item["needs"] = needs
            item["serves"] = {district: float(share) for district, share in spec.serves}
            item["zones"] = list(spec.zones)
            if spec.exposure is not None:
                item["cyber"] = {"exposure": spec.exposure}
            assets.append(item)
        return InfrastructureModel.model_validate(
            {
                "format": "cybrelia.infrastructure/1",
                "districts": [{"id": d, "population": p} for d, p in self.districts],
                "assets": assets,
                "cyber_links": [list(link) for link in self.links],
            }
        )


@dataclass(frozen=True)
class EffectSpec:
    verb: str
    targets: tuple[str, ...]
    spread: tuple[Fraction, float] | None = None  # (every, probability)

    def to_effect(self) -> Effect:
        data: dict[str, Any] = {self.verb: list(self.targets)}
        if self.spread is not None:
            data["spread"] = {"every": float(self.spread[0]), "probability": self.spread[1]}
        return Effect.model_validate(data)


@dataclass(frozen=True)
class Case:
    model: ModelSpec
    timeline: tuple[tuple[Fraction, tuple[EffectSpec, ...]], ...]  # by time, distinct times
    checkpoints: tuple[Fraction, ...]  # sorted, distinct, include 0 and every effect time
    seed: int
    schedule_ahead: bool  # schedule every effect at once, or each just before its time


@st.composite
def buffers(draw: st.DrawFn) -> BufferSpec:
    return BufferSpec(
        draw(st.sampled_from(BUFFER_KINDS)),
        draw(st.integers(0, 24)) * QUARTER,
        draw(st.sampled_from(RECHARGES)),
    )


@st.composite
def model_specs(draw: st.DrawFn) -> ModelSpec:
    n = draw(st.integers(3, 12))
    ids = [f"a{i:02d}" for i in range(n)]
    provides = [
        tuple(draw(st.lists(st.sampled_from(SERVICES), unique=True, max_size=2))) for _ in ids
    ]
    districts = tuple((f"d{i}", draw(st.integers(0, 1000))) for i in range(draw(st.integers(1, 3))))
    # Capacity left per (district, service), so that shares sum to at most 1.
    room = {(d, s): Fraction(1) for d, _ in districts for s in SERVICES}
    assets = []
    for i, asset_id in enumerate(ids):
        needs = []
        for service in sorted(draw(st.lists(st.sampled_from(SERVICES), unique=True, max_size=2))):
            pool = [ids[j] for j in range(n) if service in provides[j]]
            if not pool:
                continue
            providers = draw(st.lists(st.sampled_from(pool), min_size=1, unique=True))
            k = draw(st.integers(1, len(providers)))
            buffer = draw(st.none() | buffers())
            needs.append(NeedSpec(service, tuple(providers), k, buffer))
        serves = []
        if provides[i]:
            for district, _ in districts:
                if not draw(st.booleans()):
                    continue
                fitting = [
                    share
                    for share in SHARES
                    if all(Fraction(share) <= room[(district, s)] for s in provides[i])
                ]
                if not fitting:
                    continue
                share = draw(st.sampled_from(fitting))
                for s in provides[i]:
                    room[(district, s)] -= Fraction(share)
                serves.append((district, share))
        zones = tuple(draw(st.lists(st.sampled_from(ZONES), unique=True, max_size=2)))
        exposure = draw(st.sampled_from((None, *EXPOSURES, "internal")))
        assets.append(
            AssetSpec(asset_id, provides[i], tuple(needs), tuple(serves), zones, exposure)
        )
    links = tuple(
        draw(
            st.lists(
                st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(
                    lambda pair: pair[0] != pair[1]
                ),
                max_size=3 * n,
            )
        )
    )
    return ModelSpec(districts, tuple(assets), links)


@st.composite
def effect_specs(draw: st.DrawFn, model: ModelSpec) -> EffectSpec:
    ids = [asset.id for asset in model.assets]
    cyber = [asset.id for asset in model.assets if asset.exposure is not None]
    zones = sorted({zone for asset in model.assets for zone in asset.zones})
    verbs = ["damage", "repair", "repair", "restore", "isolate", "reconnect", "reconnect"]
    if cyber:
        verbs += ["compromise", "compromise", "restore"]
    if zones:
        verbs.append("damage_zone")
    verb = draw(st.sampled_from(verbs))
    if verb == "damage_zone":
        return EffectSpec(verb, (draw(st.sampled_from(zones)),))
    if verb == "compromise":
        targets = draw(st.lists(st.sampled_from(cyber), min_size=1, max_size=2, unique=True))
        spread = draw(
            st.none()
            | st.tuples(
                st.integers(1, 16).map(lambda q: q * QUARTER), st.sampled_from(PROBABILITIES)
            )
        )
        return EffectSpec(verb, tuple(targets), spread)
    targets = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True))
    return EffectSpec(verb, tuple(targets))


@st.composite
def cases(draw: st.DrawFn) -> Case:
    model = draw(model_specs())
    timed = draw(
        st.lists(
            st.tuples(st.integers(0, 48).map(lambda q: q * QUARTER), effect_specs(model)),
            max_size=10,
        )
    )
    by_time: dict[Fraction, list[EffectSpec]] = {}
    for at, effect in timed:
        by_time.setdefault(at, []).append(effect)
    timeline = tuple((at, tuple(by_time[at])) for at in sorted(by_time))
    extra = draw(st.lists(st.integers(0, 56).map(lambda q: q * QUARTER), max_size=6))
    checkpoints = tuple(sorted({Fraction(0), *by_time, *extra}))
    return Case(model, timeline, checkpoints, draw(st.integers(0, 2**32)), draw(st.booleans()))


# --- the contract, from scratch -------------------------------------------------------------


def least_fixed_point(
    assets: Sequence[AssetSpec],
    hard: Mapping[str, Collection[str]],
    live: Mapping[tuple[str, str], bool],
) -> set[str]:
    """MODEL.md 3.2: iterate "not hard-down and every need met" from the empty set."""
    available: set[str] = set()
    grew = True
    while grew:
        grew = False
        for spec in assets:
            if spec.id in available or hard[spec.id]:
                continue
            if all(
                sum(p in available for p in need.providers) >= need.k
                or live[(spec.id, need.service)]
                for need in spec.needs
            ):
                available.add(spec.id)
                grew = True
    return available


def states(
    assets: Sequence[AssetSpec],
    hard: Mapping[str, Collection[str]],
    live: Mapping[tuple[str, str], bool],
    available: set[str],
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """MODEL.md 3.1: up / backup / down with sorted causes."""
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for spec in assets:
        supplied = {
            need.service: sum(p in available for p in need.providers) >= need.k
            for need in spec.needs
        }
        if spec.id in available:
            out[spec.id] = ("up" if all(supplied.values()) else "backup", ())
        else:
            unmet = [
                "needs:" + need.service
                for need in spec.needs
                if not supplied[need.service] and not live[(spec.id, need.service)]
            ]
            out[spec.id] = ("down", (*sorted(hard[spec.id]), *sorted(unmet)))
    return out


def figures(model: ModelSpec, available: set[str]) -> dict[tuple[str, str], int]:
    """MODEL.md 3.6 in exact arithmetic: round(population x min(1, sum)), halves up."""
    out = {}
    for district, population in model.districts:
        for service in SERVICES:
            share = sum(
                (
                    Fraction(value)
                    for spec in model.assets
                    if spec.id not in available and service in spec.provides
                    for d, value in spec.serves
                    if d == district
                ),
                Fraction(0),
            )
            exact = population * min(Fraction(1), share)
            out[(district, service)] = int(exact + Fraction(1, 2))  # floor(x + 1/2), x >= 0
    return out


def check_engine_is_fixed_point(engine: Engine, model: ModelSpec) -> None:
    """The engine's states and figures follow from its own hard causes and buffers."""
    hard = {
        spec.id: {c for c in engine.status(spec.id).causes if not c.startswith("needs:")}
        for spec in model.assets
    }
    live = {
        (spec.id, buffer.service): buffer.remaining > 0
        for spec in model.assets
        for buffer in engine.buffers(spec.id)
    }
    for spec in model.assets:
        for need in spec.needs:
            live.setdefault((spec.id, need.service), False)  # no buffer
    available = least_fixed_point(model.assets, hard, live)
    expected = states(model.assets, hard, live, available)
    for spec in model.assets:
        status = engine.status(spec.id)
        assert (status.state, status.causes) == expected[spec.id], (engine.now, spec.id)
        assert engine.is_available(spec.id) == (spec.id in available), (engine.now, spec.id)
    for (district, service), without in figures(model, available).items():
        assert engine.without(district, service) == without, (engine.now, district, service)


# --- an independent, naive simulator --------------------------------------------------------


class Oracle:
    """MODEL.md section 3 stepped from event to event, recomputed from scratch each instant."""

    def __init__(self, case: Case) -> None:
        self.model = case.model
        self.assets = sorted(case.model.assets, key=lambda spec: spec.id)
        self.by_id = {spec.id: spec for spec in self.assets}
        self.effects = dict(case.timeline)
        self.rng = random.Random(case.seed)
        neighbours: dict[str, set[str]] = {spec.id: set() for spec in self.assets}
        for left, right in case.model.links:
            neighbours[left].add(right)
            neighbours[right].add(left)
        self.neighbours = {key: sorted(value) for key, value in neighbours.items()}
        self.hard: dict[str, set[str]] = {spec.id: set() for spec in self.assets}
        self.spread: dict[str, tuple[Fraction, float] | None] = {}
        self.next_try: dict[str, Fraction] = {}
        self.buffers = {
            (spec.id, need.service): need.buffer
            for spec in self.assets
            for need in spec.needs
            if need.buffer is not None
        }
        self.level = {key: buffer.hours for key, buffer in self.buffers.items()}
        self.mode = dict.fromkeys(self.buffers, "idle")
        self.now = Fraction(0)
        self.started = False
        self.available: set[str] = set()
        self.state: dict[str, tuple[str, tuple[str, ...]]] = {
            spec.id: ("up", ()) for spec in self.assets
        }
        self.without = {(d, s): 0 for d, _ in case.model.districts for s in SERVICES}
        self.records: list[dict[str, Any]] = []

    # Time.

    def advance_to(self, until: Fraction) -> None:
        if not self.started:
            self.started = True
            self.instant(Fraction(0))
        while True:
            t = self.next_event()
            if t is None or t > until:
                break
            self.move_levels(t)
            self.instant(t)
        self.move_levels(until)

    def next_event(self) -> Fraction | None:
        candidates = [t for t in self.effects if t > self.now]
        candidates += self.next_try.values()
        candidates += [
            self.now + self.level[key] for key, mode in self.mode.items() if mode == "draining"
        ]
        return min(candidates, default=None)

    def move_levels(self, t: Fraction) -> None:
        dt = t - self.now
        for key, buffer in self.buffers.items():
            if self.mode[key] == "draining":
                self.level[key] = max(Fraction(0), self.level[key] - dt)
            elif self.mode[key] == "recharging":
                self.level[key] = min(buffer.hours, self.level[key] + buffer.rate * dt)
        self.now = t

    # One instant: effects, then spread tries, then availability, then the report.

    def instant(self, t: Fraction) -> None:
        for effect in self.effects.get(t, ()):
            self.apply(effect, t)
        due = sorted(source for source, at in self.next_try.items() if at == t)
        for source in due:
            spread = self.spread[source]
            assert spread is not None
            self.next_try[source] = t + spread[0]
            if "isolated" in self.hard[source]:
                continue
            for target in self.neighbours[source]:
                exposure = self.by_id[target].exposure
                if exposure is None or exposure == "none":
                    continue
                if self.hard[target] & {"compromised", "isolated"}:
                    continue
                if self.rng.random() < spread[1]:
                    self.compromise(target, spread, t)
        live = {
            (spec.id, need.service): (spec.id, need.service) in self.level
            and self.level[(spec.id, need.service)] > 0
            for spec in self.assets
            for need in spec.needs
        }
        self.available = least_fixed_point(self.assets, self.hard, live)
        new_state = states(self.assets, self.hard, live, self.available)
        for spec in self.assets:
            for need in spec.needs:
                key = (spec.id, need.service)
                if key in self.mode:
                    supplied = sum(p in self.available for p in need.providers) >= need.k
                    self.mode[key] = (
                        "idle"
                        if spec.id not in self.available
                        else "recharging"
                        if supplied
                        else "draining"
                    )
        new_without = figures(self.model, self.available)
        for spec in self.assets:
            if new_state[spec.id] != self.state[spec.id]:
                state, causes = new_state[spec.id]
                self.records.append(
                    {
                        "t": float(t),
                        "kind": "asset",
                        "asset": spec.id,
                        "state": state,
                        "causes": list(causes),
                    }
                )
        for key in sorted(new_without):
            if new_without[key] != self.without[key]:
                self.records.append(
                    {
                        "t": float(t),
                        "kind": "service",
                        "district": key[0],
                        "service": key[1],
                        "without": new_without[key],
                    }
                )
        self.state = new_state
        self.without = new_without

    def apply(self, effect: EffectSpec, t: Fraction) -> None:
        if effect.verb == "damage_zone":
            for spec in self.assets:
                if effect.targets[0] in spec.zones:
                    self.hard[spec.id].add("damaged")
            return
        for target in effect.targets:
            if effect.verb == "compromise":
                self.compromise(target, effect.spread, t)
            elif effect.verb in HARD_VERBS:
                self.hard[target].add(HARD_VERBS[effect.verb])
            else:
                cause = CLEAR_VERBS[effect.verb]
                if effect.verb == "restore" and cause in self.hard[target]:
                    self.next_try.pop(target, None)  # a restore ends the spread schedule
                self.hard[target].discard(cause)

    def compromise(self, target: str, spread: tuple[Fraction, float] | None, t: Fraction) -> None:
        if "compromised" in self.hard[target]:
            return  # already compromised: it keeps its schedule
        self.hard[target].add("compromised")
        self.spread[target] = spread
        if spread is not None:
            self.next_try[target] = t + spread[0]


def normalized(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records with ``t`` rounded to 1e-6 h (the engine keeps times on a 1e-9 h grid)."""
    return [{**item, "t": round(item["t"], 6)} for item in items]


def drive(case: Case, check: Callable[[Engine, Fraction], None]) -> list[Step]:
    """Run the engine through the case, calling ``check(engine, checkpoint)`` at each stop."""
    engine = Engine(case.model.to_model(), seed=case.seed)
    steps: list[Step] = []
    engine.subscribe(steps.append)
    pending = list(case.timeline)
    if case.schedule_ahead:
        for at, effects in pending:
            engine.schedule(float(at), [effect.to_effect() for effect in effects])
        pending = []
    for checkpoint in case.checkpoints:
        while pending and pending[0][0] <= checkpoint:
            at, effects = pending.pop(0)
            engine.schedule(float(at), [effect.to_effect() for effect in effects])
        engine.advance_to(float(checkpoint))
        assert engine.now == float(checkpoint)
        check(engine, checkpoint)
    return steps


# --- the properties -------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(cases())
def test_engine_state_is_the_least_fixed_point(case: Case) -> None:
    def check(engine: Engine, _: Fraction) -> None:
        check_engine_is_fixed_point(engine, case.model)

    drive(case, check)


@settings(max_examples=150, deadline=None)
@given(cases())
def test_engine_matches_an_independent_simulation(case: Case) -> None:
    oracle = Oracle(case)

    def check(engine: Engine, checkpoint: Fraction) -> None:
        oracle.advance_to(checkpoint)
        for spec in oracle.assets:
            status = engine.status(spec.id)
            assert (status.state, status.causes) == oracle.state[spec.id], (checkpoint, spec.id)
            assert engine.is_compromised(spec.id) == ("compromised" in oracle.hard[spec.id])
            for buffer in engine.buffers(spec.id):
                key = (spec.id, buffer.service)
                where = (checkpoint, key)
                assert buffer.mode == oracle.mode[key], where
                assert abs(buffer.remaining - float(oracle.level[key])) < 1e-6, where
                assert buffer.hours == float(oracle.buffers[key].hours), where
                if buffer.mode == "draining":
                    assert buffer.empties_at is not None
                    expected = float(checkpoint + oracle.level[key])
                    assert abs(buffer.empties_at - expected) < 1e-6, where
                else:
                    assert buffer.empties_at is None, where
        for (district, service), without in oracle.without.items():
            assert engine.without(district, service) == without, (checkpoint, district, service)

    steps = drive(case, check)
    assert normalized(records(steps)) == normalized(oracle.records)
