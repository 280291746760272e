"""The console as the second newcomer trial met it (Mokry śnieg, 120x36 in Polish, 80x24 in
English).

Each test drives the real console (Textual's Pilot, the clock timer off) to where the
trial stumbled and checks what the facilitator can do there.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cybrelia.exercise.session import Session
from cybrelia.tui.screens import MainScreen
from tests.test_tui import console, new_session


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    """The small scenario of tests/test_tui.py."""
    opened = new_session(tmp_path)
    yield opened
    opened.close()


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
