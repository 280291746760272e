"""The console as the fifth newcomer trial met it: its texts (Mokry śnieg, in Polish and English).

A refused submission read as the team's record; raw ids where names belong; a siren's
reach and a crew "on its way" that were no longer true; capability ratings given to
all teams missing from the team views.  Each test drives the real console (Textual's
Pilot, the clock timer off) to where the trial stumbled and reads the screen.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from cybrelia.exercise.events import to_record
from cybrelia.exercise.export import export_records, replay_session
from cybrelia.exercise.session import Session
from cybrelia.exercise.types import ActionRequest
from cybrelia.exercise.wording import resource_text
from cybrelia.files.capabilities import capability_name
from cybrelia.i18n import Texts
from cybrelia.tui.forms import ActionForm
from cybrelia.tui.keys import TEAM_KEYS, localized
from cybrelia.tui.screens import MainScreen, asset_screen
from cybrelia.tui.screens.team import TeamScreen
from cybrelia.tui.widgets import FiguresPanel
from tests.helpers import MOKRY
from tests.test_tui import choose, console, screen_text, select_inject, type_into
from tests.test_tui_third_trial import feed_text

SIZES = {"pl": (120, 36), "en": (80, 24)}
LINE = "sn-zalesie-lesna"  # through the northern forest: I-01 (at 30 min) breaks it


def team_view(app: object, team: str, texts: Texts) -> TeamScreen:
    """The team's view, opened over the main screen."""
    desk = app.desk  # type: ignore[attr-defined]
    screen = localized(TeamScreen, TEAM_KEYS, texts)(desk, team)
    app.push_screen(screen)  # type: ignore[attr-defined]
    return screen


