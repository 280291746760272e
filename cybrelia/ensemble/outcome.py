"""The outcome figures of one replication: harm, against the no-action baseline.

This is the one place that says what *harm* is and how the outcome index is
formed, so that adopting the evaluation's index (issue 14: harm weighted for
life safety, against the baseline and the bundled reference script) is a change
of :func:`outcome_index` alone.  Until then harm is the exercise layer's
person-hours in need (:func:`cybrelia.exercise.scoring.outcome`) and the index
is the share of the no-action harm the teams avoided: 0 for doing nothing, 1
for avoiding all of it, negative if the run did worse than doing nothing, and
undefined (NaN) where the baseline has no harm.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cybrelia.exercise.core import Exercise
from cybrelia.exercise.scoring import outcome

__all__ = ["Outcome", "harm", "outcome_index"]


@dataclass(frozen=True)
class Outcome:
    """Harm of a run and of its baseline, and the index formed from them."""

    harm: float
    harm_baseline: float
    index: float


def harm(exercise: Exercise) -> float:
    """Person-hours in need so far (residents in need, integrated over time)."""
    return float(outcome(exercise)["people_in_need_person_hours"])


def outcome_index(actual: Exercise, baseline: Exercise) -> Outcome:
    """The run's harm, the baseline's, and the share of the baseline's harm avoided."""
    run, base = harm(actual), harm(baseline)
    index = (base - run) / base if base > 0 else math.nan
    return Outcome(run, base, round(index, 6) if base > 0 else index)
