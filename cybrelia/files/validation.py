"""Loading and checking model and scenario files (MODEL.md, sections 2 and 4).

Every problem is collected before anything is reported: structure and types
first (through the pydantic models), then cross-references, each named as
``FILE:LINE: PATH: message``.  Items whose structure is broken are left out
of the cross-reference checks, and their ids still count as known, so one typo
does not bury the author in follow-on errors.
"""

from __future__ import annotations

import copy
import os
import re
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from cybrelia.files.actions import ACTIONS, RESOURCE_KINDS
from cybrelia.files.bulk import collector_paused
from cybrelia.files.capabilities import CAPABILITIES, capability_id
from cybrelia.files.columns import ModelColumns, keep_columns, kept_position
from cybrelia.files.diagnostics import (
    Diagnostic,
    PathPart,
    ValidationFailed,
    did_you_mean,
    format_path,
)
from cybrelia.files.model import (
    MODEL_FORMAT,
    SHARE_UNITS,
    Asset,
    District,
    InfrastructureModel,
)
from cybrelia.files.responses import RESPONSES_FORMAT, Responses
from cybrelia.files.sanitize import one_line
from cybrelia.files.scenario import (
    ASSET_VERBS,
    EXCLUSIVE,
    SCENARIO_FORMAT,
    Inject,
    Scenario,
    one_of_message,
)
from cybrelia.files.source import Document, read_document
from cybrelia.files.world import check_setting, check_world

__all__ = [
    "LoadedScenario",
    "ModelCheck",
    "check_file",
    "load_model",
    "load_responses",
    "load_scenario",
    "structural_diagnostics",
]


T = TypeVar("T", bound=BaseModel)

#: A further check of a structurally valid model, run by :func:`check_file` for every model
#: it loads (the model file itself, or the one a scenario names).  Layers above pass theirs
#: in, such as :func:`cybrelia.headless.checks.down_at_start`, which needs the engine.
ModelCheck = Callable[[Document, InfrastructureModel], list[Diagnostic]]


@dataclass(frozen=True)
class LoadedScenario:
    """A scenario with the model it names, both checked."""

    scenario: Scenario
    model: InfrastructureModel
    scenario_path: Path
    model_path: Path
    warnings: tuple[Diagnostic, ...] = ()


def load_model(path: str | os.PathLike[str]) -> InfrastructureModel:
    """Load and check an infrastructure model file.

    Raises
    ------
    ValidationFailed
        With every error found (warnings are not errors).
    """
    with collector_paused(collect_after=True):
        model, diagnostics = _model_from_file(Path(path), str(path), model_check=None)
    if model is None or any(d.severity == "error" for d in diagnostics):
        raise ValidationFailed(diagnostics)
    return model


def load_scenario(path: str | os.PathLike[str]) -> LoadedScenario:
    """Load and check a scenario file and the infrastructure model it names.

    Raises
    ------
    ValidationFailed
        With every error found in either file.
    """
    with collector_paused(collect_after=True):
        loaded, diagnostics = _scenario_from_file(Path(path), str(path), model_check=None)
    if loaded is None or any(d.severity == "error" for d in diagnostics):
        raise ValidationFailed(diagnostics)
    return loaded


def load_responses(path: str | os.PathLike[str]) -> Responses:
    """Load and check a response script (and, if it names one, against its scenario).

    Raises
    ------
    ValidationFailed
        With every error found.
    """
    responses, diagnostics = _responses_from_file(Path(path), str(path))
    if responses is None or any(d.severity == "error" for d in diagnostics):
        raise ValidationFailed(diagnostics)
    return responses


def check_file(
    path: str | os.PathLike[str], model_check: ModelCheck | None = None
) -> list[Diagnostic]:
    """Every error and warning of one model, scenario or response file (by its ``format``).

    ``model_check`` runs on every model loaded without errors and adds its diagnostics.
    """
    file = Path(path)
    with collector_paused(collect_after=True):
        diagnostics = _check_document(file, str(path), model_check)
    return sorted(diagnostics, key=lambda d: (d.file, d.line, d.path, d.message))


