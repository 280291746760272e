"""``cybrelia run`` and ``cybrelia export``: whole exercises played headless, and their records."""

from __future__ import annotations

import argparse
from pathlib import Path

from cybrelia.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    Commands,
    pace_arg,
    say,
    scenario_arg,
    write_output,
)
from cybrelia.cli.serve import SERVE_PACE, add_serve_arguments, server

__all__ = ["register"]


def register(commands: Commands) -> None:
    """Add ``run`` and ``export``."""
    _add_run(commands)
    _add_export(commands)


def _add_run(commands: Commands) -> None:
    run = commands.add_parser(
        "run",
        help="play a whole exercise headless from a response script",
        description="Play a scenario with scripted team actions and ratings, journaling "
        "every input into a session file.",
    )
    run.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO",
        type=scenario_arg,
        help="the scenario; with --resume it must be the recorded one, and may be left out",
    )
    run.add_argument("--responses", type=Path, required=True, metavar="FILE")
    run.add_argument("--session", type=Path, required=True, metavar="PATH")
    run.add_argument(
        "--pace",
        type=pace_arg,
        metavar="SECONDS_PER_SIM_HOUR",
        help="slow down to wall-clock pace",
    )
    run.add_argument("--resume", action="store_true", help="continue a session whose process died")
    add_serve_arguments(run)
    run.add_argument("--lang", choices=["pl", "en"], default="pl", help="the web pages' language")
    run.set_defaults(run=_run)


def _add_export(commands: Commands) -> None:
    export = commands.add_parser(
        "export",
        help="write a session as JSON Lines",
        description="Replay a session and write its records, scores and summary (with the "
        "no-action baseline) as JSON Lines.",
    )
    export.add_argument("session", metavar="SESSION", type=Path)
    export.add_argument("--jsonl", required=True, metavar="PATH|-")
    export.set_defaults(run=_export)


def _run(args: argparse.Namespace) -> int:
    from cybrelia.exercise.driver import play
    from cybrelia.exercise.session import Session, check_same_scenario
    from cybrelia.files.validation import load_responses

    session_path: Path = args.session
    responses = load_responses(args.responses)
    if args.resume:
        session = Session.open(session_path, scenario=args.scenario)
        if responses.scenario is not None:  # the script's scenario must be the recorded one too
            try:
                check_same_scenario(
                    session.journal,
                    session.exercise.loaded,
                    args.responses.parent / responses.scenario,
                )
            except BaseException:
                session.close()
                raise
    elif args.scenario is None:
        say("cli.scenario_needed")
        return EXIT_USAGE
    elif session_path.exists():
        say("cli.session_exists", path=session_path)
        return EXIT_INVALID
    else:
        session = Session.create(args.scenario, session_path)
    serve = server(args)
    try:
        if serve is None:
            play(session, responses, pace=args.pace)
        else:
            with serve(session) as participants:
                pace = SERVE_PACE if args.pace is None else args.pace
                play(session, responses, pace=pace, sleep=participants.sleep)
    except OSError as error:  # the port is taken, or the links file cannot be written
        say("cli.error", error=error)
        return EXIT_INVALID
    finally:
        session.close()
    say("cli.played", path=session_path, hours=session.now)
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from cybrelia.exercise.export import replay_session, write_export

    replay = replay_session(args.session)
    return write_output(args.jsonl, lambda out: write_export(replay, out))
