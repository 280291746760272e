"""One team's view: what it received and what it did."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, RichLog, Static

from cybrelia.exercise.events import (
    ActionEvent,
    ExerciseEvent,
    InjectEvent,
    MessageEvent,
    ScoreEvent,
)
from cybrelia.exercise.scoring import points
from cybrelia.files.names import target_name
from cybrelia.tui.context import Desk
from cybrelia.tui.labels import action_label, action_status, points_text
from cybrelia.tui.screens.base import LiveScreen
from cybrelia.tui.widgets import KeyFooter

__all__ = ["TeamScreen"]


class TeamScreen(LiveScreen):
    """What one team has received, its actions and their state, its points and ratings."""

    def __init__(self, desk: Desk, team: str | None = None) -> None:
        super().__init__(desk)
        teams = list(desk.exercise.teams)
        self.teams = teams
        self.index = teams.index(team) if team in teams else 0

    @property
    def team(self) -> str:
        """The team shown."""
        return self.teams[self.index]

    def compose(self) -> ComposeResult:
        texts = self.desk.texts
        yield Static(id="team-title")
        with Horizontal(id="team-body"):
            with Vertical(classes="panel", id="team-received-panel"):
                yield RichLog(
                    id="team-received", wrap=True, markup=False, max_lines=1000, min_width=20
                )
            with Vertical(classes="panel", id="team-actions-panel"):
                table: DataTable[Text] = DataTable(id="team-actions", cursor_type="row")
                table.add_column(texts("team.col.id"), width=5, key="id")
                table.add_column(texts("team.col.time"), width=9, key="time")
                table.add_column(texts("team.col.action"), width=24, key="action")
                table.add_column(texts("team.col.target"), width=20, key="target")
                table.add_column(texts("team.col.status"), width=30, key="status")
                yield table
        yield KeyFooter()

    def on_mount(self) -> None:
        texts = self.desk.texts
        self.query_one("#team-received-panel").border_title = texts("team.received")
        self.query_one("#team-actions-panel").border_title = texts("team.actions")
        self._fill()

    def _fill(self) -> None:
        self._cursor = 0
        self.query_one("#team-received", RichLog).clear()
        self.query_one("#team-actions", DataTable).clear()
        self._title()
        self._add(self.new_events())
        self.clock_moved()

    def _title(self) -> None:
        texts, exercise = self.desk.texts, self.desk.exercise
        score = points(exercise)["by_team"].get(self.team, {"points": 0.0, "max": 0})
        title = Text()
        title.append(f"{self.desk.digest.team_label(self.team)}  ", style="bold reverse")
        title.append(f" {self.desk.team_name(self.team)}", style="bold")
        title.append(
            "\n"
            + texts(
                "team.points",
                points=points_text(score["points"], texts),
                max=points_text(score["max"], texts),
            )
        )
        ratings = [
            f"{inject} {event.rating}"
            for (inject, team), event in sorted(exercise.ratings.items())
            if team == self.team
        ]
        if ratings:
            title.append("   " + texts("team.ratings", ratings=", ".join(ratings)))
        title.append(f"   ({self.index + 1}/{len(self.teams)})  " + texts("team.nav"), style="dim")
        self.query_one("#team-title", Static).update(title)

    def _add(self, events: Iterable[ExerciseEvent]) -> None:
        texts, desk = self.desk.texts, self.desk
        received = self.query_one("#team-received", RichLog)
        table = self.query_one("#team-actions", DataTable)
        scored = False
        for event in events:
            if isinstance(event, InjectEvent) and event.status == "delivered":
                if self.team in event.to:
                    line = Text.assemble((f"{desk.clock(event.t)} ", "dim"))
                    line.append(f"▶ {event.inject} ", style="bold magenta")
                    line.append(texts.pick(event.title, event.inject), style="bold")
                    if event.channel:
                        line.append(f" ({texts(f'channel.{event.channel}')})", style="dim")
                    message = texts.pick(event.message, "")
                    if message:
                        line.append("\n" + message)
                    received.write(line)
            elif isinstance(event, MessageEvent) and self.team in event.to:
                line = Text.assemble((f"{desk.clock(event.t)} ", "dim"))
                line.append("✉ " + texts.pick(event.text, event.subject), style="yellow")
                received.write(line)
            elif isinstance(event, ActionEvent) and event.team == self.team:
                if event.status == "submitted":
                    continue
                if event.status == "refused":
                    # Not a decision of the team: said in what it received, not among its actions.
                    line = Text.assemble((f"{desk.clock(event.t)} ", "dim"))
                    line.append(
                        texts(
                            "team.refused",
                            action=action_label(event.action, texts),
                            reason=event.detail_in(texts.lang),
                        ),
                        style="red",
                    )
                    received.write(line)
                    continue
                status = action_status(event.status, event.detail_in(texts.lang), texts)
                status.no_wrap = True
                status.overflow = "ellipsis"
                if event.action_id in table.rows:
                    table.update_cell(event.action_id, "status", status)
                else:
                    table.add_row(
                        Text(event.action_id, style="dim"),
                        Text(desk.clock(event.t)),
                        Text(action_label(event.action, texts), no_wrap=True, overflow="ellipsis"),
                        Text(
                            target_name(
                                desk.exercise.model,
                                desk.exercise.scenario,
                                event.target or "",
                                event.action,
                                texts.lang,
                            )
                            if event.target
                            else "",
                            no_wrap=True,
                            overflow="ellipsis",
                        ),
                        status,
                        key=event.action_id,
                    )
            elif isinstance(event, ScoreEvent) and event.team == self.team:
                scored = True
        if scored:
            self._title()

    def redraw(self) -> None:
        events = self.new_events()
        if events:
            self._add(events)
            if any(isinstance(e, ActionEvent) and e.team == self.team for e in events):
                self._title()

    def action_previous(self) -> None:
        """The team before."""
        self.index = (self.index - 1) % len(self.teams)
        self._fill()

    def action_next(self) -> None:
        """The team after."""
        self.index = (self.index + 1) % len(self.teams)
        self._fill()
