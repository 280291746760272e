"""How long households last without a service: autonomy curves per group and essential.

A curve gives, for the hours a group of residents has been without a service,
the share of that group whose own supplies have run out (docs/world.md,
"People who run out").  Two settings:

- ``step`` (the default, the meaning of ``docs/exercise.md``): the unprepared
  are in need after exactly 24 h, the prepared after 72 h;
- ``survey``: autonomy spread around the same medians, so the number in need
  grows continuously from the first hour: unprepared households run out
  evenly over 0-48 h, prepared ones over 48-96 h; without heat the
  unprepared last as long as their homes stay warm (outdoor temperature);
  without shops only some of the unprepared run short of food early
  (``FOOD_SHORT``), the rest as the prepared do.

Medicines run out on the refill cycle of a regular prescription in either
setting: among those who take them (``MEDICATED``), evenly over 30 days for
the unprepared, after a week's reserve for the prepared.

Heat is no emergency while the outdoor temperature is at or above the
lowest indoor temperature people can live in (``HEAT_MIN_C``): hot water in
June is not a heat emergency.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from cybrelia.files.scenario import WorldSettings

__all__ = [
    "DEVICE_HOURS",
    "ESSENTIALS",
    "FOOD_READY",
    "FOOD_SHORT",
    "HEAT_MIN_C",
    "HEAT_START_C",
    "HEAT_TIME_CONSTANT",
    "MEDICATED",
    "NEVER",
    "PREPARED_HOURS",
    "REFILL_HOURS",
    "RESERVE_HOURS",
    "SEASON_TEMPERATURE",
    "UNPREPARED_HOURS",
    "UTILITIES",
    "WATER_READY",
    "Curve",
    "autonomy_curves",
    "heat_hours",
    "outdoor_temperature",
    "step",
    "uniform",
]

#: Indoor temperature at the loss of heat, and the lowest one people can stay in, °C.
HEAT_START_C, HEAT_MIN_C = 21.0, 16.0
#: Hours in which a house loses 63 % of its excess over the outdoor temperature
#: (a masonry house of average insulation; estimate).
HEAT_TIME_CONSTANT = 48.0
#: Outdoor temperature a season means when a scenario gives no figure, °C
#: (rounded Polish climate normals 1991-2020, IMGW).
SEASON_TEMPERATURE = {"winter": -1.0, "spring": 8.0, "summer": 18.0, "autumn": 9.0}


@dataclass(frozen=True)
class Curve:
    """A piecewise-linear share (0..1) of a group in need after ``d`` hours without service.

    ``points`` are (hours, share) with hours increasing; before the first point
    the share is 0, after the last it stays at the last share, between two it
    is linear.  A single point is a step.
    """

    points: tuple[tuple[float, float], ...]

    def __call__(self, hours: float) -> float:
        points = self.points
        if not points or hours < points[0][0] - 1e-9:
            return 0.0
        for (h0, s0), (h1, s1) in itertools.pairwise(points):
            if hours < h1:
                return s0 + (s1 - s0) * (hours - h0) / (h1 - h0)
        return points[-1][1]

    def shares(self, hours: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """:meth:`__call__` of each of ``hours`` at once (the cohorts of a claim's believers)."""
        points = self.points
        if not points:
            return np.zeros_like(hours)
        xs = np.array([h for h, _ in points])
        shares = np.interp(hours, xs, np.array([s for _, s in points]))
        return np.where(hours < xs[0] - 1e-9, 0.0, shares)

    @property
    def breakpoints(self) -> tuple[float, ...]:
        """The hours at which the curve changes slope."""
        return tuple(h for h, _ in self.points)

    def flat_until(self, hours: float) -> float | None:
        """Until when (hours) the share stays what it is at ``hours``; None on a slope.

        The stretch before the first point, after the last, and between two
        points of equal share are flat; the answer is the hour the stretch ends
        (``math.inf`` after the last point), read as :meth:`__call__` reads it.
        """
        points = self.points
        if not points:
            return math.inf
        if hours < points[0][0] - 1e-9:
            return points[0][0] - 1e-9
        for (_, s0), (h1, s1) in itertools.pairwise(points):
            if hours < h1:
                return h1 if s0 == s1 else None
        return math.inf


NEVER = Curve(())
"""Nobody runs out (heat in a warm season)."""


def step(hours: float) -> Curve:
    """Everyone runs out at exactly ``hours``."""
    return Curve(((hours, 1.0),))


def uniform(start: float, end: float) -> Curve:
    """Autonomy spread evenly between ``start`` and ``end`` hours."""
    if end <= start:
        return step(start)
    return Curve(((start, 0.0), (end, 1.0)))


def heat_hours(outdoor_c: float) -> float | None:
    """Hours until a home cools from HEAT_START_C to HEAT_MIN_C; None if it never does.

    Newton's law of cooling: ``T(t) = T_out + (T_start - T_out) exp(-t / tau)``.
    """
    if outdoor_c >= HEAT_MIN_C:
        return None
    return HEAT_TIME_CONSTANT * math.log((HEAT_START_C - outdoor_c) / (HEAT_MIN_C - outdoor_c))


#: The essentials whose loss puts residents in need: the utilities, then what shops
#: and pharmacies sell.
UTILITIES = ("heat", "power", "water")
ESSENTIALS = (*UTILITIES, "food", "medicines")
#: Shares of households with three days of food and of water (CDC, MMWR 61(36), 14 US
#: states 2006-2010, the only survey in the brief that asks about both).
FOOD_READY, WATER_READY = 0.829, 0.536
#: Of the households short of three days of water, the share short of food too: the
#: rest have food as the prepared have (survey setting).
FOOD_SHORT = (1.0 - FOOD_READY) / (1.0 - WATER_READY)
#: Share of residents who take prescribed medicines regularly (estimate: Eurostat's
#: EHIS 2019 found about half of the adults in the EU used prescribed medicines in the
#: two weeks before the interview).
MEDICATED = 0.5
#: A pack of a regular medicine lasts 30 days and the unprepared refill it when it is
#: empty, so their refill dates are spread evenly over those 30 days; the prepared keep
#: a week's reserve (estimate; the 2025 guide asks for a stock of one's medicines).
REFILL_HOURS, RESERVE_HOURS = 720.0, 168.0
#: Hours after which the step setting puts the unprepared and the prepared in need,
#: and residents on powered medical devices at risk (their battery time).
UNPREPARED_HOURS, PREPARED_HOURS, DEVICE_HOURS = 24.0, 72.0, 4.0
#: The survey setting: the unprepared run out evenly over 0-48 h, the prepared over 48-96 h.
UNPREPARED_SPREAD, PREPARED_SPREAD = (0.0, 48.0), (48.0, 96.0)


def outdoor_temperature(setting: WorldSettings) -> float | None:
    """The scenario's outdoor temperature, from ``outdoor_c`` or its season."""
    if setting.outdoor_c is not None:
        return setting.outdoor_c
    return SEASON_TEMPERATURE[setting.season] if setting.season is not None else None


def autonomy_curves(setting: WorldSettings) -> dict[tuple[str, str], Curve]:
    """The curve of each (group, essential): groups ``unprepared``, ``prepared``, ``vulnerable``."""
    if setting.autonomy == "survey":
        unprepared, prepared = uniform(*UNPREPARED_SPREAD), uniform(*PREPARED_SPREAD)
    else:
        unprepared, prepared = step(UNPREPARED_HOURS), step(PREPARED_HOURS)
    curves = {}
    for essential in ESSENTIALS:
        curves[("unprepared", essential)] = unprepared
        curves[("prepared", essential)] = prepared
    if setting.autonomy == "survey":
        # FOOD_SHORT x the unprepared's curve + (1 - FOOD_SHORT) x the prepared's.
        curves[("unprepared", "food")] = Curve(
            ((0.0, 0.0), (UNPREPARED_SPREAD[1], FOOD_SHORT), (PREPARED_SPREAD[1], 1.0))
        )
    # Medicines follow the refill cycle in either setting, for the medicated share.
    curves[("unprepared", "medicines")] = Curve(((0.0, 0.0), (REFILL_HOURS, MEDICATED)))
    curves[("prepared", "medicines")] = Curve(
        ((RESERVE_HOURS, 0.0), (RESERVE_HOURS + REFILL_HOURS, MEDICATED))
    )
    outdoor = outdoor_temperature(setting)
    if outdoor is not None:
        cooling = heat_hours(outdoor)
        if cooling is None:
            curves[("unprepared", "heat")] = curves[("prepared", "heat")] = NEVER
        elif setting.autonomy == "survey":
            curves[("unprepared", "heat")] = uniform(0.0, 2 * cooling)
    curves[("vulnerable", "power")] = step(DEVICE_HOURS)
    return curves
