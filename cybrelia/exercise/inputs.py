"""What each kind of journal input may hold: every row is checked before it is replayed.

A journal is a file on a facilitator's disk; it can be damaged, or edited by
hand.  A replay trusts nothing it reads: each input's kind must be known, its
payload must have the fields of that kind with the right types, and its times
must be finite, in order and within the scenario.  The first input that fails
is named in a :class:`~cybrelia.exercise.journal.JournalError`; the file itself
is never changed, so nothing recorded is lost.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cybrelia.exercise.journal import Input, Journal, JournalError
from cybrelia.files.limits import MAX_HOURS
from cybrelia.files.sanitize import one_line

__all__ = ["INPUT_KINDS", "checked_inputs", "journal_seed"]


class _Payload(BaseModel):
    """Fields beyond a kind's own (the driver's ``_script`` tags) are kept as they are."""

    model_config = ConfigDict(extra="allow", allow_inf_nan=False, strict=True)


class _Inject(_Payload):
    inject: str


class _Undeliver(_Payload):
    inject: str
    note: str


class _Edit(_Payload):
    inject: str
    changes: dict[str, Any]


class _Adhoc(_Payload):
    inject: dict[str, Any]


class _Action(_Payload):
    team: str
    action: str
    target: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    note: str = ""
    priority: int = 0


class _Cancel(_Payload):
    action: str


class _Rate(_Payload):
    inject: str
    team: str
    rating: Literal["P", "S", "M", "U"]
    note: str
    analysis: str = ""
    root_cause: str = ""


class _RateCapability(_Payload):
    capability: str
    team: str = ""
    rating: Literal["P", "S", "M", "U"]
    note: str
    analysis: str = ""
    root_cause: str = ""


class _Note(_Payload):
    text: str
    team: str | None = None


class _Confirm(_Payload):
    expectation: str


class _Advance(_Payload):
    to: float = Field(ge=0.0, le=MAX_HOURS)


class _Clock(_Payload):
    running: bool
    speed: float = Field(gt=0.0)


_PAYLOADS: dict[str, type[_Payload]] = {
    "deliver": _Inject,
    "skip": _Inject,
    "undeliver": _Undeliver,
    "edit": _Edit,
    "adhoc": _Adhoc,
    "action": _Action,
    "cancel": _Cancel,
    "rate": _Rate,
    "rate_capability": _RateCapability,
    "note": _Note,
    "confirm": _Confirm,
    "advance": _Advance,
    "clock": _Clock,
}

#: Every kind of input a journal may hold.
INPUT_KINDS = frozenset(_PAYLOADS)


def journal_seed(journal: Journal) -> int:
    """The seed the session was started with."""
    text = journal.meta.get("seed", "")
    if not text.isdigit() or len(text) > 20:
        raise JournalError("journal.seed_damaged", path=journal.path, seed=repr(one_line(text)))
    return int(text)


def checked_inputs(journal: Journal, duration: float) -> Iterator[Input]:
    """The journal's inputs, each checked against its kind and the scenario's ``duration``.

    Raises
    ------
    JournalError
        Naming the first input that is damaged or was edited.
    """
    for entry in journal.inputs():
        problem = _problem(entry, duration)
        if problem is not None:
            raise JournalError(
                "journal.input_damaged",
                path=journal.path,
                seq=entry.seq,
                kind=one_line(entry.kind),
                problem=problem,
            )
        yield entry


def _problem(entry: Input, duration: float) -> str | None:
    model = _PAYLOADS.get(entry.kind)
    if model is None:
        return "unknown kind of input"
    if entry.sim_time > duration + 1e-9:
        return f"its time {entry.sim_time:g} h lies after the scenario's end ({duration:g} h)"
    try:
        payload = model.model_validate(entry.payload)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "payload"
        return f"{where}: {one_line(str(first['msg']))}"
    if isinstance(payload, _Advance) and payload.to > duration + 1e-9:
        return f"it advances to {payload.to:g} h, after the scenario's end ({duration:g} h)"
    return None
