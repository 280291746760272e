"""The cascade engine: MODEL.md section 3 on a SimPy clock.

Availability is the least fixed point of the rule "not damaged, compromised or
isolated, and every need met" (grounded supply, 3.2).  The dependency graph
(provider -> dependent) never changes during a run, so the engine condenses its
strongly connected components once (:mod:`cybrelia.engine.condensation`),
numbered in topological order.  On an acyclic component (one asset) the least
fixed point is the rule itself, read from its providers' availability; inside a
cyclic component it is grown from nothing, given the availability of the
providers outside it.

Incremental settling
--------------------
Inputs change at an instant (a cause added or cleared, a buffer given, taken
away or emptied).  Each changed asset's component is put on a worklist, by the
level of the condensation it lies on.  Levels are taken off in increasing order
(components of one level share no edge, so their order among themselves does not
matter), so every provider's availability is final before a dependent is looked at:

* an acyclic component re-reads the rule for its asset;
* a cyclic component is re-derived from nothing (all of its members set
  unavailable, then grown again from what is grounded) -- exactly what 3.3 of
  MODEL.md 1.1 asks for after a buffer is given or taken away;
* when an asset's availability flips, the support count of each need it
  provides is moved by one; a dependent is put on the worklist only when a
  count crosses its ``k`` (the need becomes supplied or stops being supplied),
  because nothing else about the dependent can have changed.

A change that alters nothing downstream (a redundant feed lost) therefore
examines the changed asset and stops: work per instant is proportional to what
changes plus the cyclic components it reaches (:attr:`Engine.work` counts it).

Tables
------
Nothing is an object per asset or need: needs are numbered asset by asset and
kept in flat lists indexed by need (``_need_asset``, ``_need_service``, ``_k``,
``_count``, ``_buffer``), with providers and dependents as offset tables
(``_prov_start``/``_prov``, ``_dep_start``/``_dep``) built with NumPy.  The
first instant is grown on whole arrays.  All of that depends on the model alone and
is compiled once per model (:mod:`cybrelia.engine.topology`), shared by every engine
built on it.

Invariants kept between instants (checked after every settle when the engine
is built with ``debug=True``; the tests do):

I1. ``count`` of every need equals the number of its providers now available.
I2. The available set is the least fixed point of 3.2 for the current hard
    causes and buffer levels, computed from scratch.
I3. A buffer is idle when its asset is down, recharging when its need is
    supplied, draining otherwise; a draining buffer has a pending exhaustion
    event at exactly ``since + level`` (its ``token`` names it).
I4. States and causes follow from availability and supply (3.1); the
    population figures follow from the down assets (3.6).
I5. The worklist is empty; no input change is waiting to be settled.

Exact instants
--------------
Instants, buffer levels and rates are exact rationals (:mod:`cybrelia.engine.clock`):
tick ``n`` of a spread schedule is computed as ``t_compromise + n * every``,
a buffer empties at exactly ``t0 + level``, and equal instants on paper are
equal here.  Nothing is stepped in time.  What the engine reports (``Step.t``,
:meth:`Engine.buffers`) is the float of each exact value on the 1e-9 h grid.

Everything due at an instant is applied before availability is recomputed,
in this order: effects, cyber spread tries (by source id, then target id),
buffer exhaustions; then one settle computes the new states and reports the
net changes of the instant, ordered by asset id.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from heapq import heappop, heappush
from typing import Literal, TypeVar

import simpy
from simpy.events import EventPriority

from cybrelia.engine.clock import GridEnvironment, Hours, exact_hours
from cybrelia.engine.subscribers import Subscribers
from cybrelia.engine.topology import Topology, topology
from cybrelia.files.bulk import collector_paused
from cybrelia.files.durations import quantize
from cybrelia.files.model import SHARE_UNITS, InfrastructureModel
from cybrelia.files.scenario import Effect, Spread

__all__ = [
    "EFFECT",
    "HARD_CAUSES",
    "OBSERVE",
    "AssetChange",
    "AssetStatus",
    "BufferSpec",
    "BufferStatus",
    "Engine",
    "ServiceChange",
    "State",
    "Step",
    "Work",
]

State = Literal["up", "backup", "down"]

DAMAGED, COMPROMISED, ISOLATED = 1, 2, 4
#: Hard causes in the sorted order in which they are reported.
_HARD_CAUSES = ((COMPROMISED, "compromised"), (DAMAGED, "damaged"), (ISOLATED, "isolated"))
#: The causes that take an asset down by themselves, whatever its needs (MODEL.md 3.2).
HARD_CAUSES = tuple(name for _, name in _HARD_CAUSES)

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
    """A buffer to give a need: its kind, capacity, recharge rate and current level.

    Numbers are hours (floats, read by :func:`~cybrelia.engine.clock.exact_hours`) or
    exact fractions; :meth:`Engine.swap_buffer` returns the old buffer with exact ones,
    so that putting it back loses nothing.
    """

    kind: str
    hours: Hours
    recharge: Hours
    level: Hours


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


@dataclass(frozen=True, slots=True)
class Work:
    """How much one settle looked at: a debug counter of work against change.

    ``examined`` counts assets whose rule was read (one per acyclic component taken
    off the worklist, every member of each cyclic component re-derived); ``changed``
    counts assets whose availability flipped.
    """

    t: float
    examined: int
    changed: int


_ZERO = Fraction(0)
#: What a batch of inputs due at one instant holds (:meth:`Engine._join`).
_Item = TypeVar("_Item")


class _Buffer:
    """A buffer's level at ``since`` and the direction it has moved in since then (exact)."""

    __slots__ = ("capacity", "empties", "kind", "level", "mode", "rate", "since", "token")

    def __init__(self, kind: str, capacity: Fraction, rate: Fraction, level: Fraction) -> None:
        self.kind = kind
        self.capacity = capacity
        self.rate = rate
        self.level = level
        self.since = _ZERO
        self.mode = _IDLE
        self.token = 0  # names the pending exhaustion event; bumped when it no longer applies
        self.empties: Fraction | None = None  # when the pending exhaustion is due

    def level_at(self, t: Fraction) -> Fraction:
        if self.mode == _DRAIN:
            level = self.level - (t - self.since)
            return level if level > 0 else _ZERO
        if self.mode == _RECHARGE and self.level < self.capacity:
            level = self.level + self.rate * (t - self.since)
            return level if level < self.capacity else self.capacity
        return self.level

    def live_at(self, t: Fraction) -> bool:
        """Whether the buffer still holds autonomy (> 0) at ``t``."""
        if self.mode == _DRAIN:
            return t < self.since + self.level
        return self.level_at(t) > 0


