"""The typed events a session reports to its subscribers.

Attributes go down to clients (the TUI reads the session's state), messages
come up as these events.  Each is a plain frozen dataclass with ``t`` in sim
hours, so a network transport for participant consoles can serialise them as
they are (:func:`to_record`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Generic, Literal, TypeVar

from cybrelia.engine.cascade import Step
from cybrelia.files.durations import format_duration

__all__ = [
    "ActionEvent",
    "ActionStatus",
    "BuiltOnRead",
    "ClockChanged",
    "Detail",
    "ExerciseEvent",
    "InjectEvent",
    "MessageEvent",
    "MetricsEvent",
    "Named",
    "NoteEvent",
    "RatingEvent",
    "ScoreEvent",
    "StateEvent",
    "to_record",
]

T = TypeVar("T")

ActionStatus = Literal[
    "submitted", "refused", "queued", "started", "completed", "failed", "cancelled"
]

NamedKind = Literal["resource", "resource_kind", "channel", "area", "hours"]


@dataclass(frozen=True)
class Named:
    """A field of an action's detail that names a thing of the exercise, or a duration.

    The journal's and the export's details write it as they always did (a
    resource's, a kind's, a channel's or an area's id; a duration as ``1d4h55m``), so their
    text stays the same; a console shows it in words instead (the resource's name,
    ``3 h 20 min``): :func:`cybrelia.exercise.wording.detail_text`.
    """

    what: NamedKind
    value: str | float

    def __call__(self, lang: str) -> str:
        """The field as the records write it (in every language)."""
        if self.what == "hours":
            return format_duration(float(self.value))
        return str(self.value)

    @classmethod
    def resource(cls, resource_id: str) -> Named:
        """A resource (a pool of the model's or one support brought) by its id."""
        return cls("resource", resource_id)

    @classmethod
    def kind(cls, kind: str) -> Named:
        """A kind of resource (``power_crew``)."""
        return cls("resource_kind", kind)

    @classmethod
    def channel(cls, channel: str) -> Named:
        """A channel (``sirens``, ``phone``)."""
        return cls("channel", channel)

    @classmethod
    def area(cls, area: str) -> Named:
        """An area: a district, a hazard zone, or ``all`` (the whole gmina)."""
        return cls("area", area)

    @classmethod
    def hours(cls, hours: float) -> Named:
        """A duration in hours."""
        return cls("hours", hours)


@dataclass(frozen=True)
class Detail:
    """What an action's detail says, as the catalogue message and its fields.

    The event's ``detail`` and ``detail_pl`` are this message written for the
    records; a console writes it again in its own words from these.
    """

    key: str
    fields: Mapping[str, object] = field(default_factory=dict)


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


class BuiltOnRead(Generic[T]):
    """A dataclass field that may be given as a function of nothing building its value: the
    function is called when the field is first read, and its value kept.

    A text in both languages (:func:`cybrelia.i18n.both`) costs a catalogue look-up and
    numbers formatted by Babel per language; a dry run plays thousands of exercises and
    reads none of their messages and details.  The function must be pure (its fields
    already computed), so the text is what it would have been when it was made.
    ``BuiltOnRead(default)`` gives the field a default.
    """

    def __init__(self, *default: T) -> None:
        self._default = default

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def __get__(self, holder: object, owner: type | None = None) -> T:
        if holder is None:  # the class's: the field's default, if it has one (dataclass)
            if self._default:
                return self._default[0]
            raise AttributeError(self._name)
        value: T | Callable[[], T] = holder.__dict__[self._name]
        if callable(value):
            value = holder.__dict__[self._name] = value()
        return value

    def __set__(self, holder: object, value: T | Callable[[], T]) -> None:
        holder.__dict__[self._name] = value


def _built(holder: object) -> dict[str, Any]:
    """The instance dictionary of ``holder`` with every :class:`BuiltOnRead` field built
    (for pickling: the functions need not be picklable)."""
    state = dict(holder.__dict__)
    for name, value in vars(type(holder)).items():
        if isinstance(value, BuiltOnRead):
            state[name] = getattr(holder, name)
    return state


@dataclass(frozen=True)
class MessageEvent:
    """A consequence message the simulation sends to the teams concerned.

    ``text`` may be given as a function that builds it, called when it is first read.
    """

    t: float
    topic: str
    subject: str
    to: tuple[str, ...]
    text: BuiltOnRead[dict[str, str]] = BuiltOnRead()
    said: Detail | None = field(default=None, compare=False)
    """The text as a message and its fields, for a console to write in words (not
    recorded: :func:`to_record`)."""

    def __getstate__(self) -> dict[str, Any]:
        """Pickled with its text built."""
        return _built(self)


@dataclass(frozen=True)
class ActionEvent:
    """A step in the life of a team's action."""

    t: float
    action_id: str
    team: str
    action: str
    target: str | None
    status: ActionStatus
    detail: BuiltOnRead[str] = BuiltOnRead("")
    detail_pl: BuiltOnRead[str] = BuiltOnRead("")
    """Either may be given as a function that builds it, called when it is first read."""
    reason: Detail | None = field(default=None, compare=False)
    """The detail as a message and its fields (not recorded: :func:`to_record`)."""

    def detail_in(self, lang: str) -> str:
        """The detail in ``lang`` (``pl`` or ``en``)."""
        return self.detail_pl if lang == "pl" and self.detail_pl else self.detail

    def __getstate__(self) -> dict[str, Any]:
        """Pickled with its details built."""
        return _built(self)


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
    # A console's words, not the records': a record is as it always was.
    if isinstance(event, ActionEvent):
        event = replace(event, reason=None)
    elif isinstance(event, MessageEvent):
        event = replace(event, said=None)
    body = asdict(event)
    body.pop("reason", None)
    body.pop("said", None)
    t = body.pop("t")
    return {"t": t, "kind": kind, **body}
