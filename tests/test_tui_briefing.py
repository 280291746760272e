"""The console's second pass (issue 15): what each inject expects, a clock that waits for
people, true buffer labels, the picker.

Driven with Textual's Pilot on the small scenario of ``tests/test_tui.py`` (with a
decision-record expectation and two branches that wait for other injects added), the
clock timer off; ``app.frame(seconds)`` lets wall time pass and checks the clock's hold.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.align import Align
from textual.command import CommandList
from textual.widgets import Input, OptionList, Static

from cybrelia.engine.cascade import BufferStatus
from cybrelia.exercise.session import Session
from cybrelia.exercise.types import ActionRequest
from cybrelia.i18n import Texts
from cybrelia.tui.app import CybreliaApp
from cybrelia.tui.context import TEN_PER_MINUTE
from cybrelia.tui.forms import ActionForm, ConfirmRecordForm, ConfirmScreen, NoteForm
from cybrelia.tui.labels import buffer_state
from cybrelia.tui.palette import Palette
from cybrelia.tui.screens import AssetScreen, MainScreen, PickerScreen, PresentationScreen
from cybrelia.tui.screens.main import REAL_TIME
from tests.helpers import write_files
from tests.test_tui import (
    MODEL,
    SCENARIO,
    choose,
    console,
    new_session,
    screen_text,
    select_inject,
    status_of,
)

#: The test scenario with a decision record expected of the crisis team after I-02, a
#: branch after I-03's delivery and one after I-01's expectation is met.
BRIEFED = (
    SCENARIO.replace(
        """    to: [sztab]
    channel: email
""",
        """    to: [sztab]
    channel: email
    expect:
      - {action: note, team: sztab, within: 1h, points: 5, pillar: 3,
         capability: operational_coordination,
         description: {pl: Sztab zapisuje meldunek, en: The crisis team records its report}}
""",
    )
    + """  - id: B-02
    when: {delivered: I-03}
    title: {pl: Objazd, en: The detour}
    to: [woda]
  - id: B-03
    when: {met: I-01.1}
    title: {pl: Podziękowania, en: Thanks}
    to: [energ]
"""
)


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    opened = new_session(tmp_path, MODEL, BRIEFED)
    yield opened
    opened.close()


def detail(app: CybreliaApp) -> str:
    """The injects panel's detail under the table."""
    return str(app.screen.query_one("#inject-detail", Static).render())


# --- 1. what each inject expects -------------------------------------------------------------


