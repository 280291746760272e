"""One replication of a dry run: the run with the plan's script, its baseline, one row.

A row (docs/dryrun.md, "Columns") holds the run number and seed, the sampled
values, the outcome index and harms of the evaluation
(:mod:`cybrelia.exercise.outcome`: the run against the no-action baseline and
the scenario's reference script, both played in the same draws), points,
people in need (peak, person-hours, and at every full hour for the fan chart),
person-hours without each service, and when each critical facility first went
down.  Everything in it is a pure function of the plan and the run number.
"""

from __future__ import annotations

import gc
import math
from dataclasses import dataclass
from typing import Any

from cybrelia.ensemble.plan import Prepared, Variation, prepare
from cybrelia.exercise.core import SERVICES_SHOWN, Exercise
from cybrelia.exercise.driver import play_exercise
from cybrelia.exercise.events import ExerciseEvent, MetricsEvent, StateEvent
from cybrelia.exercise.outcome import harm, outcome_index
from cybrelia.exercise.scoring import outcome, points
from cybrelia.files.responses import Responses

__all__ = ["Column", "Tracker", "columns", "freeze_heap", "replicate", "replicate_many"]


@dataclass(frozen=True)
class Column:
    """A column of the results: its name and type (``int``, ``float`` or ``str``)."""

    name: str
    kind: str


def services(prepared: Prepared) -> list[str]:
    """The services whose person-hours a row carries: those residents get from assets."""
    model = prepared.loaded.model
    served = {s for a in model.assets if a.serves for s in a.provides}
    return sorted(served | set(SERVICES_SHOWN))


def critical(prepared: Prepared) -> list[str]:
    """The critical facilities, by id."""
    return sorted(a.id for a in prepared.loaded.model.assets if a.critical)


def hours(prepared: Prepared) -> list[int]:
    """The full hours at which people in need are sampled: 0 to the scenario's end."""
    return list(range(math.floor(prepared.loaded.scenario.duration) + 1))


def columns(prepared: Prepared, draws: list[str], *, plan_column: bool = False) -> list[Column]:
    """The columns of every row of the plan, in order (``draws``: the sampled columns)."""
    out = [Column("run", "int")]
    if plan_column:
        out.append(Column("plan", "str"))
    out.append(Column("seed", "int"))
    out += [Column(name, "float") for name in draws]
    out += [
        Column("outcome_index", "float"),
        Column("harm", "float"),
        Column("harm_baseline", "float"),
        Column("harm_reference", "float"),
        Column("points", "float"),
        Column("points_max", "int"),
        Column("people_in_need_peak", "int"),
        Column("person_hours_in_need", "float"),
    ]
    out += [Column(f"person_hours.{s}", "float") for s in services(prepared)]
    out.append(Column("critical_downs", "int"))
    out += [Column(f"first_down.{a}", "float") for a in critical(prepared)]
    out += [Column(f"in_need.{h}h", "int") for h in hours(prepared)]
    return out


class Tracker:
    """Follows a run's events: people in need at each full hour, critical facilities down."""

    def __init__(self, exercise: Exercise, sample_hours: list[int]) -> None:
        self._critical = {a.id for a in exercise.model.assets if a.critical}
        self._hours = sample_hours
        self._next = 0
        self._last = 0
        self.in_need: list[int] = []
        self.downs = 0
        self.first_down: dict[str, float] = {}
        self._down: set[str] = set()
        exercise.subscribe(self._on_event)

    def _on_event(self, event: ExerciseEvent) -> None:
        if isinstance(event, MetricsEvent):
            self._until(event.t, inclusive=False)
            self._last = event.people_in_need
        elif isinstance(event, StateEvent):
            for change in event.step.assets:
                if change.asset not in self._critical:
                    continue
                if change.state == "down" and change.asset not in self._down:
                    self._down.add(change.asset)
                    self.downs += 1
                    self.first_down.setdefault(change.asset, change.t)
                elif change.state != "down":
                    self._down.discard(change.asset)

    def _until(self, t: float, *, inclusive: bool) -> None:
        """Record the figure in force at every sample hour before ``t`` (or at it)."""
        while self._next < len(self._hours) and (
            self._hours[self._next] < t or (inclusive and self._hours[self._next] <= t)
        ):
            self.in_need.append(self._last)
            self._next += 1

    def finish(self, t: float) -> list[int]:
        """The series, once the run has reached its end ``t``."""
        self._until(t, inclusive=True)
        return self.in_need


def replicate(
    prepared: Prepared, run: int, draws: tuple[str, ...], *, label: str | None = None
) -> list[Any]:
    """Play run ``run`` and its baseline; the row, in the order of :func:`columns`."""
    variation = prepared.variation(run)
    actual = Exercise(variation.loaded, seed=variation.seed)
    tracker = Tracker(actual, hours(prepared))
    play_exercise(actual, variation.responses)
    harm_run = harm(actual)
    harm_baseline = harm_run  # without a script the run is its own no-action baseline
    if variation.responses is not None:
        harm_baseline = _harm_played(variation, variation.responses, team_inputs=False)
    harm_reference: float | None = None  # no reference script: the index is undefined
    if variation.responses is prepared.reference is not None:  # the run plays it as written
        harm_reference = harm_run
    elif prepared.reference is not None:
        harm_reference = _harm_played(variation, prepared.reference)
    index = outcome_index(harm_run, harm_baseline, harm_reference)
    figures = outcome(actual)
    score = points(actual)
    row: list[Any] = [run]
    if label is not None:
        row.append(label)
    row.append(variation.seed)
    row += [variation.draws.get(column, math.nan) for column in draws]
    row += [
        math.nan if index is None else index,
        harm_run,
        harm_baseline,
        math.nan if harm_reference is None else harm_reference,
        float(score["points"]),
        int(score["max"]),
        int(figures["people_in_need_peak"]),
        float(figures["people_in_need_person_hours"]),
    ]
    row += [float(figures["person_hours"].get(s, 0.0)) for s in services(prepared)]
    row.append(tracker.downs)
    row += [tracker.first_down.get(a, math.nan) for a in critical(prepared)]
    row += tracker.finish(actual.now)
    return row


def _harm_played(variation: Variation, script: Responses, *, team_inputs: bool = True) -> float:
    """Harm of ``script`` played in the run's draws and seed (the baseline or the reference)."""
    exercise = Exercise(variation.loaded, seed=variation.seed)
    play_exercise(exercise, script, team_inputs=team_inputs)
    return harm(exercise)


def replicate_many(task: tuple[Any, list[int], str | None, tuple[str, ...]]) -> list[list[Any]]:
    """Rows of a chunk of runs: what a worker computes (``(plan, runs, label, draws)``)."""
    plan, runs, label, draws = task
    prepared = prepare(plan)
    return [replicate(prepared, run, draws, label=label) for run in runs]


def freeze_heap() -> None:
    """Take what is alive now (the plan, its model and scenario) out of the cyclic
    garbage collector's sight for the rest of the process.

    A dry run's workers on this machine call it once they hold their plans
    (:mod:`cybrelia.ensemble.runner`).  A worker holds a plan for all its runs, and
    every run allocates enough for the collector to go through the whole heap now
    and then: on the reference gmina a full collection took about a fifth of a
    scripted replication's time, almost all of it on objects that live as long as
    the worker.  ``gc.freeze`` moves them
    to a generation it never scans (after a collection, so no garbage is frozen);
    they are still freed by reference counting (a cycle among them is not, so a
    process that lives on after the runs calls ``gc.unfreeze()``), and nothing a
    run computes depends on when the collector runs.
    """
    gc.collect()
    gc.freeze()