def _check_document(file: Path, display: str, model_check: ModelCheck | None) -> list[Diagnostic]:
    try:
        document = read_document(file, display)
    except ValidationFailed as failure:
        return failure.diagnostics
    data = document.data
    tag = data.get("format") if isinstance(data, dict) else None
    if tag == SCENARIO_FORMAT:
        _, diagnostics = _scenario_from_document(document, file, model_check=model_check)
    elif tag == MODEL_FORMAT:
        _, diagnostics = _model_from_document(document, file, model_check=model_check)
    elif tag == RESPONSES_FORMAT:
        _, diagnostics = _responses_from_document(document, file)
    else:
        where = ("format",) if isinstance(data, dict) and "format" in data else ()
        expected = ", ".join(repr(f) for f in (MODEL_FORMAT, SCENARIO_FORMAT, RESPONSES_FORMAT))
        diagnostics = [
            document.diagnostic(
                where, f"unknown file format {one_line(repr(tag), 80)}: expected one of {expected}"
            )
        ]
    return diagnostics


# --- infrastructure models --------------------------------------------------------------


def _model_from_file(
    path: Path, display: str, *, model_check: ModelCheck | None
) -> tuple[InfrastructureModel | None, list[Diagnostic]]:
    try:
        document = read_document(path, display)
    except ValidationFailed as failure:
        return None, failure.diagnostics
    return _model_from_document(document, path, model_check=model_check)


def _model_from_document(
    document: Document, path: Path, *, model_check: ModelCheck | None
) -> tuple[InfrastructureModel | None, list[Diagnostic]]:
    diagnostics = list(document.problems)
    data = document.data
    filled: set[str] = set()  # placeholders of missing fields, for the cross-checks only
    model, structural = _validate(document, InfrastructureModel, data)
    diagnostics += structural
    if model is not None:
        if model.id is None:
            model.id = path.stem
        if model.name is None:
            model.name = model.id
        districts = list(enumerate(model.districts))
        assets = list(enumerate(model.assets))
        links = list(enumerate(model.cyber_links))
    elif isinstance(data, dict):
        districts = _salvage(data.get("districts"), District, "districts", filled)
        assets = _salvage(data.get("assets"), Asset, "assets", filled)
        links = _salvage(data.get("cyber_links"), tuple[str, str], "cyber_links", filled)
    else:
        return None, diagnostics
    raw = data if isinstance(data, dict) else {}
    diagnostics += _duplicates(document, "districts", _raw_ids(raw.get("districts")), "district")
    diagnostics += _duplicates(document, "resources", _raw_ids(raw.get("resources")), "resource")
    # The first position of every asset id in the file: the duplicates' check makes it, the
    # cross-checks use it as the known ids and, when the model is valid (so the positions
    # are those of ``model.assets``), the columns as theirs: one table of 100,000 ids on a
    # large region instead of three.
    first_asset: dict[str, int] = {}
    diagnostics += _duplicates(
        document, "assets", _raw_ids(raw.get("assets")), "asset", first=first_asset
    )
    diagnostics += _duplicates(document, "zones", _raw_ids(raw.get("zones")), "zone")
    diagnostics += _undeclared_zones(document, raw.get("zones"), assets)
    known_districts = {district_id for _, district_id in _raw_ids(raw.get("districts"))}
    checks, columns = _check_model(
        document,
        districts,
        assets,
        links,
        first_asset.keys(),
        known_districts,
        position=first_asset if model is not None else None,
    )
    diagnostics += _outside(checks, filled)
    if model is not None:
        keep_columns(model, columns)  # made from model.assets, for the engine
        diagnostics += check_world(document, model)
    if model is not None and model_check and not any(d.severity == "error" for d in diagnostics):
        diagnostics += model_check(document, model)
    return model, diagnostics


def _undeclared_zones(
    document: Document, declared: Any, assets: list[tuple[int, Asset]]
) -> list[Diagnostic]:
    """MODEL.md 1.1: when a model declares ``zones``, every zone an asset names is declared."""
    if not isinstance(declared, list):
        return []  # not declared: any name is a zone, as in version 1
    ids = {item_id for _, item_id in _raw_ids(declared)}
    return [
        document.diagnostic(
            ("assets", index, "zones", position), f"unknown zone {zone!r}" + _hint(zone, ids)
        )
        for index, asset in assets
        for position, zone in enumerate(asset.zones)
        if zone not in ids
    ]


