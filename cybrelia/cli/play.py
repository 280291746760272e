"""``cybrelia play``: the facilitator console, the only command that needs Textual."""

from __future__ import annotations

import argparse
from pathlib import Path

from cybrelia.cli.common import EXIT_USAGE, Commands, say, scenario_arg
from cybrelia.cli.serve import add_serve_arguments, server

__all__ = ["register"]


def register(commands: Commands) -> None:
    """Add ``play``."""
    play = commands.add_parser(
        "play",
        help="open the facilitator console (TUI)",
        description="Open the facilitator console on a new session of SCENARIO, or resume "
        "the session at --session; with neither, choose a bundled scenario.",
    )
    play.add_argument("scenario", nargs="?", metavar="SCENARIO", type=scenario_arg)
    play.add_argument("--session", type=Path, metavar="PATH")
    play.add_argument("--lang", choices=["pl", "en"], help="language (default: the locale)")
    add_serve_arguments(play)
    play.set_defaults(run=_play)


def _play(args: argparse.Namespace) -> int:
    from cybrelia.tui.app import run_play  # imported here: no other command loads Textual

    if args.serve and args.scenario is None and args.session is None:
        say("cli.serve_needs_scenario")
        return EXIT_USAGE
    return run_play(args.scenario, args.session, args.lang, server(args))
