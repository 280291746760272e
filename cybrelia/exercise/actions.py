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
from datetime import timedelta
from typing import Any

import simpy

from cybrelia.engine.cascade import BufferSpec
from cybrelia.engine.clock import exact_hours
from cybrelia.exercise.population import ClaimState
from cybrelia.exercise.resources import Pool
from cybrelia.exercise.support import channel_refusal, finite_support, refusal
from cybrelia.exercise.types import ActionHost, ActionState, Deployment, Refusal, cause_text
from cybrelia.exercise.world import BASE, rated_kw
from cybrelia.files.actions import CREW_FOR_SECTOR, RESOURCE_KINDS
from cybrelia.files.durations import format_duration
from cybrelia.files.model import Resource
from cybrelia.files.scenario import Effect
from cybrelia.i18n import text

__all__ = ["DEBUNK_HORIZON_HOURS", "start_action", "turned_share"]

Process = Generator[simpy.Event, Any, None]
Planner = Callable[[ActionHost, ActionState], Process | None]

#: Hours a shelter needs to open (fetching the keys, setting up).
SHELTER_SETUP_HOURS = 1.0
#: Hours to isolate or reconnect an asset on the network.
NETWORK_CHANGE_HOURS = 0.25
#: Polish words for the details of actions (the English ones are in the code).
WORK_PL = {
    "travel and repair": "dojazd i naprawa",
    "fuel delivery": "dowóz paliwa",
    "restore from backup": "odtwarzanie z kopii",
    "manual operation": "praca ręczna",
    "water point": "punkt poboru wody",
    "evacuation": "ewakuacja",
    "isolate": "odłączanie",
    "reconnect": "podłączanie",
}
FAILURES_PL = {"shelter lost": "punkt stracił zasilanie lub inną usługę"}
SOURCES_PL = {"powiat": "starosta (powiat)", "voivode": "wojewoda", "wot": "WOT przez wojewodę"}

#: Hours after a debunk at which the believers it turned are counted.
DEBUNK_HORIZON_HOURS = 6.0
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
        cause = str(interrupt.cause)
        if cause == "cancelled":
            exercise.action_event(
                state, "cancelled", "cancelled by the facilitator", "odwołane przez prowadzącego"
            )
        else:
            exercise.action_event(state, "failed", cause, FAILURES_PL.get(cause, cause))


# --- checks ----------------------------------------------------------------------------


def _asset(exercise: ActionHost, state: ActionState) -> str:
    target = state.request.target
    if target is None or target not in exercise.assets:
        raise Refusal(f"unknown asset {target!r}", f"nieznany obiekt {target!r}")
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
        raise Refusal(
            f"{exercise.assets[asset_id].label} is not reachable ({names} down)",
            f"brak dojazdu do: {exercise.assets[asset_id].label} (nie działa: {names})",
        )
    return leg.hours


def _pools(exercise: ActionHost, kind: str, chosen: str | None = None) -> list[Pool]:
    pools = [p for p in exercise.pools.values() if p.kind == kind]
    if chosen is not None:
        pools = [p for p in pools if p.id == chosen]
        if not pools:
            raise Refusal(
                f"no resource {chosen!r} of kind {kind}", f"brak zasobu {chosen!r} rodzaju {kind}"
            )
    if not pools:
        raise Refusal(
            f"no {kind.replace('_', ' ')} in the model's resources",
            f"w zasobach gminy nie ma: {kind}",
        )
    return pools


def _pick(pools: list[Pool]) -> Pool:
    """A pool with a free unit, else the one with the shortest queue (ties by id)."""
    free = [p for p in pools if p.free > 0]
    if free:
        return free[0]
    return min(pools, key=lambda p: (len(p.queue), p.id))


def _crew_kind(exercise: ActionHost, asset_id: str) -> str:
    sector = exercise.assets[asset_id].sector or "other"
    return CREW_FOR_SECTOR.get(sector, "maintenance_crew")


def _hours(exercise: ActionHost, state: ActionState) -> float:
    value = state.request.params.get("hours", exercise.DEFAULT_HOURS[state.request.action])
    try:
        hours = float(value)
    except (TypeError, ValueError):
        raise Refusal(
            f"hours must be a number, not {value!r}",
            f"liczba godzin musi być liczbą, nie {value!r}",
        ) from None
    if hours <= 0:
        raise Refusal("hours must be positive", "liczba godzin musi być dodatnia")
    return hours


