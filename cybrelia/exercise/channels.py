"""Messages to residents on real channels, each reaching what the live state lets it reach.

``public_alert`` (target: a district or ``all``; ``channel``, ``topic`` or, for
sirens, ``tone``) sends one message.  Its reach in each district is computed
from the state at the moment it is delivered there (docs/information.md,
section 2): Alert RCB goes through the voivode's crisis centre and the RCB and
reaches the residents under working masts; sirens need their power and carry
a tone only; the radio reaches households with power or a battery radio; the
gmina's website and social media need telecom at the office and at home; a
loudspeaker car needs a car, its crew and an open road; sołtysi and volunteers
go door to door, slowly; the parish reads announcements at set times.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from datetime import timedelta
from typing import Any

import simpy

from cybrelia.exercise.events import Named
from cybrelia.exercise.informed import Message
from cybrelia.exercise.resources import Pool
from cybrelia.exercise.rumours import Rumour
from cybrelia.exercise.types import ActionHost, ActionState, Refusal
from cybrelia.exercise.world import BASE
from cybrelia.files.information import CHANNELS, TONES
from cybrelia.i18n import numeral

__all__ = [
    "AID_SETUP_HOURS",
    "DEBUNK_CHANNEL",
    "DEFAULT_TOPIC",
    "area_districts",
    "channel_reach",
    "debunk_message",
    "send",
    "start_aid_point",
    "start_message",
]

Process = Generator[simpy.Event, Any, None]

#: The topic of a message that names none: a warning about what is happening.
DEFAULT_TOPIC = "warning"
#: Hours to set up an aid point (tables, signs, the first volunteers).
AID_SETUP_HOURS = 1.0
#: The channel of a debunk that names none: the gmina's website and social media.
DEBUNK_CHANNEL = "web"
#: The pool kind each channel that goes out with people needs.
_CREWED = {"loudspeaker": "loudspeaker_car", "door_to_door": "volunteers"}
#: The service a resident needs to be reached by each channel that needs one.
_NEEDS = {"rcb_alert": "telecom", "sirens": "alerting", "web": "telecom"}


def _served_share(exercise: ActionHost, district: str, service: str) -> float:
    """Share of a district that a working asset supplies with ``service`` now."""
    population = exercise.population.districts[district].population
    if population <= 0:
        return 0.0
    engine = exercise.engine
    return (engine.served(district, service) - engine.without(district, service)) / population


def _powered_share(exercise: ActionHost, district: str) -> float:
    """Share of a district with power now (residents no power asset serves count as powered)."""
    population = exercise.population.districts[district].population
    if population <= 0:
        return 0.0
    return 1.0 - exercise.engine.without(district, "power") / population


def channel_reach(exercise: ActionHost, channel: str, district: str) -> float:
    """Share of ``district`` a message on an instantaneous-delivery channel reaches now.

    ``loudspeaker``, ``door_to_door`` and ``parish`` reach a fixed share of the
    districts they get to (:class:`~cybrelia.files.information.InformationSettings`);
    when they get there is what their processes compute.
    """
    settings = exercise.information.settings
    if channel in ("rcb_alert", "sirens"):
        return _served_share(exercise, district, _NEEDS[channel])
    alarmed = exercise.information.alarmed(district, exercise.now)
    if channel == "radio":
        audience = settings.radio_audience + (1.0 - settings.radio_audience) * alarmed
        powered = _powered_share(exercise, district)
        prepared = exercise.population.districts[district].prepared_share
        return audience * (powered + (1.0 - powered) * prepared)
    if channel == "web":
        audience = settings.web_audience + (1.0 - settings.web_audience) * alarmed
        return audience * _served_share(exercise, district, "telecom")
    shares = {"loudspeaker": settings.loudspeaker_share, "door_to_door": settings.door_share}
    return shares[channel]


def area_districts(exercise: ActionHost, target: str | None) -> tuple[str, ...]:
    """The districts of a district id, a hazard zone (the districts that lie in it) or ``all``.

    Raises
    ------
    Refusal
        If ``target`` is none of them.
    """
    districts = exercise.population.districts
    if target == "all":
        return tuple(sorted(districts))
    if target in districts:
        return (target,)
    zoned = tuple(sorted(d for d, district in districts.items() if target in district.zones))
    if zoned:
        return zoned
    raise Refusal("refusal.unknown_area", area=target)


def _office_offline(exercise: ActionHost) -> str | None:
    """The gmina office's name if it cannot publish on the web now (no telecom there)."""
    assets = exercise.assets
    offices = sorted(a for a, asset in assets.items() if "administration" in asset.provides)
    if not offices:
        return None
    engine = exercise.engine
    for office in offices:
        telecom = "telecom" not in engine.needs(office) or engine.supplied(office, "telecom")
        if engine.is_available(office) and telecom:
            return None
    return exercise.assets[offices[0]].label


