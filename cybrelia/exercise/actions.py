"""Response actions with real effects, each a SimPy process on the engine's clock.

Every action is first checked against the live state and the resources; if
it cannot be done it is refused at once with a reason people can act on (no
free generator, no crew of that kind, target not reachable).  Otherwise it
runs as a SimPy process: it queues for its resource by priority, travels,
works, and acts on the infrastructure through the same causes and buffers
as scenario effects.  Cancelling an action interrupts its process, which
gives back what it holds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from functools import partial
from typing import Any

import simpy

from cybrelia.engine.cascade import BufferSpec
from cybrelia.engine.clock import exact_hours
from cybrelia.exercise.channels import debunk_message, start_aid_point, start_message
from cybrelia.exercise.events import Named
from cybrelia.exercise.order_actions import issue_order
from cybrelia.exercise.recovery import hand_out_supplies, repair_hours, water_tests
from cybrelia.exercise.resources import Pool
from cybrelia.exercise.support import channel_refusal, finite_support
from cybrelia.exercise.types import ActionHost, ActionState, Deployment, Refusal
from cybrelia.exercise.volunteers import (
    CHECK_PAIR,
    Staff,
    door_to_door,
    take_staff,
    volunteers_free,
)
from cybrelia.exercise.world import BASE, rated_kw
from cybrelia.files.actions import ACTIONS, CREW_FOR_SECTOR, RESOURCE_KINDS, SECTOR_CREW
from cybrelia.files.model import Resource
from cybrelia.files.scenario import Effect
from cybrelia.i18n import causes_label, lookup, numeral, text

__all__ = ["crew_kind", "param_kinds", "start_action"]

Process = Generator[simpy.Event, Any, None]
Planner = Callable[[ActionHost, ActionState], Process | None]

#: Hours a shelter needs to open (fetching the keys, setting up).
SHELTER_SETUP_HOURS = 1.0
#: Hours to isolate or reconnect an asset on the network.
NETWORK_CHANGE_HOURS = 0.25

#: Fuel of a generator that support brings, when the model says nothing.
DEFAULT_FUEL_HOURS = 8.0
#: Hours for people to board a bus (with their things, helped by staff).
BOARDING_HOURS = 0.5
#: Hours to fill a fuel truck at a station, and a water tanker at a source.
FUEL_LOAD_HOURS = 0.5
TANKER_FILL_HOURS = 0.5


def start_action(exercise: ActionHost, state: ActionState) -> simpy.Process | None:
    """Check the action against the state now and start its process.

    Raises
    ------
    Refusal
        If the action cannot be carried out, with the reason.
    """
    planner = _PLANNERS[state.request.action]
    process = planner(exercise, state)
    if process is None:
        return None
    return exercise.env.process(_guarded(exercise, state, process))


def _guarded(exercise: ActionHost, state: ActionState, process: Process) -> Process:
    """Run an action's process; a cancellation ends it as cancelled."""
    try:
        yield from process
    except simpy.Interrupt as interrupt:
        cause = str(interrupt.cause)  # a catalogue message: why the process was stopped
        exercise.action_event(
            state, "cancelled" if cause == "detail.cancelled" else "failed", cause
        )


# --- checks ----------------------------------------------------------------------------


def _asset(exercise: ActionHost, state: ActionState) -> str:
    target = state.request.target
    if target is None or target not in exercise.assets:
        raise Refusal("refusal.unknown_asset", asset=target)
    return target


def _reachable(exercise: ActionHost, asset_id: str, origin: str = BASE) -> float:
    """Hours from ``origin`` to the asset over the open roads (docs/world.md).

    Crews reach an asset only while its transport need (a road, a bridge) is
    supplied and, on a model with roads, while some route to its place is open.
    """
    engine = exercise.engine
    cut: list[str] = []
    if "transport" in engine.needs(asset_id) and not engine.supplied(asset_id, "transport"):
        cut = [p for p in engine.providers(asset_id, "transport") if not engine.is_available(p)]
    leg = exercise.world.leg(origin, asset_id)
    if leg.hours is None:
        cut += [road for road in leg.roads if road not in cut]
    if cut or leg.hours is None:
        names = ", ".join(exercise.assets[p].label for p in cut) or "-"
        raise Refusal("refusal.unreachable", place=exercise.assets[asset_id].label, roads=names)
    return leg.hours


def _pools(exercise: ActionHost, kind: str, chosen: str | None = None) -> list[Pool]:
    pools = [p for p in exercise.pools.values() if p.kind == kind]
    if chosen is not None:
        pools = [p for p in pools if p.id == chosen]
        if not pools:
            raise Refusal(
                "refusal.no_such_resource", resource=Named.resource(chosen), kind=Named.kind(kind)
            )
    if not pools:
        raise Refusal(
            "refusal.no_resource_kind", kind=Named.kind(kind), kind_words=kind.replace("_", " ")
        )
    return pools


