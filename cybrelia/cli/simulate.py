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
    from rich.console import Console

    from cybrelia.files.validation import load_scenario
    from cybrelia.headless.simulate import run_scenario, write_jsonl
    from cybrelia.headless.timeline import TimelinePrinter

    loaded = load_scenario(args.scenario)
    if args.jsonl is None:
        printer = TimelinePrinter(loaded.scenario, loaded.model, Console(highlight=False))
        run_scenario(loaded, seed=args.seed, until=args.until, on_step=printer)
        return EXIT_OK
    run = run_scenario(loaded, seed=args.seed, until=args.until)
    return write_output(args.jsonl, lambda out: write_jsonl(run.steps, out))
