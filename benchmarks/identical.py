"""``python -m benchmarks.identical``: fingerprints of every output a speed change must keep.

A change made for speed must leave every result byte for byte as it was
(docs/performance.md).  This prints one SHA-256 per output: every event
(as :func:`cybrelia.exercise.events.to_record` writes it) and the person-hour
totals of every bundled scenario, played with its response script, as its
no-action baseline (without the teams' inputs) and with no script at all,
under seeds 1, 7, 42 and 12345; and the rows of two dry runs of the reference
gmina (with its script and a varied repair time, and without a script).

Run it on the old code with ``--write FILE``, then on the new with
``--check FILE``: exit status 0 if every fingerprint is equal, 1 if not (the
differing ones are listed).  It takes about a minute on a quiet machine.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

__all__ = ["SEEDS", "fingerprints", "main"]

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
#: The seeds every bundled scenario is played under.
SEEDS = (1, 7, 42, 12345)
#: Runs of each dry run.
DRY_RUNS = 12


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _exercise(path: Path, seed: int, mode: str) -> str:
    """The fingerprint of one played exercise: its events and its totals."""
    from cybrelia.exercise.core import Exercise
    from cybrelia.exercise.driver import play_exercise
    from cybrelia.exercise.events import to_record
    from cybrelia.files.validation import load_responses, load_scenario

    loaded = load_scenario(path)
    script = path.with_name(path.name.replace(".yaml", ".responses.yaml"))
    responses = load_responses(script) if mode != "none" and script.exists() else None
    exercise = Exercise(loaded, seed=seed)
    play_exercise(exercise, responses, team_inputs=mode == "scripted")
    totals = {
        "person_hours": exercise.person_hours,
        "in_need": exercise.person_hours_in_need,
        "at_risk": exercise.person_hours_at_risk,
        "deprived": exercise.person_hours_deprived,
        "peak": exercise.peak_in_need,
    }
    return _digest([[to_record(event) for event in exercise.history], totals])


def _dry_run(responses: Path | None, specs: list[str]) -> str:
    """The fingerprint of the rows of a dry run of the reference gmina."""
    from cybrelia.ensemble.plan import make_plan
    from cybrelia.ensemble.runner import run_tasks

    plan = make_plan(SCENARIOS / "mokry-snieg.yaml", responses, seed=3, specs=specs)
    return _digest([repr(row) for row in run_tasks([plan], DRY_RUNS)])


def fingerprints() -> dict[str, str]:
    """Every fingerprint, by a name that says what it is of."""
    out: dict[str, str] = {}
    for path in sorted(SCENARIOS.glob("*.yaml")):
        if path.name.endswith(".responses.yaml"):
            continue
        for seed in SEEDS:
            for mode in ("scripted", "baseline", "none"):
                name = f"{path.stem}/{seed}/{mode}"
                print(name, file=sys.stderr)
                out[name] = _exercise(path, seed, mode)
    reference = SCENARIOS / "mokry-snieg.responses.yaml"
    out["dryrun/scripted"] = _dry_run(reference, ["repair_hours=lognormal(1,0.3)"])
    out["dryrun/no-action"] = _dry_run(None, [])
    return out


def main(argv: list[str] | None = None) -> int:
    """Write or check the fingerprints; see the module's description."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.identical",
        description="Fingerprint every output of the bundled scenarios and of two dry runs.",
    )
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", type=Path, metavar="FILE")
    group.add_argument("--check", type=Path, metavar="FILE")
    args = parser.parse_args(argv)
    now = fingerprints()
    if args.write is not None:
        args.write.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"{len(now)} fingerprints written to {args.write}")
        return 0
    before = json.loads(args.check.read_text(encoding="utf-8"))
    differ = sorted(
        name for name in before.keys() | now.keys() if before.get(name) != now.get(name)
    )
    for name in differ:
        print(f"DIFFERS: {name}")
    print(f"{len(now) - len(differ)} of {len(now)} fingerprints equal")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
