"""The facilitator console's joined-teams panel (``w``), on a real session and the real app.

The panel reads the session's :class:`~cybrelia.exercise.participants.Participants`
only; the web console is not running here, as the TUI never imports it.
"""

from __future__ import annotations

from pathlib import Path

import segno
from textual.widgets import DataTable, Input, Static

from cybrelia.exercise.participants import Participants
from cybrelia.exercise.session import Session
from cybrelia.exercise.types import ActionRequest
from cybrelia.i18n import Texts
from cybrelia.tui.app import CybreliaApp
from cybrelia.tui.participants import ParticipantsScreen, qr_text

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "mokry-snieg.yaml"


def _cells(table: DataTable[object], column: int) -> list[str]:
    return [str(table.get_row_at(row)[column]) for row in range(table.row_count)]


async def test_the_panel_shows_who_joined_and_revokes_and_reissues_links(tmp_path: Path) -> None:
    session = Session.create(SCENARIO, tmp_path / "s.cybrelia")
    participants = Participants.of(session)
    participants.base_url = "http://127.0.0.1:8765"
    participants.roster.seen("zgk")
    participants.roster.connected("zgk", 2)
    app = CybreliaApp(session, Texts("en"), clock=False, participants=participants)
    try:
        async with app.run_test(size=(140, 44)) as pilot:
            await pilot.press("w")
            assert isinstance(app.screen, ParticipantsScreen)
            teams = app.screen.query_one("#participants-teams", DataTable)
            assert _cells(teams, 0) == ["GZZK", "ZGK", "OSP", "IT", "OSD"]
            states = _cells(teams, 2)
            assert states[1].startswith("joined at") and states[0] == "not joined yet"
            assert _cells(teams, 3)[1] == "2"
            await pilot.press("down")  # the ZGK
            link = str(app.screen.query_one("#participants-link", Static).render())
            assert link == f"ZGK {participants.links()['zgk']}"
            old = participants.roster.token("zgk")
            await pilot.press("r")
            assert participants.roster.token("zgk") is None
            assert participants.roster.team_of(old) is None
            assert _cells(teams, 2)[1] == "link revoked"
            assert "no valid link" in str(
                app.screen.query_one("#participants-link", Static).render()
            )
            await pilot.press("n")
            new = participants.roster.token("zgk")
            assert new is not None and new != old
            assert participants.roster.team_of(new) == "zgk"
            assert _cells(teams, 2)[1] == "not joined yet"
            await pilot.press("escape")
            assert not isinstance(app.screen, ParticipantsScreen)
    finally:
        session.close()


async def test_held_submissions_are_accepted_or_sent_back_from_the_console(
    tmp_path: Path,
) -> None:
    session = Session.create(SCENARIO, tmp_path / "a.cybrelia")
    participants = Participants.of(session, approve=True)
    participants.submit(ActionRequest("osp", "note", note="first"))
    participants.submit(ActionRequest("osp", "note", note="second"))
    app = CybreliaApp(session, Texts("en"), clock=False, participants=participants)
    try:
        async with app.run_test(size=(140, 44)) as pilot:
            await pilot.press("w")
            screen = app.screen
            assert isinstance(screen, ParticipantsScreen)
            holds = screen.query_one("#participants-holds", DataTable)
            assert _cells(holds, 0) == ["H001", "H002"]
            await pilot.press("a")  # the first is under the cursor
            assert participants.holds["H001"].status == "accepted"
            (state,) = session.exercise.actions.values()
            assert (state.request.team, state.request.note) == ("osp", "first")
            assert _cells(holds, 0) == ["H002"]
            await pilot.press("b")  # no note yet: the note field is focused
            assert participants.holds["H002"].status == "held"
            assert isinstance(app.focused, Input)
            screen.query_one("#participants-note", Input).value = "more detail please"
            screen.action_send_back()
            returned = participants.holds["H002"]
            assert (returned.status, returned.note) == ("returned", "more detail please")
            assert len(session.exercise.actions) == 1
    finally:
        session.close()


async def test_without_serving_the_key_says_so(tmp_path: Path) -> None:
    session = Session.create(SCENARIO, tmp_path / "n.cybrelia")
    app = CybreliaApp(session, Texts("en"), clock=False)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("w")
            assert not isinstance(app.screen, ParticipantsScreen)
    finally:
        session.close()


def test_the_qr_code_in_the_terminal_is_segnos_matrix() -> None:
    url = "http://192.168.1.20:8765/join/abc"
    lines = qr_text(url).splitlines()
    matrix = [list(row) for row in segno.make(url, error="m", micro=False).matrix_iter(border=2)]
    assert len(lines) == (len(matrix) + 1) // 2
    assert all(len(line) == len(matrix[0]) for line in lines)
    top = "".join("▀" if a and not b else "█" if a and b else "▄" if b else " "
                  for a, b in zip(matrix[2], matrix[3], strict=True))  # fmt: skip
    assert lines[1] == top
