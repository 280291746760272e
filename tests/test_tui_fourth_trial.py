"""The console as the fourth newcomer trial met it (Mokry śnieg, 120x36 in Polish and 80x24
in English): the asset search, the infrastructure panel's state texts, the team view.

Each test drives the real console (Textual's Pilot, the clock timer off) to where the
trial stumbled and checks what the facilitator reads there, in both languages.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from cybrelia.exercise.session import Session
from cybrelia.i18n import Texts
from cybrelia.tui.app import CybreliaApp
from cybrelia.tui.forms import NoteForm
from cybrelia.tui.widgets import InfraPanel
from tests.test_tui import console

SIZES = {"pl": (120, 36), "en": (80, 24)}


def footer_keys(app: CybreliaApp) -> list[str]:
    """The keys the footer offers, as shown (``+``, ``esc``)."""
    return [key.key_display for key in app.screen.query(FooterKey)]


# --- 1. Esc leaves the search; the footer offers no key the search box types ----------------


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_esc_leaves_the_search_and_the_next_key_is_a_move(mokry: Session, lang: str) -> None:
    app = console(mokry, lang)
    async with app.run_test(size=SIZES[lang]) as pilot:
        panel = app.screen.query_one(InfraPanel)
        everything = panel.table.row_count
        await pilot.press("slash", *"szpital")
        await pilot.pause()
        search = app.screen.query_one("#asset-search", Input)
        assert search.value == "szpital"
        assert panel.table.row_count < everything
        shown = footer_keys(app)
        described = [key.description for key in app.screen.query(FooterKey)]
        assert "esc" in shown and Texts(lang)("key.leave_search") in described
        for typed in ("+", "-", "?", "q", "n", "space"):
            assert typed not in shown, typed  # the search box would type it
        await pilot.press("escape")
        await pilot.pause()
        assert search.value == "" and panel.search == ""  # left, and cleared
        assert panel.table.row_count == everything
        assert app.focused is panel.table
        assert {"?", "q", "n"} <= set(footer_keys(app))  # the moves are offered again
        await pilot.press("m")  # and a key is a move again, not text
        await pilot.pause()
        assert search.value == ""
        assert isinstance(app.screen, NoteForm)
