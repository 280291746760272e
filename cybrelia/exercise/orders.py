"""The wójt's orders and what the informed residents do about them (docs/information.md 4-5).

An order is a legal act: ``restrict_water``, ``order_evacuation`` and
``boil_water_notice`` put one in force for a district, a hazard zone or the
whole gmina, at once, or refuse it where the law or the state does not allow
it.  It changes behaviour only as far as people know of it: the informed
share of its topic (``water_restriction``, ``evacuation``, ``boil_water``),
which the teams raise with messages on that topic
(:mod:`cybrelia.exercise.channels`), times the share that complies, less the
believers of claims that work against it.  :class:`Orders` recomputes the
behaviours whenever who is informed (or who believes) changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from cybrelia.engine.cascade import BufferSpec, Engine
from cybrelia.exercise.informed import Information
from cybrelia.exercise.population import Population
from cybrelia.exercise.rumours import Rumour
from cybrelia.exercise.world import World
from cybrelia.files.model import Asset

__all__ = ["DEFIED_BY", "ORDER_TOPICS", "Order", "Orders", "OrdersHost", "water_unsafe"]

#: The topic people must be told of for each order to act.
ORDER_TOPICS = {
    "restrict_water": "water_restriction",
    "order_evacuation": "evacuation",
    "boil_water_notice": "boil_water",
}
#: The claim behaviours whose believers defy each order.
DEFIED_BY = {
    "restrict_water": ("defy_orders",),
    "order_evacuation": ("defy_orders", "refuse_evacuation"),
    "boil_water_notice": ("defy_orders",),
}


@dataclass
class Order:
    """An order in force: what, where, since when, and the action that issued it."""

    action: str
    districts: tuple[str, ...]
    since: float
    action_id: str


class OrdersHost(Protocol):
    """What the behaviours read and move: the :class:`~cybrelia.exercise.core.Exercise`."""

    engine: Engine
    population: Population
    information: Information
    assets: dict[str, Asset]
    world: World

    @property
    def now(self) -> float:
        """Sim time in hours."""

    def order_heeded(self, action_id: str, share: float) -> None:
        """The order of action ``action_id`` took effect now, heeded by ``share`` of its area."""


class Orders:
    """The orders in force and the behaviour they bring about, district by district.

    It also carries out what believers of claims about stocks do (panic buying
    of fuel), which reads and moves the same state at the same moments.
    """

    def __init__(self) -> None:
        self.orders: dict[str, Order] = {}
        #: Residents who have left under an evacuation order, by district.
        self.evacuated: dict[str, int] = {}
        #: Water demand as a share of the usual, by district (1: no restriction heeded).
        self.demand: dict[str, float] = {}
        self._storage: dict[str, float] = {}
        self._boiling: set[str] = set()
        #: Believers of each ``panic_buying_fuel`` claim who have bought their fuel.
        self.bought: dict[str, int] = {}
        #: Whether callers believing a ``jam_duty_phone`` claim keep the duty phone busy.
        self.phone_jammed = False
        #: Bottled water left in each district's shops, litres (from the first run on it).
        self.shops: dict[str, float] = {}

    def in_force(self, action: str, district: str) -> Order | None:
        """The order of kind ``action`` in force in ``district``, if any."""
        for order in self.orders.values():
            if order.action == action and district in order.districts:
                return order
        return None

    def complying(self, exercise: OrdersHost, action: str, district: str) -> float:
        """Share of ``district`` that knows of an order in force there and heeds it."""
        if self.in_force(action, district) is None:
            return 0.0
        information = exercise.information
        settings = information.settings
        rate = settings.evacuation_uptake if action == "order_evacuation" else settings.compliance
        defying = sum(
            rumour.share(district, exercise.now)
            for behaviour in DEFIED_BY[action]
            for _, rumour in _claims(exercise, behaviour)
        )
        informed = information.informed(ORDER_TOPICS[action], district)
        return informed * rate * max(0.0, 1.0 - defying)

    def update(self, exercise: OrdersHost) -> None:
        """Bring the behaviours up to who is informed and who believes what, now."""
        for order in sorted(self.orders.values(), key=lambda o: o.action_id):
            shares = [self.complying(exercise, order.action, d) for d in order.districts]
            if any(share > 0 for share in shares):
                exercise.order_heeded(order.action_id, sum(shares) / len(shares))
        kinds = {order.action for order in self.orders.values()}
        districts = exercise.population.districts
        lifting = bool(self._storage or self._boiling)  # the last such order may just have gone
        for district_id in sorted(districts) if kinds or lifting else ():
            if self.in_force("order_evacuation", district_id) is not None:
                share = self.complying(exercise, "order_evacuation", district_id)
                people = math.floor(districts[district_id].population * share + 0.5)
                # Who has left stays away: uptake never falls back.
                self.evacuated[district_id] = max(self.evacuated.get(district_id, 0), people)
                exercise.population.leave(district_id, self.evacuated[district_id])
            if "boil_water_notice" in kinds or self._boiling:
                self._boil(exercise, district_id)
            cut = exercise.information.settings.restriction_cut
            self.demand[district_id] = 1.0 - cut * self.complying(
                exercise, "restrict_water", district_id
            )
        if "restrict_water" in kinds or self._storage:
            self._stretch_storage(exercise)
        self._panic_buying(exercise)
        self._bottled_water(exercise)
        self._crowds(exercise)
        topics = exercise.information.topics()
        if "forecast" in topics or "check_neighbours" in topics:
            self._households(exercise)

    def _crowds(self, exercise: OrdersHost) -> None:
        """Believers of a ``crowd_at_bridge`` claim block its road or bridge for vehicles while
        at least ``crowd_size`` of them are there (:meth:`Rumour.crowd`)."""
        crowded = set()
        for _, rumour in _claims(exercise, "crowd_at_bridge"):
            size = exercise.information.settings.crowd_size
            there = sum(rumour.crowd(exercise.now).values())
            if rumour.claim.at is not None and there >= size:
                crowded.add(rumour.claim.at)
        exercise.world.crowded = crowded
        jamming = _claims(exercise, "jam_duty_phone")
        callers = sum(rumour.believers(exercise.now) for _, rumour in jamming)
        self.phone_jammed = callers >= exercise.information.settings.jam_callers

    def _households(self, exercise: OrdersHost) -> None:
        """Households that heard a forecast stock up while they still can (before a service
        they need is lost); those asked to check on neighbours look after the vulnerable."""
        information = exercise.information
        settings = information.settings
        population = exercise.population
        for district in sorted(population.districts):
            stocked = population.stocked.get(district, 0.0)
            if not population.hit(district):
                stocked = max(
                    stocked, information.informed("forecast", district) * settings.stock_up
                )
            checked = (
                information.informed("check_neighbours", district)
                * settings.compliance
                * settings.neighbour_help
            )
            population.households(district, stocked, checked)

    def _bottled_water(self, exercise: OrdersHost) -> None:
        """New believers of a ``bottled_water_run`` claim buy ``bottled_l`` each from their
        district's shops (``shop_water_l`` a resident) while any is left."""
        settings = exercise.information.settings
        districts = exercise.population.districts
        for _, rumour in _claims(exercise, "bottled_water_run"):
            believing = rumour.by_district(exercise.now)
            for i, district in enumerate(rumour.ids):
                stock = self.shops.setdefault(
                    district, districts[district].population * settings.shop_water_l
                )
                new = believing[district] - int(rumour.supplied[i])
                if new <= 0 or settings.bottled_l <= 0:
                    continue
                served = min(new, math.floor(stock / settings.bottled_l + 1e-9))
                rumour.supplied[i] += served
                self.shops[district] = stock - served * settings.bottled_l

    def _panic_buying(self, exercise: OrdersHost) -> None:
        """New believers of a ``panic_buying_fuel`` claim fill up: ``panic_fuel_l`` a household,
        from the working stations with diesel, by id, while any is left."""
        settings = exercise.information.settings
        fuel = exercise.world.fuel
        for claim_id, rumour in _claims(exercise, "panic_buying_fuel"):
            believers = rumour.believers(exercise.now)
            new = believers - self.bought.get(claim_id, 0)
            if new <= 0:
                continue
            self.bought[claim_id] = believers
            litres = new / settings.household_size * settings.panic_fuel_l
            for station in sorted(fuel):
                if litres <= 0:
                    break
                if fuel[station] > 0 and exercise.engine.is_available(station):
                    taken = min(fuel[station], litres)
                    fuel[station] -= taken
                    litres -= taken

    def _boil(self, exercise: OrdersHost, district: str) -> None:
        """Residents who heed a boil-water notice and can boil it (power) drink unsafe water."""
        share = self.complying(exercise, "boil_water_notice", district)
        order = self.in_force("boil_water_notice", district)
        population = exercise.population
        if order is None or share <= 0 or not water_unsafe(exercise, district):
            if district in self._boiling:
                self._boiling.discard(district)
                population.uncover("boil_water", district, "boil_water")
            return
        self._boiling.add(district)
        people = population.districts[district].population
        powered = 1.0 - exercise.engine.without(district, "power") / people if people else 0.0
        population.cover(
            "boil_water", district, "boil_water", math.floor(people * share * powered + 0.5)
        )

    def _stretch_storage(self, exercise: OrdersHost) -> None:
        """Rescale the storage buffers of water assets to their districts' demand.

        A storage buffer holds hours of demand; at a demand of ``f`` times the
        usual the water in it lasts ``1 / f`` times as long, so when ``f`` changes
        from ``old`` to ``new`` its capacity, level and recharge are multiplied by
        ``old / new``.
        """
        populations = exercise.population.districts
        for asset_id, asset in sorted(exercise.assets.items()):
            if "water" not in asset.provides:
                continue
            buffers = [b for b in exercise.engine.buffers(asset_id) if b.kind == "storage"]
            if not buffers:
                continue
            served = asset.serves or dict.fromkeys(populations, 1.0)
            weights = {
                d: populations[d].population * share
                for d, share in served.items()
                if d in populations
            }
            total = sum(weights.values())
            factor = (
                sum(w * self.demand.get(d, 1.0) for d, w in sorted(weights.items())) / total
                if total > 0
                else 1.0
            )
            old = self._storage.get(asset_id, 1.0)
            if math.isclose(old, factor, rel_tol=0.0, abs_tol=1e-12):
                continue
            self._storage[asset_id] = factor
            scale = old / factor
            for buffer in buffers:
                spec = exercise.engine.swap_buffer(asset_id, buffer.service, None)
                assert spec is not None
                exercise.engine.swap_buffer(
                    asset_id,
                    buffer.service,
                    BufferSpec(
                        spec.kind,
                        float(spec.hours) * scale,
                        float(spec.recharge) * scale,
                        float(spec.level) * scale,
                    ),
                )


def _claims(exercise: OrdersHost, behaviour: str) -> list[tuple[str, Rumour]]:
    """The circulating claims whose believers do ``behaviour``, by id."""
    return [
        (claim_id, rumour)
        for claim_id, rumour in sorted(exercise.population.claims.items())
        if rumour.claim.behaviour == behaviour
    ]


def water_unsafe(exercise: OrdersHost, district: str) -> bool:
    """Whether a water asset serving the district is compromised or damaged, or its water
    unfit to drink until the PPIS says so (docs/world.md 17)."""
    engine = exercise.engine
    return exercise.population.unfit_water(district) or any(
        "water" in asset.provides
        and district in asset.serves
        and bool({"compromised", "damaged"} & set(engine.status(asset_id).causes))
        for asset_id, asset in sorted(exercise.assets.items())
    )
