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

from collections.abc import Callable, Generator
from typing import Any

import simpy

from cybrelia.engine.cascade import BufferSpec
from cybrelia.exercise.resources import Pool
from cybrelia.exercise.types import ActionHost, ActionState, Deployment, Refusal, cause_text
from cybrelia.files.actions import CREW_FOR_SECTOR, RESOURCE_KINDS
from cybrelia.files.durations import format_duration
from cybrelia.files.model import Resource
from cybrelia.files.scenario import Effect

__all__ = ["start_action"]

Process = Generator[simpy.Event, Any, None]
Planner = Callable[[ActionHost, ActionState], Process | None]

#: Hours a water tanker needs to reach a district; a shelter needs to open.
TANKER_TRAVEL_HOURS = 1.0
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
    "isolate": "odłączanie",
    "reconnect": "podłączanie",
}
FAILURES_PL = {"shelter lost": "punkt stracił zasilanie lub inną usługę"}
SOURCES_PL = {"powiat": "starosta (powiat)", "voivode": "wojewoda", "wot": "WOT przez wojewodę"}

#: Fuel of a generator that support brings, when the model says nothing.
DEFAULT_FUEL_HOURS = 8.0


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


def _reachable(exercise: ActionHost, asset_id: str) -> None:
    """Crews reach an asset only while its transport need (a road, a bridge) is supplied."""
    engine = exercise.engine
    if "transport" in engine.needs(asset_id) and not engine.supplied(asset_id, "transport"):
        cut = [p for p in engine.providers(asset_id, "transport") if not engine.is_available(p)]
        names = ", ".join(exercise.assets[p].label for p in cut)
        raise Refusal(
            f"{exercise.assets[asset_id].label} is not reachable ({names} down)",
            f"brak dojazdu do: {exercise.assets[asset_id].label} (nie działa: {names})",
        )


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


# --- the actions -----------------------------------------------------------------------


def _repair(exercise: ActionHost, state: ActionState) -> Process:
    asset_id = _asset(exercise, state)
    if "damaged" not in exercise.engine.status(asset_id).causes:
        raise Refusal(
            f"{exercise.assets[asset_id].label} is not damaged",
            f"{exercise.assets[asset_id].label}: obiekt nie jest uszkodzony",
        )
    _reachable(exercise, asset_id)
    pool = _pick(_pools(exercise, _crew_kind(exercise, asset_id), state.request.params.get("crew")))
    asset = exercise.assets[asset_id]
    return _repair_process(exercise, state, pool, asset.travel_hours + asset.repair_hours)


def _repair_process(exercise: ActionHost, state: ActionState, pool: Pool, hours: float) -> Process:
    asset_id = state.request.target
    assert asset_id is not None
    request = yield from _crew_work(exercise, state, pool, hours, "travel and repair")
    try:
        yield exercise.env.timeout(hours)
    finally:
        pool.release(request)
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
    _reachable(exercise, asset_id)
    pools = _pools(exercise, "generator", state.request.params.get("resource"))
    free = [p for p in pools if p.free > 0]
    if not free:
        raise Refusal("no free mobile generator", "brak wolnego agregatu przewoźnego")
    pool = free[0]
    deployment = Deployment(pool, pool.request(priority=state.request.priority), state.id)
    exercise.deployments[asset_id] = deployment
    return _deploy_process(exercise, state, deployment)


def _deploy_process(exercise: ActionHost, state: ActionState, deployment: Deployment) -> Process:
    asset_id = state.request.target
    assert asset_id is not None
    pool = deployment.pool
    travel = exercise.assets[asset_id].travel_hours
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
    fuel = pool.fuel_hours if pool.fuel_hours is not None else DEFAULT_FUEL_HOURS
    deployment.previous = exercise.engine.swap_buffer(
        asset_id, "power", BufferSpec("generator", fuel, 0.0, fuel)
    )
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
    _reachable(exercise, asset_id)
    pool = _pick(_pools(exercise, "fuel_truck"))
    return _refuel_process(exercise, state, pool)


def _refuel_process(exercise: ActionHost, state: ActionState, pool: Pool) -> Process:
    asset_id = state.request.target
    assert asset_id is not None
    travel = exercise.assets[asset_id].travel_hours
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
    request = yield from _crew_work(exercise, state, pool, hours, "restore from backup")
    try:
        yield exercise.env.timeout(hours)
    finally:
        pool.release(request)
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
    _reachable(exercise, asset_id)
    hours = _hours(exercise, state)
    pool = _pick(_pools(exercise, _crew_kind(exercise, asset_id), state.request.params.get("crew")))
    exercise.manual[asset_id] = state.id  # now, so a second request at this instant is refused
    return _manual_process(exercise, state, pool, hours)


def _manual_process(exercise: ActionHost, state: ActionState, pool: Pool, hours: float) -> Process:
    asset_id = state.request.target
    assert asset_id is not None
    travel = exercise.assets[asset_id].travel_hours
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
    return _water_process(exercise, state, pool, hours)


def _water_process(exercise: ActionHost, state: ActionState, pool: Pool, hours: float) -> Process:
    district = state.request.target
    assert district is not None
    request = yield from _crew_work(
        exercise, state, pool, TANKER_TRAVEL_HOURS + hours, "water point"
    )
    active = False
    try:
        yield exercise.env.timeout(TANKER_TRAVEL_HOURS)
        exercise.population.mitigate("water_point", district, True)
        active = True
        exercise.refresh_figures()
        yield exercise.env.timeout(hours)
    finally:
        if active:
            exercise.population.mitigate("water_point", district, False)
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
    return _shelter_process(exercise, state, _hours(exercise, state))


def _shelter_process(exercise: ActionHost, state: ActionState, hours: float) -> Process:
    asset_id = state.request.target
    assert asset_id is not None
    districts = sorted(exercise.assets[asset_id].serves)
    exercise.action_event(
        state,
        "started",
        f"opening, {format_duration(SHELTER_SETUP_HOURS)}",
        f"otwieranie, {format_duration(SHELTER_SETUP_HOURS)}",
    )
    try:
        yield exercise.env.timeout(SHELTER_SETUP_HOURS)
        exercise.set_shelter(state.id, asset_id, districts)
        yield exercise.env.timeout(hours)
    finally:
        exercise.set_shelter(state.id, asset_id, None)
    exercise.action_event(state, "completed", "shelter closed", "punkt zamknięty")


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
    exercise.population.debunk(claim.claim.id, exercise.now)
    exercise.refresh_figures()
    exercise.action_event(state, "completed", "claim countered", "plotka zdementowana")


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
    if source not in exercise.SUPPORT_DELAY:
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
    "note": _note,
}
