"""The response actions teams can take, as data: names, what they target, labels.

Scenario files name actions in expectations and response scripts; the TUI
lists them; the exercise layer carries them out (:mod:`cybrelia.exercise.actions`).
This module holds only what all three must agree on.
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
    "debunk",
    "request_support",
    "evacuate",
    "note",
]

TargetKind = Literal["asset", "district", "claim", "resource_kind", "none"]


@dataclass(frozen=True)
class ActionInfo:
    """What an action targets, and how people call it."""

    target: TargetKind
    pl: str
    en: str


ACTIONS: dict[str, ActionInfo] = {
    "repair": ActionInfo("asset", "naprawa", "repair"),
    "deploy_generator": ActionInfo("asset", "podstawienie agregatu", "deploy a generator"),
    "recall_generator": ActionInfo("asset", "zabranie agregatu", "recall a generator"),
    "refuel": ActionInfo("asset", "dowóz paliwa", "refuel"),
    "isolate": ActionInfo("asset", "odizolowanie od sieci", "isolate from the network"),
    "reconnect": ActionInfo("asset", "ponowne podłączenie", "reconnect"),
    "restore_backup": ActionInfo("asset", "odtworzenie z kopii", "restore from backup"),
    "manual_operation": ActionInfo("asset", "praca ręczna", "manual operation"),
    "water_point": ActionInfo("district", "punkt poboru wody", "water point"),
    "open_shelter": ActionInfo("asset", "punkt ogrzewania", "open a warming shelter"),
    "public_alert": ActionInfo("district", "ostrzeżenie ludności", "public alert"),
    "debunk": ActionInfo("claim", "dementi", "debunk a claim"),
    "request_support": ActionInfo("resource_kind", "wniosek o wsparcie", "request support"),
    "evacuate": ActionInfo("asset", "ewakuacja placówki", "evacuate a facility"),
    "note": ActionInfo("none", "notatka", "note"),
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
