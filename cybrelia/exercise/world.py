"""The physical world the response works in: generators' fuel, fuel stocks, vehicles, roads.

The engine knows which assets are available; this module knows what it takes
to help them (docs/world.md): whether a generator is big enough for a load
and how fast it burns its tank, how much diesel the fuel stations and depots
hold and the fuel trucks carry, how many people a water tanker can serve,
and how long a trip takes over the roads that are still open.  It changes no
asset's state itself: the response actions read it and act through the
engine's public API.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import networkx as nx

from cybrelia.engine.cascade import Engine
from cybrelia.files.model import Asset, District, InfrastructureModel, Resource

__all__ = [
    "BASE",
    "DISTRICT_TRAVEL_HOURS",
    "FUEL_CURVE_INTERCEPT",
    "FUEL_CURVE_SLOPE",
    "LOAD_WHEN_UNKNOWN",
    "POWER_FACTOR",
    "Leg",
    "World",
    "litres_per_hour",
    "rated_kw",
    "share_out",
]

#: The starting point of crews and vehicles (the model's ``base`` place).
BASE = "@base"
#: Real power of a generator per kVA: gensets are rated at cos φ = 0.8 (ISO 8528-1).
POWER_FACTOR = 0.8
#: Diesel fuel curve, litres per hour = F0 * rated kW + F1 * load kW (HOMER Pro's
#: linear fuel curve, with the coefficients of its worked 50 kW example).
FUEL_CURVE_INTERCEPT = 0.033
FUEL_CURVE_SLOPE = 0.273
#: Share of the rated power taken as the load when an asset states none.
LOAD_WHEN_UNKNOWN = 0.75
#: Hours from the base to a district that names no place (a tanker's old default).
DISTRICT_TRAVEL_HOURS = 1.0


def rated_kw(kva: float) -> float:
    """Real power a generator of ``kva`` delivers."""
    return kva * POWER_FACTOR


def litres_per_hour(kva: float, load_kw: float | None) -> float:
    """Diesel a generator of ``kva`` burns per hour carrying ``load_kw``."""
    rated = rated_kw(kva)
    load = rated * LOAD_WHEN_UNKNOWN if load_kw is None else load_kw
    return FUEL_CURVE_INTERCEPT * rated + FUEL_CURVE_SLOPE * load


def share_out(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split ``total`` in proportion to ``weights`` by largest remainders (ties by key)."""
    weight = sum(weights.values())
    if weight <= 0:
        return dict.fromkeys(weights, 0)
    exact = {key: total * value / weight for key, value in weights.items()}
    shares = {key: math.floor(value) for key, value in exact.items()}
    left = total - sum(shares.values())
    for key in sorted(exact, key=lambda k: (shares[k] - exact[k], k))[:left]:
        shares[key] += 1
    return shares


@dataclass(frozen=True)
class Leg:
    """A trip between two points: its hours, or why it cannot be made."""

    hours: float | None
    roads: tuple[str, ...] = ()
    """The roads driven, or, for a trip that cannot be made, those cut on the usual route."""

    @property
    def open(self) -> bool:
        """Whether the trip can be made now."""
        return self.hours is not None


