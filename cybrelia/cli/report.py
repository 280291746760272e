"""``cybrelia report``: the after-action report of one or more sessions."""

from __future__ import annotations

import argparse
from pathlib import Path

from cybrelia.cli.common import Commands

__all__ = ["register"]


def register(commands: Commands) -> None:
    """Add ``report``, ``eeg`` and ``ip``."""
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
    report.add_argument(
        "--label",
        action="append",
        metavar="NAME",
        help="name of a session in a comparison, once per session in order "
        "(default: the session file's name)",
    )
    report.set_defaults(run=_report)
    eeg = commands.add_parser(
        "eeg",
        help="write the exercise evaluation guide of a scenario",
        description="Write DIR/eeg.html (printable; print it to PDF) and DIR/eeg.xlsx: per "
        "objective its capability, pillar, critical tasks and expected actions, with columns "
        "for the evaluators.",
    )
    eeg.add_argument("scenario", metavar="SCENARIO", help="a scenario file or a bundled id")
    eeg.add_argument("-o", "--output", type=Path, default=Path("eeg"), metavar="DIR")
    eeg.add_argument("--lang", choices=["pl", "en"], default="pl")
    eeg.set_defaults(run=_eeg)
    ip = commands.add_parser(
        "ip",
        help="track the improvement plan across exercises",
        description="Track the improvement plan of an exercise programme.",
    )
    ip_commands = ip.add_subparsers(dest="ip_command", required=True, metavar="COMMAND")
    ip_import = ip_commands.add_parser(
        "import",
        help="merge an edited improvement_plan sheet into the programme's tracker",
        description="Merge the improvement_plan sheet of a report's workbook (cybrelia report "
        "--xlsx), as edited, into TRACKER.csv: items of the same scenario, session and source "
        "are updated, others added.",
    )
    ip_import.add_argument("workbook", type=Path, metavar="FILE.xlsx")
    ip_import.add_argument("--into", type=Path, required=True, metavar="TRACKER.csv")
    ip_import.set_defaults(run=_ip_import)


def _report(args: argparse.Namespace) -> int:
    from cybrelia.report import cli_report

    return cli_report(args.sessions, args.output, args.lang, args.xlsx, args.label)


def _eeg(args: argparse.Namespace) -> int:
    import sys

    from cybrelia.cli.common import EXIT_INVALID, EXIT_OK, print_diagnostics, say
    from cybrelia.files.diagnostics import ValidationFailed
    from cybrelia.files.library import resolve
    from cybrelia.files.validation import load_scenario
    from cybrelia.report.eeg import write_eeg

    try:
        loaded = load_scenario(resolve(args.scenario, "scenario"))
    except FileNotFoundError as error:
        say("cli.error", error=error)
        return EXIT_INVALID
    except ValidationFailed as failure:
        print_diagnostics(failure.diagnostics, sys.stderr)
        return EXIT_INVALID
    try:
        written = write_eeg(loaded.scenario, loaded.model, args.output, args.lang)
    except OSError as error:
        say("cli.cannot_write", path=args.output, reason=error.strerror or error)
        return EXIT_INVALID
    for path in written:
        print(path, file=sys.stderr)
    return EXIT_OK


def _ip_import(args: argparse.Namespace) -> int:
    import sys

    from cybrelia.cli.common import EXIT_INVALID, EXIT_OK, say
    from cybrelia.report.plan import PlanError, import_plan

    if not args.workbook.is_file():
        say("cli.no_such_file", path=args.workbook)
        return EXIT_INVALID
    try:
        tracker = import_plan(args.workbook, args.into)
    except PlanError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_INVALID
    except OSError as error:
        say("cli.cannot_write", path=args.into, reason=error.strerror or error)
        return EXIT_INVALID
    counts = tracker["status"].value_counts()
    summary = ", ".join(f"{status} {int(counts.get(status, 0))}" for status in sorted(counts.index))
    say("cli.plan_imported", path=args.into, count=len(tracker), summary=summary)
    return EXIT_OK
