"""``cybrelia scenarios``: the scenario library, listed or as coverage matrices."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cybrelia.cli.common import EXIT_INVALID, EXIT_OK, Commands, say

__all__ = ["register"]

#: The columns of the listing, in order.
COLUMNS = ("id", "title", "model", "length", "teams", "pillars")


def register(commands: Commands) -> None:
    """Add ``scenarios``."""
    scenarios = commands.add_parser(
        "scenarios",
        help="list the bundled scenarios",
        description="List scenarios with title, model, duration, teams and pillars; with "
        "--coverage, print the matrices of scenarios against pillars and actions (Markdown).",
    )
    scenarios.add_argument("folder", nargs="?", type=Path, metavar="DIR")
    scenarios.add_argument("--coverage", action="store_true")
    scenarios.set_defaults(run=_scenarios)


def _scenarios(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from cybrelia.files.library import bundled_scenarios, coverage_markdown, listing, load_infos

    paths = bundled_scenarios(args.folder)
    if not paths:
        if args.folder:
            say("cli.no_scenarios", folder=args.folder)
        else:
            say("cli.no_bundled_scenarios")
        return EXIT_INVALID
    infos = load_infos(paths)
    if args.coverage:
        sys.stdout.write(coverage_markdown(infos))
        return EXIT_OK
    table = Table()
    for header in COLUMNS:
        table.add_column(header, no_wrap=header != "teams")
    for row in listing(infos):
        table.add_row(*row)
    Console(highlight=False).print(table)
    return EXIT_OK