def _pick(pools: list[Pool]) -> Pool:
    """A pool with a free unit, else the one with the shortest queue (ties by id)."""
    free = [p for p in pools if p.free > 0]
    if free:
        return free[0]
    return min(pools, key=lambda p: (len(p.queue), p.id))


def crew_kind(exercise: ActionHost, asset_id: str) -> str:
    """The kind of crew that works on an asset: its sector's (the action form lists them)."""
    sector = exercise.assets[asset_id].sector or "other"
    return CREW_FOR_SECTOR.get(sector, "maintenance_crew")


def param_kinds(
    exercise: ActionHost, action: str, name: str, target: str | None
) -> tuple[str, ...] | None:
    """The kinds of resources the parameter ``name`` of ``action`` names one of, as
    :data:`~cybrelia.files.actions.ACTIONS` says; a sector's crew is the target's
    (every crew's kind while the target is not an asset); None for a parameter that
    names no resource.  The action form lists the resources that fit from this too."""
    info = ACTIONS.get(action)
    param = info.param(name) if info is not None else None
    if param is None or not param.kinds:
        return None
    if param.kinds != (SECTOR_CREW,):
        return param.kinds
    if target is not None and target in exercise.assets:
        return (crew_kind(exercise, target),)
    return (*sorted(set(CREW_FOR_SECTOR.values())), "maintenance_crew")


def _chosen_pools(exercise: ActionHost, state: ActionState, name: str) -> list[Pool]:
    """The pools of the kind the action's parameter ``name`` names (:func:`param_kinds`),
    only the one the team named if it did."""
    request = state.request
    kinds = param_kinds(exercise, request.action, name, request.target)
    if kinds is None or len(kinds) != 1:
        raise KeyError(f"{request.action} has no parameter {name} of one kind of resource")
    return _pools(exercise, kinds[0], request.params.get(name))


def _district_travel(exercise: ActionHost, district: str) -> float:
    """Hours from the base to a district, or a refusal naming the roads that are down."""
    travel = exercise.world.leg(BASE, district)
    if travel.hours is None:
        names = ", ".join(exercise.assets[road].label for road in travel.roads)
        raise Refusal("refusal.unreachable", place=Named.area(district), roads=names)
    return travel.hours


def _hours(exercise: ActionHost, state: ActionState) -> float:
    value = state.request.params.get("hours", exercise.DEFAULT_HOURS[state.request.action])
    try:
        hours = float(value)
    except (TypeError, ValueError):
        raise Refusal("refusal.hours_not_number", value=value) from None
    if hours <= 0:
        raise Refusal("refusal.hours_not_positive")
    return hours


def _crew_work(
    exercise: ActionHost,
    state: ActionState,
    pool: Pool,
    hours: float,
    what: str,
    travel: float | None = None,
) -> Generator[simpy.Event, Any, simpy.resources.resource.PriorityRequest]:
    """Queue for a unit of ``pool``, then travel; returns the granted request.

    ``travel`` (the first hours of ``hours``, when known) goes with the detail for the
    consoles, which say whether the crew is still on its way (the records' text, which
    names only the whole ``hours``, stays as it was)."""
    request = pool.request(priority=state.request.priority)
    if not request.triggered:
        exercise.action_event(state, "queued", "detail.waiting", pool=Named.resource(pool.id))
    try:
        yield request
    except simpy.Interrupt:
        request.cancel()
        pool.release(request)
        raise
    exercise.action_event(
        state,
        "started",
        "detail.crew_work",
        pool=Named.resource(pool.id),
        work=partial(text, what),
        hours=Named.hours(hours),
        **({} if travel is None else {"travel": Named.hours(travel)}),
    )
    return request


def shift_hours(pool: Pool, hours: float) -> tuple[float, float]:
    """Elapsed hours of ``hours`` of work by a crew on shifts, and its rest after the job.

    A crew works at most ``shift.work`` hours in a row, then rests ``shift.rest``
    before it goes on; after the job it rests ``shift.rest x last stint / shift.work``
    (docs/world.md, "Crews").  Without a shift: the hours, and no rest.
    """
    shift = pool.resource.shift
    if shift is None or hours <= 0:
        return hours, 0.0
    breaks = max(0, math.ceil(hours / shift.work - 1e-9) - 1)
    last = hours - breaks * shift.work
    return hours + breaks * shift.rest, shift.rest * last / shift.work


def _shift_work(
    exercise: ActionHost,
    state: ActionState,
    pool: Pool,
    hours: float,
    what: str,
    travel: float | None = None,
) -> Generator[simpy.Event, Any, None]:
    """Queue for a crew, work ``hours`` on its shifts, and give it back after its rest."""
    elapsed, rest = shift_hours(pool, hours)
    request = yield from _crew_work(exercise, state, pool, elapsed, what, travel)
    done = False
    try:
        yield exercise.env.timeout(elapsed)
        done = True
    finally:
        if not done or rest <= 0:
            pool.release(request)
    if rest > 0:
        pool.rest(request, rest)