def _crew_work(
    exercise: ActionHost, state: ActionState, pool: Pool, hours: float, what: str
) -> Generator[simpy.Event, Any, simpy.resources.resource.PriorityRequest]:
    """Queue for a unit of ``pool``, then travel; returns the granted request."""
    request = pool.request(priority=state.request.priority)
    if not request.triggered:
        exercise.action_event(state, "queued", f"waiting for {pool.id}", f"czeka na: {pool.id}")
    try:
        yield request
    except simpy.Interrupt:
        request.cancel()
        pool.release(request)
        raise
    exercise.action_event(
        state,
        "started",
        f"{pool.id}: {what}, {format_duration(hours)}",
        f"{pool.id}: {WORK_PL.get(what, what)}, {format_duration(hours)}",
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
    exercise: ActionHost, state: ActionState, pool: Pool, hours: float, what: str
) -> Generator[simpy.Event, Any, None]:
    """Queue for a crew, work ``hours`` on its shifts, and give it back after its rest."""
    elapsed, rest = shift_hours(pool, hours)
    request = yield from _crew_work(exercise, state, pool, elapsed, what)
    done = False
    try:
        yield exercise.env.timeout(elapsed)
        done = True
    finally:
        if not done or rest <= 0:
            pool.release(request)
    if rest > 0:
        exercise.env.process(_rest(exercise, pool, request, rest))


def _rest(
    exercise: ActionHost,
    pool: Pool,
    request: simpy.resources.resource.PriorityRequest,
    hours: float,
) -> Generator[simpy.Event, Any, None]:
    """Hold a crew that finished a job while it rests."""
    yield exercise.env.timeout(hours)
    pool.release(request)


# --- the actions -----------------------------------------------------------------------


def _repair(exercise: ActionHost, state: ActionState) -> Process:
    asset_id = _asset(exercise, state)
    if "damaged" not in exercise.engine.status(asset_id).causes:
        raise Refusal(
            f"{exercise.assets[asset_id].label} is not damaged",
            f"{exercise.assets[asset_id].label}: obiekt nie jest uszkodzony",
        )
    travel = _reachable(exercise, asset_id)
    pool = _pick(_pools(exercise, _crew_kind(exercise, asset_id), state.request.params.get("crew")))
    asset = exercise.assets[asset_id]
    return _repair_process(exercise, state, pool, travel + asset.repair_hours)


def _repair_process(exercise: ActionHost, state: ActionState, pool: Pool, hours: float) -> Process:
    asset_id = state.request.target
    assert asset_id is not None
    yield from _shift_work(exercise, state, pool, hours, "travel and repair")
    if "damaged" in exercise.engine.status(asset_id).causes:
        exercise.engine.act([Effect(repair=[asset_id])])
        exercise.action_event(state, "completed", "repaired", "naprawione")
    else:
        exercise.action_event(
            state,
            "completed",
            "already repaired when the crew arrived",
            "naprawione, zanim ekipa dojechała",
        )


def _deploy_generator(exercise: ActionHost, state: ActionState) -> Process:
    asset_id = _asset(exercise, state)
    label = exercise.assets[asset_id].label
    if "power" not in exercise.engine.needs(asset_id):
        raise Refusal(f"{label} needs no power", f"{label}: obiekt nie potrzebuje zasilania")
    if asset_id in exercise.deployments:
        raise Refusal(
            f"{label} has a mobile generator already",
            f"{label}: agregat przewoźny już jest na miejscu lub w drodze",
        )
    asset = exercise.assets[asset_id]
    if not asset.connection:
        raise Refusal(
            f"{label} has no connection point for a mobile generator",
            f"{label}: brak przyłącza dla agregatu przewoźnego",
        )
    travel = _reachable(exercise, asset_id)
    pools = _pools(exercise, "generator", state.request.params.get("resource"))
    free = [p for p in pools if p.free > 0]
    if not free:
        raise Refusal("no free mobile generator", "brak wolnego agregatu przewoźnego")
    fitting = [p for p in free if exercise.world.generator_fits(p.resource, asset)]
    if not fitting:
        largest = max(free, key=lambda p: (p.resource.kva or 0.0, p.id))
        kva = largest.resource.kva or 0.0
        raise Refusal(
            f"generator {largest.id} {kva:g} kVA ({rated_kw(kva):g} kW), "
            f"{label} needs {asset.load_kw:g} kW",
            f"agregat {largest.id} {kva:g} kVA ({rated_kw(kva):g} kW), "
            f"{label} potrzebuje {asset.load_kw:g} kW",
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
        f"{pool.id} on its way, {format_duration(travel)}",
        f"{pool.id} w drodze, {format_duration(travel)}",
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
        f"{pool.id} running, fuel {format_duration(fuel)}",
        f"{pool.id} pracuje, paliwo na {format_duration(fuel)}",
    )
    exercise.watch_fuel(asset_id)


