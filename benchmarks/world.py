"""``python -m benchmarks.world``: the cost of the world model on a no-action 72-hour run.

Runs the reference gmina's scenario (``scenarios/mokry-snieg.yaml``) for 72 sim
hours as an exercise with no team action (the no-action baseline every
session computes, and every dry-run replication repeats), and in the same
process the engine alone on the same scenario (``run_scenario``), the
yardstick.  The figure is the ratio exercise / engine, the median over
``--repeat`` alternating pairs, so the load of a shared machine cancels out.

Target (issue 12): the world model keeps the no-action run within twice its
cost before the world model existed.  On 2026-12-01, before the world model
(commit 76d74ee), the ratio was 12.7 to 13.2 (``BEFORE_RATIO`` = 13), so the
target is a ratio of at most 26.  Exit status 0 if met, 1 if not.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

__all__ = ["BEFORE_RATIO", "TARGET_RATIO", "main"]

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "mokry-snieg.yaml"
#: Exercise / engine time of the no-action 72 h run before the world model.
BEFORE_RATIO = 13.0
TARGET_RATIO = 2 * BEFORE_RATIO


def main(argv: list[str] | None = None) -> int:
    """Measure and report; see the module's description."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.world",
        description="Time a no-action 72 h exercise of the reference gmina against the engine.",
    )
    parser.add_argument("--repeat", type=int, default=7, metavar="N", help="pairs (median)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    from cybrelia.exercise.core import Exercise
    from cybrelia.files.validation import load_scenario
    from cybrelia.headless.simulate import run_scenario

    loaded = load_scenario(SCENARIO)
    ratios, exercise_times = [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        exercise = Exercise(loaded)
        exercise.advance_to(72.0)
        exercise_time = time.perf_counter() - started
        started = time.perf_counter()
        run_scenario(loaded, until=72.0)
        engine_time = time.perf_counter() - started
        ratios.append(exercise_time / engine_time)
        exercise_times.append(exercise_time)
    ratio = statistics.median(ratios)
    verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
    print(f"scenario: {loaded.scenario.id}, 72 h, no action, {len(loaded.model.assets)} assets")
    print(f"exercise: {statistics.median(exercise_times) * 1000:.0f} ms (median of {args.repeat})")
    print(f"ratio:    {ratio:.1f} x the engine alone (before the world model: {BEFORE_RATIO:g})")
    print(f"target:   <= {TARGET_RATIO:g}  {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
