"""The last delivered inject in large text, for the room."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Digits, Static

from cybrelia.exercise.core import InjectState
from cybrelia.exercise.events import InjectEvent
from cybrelia.tui.briefing import expectation_lines
from cybrelia.tui.context import Desk
from cybrelia.tui.screens.base import LiveScreen
from cybrelia.tui.widgets import KeyFooter

__all__ = ["PresentationScreen"]


class PresentationScreen(LiveScreen):
    """The last delivered inject in large text, to project to the room."""

    def __init__(self, desk: Desk) -> None:
        super().__init__(desk)
        self.index: int | None = None
        #: Whether the inject's expectations are shown: hidden at first, for the view is
        #: what the room sees on the projector (``e`` shows them to the facilitator).
        self.expectations = False

    def compose(self) -> ComposeResult:
        with Vertical(id="presentation"):
            yield Digits("", id="pres-clock")
            yield Static(id="pres-meta")
            yield Static(id="pres-title")
            with VerticalScroll(id="pres-body"):
                yield Static(id="pres-message")
                yield Static(id="pres-expect")
            yield Static(id="pres-nav")
        yield KeyFooter()

    def _delivered(self) -> list[InjectState]:
        delivered = [s for s in self.desk.exercise.injects.values() if s.status == "delivered"]
        order = {
            event.inject: index
            for index, event in enumerate(self.desk.exercise.history)
            if isinstance(event, InjectEvent) and event.status == "delivered"
        }
        return sorted(delivered, key=lambda s: (s.delivered_at or 0.0, order.get(s.spec.id, 0)))

    def on_mount(self) -> None:
        self.new_events()
        self._show()

    def _show(self) -> None:
        texts = self.desk.texts
        delivered = self._delivered()
        if self.index is None or self.index >= len(delivered):
            self.index = len(delivered) - 1 if delivered else None
        nav = self.query_one("#pres-nav", Static)
        if self.index is None:
            self.query_one("#pres-clock", Digits).update("")
            self.query_one("#pres-meta", Static).update("")
            self.query_one("#pres-title", Static).update(Text(texts("presentation.none")))
            self.query_one("#pres-message", Static).update("")
            self.query_one("#pres-expect", Static).update("")
            nav.update(Text(texts("presentation.nav", number=0, count=0), style="dim"))
            return
        state = delivered[self.index]
        spec = state.spec
        self.query_one("#pres-clock", Digits).update(self.desk.clock(state.delivered_at))
        meta = Text()
        meta.append(spec.id, style="bold")
        if spec.channel:
            meta.append("  ·  " + texts(f"channel.{spec.channel}").upper())
        if spec.to:
            meta.append("  ·  → " + self.desk.digest.teams_text(spec.to))
        self.query_one("#pres-meta", Static).update(meta)
        self.query_one("#pres-title", Static).update(
            Text(texts.pick(spec.title, spec.id).upper(), style="bold")
        )
        self.query_one("#pres-message", Static).update(Text(texts.pick(spec.message, "")))
        self._show_expectations(state)
        nav.update(
            Text(
                texts("presentation.nav", number=self.index + 1, count=len(delivered)),
                style="dim",
            )
        )

    def _show_expectations(self, state: InjectState) -> None:
        widget = self.query_one("#pres-expect", Static)
        texts = self.desk.texts
        lines = expectation_lines(self.desk.exercise, state, texts)
        if not lines or not self.expectations:
            widget.update("")
            widget.display = False
            return
        text = Text(texts("expect.title") + "\n", style="bold cyan")
        text.append(Text("\n").join(lines))
        widget.update(text)
        widget.display = True

    def _current(self) -> InjectState | None:
        delivered = self._delivered()
        if self.index is None or self.index >= len(delivered):
            return None
        return delivered[self.index]

    def redraw(self) -> None:
        events = self.new_events()
        moved = self.clock_moved()
        if any(isinstance(e, InjectEvent) and e.status == "delivered" for e in events):
            count = len(self._delivered())
            if self.index is None or self.index >= count - 2:
                self.index = count - 1  # it was following the latest: keep following
            self._show()
        elif (events or moved) and self.expectations:
            state = self._current()
            if state is not None and state.spec.expect:
                self._show_expectations(state)  # met, late, missed and the time left, live

    def action_toggle_expectations(self) -> None:
        """Show or hide what the inject expects (hidden at first: the teams must not see it)."""
        self.expectations = not self.expectations
        self._show()

    def action_previous(self) -> None:
        """The inject delivered before."""
        if self.index:
            self.index -= 1
            self._show()

    def action_next(self) -> None:
        """The inject delivered after."""
        if self.index is not None and self.index + 1 < len(self._delivered()):
            self.index += 1
            self._show()
