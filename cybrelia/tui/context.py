"""What every screen of the console is given: the session, its digest and the texts."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from cybrelia.durations import quantize
from cybrelia.exercise.core import Exercise
from cybrelia.exercise.session import Session
from cybrelia.tui.i18n import Texts
from cybrelia.tui.labels import clock_text
from cybrelia.tui.live import Digest

__all__ = ["Desk", "checkpoint", "grid_seconds"]


def checkpoint(session: Session) -> None:
    """Record the clock's position in the journal (``advance_to(now)``: nothing changes).

    ``Session.tick`` records progress at most once a wall second and a pause
    records none that a replay uses, so without this a session reopened after a
    pause would stand up to a wall second of sim time earlier than it stopped.
    """
    if session.now < session.end:
        session.advance_to(session.now)


def grid_seconds(session: Session, elapsed: float) -> float:
    """Wall seconds near ``elapsed`` for which ``session.tick`` lands exactly on the time grid.

    ``Session.tick`` journals the unrounded target time while the engine stops on
    the 1e-9 h grid; when the rounding goes up, replaying the journal asks the
    engine to go back by a hair and ``Session.open`` fails.  Choosing the wall
    seconds so that ``now + speed * seconds / 60`` is already a grid point keeps
    every journal replayable.  Returns 0.0 if the clock would not move.
    """
    speed, now, end = session.speed, session.now, session.end
    target = quantize(min(end, now + speed * elapsed / 60.0))
    if target <= now:
        return 0.0
    seconds = (target - now) * 60.0 / speed
    up = down = seconds
    for _ in range(64):
        for candidate in (up, down):
            if candidate > 0 and min(end, now + speed * candidate / 60.0) == target:
                return candidate
        up = math.nextafter(up, math.inf)
        down = math.nextafter(down, 0.0)
    return 0.0


@dataclass(frozen=True)
class Desk:
    """The facilitator's desk: the live session, the indexes over it, the language."""

    session: Session
    digest: Digest
    texts: Texts

    @classmethod
    def of(cls, session: Session, texts: Texts) -> Desk:
        """A desk for a session just opened."""
        return cls(session, Digest(session.exercise), texts)

    @property
    def exercise(self) -> Exercise:
        """The session's exercise (state only; every change goes through the session)."""
        return self.session.exercise

    def in_language(self, texts: Texts) -> Desk:
        """The same desk in another language."""
        return replace(self, texts=texts)

    def pause(self) -> None:
        """Stop the clock, first recording where it is (see :func:`checkpoint`)."""
        checkpoint(self.session)
        self.session.pause()

    def clock(self, t: float | None = None) -> str:
        """``D+1 14:30`` of ``t`` (now by default)."""
        return clock_text(self.exercise, self.session.now if t is None else t)

    def asset_name(self, asset_id: str | None) -> str:
        """An asset's display name (the id itself when it is not an asset)."""
        if asset_id is None:
            return ""
        asset = self.exercise.assets.get(asset_id)
        return asset.label if asset is not None else asset_id

    def team_name(self, team_id: str) -> str:
        """A team's full name in the chosen language."""
        team = self.exercise.teams.get(team_id)
        return self.texts.pick(team.name, team_id) if team is not None else team_id