def _recall_generator(exercise: ActionHost, state: ActionState) -> None:
    asset_id = _asset(exercise, state)
    deployment = exercise.deployments.get(asset_id)
    label = exercise.assets[asset_id].label
    if deployment is None:
        raise Refusal(f"{label} has no mobile generator", f"{label}: brak agregatu przewoźnego")
    if not deployment.arrived:
        raise Refusal(
            f"the generator for {label} is still on its way; cancel {deployment.action_id} instead",
            f"agregat dla: {label} jest jeszcze w drodze; "
            f"odwołaj zamiast tego {deployment.action_id}",
        )
    del exercise.deployments[asset_id]
    exercise.engine.swap_buffer(asset_id, "power", deployment.previous)
    exercise.world.burn.pop(asset_id, None)
    if deployment.burn is not None:
        exercise.world.burn[asset_id] = deployment.burn
    deployment.pool.release(deployment.request)
    exercise.action_event(
        state,
        "completed",
        f"{deployment.pool.id} free again",
        f"{deployment.pool.id} znów wolny",
    )


def _refuel(exercise: ActionHost, state: ActionState) -> Process:
    asset_id = _asset(exercise, state)
    generators = [b for b in exercise.engine.buffers(asset_id) if b.kind == "generator"]
    if not generators:
        raise Refusal(
            f"{exercise.assets[asset_id].label} has no generator",
            f"{exercise.assets[asset_id].label}: obiekt nie ma agregatu",
        )
    travel = _reachable(exercise, asset_id)
    pool = _pick(_pools(exercise, "fuel_truck", state.request.params.get("resource")))
    loads = exercise.world.truck_loads.get(pool.id)
    if loads is None:
        return _refuel_process(exercise, state, pool, travel)
    if loads and max(loads) <= 0 and not exercise.world.fuel_sources(BASE):
        raise Refusal(
            f"{pool.id} is empty and no fuel station or depot with power and diesel is in reach",
            f"{pool.id} jest pusty, a żadna stacja ani skład z zasilaniem i paliwem "
            "nie jest osiągalny",
        )
    return _bowser_process(exercise, state, pool, travel)


def _refuel_process(exercise: ActionHost, state: ActionState, pool: Pool, travel: float) -> Process:
    """A fuel truck of unstated capacity: it drives there and fills the tank."""
    asset_id = state.request.target
    assert asset_id is not None
    request = yield from _crew_work(exercise, state, pool, travel, "fuel delivery")
    try:
        yield exercise.env.timeout(travel)
    finally:
        pool.release(request)
    for buffer in exercise.engine.buffers(asset_id):
        if buffer.kind == "generator":
            spec = BufferSpec(buffer.kind, buffer.hours, 0.0, buffer.hours)
            exercise.engine.swap_buffer(asset_id, buffer.service, spec)
    exercise.action_event(state, "completed", "tank full", "zbiornik pełny")
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
    request = yield from _crew_work(exercise, state, pool, travel, "fuel delivery")
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
                "no diesel: the truck is empty and no station could dispense",
                "brak paliwa: cysterna pusta, żadna stacja nie mogła wydać",
            )
            return
        leg = world.leg(origin, asset_id)
        if leg.hours is None:
            exercise.action_event(state, "failed", "road cut", "droga odcięta")
            return
        yield exercise.env.timeout(leg.hours)
        known = asset_id in world.burn
        delivered = _fill(exercise, asset_id, load)
        load -= delivered
        if known:
            exercise.action_event(
                state,
                "completed",
                f"{delivered:.0f} l delivered, {load:.0f} l left in {pool.id}",
                f"dostarczono {delivered:.0f} l, w {pool.id} zostało {load:.0f} l",
            )
        else:
            exercise.action_event(state, "completed", "tank full", "zbiornik pełny")
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
            raise Refusal(f"{label} is isolated already", f"{label}: obiekt jest już odłączony")
        if verb == "reconnect" and not isolated:
            raise Refusal(f"{label} is not isolated", f"{label}: obiekt nie jest odłączony")
        return _network_process(exercise, state, verb)

    return plan


