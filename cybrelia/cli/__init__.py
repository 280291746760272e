"""The ``cybrelia`` command: one module per command group, each adding its own subcommands.

Exit codes: 0 success, 1 invalid input (every problem listed as
``FILE:LINE: PATH: message``), 2 usage error.  Bad input never ends in a
traceback.

Every command group is a module of this package with a ``register(commands)``
function.  It adds its subcommands to ``commands`` (one small function per
subcommand) and gives each the function that runs it with
``set_defaults(run=...)``, which takes the parsed arguments and returns the exit
code.  Adding a command is a new module here (or a function in an existing one)
and, for a new module, one line in :data:`GROUPS`.  A command imports what it
needs when it runs, so ``cybrelia --help`` stays fast and only ``play`` loads
Textual.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from cybrelia.cli import (
    dryrun,
    exercise,
    formats,
    library,
    models,
    msel,
    play,
    report,
    simulate,
)
from cybrelia.cli.common import EXIT_INVALID, EXIT_OK, Runner, print_diagnostics, say
from cybrelia.exercise.journal import JournalError
from cybrelia.files.diagnostics import ValidationFailed

__all__ = ["GROUPS", "main", "parser"]

#: The command groups, in the order ``cybrelia --help`` lists their commands.
GROUPS = (formats, simulate, play, exercise, report, dryrun, library, msel, models)


def parser() -> argparse.ArgumentParser:
    """The whole command line: every group's subcommands under one ``cybrelia``."""
    root = argparse.ArgumentParser(
        prog="cybrelia",
        description="Tabletop crisis-exercise simulator for municipal civil protection.",
    )
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in GROUPS:
        group.register(commands)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``cybrelia`` console script."""
    args = parser().parse_args(argv)
    run: Runner = args.run
    try:
        return run(args)
    except ValidationFailed as failure:
        print_diagnostics(failure.diagnostics)
        return EXIT_INVALID
    except JournalError as error:
        say("cli.error", error=error.text)
        return EXIT_INVALID
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (| head); nothing left to say
        return EXIT_OK
    except OSError as error:  # a read-only folder, a full disk: said, not a traceback
        where = f"{error.filename}: " if error.filename else ""
        say("cli.error", error=f"{where}{error.strerror or error}")
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130
