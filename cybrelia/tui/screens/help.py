"""The help screen: every key binding, and what the marks and colours mean."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from cybrelia.i18n import Texts
from cybrelia.tui.context import REAL_TIME, SPEEDS, Desk
from cybrelia.tui.keys import (
    ASSET_KEYS,
    HELP_KEYS,
    MAIN_KEYS,
    PRESENTATION_KEYS,
    TEAM_KEYS,
    Key,
    localized,
)
from cybrelia.tui.labels import STATE_MARK, STATE_STYLE
from cybrelia.tui.widgets import KeyFooter

__all__ = ["FIRST_STEPS", "HelpScreen", "help_screen", "speeds_text"]

#: The steps of "the first hour" at the top of the help (``help.first.1`` ...).
FIRST_STEPS = 9


def speeds_text(texts: Texts) -> str:
    """``real time, 10 min/min, 1 min/s, …, 480 min/s``: the speeds + and - step through."""
    shown = []
    for speed in SPEEDS:
        if speed == REAL_TIME:
            shown.append(texts("status.real_time"))
        elif speed < 1:
            shown.append(texts("status.speed_per_minute.short", speed=f"{speed * 60:g}"))
        else:
            shown.append(texts("status.speed.short", speed=f"{speed:g}"))
    return ", ".join(shown)


class HelpScreen(Screen[None]):
    """Every key binding of every screen, and what the marks and colours mean."""

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(self._text(), id="help-text")
        yield KeyFooter()

    def _text(self) -> Text:
        texts = self.desk.texts
        text = Text()
        text.append(texts("help.title") + "\n\n", style="bold")
        text.append(texts("help.first") + "\n", style="bold underline")
        for step in range(1, FIRST_STEPS + 1):
            text.append(f"  {step}. ", style="bold cyan")
            text.append(texts(f"help.first.{step}") + "\n")
        text.append("\n")
        sections: tuple[tuple[str, tuple[Key, ...]], ...] = (
            ("help.main", MAIN_KEYS),
            ("help.asset", ASSET_KEYS),
            ("help.presentation", PRESENTATION_KEYS),
            ("help.team", TEAM_KEYS),
        )
        for title, keys in sections:
            text.append(texts(title) + "\n", style="bold underline")
            for key in keys:
                if key.typing:
                    continue  # F1 is listed with ?
                shown = key.display or key.keys
                if key.keys.startswith("question_mark"):
                    shown = "? F1"
                elif key.keys == "+,=":
                    shown = "+ ="
                elif "," in key.keys and key.display is not None:
                    shown = key.display
                text.append(f"  {shown:<8}", style="bold cyan")
                text.append(texts(key.label) + "\n")
            if keys is MAIN_KEYS:
                text.append("  " + texts("help.speeds", speeds=speeds_text(texts)) + "\n")
            text.append("\n")
        text.append(texts("help.more") + "\n", style="bold underline")
        for shown, label in (
            ("enter", "help.enter"),
            ("tab", "help.tab"),
            ("ctrl+p", "help.ctrl_p"),
            ("ctrl+q", "help.ctrl_q"),
        ):
            text.append(f"  {shown:<8}", style="bold cyan")
            text.append(texts(label) + "\n")
        text.append("\n")
        text.append(texts("help.forms") + "\n", style="bold underline")
        text.append("  " + texts("help.forms_keys") + "\n\n")
        text.append(texts("help.palette") + "\n\n")
        text.append(texts("help.legend") + "\n", style="bold underline")
        for state in ("up", "backup", "down"):
            text.append(f"  {STATE_MARK[state]} ", style=STATE_STYLE[state])
            text.append(texts(f"help.state.{state}") + "\n")
        text.append("  " + texts("help.critical") + "\n")
        text.append("  ⏱ ⑂ ✔ ✖  " + texts("help.inject_marks") + "\n")
        text.append("  ▶  " + texts("help.delivered_mark") + "\n")
        text.append("  ⚙  " + texts("help.actions_mark") + "\n")
        text.append("  2/5  " + texts("help.counters") + "\n")
        text.append("  P S M U  " + texts("rating.legend") + "\n")
        text.append("  (pl)  " + texts("help.model_language") + "\n")
        return text

    def action_close(self) -> None:
        """Back."""
        self.dismiss(None)


def help_screen(desk: Desk) -> HelpScreen:
    """The help screen in the desk's language."""
    return localized(HelpScreen, HELP_KEYS, desk.texts)(desk)
