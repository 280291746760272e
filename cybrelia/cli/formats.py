"""``cybrelia validate`` and ``cybrelia schema``: the file formats, checked and described."""

from __future__ import annotations

import argparse
import sys
from functools import partial

from cybrelia.cli.common import EXIT_INVALID, EXIT_OK, Commands, file_arg, print_diagnostics, say
from cybrelia.i18n import text

__all__ = ["register"]

#: The file formats ``cybrelia schema`` describes.
KINDS = ("scenario", "model", "responses", "export")


def register(commands: Commands) -> None:
    """Add ``validate`` and ``schema``."""
    _add_validate(commands)
    _add_schema(commands)


def _add_validate(commands: Commands) -> None:
    validate = commands.add_parser(
        "validate",
        help="check model and scenario files",
        description="Check model and "
        "scenario files; report every error and warning as FILE:LINE: PATH: message.",
    )
    validate.add_argument("files", nargs="+", metavar="FILE", type=file_arg)
    validate.set_defaults(run=_validate)


def _add_schema(commands: Commands) -> None:
    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of a file format",
        description="Print the JSON Schema of scenario, model or responses files, for editors, "
        "or of one record of a session export (cybrelia export --jsonl).",
    )
    schema.add_argument("kind", nargs="?", default="scenario", choices=list(KINDS))
    schema.set_defaults(run=_schema)


def _validate(args: argparse.Namespace) -> int:
    from cybrelia.headless.checks import check_file

    errors = warnings = 0
    for file in args.files:
        diagnostics = check_file(file)
        print_diagnostics(diagnostics, sys.stdout)
        errors += sum(d.severity == "error" for d in diagnostics)
        warnings += sum(d.severity == "warning" for d in diagnostics)
    say(
        "cli.checked",
        files=len(args.files),
        verdict=partial(text, "cli.invalid" if errors else "cli.valid"),
        errors=errors,
        warnings=warnings,
    )
    return EXIT_INVALID if errors else EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    import json

    from pydantic import BaseModel

    if args.kind == "export":
        from cybrelia.exercise.export_format import EXPORT_SCHEMA

        print(json.dumps(EXPORT_SCHEMA, indent=2, ensure_ascii=False))
        return EXIT_OK

    from cybrelia.files.model import InfrastructureModel
    from cybrelia.files.responses import Responses
    from cybrelia.files.scenario import Scenario

    formats: dict[str, type[BaseModel]] = {
        "scenario": Scenario,
        "model": InfrastructureModel,
        "responses": Responses,
    }
    cls = formats[args.kind]
    print(json.dumps(cls.model_json_schema(by_alias=True), indent=2, ensure_ascii=False))
    return EXIT_OK
