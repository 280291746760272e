"""``cybrelia msel export|import``: the inject list as a spreadsheet (XLSX or CSV)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cybrelia.cli.common import EXIT_INVALID, EXIT_OK, EXIT_USAGE, Commands, say, scenario_arg

__all__ = ["register"]


def register(commands: Commands) -> None:
    """Add ``msel`` and its actions ``export`` and ``import``."""
    msel = commands.add_parser("msel", help="the inject list as a spreadsheet (XLSX or CSV)")
    actions = msel.add_subparsers(dest="msel_command", required=True, metavar="ACTION")
    _add_export(actions)
    _add_import(actions)


def _add_export(actions: Commands) -> None:
    export = actions.add_parser(
        "export", help="write a scenario's injects to FILE.xlsx or FILE.csv"
    )
    export.add_argument("scenario", metavar="SCENARIO", type=scenario_arg)
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    export.set_defaults(run=_export)


def _add_import(actions: Commands) -> None:
    imports = actions.add_parser("import", help="replace a scenario's injects with a sheet's rows")
    imports.add_argument("sheet", metavar="FILE", type=Path)
    imports.add_argument("--into", type=Path, required=True, metavar="SCENARIO")
    imports.add_argument(
        "--allow-empty", action="store_true", help="accept a sheet without injects"
    )
    imports.set_defaults(run=_import)


def _export(args: argparse.Namespace) -> int:
    from cybrelia.files.msel import export_msel

    try:
        path = export_msel(args.scenario, args.output)
    except ValueError as error:
        print(str(error), file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        say("cli.cannot_write", path=args.output, reason=error.strerror or error)
        return EXIT_INVALID
    say("cli.wrote", path=path)
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from cybrelia.files.msel import backup_path, import_msel

    count = import_msel(args.sheet, args.into, allow_empty=args.allow_empty)
    say(
        "cli.imported",
        path=args.into,
        count=count,
        sheet=args.sheet,
        backup=backup_path(args.into).name,
    )
    return EXIT_OK
