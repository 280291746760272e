"""The console as the third newcomer trial met it (Mokry śnieg in tmux, 120x36 in Polish and
80x24 in English; issue 15, the remaining defects).

Each test drives the real console (Textual's Pilot, the clock timer off) to where the
trial stumbled and checks what the facilitator reads there, in both languages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import DataTable, Input, Select, Static

from cybrelia.exercise.actions import param_kinds
from cybrelia.exercise.events import ActionEvent
from cybrelia.exercise.session import Session
from cybrelia.exercise.types import ActionRequest
from cybrelia.files.actions import ACTIONS, SECTOR_CREW
from cybrelia.files.model import SECTOR_OF_TYPE
from cybrelia.files.validation import load_model
from cybrelia.i18n import Texts, channel_label, resource_label, vocabulary
from cybrelia.tui.app import CybreliaApp
from cybrelia.tui.forms import ActionForm, ConfirmScreen, TargetSuggester
from cybrelia.tui.keys import TEAM_KEYS, localized
from cybrelia.tui.labels import countdown_text
from cybrelia.tui.screens import MainScreen, asset_screen
from cybrelia.tui.screens.asset import AssetScreen
from cybrelia.tui.screens.help import HelpScreen
from cybrelia.tui.screens.team import TeamScreen
from cybrelia.tui.widgets import FeedPanel, InjectsPanel
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

ROOT = Path(__file__).resolve().parents[1]
SIZES = [pytest.param((120, 36), id="120x36"), pytest.param((80, 24), id="80x24")]
#: A duration written as code (``1d4h55m``, ``17h``), as the records write it.
CODE_DURATION = re.compile(r"\b\d+(?:d|h|m)(?:\d+[hm])*\b")


def terminal_lines(app: CybreliaApp) -> list[str]:
    """The terminal as the facilitator sees it, line by line."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


def feed_text(app: CybreliaApp) -> str:
    """Every line of the event feed, unwrapped."""
    return "\n".join(line.plain for line in app.screen.query_one(FeedPanel).lines)


# --- 1. inject titles cut with an ellipsis ---------------------------------------------------


@pytest.mark.parametrize("lang", ["pl", "en"])
@pytest.mark.parametrize("size", SIZES)
async def test_inject_titles_fit_the_panel_and_end_with_an_ellipsis(
    mokry: Session, size: tuple[int, int], lang: str
) -> None:
    app = console(mokry, lang)
    async with app.run_test(size=size) as pilot:
        await pilot.press("2")
        panel = app.screen.query_one(InjectsPanel)
        table = panel.table
        columns = sum(column.get_render_width(table) for column in table.columns.values())
        assert columns <= table.scrollable_content_region.width  # nothing past the edge
        await select_inject(pilot, "B-01")  # in sight
        title = table.get_cell("B-01", "title").plain  # its title and its condition
        row = next(line for line in terminal_lines(app) if "B-01" in line)
        shown = row.split("B-01", 1)[1].strip(" │▁▂▃▄▅▆▇█")
        assert shown.endswith("…") and title.startswith(shown[:-1].strip())
        await pilot.resize_terminal(100, 30)  # fitted again on a resize
        await pilot.pause()
        columns = sum(column.get_render_width(table) for column in table.columns.values())
        assert columns <= table.scrollable_content_region.width


@pytest.mark.parametrize("size", SIZES)
async def test_the_teams_latest_action_fits_the_panel_and_ends_with_an_ellipsis(
    mokry: Session, size: tuple[int, int]
) -> None:
    """The same cut as the titles' in the teams panel: its last column was 60 wide."""
    app = console(mokry, "pl")
    async with app.run_test(size=size) as pilot:
        await pilot.press("n", "y", "n", "y", "4")
        mokry.submit(ActionRequest("osd", "deploy_generator", "suw-lesna-gora"))
        app.frame(0)
        await pilot.pause()
        table = app.screen.query_one("#team-table", DataTable)
        columns = sum(column.get_render_width(table) for column in table.columns.values())
        assert columns <= table.scrollable_content_region.width
        row = next(line for line in terminal_lines(app) if "│ OSD " in line)
        assert row.split("│ OSD ", 1)[1].rstrip(" │▁▂▃▄▅▆▇█").endswith("…")


