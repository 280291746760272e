"""Make a session to analyse: play a response script headless, as ``cybrelia run`` does.

Notebooks, tests and benchmarks use it to get a session file without the
command line.  Leaving some teams' entries out gives a second, weaker run of
the same scenario to compare with.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

__all__ = ["make_session"]


def make_session(
    scenario: str | os.PathLike[str],
    responses: str | os.PathLike[str],
    session: str | os.PathLike[str],
    *,
    without_teams: Iterable[str] = (),
) -> Path:
    """Play ``responses`` on ``scenario`` into the new session file ``session``.

    Parameters
    ----------
    scenario
        A scenario file.
    responses
        A response script (``*.responses.yaml``).
    session
        Where to write the session journal; must not exist.
    without_teams
        Leave out the actions and ratings of these teams (a run in which they
        did nothing).

    Returns
    -------
    pathlib.Path
        ``session``.

    Raises
    ------
    cybrelia.files.diagnostics.ValidationFailed
        If the scenario or the script is invalid.
    cybrelia.exercise.journal.JournalError
        If a file exists at ``session``.
    """
    from cybrelia.exercise.driver import play
    from cybrelia.exercise.journal import JournalError
    from cybrelia.exercise.session import Session
    from cybrelia.files.validation import load_responses

    target = Path(session)
    if target.exists():
        raise JournalError("journal.exists", path=target)
    script = load_responses(responses)
    left_out = set(without_teams)
    if left_out:
        kept = [
            entry
            for entry in script.entries
            if not (entry.action is not None and entry.action.team in left_out)
            and not (entry.rate is not None and entry.rate.team in left_out)
        ]
        script = script.model_copy(update={"entries": kept})
    target.parent.mkdir(parents=True, exist_ok=True)
    live = Session.create(scenario, target)
    try:
        play(live, script)
    finally:
        live.close()
    return target
