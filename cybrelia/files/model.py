"""Typed objects for infrastructure model files (MODEL.md, section 2).

The classes mirror the file format one to one, so the JSON Schema that
editors use is generated from them and a typo in a file is an error rather
than a silently ignored key.  Cross-references (an asset that needs a service
from another asset, a district that an asset serves) are checked by
:mod:`cybrelia.files.validation`, which can name the file and line of each problem.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetPydanticSchema,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import core_schema

from cybrelia.files.durations import parse_duration
from cybrelia.files.limits import MAX_COUNT, MAX_HOURS, MAX_POPULATION, MAX_RATE

__all__ = [
    "BUFFER_KINDS",
    "DEFAULT_RECHARGE",
    "MIN_SHIFT_HOURS",
    "MODEL_FORMAT",
    "SECTOR_OF_TYPE",
    "SECTOR_ORDER",
    "SHARE_UNITS",
    "WATER_SOURCE_TYPES",
    "WEEKDAYS",
    "Asset",
    "AssetId",
    "Buffer",
    "BufferKind",
    "Cyber",
    "District",
    "Duration",
    "InfrastructureModel",
    "Names",
    "Need",
    "Occupied",
    "Resource",
    "SomeNames",
    "Zone",
    "share_units",
]

MODEL_FORMAT = "cybrelia.infrastructure/1"

#: Shares are summed as integers in units of 1e-9, so that ``0.1 + 0.2 + 0.7``
#: is exactly 1 and the halves-up rounding of MODEL.md 3.6 is exact.
SHARE_UNITS = 10**9


def share_units(share: float) -> int:
    """A share (0..1] as an exact integer number of 1e-9 units."""
    return round(share * SHARE_UNITS)


Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": MAX_HOURS},
                {"type": "string", "pattern": r"^\s*((\d+(\.\d*)?|\.\d+)\s*[dhm]\s*)+$"},
            ],
            "description": "Hours, or a string such as 90m, 2h30m, 1d12h.",
        }
    ),
]
"""A duration in hours, written as a number or as ``1d12h``-style text."""

AssetId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]*$")]
"""Asset ids are slugs so they read well in commands, file names and logs."""

BufferKind = Literal["battery", "generator", "storage", "manual"]
BUFFER_KINDS: tuple[BufferKind, ...] = ("battery", "generator", "storage", "manual")

#: Hours of autonomy regained per hour of restored supply, by buffer kind.
#: A generator's tank does not refill from the grid; it needs a fuel delivery.
DEFAULT_RECHARGE: dict[str, float] = {
    "battery": 0.5,
    "storage": 1.0,
    "manual": 1.0,
    "generator": 0.0,
}

#: Asset types a water tanker may fill at, unless ``water_source`` says otherwise.
WATER_SOURCE_TYPES = frozenset({"water_treatment", "well"})

#: Sector of the common asset types, for grouping on screens and in reports.
SECTOR_OF_TYPE: dict[str, str] = {
    **dict.fromkeys(
        ["substation", "gpz", "hv_line", "mv_line", "mv_lv_station", "lv_network", "power_plant"],
        "power",
    ),
    **dict.fromkeys(
        ["water_treatment", "well", "water_tank", "booster_pump", "water_network"], "water"
    ),
    **dict.fromkeys(["sewage_plant", "sewage_pump"], "wastewater"),
    **dict.fromkeys(["boiler_house", "chp", "heat_network", "heat_substation"], "heat"),
    **dict.fromkeys(["bts", "fibre_node", "telecom_exchange", "radio"], "telecom"),
    **dict.fromkeys(["server", "data_centre", "scada", "hmi", "plc", "network"], "it"),
    **dict.fromkeys(["hospital", "health_centre", "pharmacy", "care_home"], "health"),
    **dict.fromkeys(["fire_station", "police", "ambulance_base", "rescue"], "rescue"),
    **dict.fromkeys(["fuel_station", "fuel_depot"], "fuel"),
    **dict.fromkeys(["road", "bridge", "railway_station"], "transport"),
    **dict.fromkeys(["school", "shelter"], "shelter"),
    **dict.fromkeys(["office"], "administration"),
    **dict.fromkeys(["siren"], "alerting"),
    **dict.fromkeys(["dairy_farm", "farm"], "agriculture"),
}


#: Sectors in the order screens and charts group them; others follow by name.
SECTOR_ORDER = (
    "power",
    "water",
    "wastewater",
    "heat",
    "gas",
    "telecom",
    "it",
    "health",
    "care",
    "rescue",
    "alerting",
    "shelter",
    "education",
    "transport",
    "fuel",
    "trade",
    "finance",
    "agriculture",
    "administration",
)


def _read_only_list(as_read: object) -> GetPydanticSchema:
    """Validate as the list ``as_read`` (its messages and JSON Schema), keep a tuple.

    A tuple of strings is one object where a list is two, and the cyclic collector stops
    walking it after its first pass (it holds nothing it could find in a cycle), where it
    walks a list, and the object holding it, on every full pass; no tuple is made for an
    empty list.  Validated as a tuple, a file's errors would speak of tuples.  Dumped
    (``model_dump``) as a list, as before.
    """
    return GetPydanticSchema(
        lambda _type, handler: core_schema.no_info_after_validator_function(
            tuple,
            handler(as_read),
            serialization=core_schema.plain_serializer_function_ser_schema(list),
        )
    )


Names = Annotated[tuple[str, ...], _read_only_list(list[str])]
"""Names a file lists (services, zones), read-only: validated as a list, kept as a tuple."""

SomeNames = Annotated[tuple[str, ...], _read_only_list(Annotated[list[str], Field(min_length=1)])]
"""As :data:`Names`, at least one."""


class _Strict(BaseModel):
    """Base of every file object: unknown keys are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)


