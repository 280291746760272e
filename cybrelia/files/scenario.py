"""Typed objects for scenario files (MODEL.md section 4, and the exercise part).

A scenario names its infrastructure model and lists injects.  The engine reads
only the ``effects`` of injects due ``at`` a time.  The exercise layer adds its
own fields: teams, bilingual messages, channels, expected actions with points
tied to the seven pillars, branches (injects due ``when`` a condition holds),
disinformation claims, and settings for consequence messages.  See
``docs/scenario-format.md``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from cybrelia.files.actions import ActionName
from cybrelia.files.capabilities import CAPABILITIES, capability_id
from cybrelia.files.durations import parse_duration
from cybrelia.files.information import InformationSettings
from cybrelia.files.limits import MAX_COUNT, MAX_POPULATION, MAX_RATE, MAX_SEED
from cybrelia.files.model import Duration

__all__ = [
    "ASSET_VERBS",
    "CHANNELS",
    "EXCLUSIVE",
    "METRICS",
    "PILLARS",
    "SCENARIO_FORMAT",
    "SUPPORT_SOURCES",
    "VERBS",
    "Bilingual",
    "Claim",
    "Condition",
    "Consequences",
    "Effect",
    "Expectation",
    "Inject",
    "Objective",
    "Offer",
    "Scenario",
    "Spread",
    "Support",
    "Team",
    "WorldSettings",
    "ZoneAftermath",
    "objective_of",
    "one_of",
    "one_of_message",
]

#: The seven pillars of the socially resilient municipality; their names are the
#: catalogue's ``pillar.<n>`` (:func:`cybrelia.i18n.pillar_label`).
PILLARS: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)

SCENARIO_FORMAT = "cybrelia.scenario/1"

#: Effect verbs that target assets by id, in the order the contract lists them.
ASSET_VERBS = ("damage", "compromise", "repair", "restore", "isolate", "reconnect")
#: Every effect verb the engine reads.
VERBS = ("damage", "damage_zone", "compromise", "repair", "restore", "isolate", "reconnect")
#: Effect verbs of the exercise layer, which the engine ignores.
EXERCISE_VERBS = ("claim",)

#: How an inject reaches its teams.
CHANNELS = ("phone", "email", "radio", "media", "rcb_alert", "sirens", "field_report")
Channel = Literal["phone", "email", "radio", "media", "rcb_alert", "sirens", "field_report"]

#: Figures a branch condition or a consequence threshold can watch.
METRICS = (
    "people_without_power",
    "people_without_water",
    "people_without_heat",
    "people_without_telecom",
    "people_in_need",
    "vulnerable_at_risk",
    "critical_down",
)
Metric = Literal[
    "people_without_power",
    "people_without_water",
    "people_without_heat",
    "people_without_telecom",
    "people_in_need",
    "vulnerable_at_risk",
    "critical_down",
]


def one_of(obj: BaseModel, names: tuple[str, ...], what: str) -> str:
    """The one field of ``names`` that ``obj`` sets; a ValueError unless exactly one is set."""
    present = [name for name in names if getattr(obj, name) is not None]
    if len(present) != 1:
        raise ValueError(one_of_message(names, what, len(present)))
    return present[0]


def one_of_message(names: tuple[str, ...], what: str, found: int) -> str:
    """Why ``found`` of ``names`` is not exactly one (the message of :func:`one_of`)."""
    return f"{what} needs exactly one of {', '.join(names)}; found {found}"


#: The "exactly one of" rules of the scenario format, by where they apply:
#: checked on the raw file too, since a model's own check does not run when one
#: of its fields is invalid.
EXCLUSIVE = {
    "inject": (("at", "when"), "an inject"),
    "effect": ((*VERBS, *EXERCISE_VERBS), "an effect"),
    "condition": (("asset", "metric", "delivered", "met", "missed"), "a condition"),
    "metric": (("above", "below"), "a metric condition"),
}


def _as_list(value: object) -> object:
    """Accept ``damage: gpz-1`` as well as ``damage: [gpz-1]``."""
    if isinstance(value, str):
        return [value]
    return value


Targets = Annotated[list[str], BeforeValidator(_as_list)]


class Spread(BaseModel):
    """How a compromise moves along ``cyber_links`` (MODEL.md 3.7)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    every: Annotated[float, BeforeValidator(parse_duration), Field(gt=0.0)]
    probability: float = Field(ge=0.0, le=1.0)


