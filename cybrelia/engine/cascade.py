"""The cascade engine: MODEL.md section 3 on a SimPy clock.

Availability is the least fixed point of the rule "not damaged, compromised or
isolated, and every need met" (grounded supply).  The engine keeps it
incrementally: when inputs change at an instant, it takes down only the
available assets downstream of what may have lost availability, then grows
availability forward again from whatever is still grounded.  Work per instant
is proportional to the assets affected, not to the size of the model.

Buffers drain and recharge piecewise linearly and are stored as a level at a
moment plus a rate, so nothing is stepped in time: an exhaustion is a SimPy
event at exactly ``t0 + level``.

Everything due at an instant is applied before availability is recomputed,
in this order: effects, cyber spread tries (by source id, then target id),
buffer exhaustions; then one settle computes the new states and reports the
net changes of the instant, ordered by asset id.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import simpy
from simpy.events import EventPriority

from cybrelia.engine.clock import GridEnvironment
from cybrelia.engine.subscribers import Subscribers
from cybrelia.files.bulk import collector_paused
from cybrelia.files.durations import quantize
from cybrelia.files.model import SHARE_UNITS, Cyber, InfrastructureModel, share_units
from cybrelia.files.scenario import Effect, Spread

__all__ = [
    "EFFECT",
    "OBSERVE",
    "AssetChange",
    "AssetStatus",
    "BufferSpec",
    "BufferStatus",
    "Engine",
    "ServiceChange",
    "State",
    "Step",
]

State = Literal["up", "backup", "down"]

DAMAGED, COMPROMISED, ISOLATED = 1, 2, 4
#: Hard causes in the sorted order in which they are reported.
_HARD_CAUSES = ((COMPROMISED, "compromised"), (DAMAGED, "damaged"), (ISOLATED, "isolated"))

# Buffer modes.
_IDLE, _DRAIN, _RECHARGE = 0, -1, 1
_MODE_NAMES = {_IDLE: "idle", _DRAIN: "draining", _RECHARGE: "recharging"}

# Event priorities within one instant (lower first).  The exercise layer
# schedules its effects at EFFECT priority too.
EFFECT = EventPriority(1)
_SPREAD_TICK = EventPriority(2)
_SPREAD_TRIES = EventPriority(3)
_EXHAUST = EventPriority(4)
_SETTLE = EventPriority(8)
#: For observers that read the settled state of an instant (metric samples).
OBSERVE = EventPriority(9)
_STOP = EventPriority(10)


@dataclass(frozen=True, slots=True)
class AssetStatus:
    """An asset's state and, when down, why."""

    state: State
    causes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BufferStatus:
    """A buffer as people read it: how much autonomy is left and where it is going."""

    service: str
    kind: str
    hours: float
    remaining: float
    mode: Literal["idle", "draining", "recharging"]
    empties_at: float | None


@dataclass(frozen=True, slots=True)
class BufferSpec:
    """A buffer to give a need: its kind, capacity, recharge rate and current level."""

    kind: str
    hours: float
    recharge: float
    level: float


@dataclass(frozen=True, slots=True)
class AssetChange:
    """An asset whose state or causes changed at ``t``."""

    t: float
    asset: str
    state: State
    causes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ServiceChange:
    """A district's number of residents without a service changed at ``t``."""

    t: float
    district: str
    service: str
    without: int


@dataclass(frozen=True, slots=True)
class Step:
    """The net changes of one settled instant, in report order."""

    t: float
    assets: tuple[AssetChange, ...]
    services: tuple[ServiceChange, ...]


class _Buffer:
    """A buffer's level at ``since`` and the direction it has moved in since then."""

    __slots__ = ("capacity", "kind", "level", "mode", "rate", "since", "token")

    def __init__(self, kind: str, capacity: float, rate: float) -> None:
        self.kind = kind
        self.capacity = capacity
        self.rate = rate
        self.level = capacity
        self.since = 0.0
        self.mode = _IDLE
        self.token = 0

    def level_at(self, t: float) -> float:
        if self.mode == _DRAIN:
            return max(0.0, self.level - (t - self.since))
        if self.mode == _RECHARGE:
            return min(self.capacity, self.level + self.rate * (t - self.since))
        return self.level


