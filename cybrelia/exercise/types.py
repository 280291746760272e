"""The value types the exercise shares with its response actions, and the host they act on.

:mod:`cybrelia.exercise.actions` needs the exercise's clock, engine, pools and
figures, and :mod:`cybrelia.exercise.core` starts the actions: typing the
actions against the narrow :class:`ActionHost` protocol (implemented by
:class:`~cybrelia.exercise.core.Exercise`) instead of the whole class keeps the
imports one way, core -> actions -> types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

import simpy

from cybrelia.engine.cascade import BufferSpec, Engine
from cybrelia.engine.clock import GridEnvironment
from cybrelia.exercise.events import ActionStatus, BuiltOnRead, Detail
from cybrelia.exercise.informed import Information
from cybrelia.exercise.orders import Orders
from cybrelia.exercise.population import Population
from cybrelia.exercise.resources import Pool
from cybrelia.exercise.world import World
from cybrelia.files.model import Asset
from cybrelia.files.scenario import WorldSettings
from cybrelia.i18n import MessageError

__all__ = [
    "ActionHost",
    "ActionRequest",
    "ActionState",
    "Deployment",
    "Rating",
    "Refusal",
]

Rating = Literal["P", "S", "M", "U"]


class Refusal(MessageError):
    """An input that cannot be carried out now, with the reason people read.

    The reason is a message of the catalogue and its fields:
    ``Refusal("refusal.unknown_team", team="ops")`` (:class:`cybrelia.i18n.MessageError`).
    """


@dataclass(frozen=True)
class ActionRequest:
    """What a team asks for: an action on a target, with optional parameters."""

    team: str
    action: str
    target: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    priority: int = 0
    ref: str | None = None
    """A name the team (or its script) gives the action, to cancel it by."""


@dataclass
class ActionState:
    """A submitted action and where it stands."""

    id: str
    request: ActionRequest
    submitted_at: float
    status: ActionStatus = "submitted"
    # A descriptor, one per class as every descriptor is (it keeps nothing of its own).
    detail: BuiltOnRead[str] = BuiltOnRead("")  # noqa: RUF009
    detail_pl: BuiltOnRead[str] = BuiltOnRead("")  # noqa: RUF009
    """Either may be given as a function that builds it, called when it is first read."""
    reason: Detail | None = None
    """The latest detail as a message and its fields, for a console to write in words."""
    reason_at: float = 0.0
    """When the latest detail was given (a console counts down from it: on site in 20 min)."""
    finished_at: float | None = None
    process: simpy.Process | None = None
    effective_at: float | None = None
    """When its effect began (a repair done, a generator running, a shelter open)."""
    share: float = 1.0
    """How much of the intended effect it had (the share of residents an alert reached)."""

    def detail_in(self, lang: str) -> str:
        """The latest detail in ``lang`` (``pl`` or ``en``)."""
        return self.detail_pl if lang == "pl" and self.detail_pl else self.detail

    @property
    def active(self) -> bool:
        """Queued or under way (can still be cancelled)."""
        return self.status in ("submitted", "queued", "started")


@dataclass
class Deployment:
    """A mobile generator sent to an asset: on its way, then running there."""

    pool: Pool
    request: simpy.resources.resource.PriorityRequest
    action_id: str
    arrived: bool = False
    previous: BufferSpec | None = None
    """The buffer the asset had before, given back on recall."""
    burn: float | None = None
    """Litres per hour of the generator the asset had before, if known."""


class ActionHost(Protocol):
    """What a response action may use of the exercise it runs in."""

    env: GridEnvironment
    engine: Engine
    population: Population
    assets: dict[str, Asset]
    pools: dict[str, Pool]
    world: World
    setting: WorldSettings
    scenario_start: datetime | None
    deployments: dict[str, Deployment]
    manual: dict[str, str]
    information: Information
    orders: Orders

    @property
    def now(self) -> float:
        """Sim time in hours."""

    @property
    def UNTESTED_BACKUP_FAILURE(self) -> float:
        """Chance that a restore from an ``untested`` backup fails."""

    @property
    def DEFAULT_HOURS(self) -> dict[str, float]:
        """Default hours of the open-ended actions."""

    @property
    def SUPPORT_DELAY(self) -> dict[str, float]:
        """Hours until support arrives, by where it comes from."""

    def action_event(
        self, state: ActionState, status: ActionStatus, key: str = "", /, **fields: object
    ) -> None:
        """Record a step of an action: the catalogue message ``key``, in both languages."""

    def took_effect(self, state: ActionState, share: float = 1.0) -> None:
        """The action's effect began now, with ``share`` of what it intended."""

    def draw(self) -> float:
        """A number from the exercise's own seeded generator."""

    def watch_fuel(self, asset_id: str) -> None:
        """Warn the teams before a generator buffer of the asset runs dry."""

    def set_shelter(self, action_id: str, asset_id: str, districts: list[str] | None) -> None:
        """Open (``districts``) or close (None) the warming shelter of an action."""

    def refresh_figures(self) -> None:
        """Recompute the figures now."""

    def informed_changed(self) -> None:
        """Let the behaviours follow a change in who is informed (docs/information.md)."""

    def order_heeded(self, action_id: str, share: float) -> None:
        """The order of action ``action_id`` took effect now, heeded by ``share`` of its area."""
