"""Typed objects for scenario files (MODEL.md, section 4).

A scenario names its infrastructure model and lists timed injects.  The
engine reads only each inject's ``effects``; the exercise layer adds its own
fields (messages, teams, expectations, conditions).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from cybrelia.durations import parse_duration
from cybrelia.model import Duration

__all__ = [
    "ASSET_VERBS",
    "SCENARIO_FORMAT",
    "VERBS",
    "Effect",
    "Inject",
    "Scenario",
    "Spread",
]

SCENARIO_FORMAT = "cybrelia.scenario/1"

#: Effect verbs that target assets by id, in the order the contract lists them.
ASSET_VERBS = ("damage", "compromise", "repair", "restore", "isolate", "reconnect")
#: Every effect verb.
VERBS = ("damage", "damage_zone", "compromise", "repair", "restore", "isolate", "reconnect")


def _as_list(value: object) -> object:
    """Accept ``damage: gpz-1`` as well as ``damage: [gpz-1]``."""
    if isinstance(value, str):
        return [value]
    return value


Targets = Annotated[list[str], BeforeValidator(_as_list)]


class Spread(BaseModel):
    """How a compromise moves along ``cyber_links`` (MODEL.md 3.7)."""

    model_config = ConfigDict(extra="forbid")

    every: Annotated[float, BeforeValidator(parse_duration), Field(gt=0.0)]
    probability: float = Field(ge=0.0, le=1.0)


class Effect(BaseModel):
    """One change to the infrastructure: exactly one verb and its targets."""

    model_config = ConfigDict(extra="forbid")

    damage: Targets | None = None
    damage_zone: Targets | None = None
    compromise: Targets | None = None
    spread: Spread | None = None
    repair: Targets | None = None
    restore: Targets | None = None
    isolate: Targets | None = None
    reconnect: Targets | None = None

    @model_validator(mode="after")
    def _one_verb(self) -> Effect:
        verbs = [verb for verb in VERBS if getattr(self, verb) is not None]
        if len(verbs) != 1:
            raise ValueError(
                "an effect needs exactly one of " + ", ".join(VERBS) + f"; found {len(verbs)}"
            )
        if self.spread is not None and verbs[0] != "compromise":
            raise ValueError("spread applies only to compromise")
        return self

    @property
    def verb(self) -> str:
        """The effect's verb, such as ``damage``."""
        return next(verb for verb in VERBS if getattr(self, verb) is not None)

    @property
    def targets(self) -> list[str]:
        """Asset ids, or zone names for ``damage_zone``."""
        targets: list[str] = getattr(self, self.verb)
        return targets


class Inject(BaseModel):
    """A timed entry of the master scenario events list."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    at: Duration
    effects: list[Effect] = Field(default_factory=list)


class Scenario(BaseModel):
    """A scenario: its model, its start, its length, its seed and its injects."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["cybrelia.scenario/1"]
    id: str | None = None
    title: str | None = None
    description: str = ""
    infrastructure: str = Field(min_length=1)
    start: datetime | None = None
    duration: Duration = 72.0
    seed: int = Field(default=0, ge=0)
    injects: list[Inject] = Field(default_factory=list)