def _network_process(exercise: ActionHost, state: ActionState, verb: str) -> Process:
    asset_id = state.request.target
    assert asset_id is not None
    exercise.action_event(
        state,
        "started",
        f"{verb}, {format_duration(NETWORK_CHANGE_HOURS)}",
        f"{WORK_PL[verb]}, {format_duration(NETWORK_CHANGE_HOURS)}",
    )
    yield exercise.env.timeout(NETWORK_CHANGE_HOURS)
    exercise.engine.act([Effect.model_validate({verb: [asset_id]})])
    if verb == "isolate":
        exercise.action_event(state, "completed", "isolated", "odłączony")
    else:
        exercise.action_event(state, "completed", "reconnected", "podłączony ponownie")


def _restore_backup(exercise: ActionHost, state: ActionState) -> Process:
    asset_id = _asset(exercise, state)
    asset = exercise.assets[asset_id]
    if asset.cyber is None:
        raise Refusal(
            f"{asset.label} is not a cyber asset",
            f"{asset.label}: to nie jest system teleinformatyczny",
        )
    if not exercise.engine.is_compromised(asset_id):
        raise Refusal(
            f"{asset.label} is not compromised", f"{asset.label}: system nie jest przejęty"
        )
    if asset.cyber.backup == "none":
        raise Refusal(
            f"{asset.label} has no backup to restore from",
            f"{asset.label}: brak kopii zapasowej do odtworzenia",
        )
    pool = _pick(_pools(exercise, "it_team", state.request.params.get("crew")))
    return _restore_process(exercise, state, pool, asset.cyber.restore_hours)


def _restore_process(exercise: ActionHost, state: ActionState, pool: Pool, hours: float) -> Process:
    asset_id = state.request.target
    assert asset_id is not None
    cyber = exercise.assets[asset_id].cyber
    assert cyber is not None
    yield from _shift_work(exercise, state, pool, hours, "restore from backup")
    if cyber.backup == "untested" and exercise.draw() < exercise.UNTESTED_BACKUP_FAILURE:
        exercise.action_event(
            state,
            "failed",
            "the untested backup could not be restored",
            "nieprzetestowanej kopii nie udało się odtworzyć",
        )
        return
    if exercise.engine.is_compromised(asset_id):
        exercise.engine.act([Effect(restore=[asset_id])])
    exercise.action_event(state, "completed", "restored from backup", "odtworzone z kopii")


def _manual_operation(exercise: ActionHost, state: ActionState) -> Process:
    asset_id = _asset(exercise, state)
    label = exercise.assets[asset_id].label
    if "control" not in exercise.engine.needs(asset_id):
        raise Refusal(
            f"{label} has no remote control to replace",
            f"{label}: obiekt nie ma zdalnego sterowania do zastąpienia",
        )
    if asset_id in exercise.manual:
        raise Refusal(
            f"staff are running {label} by hand already ({exercise.manual[asset_id]})",
            f"{label}: obsługa już pracuje ręcznie ({exercise.manual[asset_id]})",
        )
    travel = _reachable(exercise, asset_id)
    hours = _hours(exercise, state)
    pool = _pick(_pools(exercise, _crew_kind(exercise, asset_id), state.request.params.get("crew")))
    exercise.manual[asset_id] = state.id  # now, so a second request at this instant is refused
    return _manual_process(exercise, state, pool, hours, travel)


def _manual_process(
    exercise: ActionHost, state: ActionState, pool: Pool, hours: float, travel: float
) -> Process:
    asset_id = state.request.target
    assert asset_id is not None
    try:
        request = yield from _crew_work(exercise, state, pool, travel + hours, "manual operation")
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
    exercise.action_event(state, "completed", "staff withdrawn", "obsługa wycofana")


