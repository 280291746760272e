"""What people read for the ids of a model and a scenario: teams, assets, areas, targets.

Files speak in ids (``gzzk``, ``suw-centrum``, ``chainsaw_team``); every text a
facilitator, an evaluator or a reader of a report sees names them the way the
model and the scenario do, in the reader's language.  One function per idea,
used by the report, the evaluation guide and the analysis alike.
"""

from __future__ import annotations

import re

from cybrelia.files.actions import ACTIONS
from cybrelia.files.model import InfrastructureModel
from cybrelia.files.scenario import Scenario
from cybrelia.i18n import resource_label, text

__all__ = ["area_name", "asset_name", "short_name", "target_name", "team_name", "zone_names"]

#: Where a team's name turns from its short name into its explanation.
_NAME_BREAK = re.compile(r" \(| \u2013 | - ")


def team_name(scenario: Scenario, team: str, lang: str) -> str:
    """A team's full name in ``lang``, or its id if the scenario has no such team."""
    found = next((t for t in scenario.teams if t.id == team), None)
    return team if found is None else found.name.get(lang)


def short_name(name: str) -> str:
    """A name up to a bracket or a dash: "Zakład Gospodarki Komunalnej" for "Zakład
    Gospodarki Komunalnej \u2013 wodociągi i kanalizacja" (the full name is said once,
    where a reader first meets the team)."""
    return _NAME_BREAK.split(name, maxsplit=1)[0] or name


def asset_name(model: InfrastructureModel, asset: str) -> str:
    """An asset's display name, or the id if the model has no such asset."""
    found = model.asset_index().get(asset)
    return asset if found is None else found.label


def area_name(model: InfrastructureModel, area: str, lang: str) -> str:
    """An area an order or a message targets: a district, a declared zone, or all of them."""
    if area == "all":
        return text("target.all_districts", lang)
    district = model.district_index().get(area)
    if district is not None:
        return district.name or district.id
    return zone_names(model).get(area, area)


def zone_names(model: InfrastructureModel) -> dict[str, str]:
    """The declared hazard zones' names by id (a zone without a name by its id)."""
    return {zone.id: zone.name or zone.id for zone in model.declared_zones or []}


def target_name(
    model: InfrastructureModel, scenario: Scenario, target: str, action: str, lang: str
) -> str:
    """The target of an action by its name in ``lang``.

    An asset's or an area's name, a kind of resource, a claim's text; ``—``
    for actions that take no target, and "any target" where none is named.
    """
    info = ACTIONS.get(action)
    if info is not None and info.target == "none":
        return text("none", lang)
    if not target:
        return text("plan.any_target", lang)
    kind = info.target if info is not None else "asset"
    if kind in ("district", "area"):
        return area_name(model, target, lang)
    if kind == "resource_kind":
        return resource_label(target, lang)
    if kind == "claim":
        claims = {
            effect.claim.id: effect.claim.text.get(lang)
            for inject in scenario.injects
            for effect in inject.effects
            if effect.claim is not None
        }
        return claims.get(target, target)
    return asset_name(model, target)
