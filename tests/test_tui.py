"""The facilitator console (``cybrelia.tui``), driven with Textual's Pilot.

Every test runs the console on a small scenario written into ``tmp_path`` with its clock
timer off (``clock=False``): sim time moves only through the keys or ``app.frame(seconds)``,
so each test is deterministic.  Every facilitator move goes through the keys or the command
palette and is checked on the session's state; refusals must show in the form, never crash;
a session closed and reopened from its file must be where it stopped.  The snapshot tests at
the end compare SVG screenshots in ``tests/__snapshots__/test_tui/``; after a deliberate
change of the screens, refresh them with ``pytest tests/test_tui.py --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, RichLog, Select, SelectionList, Static

from cybrelia.exercise.events import NoteEvent, RatingEvent
from cybrelia.exercise.session import Session
from cybrelia.exercise.types import ActionRequest
from cybrelia.files import library
from cybrelia.i18n import Texts, detect_lang, has
from cybrelia.tui.app import CybreliaApp, bundled_scenarios, run_play
from cybrelia.tui.context import Desk
from cybrelia.tui.forms import (
    ActionForm,
    AdhocInjectForm,
    CancelActionForm,
    ConfirmScreen,
    EditInjectForm,
    NoteForm,
    RateForm,
)
from cybrelia.tui.keys import ASSET_KEYS, HELP_KEYS, MAIN_KEYS, PRESENTATION_KEYS, TEAM_KEYS
from cybrelia.tui.labels import (
    condition_text,
    duration_text,
    parse_clock,
    parse_effects,
    parse_params,
)
from cybrelia.tui.screens import (
    AssetScreen,
    HelpScreen,
    MainScreen,
    PickerScreen,
    PresentationScreen,
    TeamScreen,
)
from tests.helpers import write_files

SnapCompare = Callable[..., bool]

MODEL = """\
districts:
  - {id: centrum, name: Centrum, population: 1000, vulnerable: 2}
  - {id: wies, name: Wieś Nowa, population: 400}
resources:
  - {id: crew-power, kind: power_crew, count: 1}
  - {id: gen-mobile, kind: generator, count: 1, fuel_hours: 6}
assets:
  - {id: gpz, name: GPZ Centrum, type: substation, provides: [power],
     serves: {centrum: 1.0, wies: 1.0}, repair_hours: 3, critical: true}
  - id: suw
    name: SUW Centrum
    type: water_treatment
    provides: [water]
    needs: {power: {from: [gpz], buffer: {kind: generator, hours: 4h}}}
    serves: {centrum: 1.0}
    critical: true
  - id: bts
    name: Maszt Centrum
    type: bts
    provides: [telecom]
    needs: {power: {from: [gpz], buffer: {kind: battery, hours: 2h}}}
    serves: {centrum: 1.0, wies: 1.0}
  - {id: kotlownia, name: Kotłownia miejska, type: boiler_house, provides: [heat],
     needs: {power: {from: [gpz]}}, serves: {centrum: 1.0}}
  - {id: most, name: Most na Rzece, type: bridge, provides: [transport]}
  - id: hydrofornia
    name: Hydrofornia Wieś
    type: booster_pump
    provides: [water]
    needs: {power: {from: [gpz]}, transport: {from: [most]}}
    serves: {wies: 1.0}
"""

SCENARIO = """\
id: test-tui
title: Próbna awaria
start: 2027-01-14T06:00:00+01:00
duration: 24h
seed: 3
teams:
  - {id: sztab, name: {pl: Sztab kryzysowy, en: Crisis team}, role: crisis}
  - {id: woda, name: {pl: Wodociągi, en: Water utility}, role: water, sectors: [water]}
  - {id: energ, name: {pl: Energetyka, en: Power utility}, role: power, sectors: [power]}