class Bilingual(BaseModel):
    """A text shown to people: Polish first, English beside it."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    pl: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        """The text in ``lang`` (``pl`` or ``en``)."""
        return self.en if lang == "en" else self.pl


#: What believers of a claim do (docs/information.md, section 6).
Behaviour = Literal[
    "avoid_service",
    "bottled_water_run",
    "panic_buying_fuel",
    "refuse_evacuation",
    "crowd_at_bridge",
    "jam_duty_phone",
    "defy_orders",
]


class Claim(BaseModel):
    """A disinformation claim: it spreads from person to person, and its believers act on it.

    ``reach`` is the share of residents who believe it when it appears,
    ``max_reach`` the share who could ever believe it, ``growth`` the believers'
    share an hour it adds at first, ``decay`` how fast people who were told
    otherwise give it up (docs/information.md, section 6).  What believers do is
    its ``behaviour``; a version-1 claim names a ``service`` and its believers
    act as if it were lost.
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    id: str = Field(min_length=1)
    text: Bilingual
    service: str | None = Field(default=None, min_length=1)
    behaviour: Behaviour | None = None
    at: str | None = Field(default=None, min_length=1)
    """The bridge or road a ``crowd_at_bridge`` gathers at (an asset id)."""
    correct: bool = False
    """Whether it is in fact true: a debunk of it turns out wrong and costs trust."""
    districts: list[str] = Field(default_factory=list)
    reach: float = Field(default=0.05, ge=0.0, le=1.0)
    growth: float = Field(default=0.02, ge=0.0, le=MAX_RATE)
    max_reach: float = Field(default=0.5, ge=0.0, le=1.0)
    decay: float = Field(default=0.05, ge=0.0, le=MAX_RATE)

    @model_validator(mode="after")
    def _behaviour(self) -> Claim:
        if self.behaviour is None:
            if self.service is None:
                raise ValueError("a claim names its behaviour (or, as in version 1, a service)")
            self.behaviour = "avoid_service"
        if self.behaviour == "avoid_service" and self.service is None:
            raise ValueError("behaviour avoid_service needs the service believers avoid")
        if self.behaviour != "avoid_service" and self.service is not None:
            raise ValueError(f"behaviour {self.behaviour} takes no service")
        if (self.behaviour == "crowd_at_bridge") != (self.at is not None):
            raise ValueError("a crowd_at_bridge claim, and only it, names the bridge it is `at`")
        return self


class Effect(BaseModel):
    """One change to the infrastructure, or a claim: exactly one verb and its targets."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    damage: Targets | None = None
    damage_zone: Targets | None = None
    compromise: Targets | None = None
    spread: Spread | None = None
    repair: Targets | None = None
    restore: Targets | None = None
    isolate: Targets | None = None
    reconnect: Targets | None = None
    claim: Claim | None = None

    @model_validator(mode="after")
    def _one_verb(self) -> Effect:
        verb = one_of(self, (*VERBS, *EXERCISE_VERBS), "an effect")
        if self.spread is not None and verb != "compromise":
            raise ValueError("spread applies only to compromise")
        return self

    @property
    def verb(self) -> str:
        """The effect's verb, such as ``damage``."""
        return next(v for v in (*VERBS, *EXERCISE_VERBS) if getattr(self, v) is not None)

    @property
    def targets(self) -> list[str]:
        """Asset ids, zone names for ``damage_zone``, the claim's id for ``claim``."""
        if self.claim is not None:
            return [self.claim.id]
        targets: list[str] = getattr(self, self.verb)
        return targets

    @property
    def for_engine(self) -> bool:
        """Whether the cascade engine acts on this effect."""
        return self.claim is None


class Team(BaseModel):
    """A participant team: the crisis team, the water utility, the OSP, IT."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    id: str = Field(min_length=1)
    name: Bilingual
    role: str = Field(min_length=1)
    sectors: list[str] = Field(default_factory=list)


class Expectation(BaseModel):
    """An action a team is expected to take after an inject, and what it is worth."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    id: str | None = None
    action: ActionName
    target: str | None = None
    team: str = Field(min_length=1)
    within: Duration
    points: int = Field(default=10, ge=0, le=MAX_COUNT)
    pillar: int = Field(ge=1, le=7)
    capability: str = Field(default="", validate_default=False)
    """The core capability (:mod:`cybrelia.files.capabilities`); the objective's if left out."""
    objective: str | None = None
    """The id of the scenario objective this expectation measures."""
    description: Bilingual | None = None
    """What the evaluators look for, in words (the critical task as observed)."""


