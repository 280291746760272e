"""What the facilitator can still do once the scenario has ended.

At the end of the scenario the clock stops for good (the session refuses to
resume), and a console that only said "ENDED" left the facilitator at a dead
end.  This dialog says that the exercise ended, and offers what still makes
sense: rate, note, confirm records, take back a delivery made by mistake, look
at the views, write the report, quit.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from cybrelia.tui.context import Desk

__all__ = ["ENDED_MOVES", "EndedScreen"]

#: The main screen's moves that still make sense after the end: key, action, label.
ENDED_MOVES = (
    ("r", "rate", "key.rate"),
    ("m", "note", "key.note"),
    ("c", "confirm_record", "key.confirm_record"),
    ("u", "undeliver", "key.undeliver"),
    ("p", "presentation", "key.presentation"),
    ("t", "team_view", "key.team_view"),
    ("q", "quit", "key.quit"),
)


class EndedScreen(ModalScreen[str | None]):
    """The exercise ended: what can be done now.  Dismissed with the action chosen, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "choose(None)", show=False),
        *(Binding(key, f"choose('{action}')", show=False) for key, action, _ in ENDED_MOVES),
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__(classes="modal")
        self.desk = desk

    def compose(self) -> ComposeResult:
        texts, session = self.desk.texts, self.desk.session
        moves = Text()
        for key, _, label in ENDED_MOVES:
            moves.append(f"  {key}  ", style="bold cyan")
            moves.append(texts(label) + "\n")
        moves.append("  esc  ", style="bold cyan")
        moves.append(texts("ended.back"))
        with Vertical(id="ended", classes="dialog"):
            yield Static(
                texts("ended.title", clock=self.desk.clock(session.end)),
                id="ended-title",
                markup=False,
            )
            yield Static(texts("ended.still"), markup=False)
            yield Static(moves, id="ended-moves")
            yield Static(
                texts("ended.report", path=str(session.journal.path)),
                id="ended-report",
                classes="hint",
                markup=False,
            )

    def action_choose(self, action: str | None) -> None:
        """Close, with the move the facilitator chose (None: back to the main screen)."""
        self.dismiss(action)
