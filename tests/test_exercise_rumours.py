"""Rumours (issue 13, item 4; docs/information.md section 6).

The model is stochastic; the expectations are computed by hand from its
mean-field step on a district large enough (a million residents) for the
binomial draws to stay within a few standard deviations of their means, and
the bounds below are four of them.  Equalities between runs are exact: the
same seed and inputs draw the same numbers.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import numpy as np
import pytest

from cybrelia.exercise.core import Exercise
from cybrelia.exercise.rumours import _binomials
from cybrelia.exercise.session import Session
from cybrelia.exercise.types import ActionRequest, ActionState, Refusal
from tests.exercise_helpers import TEAMS, make_exercise, submit
from tests.helpers import write_files

MODEL = textwrap.dedent("""\
    districts:
      - {id: d1, population: 1000000, prepared_share: 0}
    assets:
      - {id: gpz, type: substation, provides: [power], serves: {d1: 1.0}}
      - {id: bts, type: bts, provides: [telecom], serves: {d1: 1.0},
         needs: {power: {from: [gpz]}}}
      - {id: syrena, type: siren, provides: [alerting], serves: {d1: 1.0},
         needs: {power: {from: [gpz]}}}
      - {id: studnia, type: well, provides: [water], serves: {d1: 1.0}}
""")


def scenario(*, true: bool = False, blackout: bool = False, decay: float = 0.5) -> str:
    """A claim appearing at 1 h: 1 % believe it, half could, first growth 0.0049 an hour.

    Its contact rate is 0.0049 / (0.01 x 0.49) = 1 an hour.
    """
    damage = "  - {id: I-00, at: 30m, effects: [{damage: [gpz]}]}\n" if blackout else ""
    return f"""\
duration: 24h
injects:
{damage}  - id: I-01
    at: 1h
    effects:
      - claim:
          id: plotka
          text: {{pl: Woda skażona, en: Water poisoned}}
          behaviour: bottled_water_run
          correct: {str(true).lower()}
          reach: 0.01
          growth: 0.0049
          max_reach: 0.5
          decay: {decay}