class Objective(BaseModel):
    """An exercise objective (HSEEP): specific, measurable, achievable, relevant, time-bound.

    ``text`` states it (who does what, to which standard, by when); its
    expectations measure it; ``capability`` is one of FEMA's core capabilities
    and ``critical_tasks`` are what the evaluation guide asks evaluators to
    observe.
    """

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    text: Bilingual
    capability: str = Field(min_length=1)
    pillar: int = Field(ge=1, le=7)
    critical_tasks: list[Bilingual] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_capability(self) -> Objective:
        known = capability_id(self.capability)
        if known is None:
            raise ValueError(
                f"unknown core capability {self.capability!r}; see docs/evaluation.md "
                "for the list (ids such as infrastructure_systems, or their English names)"
            )
        self.capability = known
        return self


class AssetCondition(BaseModel):
    """An asset in a state (``down``, ``backup``, or ``not_up``) for a while."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    id: str = Field(min_length=1)
    state: Literal["down", "backup", "not_up"] = "down"
    for_: Duration = Field(default=0.0, alias="for")


class MetricCondition(BaseModel):
    """A figure above or below a threshold."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    name: Metric
    above: float | None = None
    below: float | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> MetricCondition:
        one_of(self, ("above", "below"), "a metric condition")
        return self


class Condition(BaseModel):
    """When a branch inject is due: exactly one kind of condition."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    asset: AssetCondition | None = None
    metric: MetricCondition | None = None
    delivered: str | None = None
    met: str | None = None
    missed: str | None = None
    after: Duration = 0.0

    @model_validator(mode="after")
    def _one_kind(self) -> Condition:
        one_of(self, ("asset", "metric", "delivered", "met", "missed"), "a condition")
        return self


class Consequences(BaseModel):
    """When the simulation itself tells the teams what is happening."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    fuel_warning: Duration = 2.0
    critical_down: bool = True
    people_in_need: list[Annotated[int, Field(ge=0, le=MAX_POPULATION)]] = Field(
        default_factory=lambda: [100, 500, 1000, 5000]
    )
    claim_reach: list[Annotated[float, Field(ge=0.0, le=1.0)]] = Field(
        default_factory=lambda: [0.1, 0.25, 0.5]
    )


#: Where a gmina can ask for help from outside (docs/world.md, "Help from outside").
SUPPORT_SOURCES = ("powiat", "voivode", "psp", "wot")
SupportSource = Literal["powiat", "voivode", "psp", "wot"]


