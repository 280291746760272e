"""``python -m benchmarks.replications MODE N``: N replications of the reference gmina, to count.

The per-replication cost in machine instructions, exact whatever the load of
the machine (docs/performance.md): run this under callgrind with ``N`` and with
0, and divide the difference of the two totals by ``N``::

    valgrind --tool=callgrind python -m benchmarks.replications no-action 4
    valgrind --tool=callgrind python -m benchmarks.replications no-action 0

Both processes load the scenario and play one no-action run and one scripted
replication first (imports, caches and first-call costs, the same in both), so
the difference is ``N`` replications alone.  ``MODE`` is ``no-action``
(``Exercise(loaded)`` and ``advance_to(72)``) or ``scripted`` (a dry-run row:
the run with the bundled script, ``repair_hours=lognormal(1,0.3)``, and its
no-action baseline, as :func:`cybrelia.ensemble.replicate.replicate` plays them).
``--freeze`` freezes the heap after the warm-up, as a dry run's worker does
(:func:`cybrelia.ensemble.replicate.freeze_heap`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["main"]

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "mokry-snieg.yaml"
RESPONSES = ROOT / "scenarios" / "mokry-snieg.responses.yaml"


def main(argv: list[str] | None = None) -> int:
    """Play the replications; see the module's description."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.replications",
        description="Play N replications of the reference gmina after a warm-up.",
    )
    parser.add_argument("mode", choices=["no-action", "scripted"])
    parser.add_argument("runs", type=int, metavar="N")
    parser.add_argument(
        "--freeze",
        action="store_true",
        help="freeze the heap after the warm-up, as a dry run's worker does",
    )
    args = parser.parse_args(argv)

    from cybrelia.ensemble.plan import make_plan, prepare
    from cybrelia.ensemble.replicate import replicate
    from cybrelia.exercise.core import Exercise
    from cybrelia.files.validation import load_scenario

    loaded = load_scenario(SCENARIO)
    plan = make_plan(SCENARIO, RESPONSES, seed=1, specs=["repair_hours=lognormal(1,0.3)"])
    prepared = prepare(plan)
    Exercise(loaded).advance_to(loaded.scenario.duration)
    replicate(prepared, 0, ())
    if args.freeze:
        from cybrelia.ensemble.replicate import freeze_heap

        freeze_heap()
    for run in range(1, args.runs + 1):
        if args.mode == "no-action":
            Exercise(loaded).advance_to(loaded.scenario.duration)
        else:
            replicate(prepared, run, ())
    return 0


if __name__ == "__main__":
    sys.exit(main())
