"""What every screen that follows the exercise shares: new events, moves, refusals, forms."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from textual.events import Resize
from textual.screen import Screen

from cybrelia.exercise.events import ExerciseEvent
from cybrelia.exercise.journal import JournalError
from cybrelia.exercise.types import Refusal
from cybrelia.i18n import message_text
from cybrelia.tui.context import Desk
from cybrelia.tui.forms import ActionForm
from cybrelia.tui.labels import refusal_text
from cybrelia.tui.screens.help import help_screen

__all__ = ["NARROW_HEIGHT", "NARROW_WIDTH", "LiveScreen", "redraw_all"]

#: Below this width or height the main screen shows one panel at a time.
NARROW_WIDTH, NARROW_HEIGHT = 110, 30


class LiveScreen(Screen[None]):
    """A screen that follows the exercise: the app calls :meth:`redraw` after every tick."""

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        self._cursor = 0
        self._last_now: float | None = None

    def new_events(self) -> list[ExerciseEvent]:
        """The events since the last call."""
        history = self.desk.exercise.history
        events = history[self._cursor :]
        self._cursor = len(history)
        return events

    def clock_moved(self) -> bool:
        """Whether sim time moved since the last call."""
        now = self.desk.session.now
        moved = now != self._last_now
        self._last_now = now
        return moved

    def redraw(self) -> None:
        """Show what changed since the last redraw."""

    def on_resize(self, event: Resize) -> None:
        """Mark the screen narrow on a small terminal (the styles stack its panels)."""
        narrow = event.size.width < NARROW_WIDTH or event.size.height < NARROW_HEIGHT
        self.set_class(narrow, "-narrow")

    def after_move(self) -> None:
        """Redraw every live screen at once after a facilitator's move."""
        redraw_all(self.app.screen_stack)

    def attempt(self, move: Callable[[], Any]) -> bool:
        """Make a session call; a refusal is shown as a notification, never a crash."""
        texts = self.desk.texts
        try:
            move()
        except Refusal as refusal:
            reason = refusal_text(self.desk.exercise, refusal, texts)
            self.notify(texts("notify.refused", reason=reason), severity="error")
            return False
        except JournalError as error:
            self.notify(
                texts("notify.journal", reason=message_text(error, texts.lang)), severity="error"
            )
            return False
        self.after_move()
        return True

    def open_form(self, form: Any) -> None:
        """Show a form; redraw once it was saved."""

        def done(saved: bool | None) -> None:
            if saved:
                self.after_move()

        self.app.push_screen(form, done)

    def action_close(self) -> None:
        """Back to the screen below."""
        self.dismiss(None)

    def action_help(self) -> None:
        """The help screen."""
        self.app.push_screen(help_screen(self.desk))

    def action_team_action(self) -> None:
        """Record a team's action."""
        self.open_form(ActionForm(self.desk))

    async def action_quit_console(self) -> None:
        """Leave the console after a yes, from any screen (the session stays saved)."""
        await self.app.run_action("quit")


def redraw_all(screens: Iterable[Screen[Any]]) -> None:
    """Redraw every live screen in a stack."""
    for screen in screens:
        if isinstance(screen, LiveScreen) and screen.is_mounted:
            screen.redraw()
