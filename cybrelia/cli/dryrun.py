"""``cybrelia dryrun``: run an ensemble, reopen one run as a session, report on an ensemble.

::

    cybrelia dryrun SCENARIO [--responses R] --runs N [--seed S] [--vary SPEC ...]
                    [--workers W | --scheduler ADDRESS] [--compare PLAN_A PLAN_B] -o OUT
    cybrelia dryrun replay OUT RUN --session S [--plan A|B]
    cybrelia dryrun report OUT [-o DIR] [--lang pl|en]

Exit codes as for every command: 0 success, 1 invalid input, 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cybrelia.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    Commands,
    positive_arg,
    say,
    scenario_arg,
    seed_arg,
)

if TYPE_CHECKING:
    from cybrelia.ensemble.plan import Plan

__all__ = ["main", "register"]


def _text(key: str, lang: str, **values: object) -> str:
    from cybrelia.i18n import text

    name = f"dryrun.cli.{key}"  # keys: the dryrun.cli.* block of the catalogue
    return text(name, lang, **values)


def _run_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cybrelia dryrun",
        description="Run N seeded replications of an exercise, varying what --vary names, "
        "and write one row per run to OUT.parquet or OUT.csv (docs/dryrun.md). "
        "Also: 'cybrelia dryrun replay OUT RUN --session S' and 'cybrelia dryrun report OUT'.",
    )
    parser.add_argument(
        "scenario", metavar="SCENARIO", type=scenario_arg, help="a scenario file or bundled id"
    )
    parser.add_argument("--responses", type=Path, metavar="R", help="the teams' response script")
    parser.add_argument("--runs", type=positive_arg, required=True, metavar="N")
    parser.add_argument(
        "--seed", type=seed_arg, metavar="S", help="base seed (default: scenario's)"
    )
    parser.add_argument(
        "--vary",
        action="append",
        default=[],
        metavar="SPEC",
        help="what to vary, e.g. repair_hours=lognormal(1,0.3) (repeatable)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--workers", type=positive_arg, metavar="W", help="processes (default: the CPU count)"
    )
    where.add_argument("--scheduler", metavar="ADDRESS", help="a Dask scheduler, tcp://HOST:PORT")
    parser.add_argument(
        "--compare",
        nargs=2,
        metavar=("PLAN_A", "PLAN_B"),
        help="two plans on common random numbers: each a response script, "
        "'-' for --responses, and/or ';'-separated --vary specs",
    )
    parser.add_argument("--chunk", type=positive_arg, metavar="RUNS", help="runs per task")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="OUT")
    parser.add_argument("--lang", choices=["pl", "en"], default="en", help="language of messages")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def _replay_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cybrelia dryrun replay",
        description="Reopen one run of a dry run as a session (played to its end), "
        "to watch in the console or report on.",
    )
    parser.add_argument("results", type=Path, metavar="OUT")
    parser.add_argument("run", type=int, metavar="RUN")
    parser.add_argument("--session", type=Path, required=True, metavar="S")
    parser.add_argument("--plan", metavar="LABEL", help="which plan of a comparison (A or B)")
    parser.add_argument("--lang", choices=["pl", "en"], default="en")
    return parser


def _report_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cybrelia dryrun report",
        description="Write DIR/report.html and DIR/report.md about a dry run: distributions, "
        "people in need over time, sensitivity, and the hardest runs.",
    )
    parser.add_argument("results", type=Path, metavar="OUT")
    parser.add_argument("-o", "--output", type=Path, default=Path("dryrun-report"), metavar="DIR")
    parser.add_argument("--lang", choices=["pl", "en"], default="pl")
    return parser


def register(commands: Commands) -> None:
    """Add ``dryrun``; its own parsers read the rest (``replay`` and ``report`` too)."""
    dryrun = commands.add_parser(
        "dryrun",
        help="ensembles of seeded runs: difficulty, plans compared, reports",
        add_help=False,
        prefix_chars="\0",
    )
    dryrun.add_argument("rest", nargs=argparse.REMAINDER)
    dryrun.set_defaults(run=lambda args: main(args.rest))


def main(argv: Sequence[str]) -> int:
    """``cybrelia dryrun ...`` (``argv`` without ``dryrun``)."""
    argv = list(argv)
    if argv[:1] == ["replay"]:
        return _replay(_replay_parser().parse_args(argv[1:]))
    if argv[:1] == ["report"]:
        return _report(_report_parser().parse_args(argv[1:]))
    return _dryrun(_run_parser().parse_args(argv))


def _plans(args: argparse.Namespace, scenario: Path) -> list[Plan]:
    from cybrelia.ensemble.plan import make_plan
    from cybrelia.files.validation import load_scenario

    seed = args.seed if args.seed is not None else load_scenario(scenario).scenario.seed
    if args.compare is None:
        return [make_plan(scenario, args.responses, seed=seed, specs=args.vary)]
    plans = []
    for label, text in zip(("A", "B"), args.compare, strict=True):
        responses, specs = args.responses, list(args.vary)
        for item in (part.strip() for part in text.split(";")):
            if not item or item == "-":
                continue
            if "=" not in item:
                responses = Path(item)  # a response script
            else:
                specs.append(item)
        plans.append(make_plan(scenario, responses, seed=seed, specs=specs, label=label))
    return plans


def _dryrun(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from cybrelia.ensemble.plan import PlanErrors
    from cybrelia.ensemble.runner import open_writer, run_tasks

    if args.output.suffix.lower() not in (".parquet", ".csv"):
        say("cli.output_suffix", path=args.output)
        return EXIT_USAGE
    scenario = args.scenario
    try:
        plans = _plans(args, scenario)
    except PlanErrors as errors:
        for error in errors.errors:
            print(error.located(), file=sys.stderr)
        return EXIT_INVALID
    workers = args.workers or os.cpu_count() or 1
    labels = len(plans) > 1
    try:
        writer = open_writer(args.output, plans, args.runs, labels=labels)
    except OSError as error:
        say("cli.cannot_write", path=args.output, reason=error.strerror or error)
        return EXIT_INVALID
    console = Console(stderr=True)
    total = args.runs * len(plans)
    progress = Progress(
        TextColumn("[bold]dryrun"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=args.quiet or not console.is_terminal,
    )
    try:
        rows = run_tasks(
            plans,
            args.runs,
            workers=workers,
            scheduler=args.scheduler,
            chunk=args.chunk,
            labels=labels,
        )
        with progress:
            bar = progress.add_task(_text("runs", args.lang), total=total)
            for row in rows:
                writer.write(row)
                progress.advance(bar)
        writer.close()
    except (OSError, TimeoutError) as error:
        writer.abort()
        if args.scheduler:
            say("cli.scheduler_failed", address=args.scheduler, error=error)
        else:
            say("cli.located", path=args.output, error=error)
        return EXIT_INVALID
    except BaseException:
        writer.abort()
        raise
    print(_text("wrote", args.lang, n=args.runs, path=args.output), file=sys.stderr)
    if labels:
        _print_comparison(args.output, args.lang)
    return EXIT_OK


def _print_comparison(path: Path, lang: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from cybrelia.ensemble.compare import figure_name
    from cybrelia.ensemble.results import compare_plans, read_results

    differences = compare_plans(read_results(path))
    table = Table(title=_text("compare", lang, n=differences[0].n if differences else 0))
    for header in ("figure", "difference", "interval", "unpaired"):
        table.add_column(_text(header, lang), justify="left" if header == "figure" else "right")
    for d in differences:
        table.add_row(
            figure_name(d.figure, lang),
            f"{d.mean:+.1f}",
            f"[{d.low:+.1f}, {d.high:+.1f}]",
            f"[{d.unpaired_low:+.1f}, {d.unpaired_high:+.1f}]",
        )
    Console(highlight=False).print(table)


def _replay(args: argparse.Namespace) -> int:
    from cybrelia.ensemble.results import replay_run

    if args.session.exists():
        say("cli.session_there", path=args.session)
        return EXIT_INVALID
    try:
        harm = replay_run(args.results, args.run, args.session, plan=args.plan)
    except (OSError, ValueError, KeyError) as error:
        say("cli.located", path=args.results, error=error)
        return EXIT_INVALID
    from cybrelia.i18n import format_number

    shown = format_number(harm, args.lang, 1)
    print(_text("replayed", args.lang, run=args.run, session=args.session, harm=shown))
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from cybrelia.ensemble.report import write_report

    try:
        paths = write_report(args.results, args.output, lang=args.lang)
    except (OSError, ValueError) as error:
        say("cli.located", path=args.results, error=error)
        return EXIT_INVALID
    for path in paths:
        say("cli.wrote", path=path)
    return EXIT_OK
