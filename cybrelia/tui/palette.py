"""Textual's own words in the console's language: the command palette and its key.

Textual writes a few labels itself, in English: the footer's ``^p palette``,
the palette's *Search for commands…* and *No matches found*.  A Polish
facilitator should not meet them, so the app gives its palette binding a
description from the catalogue and opens this palette instead of Textual's.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.align import Align
from rich.text import Text
from textual.binding import BindingsMap
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from cybrelia.i18n import Texts

__all__ = ["Palette", "localize_palette_binding"]


class Palette(CommandPalette):
    """Textual's command palette with its texts from the catalogue."""

    def __init__(self, texts: Texts, **kwargs: Any) -> None:
        super().__init__(placeholder=texts("palette.placeholder"), **kwargs)
        self.texts = texts

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """As Textual's, with *No matches found* in the console's language."""
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(self.texts("palette.no_matches"), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


def localize_palette_binding(bindings: BindingsMap, texts: Texts) -> None:
    """Describe the app's command-palette binding (the footer's ``^p palette``) in ``texts``."""
    for key, found in bindings.key_to_bindings.items():
        bindings.key_to_bindings[key] = [
            replace(
                binding,
                description=texts("palette.short"),
                tooltip=texts("palette.tooltip"),
            )
            if binding.action in ("command_palette", "app.command_palette")
            else binding
            for binding in found
        ]