def _water_point(exercise: ActionHost, state: ActionState) -> Process:
    district = state.request.target
    if district not in exercise.population.districts:
        raise Refusal(
            f"unknown district {district!r}", f"nieznane sołectwo lub osiedle {district!r}"
        )
    hours = _hours(exercise, state)
    pool = _pick(_pools(exercise, "water_tanker", state.request.params.get("resource")))
    world = exercise.world
    travel = world.leg(BASE, district)
    if travel.hours is None:
        names = ", ".join(exercise.assets[road].label for road in travel.roads)
        raise Refusal(
            f"{district} cannot be reached ({names} down)",
            f"brak dojazdu do: {district} (nie działa: {names})",
        )
    if pool.resource.capacity_m3 is None:
        return _water_process(exercise, state, pool, hours, travel.hours)
    if not world.water_sources(district):
        raise Refusal(
            "no working drinking-water source for the tanker to fill at",
            "żadne ujęcie wody pitnej nie działa: cysterna nie ma gdzie się napełnić",
        )
    return _tanker_process(exercise, state, pool, hours)


def _water_process(
    exercise: ActionHost, state: ActionState, pool: Pool, hours: float, travel: float
) -> Process:
    """A tanker of unstated capacity: the water point covers the whole district."""
    district = state.request.target
    assert district is not None
    request = yield from _crew_work(exercise, state, pool, travel + hours, "water point")
    active = False
    try:
        yield exercise.env.timeout(travel)
        exercise.population.cover("water_point", district, state.id, None)
        active = True
        exercise.refresh_figures()
        exercise.took_effect(state)
        yield exercise.env.timeout(hours)
    finally:
        if active:
            exercise.population.uncover("water_point", district, state.id)
            exercise.refresh_figures()
        pool.release(request)
    exercise.action_event(state, "completed", "water point closed", "punkt poboru wody zamknięty")


def _tanker_process(exercise: ActionHost, state: ActionState, pool: Pool, hours: float) -> Process:
    """A tanker of stated capacity shuttling between a drinking-water source and the point.

    Each round trip fills at the nearest working source; the point serves
    ``floor(capacity * 24 / (norm * cycle))`` people, the cycle being the
    round trip plus the filling (docs/world.md, "Water points").
    """
    district = state.request.target
    assert district is not None
    world = exercise.world
    assert pool.resource.capacity_m3 is not None
    litres = pool.resource.capacity_m3 * 1000.0
    norm = exercise.setting.water_norm
    request = yield from _crew_work(exercise, state, pool, hours, "water point")
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
                    "tanker empty: no working drinking-water source in reach",
                    "cysterna pusta: żadne ujęcie wody pitnej w zasięgu nie działa",
                )
                return
            back, source = sources[0]
            wait = trip.hours + TANKER_FILL_HOURS + back
            if end is not None and env.exact_now + exact_hours(wait) >= end:
                yield env.timeout(end - env.exact_now)  # type: ignore[arg-type]  # exact: GridEnvironment
                break
            yield exercise.env.timeout(wait)
            cycle = 2 * back + TANKER_FILL_HOURS
            people = math.floor(litres * 24.0 / (norm * cycle))
            exercise.population.cover("water_point", district, state.id, people)
            opened = True
            exercise.refresh_figures()
            if end is None:
                end = env.exact_now + exact_hours(hours)
                label = exercise.assets[source].label
                exercise.action_event(
                    state,
                    "started",
                    f"water point open for {people} people ({norm:g} l a day each), "
                    f"filling at {label}, {format_duration(back)} away",
                    f"punkt czynny dla {people} osób ({norm:g} l na dobę), "
                    f"napełnianie: {label}, {format_duration(back)} drogi",
                )
            origin = district
    finally:
        if opened:
            exercise.population.uncover("water_point", district, state.id)
            exercise.refresh_figures()
        pool.release(request)
    exercise.action_event(state, "completed", "water point closed", "punkt poboru wody zamknięty")


def _open_shelter(exercise: ActionHost, state: ActionState) -> Process:
    asset_id = _asset(exercise, state)
    asset = exercise.assets[asset_id]
    if "shelter" not in asset.provides:
        raise Refusal(
            f"{asset.label} cannot serve as a shelter",
            f"{asset.label}: obiekt nie może służyć jako schronienie",
        )
    status = exercise.engine.status(asset_id)
    if status.state == "down":
        raise Refusal(
            f"{asset.label} is down ({', '.join(status.causes)})",
            f"{asset.label} nie działa ({cause_text(status.causes, 'pl')})",
        )
    if not asset.serves:
        raise Refusal(
            f"{asset.label} serves no district",
            f"{asset.label}: obiekt nie obsługuje żadnego sołectwa",
        )
    volunteers: list[Pool] = []
    if asset.staff > 0:
        volunteers = _pools(exercise, "volunteers", state.request.params.get("volunteers"))
        free = sum(volunteers_free(exercise, pool) for pool in volunteers)
        if free < asset.staff:
            raise refusal(
                "world.volunteers.short", shelter=asset.label, staff=asset.staff, free=free
            )
    return _shelter_process(exercise, state, _hours(exercise, state), volunteers)


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


