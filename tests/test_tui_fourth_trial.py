"""The console as the fourth newcomer trial met it (Mokry śnieg, 120x36 in Polish and 80x24
in English): the asset search, the infrastructure panel's state texts, the team view.

Each test drives the real console (Textual's Pilot, the clock timer off) to where the
trial stumbled and checks what the facilitator reads there, in both languages.
"""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from cybrelia.exercise.session import Session
from cybrelia.files.capabilities import capability_name
from cybrelia.files.sanitize import folded
from cybrelia.i18n import Texts
from cybrelia.tui.app import CybreliaApp
from cybrelia.tui.forms import NoteForm
from cybrelia.tui.keys import TEAM_KEYS, localized
from cybrelia.tui.screens.team import TeamScreen
from cybrelia.tui.widgets import InfraPanel, table_row_key
from tests.test_tui import console
from tests.test_tui_third_trial import terminal_lines

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


# --- 2. the search ignores case and diacritics; what is shown is counted ---------------------


def test_a_folded_name_has_neither_case_nor_diacritics() -> None:
    assert folded("SUW Leśna Góra") == "suw lesna gora"
    assert folded("ŁĄCZNOŚĆ Żółć") == "lacznosc zolc"


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_the_search_ignores_diacritics_and_counts_what_it_shows(
    mokry: Session, lang: str
) -> None:
    app = console(mokry, lang)
    texts = Texts(lang)
    async with app.run_test(size=SIZES[lang]) as pilot:
        panel = app.screen.query_one(InfraPanel)
        await pilot.press("slash", *"SUW lesna gora")
        await pilot.pause()
        table = panel.table
        keys = [table_row_key(table, row) for row in range(table.row_count)]
        assets = [key for key in keys if key in mokry.exercise.assets]
        assert assets == ["suw-lesna-gora"]
        digest = panel.desk.digest
        sector = digest.sector_of("suw-lesna-gora")
        assert mokry.exercise.engine.status("suw-lesna-gora").state == "up"
        header = table.get_cell(f"§{sector}", "detail").plain  # no marks: the one shown is up
        assert header == texts("infra.sector_shown", shown=1, count=len(digest.members[sector]))
        summary = str(app.screen.query_one("#infra-summary").render())
        everything = len(mokry.exercise.model.assets)
        assert texts("infra.summary_shown", shown=1, count=everything) in summary
        await pilot.press(*"zzz")
        await pilot.pause()
        assert table.row_count == 1
        assert table.get_cell("§none", "name").plain == texts("infra.nothing_found")
        await pilot.press("escape")
        await pilot.pause()
        assert "§none" not in table.rows
        summary = str(app.screen.query_one("#infra-summary").render())
        assert texts.plural("infra.summary", everything) in summary


# --- 3. a state text that does not fit wraps or ends with an ellipsis ------------------------


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_an_assets_state_text_is_never_cut_silently(mokry: Session, lang: str) -> None:
    app = console(mokry, lang)
    async with app.run_test(size=SIZES[lang]) as pilot:
        await pilot.press("n", "y")  # the first inject: the blackout begins
        mokry.advance_to(4.0)
        app.frame(0)
        await pilot.pause()
        panel = app.screen.query_one(InfraPanel)
        table = panel.table
        width = table.columns["detail"].width  # type: ignore[index]
        rows = [table_row_key(table, row) for row in range(table.row_count)]
        affected = [a for a in rows if a in mokry.exercise.assets and panel._states[a] != "up"]
        assert affected
        screen = "\n".join(terminal_lines(app))
        for asset_id in affected:
            cell = table.get_cell(asset_id, "detail").plain
            full = panel._state_text(asset_id, panel._states[asset_id]).plain
            assert all(cell_len(line) <= width for line in cell.split("\n")), cell
            assert cell.replace("\n", " ") == full or cell.endswith("…"), (cell, full)
        assert any(table.get_cell(a, "detail").plain.split("\n")[0] in screen for a in affected)


# --- 4. the team view lists the team's ratings, the injects' and the capabilities' ----------


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_the_team_view_lists_inject_and_capability_ratings(mokry: Session, lang: str) -> None:
    texts = Texts(lang)
    app = console(mokry, lang)
    async with app.run_test(size=SIZES[lang]) as pilot:
        await pilot.press("n", "y")  # M-01 to the GZZK
        assert app.desk is not None
        app.push_screen(localized(TeamScreen, TEAM_KEYS, texts)(app.desk, "gzzk"))
        await pilot.pause()
        mokry.rate_capability("planning", "S", "", team="gzzk")  # a capability chosen
        app.frame(0)
        await pilot.pause()
        title = str(app.screen.query_one("#team-title").render())
        planning = capability_name("planning", lang)
        assert texts("team.ratings", ratings=f"{planning} S") in title  # shown while open
        mokry.rate("M-01", "gzzk", "P")
        app.frame(0)
        await pilot.pause()
        title = str(app.screen.query_one("#team-title").render())
        assert texts("team.ratings", ratings=f"M-01 P, {planning} S") in title


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_the_infrastructure_columns_fit_inside_the_panel(mokry: Session, lang: str) -> None:
    """The detail column ended past the table's edge: its last two characters were lost."""
    app = console(mokry, lang)
    async with app.run_test(size=SIZES[lang]):
        table = app.screen.query_one(InfraPanel).table
        columns = sum(column.get_render_width(table) for column in table.columns.values())
        assert columns <= table.scrollable_content_region.width
