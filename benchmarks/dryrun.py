"""``python -m benchmarks.dryrun``: how fast dry runs are (docs/performance.md, "Dry runs").

Three figures on the reference gmina (``scenarios/mokry-snieg.yaml``, 110 assets, 72 h),
each against its target, with the engine alone beside them as the yardstick of
this machine (the machine is shared: compare ratios, not milliseconds):

1. *no-action replication*: after load (the heap frozen as a dry run's worker freezes it,
   :func:`cybrelia.ensemble.replicate.freeze_heap`), ``Exercise(loaded, seed)`` and
   ``advance_to(72)`` in one process, median of ``--repeat``; beside it
   :func:`cybrelia.headless.simulate.run_scenario` (the engine alone) and a bare
   SimPy timeout loop (:func:`yardstick`, the machine's speed whatever the code)
   timed the same way, interleaved, and the ratios of the medians.  Target <= 10 ms.
2. *scripted replications*: ``--runs`` replications (default 1,000) of a dry run
   with the bundled response script, each the scripted run and its no-action
   baseline, through :func:`cybrelia.ensemble.runner.run_tasks` with
   ``--workers`` processes (default 2), results written to Parquet; wall
   clock from the plan to the closed file.  Target: 1,000 in <= 15 s on 2 cores
   (scaled linearly when ``--runs`` differs).
3. *pool start-up*: from creating the process pool (each worker rebuilding the
   plan from its texts) to every worker having answered an empty task.  Target
   < 1 s.

Exit status 0 if every target is met, 1 if one is missed, 3 if a measurement failed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Generator
from pathlib import Path

__all__ = ["QUIET_YARDSTICK", "TARGETS", "YARDSTICK_EVENTS", "main", "yardstick"]

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "mokry-snieg.yaml"
RESPONSES = ROOT / "scenarios" / "mokry-snieg.responses.yaml"
#: Targets: seconds for one no-action replication, 1,000 scripted ones, a pool start-up.
TARGETS = {"replication": 0.010, "scripted_1000": 15.0, "pool": 1.0}


#: Timeouts of the machine yardstick (a bare SimPy loop, independent of CYBRELIA's code).
YARDSTICK_EVENTS = 20_000
#: The yardstick's time on a quiet machine: 0.66 us per event (docs/performance.md,
#: 2026-11-27), so 13.2 ms for :data:`YARDSTICK_EVENTS`.
QUIET_YARDSTICK = 0.66e-6 * YARDSTICK_EVENTS


def yardstick() -> None:
    """A bare SimPy process doing ``yield env.timeout(1)`` :data:`YARDSTICK_EVENTS` times."""
    import simpy

    env = simpy.Environment()

    def loop() -> Generator[simpy.Event, None, None]:
        for _ in range(YARDSTICK_EVENTS):
            yield env.timeout(1)

    env.process(loop())
    env.run()


def replication(repeat: int) -> tuple[float, float, float]:
    """Medians of a no-action exercise run, of the engine alone and of the yardstick, seconds.

    The engine alone is this code's own yardstick (it gets faster too when the engine
    does); the bare SimPy loop is the machine's, the same for every version of the code,
    so the exercise's multiple of it compares versions measured at different loads.
    """
    from cybrelia.ensemble.replicate import freeze_heap
    from cybrelia.exercise.core import Exercise
    from cybrelia.files.validation import load_scenario
    from cybrelia.headless.simulate import run_scenario

    loaded = load_scenario(SCENARIO)
    Exercise(loaded).advance_to(72)  # warm-up
    run_scenario(loaded)
    yardstick()
    freeze_heap()  # as a dry run's worker does once it holds its plan
    exercise, engine, machine = [], [], []
    for _ in range(repeat):
        started = time.perf_counter()
        Exercise(loaded).advance_to(72)
        exercise.append(time.perf_counter() - started)
        started = time.perf_counter()
        run_scenario(loaded)
        engine.append(time.perf_counter() - started)
        started = time.perf_counter()
        yardstick()
        machine.append(time.perf_counter() - started)
    return statistics.median(exercise), statistics.median(engine), statistics.median(machine)


def scripted(runs: int, workers: int, out: Path) -> float:
    """Seconds for ``runs`` scripted replications (and their baselines) to Parquet."""
    from cybrelia.ensemble.plan import make_plan
    from cybrelia.ensemble.runner import open_writer, run_tasks

    started = time.perf_counter()
    plan = make_plan(SCENARIO, RESPONSES, seed=1, specs=["repair_hours=lognormal(1,0.3)"])
    writer = open_writer(out, [plan], runs, labels=False)
    for row in run_tasks([plan], runs, workers=workers):
        writer.write(row)
    writer.close()
    return time.perf_counter() - started


def pool_start(workers: int) -> float:
    """Seconds from creating the pool to an answer from every worker."""
    from cybrelia.ensemble.plan import make_plan
    from cybrelia.ensemble.replicate import replicate_many
    from cybrelia.ensemble.runner import _Pool

    plan = make_plan(SCENARIO, RESPONSES, seed=1)
    started = time.perf_counter()
    pool = _Pool(workers, [plan])
    futures = [pool.submit(replicate_many, (plan, [], None, ())) for _ in range(workers)]
    for future in futures:
        future.result()
    elapsed = time.perf_counter() - started
    pool.close()
    return elapsed


def main(argv: list[str] | None = None) -> int:
    """Measure and report; see the module's description."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.dryrun",
        description="Time dry runs of the reference gmina against their targets.",
    )
    parser.add_argument("--repeat", type=int, default=30, metavar="N")
    parser.add_argument("--runs", type=int, default=1000, metavar="N")
    parser.add_argument("--workers", type=int, default=2, metavar="W")
    args = parser.parse_args(argv)
    if min(args.repeat, args.runs, args.workers) < 1:
        parser.error("--repeat, --runs and --workers must be at least 1")
    try:
        print("no-action replications...", file=sys.stderr)
        exercise, engine, machine = replication(args.repeat)
        print("pool start-up...", file=sys.stderr)
        pool = pool_start(args.workers)
        print(f"{args.runs} scripted replications...", file=sys.stderr)
        with tempfile.TemporaryDirectory(prefix="cybrelia-bench-dryrun-") as folder:
            wall = scripted(args.runs, args.workers, Path(folder) / "runs.parquet")
    except Exception as error:  # a measurement that failed is not a missed target
        print(f"benchmarks.dryrun: {type(error).__name__}: {error}", file=sys.stderr)
        return 3
    per_1000 = wall * 1000 / args.runs
    verdicts = {
        "replication": exercise <= TARGETS["replication"],
        "scripted_1000": per_1000 <= TARGETS["scripted_1000"],
        "pool": pool < TARGETS["pool"],
    }

    def said(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    print(
        f"no-action replication, 72 h: {exercise * 1000:.1f} ms median of {args.repeat} "
        f"(engine alone {engine * 1000:.2f} ms, ratio {exercise / engine:.2f}; "
        f"{exercise / machine:.2f} x the SimPy yardstick of {machine * 1000:.1f} ms, "
        f"{exercise / machine * QUIET_YARDSTICK * 1000:.1f} ms at its quiet-machine speed); "
        f"target <= 10 ms  {said(verdicts['replication'])}"
    )
    print(
        f"scripted replications: {args.runs} in {wall:.1f} s on {args.workers} workers "
        f"({per_1000:.1f} s per 1,000, {wall / args.runs * 1000 * args.workers:.0f} ms "
        f"per run and core); target <= 15 s per 1,000  {said(verdicts['scripted_1000'])}"
    )
    print(f"pool start-up: {pool * 1000:.0f} ms; target < 1 s  {said(verdicts['pool'])}")
    return 0 if all(verdicts.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
