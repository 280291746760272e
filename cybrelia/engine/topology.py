"""What an engine derives from its model alone, compiled once per model and shared.

Dry runs build thousands of engines on one model (each replication plays up to
three exercises), sessions replay into fresh ones, and every one of them used to
walk the model again: sort the assets, number the needs, look up every provider,
condense the graph, tabulate who serves whom and grow the first fixed point.
None of that depends on anything but the model, so :func:`topology` does it once
per model object and every :class:`~cybrelia.engine.cascade.Engine` built on the
same object shares the result (read-only: an engine copies the few lists it
changes).  The cache holds a weak reference to the model, so a model no longer
used takes its topology with it.

The model must not change in place once an engine is built on it (nothing in
CYBRELIA does that: a dry run's variation copies what it changes, see
:mod:`cybrelia.ensemble.plan`).

Tables (see docs/engine.md, "Construction: flat tables"): assets are numbered by
id; needs are numbered asset by asset, by service (``need_start[i]`` to
``need_start[i + 1]``), with providers ``prov[prov_start[j] : prov_start[j + 1]]``
and dependents (need numbers) ``dep[dep_start[x] : dep_start[x + 1]]``.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import chain
from operator import itemgetter
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from cybrelia.engine.clock import exact_hours
from cybrelia.engine.condensation import condense, gather
from cybrelia.files.bulk import collector_paused
from cybrelia.files.columns import Shares, take_columns
from cybrelia.files.memo import PerModel
from cybrelia.files.model import Buffer, Cyber, InfrastructureModel

__all__ = ["BufferSpecs", "Topology", "topology"]

Indices = npt.NDArray[np.int64]

#: A buffer as the model states it: kind, capacity and recharge rate (exact hours), and
#: whether its capacity is positive (whether a full one holds autonomy).
BufferSpecs = tuple[str, Fraction, Fraction, bool]

_T = TypeVar("_T")

#: Below this many assets in a round, the first fixed point is grown in plain Python.
_SMALL_ROUND = 64


class Topology:
    """The immutable tables of one model, and its first fixed point (t = 0).

    Attributes
    ----------
    ids, index
        Asset ids, sorted, and the number of each (made on first use).
    cyber
        Each asset's ``cyber`` block, or None.
    need_start, need_asset, need_service, k
        The needs, flat (module docstring).
    need_cause
        The cause an unmet need gives its asset (``needs:<service>``), one string per
        service shared by every need of it.
    buffers
        Each need's buffer as :data:`BufferSpecs`, or None.
    prov_start, prov, dep_start, dep
        Providers of each need and dependents of each asset.
    neighbours
        The assets each asset's cyber links lead to that a spread can compromise (cyber
        assets whose exposure is not ``none``), sorted.
    zones
        The assets of each zone, by number.
    component, single, cyclic, level
        The condensation (:class:`~cybrelia.engine.condensation.Condensation`).
    service_keys, key_index, key_population, served_units
        The (district, service) figures in report order, their populations and the share
        units served of each key.
    serve_start, serve_key, serve_units
        What each asset serves: asset ``i`` serves key ``serve_key[s]`` with
        ``serve_units[s]`` share units for ``s`` in ``serve_start[i]`` to
        ``serve_start[i + 1]``, by key.
    count, avail
        Available providers of each need, and each asset's availability, in the least
        fixed point at t = 0 (no hard causes, every buffer full).
    recharging
        Needs whose buffer recharges at t = 0 (the asset is available with every need
        supplied).
    unsettled
        Assets that are not simply ``up`` at t = 0 (down, or on a buffer): each engine
        derives their state and buffer modes itself, since a draining buffer schedules
        its exhaustion on the engine's own clock.
    """

    __slots__ = (
        "_index",
        "_key_index",
        "avail",
        "buffers",
        "component",
        "count",
        "cyber",
        "cyclic",
        "dep",
        "dep_start",
        "ids",
        "k",
        "key_population",
        "level",
        "need_asset",
        "need_cause",
        "need_service",
        "need_start",
        "neighbours",
        "prov",
        "prov_start",
        "recharging",
        "serve_key",
        "serve_start",
        "serve_units",
        "served_units",
        "service_keys",
        "single",
        "unsettled",
        "zones",
    )

    def __init__(self, model: InfrastructureModel) -> None:
        # The assets, needs, providers and shares as the loader's walk left them, in file
        # order (:mod:`cybrelia.files.columns`); here they are renumbered by sorted id.
        columns = take_columns(model)
        n = len(columns.ids)
        file_ids = columns.ids
        order = sorted(range(n), key=file_ids.__getitem__)  # the position of asset i
        rank = np.empty(n, dtype=np.int64)  # the number of the asset at each position
        rank[np.asarray(order, dtype=np.int64)] = np.arange(n, dtype=np.int64)
        self.ids: tuple[str, ...] = tuple(_pick(file_ids, order))
        self._index: dict[str, int] | None = None
        self.cyber: list[Cyber | None] = _pick(columns.cyber, order)
        ranks: list[int] = rank.tolist()
        position = columns.position
        zones: dict[str, list[int]] = {}
        for p, named in enumerate(columns.zones):
            if named:
                for zone in named:
                    zones.setdefault(zone, []).append(ranks[p])
        for members in zones.values():
            members.sort()
        self.zones = zones

        # Needs by asset number; an asset's own needs stay in service order.
        m = len(columns.need_owner)
        owners = rank[np.asarray(columns.need_owner, dtype=np.int64)]
        by_asset = np.argsort(owners, kind="stable")
        need_assets = owners[by_asset]
        picked = by_asset.tolist()
        self.need_asset: list[int] = need_assets.tolist()
        self.need_service: list[str] = _pick(columns.need_service, picked)
        cause_of = {service: "needs:" + service for service in set(self.need_service)}
        self.need_cause: list[str] = [cause_of[service] for service in self.need_service]
        self.k: list[int] = _pick(columns.need_k, picked)
        # Buffers read in file order, where the objects lie in memory one after another
        # (in the order of ids, every one was a cache miss), then renumbered.
        specs: dict[tuple[str, float, float | None], BufferSpecs] = {}  # a few distinct ones
        in_file_order: list[BufferSpecs | None] = [
            None
            if buffer is None
            else specs.get((buffer.kind, buffer.hours, buffer.recharge)) or _spec(specs, buffer)
            for buffer in columns.need_buffer
        ]
        self.buffers = _pick(in_file_order, picked)
        starts = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(need_assets, minlength=n), out=starts[1:])
        self.need_start: list[int] = starts.tolist()

        file_start = np.asarray(columns.provider_start, dtype=np.int64)
        positions = np.asarray(columns.providers, dtype=np.int64)
        if len(positions) and positions.min() < 0:
            unknown = columns.providers.index(-1)
            raise KeyError(list(chain.from_iterable(columns.need_from))[unknown])
        prov = rank[gather(file_start, positions, by_asset)] if m else positions
        sizes = (file_start[1:] - file_start[:-1])[by_asset]
        prov_start = np.zeros(m + 1, dtype=np.int64)
        np.cumsum(sizes, out=prov_start[1:])
        self.prov_start: list[int] = prov_start.tolist()
        self.prov: list[int] = prov.tolist()
        edge_need = np.repeat(np.arange(m, dtype=np.int64), sizes)
        by_provider = np.argsort(prov, kind="stable")
        dependents = edge_need[by_provider]
        self.dep: list[int] = dependents.tolist()
        dep_start = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(prov, minlength=n), out=dep_start[1:])
        self.dep_start: list[int] = dep_start.tolist()

        # A spread tries only linked cyber assets that are exposed at all (MODEL.md 3.7);
        # the others never are eligible, so they are left out once, here.
        cyber = self.cyber
        linked: dict[int, set[int]] = {}
        for left_id, right_id in model.cyber_links:
            left, right = ranks[position[left_id]], ranks[position[right_id]]
            linked.setdefault(left, set()).add(right)
            linked.setdefault(right, set()).add(left)
        no_links: tuple[int, ...] = ()
        self.neighbours = [no_links] * n
        for i, links in linked.items():
            self.neighbours[i] = tuple(
                sorted(
                    x for x in links if (block := cyber[x]) is not None and block.exposure != "none"
                )
            )

        condensation = condense(n, prov, need_assets[edge_need])
        self.component = condensation.component
        self.single = condensation.single
        self.cyclic = condensation.cyclic
        self.level = condensation.level

        self._services(model, columns.sorted_shares(), rank)
        self._first_fixed_point(need_assets, dep_start, dependents)

    def _services(self, model: InfrastructureModel, shares: Shares, rank: Indices) -> None:
        """The (district, service) figures, keyed in report order, and what each asset serves.

        ``shares`` come with their keys sorted (:meth:`ModelColumns.sorted_shares`): keys
        are numbered in report order, and each asset's entries are sorted by key, hence by
        district and service; an asset that lists a service twice serves it once.  What
        each asset serves is flat (``serve_start``, ``serve_key``, ``serve_units``), not a
        tuple of pairs per asset: on a region of 100,000 assets those were about 280,000
        objects to make and for the cyclic collector to walk.
        """
        populations = {district.id: district.population for district in model.districts}
        keys = list(shares)
        self.service_keys: tuple[tuple[str, str], ...] = tuple(keys)
        self._key_index: dict[tuple[str, str], int] | None = None
        self.key_population = list(map(populations.__getitem__, map(itemgetter(0), keys)))
        n = len(rank)
        starts = np.zeros(n + 1, dtype=np.int64)
        if not keys:
            self.served_units: list[int] = []
            self.serve_start: list[int] = starts.tolist()
            self.serve_key: list[int] = []
            self.serve_units: list[int] = []
            return
        lists = list(shares.values())
        sizes = [len(entries) >> 1 for entries in lists]  # flat: position, units, ...
        flat = np.fromiter(
            chain.from_iterable(lists), dtype=np.int64, count=2 * sum(sizes)
        ).reshape(-1, 2)
        del lists
        key = np.repeat(np.arange(len(keys), dtype=np.int64), sizes)
        asset = rank[flat[:, 0]]
        units = flat[:, 1]
        # Within a key, entries are by position: a service listed twice is adjacent.
        keep = np.ones(len(key), dtype=bool)
        keep[1:] = (key[1:] != key[:-1]) | (asset[1:] != asset[:-1])
        key, asset, units = key[keep], asset[keep], units[keep]
        served = np.zeros(len(keys), dtype=np.int64)
        np.add.at(served, key, units)
        self.served_units = served.tolist()
        by_asset = np.argsort(asset, kind="stable")  # keys stay in order within an asset
        np.cumsum(np.bincount(asset, minlength=n), out=starts[1:])
        self.serve_start = starts.tolist()
        self.serve_key = key[by_asset].tolist()
        self.serve_units = units[by_asset].tolist()

    @property
    def index(self) -> dict[str, int]:
        """The number of each asset id, made on first use.

        A run driven by a scenario names a few assets (its effects; zones are by number
        already), so ``cybrelia simulate`` on a region of 100,000 assets never needs a
        table of every id; the exercise and the consoles look assets up by id, and make
        it on their first look.
        """
        if self._index is None:
            self._index = dict(zip(self.ids, range(len(self.ids)), strict=True))
        return self._index

    @property
    def key_index(self) -> dict[tuple[str, str], int]:
        """The number of each (district, service) key, made on first use.

        Only :meth:`~cybrelia.engine.cascade.Engine.without` and ``served`` look keys up
        by name; a region has tens of thousands of keys, so a run that never asks
        (``cybrelia simulate``) does not pay for hashing them all.
        """
        if self._key_index is None:
            self._key_index = {key: number for number, key in enumerate(self.service_keys)}
        return self._key_index

    def _first_fixed_point(
        self, need_asset: Indices, dep_start: Indices, dependents: Indices
    ) -> None:
        """Least fixed point from nothing available, with every buffer full; t = 0.

        No asset carries a hard cause yet and a buffer holds autonomy iff its
        capacity is positive, so a need is met iff it has a buffer of positive
        capacity or ``k`` available providers.  The available set is grown in
        rounds, NumPy on whole arrays: every asset whose needs are all met becomes
        available, which raises the counts of the needs it provides; round by
        round until nothing more is met.  That is the least fixed point (it only
        ever adds assets whose needs are met by what is already grounded), the
        same as component by component in topological order.  Once a round is
        small, the rest is grown one asset at a time in plain Python.
        """
        n = len(self.ids)
        m = len(self.need_asset)
        k = np.asarray(self.k, dtype=np.int64)
        buffered_any = np.fromiter([spec is not None for spec in self.buffers], bool, m)
        buffered = np.fromiter([spec is not None and spec[3] for spec in self.buffers], bool, m)
        count = np.zeros(m, dtype=np.int64)
        met = buffered.copy()
        unmet = np.bincount(need_asset[~met], minlength=n)
        avail = np.zeros(n, dtype=bool)
        grown = np.flatnonzero(unmet == 0)
        while len(grown) >= _SMALL_ROUND:
            avail[grown] = True
            reached = gather(dep_start, dependents, grown)
            if not len(reached):
                grown = grown[:0]
                break
            count += np.bincount(reached, minlength=m)
            reached = np.unique(reached)
            newly = reached[~met[reached] & (count[reached] >= k[reached])]
            met[newly] = True
            owners = need_asset[newly]
            unmet -= np.bincount(owners, minlength=n)
            owners = np.unique(owners)
            grown = owners[(unmet[owners] == 0) & ~avail[owners]]
        self.count: list[int] = count.tolist()
        self.avail: list[bool] = avail.tolist()
        stack = grown.tolist()
        if stack:
            self._grow(stack, met.tolist(), unmet.tolist())
        # An available asset with every need supplied is up with no causes and its
        # buffers recharge (they are full); every other asset is left to the engine.
        available = np.asarray(self.avail, dtype=bool)
        supplied = np.asarray(self.count, dtype=np.int64) >= k
        short = np.bincount(need_asset[~supplied], minlength=n)
        quiet = available & (short == 0)
        self.recharging: list[int] = np.flatnonzero(buffered_any & quiet[need_asset]).tolist()
        self.unsettled: list[int] = np.flatnonzero(~quiet).tolist()

    def _grow(self, stack: list[int], met: list[bool], unmet: list[int]) -> None:
        """Make the assets of ``stack`` available and grow on from them, one at a time."""
        avail = self.avail
        count = self.count
        k = self.k
        need_asset = self.need_asset
        dep = self.dep
        dep_start = self.dep_start
        while stack:
            x = stack.pop()
            if avail[x]:
                continue
            avail[x] = True
            for j in dep[dep_start[x] : dep_start[x + 1]]:
                count[j] += 1
                if not met[j] and count[j] >= k[j]:
                    met[j] = True
                    y = need_asset[j]
                    unmet[y] -= 1
                    if unmet[y] == 0:
                        stack.append(y)


def _spec(specs: dict[tuple[str, float, float | None], BufferSpecs], buffer: Buffer) -> BufferSpecs:
    """The exact form of ``buffer``, kept for every buffer stated with the same numbers."""
    capacity = exact_hours(buffer.hours)
    spec = (buffer.kind, capacity, exact_hours(buffer.recharge_rate), capacity > 0)
    specs[(buffer.kind, buffer.hours, buffer.recharge)] = spec
    return spec


def _pick(values: list[_T], numbers: list[int]) -> list[_T]:
    """``[values[j] for j in numbers]``, at C speed."""
    if not numbers:
        return []
    if len(numbers) == 1:
        return [values[numbers[0]]]
    return list(itemgetter(*numbers)(values))


#: Compiled topologies, shared while their model lives.
_COMPILED: PerModel[InfrastructureModel, Topology] = PerModel()


def topology(model: InfrastructureModel) -> Topology:
    """The model's topology, compiled on first use and shared by every engine built on it."""
    compiled = _COMPILED.get(model)
    if compiled is None:
        with collector_paused():
            compiled = Topology(model)
        _COMPILED.put(model, compiled)
    return compiled