def _pool(exercise: ActionHost, state: ActionState, kind: str) -> Pool:
    chosen = state.request.params.get("resource")
    pools = [p for p in exercise.pools.values() if p.kind == kind and chosen in (None, p.id)]
    if not pools:
        raise Refusal(
            "refusal.no_resource_kind", kind=Named.kind(kind), kind_words=kind.replace("_", " ")
        )
    free = [p for p in pools if p.free > 0]
    return free[0] if free else min(pools, key=lambda p: (len(p.queue), p.id))


def start_message(exercise: ActionHost, state: ActionState) -> Process | None:
    """Check a ``public_alert`` against the state now and return its process (if it waits).

    Raises
    ------
    Refusal
        An unknown district or channel, a tone on a channel that carries words or
        words on sirens, no car or volunteers, the office offline for the web.
    """
    params = state.request.params
    channel = params.get("channel", "rcb_alert")
    districts = area_districts(exercise, state.request.target)
    if channel == "sirens":
        topic = params.get("tone", "alarm")
        if topic not in TONES or "topic" in params:
            raise Refusal("refusal.sirens_tones", tones=", ".join(TONES))
    else:
        topic = str(params.get("topic", DEFAULT_TOPIC))
    return _start(exercise, state, Message(state.id, channel, topic, exercise.now, districts))


def debunk_message(exercise: ActionHost, state: ActionState, rumour: Rumour) -> Process | None:
    """Check a ``debunk`` of ``rumour`` and return its process: a message whose topic is the
    claim's id, to the claim's districts, on ``channel`` (default ``web``)."""
    channel = state.request.params.get("channel", DEBUNK_CHANNEL)
    if channel == "sirens":
        raise Refusal("refusal.sirens_tones", tones=", ".join(TONES))
    if channel == "rcb_alert":
        raise Refusal("refusal.rcb_warnings_only")
    message = Message(state.id, channel, rumour.claim.id, exercise.now, rumour.ids)
    return _start(exercise, state, message)


def _start(exercise: ActionHost, state: ActionState, message: Message) -> Process | None:
    channel = message.channel
    if channel not in CHANNELS:
        raise Refusal(
            "refusal.bad_channel", channel=Named.channel(channel), channels=", ".join(CHANNELS)
        )
    if channel != "sirens" and message.topic in TONES:
        raise Refusal("refusal.tone_on_words", channel=Named.channel(channel), topic=message.topic)
    if channel == "web" and (office := _office_offline(exercise)) is not None:
        raise Refusal("refusal.web_offline", office=office)
    pool = None
    if channel in _CREWED:
        pool = _pool(exercise, state, _CREWED[channel])
    exercise.information.messages[state.id] = message
    if channel in ("sirens", "radio", "web"):
        _deliver_now(exercise, state, message)
        return None
    if channel == "rcb_alert":
        return _rcb_process(exercise, state, message)
    if channel == "loudspeaker":
        assert pool is not None
        return _loudspeaker_process(exercise, state, message, pool)
    if channel == "door_to_door":
        assert pool is not None
        return _door_process(exercise, state, message, pool)
    return _parish_process(exercise, state, message)


