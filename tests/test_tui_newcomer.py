"""The console as a newcomer met it running the first hour of Mokry śnieg (issue 15).

Each test drives the real console (Textual's Pilot, the clock timer off) to the
moment where a facilitator who had only the help screen stumbled, and checks
what the screen shows there.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import DataTable

from cybrelia.exercise.session import Session
from tests.test_tui import console, new_session

MOKRY = Path(__file__).resolve().parents[1] / "scenarios" / "mokry-snieg.yaml"


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    """The small scenario of tests/test_tui.py."""
    opened = new_session(tmp_path)
    yield opened
    opened.close()


@pytest.fixture
def mokry(tmp_path: Path) -> Iterator[Session]:
    """A new session of the bundled Mokry śnieg."""
    opened = Session.create(MOKRY, tmp_path / "mokry.cybrelia")
    yield opened
    opened.close()


async def test_team_points_show_what_is_at_stake_once_delivered(session: Session) -> None:
    app = console(session)
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.screen.query_one("#team-table", DataTable)
        assert str(table.get_cell("energ", "points")) == "0/0"
        await pilot.press("n", "y")  # I-01 expects the power utility's repair: 10 points
        assert str(table.get_cell("energ", "points")) == "0/10"
        assert str(table.get_cell("sztab", "points")) == "0/0"
