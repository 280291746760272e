"""The scenario picker shown when ``cybrelia play`` gets neither a scenario nor a session."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from cybrelia.i18n import Texts

__all__ = ["PickerScreen"]


class PickerScreen(Screen[None]):
    """The bundled scenarios, to start a new session of one."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("q,escape", "leave", show=False)]

    class Chosen(Message):
        """The facilitator chose a scenario file."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    def __init__(self, texts: Texts, scenarios: list[tuple[Path, str]]) -> None:
        super().__init__()
        self.texts = texts
        self.scenarios = scenarios

    def compose(self) -> ComposeResult:
        texts = self.texts
        with Vertical(id="picker", classes="dialog"):
            yield Label(texts("picker.title"), classes="form-title")
            if self.scenarios:
                yield OptionList(
                    *[
                        Option(Text.assemble((title, "bold"), "  ", (path.name, "dim")), id=str(i))
                        for i, (path, title) in enumerate(self.scenarios)
                    ],
                    id="scenario-list",
                )
            else:
                yield Static(texts("picker.none"), markup=False)
            yield Static("", id="picker-error", markup=False)
            yield Static(texts("picker.hint"), classes="hint")

    @on(OptionList.OptionSelected, "#scenario-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        index = int(event.option.id or 0)
        self.post_message(self.Chosen(self.scenarios[index][0]))

    def action_leave(self) -> None:
        """Leave without starting a session."""
        self.app.exit(0)

    def show_error(self, message: str) -> None:
        """Say why the chosen scenario could not be opened."""
        error = self.query_one("#picker-error", Static)
        error.update(message)
        error.set_class(bool(message), "-shown")