injects:
  - id: I-01
    at: 1h
    title: {pl: Awaria GPZ Centrum, en: GPZ Centrum fails}
    message: {pl: Dyspozytor zgłasza wyłączenie GPZ., en: The dispatcher reports the GPZ tripped.}
    to: [energ, sztab]
    channel: phone
    effects: [{damage: [gpz]}]
    expect:
      - {action: repair, target: gpz, team: energ, within: 2h, pillar: 7, capability: power}
  - id: I-02
    at: 3h
    title: {pl: Komunikat wojewody, en: The voivode's bulletin}
    message: {pl: Proszę o meldunek., en: Please report.}
    to: [sztab]
    channel: email
  - id: I-03
    at: 6h
    title: {pl: Most zablokowany, en: The bridge is blocked}
    to: [woda]
    channel: field_report
    effects: [{damage: [most]}]
  - id: B-01
    when: {asset: {id: suw, state: down, for: 1h}}
    title: {pl: SUW stoi, en: The water plant has stopped}
    to: [woda]
    channel: phone
"""


@pytest.fixture
def scenario_path(tmp_path: Path) -> Path:
    _, path = write_files(tmp_path, MODEL, SCENARIO)
    return path


@pytest.fixture
def session_path(tmp_path: Path) -> Path:
    return tmp_path / "play.cybrelia"


@pytest.fixture
def session(scenario_path: Path, session_path: Path) -> Iterator[Session]:
    opened = Session.create(scenario_path, session_path)
    yield opened
    opened.close()


def new_session(tmp_path: Path, model: str = MODEL, scenario: str = SCENARIO) -> Session:
    """A new session of a model and a scenario written into ``tmp_path``."""
    _, path = write_files(tmp_path, model, scenario)
    return Session.create(path, tmp_path / "test.cybrelia")


def console(session: Session, lang: str = "en") -> CybreliaApp:
    """The console on a session, its clock timer off."""
    return CybreliaApp(session, Texts(lang), clock=False)


def screen_text(app: CybreliaApp) -> str:
    """Everything the current screen shows, as plain text (for assertions)."""
    parts: list[str] = []
    for widget in app.screen.query("*"):
        if isinstance(widget, Static):
            parts.append(str(widget.render()))
        elif isinstance(widget, DataTable):
            for row in range(widget.row_count):
                parts.append(" ".join(str(cell) for cell in widget.get_row_at(row)))
        elif isinstance(widget, RichLog):
            parts.extend(strip.text for strip in widget.lines)
    return "\n".join(parts)


async def select_inject(pilot: Pilot[Any], inject_id: str) -> None:
    """Put the injects panel's cursor on an inject."""
    table = pilot.app.screen.query_one("#inject-table", DataTable)
    table.move_cursor(row=table.get_row_index(inject_id))
    await pilot.pause()


async def type_into(pilot: Pilot[Any], selector: str, text: str, *, keys: bool = False) -> None:
    """Focus an input and put ``text`` in it, replacing what it held.

    With ``keys`` the text is typed key by key; otherwise only the last character is
    (the rest is set directly, which keeps the suite fast).
    """
    await pilot.pause()  # let the form take in what was chosen before
    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    await pilot.pause()
    assert pilot.app.focused is widget
    if keys:
        widget.value = ""
        await pilot.press(*text)
    else:
        widget.value = text[:-1]
        widget.cursor_position = len(widget.value)
        await pilot.press(text[-1] if text[-1] != " " else "space")


def status_of(session: Session, inject_id: str) -> str:
    """An inject's status."""
    return session.exercise.injects[inject_id].status


def choose(app: CybreliaApp, selector: str, value: str) -> None:
    """Choose an option of a select."""
    app.screen.query_one(selector, Select).value = value


# --- catalogues and labels --------------------------------------------------------------------


def test_every_label_the_code_names_is_in_the_catalogue() -> None:
    # Literal keys are checked for the whole package in test_i18n; these are the key
    # bindings' labels and the open vocabularies the console builds keys for.
    labels = {
        key.label
        for keys in (MAIN_KEYS, ASSET_KEYS, PRESENTATION_KEYS, TEAM_KEYS, HELP_KEYS)
        for key in keys
    }
    assert sorted(key for key in labels if not has(key)) == []
    for prefix, names in {
        "state": ("up", "backup", "down"),
        "action": ("submitted", "refused", "queued", "started", "completed", "failed"),
        "channel": ("phone", "email", "radio", "media", "rcb_alert", "sirens", "field_report"),
        "rating": ("P", "S", "M", "U"),
        "figure": ("power", "water", "heat", "telecom", "people_in_need", "critical_down"),
    }.items():
        for name in names:
            assert has(f"{prefix}.{name}", "pl")


@pytest.mark.parametrize(
    ("explicit", "environ", "lang"),
    [
        (None, {"LANG": "pl_PL.UTF-8"}, "pl"),
        (None, {"LANG": "en_GB.UTF-8"}, "en"),
        (None, {"LC_ALL": "pl_PL.UTF-8", "LANG": "en_US.UTF-8"}, "pl"),
        (None, {"LC_ALL": "C.UTF-8", "LANG": "pl_PL.UTF-8"}, "en"),
        (None, {}, "en"),
        ("pl", {"LANG": "en_US.UTF-8"}, "pl"),
        ("EN", {"LANG": "pl_PL.UTF-8"}, "en"),
    ],
)
def test_language_from_the_option_or_the_locale(
    explicit: str | None, environ: dict[str, str], lang: str
) -> None:
    assert detect_lang(explicit, environ) == lang


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="pl or en"):
        detect_lang("de", {})