"""


def debunk(exercise: Exercise, at: float) -> ActionState:
    """At ``at``, the sirens' alarm tone, then a debunk on the local radio: after the tone
    everyone with power (or, being prepared, a battery radio) listens (docs/information.md 2)."""
    submit(exercise, "crisis", "public_alert", "all", at=at, channel="sirens")
    return submit(exercise, "crisis", "debunk", "plotka", channel="radio")


def believers(exercise: Exercise, t: float) -> int:
    exercise.advance_to(t)
    return exercise.metrics().believers["plotka"]


def bound(n: float, p: float) -> float:
    """Four standard deviations of a binomial draw of ``n`` with ``p``."""
    return 4 * math.sqrt(n * p * (1 - p))


def test_a_rumour_grows_faster_in_information_silence(tmp_path: Path) -> None:
    silent = make_exercise(tmp_path, MODEL, scenario())
    spoken = make_exercise(tmp_path, MODEL, scenario())
    # An official word on another topic, at 0.5 h: Alert RCB requested at 0 h.
    submit(spoken, "crisis", "public_alert", "all", at=0.0, topic="frost")
    assert believers(silent, 1.0) == believers(spoken, 1.0) == 10_000
    # First step (0.25 h): 490,000 ignorant, 10,000 spreaders.  Silent: rate x 2.
    # New believers 490,000 x (1 - exp(-2 x 0.25 x 0.01)) = 2,443.9; spoken: 1,223.5.
    p_silent, p_spoken = 1 - math.exp(-0.005), 1 - math.exp(-0.0025)
    assert believers(silent, 1.25) - 10_000 == pytest.approx(
        490_000 * p_silent, abs=bound(490_000, p_silent)
    )
    assert believers(spoken, 1.25) - 10_000 == pytest.approx(
        490_000 * p_spoken, abs=bound(490_000, p_spoken)
    )
    assert believers(silent, 6.0) > 1.2 * believers(spoken, 6.0)


def test_a_debunk_that_reaches_people_turns_believers_and_one_reaching_nobody_does_not(
    tmp_path: Path,
) -> None:
    undisputed = make_exercise(tmp_path, MODEL, scenario(blackout=True))
    into_the_void = make_exercise(tmp_path, MODEL, scenario(blackout=True))
    heard = make_exercise(tmp_path, MODEL, scenario())
    void, told = debunk(into_the_void, 3.0), debunk(heard, 3.0)
    # No power: neither siren nor radio reaches anyone, and the rumour runs exactly as
    # without the debunk.
    alone = {t: believers(undisputed, t) for t in (3.5, 6.0, 9.5, 12.0, 24.0)}
    for t, count in alone.items():
        assert believers(into_the_void, t) == count
    assert void.share == 0.0
    # Everybody hears it at 3 h; 0.6 trust the gmina: 60 % of the ignorant are warned,
    # and of the believers 0.6 x (1 - 0.5 persistence) = 30 % doubt and give it up at 0.5 an
    # hour.  The claim stops growing and falls, while without the debunk it grows sixfold.
    before = believers(heard, 3.0)
    assert told.share == pytest.approx(0.6)
    assert believers(heard, 9.0) < before
    assert alone[9.5] > 5 * before
    assert believers(heard, 24.0) < 0.2 * alone[24.0]


def test_a_debunk_takes_time(tmp_path: Path) -> None:
    slow = make_exercise(tmp_path, MODEL, scenario(decay=0.1))
    debunk(slow, 3.0)
    before = believers(slow, 3.0)
    # An hour later the doubters (0.3 of the believers) have given it up at 0.1 an hour:
    # 9.5 % of them, under 3 % of the believers.
    assert believers(slow, 4.0) > 0.95 * before


def test_trust_falls_when_a_debunk_turns_out_wrong(tmp_path: Path) -> None:
    true = make_exercise(tmp_path, MODEL, scenario(true=True))
    undisputed = make_exercise(tmp_path, MODEL, scenario(true=True))
    wrong = debunk(true, 3.0)
    # The same word on another topic ends the silence alike, and turns nobody either.
    submit(undisputed, "crisis", "public_alert", "all", at=3.0, channel="sirens")
    submit(undisputed, "crisis", "public_alert", "all", channel="radio", topic="frost")
    assert true.information.trust == {"d1": pytest.approx(0.6 * 0.7)}
    assert wrong.share == 0.0
    assert believers(true, 12.0) == believers(undisputed, 12.0)


def test_the_same_inputs_draw_the_same_rumour_whatever_was_asked_between(tmp_path: Path) -> None:
    watched = make_exercise(tmp_path, MODEL, scenario())
    unwatched = make_exercise(tmp_path, MODEL, scenario())
    for t in (1.1, 1.3, 1.77, 2.0, 2.9):
        believers(watched, t)
    for exercise in (watched, unwatched):
        submit(exercise, "crisis", "debunk", "plotka", at=3.1, channel="radio")
    assert believers(watched, 20.0) == believers(unwatched, 20.0)
    other_seed = make_exercise(tmp_path, MODEL, scenario(), seed=7)
    assert believers(other_seed, 20.0) != believers(unwatched, 20.0)


def test_a_debunk_on_sirens_or_alert_rcb_or_of_no_claim_is_refused(tmp_path: Path) -> None:
    exercise = make_exercise(tmp_path, MODEL, scenario())
    exercise.advance_to(2.0)
    with pytest.raises(Refusal, match="no claim 'ufo'"):
        exercise.submit(ActionRequest("crisis", "debunk", "ufo"))
    with pytest.raises(Refusal, match="sirens carry only tones"):
        exercise.submit(ActionRequest("crisis", "debunk", "plotka", {"channel": "sirens"}))
    with pytest.raises(Refusal, match="warn of a threat, not to deny a rumour"):
        exercise.submit(ActionRequest("crisis", "debunk", "plotka", {"channel": "rcb_alert"}))


def test_a_journal_replays_the_rumour_and_the_messages_exactly(tmp_path: Path) -> None:
    _, scenario_path = write_files(tmp_path, MODEL, TEAMS + scenario())
    path = tmp_path / "s.cybrelia"
    original = Session.create(scenario_path, path)
    original.advance_to(2.3)
    original.submit(ActionRequest("crisis", "debunk", "plotka", {"channel": "radio"}))
    original.advance_to(3.1)
    original.submit(ActionRequest("crisis", "public_alert", "all", {"topic": "frost"}))
    original.advance_to(9.7)
    original.close()
    expected = original.exercise.population.claims["plotka"].by_district(9.7)

    reopened = Session.open(path)
    try:
        assert reopened.now == 9.7
        assert reopened.exercise.population.claims["plotka"].by_district(9.7) == expected
        assert reopened.exercise.information.messages == original.exercise.information.messages
    finally:
        reopened.close()


def test_believers_live_without_the_service_from_when_they_came_to_believe(
    tmp_path: Path,
) -> None:
    # A version-1 claim that the tap water is unsafe: believers avoid it, and the
    # unprepared among them are in need after 24 h without water (docs/exercise.md).
    # Counted from when each came to believe, not from the claim's start: at 25 h only
    # those who believed it at 1 h are in need, at 31 h those who believed it at 7 h.
    # Without a debunk nobody gives it up, so these are the believers at those hours.
    claim = scenario().replace("behaviour: bottled_water_run", "service: water")
    exercise = make_exercise(tmp_path, MODEL, claim.replace("duration: 24h", "duration: 36h"))
    exercise.advance_to(1.0)
    first = exercise.population.claims["plotka"].believers(1.0)
    assert first == 10_000  # 1 % of a million
    exercise.advance_to(7.0)
    by_seven = exercise.population.claims["plotka"].believers(7.0)
    assert by_seven > 10 * first  # it grew: a contact rate of 1 an hour
    exercise.advance_to(25.0)
    assert exercise.metrics().people_in_need == first
    exercise.advance_to(31.0)
    assert exercise.metrics().people_in_need == by_seven
    # (counted from the claim's start, all 31 h believers would be: a quarter more)
    assert exercise.population.claims["plotka"].believers(31.0) > 1.25 * by_seven


def test_draws_end_to_end_are_the_draws_one_after_the_other() -> None:
    """A step draws its binomials in one call (``_binomials``); that is only right if it
    gives exactly the numbers of separate draws and leaves the stream where they do,
    and skipping the correction's draws before anyone is told otherwise is only right
    if a draw with p = 0 takes nothing from the stream."""
    for seed in range(50):
        data = np.random.default_rng(seed)
        counts = [data.integers(0, 100_000, 9) for _ in range(4)]
        chances = [data.random(9) ** 3 for _ in range(4)]
        chances[1][data.random(9) < 0.3] = 0.0
        alone, together = np.random.default_rng([seed, 1]), np.random.default_rng([seed, 1])
        separate = [alone.binomial(n, p) for n, p in zip(counts, chances, strict=True)]
        joined = _binomials(together, *zip(counts, chances, strict=True))
        assert all((a == b).all() for a, b in zip(separate, joined, strict=True))
        assert alone.random() == together.random()
        untouched = np.random.default_rng([seed, 2])
        drawn = untouched.binomial(counts[0], np.zeros(9))
        assert not drawn.any()
        assert untouched.random() == np.random.default_rng([seed, 2]).random()
