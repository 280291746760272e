"""A dry-run plan, its seeds, and the scenario each replication plays.

A :class:`Plan` carries the *texts* of the scenario, its model and the
response script, the base seed and the ``--vary`` specs: everything a worker
needs, on this machine or another, to rebuild any replication exactly (a live
SimPy environment cannot be pickled; files can).

Seeds (docs/dryrun.md): run ``r`` of a plan with base seed ``S`` plays with the
engine and exercise seed ``SeedSequence(S, spawn_key=(r,))`` reduced to 63 bits,
and every sampled column ``c`` draws from its own generator
``default_rng(SeedSequence(S, spawn_key=(r, crc32(c))))``.  So a run's values
depend only on ``S``, ``r`` and the column, never on the order runs are
computed in, the number of workers, or which other specs are given: two plans
compared with the same ``S`` share their random numbers wherever they vary the
same thing (common random numbers).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import tempfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cybrelia.ensemble.vary import Spec, VaryError, parse_specs
from cybrelia.exercise.session import reference_path, scenario_files
from cybrelia.files.durations import quantize
from cybrelia.files.model import Asset, Buffer, District, InfrastructureModel, Resource
from cybrelia.files.responses import Entry, Responses
from cybrelia.files.scenario import Inject, Scenario, Support
from cybrelia.files.source import read_document
from cybrelia.files.validation import LoadedScenario, load_responses, load_scenario

__all__ = [
    "TARGETS",
    "Plan",
    "PlanErrors",
    "Prepared",
    "Variation",
    "column_rng",
    "make_plan",
    "materialise",
    "prepare",
    "run_seed",
]

#: The targets of ``--vary``: pattern -> what the value is (docs/dryrun.md has the table).
TARGETS: dict[str, str] = {
    "repair_hours": "factor on every asset's repair hours (1 = as in the model)",
    "travel_hours": "factor on every asset's travel hours",
    "restore_hours": "factor on every cyber asset's restore hours",
    "buffer_hours": "factor on every buffer's hours (batteries, tanks, generators, staff)",
    "support_hours": "factor on every stated outside source's answer and delivery hours",
    "prepared_share": "every district's share of prepared households (0..1)",
    "inject_jitter": "hours added to each timed inject's time, one draw per inject",
    "responses.delay": "hours added to every scripted team action, one draw per run",
    "responses.TEAM.delay": "hours added to one team's scripted actions",
    "assets.ID.repair_hours": "one asset's repair hours (also travel_hours, restore_hours)",
    "assets.ID.buffer.SERVICE": "hours of one asset's buffer for a need",
    "districts.ID.prepared_share": "one district's share of prepared households",
    "injects.ID.at": "one timed inject's time",
    "resources.ID.count": "units of one resource (rounded; 0 or less removes it)",
    "resources.ID.fuel_hours": "fuel hours of one resource's generators",
    "support.SOURCE.answer": "hours from a request reaching an outside source to its answer",
    "support.SOURCE.deliver": "hours from that source's answer to the units arriving",
}

_FACTORS = {"repair_hours", "travel_hours", "restore_hours", "buffer_hours"}
_ASSET_FIELDS = ("repair_hours", "travel_hours", "restore_hours")


@dataclass(frozen=True)
class Plan:
    """What every replication of a dry run shares.

    Parameters
    ----------
    files
        Texts by relative path, laid out so the scenario's path to its model works.
    scenario_key, responses_key
        Which of ``files`` is the scenario, and the response script (None: no actions).
    seed
        The base seed ``--seed``.
    specs
        The ``--vary`` specs as written.
    label
        The plan's name in a comparison (``A``, ``B``); empty otherwise.
    """

    files: dict[str, str]
    scenario_key: str
    responses_key: str | None
    seed: int
    specs: tuple[str, ...] = ()
    label: str = ""
    digest: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        text = json.dumps(self.describe(), sort_keys=True, ensure_ascii=False)
        object.__setattr__(self, "digest", hashlib.sha256(text.encode()).hexdigest())

    def describe(self) -> dict[str, Any]:
        """The plan as JSON-ready data (stored with the results, so any run can be replayed)."""
        return {
            "files": dict(sorted(self.files.items())),
            "scenario": self.scenario_key,
            "responses": self.responses_key,
            "seed": self.seed,
            "specs": list(self.specs),
            "label": self.label,
        }

    @classmethod
    def from_description(cls, data: dict[str, Any]) -> Plan:
        """The plan :meth:`describe` wrote."""
        return cls(
            dict(data["files"]),
            str(data["scenario"]),
            data["responses"],
            int(data["seed"]),
            tuple(data["specs"]),
            str(data.get("label", "")),
        )


def make_plan(
    scenario: str | os.PathLike[str],
    responses: str | os.PathLike[str] | None,
    *,
    seed: int,
    specs: Iterable[str] = (),
    label: str = "",
) -> Plan:
    """Read and check the files and the specs; a plan ready for any worker.

    Raises
    ------
    cybrelia.files.diagnostics.ValidationFailed
        If a file is invalid (every problem, located).
    VaryError
        Through :class:`PlanErrors`, every spec problem at once.
    """
    loaded = load_scenario(scenario)
    script = load_responses(responses) if responses is not None else None
    files, scenario_key = scenario_files(loaded)
    responses_key = None
    if responses is not None:
        responses_key = (
            Path(scenario_key).parent / f"plan-{label or 'A'}.responses.yaml"
        ).as_posix()
        files[responses_key] = Path(responses).read_text(encoding="utf-8")
    plan = Plan(files, scenario_key, responses_key, seed, tuple(specs), label)
    _, errors = _resolve(plan.specs, loaded, script)
    if errors:
        raise PlanErrors(errors)
    return plan


class PlanErrors(ValueError):
    """Every problem of a plan's specs."""

    def __init__(self, errors: list[VaryError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


def run_seed(seed: int, run: int) -> int:
    """The engine and exercise seed of run ``run`` (63 bits, so it fits every store)."""
    state = np.random.SeedSequence(seed, spawn_key=(run,)).generate_state(1, np.uint64)
    return int(state[0]) >> 1


def column_rng(seed: int, run: int, column: str) -> np.random.Generator:
    """The generator a sampled column draws from in run ``run``."""
    key = zlib.crc32(column.encode("utf-8"))
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(run, key)))