# --- the actions -----------------------------------------------------------------------


def _repair(exercise: ActionHost, state: ActionState) -> Process:
    asset_id = _asset(exercise, state)
    if "damaged" not in exercise.engine.status(asset_id).causes:
        raise Refusal("refusal.not_damaged", asset=exercise.assets[asset_id].label)
    travel = _reachable(exercise, asset_id)
    pool = _pick(_chosen_pools(exercise, state, "crew"))
    hours = repair_hours(exercise.setting, exercise.assets[asset_id])
    return _repair_process(exercise, state, pool, travel + hours, travel)


def _repair_process(
    exercise: ActionHost, state: ActionState, pool: Pool, hours: float, travel: float
) -> Process:
    asset_id = state.request.target
    assert asset_id is not None
    yield from _shift_work(exercise, state, pool, hours, "work.travel_repair", travel)
    if "damaged" in exercise.engine.status(asset_id).causes:
        exercise.engine.act([Effect(repair=[asset_id])])
        exercise.action_event(state, "completed", "detail.repaired")
    else:
        exercise.action_event(
            state,
            "completed",
            "detail.repaired_already",
        )


def _deploy_generator(exercise: ActionHost, state: ActionState) -> Process:
    asset_id = _asset(exercise, state)
    label = exercise.assets[asset_id].label
    if "power" not in exercise.engine.needs(asset_id):
        raise Refusal("refusal.needs_no_power", asset=label)
    if asset_id in exercise.deployments:
        raise Refusal("refusal.generator_there", asset=label)
    asset = exercise.assets[asset_id]
    if not asset.connection:
        raise Refusal("refusal.no_connection", asset=label)
    travel = _reachable(exercise, asset_id)
    pools = _chosen_pools(exercise, state, "resource")
    free = [p for p in pools if p.free > 0]
    if not free:
        raise Refusal("refusal.no_free_generator")
    fitting = [p for p in free if exercise.world.generator_fits(p.resource, asset)]
    if not fitting:
        largest = max(free, key=lambda p: (p.resource.kva or 0.0, p.id))
        kva = largest.resource.kva or 0.0
        raise Refusal(
            "refusal.generator_too_small",
            generator=Named.resource(largest.id),
            kva=kva,
            kw=rated_kw(kva),
            asset=label,
            load=asset.load_kw,
        )
    pool = fitting[0]
    deployment = Deployment(pool, pool.request(priority=state.request.priority), state.id)
    exercise.deployments[asset_id] = deployment
    return _deploy_process(exercise, state, deployment, travel)


def _deploy_process(
    exercise: ActionHost, state: ActionState, deployment: Deployment, travel: float
) -> Process:
    asset_id = state.request.target
    assert asset_id is not None
    pool = deployment.pool
    exercise.action_event(
        state,
        "started",
        "detail.on_its_way",
        pool=Named.resource(pool.id),
        hours=Named.hours(travel),
    )
    try:
        yield exercise.env.timeout(travel)
    except simpy.Interrupt:
        del exercise.deployments[asset_id]
        pool.release(deployment.request)
        raise
    world = exercise.world
    fuel, burn = world.generator_hours(pool.resource, exercise.assets[asset_id], DEFAULT_FUEL_HOURS)
    deployment.previous = exercise.engine.swap_buffer(
        asset_id, "power", BufferSpec("generator", fuel, 0.0, fuel)
    )
    deployment.burn = world.burn.pop(asset_id, None)
    if burn > 0:
        world.burn[asset_id] = burn
    deployment.arrived = True
    exercise.action_event(
        state,
        "completed",
        "detail.generator_running",
        pool=Named.resource(pool.id),
        fuel=Named.hours(fuel),
    )
    exercise.watch_fuel(asset_id)


def _recall_generator(exercise: ActionHost, state: ActionState) -> None:
    asset_id = _asset(exercise, state)
    deployment = exercise.deployments.get(asset_id)
    label = exercise.assets[asset_id].label
    if deployment is None:
        raise Refusal("refusal.no_mobile_generator", asset=label)
    if not deployment.arrived:
        raise Refusal("refusal.generator_on_its_way", asset=label, action=deployment.action_id)
    del exercise.deployments[asset_id]
    exercise.engine.swap_buffer(asset_id, "power", deployment.previous)
    exercise.world.burn.pop(asset_id, None)
    if deployment.burn is not None:
        exercise.world.burn[asset_id] = deployment.burn
    deployment.pool.release(deployment.request)
    exercise.action_event(
        state,
        "completed",
        "detail.free_again",
        pool=Named.resource(deployment.pool.id),
    )


