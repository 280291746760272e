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

__all__ = ["PILLARS", "outcome", "points"]

#: The seven pillars of the socially resilient municipality.
PILLARS: dict[int, dict[str, str]] = {
    1: {"pl": "72-godzinna samowystarczalność mieszkańców", "en": "72-hour self-sufficiency"},
    2: {"pl": "świadomość zagrożeń", "en": "threat awareness"},
    3: {"pl": "współpraca podmiotów ochrony ludności", "en": "cooperation of entities"},
    4: {"pl": "pożądane zachowania w sytuacji zagrożenia", "en": "desired behaviour"},
    5: {"pl": "przeciwdziałanie dezinformacji", "en": "countering disinformation"},
    6: {"pl": "lokalne sieci wsparcia i samopomoc", "en": "local support networks"},
    7: {"pl": "ciągłość infrastruktury krytycznej i usług", "en": "continuity of services"},
}


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
