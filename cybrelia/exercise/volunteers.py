"""Volunteers and local networks: who is free now, and door-to-door checks.

Pools of kind ``volunteers`` (OSP members, a rural women's association, scouts,
a parish group, the sołtysi) are free by the time of day (docs/world.md,
"Volunteers and local networks"); shelters take their staff from them, and
door-to-door checks send pairs of them to the residents on powered medical
devices of a district.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from datetime import timedelta
from typing import Any

import simpy

from cybrelia.engine.clock import exact_hours
from cybrelia.exercise.resources import Pool
from cybrelia.exercise.types import ActionHost, ActionState

__all__ = ["CHECK_HOURS", "CHECK_PAIR", "door_to_door", "take_staff", "volunteers_free"]

Process = Generator[simpy.Event, Any, None]
Request = simpy.resources.resource.PriorityRequest
Team = list[tuple[Pool, Request]]

#: Hours a pair of volunteers needs for one resident on a medical device: the walk or
#: drive to the door, the check, and arranging power (a charged battery, a lift to a
#: shelter or to relatives); estimate for a village where the sołtys has the list.
CHECK_HOURS = 0.5
#: Volunteers go door to door in pairs.
CHECK_PAIR = 2


def volunteers_free(exercise: ActionHost, pool: Pool) -> int:
    """Members of a volunteer pool free now: by day on working days only ``day_share``.

    Working days are Monday to Friday, the day 07:00-17:00 on the scenario's
    clock (``start`` plus the sim time); without a ``start`` everyone counts.
    """
    share = pool.resource.day_share
    start = exercise.scenario_start
    if share is not None and start is not None:
        moment = start + timedelta(hours=exercise.now)
        if moment.weekday() < 5 and 7 <= moment.hour < 17:
            return max(0, math.floor(pool.resource.count * share) - len(pool.users))
    return pool.free


def take_staff(exercise: ActionHost, pools: list[Pool], staff: int) -> Team | None:
    """Take ``staff`` free volunteers from the pools in order, or None if there are not enough."""
    if sum(volunteers_free(exercise, pool) for pool in pools) < staff:
        return None
    taken: Team = []
    for pool in pools:
        while len(taken) < staff and volunteers_free(exercise, pool) > 0:
            taken.append((pool, pool.request()))
    return taken


def _go_home(exercise: ActionHost, team: Team, worked: float) -> None:
    """The team stops: each member rests ``rest * worked / work`` of their pool's shift."""

    def rest(pool: Pool, request: Request, hours: float) -> Process:
        yield exercise.env.timeout(hours)
        pool.release(request)

    for pool, request in team:
        shift = pool.resource.shift
        if shift is None or worked <= 0:
            pool.release(request)
        else:
            exercise.env.process(rest(pool, request, shift.rest * worked / shift.work))


def door_to_door(
    exercise: ActionHost, state: ActionState, team: Team, travel: float, hours: float
) -> Process:
    """Pairs of volunteers visit the district's residents on devices, one per CHECK_HOURS.

    Each visited resident is served (no longer at risk) until ``hours`` after the
    team arrived; the team stops when everyone is visited or its shift is over.
    """
    district = state.request.target
    assert district is not None
    population, env = exercise.population, exercise.env
    registered = population.districts[district].vulnerable
    pairs = max(1, len(team) // CHECK_PAIR)
    work = min(
        (pool.resource.shift.work for pool, _ in team if pool.resource.shift is not None),
        default=math.inf,
    )
    name = population.districts[district].name or district
    exercise.action_event(
        state, "started", "world.checks.started", people=len(team), registered=registered
    )
    served, worked, counted = 0, 0.0, False
    try:
        yield env.timeout(travel)
        end = env.exact_now + exact_hours(hours)
        worked = travel
        while served < registered and worked + CHECK_HOURS <= work + 1e-9:
            yield env.timeout(CHECK_HOURS)
            worked += CHECK_HOURS
            served = min(registered, served + pairs)
            population.cover("device_check", district, state.id, served)
            counted = True
            exercise.refresh_figures()
            exercise.took_effect(state)
        _go_home(exercise, team, worked)
        team = []
        exercise.action_event(
            state, "started", "world.checks.done", served=served, registered=registered
        )
        left = end - env.exact_now
        if left > 0:
            yield env.timeout(left)  # type: ignore[arg-type]  # exact: GridEnvironment
    finally:
        if counted:
            population.uncover("device_check", district, state.id)
            exercise.refresh_figures()
        _go_home(exercise, team, worked)
    exercise.action_event(state, "completed", "world.checks.over", served=served, district=name)
