"""``cybrelia report``: the after-action report of one or more sessions."""

from __future__ import annotations

import argparse
from pathlib import Path

from cybrelia.cli.common import Commands

__all__ = ["register"]


def register(commands: Commands) -> None:
    """Add ``report``."""
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
    report.set_defaults(run=_report)


def _report(args: argparse.Namespace) -> int:
    from cybrelia.report import cli_report

    return cli_report(args.sessions, args.output, args.lang, args.xlsx)
