"""What every command shares: exit codes, argument types, diagnostics and output files."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO, TypeAlias

from cybrelia.files.diagnostics import Diagnostic
from cybrelia.files.durations import parse_duration
from cybrelia.files.limits import MAX_COUNT, MAX_PACE, MAX_SEED
from cybrelia.i18n import detect_lang, say, text

__all__ = [
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_USAGE",
    "Commands",
    "Runner",
    "bounded",
    "duration_arg",
    "file_arg",
    "model_arg",
    "pace_arg",
    "positive_arg",
    "print_diagnostics",
    "say",
    "scenario_arg",
    "seed_arg",
    "write_output",
]

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

#: The subcommands of a parser, to which a command group adds its own.
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
#: What runs a command: the parsed arguments in, the exit code out.
Runner = Callable[[argparse.Namespace], int]


def duration_arg(text: str) -> float:
    """A duration such as ``90m`` or ``2d 6h``, in hours; argparse reports a bad one."""
    try:
        return parse_duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def bounded(kind: type[int] | type[float], low: float, high: float) -> Callable[[str], float]:
    """An argument type: a finite number of ``kind`` within ``low..high``, else exit 2.

    The bounds are those of the file formats (``docs/reliability.md``), so a
    number the command line accepts is one a file could hold.
    """

    def convert(given: str) -> float:
        lang = detect_lang()
        try:
            value = kind(given)
        except ValueError:
            key = f"cli.arg_not_{kind.__name__}"
            raise argparse.ArgumentTypeError(text(key, lang, value=repr(given))) from None
        if not math.isfinite(value) or not low <= value <= high:
            message = text(
                "cli.arg_out_of_range",
                lang,
                value=given,
                low=_bound(low),
                high=_bound(high),
            )
            raise argparse.ArgumentTypeError(message)
        return value

    return convert


def _bound(value: float) -> str:
    """A bound written out (``9223372036854775807``, ``86400``), never ``9.22337e+18``."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


#: A seed, as in the files: an integer 0 .. 2**63 - 1.
seed_arg = bounded(int, 0, MAX_SEED)
#: ``run --pace``: wall seconds per sim hour, 0 .. a day.
pace_arg = bounded(float, 0, MAX_PACE)
#: A count of runs, workers or runs per task: a whole number of at least 1.
positive_arg = bounded(int, 1, MAX_COUNT)


def scenario_arg(value: str) -> Path:
    """A scenario file, or the id of a bundled one (``mokry-snieg``)."""
    from cybrelia.files.library import resolve

    try:
        return resolve(value, "scenario")
    except FileNotFoundError:
        return Path(value)  # loading it reports the missing file as a located error


def model_arg(value: str) -> Path:
    """A model file, or the id of a bundled one (``gmina-przykladowa``)."""
    from cybrelia.files.library import resolve

    try:
        return resolve(value, "model")
    except FileNotFoundError:
        return Path(value)


def file_arg(value: str) -> Path:
    """Any file ``validate`` checks, or the id of a bundled scenario or model."""
    scenario = scenario_arg(value)
    return scenario if scenario.exists() else model_arg(value)


def print_diagnostics(diagnostics: Sequence[Diagnostic], stream: TextIO | None = None) -> None:
    """Print each problem as ``FILE:LINE: PATH: message``, on stderr unless told otherwise."""
    out = sys.stderr if stream is None else stream
    for diagnostic in diagnostics:
        print(diagnostic, file=out)


def write_output(target: str, write: Callable[[TextIO], None]) -> int:
    """Write to the file ``target``, or to stdout for ``-``; the exit code.

    A file that cannot be written is reported on stderr (exit 1), not as a traceback.
    """
    if target == "-":
        write(sys.stdout)
        sys.stdout.flush()
        return EXIT_OK
    try:
        with open(target, "w", encoding="utf-8") as out:
            write(out)
    except OSError as error:
        say("cli.cannot_write", path=target, reason=error.strerror or error)
        return EXIT_INVALID
    return EXIT_OK
