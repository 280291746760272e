"""Whom each message reached, in the report and on the console (issue 13, item 1).

A gmina of two districts: Centrum (1,000 residents) under the only mast, Wieś
Nowa (400) without one; everyone has power.  An Alert RCB requested at 0 h is on
the phones at 0.5 h and reaches Centrum's 1,000 and nobody in Wieś Nowa; a radio
message at 1 h reaches 0.3 of everyone (the radio audience): 300 and 120; a
debunk on the radio at 2 h reaches 0.3 of the claim's one district, Wieś Nowa:
120.  Topics the teams write themselves may hold markup: the report shows them
as text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from cybrelia.analysis import from_exercise
from cybrelia.exercise.session import Session
from cybrelia.exercise.types import ActionRequest
from cybrelia.i18n import Texts
from cybrelia.report import build_document, to_html, to_markdown
from cybrelia.report.document import Document, Table
from cybrelia.tui.app import CybreliaApp
from cybrelia.tui.context import Desk
from cybrelia.tui.widgets import last_reach
from tests.exercise_helpers import TEAMS
from tests.helpers import write_files

MODEL = """\
districts:
  - {id: centrum, name: Centrum, population: 1000, prepared_share: 0}
  - {id: wies, name: Wieś Nowa, population: 400, prepared_share: 0}
assets:
  - {id: gpz, type: substation, provides: [power], serves: {centrum: 1.0, wies: 1.0}}
  - {id: bts, type: bts, provides: [telecom], serves: {centrum: 1.0}}
"""
SCENARIO = (
    TEAMS
    + """\
duration: 6h
injects:
  - id: I-01
    at: 0h
    effects:
      - claim:
          id: plotka
          text: {pl: Woda jest skażona, en: The water is poisoned}
          behaviour: bottled_water_run
          districts: [wies]
"""
)
HOSTILE = "<script>alert(1)</script>|=HYPERLINK"


def played(tmp_path: Path) -> Session:
    _, path = write_files(tmp_path, MODEL, SCENARIO)
    session = Session.create(path, tmp_path / "reach.cybrelia")
    session.submit(ActionRequest("crisis", "public_alert", "all", {"topic": HOSTILE}))
    session.advance_to(1.0)
    session.submit(
        ActionRequest("crisis", "public_alert", "all", {"channel": "radio", "topic": "evacuation"})
    )
    session.advance_to(2.0)
    session.submit(ActionRequest("crisis", "debunk", "plotka", {"channel": "radio"}))
    session.advance_to(3.0)
    return session


def reach_table(document: Document) -> Table:
    """The table of the report's information section."""
    start = next(
        i for i, b in enumerate(document.blocks) if getattr(b, "anchor", "") == "information"
    )
    return next(b for b in document.blocks[start:] if isinstance(b, Table))


def test_the_report_lists_every_message_with_its_reach_by_district(tmp_path: Path) -> None:
    session = played(tmp_path)
    try:
        frame = from_exercise(session.exercise).reach
        assert frame[["message", "channel", "district", "reached"]].values.tolist() == [
            ["A001", "rcb_alert", "centrum", 1000],
            ["A001", "rcb_alert", "wies", 0],
            ["A002", "radio", "centrum", 300],
            ["A002", "radio", "wies", 120],
            ["A003", "radio", "wies", 120],
        ]
        assert frame["share"].tolist() == pytest.approx([1.0, 0.0, 0.3, 0.3, 0.3])
        assert frame["delivered_at"].tolist() == [0.5, 0.5, 1.0, 1.0, 2.0]
        data = from_exercise(session.exercise)
        document = build_document([data], "en", dpi=30)
        en = reach_table(document)
        assert en.columns == ("time", "team", "channel", "topic", "reached", "by district")
        assert [row[2:] for row in en.rows] == [
            (
                "RCB alert",
                HOSTILE,
                "1,000 of 1,400 (71%)",
                "Centrum 100% (1,000); Wieś Nowa 0% (0)",
            ),
            ("radio", "evacuation", "420 of 1,400 (30%)", "Centrum 30% (300); Wieś Nowa 30% (120)"),
            ("radio", "debunk: “The water is poisoned”", "120 of 400 (30%)", "Wieś Nowa 30% (120)"),
        ]
        assert en.rows[0][1] == "A001 Crisis team"
        pl = reach_table(build_document([data], "pl", dpi=30))
        assert pl.columns[2:] == ("kanał", "temat", "dotarł do", "według sołectw i osiedli")
        assert pl.rows[1][2:] == (
            "radio",
            "ewakuacja",
            "420 z 1\xa0400 (30%)",
            "Centrum 30% (300); Wieś Nowa 30% (120)",
        )
        assert pl.rows[2][3] == "dementi: „Woda jest skażona”"
        html, markdown = to_html(document), to_markdown(document)
        assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
        assert "<script>" not in markdown and "&lt;script&gt;alert(1)&lt;/script&gt;\\|" in markdown
    finally:
        session.close()


def test_the_console_shows_whom_the_last_message_reached(tmp_path: Path) -> None:
    session = played(tmp_path)
    try:
        assert last_reach(Desk.of(session, Texts("en"))) == (
            "last message A003 (radio, t+2h): 120 of 400; Wieś Nowa 30%"
        )
        session.submit(ActionRequest("crisis", "public_alert", "wies", {"channel": "sirens"}))
        assert last_reach(Desk.of(session, Texts("pl"))) == (
            "ostatni komunikat A004 (syreny, t+3h): 0 z 400; Wieś Nowa 0%"
        )
    finally:
        session.close()


def test_without_messages_the_report_says_so(tmp_path: Path) -> None:
    _, path = write_files(tmp_path, MODEL, SCENARIO)
    session = Session.create(path, tmp_path / "quiet.cybrelia")
    try:
        document = build_document([from_exercise(session.exercise)], "pl", dpi=30)
        assert "Zespoły nie wysłały żadnego komunikatu do mieszkańców." in to_markdown(document)
        assert last_reach(Desk.of(session, Texts("en"))) is None
    finally:
        session.close()


async def test_the_figures_panel_shows_the_reach(tmp_path: Path) -> None:
    session = played(tmp_path)
    app = CybreliaApp(session, Texts("en"), clock=False)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            shown = str(app.screen.query_one("#figures-why", Static).render())
            assert "last message A003 (radio, t+2h): 120 of 400; Wieś Nowa 30%" in shown
    finally:
        session.close()