class _Need:
    """One need of one asset, with the count of its providers now available."""

    __slots__ = ("asset", "buffer", "count", "k", "providers", "service")

    def __init__(
        self, asset: int, service: str, providers: tuple[int, ...], k: int, buffer: _Buffer | None
    ) -> None:
        self.asset = asset
        self.service = service
        self.providers = providers
        self.k = k
        self.count = 0
        self.buffer = buffer


class Engine:
    """The live state of one infrastructure model under a stream of effects.

    Parameters
    ----------
    model
        A validated infrastructure model.
    seed
        Seed of the generator that decides cyber spread tries.  The engine owns
        its generator; nothing touches global random state.
    env
        The SimPy environment to run on (a fresh :class:`GridEnvironment` by
        default).  The exercise layer passes its own to run response actions as
        SimPy processes on the same clock; it should be a ``GridEnvironment``.

    Notes
    -----
    Drive it step by step: :meth:`schedule` or :meth:`apply` effects,
    :meth:`advance_to` a time, read :meth:`status`, :meth:`buffers` and
    :meth:`without`, and :meth:`subscribe` to the changes of each instant.
    The first instant (t = 0) reports every asset that is not up and every
    district and service with people without it.
    """

    def __init__(
        self, model: InfrastructureModel, *, seed: int, env: simpy.Environment | None = None
    ) -> None:
        with collector_paused():
            self._build(model, seed, env)

    def _build(self, model: InfrastructureModel, seed: int, env: simpy.Environment | None) -> None:
        self.env = env if env is not None else GridEnvironment()
        self.model = model
        self._rng = random.Random(seed)
        assets = sorted(model.assets, key=lambda asset: asset.id)
        self._ids: tuple[str, ...] = tuple(asset.id for asset in assets)
        index = {asset_id: i for i, asset_id in enumerate(self._ids)}
        self._index = index
        n = len(assets)
        self._hard = [0] * n
        self._avail = [False] * n
        self._needs: list[tuple[_Need, ...]] = []
        self._dependents: list[list[_Need]] = [[] for _ in range(n)]
        self._cyber: list[Cyber | None] = [asset.cyber for asset in assets]
        self._zones: dict[str, list[int]] = {}
        for i, asset in enumerate(assets):
            needs = []
            for service in sorted(asset.needs):
                spec = asset.needs[service]
                buffer = (
                    _Buffer(spec.buffer.kind, spec.buffer.hours, spec.buffer.recharge_rate)
                    if spec.buffer is not None
                    else None
                )
                need = _Need(i, service, tuple(index[p] for p in spec.from_), spec.k, buffer)
                needs.append(need)
                for provider in need.providers:
                    self._dependents[provider].append(need)
            self._needs.append(tuple(needs))
            for zone in asset.zones:
                self._zones.setdefault(zone, []).append(i)
        neighbours: list[set[int]] = [set() for _ in range(n)]
        for left, right in model.cyber_links:
            neighbours[index[left]].add(index[right])
            neighbours[index[right]].add(index[left])
        self._neighbours = [tuple(sorted(links)) for links in neighbours]

        # (district, service) figures, keyed in report order.
        populations = {district.id: district.population for district in model.districts}
        keys = sorted({(d, s) for asset in assets for d in asset.serves for s in asset.provides})
        self._service_keys: tuple[tuple[str, str], ...] = tuple(keys)
        self._key_index = {key: k for k, key in enumerate(keys)}
        self._key_population = [populations[d] for d, _ in keys]
        self._serve: list[tuple[tuple[int, int], ...]] = [
            tuple(
                (self._key_index[(d, s)], share_units(share))
                for d, share in sorted(asset.serves.items())
                for s in sorted(set(asset.provides))
            )
            for asset in assets
        ]
        self._down_units = [0] * len(keys)
        self._served_units = [0] * len(keys)
        for serving in self._serve:
            for k, units in serving:
                self._served_units[k] += units
        self._without = [0] * len(keys)

        self._state: list[State] = ["up"] * n
        self._causes: list[tuple[str, ...]] = [()] * n
        self._reported_state: list[State] = ["up"] * n
        self._reported_causes: list[tuple[str, ...]] = [()] * n
        self._reported_without = [0] * len(keys)

        self._spread: list[tuple[int, Spread] | None] = [None] * n
        self._spread_generation = [0] * n
        self._spread_due: list[tuple[int, int, Spread]] = []
        self._seeds: set[int] = set()
        self._settle_pending = False
        self._full_report = True
        self._subscribers: Subscribers[Step] = Subscribers()

        self._initial_fixed_point()
        self._request_settle()

    # --- reading ------------------------------------------------------------------

    @property
    def now(self) -> float:
        """Simulation time in hours."""
        return float(self.env.now)

    @property
    def asset_ids(self) -> tuple[str, ...]:
        """Every asset id, sorted."""
        return self._ids

    @property
    def service_keys(self) -> tuple[tuple[str, str], ...]:
        """Every (district, service) that some asset serves, sorted."""
        return self._service_keys

    def status(self, asset_id: str) -> AssetStatus:
        """The asset's state as of the last settled instant."""
        i = self._index[asset_id]
        return AssetStatus(self._state[i], self._causes[i])

    def is_available(self, asset_id: str) -> bool:
        """Whether the asset is up or on backup."""
        return self._avail[self._index[asset_id]]

    def buffers(self, asset_id: str) -> tuple[BufferStatus, ...]:
        """The asset's buffers now, by service."""
        t = self.now
        out = []
        for need in self._needs[self._index[asset_id]]:
            buffer = need.buffer
            if buffer is None:
                continue
            remaining = buffer.level_at(t)
            empties_at = quantize(t + remaining) if buffer.mode == _DRAIN else None
            out.append(
                BufferStatus(
                    need.service,
                    buffer.kind,
                    buffer.capacity,
                    remaining,
                    _MODE_NAMES[buffer.mode],  # type: ignore[arg-type]
                    empties_at,
                )
            )
        return tuple(out)

    def served(self, district: str, service: str) -> int:
        """Residents of ``district`` whose ``service`` comes from some asset at all.

        The rest provide it themselves (private wells, their own boilers) or are
        outside every mast's coverage; it is computed as :meth:`without` is.
        """
        k = self._key_index.get((district, service))
        return 0 if k is None else self._figure(k, self._served_units[k])

    def without(self, district: str, service: str) -> int:
        """Residents of ``district`` without ``service`` (MODEL.md 3.6)."""
        k = self._key_index.get((district, service))
        return 0 if k is None else self._without[k]

    def service_figures(self) -> dict[tuple[str, str], int]:
        """Residents without each service, by (district, service)."""
        return dict(zip(self._service_keys, self._without, strict=True))

    def is_compromised(self, asset_id: str) -> bool:
        """Whether the asset carries the ``compromised`` cause."""
        return bool(self._hard[self._index[asset_id]] & COMPROMISED)

    # --- driving ------------------------------------------------------------------

    def subscribe(self, callback: Callable[[Step], None]) -> Callable[[], None]:
        """Call ``callback`` with the net changes of every settled instant.

        Returns a function that ends the subscription.
        """
        return self._subscribers.add(callback)

    def schedule(self, at: float, effects: Sequence[Effect]) -> None:
        """Apply ``effects`` at time ``at`` (hours, not before now)."""
        if at < self.now:
            raise ValueError(f"cannot schedule effects in the past ({at} < {self.now})")
        effects = tuple(effects)
        self._timer(at - self.now, EFFECT, lambda _: self._apply_all(effects))

    def act(self, effects: Sequence[Effect]) -> None:
        """Apply ``effects`` as part of the current instant, settled with the rest of it.

        For code already running inside the simulation (a response action's SimPy
        process, a branch being delivered).
        """
        self._apply_all(effects)

    def apply(self, effects: Sequence[Effect]) -> None:
        """Apply ``effects`` now and settle the instant at once (the clock does not move)."""
        self._apply_all(effects)
        self.advance_to(self.now)

    def advance_to(self, t: float) -> None:
        """Run the simulation up to and including everything due at ``t``."""
        if t < self.now:
            raise ValueError(f"cannot go back in time ({t} < {self.now})")
        stop = self._timer(t - self.now, _STOP, None)
        with collector_paused():
            self.env.run(until=stop)

    def supplied(self, asset_id: str, service: str) -> bool:
        """Whether enough of the asset's providers of ``service`` are available."""
        need = next(n for n in self._needs[self._index[asset_id]] if n.service == service)
        return need.count >= need.k

    def providers(self, asset_id: str, service: str) -> tuple[str, ...]:
        """The assets that can supply the asset's need for ``service``."""
        need = next(n for n in self._needs[self._index[asset_id]] if n.service == service)
        return tuple(self._ids[p] for p in need.providers)

    def needs(self, asset_id: str) -> tuple[str, ...]:
        """The services the asset needs, sorted."""
        return tuple(need.service for need in self._needs[self._index[asset_id]])

    def swap_buffer(
        self, asset_id: str, service: str, spec: BufferSpec | None
    ) -> BufferSpec | None:
        """Give a need another buffer (or none) from now on; return the old one as it stands.

        Response actions use this: a mobile generator brought to a water station,
        a refuelled tank, staff running a plant by hand.  The change is settled with
        the rest of the instant.

        Raises
        ------
        KeyError
            If the asset has no need for ``service``.
        """
        i = self._index[asset_id]
        need = next((n for n in self._needs[i] if n.service == service), None)
        if need is None:
            raise KeyError(f"asset {asset_id!r} has no need for {service!r}")
        t = self.now
        old = need.buffer
        previous = None
        if old is not None:
            previous = BufferSpec(old.kind, old.capacity, old.rate, old.level_at(t))
            old.token += 1  # its pending exhaustion, if any, no longer applies
        if spec is None:
            need.buffer = None
        else:
            buffer = _Buffer(spec.kind, spec.hours, spec.recharge)
            buffer.level = min(spec.level, spec.hours)
            buffer.since = t
            need.buffer = buffer
        self._touch(i)
        return previous

    # --- effects ------------------------------------------------------------------

    def _apply_all(self, effects: Iterable[Effect]) -> None:
        for effect in effects:
            if not effect.for_engine:
                continue  # claims live in the exercise layer
            verb = effect.verb
            targets = effect.targets
            if verb == "damage_zone":
                members = sorted({i for zone in targets for i in self._zones.get(zone, ())})
                for i in members:
                    self._add_cause(i, DAMAGED)
                continue
            for asset_id in targets:
                i = self._index[asset_id]
                if verb == "damage":
                    self._add_cause(i, DAMAGED)
                elif verb == "repair":
                    self._clear_cause(i, DAMAGED)
                elif verb == "compromise":
                    self._compromise(i, effect.spread)
                elif verb == "restore":
                    if self._hard[i] & COMPROMISED:
                        self._spread_generation[i] += 1
                        self._clear_cause(i, COMPROMISED)
                elif verb == "isolate":
                    self._add_cause(i, ISOLATED)
                elif verb == "reconnect":
                    self._clear_cause(i, ISOLATED)
                else:  # pragma: no cover - Effect admits no other verb
                    raise AssertionError(verb)

    def _add_cause(self, i: int, cause: int) -> None:
        if not self._hard[i] & cause:
            self._hard[i] |= cause
            self._touch(i)

    def _clear_cause(self, i: int, cause: int) -> None:
        if self._hard[i] & cause:
            self._hard[i] &= ~cause
            self._touch(i)

    def _touch(self, i: int) -> None:
        self._seeds.add(i)
        self._request_settle()

    def _compromise(self, i: int, spread: Spread | None) -> None:
        """Compromise an asset; an asset already compromised keeps its schedule."""
        if self._hard[i] & COMPROMISED:
            return
        self._add_cause(i, COMPROMISED)
        self._spread_generation[i] += 1
        if spread is not None:
            self._schedule_tick(i, self._spread_generation[i], spread)

    def _schedule_tick(self, i: int, generation: int, spread: Spread) -> None:
        """Asset ``i``'s next spread try, ``every`` hours from now."""
        self._timer(spread.every, _SPREAD_TICK, lambda _: self._spread_tick(i, generation, spread))

    def _spread_tick(self, i: int, generation: int, spread: Spread) -> None:
        if not self._spread_due:
            self._timer(0.0, _SPREAD_TRIES, lambda _: self._spread_tries())
        self._spread_due.append((i, generation, spread))

    def _spread_tries(self) -> None:
        """Every source due now tries its neighbours, by source id then target id."""
        due, self._spread_due = sorted(self._spread_due, key=lambda item: item[0]), []
        hard = self._hard
        for source, generation, spread in due:
            if generation != self._spread_generation[source] or not hard[source] & COMPROMISED:
                continue  # restored (and perhaps compromised anew) since
            self._schedule_tick(source, generation, spread)
            if hard[source] & ISOLATED:
                continue  # isolation stops spread through it while it lasts
            for target in self._neighbours[source]:
                cyber = self._cyber[target]
                if (
                    cyber is None
                    or cyber.exposure == "none"
                    or hard[target] & (COMPROMISED | ISOLATED)
                ):
                    continue
                if self._rng.random() < spread.probability:
                    self._compromise(target, spread)

    # --- availability -------------------------------------------------------------

    def _met(self, i: int, t: float) -> bool:
        """Whether every need of asset ``i`` is met, given current provider counts."""
        for need in self._needs[i]:
            if need.count < need.k:
                buffer = need.buffer
                if buffer is None or buffer.level_at(t) <= 0.0:
                    return False
        return True

    def _initial_fixed_point(self) -> None:
        """Least fixed point from nothing available, with every buffer full."""
        self._grow(list(range(len(self._ids))), 0.0, None)
        for i in range(len(self._ids)):
            self._refresh(i, 0.0)
            if not self._avail[i]:
                for k, units in self._serve[i]:
                    self._down_units[k] += units
        for k in range(len(self._service_keys)):
            self._without[k] = self._figure(k)

    def _grow(self, queue: list[int], t: float, old: dict[int, bool] | None) -> None:
        """Make available every asset grounded through ``queue`` (forward propagation)."""
        avail = self._avail
        hard = self._hard
        dependents = self._dependents
        met = self._met
        while queue:
            x = queue.pop()
            if avail[x] or hard[x] or not met(x, t):
                continue
            avail[x] = True
            if old is not None and x not in old:
                old[x] = False
            for need in dependents[x]:
                need.count += 1
                if need.count == need.k and not avail[need.asset]:
                    queue.append(need.asset)

    def _settle(self) -> None:
        """Recompute availability after this instant's inputs and report the net changes."""
        self._settle_pending = False
        t = self.now
        seeds, self._seeds = self._seeds, set()
        avail = self._avail
        dependents = self._dependents
        old: dict[int, bool] = {}

        # 1. Take down every available asset downstream of a seed that lost its footing,
        #    except along needs that a live buffer keeps met whatever their providers do.
        stack = [s for s in seeds if avail[s] and (self._hard[s] or not self._met(s, t))]
        region = []
        while stack:
            x = stack.pop()
            if x in old:
                continue
            old[x] = True
            region.append(x)
            avail[x] = False
            for need in dependents[x]:
                need.count -= 1
                if avail[need.asset]:
                    buffer = need.buffer
                    if buffer is not None and buffer.level_at(t) > 0.0:
                        continue  # this need is grounded by its own buffer, not by x
                    stack.append(need.asset)

        # 2. Grow availability again from what is still grounded.
        for s in seeds:
            if s not in old:
                old[s] = avail[s]
        self._grow(region + [s for s in seeds if not avail[s]], t, old)

        # 3. Refresh states and buffers where availability or supply changed.
        changed = [x for x, was in old.items() if avail[x] != was]
        touched = set(seeds)
        touched.update(changed)
        for x in changed:
            touched.update(need.asset for need in dependents[x])
            units_sign = -1 if avail[x] else 1
            for k, units in self._serve[x]:
                self._down_units[k] += units_sign * units
        for x in touched:
            self._refresh(x, t)
        dirty_keys = {k for x in changed for k, _ in self._serve[x]}
        for k in dirty_keys:
            self._without[k] = self._figure(k)

        if self._full_report:
            self._full_report = False
            touched = set(range(len(self._ids)))
            dirty_keys = set(range(len(self._service_keys)))
        self._report(t, touched, dirty_keys)

    def _refresh(self, i: int, t: float) -> None:
        """Derive state, causes and buffer modes of asset ``i`` from its needs."""
        available = self._avail[i]
        all_supplied = True
        unmet: list[str] = []
        for need in self._needs[i]:
            supplied = need.count >= need.k
            buffer = need.buffer
            if buffer is not None:
                mode = _IDLE if not available else _RECHARGE if supplied else _DRAIN
                if mode != buffer.mode:
                    buffer.level = buffer.level_at(t)
                    buffer.since = t
                    buffer.mode = mode
                    buffer.token += 1
                    if mode == _DRAIN:
                        self._schedule_exhaustion(need, buffer.token)
            if not supplied:
                all_supplied = False
                if not available and (buffer is None or buffer.level_at(t) <= 0.0):
                    unmet.append("needs:" + need.service)
        if available:
            self._state[i] = "up" if all_supplied else "backup"
            self._causes[i] = ()
        else:
            hard = self._hard[i]
            causes = [name for bit, name in _HARD_CAUSES if hard & bit]
            self._state[i] = "down"
            self._causes[i] = (*causes, *unmet)

    def _schedule_exhaustion(self, need: _Need, token: int) -> None:
        buffer = need.buffer
        assert buffer is not None

        def exhaust(_: simpy.Event) -> None:
            if buffer.token == token:
                buffer.level = 0.0
                buffer.since = self.now
                self._touch(need.asset)

        self._timer(buffer.level, _EXHAUST, exhaust)

    def _figure(self, k: int, units: int | None = None) -> int:
        """Residents without service for key ``k``: population x share, halves up."""
        units = min(self._down_units[k] if units is None else units, SHARE_UNITS)
        return (2 * self._key_population[k] * units + SHARE_UNITS) // (2 * SHARE_UNITS)

    def _report(self, t: float, touched: set[int], dirty_keys: set[int]) -> None:
        asset_changes = []
        for i in sorted(touched):
            state, causes = self._state[i], self._causes[i]
            if state != self._reported_state[i] or causes != self._reported_causes[i]:
                self._reported_state[i] = state
                self._reported_causes[i] = causes
                asset_changes.append(AssetChange(t, self._ids[i], state, causes))
        service_changes = []
        for k in sorted(dirty_keys):
            if self._without[k] != self._reported_without[k]:
                self._reported_without[k] = self._without[k]
                district, service = self._service_keys[k]
                service_changes.append(ServiceChange(t, district, service, self._without[k]))
        if asset_changes or service_changes:
            self._subscribers.emit(Step(t, tuple(asset_changes), tuple(service_changes)))

    def after(
        self, delay: float, priority: EventPriority, callback: Callable[[simpy.Event], None]
    ) -> None:
        """Call ``callback`` ``delay`` hours from now, at ``priority`` within that instant.

        The exercise layer uses :data:`EFFECT` for inputs that change the
        infrastructure and :data:`OBSERVE` for reading the settled instant.
        """
        self._timer(delay, priority, callback)

    # --- scheduling helpers ---------------------------------------------------------

    def _request_settle(self) -> None:
        if not self._settle_pending:
            self._settle_pending = True
            self._timer(0.0, _SETTLE, lambda _: self._settle())

    def _timer(
        self,
        delay: float,
        priority: EventPriority,
        callback: Callable[[simpy.Event], None] | None,
    ) -> simpy.Event:
        """An event at ``now + delay`` with ``priority`` among the events of that instant."""
        event = simpy.Event(self.env)
        event._ok = True
        event._value = None
        if callback is not None:
            event.callbacks.append(callback)
        self.env.schedule(event, priority, delay)
        return event