# --- 2. the team view's status column --------------------------------------------------------


@pytest.mark.parametrize("lang", ["pl", "en"])
@pytest.mark.parametrize("size", SIZES)
async def test_the_team_views_status_column_is_on_screen(
    mokry: Session, size: tuple[int, int], lang: str
) -> None:
    texts = Texts(lang)
    app = console(mokry, lang)
    async with app.run_test(size=size) as pilot:
        await pilot.press("n", "y", "n", "y")  # M-01, then I-01: Leśna Góra without power
        mokry.submit(ActionRequest("osd", "repair", "sn-zalesie-lesna"))
        app.frame(0)
        await pilot.pause()
        assert app.desk is not None
        app.push_screen(localized(TeamScreen, TEAM_KEYS, Texts(lang))(app.desk, "osd"))
        await pilot.pause()
        await pilot.pause()
        table = app.screen.query_one("#team-actions", DataTable)
        columns = sum(column.get_render_width(table) for column in table.columns.values())
        assert columns <= table.scrollable_content_region.width
        status = texts("action.started")
        assert any(status in line for line in terminal_lines(app))
        assert texts("team.col.status") in "\n".join(terminal_lines(app))


# --- 3. readable details, not ids and code ---------------------------------------------------


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_action_details_name_resources_and_write_durations_in_words(
    mokry: Session, lang: str
) -> None:
    """``gen-mobile-large w drodze, 1h`` and ``paliwo na 1d4h55m`` read as the generator's
    name and ``1 h``; the records keep their ids and ``1d4h55m`` (exports unchanged)."""
    app = console(mokry, lang)
    generator = resource_label("generator", lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n", "y", "n", "y")
        mokry.submit(ActionRequest("osd", "deploy_generator", "suw-lesna-gora"))
        mokry.submit(ActionRequest("osd", "repair", "sn-zalesie-lesna"))
        mokry.advance_to(mokry.now + 3)  # the generator is there and running
        app.frame(0)
        await pilot.pause()
        lines = [line for line in feed_text(app).splitlines() if "⚙" in line]
        assert len(lines) >= 3
        for line in lines:
            assert "gen-mobile" not in line and "crew-power" not in line
            assert not CODE_DURATION.search(line.split(" ", 2)[2]), line  # past the clock
        assert any(f"{generator} 100 kVA" in line for line in lines)
        assert any(resource_label("power_crew", lang) in line for line in lines)
        recorded = [e for e in mokry.exercise.history if isinstance(e, ActionEvent)]
        assert any("gen-mobile-large" in e.detail for e in recorded)  # the records' words
        assert any(CODE_DURATION.search(e.detail) for e in recorded)


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_a_refusal_names_the_kind_of_resource_in_words(mokry: Session, lang: str) -> None:
    texts = Texts(lang)
    app = console(mokry, lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n", "y", "n", "y", "a")
        assert isinstance(app.screen, ActionForm)
        choose(app, "#team", "osd")
        choose(app, "#action", "repair")
        await type_into(pilot, "#target", "sn-zalesie-lesna")
        await type_into(pilot, "#params", "crew=foo")
        await pilot.press("ctrl+s")
        error = str(app.screen.query_one("#form-error", Static).render())
        assert "'foo'" in error and resource_label("power_crew", lang) in error
        assert "power_crew" not in error
        assert texts("form.refused", reason="").split(":")[0] in error


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_the_channel_parameter_lists_the_channels_in_words(
    session: Session, lang: str
) -> None:
    app = console(session, lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("a")
        choose(app, "#action", "public_alert")
        await pilot.pause()
        hint = " ".join(str(app.screen.query_one("#params-hint", Static).render()).split())
        label = channel_label("sirens", lang)  # the id after the name, said to be one
        assert (f"{label} (id: sirens)" if label != "sirens" else "sirens, ") in hint
        assert not re.search(r"\b(\w+) \(\1\)", hint), hint  # no "radio (radio)"
        assert "channel=sirens" not in hint
        choose(app, "#action", "request_support")
        await pilot.pause()
        hint = " ".join(str(app.screen.query_one("#params-hint", Static).render()).split())
        runner = channel_label("runner", lang)
        assert (f"{runner} (id: runner)" if runner != "runner" else "runner") in hint
        assert "sirens" not in hint and not re.search(r"\b(\w+) \(\1\)", hint), hint


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_the_asset_view_names_the_assets_type(mokry: Session, lang: str) -> None:
    app = console(mokry, lang)
    async with app.run_test(size=(120, 36)) as pilot:
        assert app.desk is not None
        app.push_screen(asset_screen(app.desk, "suw-lesna-gora"))
        await pilot.pause()
        title = str(app.screen.query_one("#asset-title", Static).render())
        assert vocabulary.asset_type_label("water_treatment", lang) in title
        assert "water_treatment" not in title


def test_every_type_of_the_bundled_models_has_a_name_in_both_languages() -> None:
    types = set(SECTOR_OF_TYPE)
    for path in sorted((ROOT / "infrastructure_models").glob("*.yaml")):
        types |= {asset.type for asset in load_model(path).assets}
    for lang in ("pl", "en"):
        unnamed = sorted(t for t in types if not Texts(lang).has(f"asset_type.{t}"))
        assert not unnamed, (lang, unnamed)
    assert vocabulary.asset_type_label("wind_farm", "en") == "wind farm"  # free-form


# --- 4. an exact name wins over a longer one -------------------------------------------------


async def test_a_name_typed_whole_is_not_completed_to_a_longer_one() -> None:
    names = ["Linia SN Zalesie - Kamionka", "Linia SN Zalesie", "Linia SN Zalesie - Brzózki"]
    suggester = TargetSuggester(names)
    assert await suggester.get_suggestion("linia sn zalesie") == "Linia SN Zalesie"
    # Several names begin alike: completed only as far as they agree.
    assert await suggester.get_suggestion("linia sn") == "Linia SN Zalesie"
    assert await suggester.get_suggestion("linia sn zalesie -") == "Linia SN Zalesie - "
    assert await suggester.get_suggestion("linia sn zalesie - k") == names[0]
    assert await suggester.get_suggestion("most") is None


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_the_action_form_keeps_a_target_typed_by_its_full_name(
    tmp_path: Path, lang: str
) -> None:
    """Two assets, one's name the beginning of the other's: typing the shorter name whole
    records that asset, not the longer one's."""
    longer = "  - {id: most-2, name: Most na Rzece Starej, type: bridge, provides: [transport]}\n"
    anchor = "  - {id: most, name: Most na Rzece, type: bridge, provides: [transport]}\n"
    assert anchor in MODEL
    opened = new_session(tmp_path, MODEL.replace(anchor, longer + anchor), SCENARIO)
    try:
        app = console(opened, lang)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("a")
            choose(app, "#team", "energ")
            choose(app, "#action", "isolate")
            await type_into(pilot, "#target", "Most na Rzece", keys=True)
            await pilot.press("end")  # would accept a completion, if one were offered
            await pilot.pause()
            assert app.screen.query_one("#target").value == "Most na Rzece"  # type: ignore[attr-defined]
            await pilot.press("ctrl+s")
            assert isinstance(app.screen, MainScreen)
            action = list(opened.exercise.actions.values())[-1]
            assert action.request.target == "most"
    finally:
        opened.close()


# --- 5. every expectation of an inject can be read --------------------------------------------


def _line_of(box_text: Text, needle: str, width: int, app: CybreliaApp) -> int:
    lines = box_text.wrap(app.console, width)
    return next(i for i, line in enumerate(lines) if needle in line.plain)


@pytest.mark.parametrize("lang", ["pl", "en"])
@pytest.mark.parametrize("size", SIZES)
async def test_every_expectation_of_an_inject_is_in_sight_or_scrolled_into_it(
    mokry: Session, size: tuple[int, int], lang: str
) -> None:
    """M-01's second expectation was below the fold while the team row said 0/15: Tab
    from the list, then ↓, brings each into sight, and the panel's foot says so."""
    texts = Texts(lang)
    app = console(mokry, lang)
    async with app.run_test(size=size) as pilot:
        await pilot.press("n", "y")  # M-01: two expectations, 5 and 10 points
        if size[0] < 110:
            await pilot.press("2")
        panel = app.screen.query_one(InjectsPanel)
        assert panel.selected is not None and panel.selected.spec.id == "M-01"
        await pilot.pause()
        box = app.screen.query_one("#inject-detail-box")
        detail = app.screen.query_one("#inject-detail", Static)
        text = Text(str(detail.render()))
        expectations = [e.id or "" for e in mokry.exercise.injects["M-01"].spec.expect]
        assert len(expectations) == 2
        height = box.scrollable_content_region.height
        lines = [_line_of(text, e, detail.content_size.width, app) for e in expectations]
        if lines[-1] >= height:  # not all in sight: the foot says how to read on
            assert panel.border_subtitle == texts("injects.more")
        panel.table.focus()
        await pilot.press("tab")
        assert app.focused is box
        for line in lines:
            for _ in range(40):
                if box.scroll_y <= line < box.scroll_y + height:
                    break
                await pilot.press("down")
            assert box.scroll_y <= line < box.scroll_y + height
        await pilot.press("end")
        await pilot.pause()
        assert panel.border_subtitle == ""  # all read


# --- 6. wording --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_a_cancelled_action_says_it_once_and_the_dialog_says_what_is_lost(
    session: Session, lang: str
) -> None:
    texts = Texts(lang)
    app = console(session, lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n", "y")  # I-01: the GPZ fails
        session.submit(ActionRequest("energ", "repair", "gpz"))
        app.frame(0)
        await pilot.press("x")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        shown = screen_text(app)
        assert texts("confirm.cancel_hint") in shown
        assert texts("confirm.irreversible") not in shown
        await pilot.press("y")
        app.frame(0)
        await pilot.pause()
        feed = feed_text(app)
        assert texts("detail.cancelled") in feed
        assert f"{texts('action.cancelled')} ({texts('detail.cancelled')})" not in feed


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_a_countdown_never_says_less_than_is_left(session: Session, lang: str) -> None:
    """40 seconds before the next inject the status says one minute, not under one."""
    texts = Texts(lang)
    app = console(session, lang)
    async with app.run_test(size=(120, 36)) as pilot:
        due = session.exercise.next_due()
        assert due is not None
        session.advance_to(due - 40 / 3600)
        app.frame(0)
        await pilot.pause()
        status = str(app.screen.query_one("#sb-next", Static).render())
        assert countdown_text(40 / 3600, texts) == texts("duration.m", m=1)
        assert texts("duration.m", m=1) in status
        assert texts("duration.less_than_minute") not in status


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_the_help_explains_the_marks_and_the_counters(session: Session, lang: str) -> None:
    texts = Texts(lang)
    app = console(session, lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(str(app.screen.query_one("#help-text", Static).render()).split())
        for key, mark in (
            ("help.delivered_mark", "▶"),
            ("help.actions_mark", "⚙"),
            ("help.counters", "2/5"),
        ):
            assert f"{mark} {' '.join(texts(key).split())}" in shown
        await pilot.press("escape", "t")
        title = str(app.screen.query_one("#team-title", Static).render())
        assert texts("team.nav", number=1, count=len(session.exercise.teams)) in title


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_a_rating_is_logged_as_the_scores_are(session: Session, lang: str) -> None:
    app = console(session, lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n", "y")
        session.rate("I-01", "energ", "S", "crew sent late")
        session.deliver("I-02")
        app.frame(0)
        await pilot.pause()
        feed = feed_text(app).splitlines()
        rating = next(line for line in feed if "⚖" in line)
        assert rating.split("⚖ ", 1)[1].startswith("I-01 ENERG: ")
        assert rating.endswith(" — crew sent late")


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_enter_in_the_search_goes_to_the_first_asset_found(mokry: Session, lang: str) -> None:
    app = console(mokry, lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("slash")
        await type_into(pilot, "#asset-search", "suw le", keys=True)
        await pilot.press("enter")
        await pilot.pause()
        table = app.screen.query_one("#assets", DataTable)
        assert app.focused is table
        assert app.screen.query_one("#infra").selected == "suw-lesna-gora"  # type: ignore[attr-defined]
        await pilot.press("enter")  # and Enter again opens it
        assert isinstance(app.screen, AssetScreen)
        await pilot.press("escape", "slash")
        await type_into(pilot, "#asset-search", "zzz", keys=True)
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is table  # nothing found: said, and the keys are back


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_a_fuel_warning_writes_the_time_left_in_words(session: Session, lang: str) -> None:
    """``generator fuel for 2h`` as the records write it; ``2 h`` on the screen."""
    app = console(session, lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n", "y")  # the GPZ fails: SUW Centrum on its generator (4 h)
        session.advance_to(3.0)
        app.frame(0)
        await pilot.pause()
        warnings = [
            line for line in feed_text(app).splitlines() if "SUW Centrum" in line and "✉" in line
        ]
        assert warnings
        assert any(countdown_text(2.0, Texts(lang)) in line for line in warnings)
        assert not any(CODE_DURATION.search(line.split(" ", 2)[2]) for line in warnings)


# --- 7. one table of the actions' parameters --------------------------------------------------


def test_every_parameter_and_the_kinds_it_names_have_words() -> None:
    """The parameters live in ``ACTIONS`` (the exercise reads them, the form asks for them):
    each is said in words, each kind of resource it names too, in both languages."""
    for lang in ("pl", "en"):
        texts = Texts(lang)
        for action, info in ACTIONS.items():
            for param in info.params:
                assert texts.has(f"param.{param.name}"), (lang, action, param.name)
                for kind in param.kinds:
                    assert kind == SECTOR_CREW or texts.has(f"resource.{kind}"), (action, kind)


def test_the_kinds_a_parameter_names_come_from_the_exercise(session: Session) -> None:
    exercise = session.exercise
    assert param_kinds(exercise, "repair", "crew", "gpz") == ("power_crew",)
    assert param_kinds(exercise, "repair", "crew", "suw") == ("water_crew",)
    every_crew = param_kinds(exercise, "repair", "crew", None)
    assert every_crew is not None and {"power_crew", "maintenance_crew"} <= set(every_crew)
    assert param_kinds(exercise, "deploy_generator", "resource", "suw") == ("generator",)
    assert param_kinds(exercise, "repair", "hours", "gpz") is None  # not a resource
    assert param_kinds(exercise, "isolate", "crew", "gpz") is None  # not read at all


async def test_the_action_form_asks_for_the_parameters_the_exercise_reads(
    session: Session,
) -> None:
    texts = Texts("en")
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("a")
        for action, info in ACTIONS.items():
            if action == "note":
                continue
            choose(app, "#action", action)
            await pilot.pause()
            hint = " ".join(str(app.screen.query_one("#params-hint", Static).render()).split())
            for param in info.params:
                assert " ".join(texts(f"param.{param.name}").split()) in hint, (action, param)
            if not info.params:
                assert hint == texts("form.params.none")


# --- 4. the action form after the trial (issue 15, the action form's defects) ----------------


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_an_expectation_fills_the_form_with_its_own_team(mokry: Session, lang: str) -> None:
    """I-01 expects OSD to repair the line: `a` on it names OSD, not the last team used."""
    app = console(mokry, lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n", "y", "n", "y")  # M-01, then I-01
        assert app.desk is not None
        app.desk.recall.last_team = "gzzk"  # the team of the last action
        await pilot.press("2")
        await select_inject(pilot, "I-01")
        await pilot.press("a")
        assert isinstance(app.screen, ActionForm)
        await pilot.pause()
        assert app.screen.query_one("#team", Select).value == "osd"
        assert app.screen.query_one("#action", Select).value == "repair"
        # The target by its name, as typing it would give, and taken as the line.
        name = mokry.exercise.assets["sn-zalesie-lesna"].label
        assert app.screen.query_one("#target", Input).value == name
        hint = str(app.screen.query_one("#target-hint", Static).render())
        assert hint.startswith(f"→ {name}")
        await pilot.press("ctrl+s")  # saved as the line's id
        await pilot.pause()
        assert not isinstance(app.screen, ActionForm), screen_text(app)
        (action,) = mokry.exercise.actions.values()
        assert (action.request.team, action.request.target) == ("osd", "sn-zalesie-lesna")
        app.desk.recall.last_team = "gzzk"
        await pilot.press("1")  # away from the injects: the last team again, nothing filled
        await pilot.press("a")
        assert isinstance(app.screen, ActionForm)
        await pilot.pause()
        assert app.screen.query_one("#team", Select).value == "gzzk"


@pytest.mark.parametrize(
    ("lang", "written", "channel"),
    [
        ("pl", "channel=syreny", "sirens"),
        ("pl", "channel=Alert RCB", "rcb_alert"),
        ("en", "channel=SIRENS", "sirens"),
        ("en", "channel=RCB alert tone=warning", "rcb_alert"),
        ("en", "channel=radio", "radio"),
    ],
)
async def test_a_channel_is_taken_by_its_name_in_either_language(
    mokry: Session, lang: str, written: str, channel: str
) -> None:
    """The hint lists ``syreny (id: sirens)``: typing ``syreny`` is taken as ``sirens``."""
    app = console(mokry, lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("a")
        assert isinstance(app.screen, ActionForm)
        choose(app, "#action", "public_alert")
        await type_into(pilot, "#target", "all")
        await type_into(pilot, "#params", written)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ActionForm), screen_text(app)
        (action,) = mokry.exercise.actions.values()
        assert action.request.params["channel"] == channel


@pytest.mark.parametrize(
    ("lang", "inside", "begins"), [("en", "whole", "the wh"), ("pl", "gmina", "cała")]
)
async def test_the_target_hint_promises_completion_only_where_it_completes(
    mokry: Session, lang: str, inside: str, begins: str
) -> None:
    """``whole`` is inside "the whole gmina": → cannot complete it, and the hint does not
    say it does; ``the wh`` begins the name, and → completes it."""
    texts = Texts(lang)
    app = console(mokry, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        assert isinstance(app.screen, ActionForm)
        choose(app, "#action", "public_alert")
        await type_into(pilot, "#target", inside, keys=True)
        hint = str(app.screen.query_one("#target-hint", Static).render())
        assert "(id: all)" in hint and "→" not in hint, hint
        assert hint.endswith(texts("form.action.matches_inside", matches="").rsplit("?", 1)[1])
        await type_into(pilot, "#target", begins, keys=True)
        hint = str(app.screen.query_one("#target-hint", Static).render())
        assert "(id: all)" in hint and "→" in hint, hint
        await pilot.press("right")
        await pilot.pause()
        target = app.screen.query_one("#target", Input).value  # the whole name, taken
        assert str(app.screen.query_one("#target-hint", Static).render()).startswith("→"), target
