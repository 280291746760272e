"""``cybrelia simulate``: a scenario's injects through the engine, without an exercise."""

from __future__ import annotations

import argparse

from cybrelia.cli.common import (
    EXIT_OK,
    Commands,
    duration_arg,
    scenario_arg,
    seed_arg,
    write_output,
)

__all__ = ["register"]


def register(commands: Commands) -> None:
    """Add ``simulate``."""
    simulate = commands.add_parser(
        "simulate",
        help="run a scenario headless",
        description="Run a scenario's injects through the cascade engine and print its "
        "timeline, or write the changes as JSON Lines.",
    )
    simulate.add_argument("scenario", metavar="SCENARIO", type=scenario_arg)
    simulate.add_argument(
        "--until",
        type=duration_arg,
        metavar="DURATION",
        help="stop at this time (default: duration)",
    )
    simulate.add_argument("--seed", type=seed_arg, metavar="N", help="override the scenario's seed")
    simulate.add_argument(
        "--jsonl", metavar="PATH|-", help="write the changes as JSON Lines to PATH or stdout"
    )
    simulate.set_defaults(run=_simulate)


def _simulate(args: argparse.Namespace) -> int:
    """Load, run and write with the cyclic garbage collector paused throughout.

    Everything the command makes lives until it has written its output: the
    collector could free nothing, but would walk the model, the engine and the
    changes again and again (1.4 s of 12 s on a region of 100,000 assets).  The
    engine is closed before the pause ends, so reference counting frees it all.
    """
    from cybrelia.files.bulk import collector_paused

    with collector_paused():
        return _simulate_paused(args)


def _simulate_paused(args: argparse.Namespace) -> int:
    from cybrelia.files.validation import load_scenario
    from cybrelia.headless.simulate import run_scenario, write_jsonl

    loaded = load_scenario(args.scenario)
    if args.jsonl is None:
        from rich.console import Console

        from cybrelia.headless.timeline import TimelinePrinter

        printer = TimelinePrinter(loaded.scenario, loaded.model, Console(highlight=False))
        run = run_scenario(loaded, seed=args.seed, until=args.until, on_step=printer)
        code = EXIT_OK
    else:
        run = run_scenario(loaded, seed=args.seed, until=args.until)
        code = write_output(args.jsonl, lambda out: write_jsonl(run.steps, out))
    assert run.engine is not None  # run_scenario returns its engine
    run.engine.close()
    return code