def _check_model(
    document: Document,
    districts: list[tuple[int, District]],
    assets: list[tuple[int, Asset]],
    links: list[tuple[int, tuple[str, str]]],
    known_assets: AbstractSet[str],
    known_districts: set[str],
    *,
    position: dict[str, int] | None,
) -> tuple[list[Diagnostic], ModelColumns]:
    """Needs, providers, shares and links; with the columns made on the way (module columns).

    ``position`` is the first position of each id in ``assets``, if the caller has it.
    """
    out: list[Diagnostic] = []
    members = [asset for _, asset in assets]
    columns = ModelColumns(members, position)
    position = columns.position  # an id repeated is reported; the first one counts
    by_id: dict[str, Asset] = {}  # made only to word a problem

    def asset_index() -> dict[str, Asset]:
        if not by_id:
            by_id.update((asset_id, members[p]) for asset_id, p in position.items())
        return by_id

    district_ids = {district.id for _, district in districts}
    start = columns.provider_start
    providers = columns.providers
    provides = columns.provides
    for j, service in enumerate(columns.need_service):
        begin, end = start[j], start[j + 1]
        if end - begin == 1:  # the common case
            p = providers[begin]
            fine = p >= 0 and service in provides[p]
        else:
            chosen = providers[begin:end]
            fine = (
                -1 not in chosen
                and len(set(chosen)) == len(chosen)
                and all(service in provides[p] for p in chosen)
            )
        k = columns.need_k[j]
        if fine and k <= end - begin:
            continue
        base: tuple[PathPart, ...] = ("assets", assets[columns.need_owner[j]][0], "needs", service)
        if not fine:
            names = columns.need_from[j]
            out += _provider_problems(document, base, service, names, asset_index(), known_assets)
        if k > end - begin:
            out.append(
                document.diagnostic(
                    (*base, "k"), f"k = {k} exceeds the {end - begin} asset(s) in 'from'"
                )
            )
    unknown_districts = columns.served - district_ids - known_districts
    for index, asset in assets if unknown_districts else ():
        for district_id in asset.serves:
            if district_id in unknown_districts:
                out.append(
                    document.diagnostic(
                        ("assets", index, "serves", district_id),
                        f"unknown district {district_id!r}" + _hint(district_id, district_ids),
                    )
                )
    for (district_id, service), entries in columns.sorted_shares().items():
        if district_id not in district_ids:
            continue  # an unknown district, reported above
        total = sum(entries[1::2])  # flat: position, units, position, units, ...
        if total > SHARE_UNITS:
            last_index = assets[entries[-2]][0]
            assets_named = ", ".join(members[p].id for p in entries[::2])
            out.append(
                document.diagnostic(
                    ("assets", last_index, "serves", district_id),
                    f"shares of district {district_id!r} for {service!r} sum to "
                    f"{total / SHARE_UNITS:g}, more than 1 (assets {assets_named})",
                )
            )
    for index, (left, right) in links:
        for side, asset_id in enumerate((left, right)):
            if asset_id not in position and asset_id not in known_assets:
                out.append(
                    document.diagnostic(
                        ("cyber_links", index, side),
                        f"unknown asset {asset_id!r}" + _hint(asset_id, position),
                    )
                )
        if left == right:
            out.append(
                document.diagnostic(("cyber_links", index), f"asset {left!r} linked to itself")
            )
    return out, columns


def _provider_problems(
    document: Document,
    base: tuple[PathPart, ...],
    service: str,
    providers: Sequence[str],
    by_id: dict[str, Asset],
    known_assets: AbstractSet[str],
) -> list[Diagnostic]:
    """Providers of one need listed twice, unknown, or not providing the service."""
    out = []
    seen: set[str] = set()
    for position, provider_id in enumerate(providers):
        where = (*base, "from", position)
        provider = by_id.get(provider_id)
        if provider_id in seen:
            out.append(document.diagnostic(where, f"asset {provider_id!r} listed twice"))
        seen.add(provider_id)
        if provider is None:
            if provider_id not in known_assets:
                out.append(
                    document.diagnostic(
                        where, f"unknown asset {provider_id!r}" + _hint(provider_id, by_id)
                    )
                )
        elif service not in provider.provides:
            out.append(
                document.diagnostic(where, f"asset {provider_id!r} does not provide {service!r}")
            )
    return out


# --- scenarios ------------------------------------------------------------------------


def _scenario_from_file(
    path: Path, display: str, *, model_check: ModelCheck | None
) -> tuple[LoadedScenario | None, list[Diagnostic]]:
    try:
        document = read_document(path, display)
    except ValidationFailed as failure:
        return None, failure.diagnostics
    return _scenario_from_document(document, path, model_check=model_check)


