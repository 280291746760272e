"""The joined-teams panel: who has opened the teams' web consoles, their links and QR codes.

Opened with ``w`` while ``cybrelia play --serve`` serves the teams.  It reads the
:class:`~cybrelia.exercise.participants.Participants` of the session, never the
web console itself: the TUI and :mod:`cybrelia.web` do not import each other.
The facilitator revokes a team's link, issues a new one, and (with ``--approve``)
accepts a held submission or sends it back with a note.
"""

from __future__ import annotations

import time

import segno
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Static

from cybrelia.exercise.journal import JournalError
from cybrelia.exercise.participants import Hold, Participants, Presence
from cybrelia.exercise.types import Refusal
from cybrelia.tui.context import Desk
from cybrelia.tui.labels import action_label, refusal_text
from cybrelia.tui.screens import LiveScreen
from cybrelia.tui.widgets import KeyFooter

__all__ = ["ParticipantsScreen", "qr_text"]


def qr_text(url: str) -> str:
    """``url``'s QR code drawn with half blocks: two modules a character, quiet zone included."""
    matrix = [list(row) for row in segno.make(url, error="m", micro=False).matrix_iter(border=2)]
    if len(matrix) % 2:
        matrix.append([0] * len(matrix[0]))
    glyphs = {(0, 0): " ", (1, 0): "▀", (0, 1): "▄", (1, 1): "█"}
    rows = []
    for top, bottom in zip(matrix[::2], matrix[1::2], strict=True):
        rows.append("".join(glyphs[(bool(a), bool(b))] for a, b in zip(top, bottom, strict=True)))
    return "\n".join(rows)


