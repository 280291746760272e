"""The console as the fifth newcomer trial met it (Mokry śnieg in tmux, 120x36 and 80x24):
the delivered inject's expectations out of sight, the model's Polish names in English,
the rating letters, a branch delivered before its condition, an empty asset history and
the keys (Home/End, a speed between real time and 1 min/s, the footer at 80 columns, F1
in the search box).

Each test drives the real console (Textual's Pilot, the clock timer off) to where the
trial stumbled and checks what the facilitator reads there, in both languages.
"""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.widgets import Input, RichLog, Static
from textual.widgets._footer import FooterKey

from cybrelia.exercise.session import Session
from cybrelia.i18n import Texts
from cybrelia.tui.app import CybreliaApp
from cybrelia.tui.context import SPEEDS, TEN_PER_MINUTE
from cybrelia.tui.forms import ConfirmScreen, RateForm
from cybrelia.tui.keys import FIRST_HOUR, MAIN_KEYS, TEAM_KEYS, localized
from cybrelia.tui.labels import condition_text, state_text
from cybrelia.tui.screens import MainScreen, asset_screen
from cybrelia.tui.screens.asset import AssetScreen
from cybrelia.tui.screens.help import HelpScreen, speeds_text
from cybrelia.tui.screens.team import TeamScreen
from cybrelia.tui.widgets import (
    FiguresPanel,
    InfraPanel,
    InjectsPanel,
    KeyFooter,
    figures_explained,
)
from tests.test_tui import console, screen_text, select_inject, status_of
from tests.test_tui_third_trial import SIZES

LANGS = ["pl", "en"]


def help_text(app: CybreliaApp) -> str:
    """The help screen's text, on one line."""
    return " ".join(str(app.screen.query_one("#help-text", Static).render()).split())


# --- 1. the delivered inject's expectations in sight ------------------------------------------


def _unseen_lines(app: CybreliaApp, inject_id: str) -> int:
    """How many lines of the inject's detail before its message the box does not show."""
    assert app.desk is not None
    spec = app.desk.exercise.injects[inject_id].spec
    box = app.screen.query_one("#inject-detail-box")
    detail = app.screen.query_one("#inject-detail", Static)
    lines = Text(str(detail.render())).wrap(app.console, detail.content_size.width)
    message = app.desk.texts.pick(spec.message, "")
    before = next(i for i, line in enumerate(lines) if line.plain.startswith(message[:20]))
    assert box.scroll_y == 0
    return max(0, before - box.scrollable_content_region.height)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
async def test_the_first_hours_expectations_are_in_sight_without_scrolling(
    mokry: Session, size: tuple[int, int], lang: str
) -> None:
    """M-01 and I-01 delivered, people at risk explained: every expectation on screen."""
    texts = Texts(lang)
    app = console(mokry, lang)
    async with app.run_test(size=size) as pilot:
        await pilot.press("n", "y", "n", "y")  # M-01 (06:00) and I-01 (06:30)
        figures = app.screen.query_one(FiguresPanel)
        assert app.desk is not None and figures_explained(app.desk, figures.series.last)
        assert figures.border_subtitle == texts("figures.why_hidden")  # and where they are
        if size[0] < 110:
            await pilot.press("2")
        for inject_id in ("M-01", "I-01"):
            assert mokry.exercise.injects[inject_id].status == "delivered"
            await select_inject(pilot, inject_id)
            assert _unseen_lines(app, inject_id) == 0, inject_id
        # 3 gives the figures their explanations (and takes the room back from the detail).
        await pilot.press("3")
        why = app.screen.query_one("#figures-why", Static)
        assert why.display and why.content_size.height > 0
        assert figures.border_subtitle == ""
        assert texts("figures.occupants", count="", facilities="")[:12] in str(why.render())


@pytest.mark.parametrize("lang", LANGS)
async def test_the_teams_detail_comes_with_the_teams_panel(mokry: Session, lang: str) -> None:
    app = console(mokry, lang)
    async with app.run_test(size=(120, 36)) as pilot:
        detail = app.screen.query_one("#team-detail", Static)
        assert not detail.display  # the inject's detail has its room
        await pilot.press("4")
        assert detail.display and "GZZK" in str(detail.render())
        await pilot.press("1")
        assert not detail.display