def _scenario_from_document(
    document: Document, path: Path, *, model_check: ModelCheck | None
) -> tuple[LoadedScenario | None, list[Diagnostic]]:
    diagnostics = list(document.problems)
    data = document.data
    filled: set[str] = set()  # placeholders of missing fields, for the cross-checks only
    scenario, structural = _validate(document, Scenario, data)
    diagnostics += structural
    infrastructure = data.get("infrastructure") if isinstance(data, dict) else None
    model: InfrastructureModel | None = None
    model_path: Path | None = None
    if isinstance(infrastructure, str) and infrastructure:
        model_path = path.parent / infrastructure
        model_display = os.path.normpath(Path(document.file).parent / infrastructure)
        if not model_path.is_file():
            diagnostics.append(
                document.diagnostic(("infrastructure",), f"model file not found: {model_display}")
            )
        else:
            model, model_diagnostics = _model_from_file(
                model_path, model_display, model_check=model_check
            )
            diagnostics += model_diagnostics
            if any(d.severity == "error" for d in model_diagnostics):
                model = None
    if scenario is not None:
        if scenario.id is None:
            scenario.id = path.stem
        if scenario.title is None:
            scenario.title = scenario.id
        injects = list(enumerate(scenario.injects))
    elif isinstance(data, dict):
        injects = _salvage(data.get("injects"), Inject, "injects", filled)
        diagnostics += _hidden_exclusive(document, data.get("injects"), diagnostics)
    else:
        return None, diagnostics
    raw = data if isinstance(data, dict) else {}
    diagnostics += _duplicates(document, "injects", _raw_ids(raw.get("injects")), "inject")
    diagnostics += _duplicates(document, "teams", _raw_ids(raw.get("teams")), "team")
    known_teams = {team_id for _, team_id in _raw_ids(raw.get("teams"))}
    known_injects = {inject_id for _, inject_id in _raw_ids(raw.get("injects"))}
    lookups = None if model is None else _Lookups(model)
    checks = _check_exercise(document, injects, known_teams, known_injects, lookups)
    if model is not None and lookups is not None:
        checks += _check_effects(document, lookups, injects)
        if scenario is not None:
            checks += check_setting(document, scenario, model)
    diagnostics += _outside(checks, filled)
    if scenario is not None:
        capability_names = {c.name("en") for c in CAPABILITIES.values()}
        for index, inject in injects:
            for number, expectation in enumerate(inject.expect):
                if not scenario.objectives and capability_id(expectation.capability) is None:
                    diagnostics.append(
                        document.diagnostic(
                            ("injects", index, "expect", number, "capability"),
                            f"{expectation.capability!r} is not a core capability"
                            + _hint(expectation.capability, capability_names)
                            + " (docs/evaluation.md lists them)",
                            "warning",
                        )
                    )
            if inject.at is not None and inject.at > scenario.duration:
                diagnostics.append(
                    document.diagnostic(
                        ("injects", index, "at"),
                        f"inject {inject.id!r} is due after the scenario ends "
                        f"({inject.at:g} h > {scenario.duration:g} h)",
                        "warning",
                    )
                )
    if scenario is None or model is None or model_path is None:
        return None, diagnostics
    warnings = tuple(d for d in diagnostics if d.severity == "warning")
    return LoadedScenario(scenario, model, path, model_path, warnings), diagnostics


class _AssetsById(Mapping[str, Asset]):
    """A model's assets by id, read through the positions the loader's columns hold."""

    def __init__(self, assets: Sequence[Asset], position: dict[str, int]) -> None:
        self._assets = assets
        self._position = position

    def __getitem__(self, asset_id: str) -> Asset:
        return self._assets[self._position[asset_id]]

    def __contains__(self, asset_id: object) -> bool:
        return asset_id in self._position

    def __iter__(self) -> Iterator[str]:
        return iter(self._position)

    def __len__(self) -> int:
        return len(self._position)


class _Lookups:
    """What the checks of a scenario or script look up in its model, each made once.

    Before, every expectation, branch condition, claim and script entry that named an
    asset, a district or a road made its own table of the model's assets: one table of
    100,000 ids per reference on a large region, and one per scenario for its effects
    even when the loader had just made it.  Here each table is made on first use, and
    the assets by id are read through the positions the loader keeps for the engine
    (:func:`cybrelia.files.columns.kept_position`) when it kept them.
    """

    def __init__(self, model: InfrastructureModel) -> None:
        self.model = model
        self._assets: Mapping[str, Asset] | None = None
        self._districts: set[str] | None = None
        self._roads: set[str] | None = None
        self._zones: set[str] | None = None

    @property
    def assets(self) -> Mapping[str, Asset]:
        """The model's assets by id."""
        if self._assets is None:
            position = kept_position(self.model)
            self._assets = (
                self.model.asset_index()
                if position is None
                else _AssetsById(self.model.assets, position)
            )
        return self._assets

    @property
    def districts(self) -> set[str]:
        """The ids of the model's districts."""
        if self._districts is None:
            self._districts = {d.id for d in self.model.districts}
        return self._districts

    @property
    def roads(self) -> set[str]:
        """The ids of the assets that provide ``transport`` (roads and bridges)."""
        if self._roads is None:
            self._roads = {a.id for a in self.model.assets if "transport" in a.provides}
        return self._roads

    @property
    def zones(self) -> set[str]:
        """The model's hazard zones (:meth:`InfrastructureModel.zones`)."""
        if self._zones is None:
            self._zones = self.model.zones()
        return self._zones