def _refuel(exercise: ActionHost, state: ActionState) -> Process:
    asset_id = _asset(exercise, state)
    generators = [b for b in exercise.engine.buffers(asset_id) if b.kind == "generator"]
    if not generators:
        raise Refusal("refusal.no_generator", asset=exercise.assets[asset_id].label)
    travel = _reachable(exercise, asset_id)
    pool = _pick(_chosen_pools(exercise, state, "resource"))
    loads = exercise.world.truck_loads.get(pool.id)
    if loads is None:
        return _refuel_process(exercise, state, pool, travel)
    if loads and max(loads) <= 0 and not exercise.world.fuel_sources(BASE):
        raise Refusal("refusal.truck_empty", truck=Named.resource(pool.id))
    return _bowser_process(exercise, state, pool, travel)


def _refuel_process(exercise: ActionHost, state: ActionState, pool: Pool, travel: float) -> Process:
    """A fuel truck of unstated capacity: it drives there and fills the tank."""
    asset_id = state.request.target
    assert asset_id is not None
    request = yield from _crew_work(exercise, state, pool, travel, "work.fuel_delivery")
    try:
        yield exercise.env.timeout(travel)
    finally:
        pool.release(request)
    for buffer in exercise.engine.buffers(asset_id):
        if buffer.kind == "generator":
            spec = BufferSpec(buffer.kind, buffer.hours, 0.0, buffer.hours)
            exercise.engine.swap_buffer(asset_id, buffer.service, spec)
    exercise.action_event(state, "completed", "detail.tank_full")
    exercise.watch_fuel(asset_id)


def _bowser_process(exercise: ActionHost, state: ActionState, pool: Pool, travel: float) -> Process:
    """A fuel truck with a stated capacity: a trip with the diesel it has or can load.

    The fullest free truck sets out; if it carries less than the tank lacks, it
    first loads at the nearest working station or depot with diesel, then drives
    to the asset, fills what it can, and drives back to the base before it is
    free again (docs/world.md, "Refuelling").
    """
    asset_id = state.request.target
    assert asset_id is not None
    world = exercise.world
    capacity = pool.resource.capacity_l
    assert capacity is not None
    request = yield from _crew_work(exercise, state, pool, travel, "work.fuel_delivery")
    loads = world.truck_loads[pool.id]
    loads.sort(reverse=True)
    load = loads.pop(0)
    try:
        origin = BASE
        if load < _lacking(exercise, asset_id):
            sources = world.fuel_sources(BASE)
            if sources:
                hours, station = sources[0]
                yield exercise.env.timeout(hours + FUEL_LOAD_HOURS)
                if exercise.engine.is_available(station):
                    taken = min(capacity - load, world.fuel[station])
                    world.fuel[station] -= taken
                    load += taken
                origin = station
        if load <= 0:
            exercise.action_event(
                state,
                "failed",
                "detail.no_diesel",
            )
            return
        leg = world.leg(origin, asset_id)
        if leg.hours is None:
            exercise.action_event(state, "failed", "detail.road_cut")
            return
        yield exercise.env.timeout(leg.hours)
        known = asset_id in world.burn
        delivered = _fill(exercise, asset_id, load)
        load -= delivered
        if known:
            exercise.action_event(
                state,
                "completed",
                "detail.fuel_delivered",
                delivered=numeral(delivered),
                left=numeral(load),
                truck=Named.resource(pool.id),
            )
        else:
            exercise.action_event(state, "completed", "detail.tank_full")
        exercise.watch_fuel(asset_id)
        back = world.leg(asset_id, BASE)
        yield exercise.env.timeout(back.hours if back.hours is not None else leg.hours)
    finally:
        loads.append(load)
        pool.release(request)


def _lacking(exercise: ActionHost, asset_id: str) -> float:
    """Litres the asset's generator tank lacks now (0 if its consumption is unknown)."""
    burn = exercise.world.burn.get(asset_id, 0.0)
    return sum(
        (buffer.hours - buffer.remaining) * burn
        for buffer in exercise.engine.buffers(asset_id)
        if buffer.kind == "generator"
    )


def _fill(exercise: ActionHost, asset_id: str, litres: float) -> float:
    """Pour up to ``litres`` into the asset's generator tank; return what went in.

    A generator of unknown consumption is filled up and takes nothing.
    """
    burn = exercise.world.burn.get(asset_id, 0.0)
    poured = 0.0
    for buffer in exercise.engine.buffers(asset_id):
        if buffer.kind != "generator":
            continue
        level = buffer.hours
        if burn > 0:
            poured = min(litres, (buffer.hours - buffer.remaining) * burn)
            level = min(buffer.hours, buffer.remaining + poured / burn)
        exercise.engine.swap_buffer(
            asset_id, buffer.service, BufferSpec(buffer.kind, buffer.hours, 0.0, level)
        )
    return poured


