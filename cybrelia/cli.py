"""The ``cybrelia`` command.

Exit codes: 0 success, 1 invalid input (every problem listed as
``FILE:LINE: PATH: message``), 2 usage error.  Bad input never ends in a
traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from rich.console import Console

from cybrelia.exercise.journal import JournalError
from cybrelia.files.diagnostics import Diagnostic, ValidationFailed
from cybrelia.files.durations import parse_duration

__all__ = ["main"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _duration(text: str) -> float:
    try:
        return parse_duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cybrelia",
        description="Tabletop crisis-exercise simulator for municipal civil protection.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check model and scenario files",
        description="Check model and "
        "scenario files; report every error and warning as FILE:LINE: PATH: message.",
    )
    validate.add_argument("files", nargs="+", metavar="FILE", type=_file_arg)

    simulate = commands.add_parser(
        "simulate",
        help="run a scenario headless",
        description="Run a scenario's injects through the cascade engine and print its "
        "timeline, or write the changes as JSON Lines.",
    )
    simulate.add_argument("scenario", metavar="SCENARIO", type=_scenario_arg)
    simulate.add_argument(
        "--until", type=_duration, metavar="DURATION", help="stop at this time (default: duration)"
    )
    simulate.add_argument("--seed", type=int, metavar="N", help="override the scenario's seed")
    simulate.add_argument(
        "--jsonl", metavar="PATH|-", help="write the changes as JSON Lines to PATH or stdout"
    )

    play = commands.add_parser(
        "play",
        help="open the facilitator console (TUI)",
        description="Open the facilitator console on a new session of SCENARIO, or resume "
        "the session at --session; with neither, choose a bundled scenario.",
    )
    play.add_argument("scenario", nargs="?", metavar="SCENARIO", type=_scenario_arg)
    play.add_argument("--session", type=Path, metavar="PATH")
    play.add_argument("--lang", choices=["pl", "en"], help="language (default: the locale)")

    run = commands.add_parser(
        "run",
        help="play a whole exercise headless from a response script",
        description="Play a scenario with scripted team actions and ratings, journaling "
        "every input into a session file.",
    )
    run.add_argument("scenario", metavar="SCENARIO", type=_scenario_arg)
    run.add_argument("--responses", type=Path, required=True, metavar="FILE")
    run.add_argument("--session", type=Path, required=True, metavar="PATH")
    run.add_argument(
        "--pace", type=float, metavar="SECONDS_PER_SIM_HOUR", help="slow down to wall-clock pace"
    )
    run.add_argument("--resume", action="store_true", help="continue a session whose process died")

    export = commands.add_parser(
        "export",
        help="write a session as JSON Lines",
        description="Replay a session and write its records, scores and summary (with the "
        "no-action baseline) as JSON Lines.",
    )
    export.add_argument("session", metavar="SESSION", type=Path)
    export.add_argument("--jsonl", required=True, metavar="PATH|-")

    report = commands.add_parser(
        "report",
        help="write the after-action report of one or more sessions",
        description="Write DIR/report.html (self-contained) and DIR/report.md with charts; "
        "with several sessions of one scenario, compare them.",
    )
    report.add_argument("sessions", nargs="+", metavar="SESSION", type=Path)
    report.add_argument("-o", "--output", type=Path, default=Path("report"), metavar="DIR")
    report.add_argument("--lang", choices=["pl", "en"], default="pl")
    report.add_argument("--xlsx", action="store_true", help="also export the tables to XLSX")

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of a file format",
        description="Print the JSON Schema of scenario, model or responses files, for editors.",
    )
    schema.add_argument(
        "kind", nargs="?", default="scenario", choices=["scenario", "model", "responses"]
    )

    scenarios = commands.add_parser(
        "scenarios",
        help="list the bundled scenarios",
        description="List scenarios with title, model, duration, teams and pillars; with "
        "--coverage, print the matrices of scenarios against pillars and actions (Markdown).",
    )
    scenarios.add_argument("folder", nargs="?", type=Path, metavar="DIR")
    scenarios.add_argument("--coverage", action="store_true")

    msel = commands.add_parser("msel", help="the inject list as a spreadsheet (XLSX or CSV)")
    msel_commands = msel.add_subparsers(dest="msel_command", required=True, metavar="ACTION")
    msel_export = msel_commands.add_parser(
        "export", help="write a scenario's injects to FILE.xlsx or FILE.csv"
    )
    msel_export.add_argument("scenario", metavar="SCENARIO", type=_scenario_arg)
    msel_export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    msel_import = msel_commands.add_parser(
        "import", help="replace a scenario's injects with a sheet's rows"
    )
    msel_import.add_argument("sheet", metavar="FILE", type=Path)
    msel_import.add_argument("--into", type=Path, required=True, metavar="SCENARIO")

    graph = commands.add_parser(
        "graph",
        help="draw a model's dependency graph",
        description="Draw the dependency graph of an infrastructure model (PNG, SVG or PDF).",
    )
    graph.add_argument("model", metavar="MODEL", type=_model_arg)
    graph.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    graph.add_argument("--no-labels", action="store_true", help="leave asset ids out")

    generate = commands.add_parser("generate", help="generate large models for benchmarks")
    kinds = generate.add_subparsers(dest="kind", required=True, metavar="KIND")
    region = kinds.add_parser(
        "region",
        help="a region of many gminas sharing HV substations and a telecom/IT core",
        description="Write a large region model (JSON) and a cascade scenario beside it.",
    )
    region.add_argument("--gminas", type=int, required=True, metavar="N")
    region.add_argument("--seed", type=int, default=0, metavar="S")
    region.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    return parser


def _scenario_arg(value: str) -> Path:
    """A scenario file, or the id of a bundled one (``mokry-snieg``)."""
    from cybrelia.files.library import resolve

    try:
        return resolve(value, "scenario")
    except FileNotFoundError:
        return Path(value)  # loading it reports the missing file as a located error


def _model_arg(value: str) -> Path:
    """A model file, or the id of a bundled one (``gmina-przykladowa``)."""
    from cybrelia.files.library import resolve

    try:
        return resolve(value, "model")
    except FileNotFoundError:
        return Path(value)


def _file_arg(value: str) -> Path:
    """Any file ``validate`` checks, or the id of a bundled scenario or model."""
    scenario = _scenario_arg(value)
    return scenario if scenario.exists() else _model_arg(value)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``cybrelia`` console script."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args.files)
        if args.command == "simulate":
            return _simulate(args.scenario, args.until, args.seed, args.jsonl)
        if args.command == "generate":
            return _generate(args.gminas, args.seed, args.output)
        if args.command == "play":
            from cybrelia.tui.app import run_play  # the only command that needs Textual

            return run_play(args.scenario, args.session, args.lang)
        if args.command == "run":
            return _run(args.scenario, args.responses, args.session, args.pace, args.resume)
        if args.command == "export":
            return _export(args.session, args.jsonl)
        if args.command == "schema":
            return _schema(args.kind)
        if args.command == "report":
            from cybrelia.report import cli_report

            return cli_report(args.sessions, args.output, args.lang, args.xlsx)
        if args.command == "graph":
            return _graph(args.model, args.output, not args.no_labels)
        if args.command == "scenarios":
            return _scenarios(args.folder, args.coverage)
        if args.command == "msel":
            return _msel(args)
    except ValidationFailed as failure:
        _print_diagnostics(failure.diagnostics)
        return EXIT_INVALID
    except JournalError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (| head); nothing left to say
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    raise AssertionError(args.command)  # pragma: no cover - argparse requires a command


def _print_diagnostics(diagnostics: Sequence[Diagnostic], stream: TextIO | None = None) -> None:
    out = sys.stderr if stream is None else stream
    for diagnostic in diagnostics:
        print(diagnostic, file=out)


def _validate(files: Sequence[Path]) -> int:
    from cybrelia.headless.checks import check_file

    errors = warnings = 0
    for file in files:
        diagnostics = check_file(file)
        _print_diagnostics(diagnostics, sys.stdout)
        errors += sum(d.severity == "error" for d in diagnostics)
        warnings += sum(d.severity == "warning" for d in diagnostics)
    verdict = "invalid" if errors else "valid"
    print(
        f"{len(files)} file(s) {verdict}: {errors} error(s), {warnings} warning(s)",
        file=sys.stderr,
    )
    return EXIT_INVALID if errors else EXIT_OK


def _simulate(scenario: Path, until: float | None, seed: int | None, jsonl: str | None) -> int:
    from cybrelia.files.validation import load_scenario
    from cybrelia.headless.simulate import run_scenario, write_jsonl
    from cybrelia.headless.timeline import TimelinePrinter

    loaded = load_scenario(scenario)
    if jsonl is None:
        printer = TimelinePrinter(loaded.scenario, loaded.model, Console(highlight=False))
        run_scenario(loaded, seed=seed, until=until, on_step=printer)
        return EXIT_OK
    run = run_scenario(loaded, seed=seed, until=until)
    if jsonl == "-":
        write_jsonl(run.steps, sys.stdout)
        sys.stdout.flush()
    else:
        try:
            with open(jsonl, "w", encoding="utf-8") as out:
                write_jsonl(run.steps, out)
        except OSError as error:
            print(f"{jsonl}: cannot write: {error.strerror or error}", file=sys.stderr)
            return EXIT_INVALID
    return EXIT_OK


def _run(
    scenario: Path, responses_path: Path, session_path: Path, pace: float | None, resume: bool
) -> int:
    from cybrelia.exercise.driver import play
    from cybrelia.exercise.session import Session
    from cybrelia.files.validation import load_responses

    responses = load_responses(responses_path)
    if pace is not None and pace < 0:
        print("--pace must not be negative", file=sys.stderr)
        return EXIT_USAGE
    if resume:
        session = Session.open(session_path)
    elif session_path.exists():
        print(
            f"{session_path}: a session exists there already; use --resume to continue it",
            file=sys.stderr,
        )
        return EXIT_INVALID
    else:
        session = Session.create(scenario, session_path)
    try:
        play(session, responses, pace=pace)
    finally:
        session.close()
    print(f"session {session_path}: played to t = {session.now:g} h", file=sys.stderr)
    return EXIT_OK


def _export(session_path: Path, jsonl: str) -> int:
    from cybrelia.exercise.export import replay_session, write_export

    replay = replay_session(session_path)
    if jsonl == "-":
        write_export(replay, sys.stdout)
        sys.stdout.flush()
        return EXIT_OK
    try:
        with open(jsonl, "w", encoding="utf-8") as out:
            write_export(replay, out)
    except OSError as error:
        print(f"{jsonl}: cannot write: {error.strerror or error}", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def _schema(kind: str) -> int:
    import json

    from pydantic import BaseModel

    from cybrelia.files.model import InfrastructureModel
    from cybrelia.files.responses import Responses
    from cybrelia.files.scenario import Scenario

    formats: dict[str, type[BaseModel]] = {
        "scenario": Scenario,
        "model": InfrastructureModel,
        "responses": Responses,
    }
    cls = formats[kind]
    print(json.dumps(cls.model_json_schema(by_alias=True), indent=2, ensure_ascii=False))
    return EXIT_OK


def _scenarios(folder: Path | None, coverage: bool) -> int:
    from rich.table import Table

    from cybrelia.files.library import bundled_scenarios, coverage_markdown, listing, load_infos

    paths = bundled_scenarios(folder)
    if not paths:
        print(f"no scenarios in {folder or 'the bundled folder'}", file=sys.stderr)
        return EXIT_INVALID
    infos = load_infos(paths)
    if coverage:
        sys.stdout.write(coverage_markdown(infos))
        return EXIT_OK
    table = Table()
    for header in ("id", "title", "model", "length", "teams", "pillars"):
        table.add_column(header, no_wrap=header != "teams")
    for row in listing(infos):
        table.add_row(*row)
    Console(highlight=False).print(table)
    return EXIT_OK


def _msel(args: argparse.Namespace) -> int:
    from cybrelia.files.msel import export_msel, import_msel

    if args.msel_command == "export":
        try:
            path = export_msel(args.scenario, args.output)
        except ValueError as error:
            print(str(error), file=sys.stderr)
            return EXIT_USAGE
        except OSError as error:
            print(f"{args.output}: cannot write: {error.strerror or error}", file=sys.stderr)
            return EXIT_INVALID
        print(f"wrote {path}", file=sys.stderr)
        return EXIT_OK
    count = import_msel(args.sheet, args.into)
    print(f"{args.into}: {count} injects imported from {args.sheet}", file=sys.stderr)
    return EXIT_OK


def _graph(model_path: Path, output: Path, labels: bool) -> int:
    from cybrelia.files.graph import draw_dependency_graph
    from cybrelia.files.validation import load_model

    figure = draw_dependency_graph(load_model(model_path), labels=labels)
    try:
        figure.savefig(output, dpi=150)
    except (OSError, ValueError) as error:
        print(f"{output}: cannot write: {error}", file=sys.stderr)
        return EXIT_INVALID
    print(f"wrote {output}", file=sys.stderr)
    return EXIT_OK


def _generate(gminas: int, seed: int, output: Path) -> int:
    from cybrelia.files.generate import write_region

    if gminas < 1:
        print("--gminas must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    model_path, scenario_path = write_region(gminas, seed=seed, out=output)
    print(f"wrote {model_path} and {scenario_path}", file=sys.stderr)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
