"""One team's view: what it received and what it did."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.widgets import DataTable, RichLog, Static

from cybrelia.exercise.events import (
    ActionEvent,
    ExerciseEvent,
    InjectEvent,
    MessageEvent,
    RatingEvent,
    ScoreEvent,
)
from cybrelia.exercise.scoring import points
from cybrelia.files.capabilities import capability_name
from cybrelia.files.names import target_name
from cybrelia.tui.context import Desk
from cybrelia.tui.forms import RATINGS
from cybrelia.tui.labels import (
    action_label,
    clip_lines,
    consequence_text,
    event_status,
    points_text,
    state_status,
)
from cybrelia.tui.screens.base import LiveScreen
from cybrelia.tui.widgets import KeyFooter

__all__ = ["TeamScreen"]

#: The action column's narrowest and widest (the rest goes to the status).
ACTION_MIN, ACTION_MAX = 12, 30
#: Each action's row is this many lines high.
ROW_LINES = 3


class TeamScreen(LiveScreen):
    """What one team has received, its actions and their state, its points and ratings."""

    def __init__(self, desk: Desk, team: str | None = None) -> None:
        super().__init__(desk)
        teams = list(desk.exercise.teams)
        self.teams = teams
        self.index = teams.index(team) if team in teams else 0
        self._widths = self._fit(58)  # 120 columns; fitted on the first resize
        #: Each action's row as shown: its clock, the action over its target, its status.
        self._actions: dict[str, tuple[str, Text, Text]] = {}

    @property
    def team(self) -> str:
        """The team shown."""
        return self.teams[self.index]

    def compose(self) -> ComposeResult:
        yield Static(id="team-title")
        with Horizontal(id="team-body"):
            with Vertical(classes="panel", id="team-received-panel"):
                yield RichLog(
                    id="team-received", wrap=True, markup=False, max_lines=1000, min_width=20
                )
            with Vertical(classes="panel", id="team-actions-panel"):
                table: DataTable[Text] = DataTable(id="team-actions", cursor_type="row")
                self._add_columns(table)
                yield table
        yield KeyFooter()

    def _add_columns(self, table: DataTable[Text]) -> None:
        texts = self.desk.texts
        what, status = self._widths
        table.add_column(texts("team.col.id"), width=4, key="id")
        table.add_column(texts("team.col.time"), width=9, key="time")
        table.add_column(texts("team.col.action"), width=what, key="action")
        table.add_column(texts("team.col.status"), width=status, key="status")

    @staticmethod
    def _fit(width: int) -> tuple[int, int]:
        """The action's and the status's columns in a panel ``width`` wide.

        The action and its target share a cell, one above the other, and the status
        wraps onto the row's next lines: five columns side by side left the status
        beyond the panel's edge even at 120 columns.
        """
        # (the content width) the scrollbar 1, each of the four columns' padding 2,
        # the id 4, the time 9
        room = max(2 * ACTION_MIN, width - 1 - 4 * 2 - 4 - 9)
        what = max(ACTION_MIN, min(ACTION_MAX, room // 2))
        return what, room - what

    def on_resize(self, event: Resize) -> None:
        """Fit the columns to the actions' panel whenever the terminal is resized."""
        super().on_resize(event)
        self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        table = self.query_one("#team-actions", DataTable)
        widths = self._fit(table.size.width + 1)  # the table's size leaves out its scrollbar
        if widths == self._widths or table.size.width <= 0:
            return
        self._widths = widths
        keep = table.cursor_row
        table.clear(columns=True)
        self._add_columns(table)
        for action_id, (clock, what, status) in self._actions.items():
            table.add_row(
                *self._cells(action_id, clock, what, status), key=action_id, height=ROW_LINES
            )
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))

    def _cells(self, action_id: str, clock: str, what: Text, status: Text) -> tuple[Text, ...]:
        """A row of the actions table, :data:`ROW_LINES` high: the action over its target,
        and the status, each wrapped (cut with ``…`` after the last line)."""
        width, room = self._widths
        return (
            Text(action_id, style="dim"),
            Text(clock),
            clip_lines(what, width, ROW_LINES),
            clip_lines(status, room, ROW_LINES),
        )

    def on_mount(self) -> None:
        texts = self.desk.texts
        self.query_one("#team-received-panel").border_title = texts("team.received")
        self.query_one("#team-actions-panel").border_title = texts("team.actions")
        self._fill()

    def _fill(self) -> None:
        self._cursor = 0
        self._actions = {}
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
        # The injects' ratings, then the capabilities' (a rating with a capability chosen
        # records only the capability's, which the view once left out).
        given = [
            (inject, event.rating, "")
            for (inject, team), event in sorted(exercise.ratings.items())
            if team == self.team
        ] + [
            # A rating given to all teams together is this team's too, and says so.
            (
                capability_name(capability, texts.lang),
                event.rating,
                "" if team else " " + texts("team.rating_all"),
            )
            for (capability, team), event in sorted(exercise.capability_ratings.items())
            if team in (self.team, "")
        ]
        if given:
            ratings = ", ".join(f"{rated} {rating}{all_}" for rated, rating, all_ in given)
            title.append("   " + texts("team.ratings", ratings=ratings))
            # What the letters given stand for: HSEEP's, English in Polish too.
            letters = {rating for _, rating, _ in given}
            meanings = "; ".join(texts(f"rating.{r}") for r in RATINGS if r in letters)
            title.append(f" ({meanings})", style="dim")
        nav = texts("team.nav", number=self.index + 1, count=len(self.teams))
        title.append(f"   {nav}", style="dim")
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
                line.append("✉ " + consequence_text(desk.exercise, event, texts), style="yellow")
                received.write(line)
            elif isinstance(event, ActionEvent) and event.team == self.team:
                if event.status in ("submitted", "refused"):
                    # Submitted is followed at once by the next step; a refusal is no
                    # decision of the team: the form that sent it says why, not this view.
                    continue
                status = self._status(event)
                if event.action_id in self._actions:
                    clock, what, _ = self._actions[event.action_id]
                    self._actions[event.action_id] = (clock, what, status)
                    cells = self._cells(event.action_id, clock, what, status)
                    table.update_cell(event.action_id, "status", cells[-1])
                else:
                    what = Text(action_label(event.action, texts), style="bold")
                    if event.target:
                        target = target_name(
                            desk.exercise.model,
                            desk.exercise.scenario,
                            event.target,
                            event.action,
                            texts.lang,
                        )
                        what.append(f"\n→ {target}", style="")
                    clock = desk.clock(event.t)
                    self._actions[event.action_id] = (clock, what, status)
                    cells = self._cells(event.action_id, clock, what, status)
                    table.add_row(*cells, key=event.action_id, height=ROW_LINES)
            elif isinstance(event, ScoreEvent | RatingEvent) and event.team in (self.team, ""):
                scored = True
        if scored:
            self._title()

    def _status(self, event: ActionEvent) -> Text:
        """The action's status as it stands now (the latest event's, for one under way)."""
        state = self.desk.exercise.actions.get(event.action_id)
        if state is not None and state.status == "started":
            return state_status(self.desk.exercise, state, self.desk.texts)
        return event_status(self.desk.exercise, event, self.desk.texts)

    def _under_way(self) -> None:
        """Say again where each action under way stands: on its way, on site, time left."""
        table = self.query_one("#team-actions", DataTable)
        exercise, texts = self.desk.exercise, self.desk.texts
        for action_id, (clock, what, shown) in list(self._actions.items()):
            state = exercise.actions.get(action_id)
            if state is None or state.status != "started":
                continue
            status = state_status(exercise, state, texts)
            if status.plain != shown.plain:
                self._actions[action_id] = (clock, what, status)
                cells = self._cells(action_id, clock, what, status)
                table.update_cell(action_id, "status", cells[-1])

    def redraw(self) -> None:
        events = self.new_events()
        if events:
            self._add(events)
            if any(isinstance(e, ActionEvent) and e.team == self.team for e in events):
                self._title()
        if self.clock_moved():
            self._under_way()

    def action_previous(self) -> None:
        """The team before."""
        self.index = (self.index - 1) % len(self.teams)
        self._fill()

    def action_next(self) -> None:
        """The team after."""
        self.index = (self.index + 1) % len(self.teams)
        self._fill()