def _network_change(verb: str) -> Planner:
    def plan(exercise: ActionHost, state: ActionState) -> Process:
        asset_id = _asset(exercise, state)
        isolated = "isolated" in exercise.engine.status(asset_id).causes
        label = exercise.assets[asset_id].label
        if verb == "isolate" and isolated:
            raise Refusal("refusal.isolated_already", asset=label)
        if verb == "reconnect" and not isolated:
            raise Refusal("refusal.not_isolated", asset=label)
        return _network_process(exercise, state, verb)

    return plan


def _network_process(exercise: ActionHost, state: ActionState, verb: str) -> Process:
    asset_id = state.request.target
    assert asset_id is not None
    exercise.action_event(
        state,
        "started",
        "detail.network_change",
        work=partial(text, f"work.{verb}"),
        hours=Named.hours(NETWORK_CHANGE_HOURS),
    )
    yield exercise.env.timeout(NETWORK_CHANGE_HOURS)
    exercise.engine.act([Effect.model_validate({verb: [asset_id]})])
    if verb == "isolate":
        exercise.action_event(state, "completed", "detail.isolated")
    else:
        exercise.action_event(state, "completed", "detail.reconnected")


def _restore_backup(exercise: ActionHost, state: ActionState) -> Process:
    asset_id = _asset(exercise, state)
    asset = exercise.assets[asset_id]
    if asset.cyber is None:
        raise Refusal("refusal.not_cyber", asset=asset.label)
    if not exercise.engine.is_compromised(asset_id):
        raise Refusal("refusal.not_compromised", asset=asset.label)
    if asset.cyber.backup == "none":
        raise Refusal("refusal.no_backup", asset=asset.label)
    pool = _pick(_chosen_pools(exercise, state, "crew"))
    return _restore_process(exercise, state, pool, asset.cyber.restore_hours)


def _restore_process(exercise: ActionHost, state: ActionState, pool: Pool, hours: float) -> Process:
    asset_id = state.request.target
    assert asset_id is not None
    cyber = exercise.assets[asset_id].cyber
    assert cyber is not None
    yield from _shift_work(exercise, state, pool, hours, "work.restore_backup")
    if cyber.backup == "untested" and exercise.draw() < exercise.UNTESTED_BACKUP_FAILURE:
        exercise.action_event(
            state,
            "failed",
            "detail.backup_failed",
        )
        return
    if exercise.engine.is_compromised(asset_id):
        exercise.engine.act([Effect(restore=[asset_id])])
    exercise.action_event(state, "completed", "detail.restored")


def _manual_operation(exercise: ActionHost, state: ActionState) -> Process:
    asset_id = _asset(exercise, state)
    label = exercise.assets[asset_id].label
    if "control" not in exercise.engine.needs(asset_id):
        raise Refusal("refusal.no_remote_control", asset=label)
    if asset_id in exercise.manual:
        raise Refusal("refusal.manual_already", asset=label, action=exercise.manual[asset_id])
    travel = _reachable(exercise, asset_id)
    hours = _hours(exercise, state)
    pool = _pick(_chosen_pools(exercise, state, "crew"))
    exercise.manual[asset_id] = state.id  # now, so a second request at this instant is refused
    return _manual_process(exercise, state, pool, hours, travel)


def _manual_process(
    exercise: ActionHost, state: ActionState, pool: Pool, hours: float, travel: float
) -> Process:
    asset_id = state.request.target
    assert asset_id is not None
    try:
        request = yield from _crew_work(
            exercise, state, pool, travel + hours, "work.manual_operation", travel
        )
    except simpy.Interrupt:
        del exercise.manual[asset_id]
        raise
    previous = None
    swapped = False
    try:
        yield exercise.env.timeout(travel)
        previous = exercise.engine.swap_buffer(
            asset_id, "control", BufferSpec("manual", hours, 0.0, hours)
        )
        swapped = True
        exercise.took_effect(state)
        yield exercise.env.timeout(hours)
    finally:
        if swapped:
            exercise.engine.swap_buffer(asset_id, "control", previous)
        del exercise.manual[asset_id]
        pool.release(request)
    exercise.action_event(state, "completed", "detail.staff_withdrawn")


def _water_point(exercise: ActionHost, state: ActionState) -> Process:
    district = state.request.target
    if district not in exercise.population.districts:
        raise Refusal("refusal.unknown_district", district=district)
    hours = _hours(exercise, state)
    pool = _pick(_chosen_pools(exercise, state, "resource"))
    world = exercise.world
    travel = _district_travel(exercise, district)
    sourced = pool.resource.capacity_m3 is not None
    if sourced and not world.water_sources(district):
        raise Refusal("refusal.no_water_source")
    name = exercise.population.districts[district].name or district
    where = partial(text, "world.water_point.where", district=name)
    staff = _staff(exercise, state, exercise.setting.water_point_staff, where)
    if not sourced:
        return _water_process(exercise, state, pool, hours, travel, staff)
    return _tanker_process(exercise, state, pool, hours, staff)


