"""What every screen of the console is given: the session, its digest and the texts."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from cybrelia.exercise.core import Exercise
from cybrelia.exercise.session import Session
from cybrelia.i18n import Texts
from cybrelia.tui.labels import clock_text
from cybrelia.tui.live import Digest

__all__ = ["REAL_TIME", "SPEEDS", "TEN_PER_MINUTE", "ClockMode", "Desk", "Recall"]

#: Real time: one sim minute per wall minute (speeds are sim minutes per real second).
REAL_TIME = 1 / 60
#: Ten sim minutes per wall minute (a sim minute every 6 s): between real time and 1 min/s,
#: for a room that discusses each inject but need not wait an hour for the next.
TEN_PER_MINUTE = 10 / 60
#: The speeds the facilitator steps through with + and - (sim minutes per real second).
SPEEDS = (REAL_TIME, TEN_PER_MINUTE, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 240.0, 480.0)


@dataclass
class ClockMode:
    """How the console's clock behaves, shared by every screen (and kept across languages)."""

    hold: bool = True
    """Forms, dialogs and the help screen pause the clock while open (``k`` toggles)."""
    wall_time: bool = False
    """Exercise time = wall time: real-time speed, no cap on a tick, nothing holds the clock."""
    speed_before: float | None = None
    """The speed to go back to when wall-time mode ends."""

    @property
    def holds(self) -> bool:
        """Whether an open form or dialog stops the clock now."""
        return self.hold and not self.wall_time


@dataclass
class Recall:
    """What the forms remember between one and the next (kept across languages)."""

    last_team: str | None = None
    """The team of the last action recorded: the action form offers it first."""
    end_shown: bool = False
    """Whether the console said that the scenario has ended (it says so once)."""


@dataclass(frozen=True)
class Desk:
    """The facilitator's desk: the live session, the indexes over it, the language."""

    session: Session
    digest: Digest
    texts: Texts
    mode: ClockMode = field(default_factory=ClockMode)
    recall: Recall = field(default_factory=Recall)

    @classmethod
    def of(cls, session: Session, texts: Texts, *, hold: bool = True) -> Desk:
        """A desk for a session just opened."""
        return cls(session, Digest(session.exercise), texts, ClockMode(hold=hold))

    @property
    def exercise(self) -> Exercise:
        """The session's exercise (state only; every change goes through the session)."""
        return self.session.exercise

    def in_language(self, texts: Texts) -> Desk:
        """The same desk in another language."""
        return replace(self, texts=texts)

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