def _check_exercise(
    document: Document,
    injects: list[tuple[int, Inject]],
    teams: set[str],
    inject_ids: set[str],
    lookups: _Lookups | None,
) -> list[Diagnostic]:
    """Cross-references of the exercise part: teams, expectations, branches, claims."""
    out = []
    claims: dict[str, tuple[int, int]] = {}
    for index, inject in injects:
        for position, effect in enumerate(inject.effects):
            if effect.claim is None:
                continue
            where: tuple[PathPart, ...] = ("injects", index, "effects", position, "claim")
            if effect.claim.id in claims:
                out.append(
                    document.diagnostic((*where, "id"), f"duplicate claim id {effect.claim.id!r}")
                )
            claims.setdefault(effect.claim.id, (index, position))
            if lookups is not None:
                districts = lookups.districts
                for n, district in enumerate(effect.claim.districts):
                    if district not in districts:
                        out.append(
                            document.diagnostic(
                                (*where, "districts", n),
                                f"unknown district {district!r}" + _hint(district, districts),
                            )
                        )
                out += _claim_bridge(document, where, effect.claim.at, lookups)
    expectations: dict[str, tuple[int, int]] = {}
    for index, inject in injects:
        for position, expectation in enumerate(inject.expect):
            assert expectation.id is not None  # given by the inject's validator
            if expectation.id in expectations:
                out.append(
                    document.diagnostic(
                        ("injects", index, "expect", position, "id"),
                        f"duplicate expectation id {expectation.id!r}",
                    )
                )
            expectations.setdefault(expectation.id, (index, position))
    for index, inject in injects:
        for position, team in enumerate(inject.to):
            if team not in teams:
                out.append(
                    document.diagnostic(
                        ("injects", index, "to", position),
                        f"unknown team {team!r}" + _hint(team, teams),
                    )
                )
        for position, expectation in enumerate(inject.expect):
            where = ("injects", index, "expect", position)
            if expectation.team not in teams:
                out.append(
                    document.diagnostic(
                        (*where, "team"),
                        f"unknown team {expectation.team!r}" + _hint(expectation.team, teams),
                    )
                )
            problem = (
                _target_problem(expectation.action, expectation.target, lookups, set(claims))
                if expectation.target is not None or ACTIONS[expectation.action].target == "none"
                else None  # no target: any target of that action counts
            )
            if problem:
                out.append(document.diagnostic((*where, "target"), problem))
        condition = inject.when
        if condition is None:
            continue
        where = ("injects", index, "when")
        if condition.asset is not None and lookups is not None:
            assets = lookups.assets
            if condition.asset.id not in assets:
                out.append(
                    document.diagnostic(
                        (*where, "asset", "id"),
                        f"unknown asset {condition.asset.id!r}" + _hint(condition.asset.id, assets),
                    )
                )
        if condition.delivered is not None and condition.delivered not in inject_ids:
            out.append(
                document.diagnostic(
                    (*where, "delivered"),
                    f"unknown inject {condition.delivered!r}"
                    + _hint(condition.delivered, inject_ids),
                )
            )
        for key in ("met", "missed"):
            name = getattr(condition, key)
            if name is not None and name not in expectations:
                out.append(
                    document.diagnostic(
                        (*where, key),
                        f"unknown expectation {name!r}" + _hint(name, expectations),
                    )
                )
    return out


def _claim_bridge(
    document: Document,
    where: tuple[PathPart, ...],
    at: str | None,
    lookups: _Lookups,
) -> list[Diagnostic]:
    """A crowd gathers at a road or bridge of the model (docs/information.md, section 6)."""
    if at is None:
        return []
    roads = lookups.roads
    if at in roads:
        return []
    return [
        document.diagnostic(
            (*where, "at"), f"{at!r} is no road or bridge of the model" + _hint(at, roads)
        )
    ]


