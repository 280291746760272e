"""The headless driver: play a whole exercise from a response script.

``cybrelia run`` uses it for rehearsals, demos and tests.  Every input is
tagged with its place in the script, so ``--resume`` after a crash continues
with exactly the entries not yet recorded, and the resumed session exports
the same as one that ran straight through.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import suppress
from typing import Any, Protocol

from cybrelia.exercise.core import Exercise
from cybrelia.exercise.session import Session
from cybrelia.exercise.types import ActionRequest, Rating, Refusal
from cybrelia.files.durations import quantize
from cybrelia.files.responses import Entry, Responses

__all__ = ["PACE_STEP_HOURS", "Inputs", "perform", "play", "play_exercise", "play_into"]

#: With ``pace``, the clock advances in steps of this many sim hours.
PACE_STEP_HOURS = 0.25


def play(
    session: Session,
    responses: Responses,
    *,
    pace: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Play ``responses`` on ``session`` to the scenario's end.

    Parameters
    ----------
    session
        A new session, or one reopened to resume; entries it recorded already
        are not played again.
    responses
        The script.
    pace
        Wall seconds per sim hour; None runs as fast as possible.
    sleep
        How to wait (tests pass a fake).
    """
    done = {
        entry.payload["_script"]
        for entry in session.journal.inputs()
        if isinstance(entry.payload.get("_script"), int)
    }
    for index, entry in responses.in_order():
        if index in done:
            continue
        _advance(session, min(entry.at, session.end), pace, sleep)
        with session.tagged(script=index), suppress(Refusal):
            perform(session, entry)
    _advance(session, session.end, pace, sleep)


def _advance(
    session: Session, target: float, pace: float | None, sleep: Callable[[float], None]
) -> None:
    if target <= session.now:
        return
    if pace is None:
        session.advance_to(target)
        return
    while target - session.now > 1e-9:
        step = min(PACE_STEP_HOURS, target - session.now)
        sleep(step * pace)
        session.advance_to(session.now + step if step < target - session.now else target)


class Inputs(Protocol):
    """What a script entry is performed on: a :class:`Session`, or an exercise directly."""

    def submit(self, request: ActionRequest) -> Any: ...
    def rate(
        self,
        inject_id: str,
        team: str,
        rating: Rating,
        note: str = "",
        *,
        analysis: str = "",
        root_cause: str = "",
    ) -> None: ...
    def rate_capability(
        self,
        capability: str,
        rating: Rating,
        note: str = "",
        *,
        team: str = "",
        analysis: str = "",
        root_cause: str = "",
    ) -> None: ...
    def note(self, text: str, team: str | None = None) -> None: ...
    def deliver(self, inject_id: str) -> None: ...
    def skip(self, inject_id: str) -> None: ...
    def cancel(self, action_id: str) -> None: ...
    def confirm(self, expectation_id: str) -> None: ...


def play_into(exercise: Exercise, responses: Responses, until: float | None = None) -> None:
    """Play ``responses`` straight into an exercise (no journal), to ``until`` or its end.

    The outcome index plays the scenario's reference script this way; a refused
    entry is skipped, as :func:`play` skips it.
    """
    end = exercise.scenario.duration if until is None else until
    for _, entry in responses.in_order():
        if entry.at > end:
            break
        exercise.advance_to(entry.at)
        with suppress(Refusal):
            perform(exercise, entry)
    exercise.advance_to(end)


def play_exercise(
    exercise: Exercise, responses: Responses | None, *, team_inputs: bool = True
) -> None:
    """Play ``responses`` on a bare exercise to the scenario's end, exactly as :func:`play`.

    The dry runs use it: the same inputs at the same sim times as :func:`play` on a
    session (an entry past the end is carried out at the end, as there), so a run
    reopened as a session (``cybrelia dryrun replay``) ends in the same state.
    Without ``team_inputs`` the teams' entries (actions, cancellations, ratings) are
    left out: the no-action baseline, as the export replays it.
    """
    end = exercise.scenario.duration
    for _, entry in responses.in_order() if responses is not None else ():
        if not team_inputs and (entry.action or entry.cancel or entry.rate) is not None:
            continue
        target = min(quantize(entry.at), end)
        if target > exercise.now:
            exercise.advance_to(target)
        with suppress(Refusal):
            perform(exercise, entry)
    if end > exercise.now:
        exercise.advance_to(end)


def perform(session: Inputs, entry: Entry) -> None:
    """Carry out one script entry."""
    if entry.action is not None:
        a = entry.action
        session.submit(
            ActionRequest(a.team, a.action, a.target, dict(a.params), a.note, a.priority, a.ref)
        )
    elif entry.rate is not None:
        rate = entry.rate
        findings = {"analysis": rate.analysis, "root_cause": rate.root_cause}
        if rate.capability is not None:
            session.rate_capability(
                rate.capability, rate.rating, rate.note, team=rate.team or "", **findings
            )
        elif rate.inject is not None and rate.team is not None:
            session.rate(rate.inject, rate.team, rate.rating, rate.note, **findings)
    elif entry.note is not None:
        session.note(entry.note.text, entry.note.team)
    elif entry.deliver is not None:
        session.deliver(entry.deliver)
    elif entry.skip is not None:
        session.skip(entry.skip)
    elif entry.cancel is not None:
        session.cancel(entry.cancel)
    elif entry.confirm is not None:
        session.confirm(entry.confirm)