def test_little_formats_of_the_forms() -> None:
    assert parse_effects("damage gpz most; repair bts\nisolate: scada") == [
        {"damage": ["gpz", "most"]},
        {"repair": ["bts"]},
        {"isolate": ["scada"]},
    ]
    assert parse_effects("  ") == []
    with pytest.raises(ValueError, match="unknown effect"):
        parse_effects("explode gpz")
    with pytest.raises(ValueError, match="at least one target"):
        parse_effects("damage")
    assert parse_params("source=powiat count=2 hours=1.5") == {
        "source": "powiat",
        "count": 2,
        "hours": 1.5,
    }
    with pytest.raises(ValueError, match="word=value"):
        parse_params("powiat")
    begin = datetime(2027, 1, 14, 6, 0, tzinfo=timezone(timedelta(hours=1)))
    assert parse_clock("D+1 14:30", begin) == 32.5
    assert parse_clock("d+0 06:00", begin) == 0.0
    assert parse_clock("8h30m", begin) == 8.5
    with pytest.raises(ValueError):
        parse_clock("tomorrow", begin)
    with pytest.raises(ValueError, match="no start"):
        parse_clock("D+1 10:00", None)
    texts = Texts("en")
    assert duration_text(3 + 20 / 60, texts) == "3 h 20 min"
    assert duration_text(2, texts) == "2 h"
    assert duration_text(0.75, texts) == "45 min"
    assert duration_text(0.001, texts) == "< 1 min"


def test_branch_conditions_read_as_sentences(session: Session) -> None:
    branch = session.exercise.injects["B-01"].spec.when
    assert branch is not None
    assert condition_text(session.exercise, branch, Texts("en")) == (
        "when SUW Centrum is down for 1 h"
    )
    assert condition_text(session.exercise, branch, Texts("pl")) == (
        "gdy SUW Centrum: nie działa przez 1 h"
    )


def test_ticks_of_any_length_replay(session: Session, session_path: Path) -> None:
    session.resume()
    for speed, seconds in [(10, 0.05), (30, 0.0517), (480, 0.033), (7, 0.09)] * 20:
        session.set_speed(speed)
        session.tick(seconds)
    session.pause()
    now, events = session.now, len(session.exercise.history)
    session.close()
    reopened = Session.open(session_path)
    try:
        assert (reopened.now, len(reopened.exercise.history)) == (now, events)
    finally:
        reopened.close()


# --- the main screen and the clock -------------------------------------------------------------


async def test_main_screen_shows_the_scenario_and_next_jumps_to_an_inject(
    session: Session,
) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        text = screen_text(app)
        assert "Próbna awaria" in text
        assert "D+0 06:00" in text and "Thu 14 Jan" in text
        assert "PAUSED" in text and "speed 10 min/s" in text
        assert "POWER" in text and "GPZ Centrum" in text and "WATER" in text
        assert "I-01" in text and "B-01" in text and "when SUW Centrum is down for 1 h" in text
        await pilot.press("n", "y")
        assert session.now == 1.0
        assert status_of(session, "I-01") == "delivered"
        await pilot.press("n", "y")
        assert session.now == 3.0
        await pilot.pause()
        text = screen_text(app)
        assert "D+0 09:00" in text
        assert "▶ I-02 The voivode's bulletin → SZTAB (e-mail)" in text


