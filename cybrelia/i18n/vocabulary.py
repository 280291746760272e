"""The names of the model's open vocabularies: services, sectors, actions, pillars, states.

Each name is a catalogue message ``<kind>.<id>`` (``service.water``, ``pillar.7``);
an id the catalogue does not know (a service a model made up) is shown as it is.

Examples
--------
>>> service_label("water", "pl")
'woda'
>>> service_label("plasma", "en")
'plasma'
>>> pillar_label(7, "en")
'7. continuity of services'
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from cybrelia.i18n.catalogue import check_lang, lookup, text

__all__ = [
    "action_label",
    "action_status_label",
    "asset_type_label",
    "cause_label",
    "causes_label",
    "channel_label",
    "duration_label",
    "pillar_label",
    "rating_label",
    "resource_label",
    "sector_label",
    "service_label",
    "state_label",
    "topic_label",
]


def _name(kind: str, ident: str, lang: str) -> str:
    return lookup(f"{kind}.{ident}", check_lang(lang), ident)


def service_label(service: str, lang: str) -> str:
    """A service's name (``water`` → ``woda``)."""
    return _name("service", service, lang)


def sector_label(sector: str, lang: str) -> str:
    """A sector's name, capitalised (``water`` → ``Wodociągi``)."""
    return _name("sector", sector, lang)


def state_label(state: str, lang: str) -> str:
    """An asset's state: ``up``, ``backup`` or ``down`` (``na rezerwie``)."""
    return _name("state", state, lang)


def action_label(action: str, lang: str) -> str:
    """A response action's name (``deploy_generator`` → ``podstawienie agregatu``)."""
    return _name("action_name", action, lang)


def action_status_label(status: str, lang: str) -> str:
    """Where an action stands (``completed`` → ``zakończone``)."""
    return _name("action", status, lang)


def channel_label(channel: str, lang: str) -> str:
    """How an inject reached its teams (``rcb_alert`` → ``alert RCB``)."""
    return _name("channel", channel, lang)


def topic_label(topic: str, lang: str) -> str:
    """What a message to residents is about, or a siren's tone (``water_restriction`` →
    ``ograniczenie korzystania z wody``); a topic of the teams' own as they wrote it."""
    return _name("topic", topic, lang)


def asset_type_label(asset_type: str, lang: str) -> str:
    """A kind of asset (``water_treatment`` → ``stacja uzdatniania wody``); a type the
    catalogue does not know (types are free-form, MODEL.md 1) with its words spaced out."""
    return lookup(f"asset_type.{asset_type}", check_lang(lang), asset_type.replace("_", " "))


def resource_label(kind: str, lang: str) -> str:
    """A kind of resource (``generator`` → ``agregat prądotwórczy``)."""
    return _name("resource", kind, lang)


def duration_label(hours: float, lang: str, *, left: bool = False) -> str:
    """A duration in words of the language, to the minute below: ``3 h 20 min``, ``45 min``.

    Hours are not turned into days (``26 h``), as a facilitator counts an
    exercise's time; under a minute is ``< 1 min``.  One function for every
    layer, so the console and the report write a duration alike.

    ``left``: a countdown (the time left until something is due), to the minute
    above, so that it never says a minute less than there is: 40 seconds left are
    ``1 min``, never ``< 1 min`` or ``0 min`` before the moment came.
    """
    exact = max(0.0, hours) * 60
    minutes = math.ceil(exact - 1e-6) if left else math.floor(exact + 1e-6)
    if minutes < 1:
        return text("duration.less_than_minute", lang)
    h, m = divmod(minutes, 60)
    if h and m:
        return text("duration.hm", lang, h=h, m=m)
    if h:
        return text("duration.h", lang, h=h)
    return text("duration.m", lang, m=m)


def rating_label(rating: str, lang: str) -> str:
    """An HSEEP rating spelled out (``S - performed with some challenges``)."""
    return _name("rating", rating, lang)


def pillar_label(pillar: int, lang: str, *, numbered: bool = True) -> str:
    """A pillar's name, numbered by default (``7. continuity of services``)."""
    name = _name("pillar", str(pillar), lang)
    known = name != str(pillar)
    return f"{pillar}. {name}" if numbered and known else name


def cause_label(cause: str, lang: str) -> str:
    """One of the engine's causes as people read it: ``damaged``, ``needs:power`` (``no power``).

    A missing service has its own words where the catalogue has them
    (``cause.needs.power``: ``brak zasilania``), else ``cause.needs`` with the
    service's name.
    """
    if cause.startswith("needs:"):
        service = cause.removeprefix("needs:")
        own = lookup(f"cause.needs.{service}", check_lang(lang), "")
        return own or text("cause.needs", lang, service=service_label(service, lang))
    return _name("cause", cause, lang)


def causes_label(causes: Iterable[str], lang: str) -> str:
    """Why an asset is down, in words: ``damaged, no power`` / ``uszkodzony, brak zasilania``."""
    return ", ".join(cause_label(cause, lang) for cause in causes)