class ParticipantsScreen(LiveScreen):
    """The teams' consoles: joined or not, open views, the link's QR code, held submissions."""

    DEFAULT_CSS = """
    #participants-body { height: 1fr; }
    #participants-teams-panel { width: 1fr; }
    #participants-teams { height: auto; max-height: 12; }
    #participants-holds { height: 1fr; margin-top: 1; }
    #participants-qr-panel { width: auto; min-width: 40; overflow: auto auto; }
    """

    def __init__(self, desk: Desk, participants: Participants) -> None:
        super().__init__(desk)
        self.participants = participants
        self._shown: tuple[tuple[Presence, ...], tuple[Hold, ...], str] | None = None

    def compose(self) -> ComposeResult:
        texts = self.desk.texts
        with Horizontal(id="participants-body"):
            with Vertical(classes="panel", id="participants-teams-panel"):
                teams: DataTable[Text] = DataTable(id="participants-teams", cursor_type="row")
                teams.add_column(texts("participants.col.team"), width=6, key="team")
                teams.add_column(texts("participants.col.name"), width=34, key="name")
                teams.add_column(texts("participants.col.state"), width=24, key="state")
                teams.add_column(texts("participants.col.views"), width=6, key="views")
                yield teams
                holds: DataTable[Text] = DataTable(id="participants-holds", cursor_type="row")
                holds.add_column(texts("participants.col.hold"), width=5, key="id")
                holds.add_column(texts("participants.col.team"), width=6, key="team")
                holds.add_column(texts("participants.col.action"), width=24, key="action")
                holds.add_column(texts("participants.col.note"), width=30, key="note")
                yield holds
                yield Input(placeholder=texts("participants.note"), id="participants-note")
            with Vertical(classes="panel", id="participants-qr-panel"):
                yield Static(id="participants-link")
                yield Static(id="participants-qr")
        yield KeyFooter()

    def on_mount(self) -> None:
        texts = self.desk.texts
        self.query_one("#participants-teams-panel").border_title = texts("participants.title")
        self.query_one("#participants-qr-panel").border_title = texts("participants.qr")
        self.redraw()
        self.query_one("#participants-teams", DataTable).focus()

    # --- what the screen shows ---------------------------------------------------------------

    @property
    def team(self) -> str | None:
        """The team under the cursor."""
        table = self.query_one("#participants-teams", DataTable)
        teams = self.participants.roster.teams
        return teams[table.cursor_row] if 0 <= table.cursor_row < len(teams) else None

    def redraw(self) -> None:
        presence = tuple(self.participants.roster.presence())
        holds = tuple(h for h in self.participants.holds.values() if h.status == "held")
        shown = (presence, holds, time.strftime("%H:%M"))
        if shown == self._shown:
            return
        self._shown = shown
        texts = self.desk.texts
        table = self.query_one("#participants-teams", DataTable)
        row = table.cursor_row
        table.clear()
        for p in presence:
            if p.revoked:
                state = Text(texts("participants.revoked"), style="red")
            elif p.joined_at is not None:
                when = time.strftime("%H:%M", time.localtime(p.joined_at))
                state = Text(texts("participants.joined", when=when), style="green")
            else:
                state = Text(texts("participants.waiting"), style="dim")
            table.add_row(
                Text(self.desk.digest.team_label(p.team), style="bold"),
                Text(self.desk.team_name(p.team), no_wrap=True, overflow="ellipsis"),
                state,
                Text(str(p.clients)),
                key=p.team,
            )
        if presence:
            table.move_cursor(row=min(max(row, 0), len(presence) - 1))
        held = self.query_one("#participants-holds", DataTable)
        held.display = self.participants.approve
        held.clear()
        for hold in holds:
            held.add_row(
                Text(hold.id, style="dim"),
                Text(self.desk.digest.team_label(hold.request.team)),
                Text(action_label(hold.request.action, texts), no_wrap=True),
                Text(hold.request.note, no_wrap=True, overflow="ellipsis"),
                key=hold.id,
            )
        self.query_one("#participants-note", Input).display = self.participants.approve
        self._show_link()

    def _show_link(self) -> None:
        team = self.team
        url = self.participants.links().get(team or "")
        link = self.query_one("#participants-link", Static)
        qr = self.query_one("#participants-qr", Static)
        if team is None or url is None:
            link.update(Text(self.desk.texts("participants.no_link"), style="red"))
            qr.update("")
            return
        link.update(Text.assemble((f"{self.desk.digest.team_label(team)} ", "bold"), url))
        qr.update(Text(qr_text(url), style="black on white", no_wrap=True))

    @on(DataTable.RowHighlighted, "#participants-teams")
    def _highlighted(self) -> None:
        self._show_link()

    # --- the facilitator's moves -----------------------------------------------------------------

    def action_revoke(self) -> None:
        """Revoke the selected team's link."""
        if self.team is not None:
            self.participants.roster.revoke(self.team)
            self.notify(self.desk.texts("participants.revoked_now", team=self.team.upper()))
            self.redraw()

    def action_reissue(self) -> None:
        """Issue a new link for the selected team (the old one stops working)."""
        if self.team is not None:
            self.participants.roster.reissue(self.team)
            self.notify(self.desk.texts("participants.reissued", team=self.team.upper()))
            self.redraw()

    def _hold(self) -> str | None:
        table = self.query_one("#participants-holds", DataTable)
        holds = [h for h in self.participants.holds.values() if h.status == "held"]
        return holds[table.cursor_row].id if 0 <= table.cursor_row < len(holds) else None

    def action_accept(self) -> None:
        """Accept the selected held submission: it goes to the session now."""
        hold = self._hold()
        if hold is None:
            return
        try:
            state = self.participants.accept(hold)
        except (Refusal, JournalError) as error:
            reason = refusal_text(self.desk.exercise, error, self.desk.texts)
            self.notify(self.desk.texts("participants.refused", reason=reason), severity="error")
        else:
            self.notify(self.desk.texts("participants.accepted", hold=hold, action=state.id))
        self.redraw()

    def action_send_back(self) -> None:
        """Send the selected held submission back with the note typed below the list."""
        hold = self._hold()
        note_input = self.query_one("#participants-note", Input)
        if hold is None:
            return
        if not note_input.value.strip():
            note_input.focus()
            self.notify(self.desk.texts("participants.note_first"))
            return
        self.participants.send_back(hold, note_input.value.strip())
        note_input.value = ""
        self.notify(self.desk.texts("participants.sent_back", hold=hold))
        self.redraw()