class Offer(BaseModel):
    """Units of one kind a source can give from ``at`` on (added to what it had)."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(min_length=1)
    count: int = Field(ge=1)
    at: Duration = 0.0
    fuel_hours: Duration | None = None
    kva: float | None = Field(default=None, gt=0.0)
    tank_l: float | None = Field(default=None, gt=0.0)
    capacity_l: float | None = Field(default=None, gt=0.0)
    capacity_m3: float | None = Field(default=None, gt=0.0)
    seats: int | None = Field(default=None, ge=1)
    day_share: float | None = Field(default=None, ge=0.0, le=1.0)


class Support(BaseModel):
    """What one outside source can give over time, and how fast it answers and delivers."""

    model_config = ConfigDict(extra="forbid")

    source: SupportSource
    answer: Duration = 1.0
    deliver: Duration = 3.0
    offers: list[Offer] = Field(default_factory=list)
    reason: Bilingual | None = None
    """Why it refuses once its pool is empty (for example, neighbours' needs)."""


class ZoneAftermath(BaseModel):
    """What a hazard leaves behind in one zone: slow repairs, water unfit to drink."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    zone: str = Field(min_length=1)
    repair_hours: Duration | None = None
    """Hours a repair of an asset of the zone takes, instead of its own ``repair_hours``."""
    types: list[str] = Field(default_factory=list)
    """The asset types ``repair_hours`` applies to (none given: every type)."""
    water_unfit: bool = False
    """Water from a water asset of the zone once it was damaged is unfit to drink until
    the sanitary inspector (PPIS) declares it fit."""


class WorldSettings(BaseModel):
    """The world around the infrastructure in this scenario (docs/world.md)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    water_norm: float = Field(default=15.0, gt=0.0)
    """Litres of water per person per day a water point must hand out (Sphere: 15)."""
    water_point_staff: int = Field(default=0, ge=0, le=MAX_COUNT)
    """Volunteers each water point needs while it is open (0: the tanker's crew alone)."""
    autonomy: Literal["step", "survey"] = "step"
    """How households run out: all at 24 h / 72 h (step) or spread over time (survey)."""
    outdoor_c: float | None = None
    """Outdoor temperature, °C: heat is no emergency at or above 16 °C."""
    season: Literal["winter", "spring", "summer", "autumn"] | None = None
    """The season, for an outdoor temperature when ``outdoor_c`` is not given."""
    command_post: str | None = Field(default=None, min_length=1)
    """The asset the crisis team works from: its telecom carries phone requests."""
    runner_hours: Duration = 1.0
    """Extra hours a request carried by a runner takes."""
    support: list[Support] = Field(default_factory=list)
    zones: list[ZoneAftermath] = Field(default_factory=list)
    """Per hazard zone, how long repairs take and whether tap water is unfit."""
    stocks: dict[Literal["water", "food", "medicines"], Annotated[int, Field(ge=0)]] = Field(
        default_factory=dict
    )
    """The gmina's civil-protection stocks, person-days of each essential."""


class Inject(BaseModel):
    """An entry of the master scenario events list, due ``at`` a time or ``when`` a condition."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    id: str = Field(min_length=1)
    at: Duration | None = None
    when: Condition | None = None
    title: Bilingual | None = None
    message: Bilingual | None = None
    to: list[str] = Field(default_factory=list)
    channel: Channel | None = None
    effects: list[Effect] = Field(default_factory=list)
    expect: list[Expectation] = Field(default_factory=list)

    @model_validator(mode="after")
    def _at_or_when(self) -> Inject:
        one_of(self, ("at", "when"), "an inject")
        for number, expectation in enumerate(self.expect, 1):
            if expectation.id is None:
                expectation.id = f"{self.id}.{number}"
        return self


class Scenario(BaseModel):
    """A scenario: its model, its start, its length, its seed and its injects."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    format: Literal["cybrelia.scenario/1"]
    id: str | None = None
    title: str | None = None
    description: str = ""
    infrastructure: str = Field(min_length=1)
    start: datetime | None = None
    duration: Duration = 72.0
    seed: int = Field(default=0, ge=0, le=MAX_SEED)
    teams: list[Team] = Field(default_factory=list)
    consequences: Consequences = Field(default_factory=Consequences)
    world: WorldSettings = Field(default_factory=WorldSettings)
    information: InformationSettings = Field(default_factory=InformationSettings)
    sample_every: Duration = 1.0
    objectives: list[Objective] = Field(default_factory=list)
    injects: list[Inject] = Field(default_factory=list)

    @model_validator(mode="after")
    def _expectations_belong_to_objectives(self) -> Scenario:
        """With objectives, each expectation names one (and takes its capability);
        without them (version-1 files), each names its capability."""
        by_id = {objective.id: objective for objective in self.objectives}
        if len(by_id) != len(self.objectives):
            raise ValueError("objective ids must be unique")
        for inject in self.injects:
            for expectation in inject.expect:
                where = f"expectation {expectation.id}"
                if not by_id:
                    if expectation.objective is not None:
                        raise ValueError(
                            f"{where} names objective {expectation.objective!r}, "
                            "but the scenario has no objectives"
                        )
                    if not expectation.capability:
                        raise ValueError(f"{where} needs a capability")
                    continue
                objective = by_id.get(expectation.objective or "")
                if objective is None:
                    raise ValueError(
                        f"{where} must name one of the objectives ({', '.join(sorted(by_id))})"
                        + (f", not {expectation.objective!r}" if expectation.objective else "")
                    )
                expectation.capability = expectation.capability or objective.capability
        return self

    def objective_list(self) -> list[Objective]:
        """The objectives, or for a version-1 scenario one per capability of its expectations.

        A derived objective has the capability's id (or the name as written, if it
        is not a core capability), its names as text and the most common pillar of
        its expectations (the lowest on a tie).
        """
        if self.objectives:
            return list(self.objectives)
        pillars: dict[str, list[int]] = {}
        names: dict[str, str] = {}
        for inject in self.injects:
            for expectation in inject.expect:
                key = objective_of(self, expectation)
                pillars.setdefault(key, []).append(expectation.pillar)
                names.setdefault(key, expectation.capability)
        derived = []
        for key, found in pillars.items():
            known = CAPABILITIES.get(key)
            text = (
                Bilingual(pl=known.name("pl"), en=known.name("en"))
                if known
                else Bilingual(pl=names[key], en=names[key])
            )
            pillar = min(found, key=lambda p: (-found.count(p), p))
            derived.append(
                Objective.model_construct(
                    id=key, text=text, capability=key, pillar=pillar, critical_tasks=[]
                )
            )
        return derived


def objective_of(scenario: Scenario, expectation: Expectation) -> str:
    """The id of the objective an expectation measures (its capability's in a version-1 file)."""
    if expectation.objective is not None:
        return expectation.objective
    return capability_id(expectation.capability) or expectation.capability