class _FieldsSet(frozenset[str]):
    """The names an item's input set, one object shared by every item that set the same.

    Pydantic gives each object its own mutable set of the fields its input named: on a
    region of 100,000 assets, 320,000 sets (117 MiB, a fifth of the objects the model
    holds), each one walked by every full pass of the cyclic garbage collector.  Shared,
    the sets cannot record an assignment, so an item that holds one refuses it
    (:meth:`_Item.__setattr__`); a copy (``model_copy``, as the ensemble's drafts make)
    gets a set of its own again and can be changed.
    """

    __slots__ = ()

    def __copy__(self) -> set[str]:
        return set(self)

    def __deepcopy__(self, memo: object) -> set[str]:
        return set(self)


#: The shared sets of names, by their contents: a few dozen distinct ones in any model.
_FIELDS_SETS: dict[frozenset[str], _FieldsSet] = {}


class _Item(_Strict):
    """Base of the objects a model holds by the hundred thousand: their sets are shared.

    A model does not change in place once made (the engine's topology and the loader's
    columns are compiled from it once, docs/engine.md); an item made by validation
    refuses assignment, and a changed copy is made with ``model_copy``.
    """

    @model_validator(mode="after")
    def _share_fields_set(self) -> _Item:
        names = frozenset(self.__pydantic_fields_set__)
        shared = _FIELDS_SETS.get(names)
        if shared is None:
            shared = _FIELDS_SETS[names] = _FieldsSet(names)
        object.__setattr__(self, "__pydantic_fields_set__", shared)
        return self

    def __setattr__(self, name: str, value: object) -> None:
        names: AbstractSet[str] = self.__pydantic_fields_set__  # pydantic types it a set
        if type(names) is _FieldsSet:
            raise TypeError(
                f"cannot set {name!r}: a model's items are not changed once made; "
                "change a copy (model_copy) instead"
            )
        super().__setattr__(name, value)


class District(_Item):
    """A district (sołectwo, osiedle) whose residents the metrics count."""

    id: str = Field(min_length=1)
    name: str | None = None
    population: int = Field(ge=0, le=MAX_POPULATION)
    prepared_share: float = Field(default=0.3, ge=0.0, le=1.0)
    vulnerable: int = Field(default=0, ge=0, le=MAX_POPULATION)
    at: str | None = Field(default=None, min_length=1)
    """Where on the road network a water point for the district stands (docs/world.md)."""
    zones: Names = Field(default_factory=tuple)
    """The hazard zones the district lies in, for evacuation orders (docs/information.md)."""

    @model_validator(mode="after")
    def _default_name(self) -> District:
        if self.name is None:
            self.__dict__["name"] = self.id  # as __setattr__ would, at a tenth of the cost
        return self