def _water_process(
    exercise: ActionHost, state: ActionState, pool: Pool, hours: float, travel: float, staff: Staff
) -> Process:
    """A tanker of unstated capacity: the water point covers the whole district."""
    district = state.request.target
    assert district is not None
    request = yield from _crew_work(
        exercise, state, pool, travel + hours, "work.water_point", travel
    )
    active = False
    try:
        yield exercise.env.timeout(travel)
        exercise.population.cover("water_point", district, state.id, None)
        active = True
        exercise.refresh_figures()
        exercise.took_effect(state)
        staff.on_duty()
        if not (yield from staff.wait(exercise.env.exact_now + exact_hours(hours))):
            exercise.action_event(state, "failed", "world.volunteers.tired")
            return
    finally:
        if active:
            exercise.population.uncover("water_point", district, state.id)
            exercise.refresh_figures()
        staff.release()
        pool.release(request)
    exercise.action_event(state, "completed", "detail.water_point_closed")


def _tanker_process(
    exercise: ActionHost, state: ActionState, pool: Pool, hours: float, staff: Staff
) -> Process:
    """A tanker of stated capacity shuttling between a drinking-water source and the point.

    Each round trip fills at the nearest working source; the point serves
    ``floor(capacity * 24 / (norm * demand * cycle))`` people, the cycle being
    the round trip plus the filling and ``demand`` the district's water demand
    under a heeded restriction (docs/world.md, "Water points").  Its volunteers
    (``world.water_point_staff``) start their shift when it opens.
    """
    district = state.request.target
    assert district is not None
    world = exercise.world
    assert pool.resource.capacity_m3 is not None
    litres = pool.resource.capacity_m3 * 1000.0
    norm = exercise.setting.water_norm
    request = yield from _crew_work(exercise, state, pool, hours, "work.water_point")
    # The end is an exact instant: a float end would sit between two grid readings of
    # the clock, and the wait for what is left of it would round to no time at all.
    origin, end, opened = BASE, None, False
    env = exercise.env
    try:
        while end is None or env.exact_now < end:
            sources = world.water_sources(district)
            trip = world.leg(origin, sources[0][1]) if sources else None
            if not sources or trip is None or trip.hours is None:
                exercise.action_event(
                    state,
                    "failed",
                    "detail.tanker_empty",
                )
                return
            back, source = sources[0]
            wait = trip.hours + TANKER_FILL_HOURS + back
            if end is None:
                yield exercise.env.timeout(wait)
            elif not (yield from staff.wait(min(end, env.exact_now + exact_hours(wait)))):
                exercise.action_event(state, "failed", "world.volunteers.tired")
                return
            if end is not None and env.exact_now >= end:
                break
            cycle = 2 * back + TANKER_FILL_HOURS
            # Residents who heed a water-use restriction make each litre go further
            # (docs/information.md 4): the point hands out the norm times their demand.
            daily = norm * exercise.orders.demand.get(district, 1.0)
            people = math.floor(litres * 24.0 / (daily * cycle))
            exercise.population.cover("water_point", district, state.id, people)
            opened = True
            exercise.refresh_figures()
            if end is None:
                end = env.exact_now + exact_hours(hours)
                staff.on_duty()
                label = exercise.assets[source].label
                exercise.action_event(
                    state,
                    "started",
                    "detail.water_point_open",
                    people=numeral(people),
                    norm=numeral(daily, 0 if daily == round(daily) else 1),
                    source=label,
                    hours=Named.hours(back),
                )
            origin = district
    finally:
        if opened:
            exercise.population.uncover("water_point", district, state.id)
            exercise.refresh_figures()
        staff.release()
        pool.release(request)
    exercise.action_event(state, "completed", "detail.water_point_closed")


def _open_shelter(exercise: ActionHost, state: ActionState) -> Process:
    asset_id = _asset(exercise, state)
    asset = exercise.assets[asset_id]
    if "shelter" not in asset.provides:
        raise Refusal("refusal.not_a_shelter", asset=asset.label)
    status = exercise.engine.status(asset_id)
    if status.state == "down":
        raise Refusal(
            "refusal.asset_down", asset=asset.label, causes=partial(causes_label, status.causes)
        )
    if not asset.serves:
        raise Refusal("refusal.serves_no_district", asset=asset.label)
    hours = _hours(exercise, state)
    return _shelter_process(
        exercise, state, hours, _staff(exercise, state, asset.staff, asset.label)
    )


def _staff(
    exercise: ActionHost, state: ActionState, staff: int, where: str | Callable[[str], str]
) -> Staff:
    """The volunteers a shelter or water point needs, taken now, or a refusal with the numbers."""
    if staff <= 0:
        return Staff(exercise, 0)
    chosen = state.request.params.get("volunteers")
    pools = _chosen_pools(exercise, state, "volunteers")
    free = sum(volunteers_free(exercise, pool) for pool in pools)
    if free < staff:
        raise Refusal("world.volunteers.short", shelter=where, staff=staff, free=free)
    return Staff(exercise, staff, chosen)


