"""Forms that prevent mistakes (issue 15, item 5), driven with Pilot.

A refused submission stays in the form and is neither the team's decision nor shown as one; the
form remembers the last team; the rating form has no default; team lists mark
their choices with ✔; an edit to a time before the start or in the past says so
in words; an edit can change teams, channel and effects.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, SelectionList, Static

from cybrelia.exercise.session import Session
from cybrelia.tui.forms import (
    ActionForm,
    AdhocInjectForm,
    ConfirmScreen,
    EditInjectForm,
    RateForm,
    UndeliverForm,
)
from cybrelia.tui.screens import MainScreen, TeamScreen
from tests.test_tui import (
    MODEL,
    SCENARIO,
    choose,
    console,
    new_session,
    screen_text,
    select_inject,
    type_into,
)


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    opened = new_session(tmp_path, MODEL, SCENARIO)
    yield opened
    opened.close()


def form_error(app: object) -> str:
    """The form's line that says why it was not saved."""
    return str(app.screen.query_one("#form-error", Static).render())  # type: ignore[attr-defined]


async def test_a_refused_action_stays_in_the_form_and_is_no_decision(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("a")
        choose(app, "#team", "energ")
        choose(app, "#action", "repair")
        await type_into(pilot, "#target", "most")  # the bridge is not damaged
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ActionForm)
        assert form_error(app) == "Refused: Most na Rzece is not damaged"
        assert session.exercise.actions == {} and len(session.exercise.refusals) == 1
        await pilot.press("escape")
        teams = app.screen.query_one("#team-table", DataTable)
        assert str(teams.get_cell("energ", "latest")) == ""  # not the team's latest action
        teams.focus()
        teams.move_cursor(row=teams.get_row_index("energ"))
        await pilot.press("t")
        assert isinstance(app.screen, TeamScreen)
        assert app.screen.query_one("#team-actions", DataTable).row_count == 0
        assert "Most na Rzece is not damaged" not in screen_text(app)  # the form said it


async def test_the_action_form_remembers_the_last_team(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("a")
        assert app.screen.query_one("#team", Select).value == "sztab"  # the first team
        choose(app, "#team", "woda")
        choose(app, "#action", "note")
        await type_into(pilot, "#note", "Cisterns ordered")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("a")
        assert app.screen.query_one("#team", Select).value == "woda"


async def test_the_rating_form_has_no_default_rating(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n", "y", "r")
        assert isinstance(app.screen, RateForm)
        assert app.screen.query_one("#rating", Select).value is Select.NULL
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, RateForm) and "choose a rating" in form_error(app)
        assert session.exercise.ratings == {}
        choose(app, "#rating", "M")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, MainScreen)
        assert session.exercise.ratings[("I-01", "energ")].rating == "M"