class Engine:
    """The live state of one infrastructure model under a stream of effects.

    Parameters
    ----------
    model
        A validated infrastructure model.
    seed
        Seed of the generator that decides cyber spread tries (MODEL.md 3.7: one
        ``random.Random(seed)`` per run).  Nothing touches global random state.
    env
        The :class:`GridEnvironment` to run on (a fresh one by default).  The
        exercise layer passes its own to run response actions as SimPy
        processes on the same clock.
    debug
        Check the invariants of the module docstring after every settle and
        raise :class:`AssertionError` when one fails (slow: a from-scratch fixed
        point each time; the tests turn it on).

    Notes
    -----
    Drive it step by step: :meth:`schedule` or :meth:`apply` effects,
    :meth:`advance_to` a time, read :meth:`status`, :meth:`buffers` and
    :meth:`without`, and :meth:`subscribe` to the changes of each instant.
    The first instant (t = 0) reports every asset that is not up and every
    district and service with people without it.
    """

    def __init__(
        self,
        model: InfrastructureModel,
        *,
        seed: int,
        env: GridEnvironment | None = None,
        debug: bool = False,
    ) -> None:
        with collector_paused():
            self._build(model, seed, env)
        self.debug = debug

    def _build(self, model: InfrastructureModel, seed: int, env: GridEnvironment | None) -> None:
        self.env = env if env is not None else GridEnvironment()
        self.model = model
        self.debug = False
        self._rng = random.Random(seed)
        # The tables depend on the model alone: compiled once, shared by every engine
        # on it (read-only; what an engine changes, it copies).
        top = topology(model)
        self._ids = top.ids
        n = len(top.ids)
        self._hard = [0] * n
        self._zones = top.zones
        self._need_start = top.need_start
        self._need_asset = top.need_asset
        self._need_service = top.need_service
        self._need_cause = top.need_cause
        self._k = top.k
        self._prov_start = top.prov_start
        self._prov = top.prov
        self._dep = top.dep
        self._dep_start = top.dep_start
        self._neighbours = top.neighbours
        self._component = top.component
        self._single = top.single
        self._cyclic = top.cyclic
        # Dirty components by level (the worklist, docs/engine.md), and a heap of the
        # levels that have some.
        self._level = top.level
        self._waiting: dict[int, list[int]] = {}
        self._levels: list[int] = []
        self._queued = [False] * len(self._single)
        self._count: list[int] = top.count.copy()  # available providers of each need
        self._avail: list[bool] = top.avail.copy()
        self._buffer: list[_Buffer | None] = [
            None if spec is None else _Buffer(spec[0], spec[1], spec[2], spec[1])
            for spec in top.buffers
        ]

        self._service_keys = top.service_keys
        self._topology = top  # its indexes by name are made on first use
        self._key_population = top.key_population
        self._serve_start = top.serve_start
        self._serve_key = top.serve_key
        self._serve_units = top.serve_units
        self._served_units = top.served_units
        self._down_units = [0] * len(self._service_keys)
        self._without = [0] * len(self._service_keys)
        self._state: list[State] = ["up"] * n
        self._causes: list[tuple[str, ...]] = [()] * n
        # Each distinct tuple of causes once: a 72 h run of the 100k region reports 156,080
        # changes with causes, of 21 distinct tuples, and every report holds its tuple.
        self._same_causes: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._reported_state: list[State] = ["up"] * n
        self._reported_causes: list[tuple[str, ...]] = [()] * n
        self._reported_without = [0] * len(self._service_keys)

        # Spread schedules: (generation, t_compromise, spread) of each compromised source.
        self._spread_generation = [0] * n
        self._spread_due: list[tuple[int, int, Spread]] = []
        self._spread_origin: list[Fraction] = [_ZERO] * n
        self._touched: set[int] = set()
        # Buffers due to empty, by instant: (asset, buffer, token when scheduled).
        self._exhaustions: dict[Fraction, list[tuple[int, _Buffer, int]]] = {}
        # Spread ticks due, by instant: (source, generation, spread, tick number).
        self._ticks: dict[Fraction, list[tuple[int, int, Spread, int]]] = {}
        self._closed = False
        self._settle_pending = False
        self._full_report = True
        self._subscribers: Subscribers[Step] = Subscribers()
        self.work = Work(0.0, 0, 0)
        self.total_examined = 0
        self._examined = n  # the first fixed point, counted with the first instant's settle

        self._first_states(top)
        self._request_settle()

    def _first_states(self, top: Topology) -> None:
        """States, buffer modes and figures of the first fixed point (t = 0).

        The topology holds the fixed point itself (:class:`Topology`); an available
        asset with every need supplied is up with no causes, as the lists start, and
        its buffers recharge (they are full); every other asset is derived by
        :meth:`_refresh`, which schedules the exhaustion of any draining buffer on
        this engine's clock.
        """
        buffers = self._buffer
        for j in top.recharging:
            buffers[j].mode = _RECHARGE  # type: ignore[union-attr]  # buffered
        t = _ZERO
        serve_start, serve_key, serve_units = self._serve_start, self._serve_key, self._serve_units
        for i in top.unsettled:
            self._refresh(i, t)
            if not self._avail[i]:
                for s in range(serve_start[i], serve_start[i + 1]):
                    self._down_units[serve_key[s]] += serve_units[s]
        for key in range(len(self._service_keys)):
            self._without[key] = self._figure(key)

    # --- reading ------------------------------------------------------------------

    @property
    def now(self) -> float:
        """Simulation time in hours (a float on the 1e-9 h grid)."""
        return float(self.env.now)

    @property
    def exact_now(self) -> Fraction:
        """Simulation time in hours, exactly."""
        return self.env.exact_now

    @property
    def asset_ids(self) -> tuple[str, ...]:
        """Every asset id, sorted."""
        return self._ids

    def status(self, asset_id: str) -> AssetStatus:
        """The asset's state as of the last settled instant."""
        i = self._topology.index[asset_id]
        return AssetStatus(self._state[i], self._causes[i])

    def is_available(self, asset_id: str) -> bool:
        """Whether the asset is up or on backup."""
        return self._avail[self._topology.index[asset_id]]

    def buffers(self, asset_id: str) -> tuple[BufferStatus, ...]:
        """The asset's buffers now, by service (floats on the 1e-9 h grid)."""
        t = self.exact_now
        out = []
        for j in self._needs_of(self._topology.index[asset_id]):
            buffer = self._buffer[j]
            if buffer is None:
                continue
            remaining = buffer.level_at(t)
            empties_at = quantize(float(t + remaining)) if buffer.mode == _DRAIN else None
            out.append(
                BufferStatus(
                    self._need_service[j],
                    buffer.kind,
                    float(buffer.capacity),
                    quantize(float(remaining)),
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
        k = self._topology.key_index.get((district, service))
        return 0 if k is None else self._figure(k, self._served_units[k])

    def without(self, district: str, service: str) -> int:
        """Residents of ``district`` without ``service`` (MODEL.md 3.6)."""
        k = self._topology.key_index.get((district, service))
        return 0 if k is None else self._without[k]

    def service_figures(self) -> dict[tuple[str, str], int]:
        """Residents without each service, by (district, service)."""
        return dict(zip(self._service_keys, self._without, strict=True))

    def is_compromised(self, asset_id: str) -> bool:
        """Whether the asset carries the ``compromised`` cause."""
        return bool(self._hard[self._topology.index[asset_id]] & COMPROMISED)

    # --- driving ------------------------------------------------------------------

    def subscribe(self, callback: Callable[[Step], None]) -> Callable[[], None]:
        """Call ``callback`` with the net changes of every settled instant.

        Returns a function that ends the subscription.
        """
        return self._subscribers.add(callback)

    def schedule(self, at: Hours, effects: Sequence[Effect]) -> None:
        """Apply ``effects`` at time ``at`` (hours, not before now)."""
        self._check_open()
        exact = exact_hours(at)
        if exact < self.exact_now:
            raise ValueError(f"cannot schedule effects in the past ({at} < {self.now})")
        effects = tuple(effects)
        self._timer(exact - self.exact_now, EFFECT, lambda _: self._apply_all(effects))

    def act(self, effects: Sequence[Effect]) -> None:
        """Apply ``effects`` as part of the current instant, settled with the rest of it.

        For code already running inside the simulation (a response action's SimPy
        process, a branch being delivered).
        """
        self._check_open()
        self._apply_all(effects)

    def apply(self, effects: Sequence[Effect]) -> None:
        """Apply ``effects`` now and settle the instant at once (the clock does not move)."""
        self._check_open()
        self._apply_all(effects)
        self.advance_to(self.exact_now)

    def advance_to(self, t: Hours) -> None:
        """Run the simulation up to and including everything due at ``t``."""
        self._check_open()
        exact = exact_hours(t)
        if exact < self.exact_now:
            raise ValueError(f"cannot go back in time ({t} < {self.now})")
        stop = self._timer(exact - self.exact_now, _STOP, None)
        with collector_paused():
            self.env.run(until=stop)

    def close(self) -> None:
        """Drop everything still scheduled on the clock; the engine cannot advance after this.

        Its reading methods still answer for the last settled instant.  An engine
        with events pending (a buffer draining, a spread schedule) is a reference
        cycle through its clock, which holds it and the model until the cyclic
        garbage collector finds it: at the exit of ``cybrelia simulate`` on a region
        of 100,000 assets that full collection took 3.4 s of CPU, against 0.5 s for
        reference counting to free the same objects once the cycle is broken.  The
        exercise layer shares its clock with the engine, so only a caller that owns
        both should close.
        """
        self._closed = True
        self.env.drop_schedule()
        self._exhaustions.clear()
        self._ticks.clear()

    def _check_open(self) -> None:
        """Refuse to change or advance a closed engine: its clock has lost what was due,
        so any later state would be wrong (a generator that ran dry would never go down)."""
        if self._closed:
            raise RuntimeError("the engine is closed: it cannot be changed or advanced")

    def supplied(self, asset_id: str, service: str) -> bool:
        """Whether enough of the asset's providers of ``service`` are available."""
        j = self._need(self._topology.index[asset_id], service)
        return self._count[j] >= self._k[j]

    def providers(self, asset_id: str, service: str) -> tuple[str, ...]:
        """The assets that can supply the asset's need for ``service``."""
        j = self._need(self._topology.index[asset_id], service)
        return tuple(self._ids[p] for p in self._providers(j))

    def needs(self, asset_id: str) -> tuple[str, ...]:
        """The services the asset needs, sorted."""
        return tuple(self._need_service[j] for j in self._needs_of(self._topology.index[asset_id]))

    def _needs_of(self, i: int) -> range:
        """The numbers of asset ``i``'s needs, by service."""
        return range(self._need_start[i], self._need_start[i + 1])

    def _providers(self, j: int) -> list[int]:
        return self._prov[self._prov_start[j] : self._prov_start[j + 1]]

    def _need(self, i: int, service: str) -> int:
        """The number of asset ``i``'s need for ``service``.

        Raises
        ------
        KeyError
            If the asset has no such need.
        """
        for j in self._needs_of(i):
            if self._need_service[j] == service:
                return j
        raise KeyError(f"asset {self._ids[i]!r} has no need for {service!r}")

    def swap_buffer(
        self, asset_id: str, service: str, spec: BufferSpec | None
    ) -> BufferSpec | None:
        """Give a need another buffer (or none) from now on; return the old one as it stands.

        Response actions use this: a mobile generator brought to a water station,
        a refuelled tank, staff running a plant by hand.  The change is settled with
        the rest of the instant and, as MODEL.md 3.3 (1.1) asks, availability is then
        the least fixed point for the buffers as they now are: the asset's component
        is re-derived, so a cycle that only the old buffer grounded goes down.

        Raises
        ------
        KeyError
            If the asset has no need for ``service``.
        """
        i = self._topology.index[asset_id]
        j = self._need(i, service)
        t = self.exact_now
        old = self._buffer[j]
        previous = None
        if old is not None:
            previous = BufferSpec(old.kind, old.capacity, old.rate, old.level_at(t))
            old.token += 1  # its pending exhaustion, if any, no longer applies
            old.empties = None
        if spec is None:
            self._buffer[j] = None
        else:
            hours = exact_hours(spec.hours)
            level = exact_hours(spec.level)
            buffer = _Buffer(
                spec.kind, hours, exact_hours(spec.recharge), level if level < hours else hours
            )
            buffer.since = t
            self._buffer[j] = buffer
        self._touch(i)
        return previous

    def after(
        self, delay: Hours, priority: EventPriority, callback: Callable[[simpy.Event], None]
    ) -> None:
        """Call ``callback`` ``delay`` hours from now, at ``priority`` within that instant.

        The exercise layer uses :data:`EFFECT` for inputs that change the
        infrastructure and :data:`OBSERVE` for reading the settled instant.
        """
        self._check_open()
        self._timer(delay, priority, callback)

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
                i = self._topology.index[asset_id]
                if verb == "damage":
                    self._add_cause(i, DAMAGED)
                elif verb == "repair":
                    self._clear_cause(i, DAMAGED)
                elif verb == "compromise":
                    self._compromise(i, effect.spread)
                elif verb == "restore":
                    if self._hard[i] & COMPROMISED:
                        self._spread_generation[i] += 1  # ends its schedule
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
        """Asset ``i``'s inputs changed: re-read its component at the next settle."""
        self._touched.add(i)
        self._enqueue(self._component[i])
        self._request_settle()

    def _enqueue(self, c: int) -> None:
        """Put component ``c`` on the worklist, with the others of its level.

        Only the levels are kept in order (a heap of a few dozen on a region): components
        of one level share no edge, so the order among them changes nothing, and a heap
        of every dirty component cost a comparison per level of the heap and component
        (36,000 of them at once on the 100k region).
        """
        if not self._queued[c]:
            self._queued[c] = True
            level = self._level[c]
            waiting = self._waiting.get(level)
            if waiting is None:
                self._waiting[level] = [c]
                heappush(self._levels, level)
            else:
                waiting.append(c)

    # --- cyber spread (MODEL.md 3.7) ----------------------------------------------

    def _compromise(self, i: int, spread: Spread | None) -> None:
        """Compromise an asset; an asset already compromised keeps its schedule."""
        if self._hard[i] & COMPROMISED:
            return
        self._add_cause(i, COMPROMISED)
        self._spread_generation[i] += 1
        if spread is not None:
            self._spread_origin[i] = self.exact_now
            self._schedule_tick(i, self._spread_generation[i], spread, 1)

    def _schedule_tick(self, i: int, generation: int, spread: Spread, n: int) -> None:
        """Tick ``n`` of asset ``i``'s schedule, at exactly ``t_compromise + n * every``.

        Sources compromised at one instant with one ``every`` tick together, so their
        ticks share one clock event (:meth:`_join`), run in the order scheduled.
        """
        at = self._spread_origin[i] + n * exact_hours(spread.every)
        self._join(self._ticks, at, _SPREAD_TICK, self._spread_ticks, (i, generation, spread, n))

    def _spread_ticks(self, due: list[tuple[int, int, Spread, int]]) -> None:
        for i, generation, spread, n in due:
            if generation != self._spread_generation[i]:
                continue  # restored (and perhaps compromised anew) since
            if not self._spread_due:
                self._timer(0, _SPREAD_TRIES, lambda _: self._spread_tries())
            self._spread_due.append((i, generation, spread))
            self._schedule_tick(i, generation, spread, n + 1)

    def _spread_tries(self) -> None:
        """Every source due now tries its neighbours, by source id then target id."""
        due, self._spread_due = sorted(self._spread_due, key=lambda item: item[0]), []
        hard = self._hard
        for source, generation, spread in due:
            if generation != self._spread_generation[source] or hard[source] & ISOLATED:
                continue  # restored since its tick, or isolated: it tries nothing
            for target in self._neighbours[source]:  # cyber assets exposed to a spread
                if hard[target] & (COMPROMISED | ISOLATED):
                    continue  # not eligible: skipped, draws nothing
                if self._rng.random() < spread.probability:
                    self._compromise(target, spread)

    # --- availability -------------------------------------------------------------

    def _met(self, i: int, t: Fraction) -> bool:
        """Whether every need of asset ``i`` is met, given current provider counts."""
        count = self._count
        k = self._k
        for j in range(self._need_start[i], self._need_start[i + 1]):
            if count[j] < k[j]:
                buffer = self._buffer[j]
                if buffer is None or not buffer.live_at(t):
                    return False
        return True

    def _flip(self, x: int, available: bool, changed: list[int]) -> None:
        """Set acyclic asset ``x``'s availability; pass on needs whose supply may change.

        An acyclic dependent is looked at only when the count crosses its ``k``; a
        cyclic component whenever one of its external providers flips, because its
        members' counts include support from each other that may no longer be grounded.
        """
        self._avail[x] = available
        changed.append(x)
        touched = self._touched
        component = self._component
        single = self._single
        step = 1 if available else -1
        crossing = 0 if available else -1  # count - k right after crossing
        count = self._count
        k = self._k
        need_asset = self._need_asset
        for j in self._dep[self._dep_start[x] : self._dep_start[x + 1]]:
            count[j] += step
            y = need_asset[j]
            c = component[y]
            if count[j] - k[j] == crossing or single[c] < 0:
                touched.add(y)
                self._enqueue(c)

    def _rederive(self, c: int, t: Fraction, changed: list[int]) -> None:
        """The least fixed point inside cyclic component ``c``, grown from nothing."""
        members = self._cyclic[c]
        avail = self._avail
        hard = self._hard
        dep = self._dep
        dep_start = self._dep_start
        count = self._count
        k = self._k
        need_asset = self._need_asset
        component = self._component
        was = [avail[m] for m in members]
        outside: dict[int, int] = {}  # needs outside ``c`` moved, with their count before
        for m in members:
            if avail[m]:
                avail[m] = False
                for j in dep[dep_start[m] : dep_start[m + 1]]:
                    if component[need_asset[j]] != c and j not in outside:
                        outside[j] = count[j]
                    count[j] -= 1
        stack = list(members)
        met = self._met
        while stack:
            x = stack.pop()
            if avail[x] or hard[x] or not met(x, t):
                continue
            avail[x] = True
            for j in dep[dep_start[x] : dep_start[x + 1]]:
                y = need_asset[j]
                if component[y] != c:
                    if j not in outside:
                        outside[j] = count[j]
                    count[j] += 1
                else:
                    count[j] += 1
                    if count[j] == k[j] and not avail[y]:
                        stack.append(y)
        touched = self._touched
        for m, before in zip(members, was, strict=True):
            touched.add(m)
            if avail[m] != before:
                changed.append(m)
        single = self._single
        for j, earlier in outside.items():
            y = need_asset[j]
            other = component[y]
            now = count[j]
            if (earlier >= k[j]) != (now >= k[j]) or (single[other] < 0 and earlier != now):
                touched.add(y)
                self._enqueue(other)

    def _settle(self) -> None:
        """Recompute availability after this instant's inputs and report the net changes."""
        self._settle_pending = False
        t = self.exact_now
        levels = self._levels
        waiting = self._waiting
        queued = self._queued
        single = self._single
        hard = self._hard
        avail = self._avail
        met = self._met
        changed: list[int] = []
        examined, self._examined = self._examined, 0
        while levels:
            # Whatever this level's components put on the worklist lies on higher levels.
            for c in waiting.pop(heappop(levels)):
                queued[c] = False
                x = single[c]
                if x < 0:
                    examined += len(self._cyclic[c])
                    self._rederive(c, t, changed)
                    continue
                examined += 1
                available = not hard[x] and met(x, t)
                if available != avail[x]:
                    self._flip(x, available, changed)

        touched, self._touched = self._touched, set()
        serve_start, serve_key, serve_units = self._serve_start, self._serve_key, self._serve_units
        down_units = self._down_units
        dirty_keys: set[int] = set()
        for x in changed:
            units_sign = -1 if avail[x] else 1
            for s in range(serve_start[x], serve_start[x + 1]):
                k = serve_key[s]
                down_units[k] += units_sign * serve_units[s]
                dirty_keys.add(k)
        for x in touched:
            self._refresh(x, t)
        for k in dirty_keys:
            self._without[k] = self._figure(k)
        self.work = Work(quantize(float(t)), examined, len(changed))
        self.total_examined += examined

        if self._full_report:
            self._full_report = False
            touched = set(range(len(self._ids)))
            dirty_keys = set(range(len(self._service_keys)))
        if self.debug:
            self._check_invariants()
        self._report(t, touched, dirty_keys)

    def _refresh(self, i: int, t: Fraction) -> None:
        """Derive state, causes and buffer modes of asset ``i`` from its needs."""
        available = self._avail[i]
        all_supplied = True
        unmet: list[str] = []
        count = self._count
        k = self._k
        for j in range(self._need_start[i], self._need_start[i + 1]):
            supplied = count[j] >= k[j]
            buffer = self._buffer[j]
            if buffer is not None:
                mode = _IDLE if not available else _RECHARGE if supplied else _DRAIN
                if mode != buffer.mode:
                    buffer.level = buffer.level_at(t)
                    buffer.since = t
                    buffer.mode = mode
                    buffer.token += 1
                    buffer.empties = None
                    if mode == _DRAIN:
                        self._schedule_exhaustion(i, buffer)
            if not supplied:
                all_supplied = False
                if not available and (buffer is None or not buffer.live_at(t)):
                    unmet.append(self._need_cause[j])
        if available:
            self._state[i] = "up" if all_supplied else "backup"
            self._causes[i] = ()
        else:
            hard = self._hard[i]
            causes = [name for bit, name in _HARD_CAUSES if hard & bit]
            self._state[i] = "down"
            derived = (*causes, *unmet)
            self._causes[i] = self._same_causes.setdefault(derived, derived)

    def _schedule_exhaustion(self, i: int, buffer: _Buffer) -> None:
        """Asset ``i``'s draining ``buffer`` empties at exactly ``since + level``.

        Buffers that empty at the same instant share one clock event (thousands do on
        a large region, where one lost substation starts them all at once): the heap
        then holds an event per instant, not per buffer.  Exhaustions commute (each
        only marks its asset for the settle that follows), so their order within the
        instant does not matter.
        """
        at = buffer.since + buffer.level
        buffer.empties = at
        self._join(self._exhaustions, at, _EXHAUST, self._exhaust, (i, buffer, buffer.token))

    def _exhaust(self, due: list[tuple[int, _Buffer, int]]) -> None:
        """Empty every buffer due now that still drains as it did when it was scheduled."""
        t = self.exact_now
        for i, buffer, token in due:
            if buffer.token == token:
                buffer.empties = None
                buffer.level = _ZERO
                buffer.since = t
                self._touch(i)

    def _figure(self, k: int, units: int | None = None) -> int:
        """Residents without service for key ``k``: population x share, halves up."""
        units = min(self._down_units[k] if units is None else units, SHARE_UNITS)
        return (2 * self._key_population[k] * units + SHARE_UNITS) // (2 * SHARE_UNITS)

    def _report(self, t: Fraction, touched: set[int], dirty_keys: set[int]) -> None:
        when = quantize(float(t))
        asset_changes = []
        for i in sorted(touched):
            state, causes = self._state[i], self._causes[i]
            if state != self._reported_state[i] or causes != self._reported_causes[i]:
                self._reported_state[i] = state
                self._reported_causes[i] = causes
                asset_changes.append(AssetChange(when, self._ids[i], state, causes))
        service_changes = []
        for k in sorted(dirty_keys):
            if self._without[k] != self._reported_without[k]:
                self._reported_without[k] = self._without[k]
                district, service = self._service_keys[k]
                service_changes.append(ServiceChange(when, district, service, self._without[k]))
        if asset_changes or service_changes:
            self._subscribers.emit(Step(when, tuple(asset_changes), tuple(service_changes)))

    # --- the invariants of the module docstring, checked from scratch ------------------

    def _check_invariants(self) -> None:
        """Raise :class:`AssertionError` if one of I1-I5 does not hold (``debug=True``)."""
        t = self.exact_now
        n = len(self._ids)
        avail = self._avail
        ids = self._ids
        assert not self._levels and not self._waiting, "I5"
        assert not any(self._queued) and not self._touched, "I5"
        count, k, buffers = self._count, self._k, self._buffer
        for j, i in enumerate(self._need_asset):
            available = sum(avail[p] for p in self._providers(j))
            assert count[j] == available, ("I1", ids[i], self._need_service[j])
        scratch = [False] * n
        grew = True
        while grew:
            grew = False
            for i in range(n):
                if scratch[i] or self._hard[i]:
                    continue
                if all(
                    sum(scratch[p] for p in self._providers(j)) >= k[j]
                    or ((buffer := buffers[j]) is not None and buffer.live_at(t))
                    for j in self._needs_of(i)
                ):
                    scratch[i] = grew = True
        wrong = [ids[i] for i in range(n) if scratch[i] != avail[i]]
        assert not wrong, ("I2", float(t), wrong)
        for j, i in enumerate(self._need_asset):
            buffer = buffers[j]
            if buffer is None:
                continue
            service = self._need_service[j]
            mode = _IDLE if not avail[i] else _RECHARGE if count[j] >= k[j] else _DRAIN
            assert buffer.mode == mode, ("I3", ids[i], service)
            assert 0 <= buffer.level <= buffer.capacity, ("I3", ids[i], service)
            if mode == _DRAIN:
                assert buffer.empties == buffer.since + buffer.level, ("I3", ids[i])
                assert buffer.empties > t, ("I3", ids[i], service)
        down = [0] * len(self._service_keys)
        for i in range(n):
            state = self._state[i]
            assert (state == "down") == (not avail[i]), ("I4", ids[i])
            if avail[i]:
                supplied = all(count[j] >= k[j] for j in self._needs_of(i))
                assert state == ("up" if supplied else "backup"), ("I4", ids[i])
            else:
                for s in range(self._serve_start[i], self._serve_start[i + 1]):
                    down[self._serve_key[s]] += self._serve_units[s]
        assert down == self._down_units, "I4: population units"
        assert self._without == [self._figure(key) for key in range(len(down))], "I4: figures"

    # --- scheduling helpers ---------------------------------------------------------

    def _request_settle(self) -> None:
        if not self._settle_pending:
            self._settle_pending = True
            self._timer(0, _SETTLE, lambda _: self._settle())

    def _join(
        self,
        batches: dict[Fraction, list[_Item]],
        at: Fraction,
        priority: EventPriority,
        run: Callable[[list[_Item]], None],
        item: _Item,
    ) -> None:
        """Add ``item`` to the batch due at exactly ``at``; one clock event runs the batch.

        For inputs that commute within an instant (buffer exhaustions, spread ticks),
        of which thousands can be due at once on a large region: the clock's heap
        then holds an event per instant rather than per item.  A batch is taken out
        when it runs, so an item due at an instant whose batch has run gets a new one.
        """
        batch = batches.get(at)
        if batch is None:
            batches[at] = [item]
            self._timer(at - self.exact_now, priority, lambda _: run(batches.pop(at)))
        else:
            batch.append(item)

    def _timer(
        self,
        delay: Hours,
        priority: EventPriority,
        callback: Callable[[simpy.Event], None] | None,
    ) -> simpy.Event:
        """An event at exactly ``now + delay``, at ``priority`` among the events of that instant."""
        event = simpy.Event(self.env)
        event._ok = True
        event._value = None
        if callback is not None:
            event.callbacks.append(callback)
        self.env.schedule(event, priority, delay)
        return event
