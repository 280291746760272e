"""Paired comparison of two plans on common random numbers.

Run ``r`` of plan A and run ``r`` of plan B share their seed and every draw of
an input both vary (:mod:`cybrelia.ensemble.plan`), so their difference is the
effect of what differs between the plans, and the noise that both runs share
cancels.  The interval is Student's t on the ``n`` paired differences
(``mean +- t(0.975, n-1) * sd / sqrt(n)``); beside it the unpaired (Welch)
interval of the same runs shows what the pairing gained.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from cybrelia.i18n import lookup

__all__ = ["FIGURES", "Difference", "figure_name", "paired_difference"]

#: The figures a comparison reports (their names: :func:`figure_name`).
FIGURES = (
    "harm",
    "people_in_need_peak",
    "outcome_index",
    "points",
    "person_hours.water",
    "person_hours.heat",
    "person_hours.power",
)


def figure_name(column: str, lang: str) -> str:
    """A figure's name for people (``dryrun.figure.*`` in the catalogue), else the column."""
    return lookup(f"dryrun.figure.{column}", lang, column)


@dataclass(frozen=True)
class Difference:
    """Mean of B minus A over paired runs, with its confidence interval."""

    figure: str
    n: int
    mean_a: float
    mean_b: float
    mean: float
    low: float
    high: float
    unpaired_low: float
    unpaired_high: float
    level: float = 0.95

    @property
    def significant(self) -> bool:
        """Whether the interval leaves zero out."""
        return self.low > 0 or self.high < 0


def paired_difference(
    figure: str, a: np.ndarray, b: np.ndarray, *, level: float = 0.95
) -> Difference:
    """The difference B - A of one figure over runs paired by run number.

    Runs where either value is missing (NaN) are left out of both.
    """
    keep = ~(np.isnan(a) | np.isnan(b))
    a, b = a[keep], b[keep]
    n = int(a.size)
    diff = b - a
    mean = float(diff.mean()) if n else math.nan
    if n < 2:
        return Difference(
            figure, n, _mean(a), _mean(b), mean, math.nan, math.nan, math.nan, math.nan, level
        )
    t = float(stats.t.ppf(0.5 + level / 2, n - 1))
    half = t * float(diff.std(ddof=1)) / math.sqrt(n)
    va, vb = float(a.var(ddof=1)) / n, float(b.var(ddof=1)) / n
    se = math.sqrt(va + vb)
    if se > 0:
        dof = (va + vb) ** 2 / ((va**2 + vb**2) / (n - 1)) if va + vb > 0 else n - 1
        unpaired = float(stats.t.ppf(0.5 + level / 2, dof)) * se
    else:
        unpaired = 0.0
    return Difference(
        figure,
        n,
        _mean(a),
        _mean(b),
        mean,
        mean - half,
        mean + half,
        mean - unpaired,
        mean + unpaired,
        level,
    )


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if values.size else math.nan