async def test_inject_panel_lists_each_expectation_live(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await select_inject(pilot, "I-01")
        shown = detail(app)
        assert "Expected of the teams" in shown
        # objective (its capability as written, in a file without objectives), team, action,
        # target, window, points, and the state before delivery
        assert "I-01.1 power · ENERG repair → GPZ Centrum" in shown
        assert "within 2 h of delivery · 10 pts · after delivery" in shown
        await pilot.press("n", "y")  # I-01 delivered at D+0 07:00
        await select_inject(pilot, "I-01")
        assert "within 2 h, until D+0 09:00 · 0/10 pts · open, 2 h left" in detail(app)
        session.advance_to(2.0)
        app.frame(0)
        await pilot.pause()
        assert "open, 1 h left" in detail(app)
        session.advance_to(3.0)  # the window closed without a repair
        app.frame(0)
        await pilot.pause()
        assert "✖ I-01.1" in detail(app) and "0/10 pts · missed" in detail(app)


@pytest.mark.parametrize(
    ("lang", "late"), [("en", "5/10 pts · met late"), ("pl", "5/10 pkt · spełnione z opóźnieniem")]
)
async def test_an_expectation_met_after_its_window_reads_late(
    session: Session, lang: str, late: str
) -> None:
    app = console(session, lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n", "y")  # I-01 delivered at D+0 07:00: repair within 2 h
        session.advance_to(3.0)  # the window closed
        session.submit(ActionRequest("energ", "repair", "gpz"))
        session.advance_to(12.0)  # the repair done: the late share of the points
        app.frame(0)
        await pilot.pause()
        await select_inject(pilot, "I-01")
        shown = detail(app)
        assert "◔ I-01.1" in shown and late in shown
        assert "✖ I-01.1" not in shown


async def test_presentation_hides_the_expectations_and_e_shows_them(session: Session) -> None:
    app = console(session, "pl")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n", "y", "p")
        assert isinstance(app.screen, PresentationScreen)
        expect = app.screen.query_one("#pres-expect", Static)
        assert not expect.display  # the room sees the projector: hidden at first
        await pilot.press("e")
        assert expect.display
        text = str(expect.render())
        assert "Oczekiwane działania" in text and "I-01.1" in text and "ENERG naprawa" in text
        assert "otwarte, zostało 2 h" in text
        await pilot.press("e")
        assert not expect.display


async def test_decision_record_and_facilitator_note_are_told_apart(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("m")
        assert isinstance(app.screen, NoteForm)
        text = screen_text(app)
        assert "Facilitator's note" in text and "not a team's decision" in text
        await pilot.press("escape", "n", "y")  # I-01
        session.advance_to(3.0)  # I-02 delivered: the crisis team's record is expected
        app.frame(0)
        await pilot.pause()
        await pilot.press("a")
        assert isinstance(app.screen, ActionForm)
        choose(app, "#team", "sztab")
        choose(app, "#action", "note")
        await pilot.pause()
        hint = str(app.screen.query_one("#target-hint", Static).render())
        assert "decision record" in hint and "I-02.1" in hint
        await pilot.press("escape")
        await pilot.press("c")  # nothing recorded yet
        assert isinstance(app.screen, MainScreen)
        session.submit(ActionRequest("sztab", "note", None, {}, "Report sent at 09:10"))
        app.frame(0)
        await select_inject(pilot, "I-02")
        assert "record A001 awaits confirmation (c)" in detail(app)
        await pilot.press("c")
        assert isinstance(app.screen, ConfirmRecordForm)
        choices = app.screen.query_one("#choices", OptionList)
        assert "I-02.1 SZTAB A001 Report sent at 09:10" in str(
            choices.get_option_at_index(0).prompt
        )
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert session.exercise.expectations["I-02.1"].status == "met"
        assert "✔ I-02.1" in detail(app) and "5/5 pts · met" in detail(app)


# --- 2. a clock that waits for people --------------------------------------------------------


@pytest.mark.parametrize("key", ["a", "r", "question_mark", "n"])
async def test_a_form_or_dialog_pauses_the_clock_and_closing_it_resumes(
    session: Session, key: str
) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("space")
        app.frame(0.6)
        assert session.running and session.now == pytest.approx(0.1)
        await pilot.press(key)
        assert not isinstance(app.screen, MainScreen)
        app.frame(0.6)
        assert not session.running and session.now == pytest.approx(0.1)
        assert "PAUSED" in str(app.screen_stack[1].query_one("#sb-run", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        app.frame(0.6)
        assert session.running and session.now == pytest.approx(0.2)


async def test_a_paused_clock_stays_paused_and_the_hold_can_be_turned_off(
    session: Session,
) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("m")
        app.frame(0.5)
        await pilot.press("escape")
        app.frame(0.5)
        assert not session.running  # it was paused before the form: it stays paused
        await pilot.press("k")  # forms no longer pause the clock
        assert "(forms do not pause)" in screen_text(app)
        await pilot.press("space", "m")
        app.frame(0.6)
        assert session.running and session.now == pytest.approx(0.1)


async def test_next_inject_asks_before_it_delivers(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, ConfirmScreen)
        text = screen_text(app)
        assert "Jump to D+0 07:00 (1 h from now) and deliver:" in text
        assert "I-01 GPZ Centrum fails" in text
        await pilot.press("n")  # "n" in a dialog is No: nothing happens
        assert isinstance(app.screen, MainScreen)
        assert session.now == 0.0 and status_of(session, "I-01") == "pending"
        await pilot.press("n", "y")
        assert session.now == 1.0 and status_of(session, "I-01") == "delivered"


async def test_skip_says_which_effects_and_branches_are_lost(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await select_inject(pilot, "I-01")
        await pilot.press("s")
        text = screen_text(app)
        assert "will never happen: damage: GPZ Centrum" in text
        assert "its 1 expectation (10 pts) will not count" in text
        assert "branch B-03 “Thanks” will never arrive" in text
        await pilot.press("n")
        await select_inject(pilot, "I-03")
        await pilot.press("s")
        text = screen_text(app)
        assert "will never happen: damage: Most na Rzece" in text
        assert "branch B-02 “The detour” will never arrive" in text
        assert "B-03" not in text
        await pilot.press("y")
        assert session.exercise.injects["I-03"].status == "skipped"
        await select_inject(pilot, "I-02")
        await pilot.press("s")
        assert "its 1 expectation (5 pts) will not count" in screen_text(app)


async def test_real_time_speed_and_wall_time_mode(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("-", "-", "-", "-", "-")  # 10 → 5 → 2 → 1 → 10 min/min → real time
        assert session.speed == REAL_TIME
        assert "real time" in screen_text(app)
        await pilot.press("space")
        app.frame(60.0)  # one wall minute: one sim minute
        assert session.now == pytest.approx(1 / 60)
        await pilot.press("+")
        assert session.speed == TEN_PER_MINUTE and "speed 10 min/min" in screen_text(app)
        await pilot.press("+")
        assert session.speed == 1.0
        await pilot.press("W")
        assert session.speed == REAL_TIME and "= wall time" in screen_text(app)
        await pilot.press("+")
        assert session.speed == REAL_TIME  # wall time keeps real time
        await pilot.press("m")  # a form does not stop the room's clock
        app.frame(60.0)
        assert session.running and session.now == pytest.approx(2 / 60)
        await pilot.press("escape", "W")
        assert session.speed == 1.0 and "= wall time" not in screen_text(app)


# --- 6. buffer labels that are true --------------------------------------------------------


def test_buffer_labels_say_what_the_buffer_does() -> None:
    en = Texts("en")

    def status(kind: str, remaining: float, mode: str) -> BufferStatus:
        return BufferStatus("power", kind, 12.0, remaining, mode, None)  # type: ignore[arg-type]

    assert buffer_state(status("generator", 0.0, "recharging"), 0.0, en) == "out of fuel"
    assert buffer_state(status("generator", 0.0, "draining"), 0.0, en) == "out of fuel"
    assert buffer_state(status("generator", 12.0, "recharging"), 0.0, en) == (
        "generator ready, full (12 h)"
    )
    assert buffer_state(status("generator", 5.5, "recharging"), 0.0, en) == (
        "generator standing by, 5 h 30 min of 12 h left (needs refilling)"
    )
    assert buffer_state(status("battery", 6.0, "recharging"), 0.5, en) == (
        "battery recharging, 6 h of 12 h, full in 12 h"
    )
    assert buffer_state(status("battery", 0.0, "recharging"), 0.5, en) == (
        "battery recharging, < 1 min of 12 h, full in 24 h"
    )
    assert buffer_state(status("generator", 17 + 39 / 60, "draining"), 0.0, en) == (
        "generator, 17 h 39 min left"
    )
    assert buffer_state(status("battery", 3.0, "idle"), 0.5, en) == (
        "battery not in use (the asset is down), 3 h of 12 h"
    )
    pl = Texts("pl")
    assert buffer_state(status("generator", 0.0, "recharging"), 0.0, pl) == (
        "brak paliwa w agregacie"
    )


async def test_an_empty_generator_reads_out_of_fuel(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n", "y")  # the GPZ fails: SUW Centrum runs on its 4 h generator
        session.advance_to(6.0)
        app.frame(0)
        await pilot.pause()
        await pilot.press("1")
        table = app.screen.query_one("#assets")
        table.move_cursor(row=table.get_row_index("suw"))  # type: ignore[attr-defined]
        await pilot.press("enter")
        assert isinstance(app.screen, AssetScreen)
        state = str(app.screen.query_one("#asset-state", Static).render())
        assert "water: out of fuel" not in state  # the buffer keeps the power need
        assert "power: out of fuel" in state and "recharging" not in state


# --- 5. the picker ---------------------------------------------------------------------------


async def test_picker_shows_model_length_teams_and_recent_sessions(tmp_path: Path) -> None:
    _, scenario = write_files(tmp_path, MODEL, BRIEFED)
    played = tmp_path / "played.cybrelia"
    Session.create(scenario, played).close()
    missing = tmp_path / "nowhere.cybrelia"
    app = CybreliaApp(
        None,
        Texts("en"),
        scenarios=[(scenario, "Próbna awaria")],
        clock=False,
        missing_session=missing,
        recent=[played],
    )
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, PickerScreen)
        assert f"There is no session at {missing}" in screen_text(app)
        options = app.screen.query_one("#scenario-list", OptionList)
        scenario_line = str(options.get_option_at_index(0).prompt)
        assert "model model · 24 h · 3 teams: SZTAB, WODA, ENERG" in scenario_line
        assert f"resume session {played.name}" in str(options.get_option_at_index(1).prompt)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.session is not None and app.session.journal.path == played
    app.session.close()


# --- 3. Textual's own labels in the console's language ------------------------------------------


async def test_command_palette_speaks_polish(session: Session) -> None:
    app = console(session, "pl")
    async with app.run_test(size=(120, 36)) as pilot:
        palette_key = app._bindings.key_to_bindings["ctrl+p"][0]
        assert palette_key.description == "polecenia"
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, Palette)
        assert app.screen.query_one(Input).placeholder == "Szukaj polecenia…"
        await pilot.press(*"qqqzzz")
        await pilot.pause(0.8)
        commands = app.screen.query_one(CommandList)
        prompt = commands.get_option_at_index(0).prompt
        assert isinstance(prompt, Align) and "Nic nie pasuje" in str(prompt.renderable)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("l")  # English: the key says so too
        await pilot.pause()
        assert app._bindings.key_to_bindings["ctrl+p"][0].description == "commands"
