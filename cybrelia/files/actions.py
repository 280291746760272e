"""The response actions teams can take, as data: names and what they target.

Scenario files name actions in expectations and response scripts; the TUI
lists them; the exercise layer carries them out (:mod:`cybrelia.exercise.actions`).
This module holds only what all three must agree on (the target, the parameters and
the kinds of resources a parameter names); how people call an
action is the catalogue's ``action_name.<name>`` (:func:`cybrelia.i18n.action_label`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ACTIONS",
    "CREW_FOR_SECTOR",
    "RESOURCE_KINDS",
    "SECTOR_CREW",
    "ActionInfo",
    "ActionName",
    "Param",
    "TargetKind",
]

ActionName = Literal[
    "repair",
    "deploy_generator",
    "recall_generator",
    "refuel",
    "isolate",
    "reconnect",
    "restore_backup",
    "manual_operation",
    "water_point",
    "open_shelter",
    "public_alert",
    "open_aid_point",
    "debunk",
    "restrict_water",
    "order_evacuation",
    "boil_water_notice",
    "request_support",
    "evacuate",
    "door_to_door",
    "water_tests",
    "hand_out_supplies",
    "note",
]

TargetKind = Literal["asset", "district", "area", "claim", "resource_kind", "none"]
"""``area``: a district, a hazard zone some district lies in, or ``all``."""


#: A parameter's kinds when it names the crew of the target's sector
#: (:data:`CREW_FOR_SECTOR`): a repair's ``crew``.
SECTOR_CREW = "sector_crew"


@dataclass(frozen=True)
class Param:
    """A parameter an action reads (``word=value`` in the console's form, ``params`` in a
    response script)."""

    name: str
    kinds: tuple[str, ...] = ()
    """The kinds of resources it names one of, by id (left out, the exercise takes one
    of them itself); ``(SECTOR_CREW,)`` for the crew of the target's sector; empty for a
    parameter that names no resource."""


@dataclass(frozen=True)
class ActionInfo:
    """What an action targets and the parameters it reads: the one place that says so,
    for the exercise that carries the action out and the consoles that ask for it."""

    target: TargetKind
    params: tuple[Param, ...] = ()

    def param(self, name: str) -> Param | None:
        """The parameter ``name``, or None if the action reads none of that name."""
        return next((param for param in self.params if param.name == name), None)


def _p(*names: str, **kinds: tuple[str, ...]) -> tuple[Param, ...]:
    """Parameters by name, in order; those named as keywords name resources of kinds."""
    return tuple(Param(name, kinds.get(name, ())) for name in names)


_CREW = (SECTOR_CREW,)

ACTIONS: dict[str, ActionInfo] = {
    "repair": ActionInfo("asset", _p("crew", crew=_CREW)),
    "deploy_generator": ActionInfo("asset", _p("resource", resource=("generator",))),
    "recall_generator": ActionInfo("asset"),
    "refuel": ActionInfo("asset", _p("resource", resource=("fuel_truck",))),
    "isolate": ActionInfo("asset"),
    "reconnect": ActionInfo("asset"),
    "restore_backup": ActionInfo("asset", _p("crew", crew=("it_team",))),
    "manual_operation": ActionInfo("asset", _p("crew", "hours", crew=_CREW)),
    "water_point": ActionInfo(
        "district",
        _p(
            "resource",
            "hours",
            "volunteers",
            resource=("water_tanker",),
            volunteers=("volunteers",),
        ),
    ),
    "open_shelter": ActionInfo("asset", _p("hours", "volunteers", volunteers=("volunteers",))),
    "public_alert": ActionInfo(
        "area",
        _p("channel", "tone", "topic", "resource", resource=("loudspeaker_car", "volunteers")),
    ),
    "open_aid_point": ActionInfo("asset", _p("hours", "topic")),
    "debunk": ActionInfo("claim", _p("channel")),
    "restrict_water": ActionInfo("area"),
    "order_evacuation": ActionInfo("area"),
    "boil_water_notice": ActionInfo("area", _p("ppis")),
    # resource: the pool the support joins (one of the kind requested), else a new one.
    "request_support": ActionInfo("resource_kind", _p("source", "count", "channel", "resource")),
    "evacuate": ActionInfo("asset", _p("to", "resource", resource=("bus",))),
    "door_to_door": ActionInfo(
        "district", _p("people", "volunteers", "hours", volunteers=("volunteers",))
    ),
    "water_tests": ActionInfo("asset"),
    "hand_out_supplies": ActionInfo("district", _p("essential", "people", "hours")),
    "note": ActionInfo("none"),
}


#: The crew kind that repairs (or runs by hand) an asset of each sector;
#: assets of other sectors need a ``maintenance_crew``.
CREW_FOR_SECTOR: dict[str, str] = {
    "power": "power_crew",
    "water": "water_crew",
    "wastewater": "water_crew",
    "heat": "heat_crew",
    "telecom": "telecom_crew",
    "it": "it_team",
    "transport": "road_crew",
}

#: Resource kinds the actions use; support may bring any of them even where
#: the model has none.
RESOURCE_KINDS: frozenset[str] = frozenset(
    {
        *CREW_FOR_SECTOR.values(),
        "maintenance_crew",
        "generator",
        "fuel_truck",
        "water_tanker",
        "bus",
        "volunteers",
    }
)