# --- resolution: specs against the scenario -----------------------------------------------

#: One resolved spec: its columns, and how a draft takes the drawn values.
Knob = tuple[list[str], Spec, Callable[["_Draft", list[float]], None]]


def _resolve(
    specs: Iterable[str], loaded: LoadedScenario, responses: Responses | None
) -> tuple[list[Knob], list[VaryError]]:
    texts = list(specs)
    parsed, errors = parse_specs(texts)
    knobs: list[Knob] = []
    for spec in parsed:
        try:
            knobs.append(_knob(spec, loaded, responses))
        except VaryError as error:
            errors.append(error)
    seen: dict[str, str] = {}
    for columns, spec, _ in knobs:
        for column in columns:
            if column in seen:
                errors.append(spec.error(0, f"{column} is varied twice (also by {seen[column]!r})"))
            seen[column] = spec.text
    errors.sort(key=lambda error: texts.index(error.spec))
    # Targets over everything first, then the specific ones, which refine them.
    knobs.sort(key=lambda knob: len(knob[1].path) > 1)
    return knobs, errors


def _pick(spec: Spec, segment: int, kind: str, known: Iterable[str]) -> str:
    name = spec.path[segment]
    choices = sorted(known)
    if name not in choices:
        close = difflib.get_close_matches(name, choices, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise spec.error(segment, f"unknown {kind} {name!r}{hint}")
    return name


def _knob(spec: Spec, loaded: LoadedScenario, responses: Responses | None) -> Knob:
    path = spec.path
    scenario, model = loaded.scenario, loaded.model
    head = path[0]
    if path == ("support_hours",):
        return [head], spec, lambda draft, values: draft.scale_support(spec, values[0])
    if len(path) == 1 and head in _FACTORS | {"prepared_share"}:
        # A factor's base is 1: "repair_hours=lognormal(1,0.3)" draws the factor itself.
        return [head], spec, lambda draft, values: draft.scale_all(head, spec, values[0])
    if path == ("inject_jitter",):
        timed = [inject.id for inject in scenario.injects if inject.at is not None]
        columns = [f"inject_jitter.{_segment(i)}" for i in timed]

        def jitter(draft: _Draft, values: list[float]) -> None:
            for inject_id, value in zip(timed, values, strict=True):
                draft.move_inject(inject_id, spec.apply(0.0, value))

        return columns, spec, jitter
    if head == "responses" and path[-1] == "delay" and len(path) in (2, 3):
        if responses is None:
            raise spec.error(0, "responses.* needs --responses (a script to delay)")
        team = None
        if len(path) == 3:
            team = _pick(spec, 1, "team", (t.id for t in scenario.teams))
        return (
            [spec.target],
            spec,
            lambda draft, values: draft.delay(team, spec.apply(0.0, values[0])),
        )
    if head == "assets" and len(path) >= 3:
        asset_id = _pick(spec, 1, "asset", (a.id for a in model.assets))
        asset = model.asset_index()[asset_id]
        if len(path) == 3 and path[2] in _ASSET_FIELDS:
            if path[2] == "restore_hours" and asset.cyber is None:
                raise spec.error(2, f"{asset_id} is not a cyber asset: it has no restore_hours")
            name = path[2]
            return (
                [spec.target],
                spec,
                lambda draft, values: draft.set_asset(asset_id, name, spec, values[0]),
            )
        if len(path) == 4 and path[2] == "buffer":
            buffered = [s for s, need in sorted(asset.needs.items()) if need.buffer is not None]
            service = _pick(spec, 3, f"buffered need of {asset_id}", buffered)
            return (
                [spec.target],
                spec,
                lambda draft, values: draft.set_buffer(asset_id, service, spec, values[0]),
            )
        raise spec.error(
            2, "an asset's target is repair_hours, travel_hours, restore_hours or buffer.SERVICE"
        )
    if head == "districts" and len(path) == 3:
        district = _pick(spec, 1, "district", (d.id for d in model.districts))
        if path[2] != "prepared_share":
            raise spec.error(2, "a district's target is prepared_share")
        return [spec.target], spec, lambda draft, values: draft.set_share(district, spec, values[0])
    if head == "injects" and len(path) == 3:
        inject_id = _pick(
            spec, 1, "timed inject", (i.id for i in scenario.injects if i.at is not None)
        )
        if path[2] != "at":
            raise spec.error(2, "an inject's target is at")
        return (
            [spec.target],
            spec,
            lambda draft, values: draft.time_inject(inject_id, spec, values[0]),
        )
    if head == "resources" and len(path) == 3:
        resource = _pick(spec, 1, "resource", (r.id for r in model.resources))
        if path[2] not in ("count", "fuel_hours"):
            raise spec.error(2, "a resource's target is count or fuel_hours")
        name = path[2]
        return (
            [spec.target],
            spec,
            lambda draft, values: draft.set_resource(resource, name, spec, values[0]),
        )
    if head == "support" and len(path) == 3:
        stated = (s.source for s in scenario.world.support)
        source = _pick(spec, 1, "outside source stated in world.support", stated)
        if path[2] not in ("answer", "deliver"):
            raise spec.error(2, "an outside source's target is answer or deliver")
        name = path[2]
        return (
            [spec.target],
            spec,
            lambda draft, values: draft.set_support(source, name, spec, values[0]),
        )
    known = ", ".join(sorted(TARGETS))
    raise spec.error(0, f"unknown target {spec.target!r} (targets: {known})")


def _segment(name: str) -> str:
    return f"[{name}]" if "." in name else name


# --- a draft: the run's copies of what it changes ----------------------------------------


class _Draft:
    """Copy-on-write of the objects a run changes; everything else is shared."""

    def __init__(self, loaded: LoadedScenario, responses: Responses | None) -> None:
        self.loaded = loaded
        self.responses = responses
        self.assets: dict[str, Asset] = {}
        self._index: dict[str, Asset] | None = None  # the model's assets by id
        self.districts: dict[str, District] = {}
        self._district_index: dict[str, District] | None = None
        self.resources: dict[str, Resource | None] = {}
        self.injects: dict[str, Inject] = {}
        self.support: dict[str, Support] = {}
        self.delays: dict[str | None, float] = {}

    def _asset(self, asset_id: str) -> Asset:
        if asset_id not in self.assets:
            if self._index is None:  # once per draft, not once per asset changed
                self._index = self.loaded.model.asset_index()
            asset = self._index[asset_id]
            needs = {s: n.model_copy() for s, n in asset.needs.items()}
            cyber = asset.cyber.model_copy() if asset.cyber is not None else None
            self.assets[asset_id] = asset.model_copy(update={"needs": needs, "cyber": cyber})
        return self.assets[asset_id]

    def set_asset(self, asset_id: str, name: str, spec: Spec, value: float) -> None:
        asset = self._asset(asset_id)
        if name == "restore_hours":
            assert asset.cyber is not None
            asset.cyber.restore_hours = _hours(spec.apply(asset.cyber.restore_hours, value))
        else:
            setattr(asset, name, _hours(spec.apply(getattr(asset, name), value)))

    def set_buffer(self, asset_id: str, service: str, spec: Spec, value: float) -> None:
        need = self._asset(asset_id).needs[service]
        assert need.buffer is not None
        need.buffer = need.buffer.model_copy(
            update={"hours": _hours(spec.apply(need.buffer.hours, value))}
        )

    def scale_all(self, name: str, spec: Spec, value: float) -> None:
        if name == "prepared_share":
            for district in self.loaded.model.districts:
                self.set_share(district.id, spec, value)
            return
        factor = max(0.0, spec.apply(1.0, value))
        for original in self.loaded.model.assets:
            if name == "buffer_hours":
                for service, need in sorted(original.needs.items()):
                    if need.buffer is not None:
                        buffer = self._asset(original.id).needs[service].buffer
                        assert buffer is not None
                        self._asset(original.id).needs[service].buffer = _scaled(buffer, factor)
            elif name == "restore_hours":
                if original.cyber is not None:
                    cyber = self._asset(original.id).cyber
                    assert cyber is not None
                    cyber.restore_hours = _hours(cyber.restore_hours * factor)
            else:
                asset = self._asset(original.id)
                setattr(asset, name, _hours(getattr(asset, name) * factor))

    def set_share(self, district_id: str, spec: Spec, value: float) -> None:
        if self._district_index is None:  # once per draft, not once per district changed
            self._district_index = self.loaded.model.district_index()
        district = self.districts.get(district_id) or self._district_index[district_id]
        share = min(1.0, max(0.0, spec.apply(district.prepared_share, value)))
        self.districts[district_id] = district.model_copy(update={"prepared_share": share})

    def set_resource(self, resource_id: str, name: str, spec: Spec, value: float) -> None:
        resource = self.resources.get(resource_id, None)
        if resource is None:
            if resource_id in self.resources:
                return  # removed already
            resource = next(r for r in self.loaded.model.resources if r.id == resource_id)
        if name == "count":
            count = int(np.floor(spec.apply(resource.count, value) + 0.5))
            self.resources[resource_id] = (
                resource.model_copy(update={"count": count}) if count > 0 else None
            )
        else:
            base = resource.fuel_hours if resource.fuel_hours is not None else 0.0
            fuel = _hours(spec.apply(base, value))
            self.resources[resource_id] = resource.model_copy(update={"fuel_hours": fuel})

    def _support(self, source: str) -> Support:
        if source not in self.support:
            stated = self.loaded.scenario.world.support
            self.support[source] = next(s for s in stated if s.source == source).model_copy()
        return self.support[source]

    def set_support(self, source: str, name: str, spec: Spec, value: float) -> None:
        support = self._support(source)
        setattr(support, name, _hours(spec.apply(getattr(support, name), value)))

    def scale_support(self, spec: Spec, value: float) -> None:
        factor = max(0.0, spec.apply(1.0, value))
        for stated in self.loaded.scenario.world.support:
            support = self._support(stated.source)
            support.answer = _hours(support.answer * factor)
            support.deliver = _hours(support.deliver * factor)

    def _inject(self, inject_id: str) -> Inject:
        if inject_id not in self.injects:
            original = next(i for i in self.loaded.scenario.injects if i.id == inject_id)
            self.injects[inject_id] = original.model_copy()
        return self.injects[inject_id]

    def time_inject(self, inject_id: str, spec: Spec, value: float) -> None:
        inject = self._inject(inject_id)
        assert inject.at is not None
        inject.at = self._clamp(spec.apply(inject.at, value))

    def move_inject(self, inject_id: str, offset: float) -> None:
        inject = self._inject(inject_id)
        assert inject.at is not None
        inject.at = self._clamp(inject.at + offset)

    def delay(self, team: str | None, hours: float) -> None:
        self.delays[team] = self.delays.get(team, 0.0) + hours

    def _clamp(self, t: float) -> float:
        return quantize(min(self.loaded.scenario.duration, max(0.0, t)))

    def build(self) -> tuple[LoadedScenario, Responses | None]:
        loaded = self.loaded
        model: InfrastructureModel = loaded.model
        if self.assets or self.districts or self.resources:
            model = model.model_copy(
                update={
                    "assets": [self.assets.get(a.id, a) for a in model.assets],
                    "districts": [self.districts.get(d.id, d) for d in model.districts],
                    "resources": [
                        changed
                        for r in model.resources
                        if (changed := self.resources.get(r.id, r)) is not None
                    ],
                }
            )
        scenario: Scenario = loaded.scenario
        if self.injects:
            scenario = scenario.model_copy(
                update={"injects": [self.injects.get(i.id, i) for i in scenario.injects]}
            )
        if self.support:
            world = scenario.world
            support = [self.support.get(s.source, s) for s in world.support]
            scenario = scenario.model_copy(
                update={"world": world.model_copy(update={"support": support})}
            )
        responses = self.responses
        if responses is not None and self.delays:
            responses = responses.model_copy(
                update={"entries": [self._delayed(e) for e in responses.entries]}
            )
        if model is loaded.model and scenario is loaded.scenario:
            return loaded, responses
        varied = LoadedScenario(scenario, model, loaded.scenario_path, loaded.model_path)
        return varied, responses

    def _delayed(self, entry: Entry) -> Entry:
        team = entry.action.team if entry.action is not None else None
        if team is None and entry.cancel is None:
            return entry  # the facilitator's entries keep their time
        hours = self.delays.get(None, 0.0) + (self.delays.get(team, 0.0) if team else 0.0)
        return entry.model_copy(update={"at": self._clamp(entry.at + hours)})


def _hours(value: float) -> float:
    return quantize(max(0.0, value))


def _scaled(buffer: Buffer, factor: float) -> Buffer:
    return buffer.model_copy(update={"hours": _hours(buffer.hours * factor)})


# --- preparing a plan on a worker, and each run's variation --------------------------------


@dataclass(frozen=True)
class Variation:
    """What run ``run`` of a plan plays: its seed, its draws, the scenario and the script."""

    run: int
    seed: int
    draws: dict[str, float]
    loaded: LoadedScenario
    responses: Responses | None


@dataclass
class Prepared:
    """A plan loaded on a worker: the scenario, the script and the resolved specs."""

    plan: Plan
    loaded: LoadedScenario
    responses: Responses | None
    knobs: list[Knob]
    reference: Responses | None = None
    """The scenario's bundled response script (the outcome index's reference), if it has
    one; the very object :attr:`responses` where the plan plays that script itself."""

    @property
    def columns(self) -> list[str]:
        """The sampled columns, in spec order."""
        ordered = sorted(self.knobs, key=lambda knob: self.plan.specs.index(knob[1].text))
        return [column for columns, _, _ in ordered for column in columns]

    def variation(self, run: int) -> Variation:
        """The run's draws applied to copies of what they change."""
        seed = self.plan.seed
        draft = _Draft(self.loaded, self.responses)
        draws: dict[str, float] = {}
        for columns, spec, apply in self.knobs:
            values = []
            for column in columns:
                if spec.distribution.random:
                    value = spec.distribution.draw(column_rng(seed, run, column))
                else:
                    value = spec.distribution.args[0]
                draws[column] = value
                values.append(value)
            apply(draft, values)
        loaded, responses = draft.build()
        ordered = {column: draws[column] for column in self.columns}
        return Variation(run, run_seed(seed, run), ordered, loaded, responses)


_PREPARED: dict[str, Prepared] = {}
_KEEP = 4


def prepare(plan: Plan) -> Prepared:
    """Load a plan from its texts (once per process: cached by its digest)."""
    cached = _PREPARED.get(plan.digest)
    if cached is not None:
        return cached
    with tempfile.TemporaryDirectory(prefix="cybrelia-dryrun-") as folder:
        root = Path(folder)
        for key, text in plan.files.items():
            target = root / key
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        loaded = load_scenario(root / plan.scenario_key)
        responses = None
        if plan.responses_key is not None:
            # Checked against its scenario when the plan was made; here the structure only.
            path = root / plan.responses_key
            responses = Responses.model_validate(read_document(path, plan.responses_key).data)
        reference = _read_reference(root / plan.scenario_key)
    if reference is not None and reference == responses:
        reference = responses  # the plan plays the reference: its run is the reference run
    knobs, errors = _resolve(plan.specs, loaded, responses)
    if errors:
        raise PlanErrors(errors)
    prepared = Prepared(plan, loaded, responses, knobs, reference)
    while len(_PREPARED) >= _KEEP:  # a worker keeps the plans of one dry run (two to compare)
        del _PREPARED[next(iter(_PREPARED))]
    _PREPARED[plan.digest] = prepared
    return prepared


def _read_reference(scenario: Path) -> Responses | None:
    """The bundled reference script stored beside the plan's scenario, if any."""
    path = reference_path(scenario)
    if not path.is_file():
        return None
    return Responses.model_validate(read_document(path, path.name).data)


def materialise(
    variation: Variation, folder: Path, reference: Responses | None = None
) -> tuple[Path, Path | None]:
    """Write a run's scenario, model and script as files (for a session of that run).

    The scenario's ``reference`` script, if given, goes where a session looks for it
    (:func:`cybrelia.exercise.session.reference_path`), so the session's outcome index
    is the row's.
    """
    loaded = variation.loaded
    folder.mkdir(parents=True, exist_ok=True)
    model_path = folder / "model.json"
    model_path.write_text(_dump(loaded.model), encoding="utf-8")
    data = loaded.scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["infrastructure"] = model_path.name
    data["seed"] = variation.seed
    scenario_path = folder / "scenario.json"
    scenario_path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    if reference is not None:  # JSON is YAML: the reference keeps its .yaml name
        _write_script(reference, scenario_path, reference_path(scenario_path))
    responses_path = None
    if variation.responses is not None:
        responses_path = folder / "responses.json"
        _write_script(variation.responses, scenario_path, responses_path)
    return scenario_path, responses_path


def _write_script(script: Responses, scenario_path: Path, path: Path) -> None:
    data = script.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["scenario"] = scenario_path.name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _dump(model: InfrastructureModel) -> str:
    data = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    return json.dumps(data, ensure_ascii=False, indent=1)
