"""Anti-gaming: scripts that click without deciding stay far below the reference plan.

For every bundled scenario three gaming scripts are played through the same
driver as the reference script (``scenarios/NAME.responses.yaml``) and scored:

talk-only
    A note from the expected team for every expectation as its inject arrives,
    and every two hours a public alert to everyone and a debunk of every
    circulating claim from every team.  The facilitator confirms no note: a
    note saying "ok" is not the decision record an expectation asks for.
submit-then-cancel
    Every expected action submitted as its inject arrives and cancelled five
    minutes later (what completes at once, an alert or a debunk, cannot be
    cancelled and counts as done).
ratings-only
    No action at all; the facilitator rates every inject P for every team.

Thresholds, and why:

- points below :data:`POINTS_SHARE` (a third) of the reference script's.
  Alerts and debunks are real parts of a response (pillars 2 and 5) and earn
  by their effect, so gaming scripts keep some points; the scenarios put most
  of theirs on effects (repairs, generators, water, shelters).  Under the
  scoring before issue 14 talk-only scripts earned 35 to 49 % of each
  scenario's points and submit-then-cancel nearly all of them, so this
  threshold fails on that scoring.  Measured now: 1 to 18 % (``docs/evaluation.md``).
- outcome index below :data:`INDEX_CEILING` (0.4) for talk-only and
  submit-then-cancel: the only harm they avoid is the need of the believers of
  a claim they debunk (at most 0.10, in zatruty-kran, whose "poisoned water"
  rumour is a run on the shops); none of the infrastructure, water, shelter
  and care that the reference plan delivers.
- ratings-only: index exactly 0, since ratings change nothing in the world.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from functools import cache
from pathlib import Path

import pytest

from cybrelia.exercise.core import Exercise
from cybrelia.exercise.driver import play_into
from cybrelia.exercise.events import ExerciseEvent, InjectEvent
from cybrelia.exercise.outcome import harm, harm_hours, outcome_index
from cybrelia.exercise.scoring import points
from cybrelia.exercise.types import ActionRequest, Refusal
from cybrelia.files.scenario import Inject
from cybrelia.files.validation import load_responses, load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted(
    p for p in (ROOT / "scenarios").glob("*.yaml") if not p.name.endswith(".responses.yaml")
)

#: Share of the reference script's points a gaming script stays below.
POINTS_SHARE = 1 / 3
#: Outcome index a talking or cancelling script stays below.
INDEX_CEILING = 0.4

React = Callable[[Exercise, Inject], None]


@cache
def reference(scenario: Path) -> tuple[float, float, float]:
    """Points, harm and no-action harm of the scenario's bundled script."""
    exercise = Exercise(load_scenario(scenario))
    play_into(exercise, load_responses(scenario.with_name(scenario.stem + ".responses.yaml")))
    baseline = Exercise(load_scenario(scenario))
    baseline.advance_to(baseline.scenario.duration)
    return points(exercise)["points"], harm(exercise), harm(baseline)


def gamed(scenario: Path, react: React, tick: Callable[[Exercise], None]) -> Exercise:
    """Play a gaming strategy in five-minute steps: ``react`` to each delivered inject,
    ``tick`` at every step."""
    exercise = Exercise(load_scenario(scenario))
    delivered: list[str] = []

    def on_event(event: ExerciseEvent) -> None:
        if isinstance(event, InjectEvent) and event.status == "delivered":
            delivered.append(event.inject)

    exercise.subscribe(on_event)
    step, end = 0, exercise.scenario.duration
    while step / 12 < end:
        step += 1
        exercise.advance_to(min(end, step / 12))
        tick(exercise)
        while delivered:
            react(exercise, exercise.injects[delivered.pop(0)].spec)
    return exercise


def talk(exercise: Exercise, inject: Inject) -> None:
    for expectation in inject.expect:
        with suppress(Refusal):
            exercise.submit(ActionRequest(expectation.team, "note", note="ok"))


def alert_and_debunk(exercise: Exercise) -> None:
    """Every two hours, every team alerts everyone and debunks every claim."""
    if round(exercise.now * 12) % 24:
        return
    for team in sorted(exercise.teams):
        with suppress(Refusal):
            exercise.submit(ActionRequest(team, "public_alert", "all"))
        for claim in sorted(exercise.population.claims):
            with suppress(Refusal):
                exercise.submit(ActionRequest(team, "debunk", claim))