def _staff(
    exercise: ActionHost, pools: list[Pool], staff: int
) -> list[tuple[Pool, simpy.resources.resource.PriorityRequest]] | None:
    """Take ``staff`` free volunteers from the pools in order, or None if there are not enough."""
    if sum(volunteers_free(exercise, pool) for pool in pools) < staff:
        return None
    taken: list[tuple[Pool, simpy.resources.resource.PriorityRequest]] = []
    for pool in pools:
        while len(taken) < staff and volunteers_free(exercise, pool) > 0:
            taken.append((pool, pool.request()))
    return taken


def _shelter_process(
    exercise: ActionHost, state: ActionState, hours: float, volunteers: list[Pool]
) -> Process:
    """Open the shelter and keep it open ``hours``; staff are relieved after their shift.

    A team of volunteers works ``shift.work`` hours (the pool's; 12 h without
    one) and then rests; a fresh team must take over or the shelter closes.
    """
    asset_id = state.request.target
    assert asset_id is not None
    asset = exercise.assets[asset_id]
    districts = sorted(asset.serves)
    exercise.action_event(
        state,
        "started",
        f"opening, {format_duration(SHELTER_SETUP_HOURS)}",
        f"otwieranie, {format_duration(SHELTER_SETUP_HOURS)}",
    )
    team = (_staff(exercise, volunteers, asset.staff) or []) if asset.staff else []
    try:
        yield exercise.env.timeout(SHELTER_SETUP_HOURS)
        exercise.set_shelter(state.id, asset_id, districts)
        exercise.took_effect(state)
        # An exact end, as for the tanker: what is left of it never rounds to nothing.
        env = exercise.env
        end = env.exact_now + exact_hours(hours)
        while (left := end - env.exact_now) > 0:
            shifts = [p.resource.shift.work for p, _ in team if p.resource.shift is not None]
            duty = min(exact_hours(min(shifts)), left) if shifts else left
            yield env.timeout(duty)  # type: ignore[arg-type]  # exact: GridEnvironment
            if env.exact_now >= end:
                break
            for pool, request in team:
                rest = pool.resource.shift.rest if pool.resource.shift is not None else 0.0
                exercise.env.process(_rest(exercise, pool, request, rest))
            team = []
            relief = _staff(exercise, volunteers, asset.staff)
            if relief is None:
                exercise.action_event(state, "failed", *_texts("world.volunteers.tired"))
                return
            team = relief
    finally:
        exercise.set_shelter(state.id, asset_id, None)
        for pool, request in team:
            pool.release(request)
    exercise.action_event(state, "completed", "shelter closed", "punkt zamknięty")


def _texts(key: str, **fields: object) -> tuple[str, str]:
    return text(key, "en", **fields), text(key, "pl", **fields)


def _public_alert(exercise: ActionHost, state: ActionState) -> None:
    target = state.request.target
    districts = exercise.population.districts
    if target != "all" and target not in districts:
        raise Refusal(f"unknown district {target!r}", f"nieznane sołectwo lub osiedle {target!r}")
    channel = state.request.params.get("channel", "rcb_alert")
    service = {"rcb_alert": "telecom", "sirens": "alerting"}.get(channel)
    if service is None:
        raise Refusal(
            f"channel must be rcb_alert or sirens, not {channel!r}",
            f"kanał to rcb_alert lub sirens, nie {channel!r}",
        )
    engine = exercise.engine
    reached = total = 0
    for district_id in sorted(districts) if target == "all" else [target]:
        total += districts[district_id].population
        reached += engine.served(district_id, service) - engine.without(district_id, service)
    exercise.took_effect(state, reached / total if total else 0.0)
    exercise.action_event(
        state,
        "completed",
        f"reached {reached} of {total} residents",
        f"dotarło do {reached} z {total} mieszkańców",
    )


