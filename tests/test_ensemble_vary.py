"""The --vary mini-language: the grammar, its located errors, and the targets it reaches."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cybrelia.ensemble.plan import (
    PlanErrors,
    Variation,
    column_rng,
    make_plan,
    prepare,
    run_seed,
)
from cybrelia.ensemble.vary import VaryError, parse_spec
from cybrelia.exercise.core import Exercise
from cybrelia.exercise.driver import play_exercise

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "mokry-snieg.yaml"
RESPONSES = ROOT / "scenarios" / "mokry-snieg.responses.yaml"


def test_the_examples_of_the_issue_parse_to_their_meaning() -> None:
    spec = parse_spec("repair_hours=lognormal(1,0.3)")
    assert (spec.path, spec.operation, spec.distribution.name) == (
        ("repair_hours",),
        "set",
        "lognormal",
    )
    assert spec.distribution.args == (1.0, 0.3)
    jitter = parse_spec("inject_jitter = uniform(-30m, 30m)")
    assert jitter.distribution.args == (-0.5, 0.5)
    delay = parse_spec("responses.delay=gamma(2,15m)")
    assert delay.path == ("responses", "delay") and delay.distribution.args == (2.0, 0.25)
    more = parse_spec("resources.gen-mobile.count=+1")
    assert more.path == ("resources", "gen-mobile", "count")
    assert (more.operation, more.distribution.name, more.distribution.args) == (
        "add",
        "constant",
        (1.0,),
    )


def test_durations_signs_factors_and_bracketed_ids() -> None:
    assert parse_spec("injects.I-03.at=1h30m").distribution.args == (1.5,)
    assert parse_spec("injects.I-03.at=-1d2h").operation == "subtract"
    assert parse_spec("injects.I-03.at=-1d2h").distribution.args == (26.0,)
    factor = parse_spec("assets.[region.gpz-main].repair_hours=*1.5")
    assert factor.path == ("assets", "region.gpz-main", "repair_hours")
    assert factor.target == "assets.[region.gpz-main].repair_hours"
    assert factor.apply(4.0, 1.5) == 6.0
    assert parse_spec("x=choice(1, 2, 4)").distribution.args == (1.0, 2.0, 4.0)
    assert parse_spec("x=2e-1").distribution.args == (0.2,)


@pytest.mark.parametrize(
    ("text", "column", "words"),
    [
        ("repair_hours=lognorm(1,0.3)", 14, "unknown distribution 'lognorm'"),
        ("repair_hours lognormal(1,0.3)", 14, "expected '=' after the target"),
        ("repair_hours=lognormal(1,0.3", 29, "expected ',' or ')'"),
        ("repair_hours=uniform(2,1)", 14, "low must not exceed high"),
        ("repair_hours=gamma(2)", 14, "gamma takes 2 parameters"),
        ("repair_hours=1h30", 14, "is not a duration"),
        ("=1", 1, "expected a target name"),
        ("a..b=1", 3, "expected a target name"),
        ("a=1 2", 5, "unexpected '2'"),
        ("a=", 3, "expected a number"),
    ],
)
def test_errors_name_the_column_and_what_is_wrong(text: str, column: int, words: str) -> None:
    with pytest.raises(VaryError) as caught:
        parse_spec(text)
    assert caught.value.column == column
    assert words in caught.value.message
    assert caught.value.located().splitlines()[2] == "  " + " " * (column - 1) + "^"


def test_targets_are_checked_against_the_scenario_all_at_once() -> None:
    with pytest.raises(PlanErrors) as caught:
        make_plan(
            SCENARIO,
            None,
            seed=1,
            specs=[
                "resources.gen-mobil.count=+1",
                "assets.suw-debowiec.repair_hour=2",
                "responses.delay=1h",
                "nonsense=1",
                "repair_hours=*1.2",
                "repair_hours=*1.3",
            ],
        )
    messages = [(e.column, e.message) for e in caught.value.errors]
    assert messages[0] == (11, "unknown resource 'gen-mobil' (did you mean 'gen-mobile-small'?)")
    assert messages[1][0] == 21 and "repair_hours, travel_hours" in messages[1][1]
    assert messages[2] == (1, "responses.* needs --responses (a script to delay)")
    assert messages[3][0] == 1 and messages[3][1].startswith("unknown target 'nonsense'")
    assert "varied twice" in messages[4][1]
    assert len(messages) == 5


def test_seeds_follow_the_documented_derivation() -> None:
    expected = int(np.random.SeedSequence(7, spawn_key=(3,)).generate_state(1, np.uint64)[0]) >> 1
    assert run_seed(7, 3) == expected
    assert len({run_seed(7, run) for run in range(1000)}) == 1000
    a = column_rng(7, 3, "repair_hours").random()
    assert a == column_rng(7, 3, "repair_hours").random()
    assert a != column_rng(7, 4, "repair_hours").random()
    assert a != column_rng(7, 3, "travel_hours").random()


def test_a_draw_does_not_depend_on_the_other_specs() -> None:
    """Common random numbers: adding a spec leaves every other column's draws alone."""
    alone = prepare(make_plan(SCENARIO, None, seed=5, specs=["repair_hours=lognormal(1,0.3)"]))
    more = prepare(
        make_plan(
            SCENARIO,
            None,
            seed=5,
            specs=["inject_jitter=uniform(-1h,1h)", "repair_hours=lognormal(1,0.3)"],
        )
    )
    for run in range(5):
        assert (
            alone.variation(run).draws["repair_hours"] == more.variation(run).draws["repair_hours"]
        )
        assert alone.variation(run).seed == more.variation(run).seed


