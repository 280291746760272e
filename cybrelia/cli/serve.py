"""``--serve`` for ``cybrelia play`` and ``cybrelia run``: the teams' own web consoles.

The options are the same for both commands; what serves them (:mod:`cybrelia.web`) is
imported only when ``--serve`` is given, so no other command loads the web stack.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cybrelia.exercise.participants import Participants
    from cybrelia.exercise.session import Session

__all__ = ["SERVE_PACE", "Server", "add_serve_arguments", "server"]

#: With ``--serve`` and no ``--pace``, wall seconds per sim hour: the console's default speed
#: (10 sim minutes a second), so the teams have time to read and answer.
SERVE_PACE = 6.0

#: Serves the participant consoles of a session for the length of a ``with`` block.
Server = Callable[["Session"], AbstractContextManager["Participants"]]


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--serve``, ``--host``, ``--port``, ``--links`` and ``--approve``."""
    group = parser.add_argument_group("participant consoles (docs/participants.md)")
    group.add_argument("--serve", action="store_true", help="serve each team its own web console")
    group.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; 0.0.0.0 opens it to the room's network)",
    )
    group.add_argument("--port", type=int, default=8765, help="port (default 8765; 0: any free)")
    group.add_argument(
        "--links", type=Path, metavar="FILE", help="write {team id: join URL} here once listening"
    )
    group.add_argument(
        "--approve",
        action="store_true",
        help="hold each team submission for the facilitator to accept or send back",
    )


def server(args: argparse.Namespace) -> Server | None:
    """What serves the participant consoles of a session, if ``--serve`` was given."""
    if not args.serve:
        return None

    @contextmanager
    def serve(session: Session) -> Iterator[Participants]:
        from cybrelia.exercise.participants import Participants
        from cybrelia.web.server import serving

        participants = Participants.of(session, approve=args.approve)
        lang = args.lang or "pl"
        with serving(participants, host=args.host, port=args.port, links=args.links, lang=lang):
            yield participants

    return serve