def _target_problem(
    action: str, target: str | None, lookups: _Lookups | None, claims: set[str]
) -> str | None:
    """Why ``target`` cannot be the target of ``action``, or None if it can."""
    kind = ACTIONS[action].target
    if kind == "none":
        return None if target is None else f"action {action!r} takes no target"
    if target is None:
        return f"action {action!r} needs a target ({kind.replace('_', ' ')})"
    if kind == "claim":
        return None if target in claims else f"unknown claim {target!r}" + _hint(target, claims)
    if lookups is None:
        return None  # checked once the model is valid
    model = lookups.model
    if kind == "asset":
        assets = lookups.assets
        return None if target in assets else f"unknown asset {target!r}" + _hint(target, assets)
    if kind in ("district", "area"):
        districts = lookups.districts | {"all"}
        if kind == "area":
            districts |= {zone for d in model.districts for zone in d.zones}
        if target in districts:
            return None
        return f"unknown {kind} {target!r}" + _hint(target, districts)
    kinds = RESOURCE_KINDS | {resource.kind for resource in model.resources}
    if target in kinds:
        return None
    return f"unknown kind of resource {target!r}" + _hint(target, kinds)


def _check_effects(
    document: Document, lookups: _Lookups, injects: list[tuple[int, Inject]]
) -> list[Diagnostic]:
    out = []
    by_id = lookups.assets
    for index, inject in injects:
        for position, effect in enumerate(inject.effects):
            verb = effect.verb
            if not effect.for_engine:
                continue  # claims are checked with the exercise part
            for target_index, target in enumerate(effect.targets):
                where = ("injects", index, "effects", position, verb, target_index)
                if verb == "damage_zone":
                    zones = lookups.zones
                    if target not in zones:
                        out.append(
                            document.diagnostic(
                                where, f"unknown zone {target!r}" + _hint(target, zones)
                            )
                        )
                    continue
                assert verb in ASSET_VERBS
                asset = by_id.get(target)
                if asset is None:
                    out.append(
                        document.diagnostic(
                            where, f"unknown asset {target!r}" + _hint(target, by_id)
                        )
                    )
                elif verb == "compromise" and asset.cyber is None:
                    out.append(
                        document.diagnostic(
                            where,
                            f"asset {target!r} is not a cyber asset (it has no 'cyber' block)",
                        )
                    )
    return out


# --- response scripts -------------------------------------------------------------------


def _responses_from_file(path: Path, display: str) -> tuple[Responses | None, list[Diagnostic]]:
    try:
        document = read_document(path, display)
    except ValidationFailed as failure:
        return None, failure.diagnostics
    return _responses_from_document(document, path)


def _responses_from_document(
    document: Document, path: Path
) -> tuple[Responses | None, list[Diagnostic]]:
    diagnostics = list(document.problems)
    responses, structural = _validate(document, Responses, document.data)
    diagnostics += structural
    if responses is None or responses.scenario is None:
        return responses, diagnostics
    scenario_display = os.path.normpath(Path(document.file).parent / responses.scenario)
    loaded, _ = _scenario_from_file(
        path.parent / responses.scenario, scenario_display, model_check=None
    )
    if loaded is None:
        diagnostics.append(
            document.diagnostic(
                ("scenario",), f"scenario {scenario_display} cannot be loaded (validate it)"
            )
        )
        return responses, diagnostics
    diagnostics += _check_entries(document, responses, loaded)
    return responses, diagnostics


def _check_entries(
    document: Document, responses: Responses, loaded: LoadedScenario
) -> list[Diagnostic]:
    """Teams, injects and targets of a script exist in its scenario."""
    scenario = loaded.scenario
    teams = {team.id for team in scenario.teams}
    injects = {inject.id for inject in scenario.injects}
    claims = {
        effect.claim.id for inject in scenario.injects for effect in inject.effects if effect.claim
    }
    lookups = _Lookups(loaded.model)
    out = []

    def team(where: tuple[PathPart, ...], name: str | None) -> None:
        if name is not None and name not in teams:
            out.append(document.diagnostic(where, f"unknown team {name!r}" + _hint(name, teams)))

    def inject(where: tuple[PathPart, ...], name: str | None) -> None:
        if name is not None and name not in injects:
            out.append(
                document.diagnostic(where, f"unknown inject {name!r}" + _hint(name, injects))
            )

    for index, entry in enumerate(responses.entries):
        base: tuple[PathPart, ...] = ("entries", index)
        if entry.action is not None:
            team((*base, "action", "team"), entry.action.team)
            problem = _target_problem(entry.action.action, entry.action.target, lookups, claims)
            if problem:
                out.append(document.diagnostic((*base, "action", "target"), problem))
        if entry.rate is not None:
            team((*base, "rate", "team"), entry.rate.team)
            inject((*base, "rate", "inject"), entry.rate.inject)
            named = entry.rate.capability
            if named is not None and capability_id(named) is None:
                out.append(
                    document.diagnostic(
                        (*base, "rate", "capability"), f"unknown core capability {named!r}"
                    )
                )
        if entry.note is not None:
            team((*base, "note", "team"), entry.note.team)
        inject((*base, "deliver"), entry.deliver)
        inject((*base, "skip"), entry.skip)
    out += _check_refs(document, responses, scenario)
    return out


