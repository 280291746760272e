"""Scores rolled up by team and by the seven pillars, and the outcome against a baseline.

Automatic points come from expectations (met: full points, late: half,
missed: none); HSEEP ratings (P, S, M, U) stand beside them.  The outcome
score compares the run with the same scenario and seed replayed without any
team action: person-hours of outage and people in need that the teams'
decisions avoided.
"""

from __future__ import annotations

from typing import Any

from cybrelia.exercise.core import Exercise
from cybrelia.files.scenario import PILLARS

__all__ = ["outcome", "points"]


def points(exercise: Exercise) -> dict[str, Any]:
    """Points earned and available, in total, by team and by pillar.

    Only expectations of delivered injects count; one whose window is still
    open counts towards the maximum with nothing earned yet.
    """
    by_team = {team: {"points": 0.0, "max": 0} for team in sorted(exercise.teams)}
    by_pillar = {str(p): {"points": 0.0, "max": 0} for p in PILLARS}
    total = {"points": 0.0, "max": 0}
    for state in exercise.expectations.values():
        spec = state.spec
        for bucket in (
            by_team.setdefault(spec.team, {"points": 0.0, "max": 0}),
            by_pillar[str(spec.pillar)],
            total,
        ):
            bucket["points"] += state.points
            bucket["max"] += spec.points
    return {**total, "by_team": by_team, "by_pillar": by_pillar}


def outcome(exercise: Exercise) -> dict[str, Any]:
    """Person-hours without each service and people in need over the run so far."""
    exercise.refresh_figures()  # totals up to the current time
    return {
        "person_hours": {s: round(v, 3) for s, v in sorted(exercise.person_hours.items())},
        "people_in_need_peak": exercise.peak_in_need,
        "people_in_need_person_hours": round(exercise.person_hours_in_need, 3),
    }