class World:
    """Fuel stocks, vehicle loads and the road network around one exercise.

    Parameters
    ----------
    model
        The infrastructure model (its world fields; all optional).
    engine
        The live cascade, read for which roads, stations and sources work.
    """

    def __init__(
        self, model: InfrastructureModel, engine: Engine, stocks: dict[str, int] | None = None
    ) -> None:
        self.engine = engine
        #: The gmina's civil-protection stocks left, person-days of each essential.
        self.stocks: dict[str, int] = dict(sorted((stocks or {}).items()))
        self.assets: dict[str, Asset] = model.asset_index()
        self.districts: dict[str, District] = model.district_index()
        self.base = model.base
        #: Diesel in stock at each fuel station and depot, litres.
        self.fuel: dict[str, float] = {
            a.id: a.fuel_l for a in sorted(model.assets, key=lambda a: a.id) if a.fuel_l is not None
        }
        #: Litres aboard each fuel truck of a pool with a stated capacity, fullest first.
        self.truck_loads: dict[str, list[float]] = {
            r.id: [r.capacity_l] * r.count
            for r in sorted(model.resources, key=lambda r: r.id)
            if r.capacity_l is not None
        }
        #: People evacuated to each destination so far.
        self.placed: dict[str, int] = {}
        #: Units each outside source has granted, by (source, kind).
        self.granted: dict[tuple[str, str], int] = {}
        #: Litres per hour of the generator now running at an asset, where known.
        self.burn: dict[str, float] = {}
        for asset in model.assets:
            for need in asset.needs.values():
                buffer = need.buffer
                generator = buffer is not None and buffer.kind == "generator"
                if generator and buffer and buffer.litres and buffer.hours > 0:
                    self.burn[asset.id] = buffer.litres / buffer.hours
        #: Roads and bridges a crowd blocks now (docs/information.md 6).
        self.crowded: set[str] = set()
        self._roads = nx.MultiGraph()
        for asset in sorted(model.assets, key=lambda a: a.id):
            if asset.road is not None:
                left, right = asset.road.between
                self._roads.add_edge(left, right, key=asset.id, hours=asset.road.hours)
        self._road_ids = sorted(road for _, _, road in self._roads.edges(keys=True))
        # Each trip found, by (the roads closed then, start, end): _route.
        self._legs: dict[tuple[tuple[str, ...], str, str], Leg] = {}

    # --- roads --------------------------------------------------------------------

    def place(self, point: str) -> str | None:
        """Where a point (:data:`BASE`, an asset id, a district id) lies on the roads."""
        if point == BASE:
            return self.base
        if point in self.assets:
            return self.assets[point].at
        district = self.districts.get(point)
        return district.at if district is not None else None

    def leg(self, origin: str, destination: str) -> Leg:
        """The fastest trip between two points over the roads that are open now.

        Points that name no place on the roads fall back to the model's
        ``travel_hours`` from the base (1 h to a district), and a trip between
        two such points goes through the base.
        """
        start, end = self.place(origin), self.place(destination)
        if start is not None and end is not None and start in self._roads and end in self._roads:
            return self._route(start, end)
        if origin == destination:
            return Leg(0.0)
        hours = self._fallback(origin) + self._fallback(destination)
        return Leg(hours)

    def _fallback(self, point: str) -> float:
        if point == BASE:
            return 0.0
        if point in self.assets:
            return self.assets[point].travel_hours
        return DISTRICT_TRAVEL_HOURS

    def _network(self, only_open: bool) -> nx.Graph:
        """The fastest road between each pair of places (ties by road id), open ones only or all."""
        graph = nx.Graph()
        graph.add_nodes_from(self._roads.nodes)
        for left, right, road, data in sorted(self._roads.edges(keys=True, data=True)):
            if only_open and not self._passable(road):
                continue
            current = graph.get_edge_data(left, right)
            if current is None or (data["hours"], road) < (current["hours"], current["road"]):
                graph.add_edge(left, right, hours=data["hours"], road=road)
        return graph

    def _passable(self, road: str) -> bool:
        """A road is open while its asset is available and no crowd blocks it."""
        return self.engine.is_available(road) and road not in self.crowded

    def _route(self, start: str, end: str) -> Leg:
        if start == end:
            return Leg(0.0)
        # A trip is a function of the roads open and its ends: the crews' trips of a run
        # ask again and again while few roads change, each time a graph and a search.
        key = (tuple([road for road in self._road_ids if not self._passable(road)]), start, end)
        known = self._legs.get(key)
        if known is None:
            known = self._legs[key] = self._search(start, end)
        return known

    def _search(self, start: str, end: str) -> Leg:
        """:meth:`_route` over the roads as they are now, found afresh."""
        graph = self._network(only_open=True)
        try:
            path = nx.dijkstra_path(graph, start, end, weight="hours")
        except nx.NetworkXNoPath:
            intact = self._network(only_open=False)
            usual = nx.dijkstra_path(intact, start, end, weight="hours")
            roads = (intact.edges[a, b]["road"] for a, b in itertools.pairwise(usual))
            return Leg(None, tuple(sorted(r for r in roads if not self._passable(r))))
        steps = [graph.edges[a, b] for a, b in itertools.pairwise(path)]
        return Leg(sum(step["hours"] for step in steps), tuple(step["road"] for step in steps))

    # --- fuel ---------------------------------------------------------------------

    def fuel_sources(self, origin: str) -> list[tuple[float, str]]:
        """Working fuel stations and depots with diesel, as (hours away, id), nearest first.

        A station dispenses only while it is available: with grid power or on
        its own generator.
        """
        found = []
        for asset_id, litres in sorted(self.fuel.items()):
            if litres <= 0 or not self.engine.is_available(asset_id):
                continue
            leg = self.leg(origin, asset_id)
            if leg.hours is not None:
                found.append((leg.hours, asset_id))
        return sorted(found)

    def water_sources(self, origin: str) -> list[tuple[float, str]]:
        """Working drinking-water sources a tanker can fill at, as (hours away, id)."""
        found = []
        for asset_id, asset in sorted(self.assets.items()):
            if not asset.water_source or not self.engine.is_available(asset_id):
                continue
            leg = self.leg(origin, asset_id)
            if leg.hours is not None:
                found.append((leg.hours, asset_id))
        return sorted(found)

    def free_places(self, asset: Asset, wanting: int) -> int:
        """Places left for ``wanting`` evacuees at a destination (no ``places``: all of them)."""
        if asset.places is None:
            return wanting
        return max(0, asset.places - self.placed.get(asset.id, 0))

    @staticmethod
    def generator_fits(resource: Resource, asset: Asset) -> bool:
        """Whether a generator of the pool can carry the asset's load."""
        if resource.kva is None or asset.load_kw is None:
            return True
        return rated_kw(resource.kva) >= asset.load_kw - 1e-9

    @staticmethod
    def generator_hours(resource: Resource, asset: Asset, default: float) -> tuple[float, float]:
        """Hours a full tank of the pool's generator lasts at the asset, and litres per hour.

        Without ``tank_l`` the pool's ``fuel_hours`` (or ``default``) holds and the
        rate is unknown (0).
        """
        if resource.tank_l is not None and resource.kva is not None:
            rate = litres_per_hour(resource.kva, asset.load_kw)
            return resource.tank_l / rate, rate
        hours = resource.fuel_hours if resource.fuel_hours is not None else default
        return hours, 0.0
