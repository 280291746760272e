"""SVG snapshots of the console at 120x36 and 80x24, in Polish and in English.

The main screen, the inject panel with an inject's expectations, and a team's view,
each after the storm of the small test scenario has begun (I-01 delivered, a repair
under way).  The files are in ``tests/__snapshots__/test_tui_snapshots/``; after a
deliberate change of the screens, ``pytest tests/test_tui_snapshots.py
--snapshot-update`` writes them again (say so in the commit).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from cybrelia.exercise.session import Session
from cybrelia.exercise.types import ActionRequest
from tests.helpers import write_files
from tests.test_tui import MODEL, SCENARIO, console

SnapCompare = Callable[..., bool]
SIZES = [pytest.param((120, 36), id="120x36"), pytest.param((80, 24), id="80x24")]
LANGS = ["pl", "en"]


def _session(tmp_path: Path) -> Session:
    _, path = write_files(tmp_path, MODEL, SCENARIO)
    return Session.create(path, tmp_path / "snap.cybrelia")


async def _storm(pilot: Pilot[Any]) -> None:
    """I-01 delivered (the GPZ fails) and the power utility's repair under way."""
    await pilot.press("n", "y")
    app = pilot.app
    app.session.submit(ActionRequest("energ", "repair", "gpz", {}, "crew on its way"))  # type: ignore[attr-defined]
    app.frame(0)  # type: ignore[attr-defined]
    await pilot.pause()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
def test_snapshot_main(
    snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int], lang: str
) -> None:
    session = _session(tmp_path)
    try:
        assert snap_compare(console(session, lang), terminal_size=size, run_before=_storm)
    finally:
        session.close()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
def test_snapshot_inject_expectations(
    snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int], lang: str
) -> None:
    session = _session(tmp_path)

    async def show_i01(pilot: Pilot[Any]) -> None:
        await _storm(pilot)
        await pilot.press("2")
        table = pilot.app.screen.query_one("#inject-table", DataTable)
        table.move_cursor(row=table.get_row_index("I-01"))
        await pilot.pause()

    try:
        assert snap_compare(console(session, lang), terminal_size=size, run_before=show_i01)
    finally:
        session.close()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
def test_snapshot_team_view(
    snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int], lang: str
) -> None:
    session = _session(tmp_path)

    async def show_energ(pilot: Pilot[Any]) -> None:
        await _storm(pilot)
        await pilot.press("4")
        table = pilot.app.screen.query_one("#team-table", DataTable)
        table.move_cursor(row=table.get_row_index("energ"))
        await pilot.press("t")

    try:
        assert snap_compare(console(session, lang), terminal_size=size, run_before=show_energ)
    finally:
        session.close()