def _debunk(exercise: ActionHost, state: ActionState) -> None:
    claim = exercise.population.claims.get(state.request.target or "")
    if claim is None:
        raise Refusal(
            f"no claim {state.request.target!r} is circulating",
            f"nie krąży plotka {state.request.target!r}",
        )
    if claim.debunked_at is not None:
        raise Refusal(
            f"claim {state.request.target!r} was debunked already",
            f"plotka {state.request.target!r} została już zdementowana",
        )
    exercise.took_effect(state, turned_share(claim, exercise.now))
    exercise.population.debunk(claim.claim.id, exercise.now)
    exercise.refresh_figures()
    exercise.action_event(state, "completed", "claim countered", "plotka zdementowana")


def turned_share(claim: ClaimState, t: float, horizon: float = DEBUNK_HORIZON_HOURS) -> float:
    """Share of the believers a debunk at ``t`` turns, ``horizon`` hours later.

    Without the debunk the claim would reach ``min(max_reach, reach + growth x
    (t + horizon - start))``; with it, its reach at ``t`` falls by ``decay`` per
    hour.  The share is the difference over the first: 1 for a claim that has
    died out by then, less the later the claim is countered.
    """
    spec = claim.claim
    later = t + horizon
    without = min(spec.max_reach, spec.reach + spec.growth * (later - claim.start))
    debunked = max(0.0, claim.reach(t) - spec.decay * horizon)
    return (without - debunked) / without if without > 0 else 0.0


def _request_support(exercise: ActionHost, state: ActionState) -> Process:
    kind = state.request.target
    if not kind:
        raise Refusal(
            "name the kind of resource to request", "podaj rodzaj zasobu, o który wnioskujesz"
        )
    known = RESOURCE_KINDS | {pool.kind for pool in exercise.pools.values()}
    if kind not in known:
        raise Refusal(f"unknown kind of resource {kind!r}", f"nieznany rodzaj zasobu {kind!r}")
    source = state.request.params.get("source", "powiat")
    stated = {support.source: support for support in exercise.setting.support}
    if source not in exercise.SUPPORT_DELAY and source not in stated:
        raise Refusal(
            f"support comes from powiat, voivode or wot, not {source!r}",
            f"wsparcie przychodzi z powiatu (powiat), od wojewody (voivode) "
            f"lub z WOT (wot), nie {source!r}",
        )
    count = state.request.params.get("count", 1)
    if not isinstance(count, int) or count < 1:
        raise Refusal(
            "count must be a whole number of at least 1", "liczba musi być całkowita, co najmniej 1"
        )
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
        f"requested from {source}, {format_duration(delay)}",
        f"wniosek do: {SOURCES_PL[source]}, {format_duration(delay)}",
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
        f"{count} x {kind} arrived ({where})",
        f"przybyło: {count} x {kind} ({where})",
    )


def _evacuate(exercise: ActionHost, state: ActionState) -> Process:
    asset_id = _asset(exercise, state)
    label = exercise.assets[asset_id].label
    occupants = exercise.population.occupants.get(asset_id, 0)
    if occupants <= 0:
        raise refusal("world.evacuate.nobody", facility=label)
    destination = state.request.params.get("to")
    if destination not in exercise.assets:
        raise refusal("world.evacuate.no_destination", destination=str(destination))
    place = exercise.assets[destination]
    free = exercise.world.free_places(place, occupants)
    if not exercise.engine.is_available(destination):
        raise refusal("world.evacuate.destination_down", destination=place.label)
    if free <= 0:
        raise refusal("world.evacuate.full", destination=place.label)
    travel = _reachable(exercise, asset_id)
    leg = exercise.world.leg(asset_id, destination)
    if leg.hours is None:
        names = ", ".join(exercise.assets[road].label for road in leg.roads)
        raise refusal("world.evacuate.cut", destination=place.label, roads=names)
    pool = _pick(_pools(exercise, "bus", state.request.params.get("resource")))
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
    request = yield from _crew_work(exercise, state, pool, travel, "evacuation")

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
    fields = {"moved": moved, "destination": place.label, "left": population.occupants[asset_id]}
    exercise.action_event(
        state,
        "completed",
        text("world.evacuate.done", "en", **fields),
        text("world.evacuate.done", "pl", **fields),
    )


def _note(exercise: ActionHost, state: ActionState) -> None:
    exercise.action_event(state, "completed", state.request.note)


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
    "public_alert": _public_alert,
    "debunk": _debunk,
    "request_support": _request_support,
    "evacuate": _evacuate,
    "note": _note,
}