def _shelter_process(
    exercise: ActionHost, state: ActionState, hours: float, staff: Staff
) -> Process:
    """Open the shelter and keep it open ``hours``; staff are relieved after their shift.

    A team of volunteers works ``shift.work`` hours (its pool's) and then rests;
    a fresh team must take over or the shelter closes.
    """
    asset_id = state.request.target
    assert asset_id is not None
    asset = exercise.assets[asset_id]
    districts = sorted(asset.serves)
    exercise.action_event(
        state,
        "started",
        "detail.opening",
        hours=Named.hours(SHELTER_SETUP_HOURS),
    )
    try:
        yield exercise.env.timeout(SHELTER_SETUP_HOURS)
        exercise.set_shelter(state.id, asset_id, districts)
        exercise.took_effect(state)
        staff.on_duty()
        # An exact end, as for the tanker: what is left of it never rounds to nothing.
        if not (yield from staff.wait(exercise.env.exact_now + exact_hours(hours))):
            exercise.action_event(state, "failed", "world.volunteers.tired")
            return
    finally:
        exercise.set_shelter(state.id, asset_id, None)
        staff.release()
    exercise.action_event(state, "completed", "detail.shelter_closed")


def _debunk(exercise: ActionHost, state: ActionState) -> Process | None:
    """A message on the claim's id as its topic (docs/information.md, section 6)."""
    claim = exercise.population.claims.get(state.request.target or "")
    if claim is None:
        raise Refusal("refusal.no_claim", claim=state.request.target)
    return debunk_message(exercise, state, claim)


def _request_support(exercise: ActionHost, state: ActionState) -> Process:
    kind = state.request.target
    if not kind:
        raise Refusal("refusal.name_the_kind")
    known = RESOURCE_KINDS | {pool.kind for pool in exercise.pools.values()}
    if kind not in known:
        raise Refusal("refusal.unknown_kind", kind=Named.kind(kind))
    source = state.request.params.get("source", "powiat")
    stated = {support.source: support for support in exercise.setting.support}
    if source not in exercise.SUPPORT_DELAY and source not in stated:
        raise Refusal("refusal.bad_source", source=source)
    count = state.request.params.get("count", 1)
    if not isinstance(count, int) or count < 1:
        raise Refusal("refusal.bad_count")
    channel = state.request.params.get("channel", "phone")
    problem = channel_refusal(exercise, channel)
    if problem is not None:
        raise problem
    if source in stated:
        return finite_support(exercise, state, stated[source], kind, count, channel)
    return _support_process(exercise, state, kind, source, count)


def _support_process(
    exercise: ActionHost, state: ActionState, kind: str, source: str, count: int
) -> Process:
    delay = exercise.SUPPORT_DELAY[source]
    exercise.action_event(
        state,
        "started",
        "detail.support_requested",
        source=partial(lookup, f"support.{source}", default=source),
        hours=Named.hours(delay),
    )
    yield exercise.env.timeout(delay)
    chosen = state.request.params.get("resource")
    pools = [p for p in exercise.pools.values() if p.kind == kind and chosen in (None, p.id)]
    if pools:
        pools[0].grow(count)
        where = pools[0].id
    else:
        where = chosen or f"support-{kind}"
        fuel = DEFAULT_FUEL_HOURS if kind == "generator" else None
        resource = Resource(id=where, kind=kind, count=count, fuel_hours=fuel)
        exercise.pools[where] = Pool(exercise.env, resource)
    exercise.action_event(
        state,
        "completed",
        "detail.support_arrived",
        count=count,
        kind=Named.kind(kind),
        resource=Named.resource(where),
    )


def _evacuate(exercise: ActionHost, state: ActionState) -> Process:
    asset_id = _asset(exercise, state)
    label = exercise.assets[asset_id].label
    occupants = exercise.population.occupants.get(asset_id, 0)
    if occupants <= 0:
        raise Refusal("world.evacuate.nobody", facility=label)
    destination = state.request.params.get("to")
    if destination not in exercise.assets:
        raise Refusal("world.evacuate.no_destination", destination=str(destination))
    place = exercise.assets[destination]
    free = exercise.world.free_places(place, occupants)
    if not exercise.engine.is_available(destination):
        raise Refusal("world.evacuate.destination_down", destination=place.label)
    if free <= 0:
        raise Refusal("world.evacuate.full", destination=place.label)
    travel = _reachable(exercise, asset_id)
    leg = exercise.world.leg(asset_id, destination)
    if leg.hours is None:
        names = ", ".join(exercise.assets[road].label for road in leg.roads)
        raise Refusal("world.evacuate.cut", destination=place.label, roads=names)
    pool = _pick(_chosen_pools(exercise, state, "resource"))
    return _evacuate_process(exercise, state, pool, travel, leg.hours)


