"""The typed events a session reports to its subscribers.

Attributes go down to clients (the TUI reads the session's state), messages
come up as these events.  Each is a plain frozen dataclass with ``t`` in sim
hours, so a network transport for participant consoles can serialise them as
they are (:func:`to_record`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from cybrelia.engine.cascade import Step

__all__ = [
    "ActionEvent",
    "ActionStatus",
    "ClockChanged",
    "ExerciseEvent",
    "InjectEvent",
    "MessageEvent",
    "MetricsEvent",
    "NoteEvent",
    "RatingEvent",
    "ScoreEvent",
    "StateEvent",
    "to_record",
]

ActionStatus = Literal[
    "submitted", "refused", "queued", "started", "completed", "failed", "cancelled"
]


@dataclass(frozen=True)
class InjectEvent:
    """An inject delivered, skipped, edited or undelivered (taken back) by the facilitator."""

    t: float
    inject: str
    status: Literal["delivered", "skipped", "edited", "undelivered"]
    to: tuple[str, ...] = ()
    channel: str | None = None
    title: dict[str, str] | None = None
    message: dict[str, str] | None = None
    adhoc: bool = False


class _BuiltOnRead:
    """A dataclass field that may be given as a function of nothing building its value: the
    function is called when the field is first read, and its value kept.

    A consequence message is in both languages (:func:`cybrelia.i18n.both`), which costs
    a catalogue look-up and a number formatted by Babel per language; a dry run plays
    thousands of exercises and reads none of their messages.  The function must be pure
    (its fields already computed), so the text is what it would have been when sent.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def __get__(self, event: object, owner: type | None = None) -> dict[str, str]:
        if event is None:
            raise AttributeError(self._name)  # for dataclass: the field has no default
        value: dict[str, str] | Callable[[], dict[str, str]] = event.__dict__[self._name]
        if callable(value):
            value = event.__dict__[self._name] = value()
        return value

    def __set__(self, event: object, value: dict[str, str] | Callable[[], dict[str, str]]) -> None:
        event.__dict__[self._name] = value


@dataclass(frozen=True)
class MessageEvent:
    """A consequence message the simulation sends to the teams concerned.

    ``text`` may be given as a function that builds it, called when it is first read.
    """

    t: float
    topic: str
    subject: str
    to: tuple[str, ...]
    text: _BuiltOnRead = _BuiltOnRead()

    def __getstate__(self) -> dict[str, Any]:
        """Pickled with its text built (the function need not be picklable)."""
        return {**self.__dict__, "text": self.text}


@dataclass(frozen=True)
class ActionEvent:
    """A step in the life of a team's action."""

    t: float
    action_id: str
    team: str
    action: str
    target: str | None
    status: ActionStatus
    detail: str = ""
    detail_pl: str = ""

    def detail_in(self, lang: str) -> str:
        """The detail in ``lang`` (``pl`` or ``en``)."""
        return self.detail_pl if lang == "pl" and self.detail_pl else self.detail


@dataclass(frozen=True)
class ScoreEvent:
    """An expectation met, met late, missed, or withdrawn (its action was cancelled)."""

    t: float
    expectation: str
    inject: str
    team: str
    pillar: int
    status: Literal["met", "late", "missed", "withdrawn"]
    points: float
    max_points: int
    action_id: str | None = None


@dataclass(frozen=True)
class RatingEvent:
    """A facilitator's HSEEP rating: of a team's response to an inject, or of a capability.

    An inject rating names its ``inject`` and ``team`` (``capability`` empty); a
    capability rating names its core ``capability`` (an id of
    :mod:`cybrelia.files.capabilities`) and leaves ``inject`` empty, with
    ``team`` empty when it rates all the teams together.  ``note`` is the
    observation; ``analysis`` and ``root_cause`` are the HSEEP fields filed with
    it under the strength or area for improvement it becomes.
    """

    t: float
    inject: str
    team: str
    rating: Literal["P", "S", "M", "U"]
    note: str = ""
    capability: str = ""
    analysis: str = ""
    root_cause: str = ""


@dataclass(frozen=True)
class NoteEvent:
    """A facilitator's note in the decision log."""

    t: float
    text: str
    team: str | None = None


@dataclass(frozen=True)
class MetricsEvent:
    """The live figures at ``t``: a sample on the grid or after a change."""

    t: float
    people_without: dict[str, int]
    people_in_need: int
    vulnerable_at_risk: int
    critical_down: int
    believers: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class StateEvent:
    """The engine's net changes of an instant."""

    t: float
    step: Step


@dataclass(frozen=True)
class ClockChanged:
    """The facilitator paused, resumed or changed the speed."""

    t: float
    running: bool
    speed: float


ExerciseEvent = (
    InjectEvent
    | MessageEvent
    | ActionEvent
    | ScoreEvent
    | RatingEvent
    | NoteEvent
    | MetricsEvent
    | StateEvent
    | ClockChanged
)


def to_record(event: ExerciseEvent) -> dict[str, Any]:
    """A JSON-ready record of an event, with its kind."""
    kind = {
        InjectEvent: "inject",
        MessageEvent: "message",
        ActionEvent: "action",
        ScoreEvent: "score",
        RatingEvent: "rating",
        NoteEvent: "note",
        MetricsEvent: "metric",
        StateEvent: "state",
        ClockChanged: "clock",
    }[type(event)]
    body = asdict(event)
    t = body.pop("t")
    return {"t": t, "kind": kind, **body}