async def test_space_runs_and_pauses_the_clock_and_plus_minus_change_speed(
    session: Session,
) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("space")
        assert session.running
        await pilot.press("+", "+")  # 10 → 20 → 30 sim min per second
        assert session.speed == 30
        app.frame(2.0 / 10)  # a frame never lets more than 0.25 s pass
        app.frame(0.25)
        assert session.now == pytest.approx(0.225, abs=1e-6)
        await pilot.press("-")
        assert session.speed == 20
        await pilot.press("space")
        assert not session.running
        app.frame(0.25)
        assert session.now == pytest.approx(0.225, abs=1e-6)
        await pilot.pause()
        assert "PAUSED" in screen_text(app)
        assert "D+0 06:13" in screen_text(app)


async def test_the_clock_delivers_injects_and_the_panels_follow(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("space")
        for _ in range(15):
            app.frame(0.25)  # 15 x 0.25 s x 10 sim min/s = 37.5 sim minutes
        session.set_speed(480)
        for _ in range(2):
            app.frame(0.25)  # + 4 h
        await pilot.press("space")
        await pilot.pause()
        assert session.exercise.injects["I-01"].status == "delivered"
        text = screen_text(app)
        assert "▶ I-01 GPZ Centrum fails → ENERG, SZTAB (phone)" in text
        assert "GPZ Centrum: down (damaged)" in text
        # SUW Centrum runs on its generator, counting down.
        assert "generator, 23 min left" in text  # a countdown rounds up
        infra = app.screen.query_one("#assets", DataTable)
        assert "generator" in str(infra.get_cell("suw", "detail"))


# --- injects ---------------------------------------------------------------------------------


async def test_deliver_now_asks_first(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await select_inject(pilot, "I-02")
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n", "y")
        assert status_of(session, "I-02") == "pending"
        await select_inject(pilot, "I-02")
        await pilot.press("d", "y")
        assert status_of(session, "I-02") == "delivered"
        assert session.exercise.injects["I-02"].delivered_at == 0.0
        await pilot.pause()
        assert "▶ I-02" in screen_text(app)
        await select_inject(pilot, "I-02")
        await pilot.press("d")  # delivered already: a notification, no dialog
        assert isinstance(app.screen, MainScreen)


async def test_skip_asks_first(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await select_inject(pilot, "I-03")
        await pilot.press("s")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        assert session.exercise.injects["I-03"].status == "skipped"
        await pilot.pause()
        assert "✖ I-03 skipped: The bridge is blocked" in screen_text(app)


async def test_edit_an_inject_before_delivery(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await select_inject(pilot, "I-02")
        await pilot.press("e")
        assert isinstance(app.screen, EditInjectForm)
        assert app.screen.query_one("#at", Input).value == "D+0 09:00"
        await type_into(pilot, "#title-en", "The voivode calls")
        await type_into(pilot, "#at", "D+0 08:30")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        spec = session.exercise.injects["I-02"].spec
        assert spec.title is not None
        assert (spec.title.en, spec.title.pl, spec.at) == (
            "The voivode calls",
            "Komunikat wojewody",
            2.5,
        )
        assert "D+0 08:30" in str(
            app.screen.query_one("#inject-table", DataTable).get_cell("I-02", "time")
        )


async def test_an_edit_that_does_not_parse_stays_in_the_form(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n", "y")  # now 1 h
        await select_inject(pilot, "I-02")
        await pilot.press("e")
        await type_into(pilot, "#at", "soon")
        await pilot.press("enter")
        assert isinstance(app.screen, EditInjectForm)
        assert "Cannot save" in screen_text(app)
        await type_into(pilot, "#at", "D+0 06:30")  # already past: the session refuses
        await pilot.press("enter")
        assert isinstance(app.screen, EditInjectForm)
        # said by the form, in words, before the session would refuse it
        assert "D+0 06:30 has passed: the clock is at D+0 07:00" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        assert session.exercise.injects["I-02"].spec.at == 3.0


async def test_write_an_adhoc_inject_with_effects(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("i")
        assert isinstance(app.screen, AdhocInjectForm)
        await type_into(pilot, "#title-pl", "Ciężarówka na moście")
        await type_into(pilot, "#title-en", "A lorry on the bridge")
        app.screen.query_one("#teams", SelectionList).select("woda")
        choose(app, "#channel", "radio")
        await type_into(pilot, "#effects", "damage most")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        state = session.exercise.injects["ADHOC-01"]
        assert state.status == "delivered" and state.adhoc
        assert state.spec.to == ["woda"] and state.spec.channel == "radio"
        assert session.exercise.engine.status("most").state == "down"
        assert "▶ ADHOC-01 A lorry on the bridge → WODA (radio)" in screen_text(app)


async def test_an_adhoc_inject_the_session_refuses_shows_why(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("i")
        await pilot.press("ctrl+s")
        assert "give a title" in screen_text(app)
        await type_into(pilot, "#title-en", "Bad")
        await type_into(pilot, "#effects", "damage nowhere")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AdhocInjectForm)
        assert "Refused:" in screen_text(app) and "nowhere" in screen_text(app)
        assert not any(state.adhoc for state in session.exercise.injects.values())


# --- teams -----------------------------------------------------------------------------------


async def test_record_a_team_action_and_see_a_refusal_in_the_form(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        infra = app.screen.query_one("#assets", DataTable)
        infra.move_cursor(row=infra.get_row_index("gpz"))
        await pilot.press("a")
        assert isinstance(app.screen, ActionForm)
        # The selected asset by its name (the form takes names as it takes ids).
        assert app.screen.query_one("#target", Input).value == "GPZ Centrum"
        choose(app, "#team", "energ")
        choose(app, "#action", "repair")
        await pilot.pause()
        assert "GPZ Centrum: up" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ActionForm)
        assert "Refused: GPZ Centrum is not damaged" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("n", "y")  # I-01 damages the GPZ
        await pilot.press("a")
        choose(app, "#team", "energ")
        choose(app, "#action", "repair")
        await type_into(pilot, "#target", "gpz")
        await type_into(pilot, "#note", "priority one")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        accepted = [a for a in session.exercise.actions.values() if a.status != "refused"]
        assert [(a.request.action, a.request.target, a.request.note) for a in accepted] == [
            ("repair", "gpz", "priority one")
        ]
        # Points are for effect: nothing is earned while the repair is under way.
        teams = app.screen.query_one("#team-table", DataTable)
        assert str(teams.get_cell("energ", "points")) == "0/10"
        assert "repair → GPZ Centrum: under way" in str(teams.get_cell("energ", "latest"))


async def test_action_parameters_and_a_bad_parameter(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("a")
        choose(app, "#team", "sztab")
        choose(app, "#action", "request_support")
        await type_into(pilot, "#target", "generator")
        await type_into(pilot, "#params", "source=mars")
        await pilot.press("enter")
        assert "Refused: support comes from powiat, voivode or wot" in screen_text(app)
        await type_into(pilot, "#params", "source")
        await pilot.press("enter")
        assert "Cannot save: write parameters as word=value" in screen_text(app)
        await type_into(pilot, "#params", "source=voivode count=2")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        (action,) = [a for a in session.exercise.actions.values() if a.status != "refused"]
        assert action.request.params == {"source": "voivode", "count": 2}


async def test_cancel_an_action_asks_first(session: Session) -> None:
    session.advance_to(1.0)
    action = session.submit(ActionRequest("energ", "repair", "gpz"))
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("x")
        assert isinstance(app.screen, CancelActionForm)
        options = app.screen.query_one(OptionList)
        assert options.option_count == 1
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert action.status == "cancelled"
        assert "cancelled" in screen_text(app)
        await pilot.press("x")  # nothing left to cancel: a notification only
        assert isinstance(app.screen, MainScreen)


async def test_rate_a_response(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n", "y")
        await select_inject(pilot, "I-01")
        await pilot.press("r")
        assert isinstance(app.screen, RateForm)
        assert app.screen.query_one("#inject", Select).value == "I-01"
        assert app.screen.query_one("#team", Select).value == "energ"
        choose(app, "#rating", "M")
        await type_into(pilot, "#note", "crew sent late")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        rating = session.exercise.ratings[("I-01", "energ")]
        assert (rating.rating, rating.note) == ("M", "crew sent late")
        assert any(isinstance(e, RatingEvent) for e in session.exercise.history)
        # Worded as the scores are (who, a colon, what), the observation after a dash.
        assert "⚖ I-01 ENERG: rated M — crew sent late" in screen_text(app)


async def test_add_a_facilitator_note(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("m")
        assert isinstance(app.screen, NoteForm)
        await pilot.press("enter")
        assert "write the note" in screen_text(app)
        await type_into(pilot, "#text", "GZZK met", keys=True)
        choose(app, "#team", "sztab")
        await pilot.press("enter")
        await pilot.pause()
        notes = [e for e in session.exercise.history if isinstance(e, NoteEvent)]
        assert [(n.text, n.team) for n in notes] == [("GZZK met", "sztab")]
        assert "✎ SZTAB: GZZK met" in screen_text(app)


# --- other screens ---------------------------------------------------------------------------


async def test_asset_detail_shows_upstream_downstream_and_history(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n", "y")  # I-01: the GPZ is damaged
        infra = app.screen.query_one("#assets", DataTable)
        infra.focus()
        infra.move_cursor(row=infra.get_row_index("gpz"))
        await pilot.press("enter")
        assert isinstance(app.screen, AssetScreen)
        text = screen_text(app)
        assert "GPZ Centrum" in text and "CRITICAL" in text
        assert "serves: Centrum 100%, Wieś Nowa 100%" in text
        downstream = app.screen.query_one("#downstream", DataTable)
        rows = [
            " ".join(str(c) for c in downstream.get_row_at(i)) for i in range(downstream.row_count)
        ]
        assert any("SUW Centrum" in row and "generator, 4 h left" in row for row in rows)
        assert any("Kotłownia miejska" in row and "no power" in row for row in rows)
        assert "D+0 07:00 ✖ down (damaged)" in text
        # Follow the cascade to SUW Centrum, whose upstream is the GPZ.
        downstream.focus()
        row = next(i for i, r in enumerate(rows) if "SUW Centrum" in r)
        downstream.move_cursor(row=row)
        await pilot.press("enter")
        assert isinstance(app.screen, AssetScreen) and app.screen.asset_id == "suw"
        upstream = app.screen.query_one("#upstream", DataTable)
        assert "GPZ Centrum" in " ".join(str(c) for c in upstream.get_row_at(0))
        assert "power: generator, 4 h left" in screen_text(app)
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, MainScreen)


async def test_presentation_shows_the_last_delivered_inject(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("p")
        assert isinstance(app.screen, PresentationScreen)
        assert "No inject has been delivered yet." in screen_text(app)
        await pilot.press("escape", "n", "y", "n", "y", "p")
        text = screen_text(app)
        assert "THE VOIVODE'S BULLETIN" in text and "Please report." in text
        assert "E-MAIL" in text and "inject 2 of 2" in text
        await pilot.press("left")
        assert "GPZ CENTRUM FAILS" in screen_text(app)
        await pilot.press("right", "right")
        assert "inject 2 of 2" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_team_view_shows_what_a_team_received_and_did(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n", "y")
        session.submit(ActionRequest("energ", "repair", "gpz"))
        teams = app.screen.query_one("#team-table", DataTable)
        teams.move_cursor(row=teams.get_row_index("energ"))
        await pilot.press("t")
        assert isinstance(app.screen, TeamScreen) and app.screen.team == "energ"
        text = screen_text(app)
        assert "Power utility" in text and "points 0 of 10" in text  # the repair is under way
        assert "▶ I-01 GPZ Centrum fails (phone)" in text
        assert "The dispatcher reports the GPZ tripped." in text
        assert "repair" in text and "under way" in text
        await pilot.press("right")
        assert app.screen.team == "sztab"
        assert "Crisis team" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_help_lists_every_binding(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        texts = Texts("en")
        for key in MAIN_KEYS + ASSET_KEYS + PRESENTATION_KEYS + TEAM_KEYS:
            assert texts(key.label) in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_filter_and_search_the_infrastructure(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.screen.query_one("#assets", DataTable)
        everything = table.row_count
        await pilot.press("f")
        # Everything is up: the list says it found nothing.
        assert [key.value for key in table.rows] == ["§none"]
        await pilot.press("n", "y")  # the filter follows the state changes, in sector order
        order = [table.coordinate_to_cell_key(Coordinate(i, 0)).row_key.value for i in range(3)]
        assert order == ["§power", "gpz", "§water"]
        shown = {key.value for key in table.rows}
        assert shown == {
            "§power",
            "gpz",
            "§water",
            "suw",
            "hydrofornia",
            "§heat",
            "kotlownia",
            "§telecom",
            "bts",
        }
        await pilot.press("f")
        assert table.row_count == everything
        await pilot.press("slash")
        await pilot.press(*"kot")
        assert {key.value for key in table.rows} == {"§heat", "kotlownia"}
        await pilot.press("enter")  # back to the table
        assert app.focused is table


async def test_switch_language(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n", "y")
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        text = screen_text(app)
        assert "WSTRZYMANE" in text and "czw 14.01" in text
        assert "▶ I-01 Awaria GPZ Centrum → ENERG, SZTAB (telefon)" in text
        assert "GPZ Centrum: nie działa (uszkodzony)" in text
        assert "ENERGETYKA" in text
        await pilot.press("l")
        await pilot.pause()
        assert "PAUSED" in screen_text(app)


async def test_command_palette_has_the_same_moves(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        commands = [c.title for c in app.get_system_commands(app.screen)]
        texts = Texts("en")
        for key in MAIN_KEYS:
            if key.palette:
                assert texts(key.label) in commands
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Jump")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # the jump delivers: it asks first
        await pilot.press("y")
        assert session.now == 1.0


async def test_quit_asks_and_ends_the_app(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("q", "y")
        await pilot.pause()
    assert app.return_value == 0


async def test_small_terminal_shows_one_panel_at_a_time(session: Session) -> None:
    app = console(session, "pl")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.has_class("-narrow")
        assert screen.query_one("#infra").display and not screen.query_one("#side").display
        await pilot.press("2")
        assert screen.query_one("#injects").display and not screen.query_one("#infra").display
        await pilot.press("5", "n", "y")
        assert screen.query_one("#feed").display
        assert "▶ I-01 Awaria GPZ Centrum" in screen_text(app)


# --- resuming and starting -----------------------------------------------------------------


async def test_resume_after_closing_is_exactly_where_it_stopped(
    scenario_path: Path, session_path: Path
) -> None:
    session = Session.create(scenario_path, session_path)
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n", "y", "space")
        for _ in range(7):
            app.frame(0.173)  # sim minutes that fall between the grid's points
        await pilot.press("a")
        choose(app, "#team", "energ")
        choose(app, "#action", "repair")
        await type_into(pilot, "#target", "gpz")
        await pilot.press("enter")
        await pilot.press("m")
        await type_into(pilot, "#text", "GZZK convened")
        await pilot.press("enter")
        app.frame(0.2)
        await pilot.press("space")  # pause
        await pilot.press("q", "y")
    before = (
        session.now,
        session.speed,
        len(session.exercise.history),
        {a: session.exercise.engine.status(a) for a in session.exercise.engine.asset_ids},
        {i: s.status for i, s in session.exercise.injects.items()},
        {a: s.status for a, s in session.exercise.actions.items()},
        session.exercise.metrics(),
    )
    session.close()

    reopened = Session.open(session_path)
    try:
        after = (
            reopened.now,
            reopened.speed,
            len(reopened.exercise.history),
            {a: reopened.exercise.engine.status(a) for a in reopened.exercise.engine.asset_ids},
            {i: s.status for i, s in reopened.exercise.injects.items()},
            {a: s.status for a, s in reopened.exercise.actions.items()},
            reopened.exercise.metrics(),
        )
        assert after == before
        assert not reopened.running
        again = console(reopened)
        async with again.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            text = screen_text(again)
            assert "GZZK convened" in text and "repair → GPZ Centrum" in text
            assert f"{Desk.of(reopened, Texts('en')).clock()}" in text
    finally:
        reopened.close()


def test_run_play_without_a_terminal_says_so_and_leaves_nothing_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # pytest's captured stdin and stdout are not terminals, as under cron or a pipe
    session = tmp_path / "s.cybrelia"
    assert run_play(library.resolve("mokry-snieg", "scenario"), session, "en") == 2
    err = capsys.readouterr().err
    assert "needs a terminal" in err and "cybrelia run" in err
    assert not session.exists()
    assert run_play(None, None, "pl") == 2
    assert "potrzebuje terminala" in capsys.readouterr().err


def test_run_play_reports_errors_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cybrelia.tui.app.has_terminal", lambda: True)
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: cybrelia.scenario/1\ninfrastructure: nowhere.yaml\n", "utf-8")
    assert run_play(bad, tmp_path / "s.cybrelia", "en") == 1
    err = capsys.readouterr().err
    assert "The scenario is not valid" in err and "nowhere.yaml" in err
    assert "Traceback" not in err

    not_a_session = tmp_path / "notes.cybrelia"
    not_a_session.write_text("hello", "utf-8")
    assert run_play(None, not_a_session, "pl") == 1
    err = capsys.readouterr().err
    assert "Nie można otworzyć sesji" in err and "Traceback" not in err
    assert not_a_session.read_text("utf-8") == "hello"

    assert run_play(bad, None, "de") == 2
    assert "pl or en" in capsys.readouterr().err


def test_bundled_scenarios_are_found_beside_the_package() -> None:
    found = bundled_scenarios()
    names = [path.name for path, _ in found]
    assert "mokry-snieg.yaml" in names
    assert not any(name.endswith(".responses.yaml") for name in names)
    assert dict((path.name, title) for path, title in found)["mokry-snieg.yaml"] == "Mokry śnieg"


async def test_picker_starts_a_new_session(scenario_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "picked.cybrelia"
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: cybrelia.scenario/1\ninfrastructure: nowhere.yaml\n", "utf-8")
    app = CybreliaApp(
        None,
        Texts("en"),
        scenarios=[(bad, "Broken"), (scenario_path, "Próbna awaria")],
        session_path=target,
        clock=False,
    )
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("enter")  # the broken one first
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert "The scenario is not valid" in screen_text(app)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.session is not None and target.exists()
        await pilot.press("n", "y")
        assert app.session.now == 1.0
    app.session.close()


# --- snapshots -------------------------------------------------------------------------------


def _snap_session(tmp_path: Path) -> Session:
    _, path = write_files(tmp_path, MODEL, SCENARIO)
    return Session.create(path, tmp_path / "snap.cybrelia")


def test_snapshot_main_screen(snap_compare: SnapCompare, tmp_path: Path) -> None:
    session = _snap_session(tmp_path)
    try:
        assert snap_compare(console(session), terminal_size=(120, 36), press=["n", "y", "n", "y"])
    finally:
        session.close()


def test_snapshot_main_screen_small_polish(snap_compare: SnapCompare, tmp_path: Path) -> None:
    session = _snap_session(tmp_path)
    try:
        assert snap_compare(console(session, "pl"), terminal_size=(80, 24), press=["n", "y", "2"])
    finally:
        session.close()


def test_snapshot_asset_detail(snap_compare: SnapCompare, tmp_path: Path) -> None:
    session = _snap_session(tmp_path)

    async def open_gpz(pilot: Pilot[Any]) -> None:
        await pilot.press("n", "y")
        table = pilot.app.screen.query_one("#assets", DataTable)
        table.move_cursor(row=table.get_row_index("gpz"))
        await pilot.press("enter")

    try:
        assert snap_compare(console(session), terminal_size=(120, 36), run_before=open_gpz)
    finally:
        session.close()


def test_snapshot_presentation(snap_compare: SnapCompare, tmp_path: Path) -> None:
    session = _snap_session(tmp_path)
    try:
        assert snap_compare(console(session), terminal_size=(120, 36), press=["n", "y", "p"])
    finally:
        session.close()


def test_snapshot_help(snap_compare: SnapCompare, tmp_path: Path) -> None:
    session = _snap_session(tmp_path)
    try:
        assert snap_compare(console(session), terminal_size=(120, 36), press=["question_mark"])
    finally:
        session.close()
