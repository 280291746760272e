"""The console as a newcomer met it running the first hour of Mokry śnieg (issue 15).

Each test drives the real console (Textual's Pilot, the clock timer off) to the
moment where a facilitator who had only the help screen stumbled, and checks
what the screen shows there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label, Select, Static
from textual.widgets._footer import FooterKey
from textual.widgets._select import SelectOverlay

from cybrelia.exercise.session import Session
from cybrelia.exercise.types import ActionRequest
from cybrelia.i18n import Texts
from cybrelia.tui.app import START_SPEED, CybreliaApp
from cybrelia.tui.forms import ActionForm, ConfirmScreen, EditInjectForm, NoteForm
from cybrelia.tui.labels import duration_text
from cybrelia.tui.screens import MainScreen, asset_screen
from cybrelia.tui.screens.ended import EndedScreen
from cybrelia.tui.widgets import FiguresPanel, KeyFooter
from tests.helpers import MOKRY
from tests.test_tui import (
    choose,
    console,
    screen_text,
    select_inject,
    type_into,
)


async def test_team_points_show_what_is_at_stake_once_delivered(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.screen.query_one("#team-table", DataTable)
        assert str(table.get_cell("energ", "points")) == "0/0"
        await pilot.press("n", "y")  # I-01 expects the power utility's repair: 10 points
        assert str(table.get_cell("energ", "points")) == "0/10"
        assert str(table.get_cell("sztab", "points")) == "0/0"


def _shown_whole(app: CybreliaApp, selector: str) -> list[str]:
    """A Static's lines as wrapped to its width; asserts that none is cut off below."""
    widget = app.screen.query_one(selector, Static)
    text = Text(str(widget.render()))
    lines = text.wrap(app.console, widget.content_size.width)
    assert len(lines) <= widget.content_size.height, f"{selector} cut off"
    return [line.plain.rstrip() for line in lines]


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_figures_that_explain_themselves_on_screen(mokry: Session, lang: str) -> None:
    """Mokry śnieg at D+0 09:00 (the blackout) and D+2 20:00 (power back, a rumour believed).

    On a wide terminal the explanations are on the figures' page (3): elsewhere the inject's
    detail has their room, and the figures panel's foot says where they are.
    """
    texts = Texts(lang)
    app = console(mokry, lang)
    async with app.run_test(size=(120, 36)) as pilot:
        mokry.advance_to(3.0)
        app.frame(0)
        await pilot.pause()
        figures = app.screen.query_one(FiguresPanel)
        assert figures.border_subtitle == texts("figures.why_hidden")
        await pilot.press("3")
        assert figures.border_subtitle == ""
        why = " ".join(_shown_whole(app, "#figures-why"))
        assert texts("figures.vulnerable", count=texts.number(1200)) in why
        occupants = texts("figures.occupants", count=texts.number(1380), facilities="")
        assert occupants.removesuffix("()") in why
        assert texts("figures.more", count=4) in why  # six facilities: two named

        mokry.advance_to(62.0)
        app.frame(0)
        await pilot.pause()
        in_need = str(app.screen.query_one("#value-people_in_need", Label).render())
        assert in_need == texts.number(827)
        for service in ("power", "water", "heat", "telecom"):
            assert str(app.screen.query_one(f"#value-{service}", Label).render()) == "0"
        why = " ".join(_shown_whole(app, "#figures-why"))
        # The same figure in the same words as the row above it, then why.
        label = texts("figure.people_in_need")
        assert f"{label} {in_need}" in why
        assert texts("figures.believers", count=texts.number(8583), claim="")[:8] in why


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_help_says_where_e_works_and_how_to_open_views(session: Session, lang: str) -> None:
    texts = Texts(lang)
    app = console(session, lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("question_mark")
        shown = " ".join(str(app.screen.query_one("#help-text", Static).render()).split())
        first_hour = shown[: shown.index(texts("help.main"))]
        assert (
            texts("help.first.4") in first_hour
        )  # the presentation hides expectations; e shows them
        views = texts("help.first.8")
        assert views in first_hour
        for words in (("Enter", "(1)"), ("t", "(4)")):
            assert all(word in views for word in words)
        assert "cybrelia report" in first_hour  # what to do once the scenario has ended
        await pilot.press("escape")
        # e on the main screen edits: the help's words for it say so
        await pilot.press("e")
        assert isinstance(app.screen, EditInjectForm)


@pytest.mark.parametrize("key", ["n", "d"])
async def test_a_delivery_dialog_says_what_can_be_taken_back(session: Session, key: str) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        if key == "d":
            await pilot.press("2")
        await pilot.press(key)
        assert isinstance(app.screen, ConfirmScreen)
        shown = screen_text(app)
        assert "cannot be undone" not in shown
        assert "taken back with u" in shown
        # n moves the clock, which does not come back; d does not move it (said, it confused).
        assert ("clock does not go back" in shown) == (key == "n")
        await pilot.press("y")
        assert session.exercise.injects["I-01"].status == "delivered"


async def test_a_new_session_starts_paused_at_an_hour_a_minute(tmp_path: Path) -> None:
    target = tmp_path / "picked.cybrelia"
    app = CybreliaApp(
        None, Texts("pl"), scenarios=[(MOKRY, "Mokry śnieg")], session_path=target, clock=False
    )
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.session is not None
        assert app.session.speed == START_SPEED == 1.0 and not app.session.running
        shown = screen_text(app)
        assert "WSTRZYMANE" in shown and "tempo 1 min/s" in shown
        await pilot.press("space")
        app.frame(30.0)  # half a wall minute: half an hour of the scenario
        assert app.session.now == pytest.approx(0.5)
    app.session.close()
    reopened = Session.open(target)
    assert reopened.speed == 1.0  # journaled: a resumed session keeps it
    reopened.close()


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_the_end_says_so_and_what_can_still_be_done(session: Session, lang: str) -> None:
    texts = Texts(lang)
    app = console(session, lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n", "y")  # I-01 delivered
        await pilot.press("space")
        session.advance_to(session.end - 0.01)
        app.frame(0)
        app.frame(60.0)  # the last minute: the session reaches its end and stops
        await pilot.pause()
        assert session.now == session.end and not session.running
        assert isinstance(app.screen, EndedScreen)
        shown = screen_text(app)
        assert texts("ended.title", clock="D+1 06:00") in shown
        for label in ("key.rate", "key.note", "key.undeliver", "key.quit"):
            assert texts(label) in shown
        assert f"cybrelia report {session.journal.path}" in shown
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        assert texts("status.ended") in screen_text(app)
        await pilot.press("space")  # space again: the same dialog, not a bare refusal
        assert isinstance(app.screen, EndedScreen)
        await pilot.press("m")  # a note still goes in after the end
        assert isinstance(app.screen, NoteForm)
        await pilot.press("escape")
        await pilot.press("space", "q")
        await pilot.pause()
    assert app.return_code == 0
    assert session.journal.path.exists()


@pytest.mark.parametrize("key", ["p", "t", "enter"])
async def test_q_asks_at_once_on_every_screen(session: Session, key: str) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n", "y")
        if key == "enter":
            await pilot.press("1", "down")
        await pilot.press(key)
        assert not isinstance(app.screen, MainScreen)
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Leave the console?" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0


async def _footer_keys(pilot: Pilot[Any]) -> list[FooterKey]:
    """The footer's keys once it has composed and fitted them."""
    keys: list[FooterKey] = []
    for _ in range(40):  # the footer composes its keys after the screen's first frame
        await pilot.pause(0.05)
        keys = list(pilot.app.screen.query_one(KeyFooter).query(FooterKey))
        if keys:
            break
    await pilot.pause(0.05)
    return keys


@pytest.mark.parametrize("lang", ["pl", "en"])
@pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=["120x36", "80x24"])
@pytest.mark.parametrize("screen", ["main", "asset", "presentation", "team", "help"])
async def test_no_footer_key_is_cut(
    session: Session, lang: str, size: tuple[int, int], screen: str
) -> None:
    """Every key the footer shows is whole, left of the palette's key (``a Dz`` was cut)."""
    app = console(session, lang)
    async with app.run_test(size=size) as pilot:
        await pilot.press("n", "y")
        keys = {"main": (), "asset": ("1", "down", "enter"), "presentation": ("p",)}
        await pilot.press(*keys.get(screen, ("t",) if screen == "team" else ("question_mark",)))
        shown = [key for key in await _footer_keys(pilot) if key.display]
        palette = [key for key in shown if key.has_class("-command-palette")]
        limit = palette[0].region.x if palette else size[0]
        assert shown and all(key.region.right <= limit for key in shown if key not in palette)
        if screen != "help":
            assert [key.key_display for key in shown[:2]] in (["?", "q"], ["←", "→"])
            assert {"?", "q"} <= {key.key_display for key in shown}
        if screen == "main" and size == (120, 36):
            assert {"a", "r", "m", "p", "t"} <= {key.key_display for key in shown}


async def test_delivered_injects_read_as_a_log(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n", "y", "n", "y")  # I-01 at D+0 07:00, I-02 at D+0 09:00
        table = app.screen.query_one("#inject-table", DataTable)
        rows = [str(table.get_row_at(row)[2]) for row in range(table.row_count)]
        assert rows.index("I-01") < rows.index("I-02")  # chronological, like the feed
        assert rows.index("I-03") < rows.index("I-01")  # what is still to come first


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_infrastructure_headers_fit_their_columns(session: Session, lang: str) -> None:
    app = console(session, lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#assets", DataTable)
        for column in table.columns.values():
            assert len(str(column.label)) <= column.width, str(column.label)


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_an_expectation_names_the_action_expected(mokry: Session, lang: str) -> None:
    """Objective (id and capability, not its long statement), team, action and target by
    name, window, points and the live state."""
    texts = Texts(lang)
    app = console(mokry, lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        await select_inject(pilot, "I-03")
        shown = " ".join(str(app.screen.query_one("#inject-detail", Static).render()).split())
        statement = texts.pick(mokry.exercise.scenario.objectives[0].text, "")
        assert statement[:40] not in shown
        words = {
            "pl": "I-03.2 O1 Koordynacja działań · GZZK wniosek o wsparcie → agregat prądotwórczy"
            " · w ciągu 6 h od dostarczenia · 10 pkt",
            "en": "I-03.2 O1 Operational coordination · GZZK request support → generator"
            " · within 6 h of delivery · 10 pts",
        }
        assert words[lang] in shown
        mokry.advance_to(3.5)  # I-03 delivered at D+0 09:00
        app.frame(0)
        await pilot.pause()
        await select_inject(pilot, "I-03")
        shown = " ".join(str(app.screen.query_one("#inject-detail", Static).render()).split())
        assert texts("expect.status.open", left=duration_text(5.5, texts)) in shown


@pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=["120x36", "80x24"])
async def test_the_action_form_speaks_the_language(mokry: Session, size: tuple[int, int]) -> None:
    texts = Texts("pl")
    app = console(mokry, "pl")
    async with app.run_test(size=size) as pilot:
        await pilot.press("a")
        assert isinstance(app.screen, ActionForm)
        select = app.screen.query_one("#action", Select)
        prompts = [str(prompt) for prompt, _ in select._options]
        assert "wniosek o wsparcie" in prompts and "naprawa" in prompts
        assert not any("request_support" in prompt or "(repair)" in prompt for prompt in prompts)
        choose(app, "#action", "request_support")
        await pilot.pause()
        hint = str(app.screen.query_one("#params-hint", Static).render())
        assert texts("param.source") in hint and texts("param.count") in hint
        assert "skąd wsparcie" in hint and "ile sztuk" in hint
        target_hint = str(app.screen.query_one("#target-hint", Static).render())
        assert "agregat prądotwórczy" in target_hint or "ekipa" in target_hint
        choose(app, "#action", "public_alert")
        await pilot.pause()
        target_hint = str(app.screen.query_one("#target-hint", Static).render())
        assert "Dębowiec" in target_hint  # areas by their names, not their ids
        choose(app, "#action", "note")
        await pilot.pause()
        assert texts("form.params.none") in str(
            app.screen.query_one("#params-hint", Static).render()
        )
        # The open dropdown: framed apart from the labels, one line per option, all on screen.
        select.focus()
        await pilot.press("enter")
        await pilot.pause()
        overlay = select.query_one(SelectOverlay)
        assert select.expanded
        assert overlay.styles.border_top[0] != ""
        assert overlay.region.bottom <= size[1]
        assert overlay.virtual_size.height == overlay.option_count


@pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=["120x36", "80x24"])
async def test_the_asset_view_tells_its_neighbours_apart(
    mokry: Session, size: tuple[int, int]
) -> None:
    """GPZ Zalesie feeds three overhead lines whose names differ only at their end."""
    app = console(mokry)
    async with app.run_test(size=size) as pilot:
        app.push_screen(asset_screen(app.desk, "gpz-zalesie"))  # type: ignore[arg-type]
        await pilot.pause()
        table = app.screen.query_one("#downstream", DataTable)
        names = [str(table.get_row_at(row)[2]) for row in range(table.row_count)]
        assert len(names) >= 3 and len(set(names)) == len(names)
        assert all("…" not in name for name in names)
        width = next(c.width for c in table.columns.values() if c.key.value == "asset")
        # each name wraps within its column: what shows is the whole name
        assert all(len(line) <= width for name in names for line in name.split("\n"))


async def test_a_generator_is_recorded_by_the_asset_name(mokry: Session) -> None:
    """What the newcomer would type: the team, the action, the start of the asset's name."""
    app = console(mokry)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "y", "n", "y")  # M-01, I-01: SUW Leśna Góra loses power
        await pilot.press("a")
        choose(app, "#team", "zgk")
        choose(app, "#action", "deploy_generator")
        await type_into(pilot, "#target", "SUW Le", keys=True)
        await pilot.press("right")  # the suggestion: the whole name
        target = app.screen.query_one("#target", Input)
        assert target.value == "SUW Leśna Góra (1 studnia)"
        hint = str(app.screen.query_one("#target-hint", Static).render())
        assert hint.startswith("→ SUW Leśna Góra (1 studnia): down")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        (action,) = mokry.exercise.actions.values()
        request = action.request
        assert (request.team, request.action, request.target) == (
            "zgk",
            "deploy_generator",
            "suw-lesna-gora",
        )


async def test_a_parameter_that_does_not_parse_is_said_in_polish(session: Session) -> None:
    app = console(session, "pl")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("a")
        choose(app, "#team", "sztab")
        choose(app, "#action", "request_support")
        await type_into(pilot, "#target", "generator")
        await type_into(pilot, "#params", "source")
        await pilot.press("enter")
        error = str(app.screen.query_one("#form-error", Static).render())
        assert error == "Nie można zapisać: parametry pisz jako słowo=wartość, nie „source”"


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_the_status_writes_every_day_whole(mokry: Session, lang: str) -> None:
    """D+3 is a Sunday: ``niedz 17.01`` was cut to ``niedz``."""
    app = console(mokry, lang)
    async with app.run_test(size=(120, 36)) as pilot:
        for hours in (0.0, 24.0, 48.0, 71.0):
            mokry.advance_to(hours)
            app.frame(0)
            await pilot.pause()
            clock = app.screen.query_one("#sb-clock", Static)
            shown = str(clock.render())
            assert len(shown) <= clock.content_size.width, shown


async def test_the_end_reached_under_a_view_is_said_back_on_the_main_screen(
    session: Session,
) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n", "y", "p")  # the presentation on the projector
        session.advance_to(session.end)
        app.frame(0)
        await pilot.pause()
        assert not isinstance(app.screen, EndedScreen)  # not over the room's screen
        await pilot.press("escape")
        app.frame(0)
        await pilot.pause()
        assert isinstance(app.screen, EndedScreen)


async def test_actions_name_their_targets_in_the_language(mokry: Session) -> None:
    """An alert to ``all`` and support of kind ``generator`` read as the room says them."""
    app = console(mokry, "pl")
    async with app.run_test(size=(120, 36)) as pilot:
        mokry.submit(ActionRequest("gzzk", "public_alert", "all", {"channel": "sirens"}, ""))
        mokry.submit(ActionRequest("gzzk", "request_support", "generator", {}, ""))
        app.frame(0)
        await pilot.pause()
        feed = screen_text(app)
        assert "ostrzeżenie ludności → cała gmina" in feed
        assert "wniosek o wsparcie → agregat prądotwórczy" in feed
        assert "→ all" not in feed and "→ generator" not in feed
