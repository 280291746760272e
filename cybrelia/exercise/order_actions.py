"""The wójt's orders as response actions: checked against the law and the state, then in force.

``restrict_water``, ``order_evacuation`` and ``boil_water_notice`` (target: a
district, a hazard zone or ``all``) put an order in force at once, or refuse
it; :class:`cybrelia.exercise.orders.Orders` turns it into behaviour as far as
people know of it (docs/information.md, section 5).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import simpy

from cybrelia.exercise.channels import area_districts
from cybrelia.exercise.events import Named
from cybrelia.exercise.orders import ORDER_TOPICS, Order, water_unsafe
from cybrelia.exercise.types import ActionHost, ActionState, Refusal

__all__ = ["issue_order"]

Process = Generator[simpy.Event, Any, None]


def _water_served(exercise: ActionHost, district: str) -> bool:
    return any(
        "water" in asset.provides and district in asset.serves for asset in exercise.assets.values()
    )


def issue_order(exercise: ActionHost, state: ActionState) -> Process:
    """Check an order of the wójt against the law and the state now (docs/information.md 5).

    The order is in force from now until the action is cancelled (the order
    lifted); it takes effect, for scoring, when the first residents heed it,
    with the share of its area that does.

    Raises
    ------
    Refusal
        An unknown area; the order already in force there; a water-use
        restriction where no public water supply serves; a boil-water notice
        without the sanitary inspector's decision where the water is not known
        to be unsafe.
    """
    action = state.request.action
    districts = area_districts(exercise, state.request.target)
    orders = exercise.orders
    for district in districts:
        if orders.in_force(action, district) is not None:
            raise Refusal("refusal.order_in_force", district=Named.area(district))
        if action == "restrict_water" and not _water_served(exercise, district):
            raise Refusal("refusal.no_public_water", district=Named.area(district))
        if (
            action == "boil_water_notice"
            and not state.request.params.get("ppis")
            and not water_unsafe(exercise, district)
        ):
            raise Refusal("refusal.needs_ppis", district=Named.area(district))
    return _order_process(exercise, state, Order(action, districts, exercise.now, state.id))


def _order_process(exercise: ActionHost, state: ActionState, order: Order) -> Process:
    orders = exercise.orders
    orders.orders[state.id] = order
    exercise.action_event(
        state, "started", "detail.order_in_force", topic=ORDER_TOPICS[order.action]
    )
    orders.update(exercise)
    try:
        yield exercise.env.event()  # in force until lifted
    finally:
        del orders.orders[state.id]
        orders.update(exercise)
