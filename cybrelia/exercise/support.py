"""Help from outside the gmina: finite pools, channels that must work, answers that take time.

A scenario states, per source (powiat, voivode, PSP, WOT), what it can give
over time (``world.support``, docs/world.md "Help from outside").  A request
goes by telephone, radio or a runner; it is refused at once if that channel
does not work at the command post.  The source answers after ``answer`` hours
(plus ``runner_hours`` by runner) with what is left in its pool at that
moment, in full, in part or not at all with its reason, and what it grants
arrives ``deliver`` hours later as a pool of its own.  Sources the scenario
does not state answer as in version 1.1: everything asked, after a fixed delay.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from functools import partial
from typing import Any

import simpy

from cybrelia.exercise.events import Named
from cybrelia.exercise.resources import Pool
from cybrelia.exercise.types import ActionHost, ActionState, Refusal
from cybrelia.files.model import Resource
from cybrelia.files.scenario import Support
from cybrelia.i18n import text

__all__ = ["CHANNELS", "channel_refusal", "finite_support", "granted_so_far"]

Process = Generator[simpy.Event, Any, None]

#: How a request leaves the command post.
CHANNELS = ("phone", "radio", "runner")


def channel_refusal(exercise: ActionHost, channel: str) -> Refusal | None:
    """Why a request cannot go by ``channel`` now, or None if it can.

    Without a command post every channel works.  A telephone needs the post
    available and its ``telecom`` need supplied (if it has one); a radio needs
    the post available (its own power); a runner always goes.
    """
    if channel not in CHANNELS:
        return Refusal("world.channel.unknown", channel=Named.channel(channel))
    if channel == "phone" and exercise.orders.phone_jammed:
        return Refusal("refusal.phone_jammed")
    post = exercise.setting.command_post
    if post is None or channel == "runner":
        return None
    engine = exercise.engine
    label = exercise.assets[post].label
    if not engine.is_available(post):
        return Refusal("world.channel.post_down", channel=Named.channel(channel), post=label)
    if (
        channel == "phone"
        and "telecom" in engine.needs(post)
        and not engine.supplied(post, "telecom")
    ):
        return Refusal("world.channel.no_telecom", post=label)
    return None


def granted_so_far(exercise: ActionHost, source: str, kind: str) -> int:
    """Units of ``kind`` that ``source`` has granted in this exercise."""
    return exercise.world.granted.get((source, kind), 0)


def finite_support(
    exercise: ActionHost, state: ActionState, support: Support, kind: str, count: int, channel: str
) -> Process:
    """Ask a stated source; it answers with what its pool holds then; deliver what it grants."""
    source = support.source
    answer = support.answer + (exercise.setting.runner_hours if channel == "runner" else 0.0)
    exercise.action_event(
        state,
        "started",
        "world.support.asked",
        source=source,
        channel=Named.channel(channel),
        hours=Named.hours(answer),
    )
    yield exercise.env.timeout(answer)
    offered = sum(o.count for o in support.offers if o.kind == kind and o.at <= exercise.now)
    left = offered - granted_so_far(exercise, source, kind)
    granted = max(0, min(count, left))
    if granted == 0:
        reason: Callable[[str], str] = (
            support.reason.get
            if support.reason is not None
            else partial(text, "world.support.none_left", kind=Named.kind(kind))
        )
        exercise.action_event(
            state, "failed", "world.support.refused", source=source, reason=reason
        )
        return
    exercise.world.granted[(source, kind)] = granted_so_far(exercise, source, kind) + granted
    exercise.action_event(
        state,
        "started",
        "world.support.granted",
        source=source,
        granted=granted,
        count=count,
        kind=Named.kind(kind),
        hours=Named.hours(support.deliver),
    )
    yield exercise.env.timeout(support.deliver)
    where = f"{source}-{kind}"
    pool = exercise.pools.get(where)
    if pool is not None:
        pool.grow(granted)
    else:
        offer = next(o for o in support.offers if o.kind == kind)
        spec = offer.model_dump(exclude={"count", "at", "kind"})
        resource = Resource(id=where, kind=kind, count=granted, **spec)
        exercise.pools[where] = Pool(exercise.env, resource)
        if resource.capacity_l is not None:
            exercise.world.truck_loads[where] = [resource.capacity_l] * granted
    if pool is not None and where in exercise.world.truck_loads:
        capacity = pool.resource.capacity_l
        assert capacity is not None
        exercise.world.truck_loads[where] += [capacity] * granted
    exercise.action_event(
        state,
        "completed",
        "world.support.arrived",
        count=granted,
        kind=Named.kind(kind),
        pool=Named.resource(where),
    )