#: The shortest stint a crew or a team of volunteers works before it rests, hours.  A
#: shelter or water point relieves its staff after each stint, so a stint of one clock
#: step (1e-9 h) would relieve them 2.4e10 times a day: the exercise would never end.
MIN_SHIFT_HOURS = 0.25


class Shift(_Item):
    """How long a crew works before it must rest, and for how long (docs/world.md)."""

    work: Duration
    rest: Duration

    @field_validator("work")
    @classmethod
    def _long_enough(cls, work: float) -> float:
        if work < MIN_SHIFT_HOURS:
            raise ValueError(
                f"a shift's work must be at least 15m ({MIN_SHIFT_HOURS:g} h), got {work:g} h"
            )
        return work


class Zone(_Item):
    """A declared hazard footprint (MODEL.md 1.1): a flood zone, a storm track."""

    id: str = Field(min_length=1)
    name: str | None = None


class Resource(_Item):
    """A pool of response resources (crews, mobile generators, tankers).

    The physical fields (docs/world.md) are optional: without them a resource
    behaves as in MODEL.md 1.1 (any generator fits, a fuel truck never empties,
    a tanker covers a whole district, crews work round the clock).
    """

    id: str = Field(min_length=1)
    kind: str = Field(min_length=1)
    count: int = Field(ge=1, le=MAX_COUNT)
    fuel_hours: Duration | None = None
    kva: float | None = Field(default=None, gt=0.0)
    """Rated apparent power of a generator, kVA."""
    tank_l: float | None = Field(default=None, gt=0.0)
    """Fuel tank of a generator, litres of diesel."""
    capacity_l: float | None = Field(default=None, gt=0.0)
    """What one fuel truck (bowser) carries, litres."""
    capacity_m3: float | None = Field(default=None, gt=0.0)
    """What one water tanker carries, m³."""
    seats: int | None = Field(default=None, ge=1)
    """People one bus (with its driver) carries on an evacuation trip."""
    day_share: float | None = Field(default=None, ge=0.0, le=1.0)
    """Share of a volunteer pool free on working days 07:00-17:00 (the rest are at work)."""
    shift: Shift | None = None


Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
#: Weekdays in the order of :meth:`datetime.date.weekday`.
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Occupied(_Item):
    """When a facility's occupants are there: a school in session, a day-care centre.

    On the scenario's clock: the weekdays, the months and the hours of the day
    (``from`` up to, not including, ``to``) in which they are present.
    """

    days: list[Weekday] = Field(default_factory=lambda: list(WEEKDAYS[:5]), min_length=1)
    months: list[Annotated[int, Field(ge=1, le=12)]] = Field(
        default_factory=lambda: list(range(1, 13)), min_length=1
    )
    from_: Annotated[float, BeforeValidator(parse_duration), Field(alias="from", le=24.0)] = 8.0
    to: Annotated[float, BeforeValidator(parse_duration), Field(le=24.0)] = 16.0

    @model_validator(mode="after")
    def _from_before_to(self) -> Occupied:
        if self.from_ >= self.to:
            raise ValueError(f"'from' ({self.from_:g} h) must come before 'to' ({self.to:g} h)")
        return self


class Buffer(_Item):
    """Autonomy that keeps a need met while its supply is lost."""

    kind: BufferKind
    hours: Duration
    recharge: float | None = Field(default=None, ge=0.0, le=MAX_RATE)
    litres: float | None = Field(default=None, gt=0.0)
    """Diesel in a full generator tank: ``hours`` of running use ``litres``."""

    @model_validator(mode="after")
    def _default_recharge(self) -> Buffer:
        if self.recharge is None:
            self.__dict__["recharge"] = DEFAULT_RECHARGE[self.kind]
        return self

    @property
    def recharge_rate(self) -> float:
        """Hours of autonomy regained per hour of supply."""
        assert self.recharge is not None  # set by the validator
        return self.recharge


class Need(_Item):
    """A service an asset needs, the assets that can supply it, and its buffer."""

    from_: SomeNames = Field(alias="from")
    k: int = Field(default=1, ge=1, le=MAX_COUNT)
    buffer: Buffer | None = None