def _check_refs(document: Document, responses: Responses, scenario: Scenario) -> list[Diagnostic]:
    """``cancel: NAME`` names an action id or the ``ref`` of an earlier action entry;
    ``confirm`` names an expectation of the scenario."""
    expectations = {e.id for inject in scenario.injects for e in inject.expect}
    out = []
    refs: set[str] = set()
    for index, entry in responses.in_order():
        where: tuple[PathPart, ...] = ("entries", index)
        if entry.action is not None and entry.action.ref is not None:
            refs.add(entry.action.ref)
        cancel = entry.cancel
        if cancel is not None and cancel not in refs and not re.fullmatch(r"A\d{3,}", cancel):
            out.append(
                document.diagnostic(
                    (*where, "cancel"),
                    f"no earlier action has ref {cancel!r}" + _hint(cancel, refs),
                )
            )
        if entry.confirm is not None and entry.confirm not in expectations:
            out.append(
                document.diagnostic(
                    (*where, "confirm"),
                    f"unknown expectation {entry.confirm!r}"
                    + _hint(entry.confirm, {e for e in expectations if e}),
                )
            )
    return out


# --- shared helpers -------------------------------------------------------------------


def _validate(document: Document, cls: type[T], data: Any) -> tuple[T | None, list[Diagnostic]]:
    try:
        return cls.model_validate(data), []
    except ValidationError as error:
        return None, structural_diagnostics(document, cls, error)


def structural_diagnostics(
    document: Document, cls: type[BaseModel], error: ValidationError
) -> list[Diagnostic]:
    """Pydantic's errors as diagnostics with lines, paths and readable messages."""
    out = []
    for problem in error.errors(include_url=False):
        loc = tuple(problem["loc"])
        kind = problem["type"]
        if kind == "extra_forbidden":
            allowed = _allowed_keys(cls, loc[:-1])
            message = f"unknown key {loc[-1]!r}" + _hint(str(loc[-1]), allowed)
        elif kind == "missing":
            message = "required field missing"
        elif kind == "literal_error" and loc == ("format",):
            message = f"unsupported format {problem['input']!r}: {problem['msg'].lower()}"
        elif kind in {"value_error", "assertion_error"}:
            message = str(problem["msg"]).removeprefix("Value error, ")
        else:
            message = str(problem["msg"])
            if loc and not isinstance(problem.get("input"), dict | list):
                message += f", got {one_line(repr(problem.get('input')), 80)}"
        out.append(document.diagnostic(loc, message))
    return out


def _allowed_keys(cls: type[BaseModel], loc: Sequence[PathPart]) -> set[str]:
    """The keys a mapping at ``loc`` may have, walking the model's annotations."""
    current: Any = cls
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = next(
                (
                    info
                    for name, info in current.model_fields.items()
                    if (info.alias or name) == part
                ),
                None,
            )
            if field is None:
                return set()
            current = field.annotation
        elif typing.get_origin(current) in (list, tuple):
            current = typing.get_args(current)[0]
        elif typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]
        else:
            return set()
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return {info.alias or name for name, info in current.model_fields.items()}
    return set()