def submit(exercise: Exercise, inject: Inject) -> None:
    for expectation in inject.expect:
        with suppress(Refusal):
            exercise.submit(ActionRequest(expectation.team, expectation.action, expectation.target))


def cancel_what_runs(exercise: Exercise) -> None:
    """Five minutes after each submission (every step), cancel everything under way."""
    for action in list(exercise.actions.values()):
        if action.active and action.submitted_at < exercise.now:
            with suppress(Refusal):
                exercise.cancel(action.id)


def rate_everything(exercise: Exercise, inject: Inject) -> None:
    for team in sorted(exercise.teams):
        exercise.rate(inject.id, team, "P", "very good")


def nothing(exercise: Exercise) -> None:
    """No periodic input."""


STRATEGIES: dict[str, tuple[React, Callable[[Exercise], None], float]] = {
    "talk-only": (talk, alert_and_debunk, INDEX_CEILING),
    "submit-then-cancel": (submit, cancel_what_runs, INDEX_CEILING),
    "ratings-only": (rate_everything, nothing, 0.0),
}


@pytest.mark.parametrize("strategy", sorted(STRATEGIES))
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_gaming_stays_far_below_the_reference(scenario: Path, strategy: str) -> None:
    react, tick, ceiling = STRATEGIES[strategy]
    reference_points, reference_harm, baseline_harm = reference(scenario)
    exercise = gamed(scenario, react, tick)
    earned = points(exercise)["points"]
    index = outcome_index(harm(exercise), baseline_harm, reference_harm)
    assert index is not None, "the reference plan avoids harm"
    assert earned < POINTS_SHARE * reference_points, (earned, reference_points)
    assert index < ceiling or index == ceiling == 0.0, index


def debunk_everything(exercise: Exercise) -> None:
    """Every two hours, the crisis teams debunk every circulating claim on every channel."""
    if round(exercise.now * 12) % 24:
        return
    for team in sorted(t.id for t in exercise.scenario.teams if t.role == "crisis"):
        for claim in sorted(exercise.population.claims):
            for channel in ("web", "radio", "loudspeaker"):
                with suppress(Refusal):
                    exercise.submit(ActionRequest(team, "debunk", claim, {"channel": channel}))


@cache
def harms(scenario: Path) -> tuple[dict[str, float], dict[str, float]]:
    """Person-hours of each harm figure with no action and with a debunk-only script."""
    baseline = Exercise(load_scenario(scenario))
    baseline.advance_to(baseline.scenario.duration)
    debunked = gamed(scenario, lambda _exercise, _inject: None, debunk_everything)
    return harm_hours(baseline), harm_hours(debunked)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_debunking_alone_does_not_remove_most_of_the_harm(scenario: Path) -> None:
    """Issue 13: a debunk-only script once cut the people in need of Urząd offline from 5,239
    to 0, since a debunk was instant, free, needed no channel and ended a claim for everyone.
    Now it is a message that reaches whom its channel reaches (not Alert RCB, which warns of
    threats) and turns only those who trust the gmina, in time, and claims do what they say
    rather than take a service away.  Debunking every claim on three channels every two hours,
    and nothing else, leaves most of each scenario's harm (``docs/evaluation.md``) *in each
    of its figures*: the total alone would hide a figure a debunk empties, as that of
    Urząd offline was, behind the person-hours without services, which no debunk touches.

    What a debunk may remove is the harm of the claim itself.  In mokry-snieg, nawalnica
    and zatruty-kran the claim is a run on the shops' bottled water: believers who find
    the shops empty live as without water from when they came to believe it (not from the
    claim's start, which counted a late believer as a day without water at once).  Such an
    early campaign, with a loudspeaker car, keeps the run below the shops' stock (a third
    of the residents at 9 l each of 3 l a head): that is communication working, and it
    removes at most about a third of any figure (measured: 21 % of mokry-snieg's people
    in need, 34 % of zatruty-kran's).  Before that rule, and before a crowd went home
    after ``crowd_hours``, a claim's harm (and so what a debunk could remove) was
    overstated: 180,000 of zagrożenie-z-powietrza's 254,156 person-hours in need were
    the crowd at the station, standing there for as long as it believed.
    """
    baseline, debunked = harms(scenario)
    for figure, hours in sorted(baseline.items()):
        if hours > 0:
            assert debunked[figure] > 0.5 * hours, (figure, debunked[figure], hours)
