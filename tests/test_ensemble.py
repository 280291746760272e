"""Dry runs end to end: the same bytes from any number of workers or a Dask cluster, any run
reopened as a session, paired comparisons that find a known effect, and streamed output."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest
import yaml

from cybrelia.cli import main
from cybrelia.ensemble import runner
from cybrelia.ensemble.plan import make_plan, prepare
from cybrelia.ensemble.results import compare_plans, read_results
from cybrelia.exercise.core import Exercise
from cybrelia.exercise.driver import play_exercise
from cybrelia.exercise.events import StateEvent
from cybrelia.exercise.export import export_records, replay_session
from cybrelia.exercise.outcome import harm
from cybrelia.exercise.session import Session
from cybrelia.files.validation import load_responses

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "mokry-snieg.yaml"
RESPONSES = ROOT / "scenarios" / "mokry-snieg.responses.yaml"
VARY = [
    "--vary",
    "repair_hours=lognormal(1,0.3)",
    "--vary",
    "inject_jitter=uniform(-30m,30m)",
    "--vary",
    "responses.delay=gamma(2,15m)",
]


def dryrun(*args: str) -> int:
    return main(["dryrun", *args, "--quiet"])


def test_the_bytes_do_not_depend_on_the_number_of_workers(tmp_path: Path) -> None:
    common = [str(SCENARIO), "--responses", str(RESPONSES), "--runs", "6", "--seed", "11", *VARY]
    for out in ("one.parquet", "one.csv"):
        assert dryrun(*common, "--workers", "1", "-o", str(tmp_path / out)) == 0
    for out in ("two.parquet", "two.csv"):
        assert dryrun(*common, "--workers", "2", "--chunk", "2", "-o", str(tmp_path / out)) == 0
    assert (tmp_path / "one.parquet").read_bytes() == (tmp_path / "two.parquet").read_bytes()
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "two.csv").read_bytes()
    frame = read_results(tmp_path / "one.parquet").frame
    assert list(frame["run"]) == list(range(6))
    assert frame["repair_hours"].nunique() == 6 and frame["responses.delay"].min() > 0
    assert (frame["harm_baseline"] > 0).all()
    # CSV and Parquet hold the same values.
    csv = read_results(tmp_path / "one.csv").frame
    for column in ("seed", "repair_hours", "harm", "first_down.suw-lesna-gora", "in_need.30h"):
        assert np.allclose(csv[column].astype(float), frame[column].astype(float), equal_nan=True)


def test_a_dask_cluster_writes_the_same_bytes(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    common = [str(SCENARIO), "--responses", str(RESPONSES), "--runs", "4", "--seed", "11", *VARY]
    assert dryrun(*common, "--workers", "1", "-o", str(tmp_path / "local.parquet")) == 0
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        out = tmp_path / "cluster.parquet"
        assert dryrun(*common, "--scheduler", address, "--chunk", "1", "-o", str(out)) == 0
    assert out.read_bytes() == (tmp_path / "local.parquet").read_bytes()


def test_the_rows_are_those_of_the_exercise_played_with_the_draws(tmp_path: Path) -> None:
    out = tmp_path / "runs.parquet"
    spec = ["--vary", "resources.gen-mobile-large.count=+1", "--vary", "repair_hours=*2"]
    assert dryrun(str(SCENARIO), "--runs", "2", "--seed", "4", *spec, "-o", str(out)) == 0
    row = read_results(out).row(1)
    prepared = prepare(make_plan(SCENARIO, None, seed=4, specs=spec[1::2]))
    variation = prepared.variation(1)
    assert variation.seed == row["seed"]
    exercise = Exercise(variation.loaded, seed=variation.seed)
    assert exercise.pools["gen-mobile-large"].capacity == 2
    play_exercise(exercise, None)
    # No responses: the run is its own baseline, and doing nothing scores 0.
    assert row["harm"] == row["harm_baseline"] == harm(exercise) > 0
    reference = Exercise(variation.loaded, seed=variation.seed)
    play_exercise(reference, load_responses(RESPONSES))  # the scenario's bundled script
    assert row["harm_reference"] == harm(reference) < row["harm"]
    assert row["outcome_index"] == 0.0
    assert row["people_in_need_peak"] == exercise.peak_in_need
    assert row["person_hours.water"] == pytest.approx(exercise.person_hours["water"], abs=1e-3)
    in_need = [row[f"in_need.{h}h"] for h in range(73)]
    assert max(in_need) <= row["people_in_need_peak"] and in_need[0] == 0
    down = [
        c.t
        for event in exercise.history
        if isinstance(event, StateEvent)
        for c in event.step.assets
        if c.asset == "suw-lesna-gora" and c.state == "down"
    ]
    assert row["first_down.suw-lesna-gora"] == down[0]


def test_any_run_reopens_as_a_session_that_ends_as_its_row(tmp_path: Path) -> None:
    out = tmp_path / "runs.parquet"
    common = [str(SCENARIO), "--responses", str(RESPONSES), "--runs", "3", "--seed", "5"]
    assert (
        dryrun(*common, *VARY, "--vary", "resources.gen-mobile-small.count=-1", "-o", str(out)) == 0
    )
    session = tmp_path / "run2.cybrelia"
    assert main(["dryrun", "replay", str(out), "2", "--session", str(session)]) == 0
    row = read_results(out).row(2)
    summary = list(export_records(replay_session(session)))[-1]
    assert summary["points"]["points"] == row["points"]
    # The row's outcome is the export's: the same harms, the same index.
    outcome = summary["outcome"]
    assert outcome["harm"] == pytest.approx(row["harm"], abs=1e-3)
    assert outcome["harm_baseline"] == pytest.approx(row["harm_baseline"], abs=1e-3)
    assert outcome["harm_reference"] == pytest.approx(row["harm_reference"], abs=1e-3)
    assert outcome["index"] == pytest.approx(row["outcome_index"], abs=1e-3)
    assert summary["actual"]["people_in_need_person_hours"] == pytest.approx(
        row["person_hours_in_need"], abs=1e-3
    )
    assert summary["actual"]["person_hours"]["water"] == pytest.approx(
        row["person_hours.water"], abs=1e-3
    )
    reopened = Session.open(session)  # as the console opens it
    assert reopened.now == 72.0
    assert reopened.exercise.pools["gen-mobile-small"].capacity == 2
    reopened.close()
    assert main(["dryrun", "replay", str(out), "9", "--session", str(tmp_path / "x")]) == 1
    assert main(["dryrun", "replay", str(out), "1", "--session", str(session)]) == 1


def _extra_generator_script(folder: Path) -> Path:
    """The bundled script, plus the second trailer genset sent to the Słoneczne booster pump."""
    data: dict[str, Any] = yaml.safe_load(RESPONSES.read_text(encoding="utf-8"))
    data["scenario"] = str(SCENARIO)
    data["entries"].append(
        {
            "at": "1h15m",
            "action": {
                "team": "zgk",
                "action": "deploy_generator",
                "target": "hydrofornia-sloneczne",
                "params": {"resource": "gen-mobile-large"},
            },
        }
    )
    path = folder / "extra.responses.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _hours_down(exercise: Exercise, asset: str) -> float:
    """Hours ``asset`` was down in a finished run."""
    total, since = 0.0, None
    for event in exercise.history:
        if isinstance(event, StateEvent):
            for change in event.step.assets:
                if change.asset == asset and change.state == "down" and since is None:
                    since = change.t
                elif change.asset == asset and change.state != "down" and since is not None:
                    total, since = total + change.t - since, None
    return total + (exercise.now - since if since is not None else 0.0)


def test_paired_runs_find_the_effect_of_one_more_generator(tmp_path: Path) -> None:
    """Mokry śnieg: one more trailer genset keeps the Słoneczne booster pump running."""
    script = _extra_generator_script(tmp_path)
    plan_b = f"{script};resources.gen-mobile-large.count=+1"
    base = [str(SCENARIO), "--responses", str(RESPONSES), "--seed", "3", "--compare", "-", plan_b]
    # Without variation the effect is known exactly: the pump's residents keep their water
    # for the hours the pump is down in plan A and not in plan B.
    fixed = tmp_path / "fixed.parquet"
    assert dryrun(*base, "--runs", "2", "-o", str(fixed)) == 0
    hours = []
    for responses, specs in ((RESPONSES, []), (script, ["resources.gen-mobile-large.count=+1"])):
        prepared = prepare(make_plan(SCENARIO, responses, seed=3, specs=specs))
        variation = prepared.variation(0)
        exercise = Exercise(variation.loaded, seed=variation.seed)
        play_exercise(exercise, variation.responses)
        hours.append(_hours_down(exercise, "hydrofornia-sloneczne"))
    population = prepared.loaded.model.district_index()["sloneczne"].population
    known = -population * (hours[0] - hours[1])
    assert known < -1000
    water = {d.figure: d for d in compare_plans(read_results(fixed))}["person_hours.water"]
    assert water.mean == pytest.approx(known, abs=1e-6)
    # With repair times, inject times and the teams' delays varied, the paired interval
    # finds the effect, and it is far narrower than comparing the runs unpaired.
    varied = tmp_path / "varied.parquet"
    spread = ["--vary", "repair_hours=lognormal(1,0.4)", "--vary", "inject_jitter=uniform(-1h,1h)"]
    assert dryrun(*base, "--runs", "12", *spread, "-o", str(varied), "--workers", "2") == 0
    results = read_results(varied)
    assert list(results.frame["plan"][:4]) == ["A", "B", "A", "B"]
    water = {d.figure: d for d in compare_plans(results)}["person_hours.water"]
    assert water.high < 0 and water.significant
    assert known * 2 <= water.mean <= known / 2
    assert water.high - water.low < (water.unpaired_high - water.unpaired_low) / 2
    a, b = results.rows("A"), results.rows("B")
    assert (a["repair_hours"].to_numpy() == b["repair_hours"].to_numpy()).all()  # common numbers


def test_rows_stream_to_disk_in_batches_with_few_tasks_in_flight(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "BATCH_ROWS", 2)
    out = tmp_path / "runs.parquet"
    assert dryrun(str(SCENARIO), "--runs", "5", "--workers", "1", "-o", str(out)) == 0
    assert pq.ParquetFile(out).metadata.num_row_groups == 3
    assert not (tmp_path / "runs.parquet.partial").exists()
    plan = make_plan(SCENARIO, None, seed=0)
    submitted: list[int] = []
    taken = 0
    original = runner._Inline.submit

    def counting(self: Any, fn: Any, task: Any) -> Any:
        submitted.append(task[1][0])
        assert len(submitted) - taken <= runner.IN_FLIGHT_PER_WORKER * 1 + 1
        return original(self, fn, task)

    monkeypatch.setattr(runner._Inline, "submit", counting)
    rows = runner.run_tasks([plan], 40, workers=1, chunk=1)
    for _ in rows:
        taken += 1
        if taken == 3:
            break
    assert len(submitted) <= runner.IN_FLIGHT_PER_WORKER + 3  # lazily, not all 40 at once


def test_a_dry_run_in_the_calling_process_gives_its_heap_back(tmp_path: Path) -> None:
    """One worker is the caller itself: its heap is frozen for the runs only, so a
    reference cycle the caller drops afterwards is still collected."""
    plan = make_plan(SCENARIO, None, seed=3)
    assert gc.get_freeze_count() == 0
    rows = list(runner.run_tasks([plan], 2, workers=1))
    assert len(rows) == 2
    assert gc.get_freeze_count() == 0

    class Node:
        other: Any = None

    first, second = Node(), Node()
    first.other, second.other = second, first
    alive = weakref.ref(first)
    del first, second
    gc.collect()
    assert alive() is None
    # A caller that froze its heap itself (as benchmarks.dryrun does) keeps it frozen.
    gc.freeze()
    try:
        assert len(list(runner.run_tasks([plan], 1, workers=1))) == 1
        assert gc.get_freeze_count() > 0  # not given back: frozen objects freed leave it
    finally:
        gc.unfreeze()


def test_bad_input_is_reported_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "x.parquet")
    assert dryrun(str(SCENARIO), "--runs", "2", "--vary", "repair_hours=lognorm(1)", "-o", out) == 1
    assert "column 14: unknown distribution 'lognorm'" in capsys.readouterr().err
    assert dryrun(str(SCENARIO), "--runs", "2", "-o", str(tmp_path / "x.txt")) == 2
    with pytest.raises(SystemExit) as usage:
        dryrun(str(SCENARIO), "--runs", "0", "-o", out)
    assert usage.value.code == 2
    assert dryrun(str(tmp_path / "missing.yaml"), "--runs", "1", "-o", out) == 1
    assert "file not found" in capsys.readouterr().err
    assert not Path(out).exists()


def test_a_cluster_that_cannot_be_reached_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("distributed")
    out = tmp_path / "x.parquet"
    code = dryrun(str(SCENARIO), "--runs", "1", "--scheduler", "tcp://127.0.0.1:9", "-o", str(out))
    assert code == 1
    assert "scheduler tcp://127.0.0.1:9" in capsys.readouterr().err
    assert not out.exists()