def _unwrap(annotation: Any) -> Any:
    """Strip ``Optional`` and ``Annotated`` wrappers."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation


def _salvage(items: Any, item_type: Any, section: str, filled: set[str]) -> list[tuple[int, Any]]:
    """The items of a list that can be checked further, with their positions.

    An item with a bad optional value is kept without that value (the value
    was already reported), so its other fields are still cross-checked.  An
    item missing a required text or number gets a placeholder for it, whose
    path goes into ``filled`` so that no cross-check reports on it; an item
    that cannot be repaired otherwise is left out.
    """
    if not isinstance(items, list):
        return []
    adapter: TypeAdapter[Any] = TypeAdapter(item_type)
    valid = []
    for index, item in enumerate(items):
        placeholders: list[str] = []
        repaired = _repaired(adapter, item, item_type, placeholders)
        if repaired is not None:
            valid.append((index, repaired))
            filled.update(format_path((section, index, name)) for name in placeholders)
    return valid


#: Stand-ins for a missing required field, by its type: a slug, so it passes id patterns.
_PLACEHOLDERS: dict[Any, Any] = {str: "0-missing", int: 0, float: 0.0}


def _repaired(adapter: TypeAdapter[Any], item: Any, item_type: Any, filled: list[str]) -> Any:
    fields: dict[str, Any] = getattr(item_type, "model_fields", {})
    copied = False  # the item is copied before its first repair, not when it is valid
    for _ in range(8):
        try:
            return adapter.validate_python(item)
        except ValidationError as error:
            if not copied:
                item = copy.deepcopy(item)
                copied = True
            progress = False
            for problem in error.errors():
                loc = list(problem["loc"])
                if problem["type"] == "missing" and len(loc) == 1 and isinstance(item, dict):
                    stand_in = _placeholder(fields, loc[0])
                    if stand_in is not None and loc[0] not in filled:
                        item[loc[0]] = stand_in
                        filled.append(str(loc[0]))
                        progress = True
                        continue
                if problem["type"] == "missing":
                    loc = loc[:-1]
                while loc and isinstance(loc[-1], int):
                    loc.pop()  # drop the whole list rather than shift its positions
                if not loc:
                    return None
                progress |= _delete(item, loc)
            if not progress:
                return None
    return None


def _placeholder(fields: dict[str, Any], key: PathPart) -> Any:
    """A stand-in value for the missing required field ``key``, if its type has one."""
    info = next((f for name, f in fields.items() if (f.alias or name) == key), None)
    return None if info is None else _PLACEHOLDERS.get(_unwrap(info.annotation))


def _outside(diagnostics: list[Diagnostic], filled: set[str]) -> list[Diagnostic]:
    """The diagnostics that are not about a placeholder of a missing field."""
    if not filled:
        return diagnostics
    return [
        d
        for d in diagnostics
        if not any(d.path == f or d.path.startswith((f + ".", f + "[")) for f in filled)
    ]


def _hidden_exclusive(
    document: Document, injects: Any, known: list[Diagnostic]
) -> list[Diagnostic]:
    """The "exactly one of" problems of raw injects, which an invalid sibling field hid.

    A pydantic model's own check runs only when all of its fields are valid, so
    an inject with a bad ``channel`` and both ``at`` and ``when`` reported only
    the channel; these rules are checked here on what the file says.
    """
    seen = {(d.path, d.message) for d in known}
    out: list[Diagnostic] = []

    def check(raw: Any, rule: str, path: tuple[PathPart, ...]) -> None:
        if not isinstance(raw, dict):
            return
        names, what = EXCLUSIVE[rule]
        found = sum(raw.get(name) is not None for name in names)
        if found != 1:
            diagnostic = document.diagnostic(path, one_of_message(names, what, found))
            if (diagnostic.path, diagnostic.message) not in seen:
                out.append(diagnostic)

    for index, inject in enumerate(injects if isinstance(injects, list) else []):
        where: tuple[PathPart, ...] = ("injects", index)
        check(inject, "inject", where)
        if not isinstance(inject, dict):
            continue
        effects = inject.get("effects")
        for position, effect in enumerate(effects if isinstance(effects, list) else []):
            check(effect, "effect", (*where, "effects", position))
        condition = inject.get("when")
        check(condition, "condition", (*where, "when"))
        if isinstance(condition, dict):
            check(condition.get("metric"), "metric", (*where, "when", "metric"))
    return out


def _delete(data: Any, loc: Sequence[PathPart]) -> bool:
    for part in loc[:-1]:
        if not isinstance(data, dict) or part not in data:
            return False  # lists were cut off above, so the path runs through mappings
        data = data[part]
    if isinstance(data, dict) and loc[-1] in data:
        del data[loc[-1]]
        return True
    return False


def _raw_ids(items: Any) -> list[tuple[int, str]]:
    """Positions and ids of the list's items that have a string id, valid or not."""
    if not isinstance(items, list):
        return []
    return [
        (index, item["id"])
        for index, item in enumerate(items)
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    ]


def _duplicates(
    document: Document,
    section: str,
    ids: Iterable[tuple[int, str]],
    what: str,
    *,
    first: dict[str, int] | None = None,
) -> list[Diagnostic]:
    """Every id seen before, reported; ``first`` (if given) is filled with each id's first
    position."""
    if first is None:
        first = {}
    out = []
    for index, item_id in ids:
        if item_id in first:
            line = document.line_of((section, first[item_id]))
            out.append(
                document.diagnostic(
                    (section, index, "id"),
                    f"duplicate {what} id {item_id!r} (first on line {line})",
                )
            )
        else:
            first[item_id] = index
    return out


_hint = did_you_mean
