"""Checks of the world fields of a model: resources, fuel, places, roads (docs/world.md).

The fields are optional and typed in :mod:`cybrelia.files.model`; this module
checks what types cannot: that a field belongs to the kind of thing that
carries it (a tank on a generator, a stock at a fuel station, places in a
shelter) and that every place named lies on the road network.  Each problem
is a ``FILE:LINE: PATH: message`` diagnostic, all of them at once.
"""

from __future__ import annotations

from cybrelia.files.actions import RESOURCE_KINDS
from cybrelia.files.diagnostics import Diagnostic, PathPart, did_you_mean
from cybrelia.files.model import InfrastructureModel
from cybrelia.files.scenario import Scenario
from cybrelia.files.source import Document

__all__ = ["RESOURCE_FIELDS", "check_setting", "check_world", "road_places"]

#: The resource fields that only one kind of resource may carry.
RESOURCE_FIELDS: dict[str, str] = {
    "kva": "generator",
    "tank_l": "generator",
    "capacity_l": "fuel_truck",
    "capacity_m3": "water_tanker",
    "seats": "bus",
    "day_share": "volunteers",
}

#: Asset fields that need the asset to provide a service.
_ASSET_SERVICE: dict[str, str] = {"fuel_l": "fuel", "places": "shelter", "road": "transport"}


def road_places(model: InfrastructureModel) -> set[str]:
    """Every place some road or bridge of the model joins."""
    return {place for asset in model.assets if asset.road for place in asset.road.between}


def check_world(document: Document, model: InfrastructureModel) -> list[Diagnostic]:
    """Every misplaced world field and every place off the road network."""
    out: list[Diagnostic] = []
    for index, resource in enumerate(model.resources):
        for name, kind in RESOURCE_FIELDS.items():
            if getattr(resource, name) is not None and resource.kind != kind:
                out.append(
                    document.diagnostic(
                        ("resources", index, name),
                        f"{name} applies to resources of kind {kind!r}, not {resource.kind!r}",
                    )
                )
        if resource.tank_l is not None and resource.kva is None:
            out.append(
                document.diagnostic(
                    ("resources", index, "tank_l"),
                    "a generator's tank_l needs its kva (consumption follows the rating)",
                )
            )
    places = road_places(model)
    for index, asset in enumerate(model.assets):
        base: tuple[PathPart, ...] = ("assets", index)
        for name, service in _ASSET_SERVICE.items():
            if getattr(asset, name) is not None and service not in asset.provides:
                out.append(
                    document.diagnostic(
                        (*base, name), f"{name} applies to assets that provide {service!r}"
                    )
                )
        if asset.occupied is not None and not asset.occupants:
            message = "occupied applies to assets with occupants"
            out.append(document.diagnostic((*base, "occupied"), message))
        if asset.load_kw is not None and "power" not in asset.needs:
            message = "load_kw given but the asset needs no power"
            out.append(document.diagnostic((*base, "load_kw"), message))
        if asset.water_source and "water" not in asset.provides:
            out.append(
                document.diagnostic((*base, "water_source"), "a water source must provide 'water'")
            )
        if asset.road is not None and asset.road.between[0] == asset.road.between[1]:
            out.append(
                document.diagnostic((*base, "road", "between"), "a road joins two different places")
            )
        for service, need in sorted(asset.needs.items()):
            buffer = need.buffer
            if buffer is not None and buffer.litres is not None and buffer.kind != "generator":
                out.append(
                    document.diagnostic(
                        (*base, "needs", service, "buffer", "litres"),
                        f"litres applies to generator buffers, not {buffer.kind!r}",
                    )
                )
        if asset.at is not None:
            out += _place(document, (*base, "at"), asset.at, places)
    for index, district in enumerate(model.districts):
        if district.at is not None:
            out += _place(document, ("districts", index, "at"), district.at, places)
    if model.base is not None:
        out += _place(document, ("base",), model.base, places)
    return out


def _place(
    document: Document, where: tuple[PathPart, ...], place: str, places: set[str]
) -> list[Diagnostic]:
    if place in places:
        return []
    message = f"no road or bridge joins place {place!r}" + did_you_mean(place, places)
    return [document.diagnostic(where, message)]


def check_setting(
    document: Document, scenario: Scenario, model: InfrastructureModel
) -> list[Diagnostic]:
    """The scenario's ``world`` block against its model: command post, sources, offers.

    The model's assets are walked only for what the block names (a command post, zones):
    on a region of 100,000 assets, an index of them all made for nothing cost more than
    the rest of the checks.
    """
    out: list[Diagnostic] = []
    setting = scenario.world
    post = setting.command_post
    if post is not None and all(asset.id != post for asset in model.assets):
        ids = [asset.id for asset in model.assets]
        message = f"unknown asset {post!r}" + did_you_mean(post, ids)
        out.append(document.diagnostic(("world", "command_post"), message))
    if setting.water_point_staff > 0 and not any(r.kind == "volunteers" for r in model.resources):
        message = "water points need volunteers but the model has no pool of kind 'volunteers'"
        out.append(document.diagnostic(("world", "water_point_staff"), message))
    out += _check_zones(document, scenario, model)
    kinds = RESOURCE_KINDS | {resource.kind for resource in model.resources}
    seen: set[str] = set()
    for index, support in enumerate(setting.support):
        where: tuple[PathPart, ...] = ("world", "support", index)
        if support.source in seen:
            out.append(
                document.diagnostic((*where, "source"), f"source {support.source!r} stated twice")
            )
        seen.add(support.source)
        for position, offer in enumerate(support.offers):
            at = (*where, "offers", position)
            if offer.kind not in kinds:
                message = f"unknown kind of resource {offer.kind!r}" + did_you_mean(
                    offer.kind, kinds
                )
                out.append(document.diagnostic((*at, "kind"), message))
            for name, kind in RESOURCE_FIELDS.items():
                if getattr(offer, name) is not None and offer.kind != kind:
                    out.append(
                        document.diagnostic(
                            (*at, name),
                            f"{name} applies to resources of kind {kind!r}, not {offer.kind!r}",
                        )
                    )
    return out


def _check_zones(
    document: Document, scenario: Scenario, model: InfrastructureModel
) -> list[Diagnostic]:
    """``world.zones``: known zones, each once, asset types the model has."""
    out: list[Diagnostic] = []
    if not scenario.world.zones:
        return out
    zones = model.zones()
    types = {asset.type for asset in model.assets}
    seen: set[str] = set()
    for index, aftermath in enumerate(scenario.world.zones):
        where: tuple[PathPart, ...] = ("world", "zones", index)
        if aftermath.zone not in zones:
            message = f"unknown zone {aftermath.zone!r}" + did_you_mean(aftermath.zone, zones)
            out.append(document.diagnostic((*where, "zone"), message))
        elif aftermath.zone in seen:
            message = f"zone {aftermath.zone!r} stated twice"
            out.append(document.diagnostic((*where, "zone"), message))
        seen.add(aftermath.zone)
        for position, kind in enumerate(aftermath.types):
            if kind not in types:
                message = f"no asset of type {kind!r}" + did_you_mean(kind, types)
                out.append(document.diagnostic((*where, "types", position), message))
    return out
