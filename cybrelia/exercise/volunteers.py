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
from fractions import Fraction
from typing import Any

import simpy

from cybrelia.engine.clock import exact_hours
from cybrelia.exercise.resources import Pool
from cybrelia.exercise.types import ActionHost, ActionState

__all__ = [
    "CHECK_HOURS",
    "CHECK_PAIR",
    "Staff",
    "door_to_door",
    "take_staff",
    "volunteers_free",
]

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
            # The pool's capacity: members the model states and any support added.
            return max(0, math.floor(int(pool.capacity) * share) - len(pool.users))
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


class Staff:
    """The volunteers on duty at a shelter or a water point, relieved after each shift.

    The team is taken when the action starts (so a refusal can give the numbers)
    and starts its shift when the point opens (:meth:`on_duty`).  Each team works
    the shortest ``shift.work`` of its members' pools, then rests ``shift.rest``
    while a fresh team of as many free members takes over (docs/world.md,
    "Volunteers and local networks"); a team on pools without shifts stays.
    """

    def __init__(self, exercise: ActionHost, staff: int, chosen: str | None = None) -> None:
        self.exercise, self.staff, self.chosen = exercise, staff, chosen
        self.team: Team = (take_staff(exercise, self.pools(), staff) or []) if staff > 0 else []
        self._relief: Fraction | None = None

    def pools(self) -> list[Pool]:
        """The volunteer pools to draw on now: the one chosen, else all (support that has
        arrived since the point opened included), in the exercise's order."""
        return [
            pool
            for pool in self.exercise.pools.values()
            if pool.kind == "volunteers" and self.chosen in (None, pool.id)
        ]

    def on_duty(self) -> None:
        """The point opens now: the team's shift starts."""
        shifts = [p.resource.shift.work for p, _ in self.team if p.resource.shift is not None]
        now = self.exercise.env.exact_now
        self._relief = now + exact_hours(min(shifts)) if shifts else None

    def wait(self, until: Fraction) -> Generator[simpy.Event, Any, bool]:
        """Wait until the instant ``until``, relieving the team whenever its shift is over.

        Returns False, at the moment of a relief, if too few fresh members are free:
        the volunteers are worn out.  A relief due exactly at ``until`` is not made.
        """
        env = self.exercise.env
        while (left := until - env.exact_now) > 0:
            if self._relief is None or self._relief >= until:
                yield env.timeout(left)  # type: ignore[arg-type]  # exact: GridEnvironment
                break
            yield env.timeout(self._relief - env.exact_now)  # type: ignore[arg-type]
            for pool, request in self.team:
                shift = pool.resource.shift
                pool.rest(request, shift.rest if shift is not None else 0.0)
            self.team = []
            relief = take_staff(self.exercise, self.pools(), self.staff)
            if relief is None:
                return False
            self.team = relief
            self.on_duty()
        return True

    def release(self) -> None:
        """The point closes: the team on duty goes home."""
        for pool, request in self.team:
            pool.release(request)
        self.team = []


def _go_home(exercise: ActionHost, team: Team, worked: float) -> None:
    """The team stops: each member rests ``rest * worked / work`` of their pool's shift."""
    for pool, request in team:
        shift = pool.resource.shift
        if shift is None or worked <= 0:
            pool.release(request)
        else:
            pool.rest(request, shift.rest * worked / shift.work)


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