# --- 2. the model's Polish names in the English console ----------------------------------------


@pytest.mark.parametrize("lang", LANGS)
async def test_the_models_polish_names_are_marked_in_english(mokry: Session, lang: str) -> None:
    """A model file holds one language (MODEL.md: a name is one text, unknown keys are
    errors): in English the console says the names are Polish, in Polish nothing."""
    texts = Texts(lang)
    mark = "(pl)"
    app = console(mokry, lang)
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.screen.query_one(InfraPanel).table
        header = next(str(c.label) for k, c in table.columns.items() if k.value == "name")
        assert header.startswith(texts("infra.col.name"))
        assert (mark in header) == (lang == "en")
        assert app.desk is not None
        app.push_screen(asset_screen(app.desk, "suw-lesna-gora"))
        await pilot.pause()
        title = str(app.screen.query_one("#asset-title", Static).render())
        assert title.startswith("SUW Leśna Góra")
        assert (mark in title.splitlines()[0]) == (lang == "en")
        await pilot.press("question_mark")
        assert f"{mark} {texts('help.model_language')}" in help_text(app)


# --- 3. the rating letters explained -------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
async def test_the_rating_letters_are_explained_where_they_appear(
    mokry: Session, lang: str
) -> None:
    texts = Texts(lang)
    legend = texts("rating.legend")
    app = console(mokry, lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n", "y")  # M-01 to the GZZK
        await pilot.press("r")
        assert isinstance(app.screen, RateForm)
        assert legend in screen_text(app)
        await pilot.press("escape")
        await pilot.press("question_mark")
        assert f"P S M U {legend}" in help_text(app)
        await pilot.press("escape")
        mokry.rate("M-01", "gzzk", "S", "late")
        assert app.desk is not None
        app.push_screen(localized(TeamScreen, TEAM_KEYS, texts)(app.desk, "gzzk"))
        await pilot.pause()
        title = str(app.screen.query_one("#team-title", Static).render())
        assert texts("team.ratings", ratings="M-01 S") in title
        assert f"({texts('rating.S')})" in title  # the letter given, in words
        assert texts("rating.P") not in title


def test_the_legend_names_every_letter_in_both_languages() -> None:
    for lang in LANGS:
        legend = Texts(lang)("rating.legend")
        for letter in ("P", "S", "M", "U"):
            assert f"{letter} " in legend
        assert "HSEEP" in legend


# --- 4. d on a branch whose condition is not met --------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
async def test_delivering_a_branch_before_its_condition_asks_and_says_which(
    mokry: Session, size: tuple[int, int], lang: str
) -> None:
    """The dialog said only that the clock does not go back (d does not move it)."""
    texts = Texts(lang)
    app = console(mokry, lang)
    async with app.run_test(size=size) as pilot:
        await pilot.press("2")
        branch = mokry.exercise.injects["B-01"]
        assert branch.spec.when is not None and branch.armed_at is None
        await select_inject(pilot, "B-01")
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        shown = " ".join(screen_text(app).split())
        title = texts.pick(branch.spec.title, "")
        question = texts("confirm.deliver_branch", inject="B-01", title=title)
        assert " ".join(question.split()) in shown
        condition = condition_text(mokry.exercise, branch.spec.when, texts)
        assert " ".join(condition.split()) in shown
        assert " ".join(texts("confirm.undo_delivery").split()) not in shown
        await pilot.press("n")  # no: it keeps waiting for its condition
        assert isinstance(app.screen, MainScreen) and status_of(mokry, "B-01") == "pending"
        await pilot.press("d", "y")  # yes: the facilitator steers the story
        assert status_of(mokry, "B-01") == "delivered"
        # A timed inject's dialog says nothing of a condition.
        await select_inject(pilot, "I-01")
        await pilot.press("d")
        shown = " ".join(screen_text(app).split())
        assert " ".join(texts("confirm.undo_delivery_now").split()) in shown
        assert texts("confirm.deliver_branch", inject="I-01", title="")[:20] not in shown


# --- 5. an empty asset history --------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
async def test_an_empty_asset_history_says_so_until_the_first_event(
    session: Session, lang: str
) -> None:
    texts = Texts(lang)
    app = console(session, lang)
    async with app.run_test(size=(120, 36)) as pilot:
        assert app.desk is not None
        app.push_screen(asset_screen(app.desk, "gpz"))
        await pilot.pause()
        assert isinstance(app.screen, AssetScreen)
        history = app.screen.query_one("#asset-history", RichLog)
        assert "".join(line.text for line in history.lines) == texts("asset.history_none")
        session.deliver("I-01")  # the GPZ fails
        app.frame(0)
        await pilot.pause()
        written = "".join(line.text for line in history.lines)
        assert texts("asset.history_none") not in written
        assert written.startswith("D+0 06:00 ✖ ")  # its own change: time, mark, state
        assert state_text("down", texts) in written


# --- 6. the keys ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
async def test_home_and_end_go_to_the_first_and_the_last_inject(
    mokry: Session, size: tuple[int, int], lang: str
) -> None:
    app = console(mokry, lang)
    async with app.run_test(size=size) as pilot:
        await pilot.press("2")
        table = app.screen.query_one(InjectsPanel).table
        assert app.focused is table
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("home")
        assert table.cursor_row == 0


@pytest.mark.parametrize("lang", LANGS)
async def test_ten_sim_minutes_a_minute_between_real_time_and_one_a_second(
    mokry: Session, lang: str
) -> None:
    texts = Texts(lang)
    assert SPEEDS[:3] == (1 / 60, TEN_PER_MINUTE, 1.0)
    app = console(mokry, lang)
    mokry.set_speed(1.0)  # as a new session starts in the console (START_SPEED)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("-")
        assert mokry.speed == TEN_PER_MINUTE
        status = str(app.screen.query_one("#sb-speed", Static).render())
        assert status == texts("status.speed_per_minute", speed="10")
        await pilot.press("space")
        app.frame(6.0)  # six wall seconds: one sim minute
        assert mokry.now == pytest.approx(1 / 60)
        await pilot.press("space", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        listed = texts("help.speeds", speeds=speeds_text(texts))
        assert " ".join(listed.split()) in help_text(app)
        assert texts("status.speed_per_minute.short", speed="10") in speeds_text(texts)


def _footer(app: CybreliaApp) -> list[FooterKey]:
    return list(app.screen.query(FooterKey))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
async def test_the_footer_shows_the_first_hours_keys_whole(
    mokry: Session, size: tuple[int, int], lang: str
) -> None:
    """At 80 columns in English m, p and t were left out (in Polish a r m p t)."""
    app = console(mokry, lang)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        shown = {key.action for key in _footer(app)}
        assert shown >= FIRST_HOUR
        # The keys in the table's order; at 120 columns on one row, at 80 on two.
        order = [key.action for key in MAIN_KEYS if key.action in shown]
        assert [key.action for key in _footer(app) if key.action in order] == order
        assert footer.has_class("-two-rows") == (size[0] < 110)
        assert footer.size.height == (2 if size[0] < 110 else 1)
        for key in _footer(app):  # nothing past the edge
            assert key.region.right <= size[0], key.action


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
async def test_f1_is_offered_and_works_in_the_search_box(
    mokry: Session, size: tuple[int, int], lang: str
) -> None:
    """? and = are typed into the search (so not offered); F1 types nothing: offered."""
    texts = Texts(lang)
    app = console(mokry, lang)
    async with app.run_test(size=size) as pilot:
        await pilot.press("slash", "s", "equals_sign")
        search = app.screen.query_one("#asset-search", Input)
        assert app.focused is search and search.value == "s="  # = is text here
        shown = {key.key_display: key.description for key in _footer(app)}
        assert shown.get("F1") == texts("key.help.short")
        assert "?" not in shown and "+" not in shown
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert search.value == "s="
        await pilot.press("escape")  # out of the search: ? again, F1 not twice
        displays = [key.key_display for key in _footer(app)]
        assert "?" in displays and "F1" not in displays
