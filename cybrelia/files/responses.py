"""Typed objects for response scripts (``scenarios/NAME.responses.yaml``).

A script plays a whole exercise headless: for rehearsal, demos and tests.
Each entry is due ``at`` a sim time and does exactly one thing: a team's
``action``, a facilitator's ``rate``, ``note``, ``deliver``, ``skip``,
``cancel`` or ``confirm``.  An action entry may carry ``ref: NAME``; a later
``cancel: NAME`` cancels that action (``cancel: A003`` by its id still works).
``confirm: EXPECTATION`` is the facilitator confirming that a team's note is
the decision record an expectation asks for.  Entries run in time order;
entries at the same time, in file order.
``scenario`` names the scenario file (relative to the script), so that
``cybrelia validate`` can check teams, injects and targets against it.
Loading and checking live in :mod:`cybrelia.files.validation`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from cybrelia.files.actions import ActionName
from cybrelia.files.limits import MAX_COUNT
from cybrelia.files.model import Duration
from cybrelia.files.scenario import one_of

__all__ = ["RESPONSES_FORMAT", "ActionEntry", "Entry", "NoteEntry", "RateEntry", "Responses"]

RESPONSES_FORMAT = "cybrelia.responses/1"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class ActionEntry(_Strict):
    """A team's action."""

    team: str
    action: ActionName
    target: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    note: str = ""
    priority: int = Field(default=0, ge=-MAX_COUNT, le=MAX_COUNT)
    ref: str | None = Field(default=None, min_length=1, pattern=r"^[A-Za-z_][\w.-]*$")
    """A name a later ``cancel`` entry can use for this action."""


class RateEntry(_Strict):
    """A facilitator's HSEEP rating: of a team's response to an ``inject``, or of a ``capability``.

    A capability rating may name a ``team`` (else it rates all teams together);
    an inject rating must.  ``note`` is the observation; ``analysis`` and
    ``root_cause`` are filed with it in the report.
    """

    inject: str | None = None
    capability: str | None = None
    team: str | None = None
    rating: Literal["P", "S", "M", "U"]
    note: str = ""
    analysis: str = ""
    root_cause: str = ""

    @model_validator(mode="after")
    def _rated(self) -> RateEntry:
        one_of(self, ("inject", "capability"), "a rating")
        if self.inject is not None and self.team is None:
            raise ValueError("a rating of an inject needs its team")
        return self


class NoteEntry(_Strict):
    """A note in the decision log."""

    text: str
    team: str | None = None


class Entry(_Strict):
    """One scripted input at a sim time."""

    at: Duration
    action: ActionEntry | None = None
    rate: RateEntry | None = None
    note: NoteEntry | None = None
    deliver: str | None = None
    skip: str | None = None
    cancel: str | None = None
    confirm: str | None = None

    @model_validator(mode="after")
    def _one(self) -> Entry:
        one_of(self, ("action", "rate", "note", "deliver", "skip", "cancel", "confirm"), "an entry")
        return self


class Responses(_Strict):
    """A response script."""

    format: Literal["cybrelia.responses/1"]
    scenario: str | None = None
    description: str = ""
    entries: list[Entry] = Field(default_factory=list)

    def in_order(self) -> list[tuple[int, Entry]]:
        """Entries with their positions, by time then file order."""
        return sorted(enumerate(self.entries), key=lambda item: (item[1].at, item[0]))