def send(exercise: ActionHost, message: Message, district: str, share: float) -> None:
    """Deliver ``message`` to ``district`` now, reaching ``share`` of it."""
    exercise.information.reach(message, district, share, exercise.now)


def _finish(exercise: ActionHost, state: ActionState, message: Message) -> None:
    """The message has reached every district it will: it takes effect with its share.

    The share is of the target's residents; for a debunk, of those it reached
    who trust the gmina.  A debunk of a claim that is correct turns out wrong: trust
    falls where it was heard, and it turns nobody.
    """
    message.delivered_at = exercise.now
    information = exercise.information
    districts = exercise.population.districts
    total = sum(districts[d].population for d in message.districts)
    reached = message.people()
    share = reached / total if total else 0.0
    rumour = exercise.population.claims.get(message.topic)
    if rumour is not None and state.request.action == "debunk":
        trusting = sum(n * information.trust[d] for d, n in sorted(message.reached.items()))
        share = trusting / total if total else 0.0
        if rumour.claim.correct:
            for district, people in sorted(message.reached.items()):
                if people > 0:
                    information.discredit(district, exercise.now)
            share = 0.0
    exercise.took_effect(state, share)
    exercise.informed_changed()
    exercise.action_event(
        state,
        "completed",
        "detail.alert_reached",
        reached=numeral(reached),
        total=numeral(total),
    )


def _deliver_now(exercise: ActionHost, state: ActionState, message: Message) -> None:
    for district in message.districts:
        send(exercise, message, district, channel_reach(exercise, message.channel, district))
    _finish(exercise, state, message)


def _rcb_process(exercise: ActionHost, state: ActionState, message: Message) -> Process:
    delay = exercise.information.settings.alert_delay
    exercise.action_event(state, "started", "detail.rcb_requested", hours=Named.hours(delay))
    yield exercise.env.timeout(delay)
    _deliver_now(exercise, state, message)


def _loudspeaker_process(
    exercise: ActionHost, state: ActionState, message: Message, pool: Pool
) -> Process:
    settings = exercise.information.settings
    request = pool.request(priority=state.request.priority)
    if not request.triggered:
        exercise.action_event(state, "queued", "detail.waiting", pool=Named.resource(pool.id))
    try:
        yield request
        exercise.action_event(
            state, "started", "detail.loudspeaker_out", pool=Named.resource(pool.id)
        )
        where = BASE
        for district in message.districts:
            leg = exercise.world.leg(where, district)
            if leg.hours is None:
                names = ", ".join(exercise.assets[r].label for r in leg.roads) or "-"
                exercise.action_event(
                    state,
                    "started",
                    "detail.loudspeaker_cut",
                    district=Named.area(district),
                    roads=names,
                )
                continue
            population = exercise.population.districts[district].population
            yield exercise.env.timeout(leg.hours + settings.loudspeaker_hours * population / 1000)
            send(exercise, message, district, settings.loudspeaker_share)
            exercise.informed_changed()
            where = district
    finally:
        if request.triggered:
            pool.release(request)
        else:
            request.cancel()
    _finish(exercise, state, message)


def _door_process(
    exercise: ActionHost, state: ActionState, message: Message, pool: Pool
) -> Process:
    settings = exercise.information.settings
    members = max(1, pool.free)
    requests = [pool.request(priority=state.request.priority) for _ in range(members)]
    try:
        for request in requests:
            if not request.triggered:
                exercise.action_event(
                    state, "queued", "detail.waiting", pool=Named.resource(pool.id)
                )
            yield request
        per_hour = members * settings.visits_per_hour * settings.household_size
        exercise.action_event(
            state,
            "started",
            "detail.door_to_door",
            pool=Named.resource(pool.id),
            members=members,
            people=numeral(per_hour),
        )
        for district in message.districts:
            population = exercise.population.districts[district].population
            yield exercise.env.timeout(population / per_hour)
            send(exercise, message, district, settings.door_share)
            exercise.informed_changed()
    finally:
        for request in requests:
            if request.triggered:
                pool.release(request)
            else:
                request.cancel()
    _finish(exercise, state, message)