# --- 1. a refused submission stays in its form, and is nobody's record ------------------------


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_a_refused_submission_stays_in_the_form_and_nowhere_else(
    lang: str, tmp_path: Path
) -> None:
    texts = Texts(lang)
    path = tmp_path / "refused.cybrelia"
    mokry = Session.create(MOKRY, path)
    app = console(mokry, lang)
    line = mokry.exercise.assets[LINE].label
    reason = texts("form.refused", reason=texts("refusal.not_damaged", asset=line))
    async with app.run_test(size=SIZES[lang]) as pilot:
        await pilot.press("a")
        choose(app, "#team", "osd")
        choose(app, "#action", "repair")
        await type_into(pilot, "#target", LINE)  # not damaged yet: refused
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ActionForm)  # the form stays, with what was typed
        assert app.screen.query_one("#target", Input).value == LINE
        assert str(app.screen.query_one("#form-error", Static).render()) == reason
        assert mokry.exercise.actions == {} and list(mokry.exercise.refusals) == ["R001"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert "R001" not in feed_text(app) and line not in feed_text(app)  # not in the log
        team_view(app, "osd", texts)
        await pilot.pause()
        assert app.screen.query_one("#team-actions", DataTable).row_count == 0
        shown = screen_text(app)
        assert "R001" not in shown and texts("action.refused") not in shown
    history = [to_record(e) for e in mokry.exercise.history]
    refusals = dict(mokry.exercise.refusals)
    mokry.close()
    # Still journaled and exported (the report lists refused attempts on their own) …
    records = list(export_records(replay_session(path)))
    refused = [r for r in records if r["kind"] == "action" and r["status"] == "refused"]
    assert [r["action_id"] for r in refused] == ["R001"]
    # … and a resume replays the same state, the refusal with it.
    reopened = Session.open(path)
    try:
        assert list(reopened.exercise.refusals) == ["R001"] and reopened.exercise.actions == {}
        replayed = [to_record(e) for e in reopened.exercise.history if e.t == 0.0]
        assert [r for r in replayed if r["kind"] == "action"] == [
            r for r in history if r["kind"] == "action"
        ]
        refusal, first = reopened.exercise.refusals["R001"], refusals["R001"]
        assert (refusal.request, refusal.detail, refusal.detail_pl) == (
            first.request,
            first.detail,
            first.detail_pl,
        )
    finally:
        reopened.close()


# --- 2. names where ids were printed --------------------------------------------------------


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_an_undelivery_refused_names_the_zone_and_says_so_once(
    mokry: Session, lang: str
) -> None:
    app = console(mokry, lang)
    async with app.run_test(size=SIZES[lang]) as pilot:
        await pilot.press("n", "y", "n", "y")  # M-01, then I-01 (damage in the northern forest)
        await select_inject(pilot, "I-01")
        await pilot.press("u")
        await pilot.pause()
        notice = list(app._notifications)[-1].message
        assert "Las Północny" in notice and "las-polnocny" not in notice, notice
        cannot = {"pl": "nie można", "en": "cannot"}[lang]
        assert notice.casefold().count(cannot) == 1, notice
        assert notice[0].isupper()


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_ids_shown_to_type_are_labelled_as_ids(mokry: Session, lang: str) -> None:
    texts = Texts(lang)
    app = console(mokry, lang)
    async with app.run_test(size=SIZES[lang]) as pilot:
        assert app.desk is not None
        app.push_screen(asset_screen(app.desk, "bts-debowiec"))
        await pilot.pause()
        title = str(app.screen.query_one("#asset-title", Static).render())
        assert "(bts-debowiec)" not in title and texts("label.id", id="bts-debowiec") in title
        await pilot.press("escape", "a")
        choose(app, "#action", "public_alert")
        await type_into(pilot, "#target", "all")
        hint = str(app.screen.query_one("#target-hint", Static).render())
        assert hint == f"→ {texts('target.all_districts')} (id: all)", hint


# --- 3. figures and states true at every instant ----------------------------------------------


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_a_crew_says_when_it_is_on_site(mokry: Session, lang: str) -> None:
    texts = Texts(lang)
    app = console(mokry, lang)
    async with app.run_test(size=SIZES[lang]) as pilot:
        mokry.advance_to(0.5)  # I-01 delivered: the line is broken
        action = mokry.submit(ActionRequest(team="osd", action="repair", target=LINE))
        team_view(app, "osd", texts)
        app.frame(0)
        await pilot.pause()
        crew = resource_text(mokry.exercise, "crew-power", texts)

        def status() -> str:
            table = app.screen.query_one("#team-actions", DataTable)
            return " ".join(str(table.get_cell(action.id, "status")).split())

        mokry.advance_to(0.5 + 35 / 60)  # 35 minutes on: the crew has 25 left to drive
        app.frame(0)
        await pilot.pause()
        said = texts("detail.crew_travelling", pool=crew, work="", left="25 min")
        assert status().startswith(f"{texts('action.started')} ({said.split(':')[0]}"), status()
        mokry.advance_to(1.75)  # on site since 1.5 h: 15 h 45 min of work left
        app.frame(0)
        await pilot.pause()
        said = texts("detail.crew_on_site", pool=crew, work="", left="15 h 45 min")
        assert status().startswith(f"{texts('action.started')} ({said.split(':')[0]}"), status()


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_the_teams_panel_says_again_where_a_crew_stands(mokry: Session, lang: str) -> None:
    texts = Texts(lang)
    app = console(mokry, lang)
    async with app.run_test(size=SIZES[lang]) as pilot:
        mokry.advance_to(0.5)
        mokry.submit(ActionRequest(team="osd", action="repair", target=LINE))
        app.frame(0)
        await pilot.pause()
        teams = app.screen.query_one("#team-table", DataTable)
        crew = resource_text(mokry.exercise, "crew-power", texts)
        travelling = texts("detail.crew_travelling", pool=crew, work="", left="1 h").split(":")[0]
        assert travelling in teams.get_cell("osd", "latest").plain
        mokry.advance_to(1.75)  # the clock alone moved: the row is said again
        app.frame(0)
        await pilot.pause()
        on_site = texts("detail.crew_on_site", pool=crew, work="", left="15 h 45 min")
        assert on_site.split(":")[0] in teams.get_cell("osd", "latest").plain


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_the_reach_of_a_siren_says_what_it_covers_once_the_siren_failed(
    mokry: Session, lang: str
) -> None:
    texts = Texts(lang)
    app = console(mokry, lang)
    async with app.run_test(size=SIZES[lang]) as pilot:
        alert = ActionRequest(
            team="gzzk",
            action="public_alert",
            target="lesna-gora",
            params={"channel": "sirens", "tone": "alarm"},
        )
        mokry.submit(alert)  # the Leśna Góra siren sounds to all 1 100 residents
        app.frame(0)
        await pilot.pause()
        figures = " ".join(
            str(w.render()) for w in app.screen.query_one(FiguresPanel).query(Static)
        )
        now = texts("figures.reach_now", now="0", total=texts.number(1100))
        assert now not in figures
        mokry.advance_to(0.5)  # I-01: Leśna Góra dark, its siren (no battery) down
        assert mokry.exercise.engine.status("syrena-lesna-gora").state == "down"
        app.frame(0)
        await pilot.pause()
        figures = " ".join(
            str(w.render()) for w in app.screen.query_one(FiguresPanel).query(Static)
        )
        assert " ".join(now.split()) in " ".join(figures.split()), figures


# --- 4. capability ratings given to all teams ------------------------------------------------


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_a_rating_for_all_teams_shows_in_every_team_view(mokry: Session, lang: str) -> None:
    texts = Texts(lang)
    app = console(mokry, lang)
    async with app.run_test(size=SIZES[lang]) as pilot:
        mokry.rate_capability("planning", "M", "")  # all teams together
        planning = f"{capability_name('planning', lang)} M {texts('team.rating_all')}"
        for team in ("gzzk", "osd"):
            team_view(app, team, texts)
            await pilot.pause()
            title = str(app.screen.query_one("#team-title").render())
            assert texts("team.ratings", ratings=planning) in title, title
            await pilot.press("escape")
            await pilot.pause()
        team_view(app, "zgk", texts)  # open while the rating comes: shown at once
        await pilot.pause()
        mokry.rate_capability("operational_communications", "S", "")
        app.frame(0)
        await pilot.pause()
        title = str(app.screen.query_one("#team-title").render())
        assert capability_name("operational_communications", lang) in title, title