async def test_team_lists_mark_their_choices(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("i")
        assert isinstance(app.screen, AdhocInjectForm)
        teams = app.screen.query_one("#teams", SelectionList)
        prompts = [str(teams.get_option_at_index(i).prompt) for i in range(teams.option_count)]
        assert all(prompt.startswith("· ") for prompt in prompts)
        teams.select("woda")
        await pilot.pause()
        marked = [str(teams.get_option_at_index(i).prompt) for i in range(teams.option_count)]
        assert marked[1].startswith("✔ WODA") and marked[0].startswith("· SZTAB")


async def test_an_edit_before_the_start_or_in_the_past_says_so(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await select_inject(pilot, "I-02")
        await pilot.press("e")
        assert isinstance(app.screen, EditInjectForm)
        await type_into(pilot, "#at", "D+0 05:00")
        await pilot.press("enter")
        assert form_error(app).endswith("D+0 05:00 is before the exercise starts (D+0 06:00)")
        assert "validation" not in form_error(app).lower()
        await type_into(pilot, "#at", "soon")
        await pilot.press("enter")
        assert "“soon” is not a time" in form_error(app)
        await pilot.press("escape")
        session.advance_to(2.0)
        app.frame(0)
        await select_inject(pilot, "I-02")
        await pilot.press("e")
        await type_into(pilot, "#at", "D+0 07:30")
        await pilot.press("enter")
        assert form_error(app).endswith("D+0 07:30 has passed: the clock is at D+0 08:00")
        assert session.exercise.injects["I-02"].spec.at == 3.0


async def test_an_edit_changes_teams_channel_and_effects(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await select_inject(pilot, "I-03")
        await pilot.press("e")
        teams = app.screen.query_one("#teams", SelectionList)
        assert teams.selected == ["woda"]
        assert str(teams.get_option_at_index(1).prompt).startswith("✔ WODA")
        teams.select("sztab")
        choose(app, "#channel", "radio")
        await type_into(pilot, "#effects", "damage most bts")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen), form_error(app)
        spec = session.exercise.injects["I-03"].spec
        assert spec.to == ["sztab", "woda"] and spec.channel == "radio"
        assert [(e.verb, e.targets) for e in spec.effects] == [("damage", ["most", "bts"])]


async def test_area_targets_are_suggested_and_taken_by_name(tmp_path: Path) -> None:
    # Information actions and orders target an area: a district, a hazard zone (the
    # districts that lie in it) or the whole gmina; the form knows them by name.
    zoned = MODEL.replace(
        "{id: wies, name: Wieś Nowa, population: 400}",
        "{id: wies, name: Wieś Nowa, population: 400, zones: [zalewowa]}",
    )
    session = new_session(tmp_path, zoned, SCENARIO)
    app = console(session)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("a")
            choose(app, "#team", "sztab")
            choose(app, "#action", "public_alert")
            await pilot.pause()
            hint = app.screen.query_one("#target-hint", Static)
            assert str(hint.render()) == "e.g. Centrum, Wieś Nowa, zalewowa, the whole gmina"
            await type_into(pilot, "#target", "wieś", keys=True)
            target = app.screen.query_one("#target", Input)
            assert target._suggestion == "Wieś Nowa"  # the name completes
            await pilot.press("right")
            assert target.value == "Wieś Nowa"
            assert str(hint.render()) == "→ Wieś Nowa (id: wies)"
            await type_into(pilot, "#target", "all")
            assert str(hint.render()) == "→ the whole gmina (id: all)"
            await type_into(pilot, "#target", "zalew")
            assert str(hint.render()) == "did you mean: zalewowa? (→ completes the name)"
            await type_into(pilot, "#target", "wieś nowa")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
        (alert,) = session.exercise.actions.values()
        assert alert.request.target == "wies"  # the name was taken as the district's id
    finally:
        session.close()


async def test_undeliver_asks_first_and_needs_a_note(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n", "y", "n", "y")  # I-01 at 1 h (it damages the GPZ), I-02 at 3 h
        assert session.exercise.injects["I-02"].delivered_at == 3.0
        await select_inject(pilot, "I-03")
        await pilot.press("u")  # not delivered yet: nothing to take back
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert [n.message for n in app._notifications] == [
            "Select a delivered inject (✔, below the ones to come) in the injects panel (2) first."
        ]
        await select_inject(pilot, "I-01")
        await pilot.press("u")  # its effects have happened: said at once, nothing asked
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        notice = list(app._notifications)[-1]
        assert notice.message == (
            "I-01 cannot be undelivered: its effects have happened in the model "
            "(damage: GPZ Centrum)"
        )
        await select_inject(pilot, "I-02")
        await pilot.press("u")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Undeliver I-02 “The voivode's bulletin”? It will be pending again." in (
            screen_text(app)
        )
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, UndeliverForm)
        await pilot.press("ctrl+s")  # no note: stays in the form, nothing journaled
        await pilot.pause()
        assert isinstance(app.screen, UndeliverForm)
        assert "undelivering needs a note" in form_error(app)
        assert not [e for e in session.journal.inputs() if e.kind == "undeliver"]
        await type_into(pilot, "#note", "read out to the wrong room")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert session.exercise.injects["I-02"].status == "pending"
        (entry,) = [e for e in session.journal.inputs() if e.kind == "undeliver"]
        assert entry.payload == {"inject": "I-02", "note": "read out to the wrong room"}
        assert "↶ I-02 undelivered: The voivode's bulletin" in screen_text(app)