def _parish_process(exercise: ActionHost, state: ActionState, message: Message) -> Process:
    settings = exercise.information.settings
    start = exercise.scenario_start
    clock = exercise.now + (0.0 if start is None else start.hour + start.minute / 60)
    day = math.floor(clock / 24)
    hours = sorted(settings.parish_times)
    later = [day * 24 + h for h in hours if day * 24 + h >= clock - 1e-9]
    at = later[0] if later else (day + 1) * 24 + hours[0]
    wait = at - clock
    exercise.action_event(state, "started", "detail.parish_waits", hours=Named.hours(wait))
    yield exercise.env.timeout(wait)
    sunday = False
    if start is not None:
        when = start + timedelta(hours=exercise.now)
        sunday = when.weekday() == 6
    share = settings.parish_sunday_share if sunday else settings.parish_share
    for district in message.districts:
        send(exercise, message, district, share)
    _finish(exercise, state, message)


def start_aid_point(exercise: ActionHost, state: ActionState) -> Process:
    """Check an ``open_aid_point`` (target: the building) and return its process.

    An aid point (*punkt pomocy*, where donations are collected and handed out and
    people ask what is going on) informs the districts the building serves: each
    open hour, ``aid_visits`` of those not yet there come by (docs/information.md 2).

    Raises
    ------
    Refusal
        An unknown asset, one that is down, or one that serves no district.
    """
    asset_id = state.request.target
    if asset_id is None or asset_id not in exercise.assets:
        raise Refusal("refusal.unknown_asset", asset=asset_id)
    asset = exercise.assets[asset_id]
    if not exercise.engine.is_available(asset_id):
        raise Refusal("refusal.aid_point_down", asset=asset.label)
    if not asset.serves:
        raise Refusal("refusal.serves_no_district", asset=asset.label)
    hours = float(state.request.params.get("hours", 72.0))
    if hours <= 0:
        raise Refusal("refusal.hours_not_positive")
    topic = str(state.request.params.get("topic", DEFAULT_TOPIC))
    if topic in TONES:
        raise Refusal("refusal.tone_on_words", channel=Named.channel("aid_point"), topic=topic)
    message = Message(state.id, "aid_point", topic, exercise.now, tuple(sorted(asset.serves)))
    exercise.information.messages[state.id] = message
    return _aid_process(exercise, state, message, asset_id, hours)


def _aid_process(
    exercise: ActionHost, state: ActionState, message: Message, asset_id: str, hours: float
) -> Process:
    settings = exercise.information.settings
    exercise.action_event(state, "started", "detail.opening", hours=Named.hours(AID_SETUP_HOURS))
    yield exercise.env.timeout(AID_SETUP_HOURS)
    served = exercise.assets[asset_id].serves
    open_hours = 0
    while open_hours < hours:
        yield exercise.env.timeout(min(1.0, hours - open_hours))
        if not exercise.engine.is_available(asset_id):
            exercise.action_event(state, "failed", "detail.aid_point_lost")
            return
        open_hours += 1
        came = 1.0 - (1.0 - settings.aid_visits) ** open_hours
        for district in message.districts:
            before = message.reached.pop(district, 0)
            send(exercise, message, district, came * served[district])
            message.reached[district] = max(before, message.reached[district])
        if open_hours == 1:
            districts = exercise.population.districts
            total = sum(districts[d].population for d in message.districts)
            exercise.took_effect(state, message.people() / total if total else 0.0)
        exercise.informed_changed()
    message.delivered_at = exercise.now
    exercise.action_event(state, "completed", "detail.aid_point_closed")
