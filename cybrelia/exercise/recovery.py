"""After the hazard: repairs that take weeks in a zone, and tap water unfit to drink.

A scenario states per hazard zone (``world.zones``, docs/world.md "After the
hazard") how long a repair of the zone's assets takes, for instance the weeks a
flooded water station needs to be pumped out, dried, rewired and disinfected, and
whether the water of its water assets is unfit to drink once they were damaged.
Such water stays unfit for the residents (:class:`~cybrelia.exercise.population.Population`
holds back the return of the assets it feeds) until the State Sanitary Inspector
(PPIS) declares it fit, after sampling it (``water_tests``).  Meanwhile the
gmina hands out its civil-protection stocks (``hand_out_supplies``).
"""

from __future__ import annotations

import math
from collections.abc import Generator
from functools import partial
from typing import Any

import simpy

from cybrelia.exercise.events import Named
from cybrelia.exercise.types import ActionHost, ActionState
from cybrelia.files.model import Asset
from cybrelia.files.scenario import WorldSettings
from cybrelia.i18n import lookup

__all__ = [
    "LAB_HOURS",
    "LOADING_HOURS",
    "SAMPLING_HOURS",
    "hand_out_supplies",
    "repair_hours",
    "water_tests",
]

Process = Generator[simpy.Event, Any, None]

#: Hours to take the samples at the station and in the network.
SAMPLING_HOURS = 0.5
#: Hours from the samples to the inspector's decision: the culture methods for E. coli
#: and enterococci (PN-EN ISO 9308-1, PN-EN ISO 7899-2) take 24-48 h, with the drive to
#: the laboratory and the report (estimate).
LAB_HOURS = 48.0
#: Hours to load the gmina's civil-protection stock at its warehouse (estimate).
LOADING_HOURS = 0.5


def repair_hours(setting: WorldSettings, asset: Asset) -> float:
    """Hours a repair of the asset takes: its zones' ``repair_hours`` where the scenario
    states one for its type (the longest, if several), else its own."""
    stated = [
        aftermath.repair_hours
        for aftermath in setting.zones
        if aftermath.repair_hours is not None
        and aftermath.zone in asset.zones
        and (not aftermath.types or asset.type in aftermath.types)
    ]
    return max(stated, default=asset.repair_hours)


def water_tests(exercise: ActionHost, state: ActionState, travel: float) -> Process:
    """The sampler drives to the station and samples; the PPIS decides LAB_HOURS later.

    The water is declared fit if the station is then neither damaged nor
    compromised; else the samples fail and the water stays unfit.
    """
    asset_id = state.request.target
    assert asset_id is not None
    label = exercise.assets[asset_id].label
    exercise.action_event(
        state,
        "started",
        "world.tests.sampling",
        asset=label,
        hours=Named.hours(travel + SAMPLING_HOURS + LAB_HOURS),
    )
    yield exercise.env.timeout(travel + SAMPLING_HOURS)
    # The team's part is done with the samples taken: an expectation of tests is met
    # now; the decision is the inspector's.
    exercise.took_effect(state)
    yield exercise.env.timeout(LAB_HOURS)
    causes = set(exercise.engine.status(asset_id).causes)
    if causes & {"damaged", "compromised"}:
        exercise.action_event(state, "failed", "world.tests.failed", asset=label)
        return
    population = exercise.population
    for freed in population.declare_fit(asset_id):
        if exercise.engine.status(freed).state != "down":
            population.asset_up(freed)
    exercise.refresh_figures()
    exercise.orders.update(exercise)
    exercise.action_event(state, "completed", "world.tests.fit", asset=label)


def hand_out_supplies(
    exercise: ActionHost,
    state: ActionState,
    essential: str,
    people: int,
    hours: float,
    travel: float,
) -> Process:
    """Hand out the gmina's stock of an essential to ``people`` residents of a district.

    The stock falls by ``ceil(people x hours / 24)`` person-days at once (loaded at
    the warehouse); after the loading and the drive the residents' need for the
    essential is covered for ``hours`` (docs/world.md 18).
    """
    district = state.request.target
    assert district is not None
    stocks = exercise.world.stocks
    stocks[essential] -= math.ceil(people * hours / 24.0 - 1e-9)
    exercise.action_event(
        state,
        "started",
        "world.supplies.loaded",
        people=people,
        essential=partial(lookup, f"service.{essential}", default=essential),
        hours=Named.hours(LOADING_HOURS + travel),
    )
    population, key = exercise.population, f"supplies_{essential}"
    yield exercise.env.timeout(LOADING_HOURS + travel)
    population.cover(key, district, state.id, people)
    try:
        exercise.refresh_figures()
        exercise.took_effect(state)
        yield exercise.env.timeout(hours)
    finally:
        population.uncover(key, district, state.id)
        exercise.refresh_figures()
    exercise.action_event(state, "completed", "world.supplies.used", people=people)
