"""The console as the second newcomer trial met it (Mokry śnieg, 120x36 in Polish, 80x24 in
English).

Each test drives the real console (Textual's Pilot, the clock timer off) to where the
trial stumbled and checks what the facilitator can do there.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from cybrelia.exercise.session import Session
from cybrelia.i18n import Texts
from cybrelia.tui.forms import ActionForm, ConfirmScreen
from cybrelia.tui.screens import MainScreen
from cybrelia.tui.widgets import InjectsPanel
from tests.test_tui import choose, console, screen_text, select_inject, type_into


@pytest.mark.parametrize("popup", ["p", "question_mark", "t"])
async def test_keys_work_after_a_popup_closes_over_the_figures(
    session: Session, popup: str
) -> None:
    """80x24, the figures page (3), a view or the help opened and closed: the keys still
    move the clock, and nothing hidden holds the focus (a hidden search box took them)."""
    app = console(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", popup)
        assert not isinstance(app.screen, MainScreen)
        await pilot.press("escape")
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert app.focused is None or app.focused in screen.focus_chain
        speed = session.speed
        await pilot.press("+")
        assert session.speed > speed
        await pilot.press("space")
        assert session.running
        await pilot.press("2")
        assert app.focused is screen.query_one("#inject-table")


async def test_a_delivered_inject_stays_under_the_cursor_and_u_takes_it_back(
    session: Session,
) -> None:
    """n and d say "u takes it back": the delivered inject stays selected (its detail says
    what it expects), also when another one is delivered meanwhile."""
    texts = Texts("en")
    app = console(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "n", "y")  # I-01, the first row, delivered at D+0 07:00
        panel = app.screen.query_one(InjectsPanel)
        assert panel.selected is not None and panel.selected.spec.id == "I-01"
        detail = str(app.screen.query_one("#inject-detail", Static).render())
        assert texts("expect.title") in detail  # what I-01 expects, still there to read
        table = panel.table
        region = table.scrollable_content_region
        assert 0 <= table.cursor_row - table.scroll_offset.y < region.height  # in sight
        await select_inject(pilot, "I-02")
        await pilot.press("d", "y")
        await pilot.press("n", "y")  # I-03: the cursor stays on I-02
        assert session.exercise.injects["I-03"].status == "delivered"
        assert panel.selected is not None and panel.selected.spec.id == "I-02"
        await pilot.press("u")
        assert isinstance(app.screen, ConfirmScreen)
        assert "I-02" in screen_text(app)


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_a_resource_parameter_lists_the_models_resources(session: Session, lang: str) -> None:
    """crew=foo was refused and nothing said which crews there are, or that none is
    needed: the hint lists the resources that fit, and says the exercise chooses."""
    texts = Texts(lang)
    chooses = texts("form.params.resources", resources="").split(":")[0]
    app = console(session, lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("a")
        choose(app, "#action", "repair")
        await type_into(pilot, "#target", "gpz")
        hint = str(app.screen.query_one("#params-hint", Static).render())
        assert texts("param.crew") in hint and "crew-power" in hint and chooses in hint
        assert "gen-mobile" not in hint  # a generator is no crew
        choose(app, "#action", "deploy_generator")
        await pilot.pause()
        hint = str(app.screen.query_one("#params-hint", Static).render())
        assert "gen-mobile" in hint and "crew-power" not in hint
        choose(app, "#action", "refuel")  # the model has no fuel truck
        await pilot.pause()
        hint = str(app.screen.query_one("#params-hint", Static).render())
        assert texts("form.params.no_resources") in hint


async def test_tab_passes_the_parameters_of_an_action_that_has_none(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("a")
        assert isinstance(app.screen, ActionForm)
        choose(app, "#action", "isolate")  # a target, no parameters
        await pilot.pause()
        target = app.screen.query_one("#target", Input)
        target.focus()
        await pilot.press("tab")
        assert app.focused is app.screen.query_one("#note", Input)
        choose(app, "#action", "repair")  # parameters again: Tab stops there
        await pilot.pause()
        target.focus()
        await pilot.press("tab")
        assert app.focused is app.screen.query_one("#params", Input)


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_the_presentation_opens_with_the_expectations_hidden(
    session: Session, lang: str
) -> None:
    """p is for the projector: the teams must not read what is expected of them; the help
    says so."""
    texts = Texts(lang)
    app = console(session, lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n", "y", "p")
        expect = app.screen.query_one("#pres-expect", Static)
        assert not expect.display and "I-01.1" not in screen_text(app)
        await pilot.press("e")
        assert expect.display and "I-01.1" in str(expect.render())
        await pilot.press("escape", "question_mark")
        shown = " ".join(str(app.screen.query_one("#help-text", Static).render()).split())
        assert texts("help.first.4") in shown
        assert {"pl": "ukrytymi", "en": "hidden"}[lang] in texts("help.first.4")