class Cyber(_Item):
    """Marks a cyber asset: one that can be compromised and restored."""

    exposure: Literal["none", "internal", "internet"] = "internal"
    backup: Literal["none", "untested", "tested"] = "none"
    restore_hours: Duration = 8.0


class Road(_Item):
    """A road segment or bridge between two places, and the hours to drive it."""

    between: tuple[Annotated[str, Field(min_length=1)], Annotated[str, Field(min_length=1)]]
    hours: Duration


class Asset(_Item):
    """One piece of critical infrastructure, or an aggregate of many alike."""

    id: AssetId
    name: str | None = None
    type: str = Field(min_length=1)
    sector: str | None = None
    provides: Names = Field(default_factory=tuple)
    needs: dict[str, Need] = Field(default_factory=dict)
    serves: dict[str, Annotated[float, Field(gt=0.0, le=1.0)]] = Field(default_factory=dict)
    zones: Names = Field(default_factory=tuple)
    repair_hours: Duration = 8.0
    travel_hours: Duration = 0.5
    critical: bool = False
    cyber: Cyber | None = None
    # The world around the asset (docs/world.md); every field optional.
    load_kw: float | None = Field(default=None, ge=0.0)
    """Electrical load a generator must carry, kW."""
    connection: bool = True
    """Whether a mobile generator can be connected."""
    fuel_l: float | None = Field(default=None, ge=0.0)
    """Diesel in stock at a fuel station or depot, litres."""
    water_source: bool | None = None
    """Whether tankers may fill here (default: treatment stations and wells)."""
    places: int | None = Field(default=None, ge=0)
    """People a shelter, warming or cooling centre takes."""
    at: str | None = Field(default=None, min_length=1)
    """The place on the road network where the asset stands."""
    road: Road | None = None
    """For a road or bridge: the two places it joins and the driving time."""
    staff: int = Field(default=0, ge=0)
    """Volunteers a shelter needs while it is open."""
    occupants: int | None = Field(default=None, ge=0)
    """People who live or stay in the facility (care home, hospital, camp, school)."""
    occupied: Occupied | None = None
    """When the occupants are there (a school in session); none: all the time."""

    @model_validator(mode="after")
    def _derived_defaults(self) -> Asset:
        # Written into the instance's __dict__ directly: pydantic's __setattr__ costs
        # a tenth of a second per 100,000 assets and field, for a plain assignment here.
        fields = self.__dict__
        if self.name is None:
            fields["name"] = self.id
        if self.sector is None:
            fields["sector"] = SECTOR_OF_TYPE.get(self.type, "other")
        if self.water_source is None:
            fields["water_source"] = self.type in WATER_SOURCE_TYPES and "water" in self.provides
        return self

    @property
    def label(self) -> str:
        """The display name (defaults to the id)."""
        return self.name or self.id


class InfrastructureModel(_Strict):
    """A municipality's critical infrastructure: districts, resources, assets."""

    format: Literal["cybrelia.infrastructure/1"]
    id: str | None = None
    name: str | None = None
    description: str = ""
    districts: list[District] = Field(default_factory=list)
    resources: list[Resource] = Field(default_factory=list)
    assets: list[Asset] = Field(default_factory=list)
    cyber_links: list[tuple[str, str]] = Field(default_factory=list)
    declared_zones: list[Zone] | None = Field(default=None, alias="zones")
    """The zones the model declares (MODEL.md 1.1), or None: any name is a zone."""
    base: str | None = Field(default=None, min_length=1)
    """The place on the road network crews and vehicles set out from."""

    def asset_index(self) -> dict[str, Asset]:
        """Assets by id."""
        return {asset.id: asset for asset in self.assets}

    def district_index(self) -> dict[str, District]:
        """Districts by id."""
        return {district.id: district for district in self.districts}

    def zones(self) -> set[str]:
        """The hazard zones: those declared (MODEL.md 1.1), else every one an asset lies in."""
        if self.declared_zones is not None:
            return {zone.id for zone in self.declared_zones}
        return {zone for asset in self.assets for zone in asset.zones}
