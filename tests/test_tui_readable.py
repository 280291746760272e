"""The console readable at 120x36 and usable at 80x24 (issue 15, items 3 and 4).

Asset rows never read the same (names wrap, shared names carry the id), buffer
times in full, the countdown and the ``?``/``q`` keys always visible, the event
feed wrapped at the width it is shown at, the teams' full names and latest actions,
and the figures that explain the others.  Pilot on a model with two assets of one
name and long names that differ only at their ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import DataTable, Footer, RichLog, Static
from textual.widgets._footer import FooterKey

from cybrelia.exercise.events import MessageEvent, MetricsEvent
from cybrelia.exercise.session import Session
from cybrelia.exercise.types import ActionRequest
from cybrelia.i18n import Texts
from cybrelia.tui.context import Desk
from cybrelia.tui.labels import fit_name
from cybrelia.tui.live import Digest
from cybrelia.tui.screens.help import FIRST_STEPS
from cybrelia.tui.widgets import FeedPanel, figures_explained
from tests.test_tui import SCENARIO, console, new_session

#: Two wells of one name; overhead lines whose names differ only after 40 characters.
MODEL = """\
districts:
  - {id: centrum, name: Centrum, population: 1000, vulnerable: 40}
  - {id: wies, name: Wieś Nowa, population: 400}
resources:
  - {id: crew-power, kind: power_crew, count: 1}
assets:
  - {id: gpz, name: GPZ Centrum, type: substation, provides: [power],
     serves: {centrum: 1.0, wies: 1.0}, repair_hours: 3, critical: true}
  - id: suw
    name: SUW Centrum
    type: water_treatment
    provides: [water]
    needs: {power: {from: [gpz], buffer: {kind: generator, hours: 17h39m}}}
    serves: {centrum: 1.0}
    critical: true
  - {id: studnia-1, name: Studnia głębinowa, type: well, provides: [water],
     needs: {power: {from: [gpz]}}}
  - {id: studnia-2, name: Studnia głębinowa, type: well, provides: [water],
     needs: {power: {from: [gpz]}}}
  - {id: ln-1, name: "Linia napowietrzna SN Zalesie - Brzózki (przez Las Północny)",
     type: power_line, provides: [power], needs: {power: {from: [gpz]}}}
  - {id: ln-2, name: "Linia napowietrzna SN Zalesie - Leśna Góra (przez Las Północny)",
     type: power_line, provides: [power], needs: {power: {from: [gpz]}}}
  - {id: kotlownia, name: Kotłownia miejska, type: boiler_house, provides: [heat],
     needs: {power: {from: [gpz]}}, serves: {centrum: 1.0}}
  - id: bts
    name: Maszt Centrum
    type: bts
    provides: [telecom]
    needs: {power: {from: [gpz], buffer: {kind: battery, hours: 2h}}}
    serves: {centrum: 1.0, wies: 1.0}
  - {id: most, name: Most na Rzece, type: bridge, provides: [transport]}
  - {id: dps, name: Dom Pomocy Społecznej, type: care_home, occupants: 40,
     needs: {power: {from: [gpz]}}}
  - id: hydrofornia
    name: Hydrofornia Wieś
    type: booster_pump
    provides: [water]
    needs: {power: {from: [gpz]}, transport: {from: [most]}}
    serves: {wies: 1.0}