def test_each_target_changes_what_it_names_and_nothing_else() -> None:
    prepared = prepare(
        make_plan(
            SCENARIO,
            RESPONSES,
            seed=2,
            specs=[
                "resources.gen-mobile-large.count=+1",
                "resources.gen-mobile-small.count=-3",
                "assets.suw-debowiec.repair_hours=*2",
                "travel_hours=2",
                "assets.szpital-powiatowy.buffer.power=uniform(1h,2h)",
                "districts.sloneczne.prepared_share=0.9",
                "injects.I-03.at=+1h",
                "responses.osd.delay=30m",
            ],
        )
    )
    original = prepared.loaded
    snapshot = (original.model.model_dump(), original.scenario.model_dump())
    variation = prepared.variation(0)
    model = variation.loaded.model
    assert {r.id: r.count for r in model.resources}["gen-mobile-large"] == 2
    assert "gen-mobile-small" not in {r.id for r in model.resources}  # 3 - 3 removes it
    assets = model.asset_index()
    before = original.model.asset_index()
    assert assets["suw-debowiec"].repair_hours == 2 * before["suw-debowiec"].repair_hours
    # The factor over every asset first, then the specific target refines it.
    assert assets["suw-debowiec"].travel_hours == 2 * before["suw-debowiec"].travel_hours
    buffer = assets["szpital-powiatowy"].needs["power"].buffer
    assert buffer is not None and 1 <= buffer.hours <= 2
    assert buffer.hours == pytest.approx(variation.draws["assets.szpital-powiatowy.buffer.power"])
    original_buffer = before["szpital-powiatowy"].needs["power"].buffer
    assert original_buffer is not None and original_buffer.hours != buffer.hours
    shares = {d.id: d.prepared_share for d in model.districts}
    assert shares["sloneczne"] == 0.9
    assert shares["zielone"] == original.model.district_index()["zielone"].prepared_share
    times = {i.id: i.at or 0.0 for i in variation.loaded.scenario.injects}
    assert times["I-03"] == {i.id: i.at or 0.0 for i in original.scenario.injects}["I-03"] + 1
    assert variation.responses is not None and prepared.responses is not None
    for old, new in zip(prepared.responses.entries, variation.responses.entries, strict=True):
        shifted = new.action is not None and new.action.team == "osd"
        assert new.at == pytest.approx(min(old.at + 0.5, 72.0) if shifted else old.at)
    # The files' objects are never changed: the next run starts from them again.
    assert (original.model.model_dump(), original.scenario.model_dump()) == snapshot
    assert prepared.variation(0).loaded.model.asset_index() == assets


def _powiat_arrival(variation: Variation) -> float | None:
    """When the powiat's generators asked for in the script arrived (None: they did not)."""
    exercise = Exercise(variation.loaded, seed=variation.seed)
    play_exercise(exercise, variation.responses)
    (asked,) = [
        state
        for state in exercise.actions.values()
        if state.request.action == "request_support"
        and state.request.params.get("source") == "powiat"
        and state.request.target == "generator"
    ]
    return asked.finished_at if asked.status == "completed" else None


def test_outside_help_can_be_slower_or_faster() -> None:
    # Mokry śnieg's powiat answers in 1 h and delivers in 3 h; the script asks at 3 h 30 min.
    plan = make_plan(
        SCENARIO,
        RESPONSES,
        seed=3,
        specs=["support.powiat.deliver=+6h", "support_hours=uniform(0.5,2)"],
    )
    prepared = prepare(plan)
    variation = prepared.variation(0)
    factor = variation.draws["support_hours"]
    stated = {s.source: s for s in variation.loaded.scenario.world.support}
    original = {s.source: s for s in prepared.loaded.scenario.world.support}
    # The factor over every source first, then the specific target refines it.
    assert stated["voivode"].answer == pytest.approx(original["voivode"].answer * factor, abs=1e-6)
    assert stated["powiat"].answer == pytest.approx(1.0 * factor, abs=1e-6)
    assert stated["powiat"].deliver == pytest.approx(3.0 * factor + 6.0, abs=1e-6)
    assert original["powiat"].deliver == 3.0  # the files' objects are not changed
    arrived = _powiat_arrival(variation)
    assert arrived == pytest.approx(3.5 + stated["powiat"].answer + stated["powiat"].deliver)
    as_stated = prepare(make_plan(SCENARIO, RESPONSES, seed=3)).variation(0)
    assert _powiat_arrival(as_stated) == pytest.approx(3.5 + 1.0 + 3.0)


def test_outside_help_targets_name_a_stated_source() -> None:
    # Mokry śnieg states the powiat, the voivode and the WOT, not the State Fire Service.
    with pytest.raises(PlanErrors) as caught:
        make_plan(SCENARIO, None, seed=1, specs=["support.psp.answer=2h", "support.powiat.at=1h"])
    messages = [(e.column, e.message) for e in caught.value.errors]
    assert messages == [
        (9, "unknown outside source stated in world.support 'psp'"),
        (16, "an outside source's target is answer or deliver"),
    ]
