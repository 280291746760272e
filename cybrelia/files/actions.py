"""The response actions teams can take, as data: names and what they target.

Scenario files name actions in expectations and response scripts; the TUI
lists them; the exercise layer carries them out (:mod:`cybrelia.exercise.actions`).
This module holds only what all three must agree on; how people call an
action is the catalogue's ``action_name.<name>`` (:func:`cybrelia.i18n.action_label`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ACTIONS",
    "CREW_FOR_SECTOR",
    "RESOURCE_KINDS",
    "ActionInfo",
    "ActionName",
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


@dataclass(frozen=True)
class ActionInfo:
    """What an action targets."""

    target: TargetKind


ACTIONS: dict[str, ActionInfo] = {
    "repair": ActionInfo("asset"),
    "deploy_generator": ActionInfo("asset"),
    "recall_generator": ActionInfo("asset"),
    "refuel": ActionInfo("asset"),
    "isolate": ActionInfo("asset"),
    "reconnect": ActionInfo("asset"),
    "restore_backup": ActionInfo("asset"),
    "manual_operation": ActionInfo("asset"),
    "water_point": ActionInfo("district"),
    "open_shelter": ActionInfo("asset"),
    "public_alert": ActionInfo("area"),
    "open_aid_point": ActionInfo("asset"),
    "debunk": ActionInfo("claim"),
    "restrict_water": ActionInfo("area"),
    "order_evacuation": ActionInfo("area"),
    "boil_water_notice": ActionInfo("area"),
    "request_support": ActionInfo("resource_kind"),
    "evacuate": ActionInfo("asset"),
    "door_to_door": ActionInfo("district"),
    "water_tests": ActionInfo("asset"),
    "hand_out_supplies": ActionInfo("district"),
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