"""


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    opened = new_session(tmp_path, MODEL, SCENARIO)
    yield opened
    opened.close()


def asset_rows(table: DataTable[object]) -> list[str]:
    """Each row of the assets table as it reads (its cells' plain text)."""
    return [
        " | ".join(str(cell) for cell in table.get_row_at(row)) for row in range(table.row_count)
    ]


def test_names_wrap_and_shared_names_carry_the_id() -> None:
    long = "Linia napowietrzna SN Zalesie - Leśna Góra (przez Las Północny)"
    assert fit_name(long, "ln-2", 26) == [
        "Linia napowietrzna SN",
        "Zalesie - Leśna Góra",
        "(przez Las Północny)",
    ]
    assert fit_name("Studnia głębinowa", "studnia-2", 26, with_id=True) == [
        "Studnia głębinowa",
        "(studnia-2)",
    ]
    squeezed = fit_name(long, "ln-2", 14)
    assert len(squeezed) == 3 and squeezed[-1].endswith("… (ln-2)")
    assert all(len(line) <= 14 for line in squeezed)


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_no_two_asset_rows_read_the_same(session: Session, size: tuple[int, int]) -> None:
    app = console(session)
    async with app.run_test(size=size) as pilot:
        await pilot.press("n", "y")  # the GPZ fails: everything below it changes state
        await pilot.pause()
        table = app.screen.query_one("#assets", DataTable)
        rows = asset_rows(table)
        assert len(rows) == len(set(rows))
        names = [
            str(table.get_cell(key, "name")).replace("\n", " ")
            for key in ("studnia-1", "studnia-2")
        ]
        assert names == ["Studnia głębinowa (studnia-1)", "Studnia głębinowa (studnia-2)"]
        for key in ("ln-1", "ln-2"):
            name = str(table.get_cell(key, "name"))
            assert "…" not in name and name.replace("\n", " ").endswith("(przez Las Północny)")
        # the buffer's time in full, in a column wide enough for it
        detail = str(table.get_cell("suw", "detail"))
        assert detail == "generator, 17 h 39 min left"
        width = next(c.width for c in table.columns.values() if c.key.value == "detail")
        assert width >= len(detail)


@pytest.mark.parametrize(("size", "lang"), [((120, 36), "en"), ((80, 24), "pl")])
async def test_countdown_and_help_and_quit_keys_always_fit(
    session: Session, size: tuple[int, int], lang: str
) -> None:
    app = console(session, lang)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        countdown = app.screen.query_one("#sb-next", Static)
        shown = str(countdown.render())
        assert "I-01" in shown and ("1 h" in shown)
        assert countdown.region.right <= size[0] and countdown.size.width >= len(shown)
        keys: list[FooterKey] = []
        for _ in range(40):  # the footer composes its keys after the screen's first frame
            keys = list(app.screen.query_one(Footer).query(FooterKey))
            if keys:
                break
            await pilot.pause(0.05)
        assert [key.key_display for key in keys[:2]] == ["?", "q"]
        assert all(key.region.right <= size[0] for key in keys[:2])


async def test_events_rewrap_when_the_feed_is_shown_again(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "y")  # events arrive while the infrastructure page is shown
        await pilot.press("5")
        await pilot.pause()
        await pilot.pause()
        log = app.screen.query_one("#feed-log", RichLog)
        widths = [strip.cell_length for strip in log.lines]
        assert max(widths) > 40 and max(widths) <= 78  # wrapped at the page's width, not 20
        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        await pilot.pause()
        # the feed is beside the injects now, narrower than the page was: wrapped again
        width = app.screen.query_one(FeedPanel).log_widget.scrollable_content_region.width
        assert width < 78
        again = [strip.cell_length for strip in log.lines]
        assert max(again) <= width and len(again) > len(widths)


async def test_teams_panel_shows_the_full_name_and_latest_action(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n", "y")
        session.submit(ActionRequest("energ", "repair", "gpz"))
        app.frame(0)
        await pilot.pause()
        table = app.screen.query_one("#team-table", DataTable)
        table.move_cursor(row=table.get_row_index("energ"))
        await pilot.pause()
        detail = str(app.screen.query_one("#team-detail", Static).render())
        assert detail.startswith("ENERG Power utility\nA001 ENERG repair → GPZ Centrum: ")


def test_figures_explain_themselves(session: Session) -> None:
    desk = Desk.of(session, Texts("en"))
    quiet = MetricsEvent(5.0, {"power": 0, "water": 0}, 120, 3, 0, {"rumour": 120})
    lines = [str(line) for line in figures_explained(desk, quiet)]
    assert lines == [
        "vulnerable residents at risk: 3",
        "believe “rumour”: 120",
        "in need 120 although nobody is without a service: believers of a claim (120) "
        "act as if the service were lost",
    ]
    busy = MetricsEvent(5.0, {"power": 1400}, 120, 0, 0, {})
    assert figures_explained(desk, busy) == []


async def test_occupants_at_risk_are_counted_with_their_facility(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n", "y")  # the GPZ fails: the care home loses power
        app.frame(0)
        await pilot.pause()
        why = str(app.screen.query_one("#figures-why", Static).render())
        assert "occupants at risk: 40 (Dom Pomocy Społecznej)" in why


def test_threshold_messages_of_one_instant_make_one_line(session: Session) -> None:
    digest = Digest(session.exercise)
    texts = Texts("en")
    crossed = [
        MessageEvent(
            5.0, "people_in_need", str(n), ("sztab",), {"pl": f"{n} pl", "en": f"Over {n}"}
        )
        for n in (100, 500, 1000)
    ]
    lines = [str(line) for line in digest.feed_lines(crossed, texts)]
    assert lines == ["D+0 11:00 ✉ SZTAB: Over 1000 (and 2 lower thresholds at the same moment)"]
    later = MessageEvent(6.0, "people_in_need", "2000", ("sztab",), {"pl": "x", "en": "Over 2000"})
    assert len(digest.feed_lines([*crossed, later], texts)) == 2


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_help_starts_with_the_first_hour(session: Session, lang: str) -> None:
    app = console(session, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        shown = str(app.screen.query_one("#help-text", Static).render())
        texts = Texts(lang)
        assert shown.index(texts("help.first")) < shown.index(texts("help.main"))
        for step in range(1, FIRST_STEPS + 1):
            assert texts(f"help.first.{step}") in shown