def _evacuate_process(
    exercise: ActionHost, state: ActionState, pool: Pool, travel: float, leg: float
) -> Process:
    """One bus shuttles the occupants to the destination, as many as its seats a trip.

    From the base to the facility, then per trip 0.5 h of boarding and the leg
    to the destination, and the leg back while people are left and places free.
    """
    asset_id, destination = state.request.target, state.request.params["to"]
    assert asset_id is not None
    world, population = exercise.world, exercise.population
    place = exercise.assets[destination]
    request = yield from _crew_work(exercise, state, pool, travel, "work.evacuation")

    def waiting() -> int:
        """People still at the facility for whom the destination has places."""
        left = population.occupants[asset_id]
        return min(left, world.free_places(place, left))

    moved = 0
    try:
        yield exercise.env.timeout(travel)
        while waiting() > 0:
            seats = pool.resource.seats or population.occupants[asset_id]
            yield exercise.env.timeout(BOARDING_HOURS + leg)
            people = min(seats, waiting())
            population.evacuate(asset_id, people)
            world.placed[destination] = world.placed.get(destination, 0) + people
            moved += people
            exercise.refresh_figures()
            if waiting() <= 0:
                break
            yield exercise.env.timeout(leg)
    finally:
        pool.release(request)
    exercise.action_event(
        state,
        "completed",
        "world.evacuate.done",
        moved=moved,
        destination=place.label,
        left=population.occupants[asset_id],
    )


def _door_to_door(exercise: ActionHost, state: ActionState) -> Process:
    district = state.request.target
    districts = exercise.population.districts
    if district not in districts:
        raise Refusal("refusal.unknown_district", district=district)
    name = districts[district].name or district
    if districts[district].vulnerable <= 0:
        raise Refusal("world.checks.nobody", district=name)
    hours = _hours(exercise, state)
    people = state.request.params.get("people", CHECK_PAIR)
    if not isinstance(people, int) or people < 1:
        raise Refusal("refusal.bad_count")
    travel = _district_travel(exercise, district)
    pools = _chosen_pools(exercise, state, "volunteers")
    team = take_staff(exercise, pools, people)
    if team is None:
        free = sum(volunteers_free(exercise, pool) for pool in pools)
        raise Refusal("world.checks.short", people=people, free=free)
    return door_to_door(exercise, state, team, travel, hours)


def _water_tests(exercise: ActionHost, state: ActionState) -> Process:
    asset_id = _asset(exercise, state)
    label = exercise.assets[asset_id].label
    if asset_id not in exercise.population.unfit:
        raise Refusal("world.tests.not_unfit", asset=label)
    if "damaged" in exercise.engine.status(asset_id).causes:
        raise Refusal("world.tests.damaged", asset=label)
    return water_tests(exercise, state, _reachable(exercise, asset_id))


def _hand_out_supplies(exercise: ActionHost, state: ActionState) -> Process:
    district = state.request.target
    districts = exercise.population.districts
    if district not in districts:
        raise Refusal("refusal.unknown_district", district=district)
    essential = state.request.params.get("essential", "food")
    if essential not in ("water", "food", "medicines"):
        raise Refusal("world.supplies.unknown", essential=str(essential))
    hours = _hours(exercise, state)
    stock = exercise.world.stocks.get(essential, 0)
    label = partial(lookup, f"service.{essential}", default=essential)
    reach = math.floor(stock * 24.0 / hours + 1e-9)
    if reach <= 0:
        raise Refusal("world.supplies.empty", essential=label, stock=stock)
    people = state.request.params.get("people", districts[district].population)
    if not isinstance(people, int) or people < 1:
        raise Refusal("refusal.bad_count")
    travel = _district_travel(exercise, district)
    return hand_out_supplies(exercise, state, essential, min(people, reach), hours, travel)


def _note(exercise: ActionHost, state: ActionState) -> None:
    exercise.action_event(state, "completed", "detail.note", note=state.request.note)


_PLANNERS: dict[str, Planner] = {
    "repair": _repair,
    "deploy_generator": _deploy_generator,
    "recall_generator": _recall_generator,
    "refuel": _refuel,
    "isolate": _network_change("isolate"),
    "reconnect": _network_change("reconnect"),
    "restore_backup": _restore_backup,
    "manual_operation": _manual_operation,
    "water_point": _water_point,
    "open_shelter": _open_shelter,
    "public_alert": start_message,
    "open_aid_point": start_aid_point,
    "restrict_water": issue_order,
    "order_evacuation": issue_order,
    "boil_water_notice": issue_order,
    "debunk": _debunk,
    "request_support": _request_support,
    "evacuate": _evacuate,
    "door_to_door": _door_to_door,
    "water_tests": _water_tests,
    "hand_out_supplies": _hand_out_supplies,
    "note": _note,
}
