"""The console's screens: main, asset detail, inject presentation, team view, help, picker."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Digits, Footer, Label, OptionList, RichLog, Static
from textual.widgets.option_list import Option

from cybrelia.exercise.core import InjectState
from cybrelia.exercise.events import (
    ActionEvent,
    ExerciseEvent,
    InjectEvent,
    MessageEvent,
    MetricsEvent,
    ScoreEvent,
    StateEvent,
)
from cybrelia.exercise.journal import JournalError
from cybrelia.exercise.scoring import points
from cybrelia.exercise.types import Refusal
from cybrelia.i18n import Texts
from cybrelia.tui.context import Desk
from cybrelia.tui.forms import (
    ActionForm,
    AdhocInjectForm,
    CancelActionForm,
    ConfirmScreen,
    EditInjectForm,
    NoteForm,
    RateForm,
)
from cybrelia.tui.keys import (
    ASSET_KEYS,
    HELP_KEYS,
    MAIN_KEYS,
    PRESENTATION_KEYS,
    TEAM_KEYS,
    Key,
    localized,
)
from cybrelia.tui.labels import (
    STATE_MARK,
    STATE_STYLE,
    action_label,
    action_status,
    buffer_text,
    causes_text,
    duration_text,
    sector_label,
    service_label,
    state_text,
)
from cybrelia.tui.live import Neighbour
from cybrelia.tui.widgets import (
    FeedPanel,
    FiguresPanel,
    InfraPanel,
    InjectsPanel,
    PageBar,
    StatusBar,
    TeamsPanel,
)

__all__ = [
    "SPEEDS",
    "AssetScreen",
    "HelpScreen",
    "LiveScreen",
    "MainScreen",
    "PickerScreen",
    "PresentationScreen",
    "TeamScreen",
    "redraw_all",
]

#: The speeds the facilitator steps through with + and - (sim minutes per real second).
SPEEDS = (1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 240.0, 480.0)
#: Below this width or height the main screen shows one panel at a time.
NARROW_WIDTH, NARROW_HEIGHT = 110, 30


class LiveScreen(Screen[None]):
    """A screen that follows the exercise: the app calls :meth:`redraw` after every tick."""

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        self._cursor = 0
        self._last_now: float | None = None

    def new_events(self) -> list[ExerciseEvent]:
        """The events since the last call."""
        history = self.desk.exercise.history
        events = history[self._cursor :]
        self._cursor = len(history)
        return events

    def clock_moved(self) -> bool:
        """Whether sim time moved since the last call."""
        now = self.desk.session.now
        moved = now != self._last_now
        self._last_now = now
        return moved

    def redraw(self) -> None:
        """Show what changed since the last redraw."""

    def on_resize(self, event: Resize) -> None:
        """Mark the screen narrow on a small terminal (the styles stack its panels)."""
        narrow = event.size.width < NARROW_WIDTH or event.size.height < NARROW_HEIGHT
        self.set_class(narrow, "-narrow")

    def after_move(self) -> None:
        """Redraw every live screen at once after a facilitator's move."""
        redraw_all(self.app.screen_stack)

    def attempt(self, move: Callable[[], Any]) -> bool:
        """Make a session call; a refusal is shown as a notification, never a crash."""
        texts = self.desk.texts
        try:
            move()
        except Refusal as refusal:
            self.notify(texts("notify.refused", reason=refusal.text(texts.lang)), severity="error")
            return False
        except JournalError as error:
            self.notify(texts("notify.journal", reason=str(error)), severity="error")
            return False
        self.after_move()
        return True

    def open_form(self, form: Any) -> None:
        """Show a form; redraw once it was saved."""

        def done(saved: bool | None) -> None:
            if saved:
                self.after_move()

        self.app.push_screen(form, done)

    def action_close(self) -> None:
        """Back to the screen below."""
        self.dismiss(None)

    def action_help(self) -> None:
        """The help screen."""
        self.app.push_screen(help_screen(self.desk))

    def action_team_action(self) -> None:
        """Record a team's action."""
        self.open_form(ActionForm(self.desk))


def redraw_all(screens: Iterable[Screen[Any]]) -> None:
    """Redraw every live screen in a stack."""
    for screen in screens:
        if isinstance(screen, LiveScreen) and screen.is_mounted:
            screen.redraw()


# --- main -----------------------------------------------------------------------------------


class MainScreen(LiveScreen):
    """Status, infrastructure, injects, figures, teams and the event feed, with every move."""

    class LanguageSwitch(Message):
        """The facilitator asked for the other language."""

    def __init__(self, desk: Desk) -> None:
        super().__init__(desk)
        self.page = "infra"
        self.narrow = False

    def compose(self) -> ComposeResult:
        desk = self.desk
        yield StatusBar(desk)
        yield PageBar(desk)
        with Horizontal(id="body"):
            with Vertical(id="main"):
                yield InfraPanel(desk)
                yield FeedPanel(desk)
            with Vertical(id="side"):
                yield InjectsPanel(desk)
                yield FiguresPanel(desk)
                yield TeamsPanel(desk)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        events = self.new_events()
        figures = self.query_one(FiguresPanel)
        for event in events:
            if isinstance(event, MetricsEvent):
                figures.series.add(event)
        figures.update_figures()
        self.query_one(FeedPanel).add(events)
        self.clock_moved()
        self._apply_page()
        self.query_one("#assets", DataTable).focus()

    # --- the redraw ---------------------------------------------------------------------

    def redraw(self) -> None:
        """Apply what happened since the last redraw: changed rows only."""
        events = self.new_events()
        moved = self.clock_moved()
        if not events and not moved:
            self.query_one(StatusBar).update_status()  # run state or speed may have changed
            return
        assets: set[str] = set()
        injects: set[str] = set()
        teams: set[str] = set()
        metrics = False
        figures = self.query_one(FiguresPanel)
        for event in events:
            if isinstance(event, StateEvent):
                assets.update(change.asset for change in event.step.assets)
            elif isinstance(event, InjectEvent):
                injects.add(event.inject)
            elif isinstance(event, ActionEvent | ScoreEvent):
                teams.add(event.team)
            elif isinstance(event, MetricsEvent):
                figures.series.add(event)
                metrics = True
        self.query_one(StatusBar).update_status()
        self.query_one(InfraPanel).refresh_assets(assets, moved)
        if injects or moved:
            self.query_one(InjectsPanel).refresh_injects(injects)
        if metrics or moved:
            figures.update_figures()
        if teams:
            self.query_one(TeamsPanel).refresh_teams(teams)
        if events:
            self.query_one(FeedPanel).add(events)

    # --- layout ---------------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        narrow = event.size.width < NARROW_WIDTH or event.size.height < NARROW_HEIGHT
        if narrow != self.narrow:
            self.narrow = narrow
            self._apply_page()

    def _apply_page(self) -> None:
        self.set_class(self.narrow, "-narrow")
        for name in PageBar.PAGES:
            self.set_class(name == self.page, f"-page-{name}")
        self.query_one(PageBar).show_page(self.page)

    def action_page(self, page: str) -> None:
        """Show (on a small terminal) and focus a panel."""
        self.page = page
        self._apply_page()
        target = {
            "infra": "#assets",
            "injects": "#inject-table",
            "teams": "#team-table",
            "feed": "#feed-log",
        }.get(page)
        if target is not None:
            self.query_one(target).focus()

    # --- the clock ------------------------------------------------------------------------

    def action_toggle_clock(self) -> None:
        """Pause or resume the clock."""
        session = self.desk.session
        self.attempt(session.pause if session.running else session.resume)

    def action_faster(self) -> None:
        """The next speed up."""
        self._speed(+1)

    def action_slower(self) -> None:
        """The next speed down."""
        self._speed(-1)

    def _speed(self, direction: int) -> None:
        current = self.desk.session.speed
        if direction > 0:
            options = [s for s in SPEEDS if s > current + 1e-9]
            speed = options[0] if options else None
        else:
            options = [s for s in SPEEDS if s < current - 1e-9]
            speed = options[-1] if options else None
        if speed is None:
            key = "notify.fastest" if direction > 0 else "notify.slowest"
            self.notify(self.desk.texts(key), severity="warning")
            return
        self.attempt(lambda: self.desk.session.set_speed(speed))

    def action_next_inject(self) -> None:
        """Jump the clock to the next timed inject and deliver it."""
        if self.desk.exercise.next_due() is None:
            self.notify(self.desk.texts("notify.no_next"), severity="warning")
            return
        self.attempt(self.desk.session.jump_to_next_inject)

    # --- injects --------------------------------------------------------------------------

    def _pending(self) -> InjectState | None:
        state = self.query_one(InjectsPanel).selected
        if state is None or state.status != "pending":
            self.notify(self.desk.texts("notify.pick_pending"), severity="warning")
            self.action_page("injects")
            return None
        return state

    def _confirm(self, question: str, then: Callable[[], Any]) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.attempt(then)

        self.app.push_screen(ConfirmScreen(self.desk, question), answered)

    def _inject_title(self, state: InjectState) -> str:
        return self.desk.texts.pick(state.spec.title, state.spec.id)

    def action_deliver(self) -> None:
        """Deliver the selected inject now (after a yes)."""
        state = self._pending()
        if state is not None:
            inject_id = state.spec.id
            question = self.desk.texts(
                "confirm.deliver", inject=inject_id, title=self._inject_title(state)
            )
            self._confirm(question, lambda: self.desk.session.deliver(inject_id))

    def action_skip(self) -> None:
        """Never deliver the selected inject (after a yes)."""
        state = self._pending()
        if state is not None:
            inject_id = state.spec.id
            question = self.desk.texts(
                "confirm.skip", inject=inject_id, title=self._inject_title(state)
            )
            self._confirm(question, lambda: self.desk.session.skip(inject_id))

    def action_edit(self) -> None:
        """Edit the selected inject before it is delivered."""
        state = self._pending()
        if state is not None:
            self.open_form(EditInjectForm(self.desk, state.spec.id))

    def action_adhoc(self) -> None:
        """Write an ad-hoc inject, delivered at once."""
        self.open_form(AdhocInjectForm(self.desk))

    # --- teams ----------------------------------------------------------------------------

    def action_team_action(self) -> None:
        """Record a team's action (the selected asset as its target)."""
        team = self.query_one(TeamsPanel).selected
        self.open_form(ActionForm(self.desk, team=team, target=self.query_one(InfraPanel).selected))

    def action_cancel_action(self) -> None:
        """Cancel an action in progress (after a yes)."""
        if not any(action.active for action in self.desk.exercise.actions.values()):
            self.notify(self.desk.texts("notify.no_active"), severity="warning")
            return

        def chosen(action_id: str | None) -> None:
            if action_id is not None:
                question = self.desk.texts("confirm.cancel_action", action=action_id)
                self._confirm(question, lambda: self.desk.session.cancel(action_id))

        self.app.push_screen(CancelActionForm(self.desk), chosen)

    def action_rate(self) -> None:
        """Rate a team's response to an inject."""
        state = self.query_one(InjectsPanel).selected
        self.open_form(RateForm(self.desk, state.spec.id if state is not None else None))

    def action_note(self) -> None:
        """Add a note to the decision log."""
        self.open_form(NoteForm(self.desk))

    # --- views ----------------------------------------------------------------------------

    def action_presentation(self) -> None:
        """The last delivered inject in large text, for the room."""
        self.app.push_screen(
            localized(PresentationScreen, PRESENTATION_KEYS, self.desk.texts)(self.desk)
        )

    def action_team_view(self) -> None:
        """What a team received and did."""
        if not self.desk.exercise.teams:
            self.notify(self.desk.texts("teams.none"), severity="warning")
            return
        team = self.query_one(TeamsPanel).selected
        screen = localized(TeamScreen, TEAM_KEYS, self.desk.texts)(self.desk, team)
        self.app.push_screen(screen)

    @on(InfraPanel.AssetChosen)
    def _asset_chosen(self, event: InfraPanel.AssetChosen) -> None:
        self.app.push_screen(asset_screen(self.desk, event.asset_id))

    def action_filter(self) -> None:
        """Only the assets that are not up, or all."""
        self.query_one(InfraPanel).toggle_filter()

    def action_search(self) -> None:
        """Search the assets by name, id or type."""
        self.action_page("infra")
        self.query_one("#asset-search").focus()

    def action_switch_language(self) -> None:
        """Polish or English."""
        self.post_message(self.LanguageSwitch())

    def action_quit_console(self) -> None:
        """Leave the console (the session is saved; it can be resumed)."""

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.exit(0)

        question = self.desk.texts("confirm.quit")
        self.app.push_screen(ConfirmScreen(self.desk, question, irreversible=False), answered)


def main_screen(desk: Desk) -> MainScreen:
    """A main screen with its bindings described in the desk's language."""
    return localized(MainScreen, MAIN_KEYS, desk.texts)(desk)


def asset_screen(desk: Desk, asset_id: str) -> AssetScreen:
    """An asset detail screen in the desk's language."""
    return localized(AssetScreen, ASSET_KEYS, desk.texts)(desk, asset_id)


def help_screen(desk: Desk) -> HelpScreen:
    """The help screen in the desk's language."""
    return localized(HelpScreen, HELP_KEYS, desk.texts)(desk)


# --- asset detail ---------------------------------------------------------------------------


class AssetScreen(LiveScreen):
    """One asset: state, buffers, what it needs, what depends on it, and its history."""

    def __init__(self, desk: Desk, asset_id: str) -> None:
        super().__init__(desk)
        self.asset_id = asset_id

    def compose(self) -> ComposeResult:
        yield Static(id="asset-title")
        yield Static(id="asset-state")
        with Horizontal(id="asset-links"):
            with Vertical(classes="panel", id="asset-up"):
                yield self._links_table("upstream")
            with Vertical(classes="panel", id="asset-down"):
                yield self._links_table("downstream")
        with Vertical(classes="panel", id="asset-history-panel"):
            yield RichLog(id="asset-history", wrap=True, markup=False, max_lines=500, min_width=20)
        yield Footer()

    def _links_table(self, which: str) -> DataTable[Text]:
        texts = self.desk.texts
        table: DataTable[Text] = DataTable(id=which, cursor_type="row")
        table.add_column("", width=1, key="mark")
        table.add_column(texts("asset.col.service"), width=9, key="service")
        table.add_column(texts("asset.col.asset"), width=22, key="asset")
        table.add_column(texts("asset.col.state"), width=40, key="state")
        return table

    def on_mount(self) -> None:
        texts = self.desk.texts
        self.query_one("#asset-up").border_title = texts("asset.upstream")
        self.query_one("#asset-down").border_title = texts("asset.downstream")
        self.query_one("#asset-history-panel").border_title = texts("asset.history")
        for which in ("upstream", "downstream"):
            links = self._links(which)
            table = self.query_one(f"#{which}", DataTable)
            for index, link in enumerate(links):
                table.add_row(
                    *self._link_row(link.asset, link.service), key=f"{index}:{link.asset}"
                )
            if not links:
                table.add_row(Text(""), Text(""), Text(texts("asset.none"), style="dim"), Text(""))
        self._title()
        self._state()
        history = self.query_one("#asset-history", RichLog)
        for line in self._history_lines(self.new_events()):
            history.write(line)
        self.clock_moved()
        self.query_one("#upstream", DataTable).focus()

    def _links(self, which: str) -> tuple[Neighbour, ...]:
        digest = self.desk.digest
        links = digest.upstream if which == "upstream" else digest.downstream
        return links.get(self.asset_id, ())

    def _link_row(self, asset_id: str, service: str) -> tuple[Text, Text, Text, Text]:
        exercise, texts = self.desk.exercise, self.desk.texts
        engine = exercise.engine
        status = engine.status(asset_id)
        asset = exercise.assets[asset_id]
        if status.causes:
            detail = causes_text(status.causes, texts)
        else:
            draining = [b for b in engine.buffers(asset_id) if b.mode == "draining"]
            detail = "; ".join(buffer_text(b, texts) for b in draining)
            detail = detail or state_text(status.state, texts)
        return (
            Text(STATE_MARK[status.state], style=STATE_STYLE[status.state]),
            Text(service_label(service, texts), no_wrap=True, overflow="ellipsis"),
            Text(
                asset.label,
                style="bold" if asset.critical else "",
                no_wrap=True,
                overflow="ellipsis",
            ),
            Text(detail, style=STATE_STYLE[status.state], no_wrap=True, overflow="ellipsis"),
        )

    def _title(self) -> None:
        exercise, texts = self.desk.exercise, self.desk.texts
        asset = exercise.assets[self.asset_id]
        title = Text()
        title.append(asset.label, style="bold")
        title.append(f"  ({asset.id})", style="dim")
        title.append(f"  {sector_label(asset.sector or 'other', texts)} · {asset.type}")
        if asset.critical:
            title.append("  " + texts("asset.critical"), style="bold red")
        if asset.serves:
            districts = exercise.model.district_index()
            served = ", ".join(
                f"{districts[d].name if d in districts else d} {share:.0%}"
                for d, share in asset.serves.items()
            )
            title.append("\n" + texts("asset.serves", districts=served), style="dim")
        if asset.provides:
            provided = ", ".join(service_label(s, texts) for s in asset.provides)
            title.append("\n" + texts("asset.provides", services=provided), style="dim")
        self.query_one("#asset-title", Static).update(title)

    def _state(self) -> None:
        engine, texts = self.desk.exercise.engine, self.desk.texts
        status = engine.status(self.asset_id)
        line = Text()
        line.append(f"{STATE_MARK[status.state]} ", style=STATE_STYLE[status.state])
        line.append(state_text(status.state, texts).upper(), style=STATE_STYLE[status.state])
        if status.causes:
            line.append(f"  {causes_text(status.causes, texts)}", style="red")
        for buffer in engine.buffers(self.asset_id):
            line.append("\n")
            service = service_label(buffer.service, texts)
            if buffer.mode == "draining":
                line.append(f"{service}: {buffer_text(buffer, texts)}", style="yellow")
            else:
                line.append(
                    texts(
                        f"asset.buffer_{buffer.mode}",
                        service=service,
                        kind=texts.get(f"buffer.{buffer.kind}", buffer.kind),
                        left=duration_text(buffer.remaining, texts),
                        full=duration_text(buffer.hours, texts),
                    ),
                    style="dim",
                )
        self.query_one("#asset-state", Static).update(line)

    def _history_lines(self, events: Iterable[ExerciseEvent]) -> list[Text]:
        texts, desk = self.desk.texts, self.desk
        lines = []
        for event in events:
            if isinstance(event, StateEvent):
                for change in event.step.assets:
                    if change.asset != self.asset_id:
                        continue
                    line = Text.assemble((f"{desk.clock(event.t)} ", "dim"))
                    line.append(f"{STATE_MARK[change.state]} ", style=STATE_STYLE[change.state])
                    line.append(state_text(change.state, texts), style=STATE_STYLE[change.state])
                    if change.causes:
                        line.append(f" ({causes_text(change.causes, texts)})", style="dim")
                    lines.append(line)
            elif isinstance(event, ActionEvent) and event.target == self.asset_id:
                if event.status == "submitted":
                    continue
                line = Text.assemble((f"{desk.clock(event.t)} ", "dim"))
                line.append(f"⚙ {event.action_id} {event.team.upper()} ")
                line.append(action_label(event.action, texts))
                line.append(": ")
                line.append(action_status(event.status, event.detail_in(texts.lang), texts))
                lines.append(line)
        return lines

    def redraw(self) -> None:
        events = self.new_events()
        moved = self.clock_moved()
        touched = any(isinstance(e, StateEvent | ActionEvent) for e in events)
        if touched or (moved and self.desk.exercise.engine.status(self.asset_id).state != "up"):
            self._state()
        if touched:
            for which in ("upstream", "downstream"):
                table = self.query_one(f"#{which}", DataTable)
                for index, link in enumerate(self._links(which)):
                    row_key = f"{index}:{link.asset}"
                    row = self._link_row(link.asset, link.service)
                    for column, value in zip(
                        ("mark", "service", "asset", "state"), row, strict=True
                    ):
                        old = table.get_cell(row_key, column)
                        if old.plain != value.plain or old.style != value.style:
                            table.update_cell(row_key, column, value)
            history = self.query_one("#asset-history", RichLog)
            for line in self._history_lines(events):
                history.write(line)

    @on(DataTable.RowSelected)
    def _follow(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value or ""
        if ":" in key:
            self.app.push_screen(asset_screen(self.desk, key.split(":", 1)[1]))

    def action_team_action(self) -> None:
        """Record a team's action on this asset."""
        self.open_form(ActionForm(self.desk, target=self.asset_id))


# --- presentation ---------------------------------------------------------------------------


class PresentationScreen(LiveScreen):
    """The last delivered inject in large text, to project to the room."""

    def __init__(self, desk: Desk) -> None:
        super().__init__(desk)
        self.index: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="presentation"):
            yield Digits("", id="pres-clock")
            yield Static(id="pres-meta")
            yield Static(id="pres-title")
            with VerticalScroll(id="pres-body"):
                yield Static(id="pres-message")
            yield Static(id="pres-nav")
        yield Footer()

    def _delivered(self) -> list[InjectState]:
        delivered = [s for s in self.desk.exercise.injects.values() if s.status == "delivered"]
        order = {
            event.inject: index
            for index, event in enumerate(self.desk.exercise.history)
            if isinstance(event, InjectEvent) and event.status == "delivered"
        }
        return sorted(delivered, key=lambda s: (s.delivered_at or 0.0, order.get(s.spec.id, 0)))

    def on_mount(self) -> None:
        self.new_events()
        self._show()

    def _show(self) -> None:
        texts = self.desk.texts
        delivered = self._delivered()
        if self.index is None or self.index >= len(delivered):
            self.index = len(delivered) - 1 if delivered else None
        nav = self.query_one("#pres-nav", Static)
        if self.index is None:
            self.query_one("#pres-clock", Digits).update("")
            self.query_one("#pres-meta", Static).update("")
            self.query_one("#pres-title", Static).update(Text(texts("presentation.none")))
            self.query_one("#pres-message", Static).update("")
            nav.update(Text(texts("presentation.nav", number=0, count=0), style="dim"))
            return
        state = delivered[self.index]
        spec = state.spec
        self.query_one("#pres-clock", Digits).update(self.desk.clock(state.delivered_at))
        meta = Text()
        meta.append(spec.id, style="bold")
        if spec.channel:
            meta.append("  ·  " + texts(f"channel.{spec.channel}").upper())
        if spec.to:
            meta.append("  ·  → " + self.desk.digest.teams_text(spec.to))
        self.query_one("#pres-meta", Static).update(meta)
        self.query_one("#pres-title", Static).update(
            Text(texts.pick(spec.title, spec.id).upper(), style="bold")
        )
        self.query_one("#pres-message", Static).update(Text(texts.pick(spec.message, "")))
        nav.update(
            Text(
                texts("presentation.nav", number=self.index + 1, count=len(delivered)),
                style="dim",
            )
        )

    def redraw(self) -> None:
        events = self.new_events()
        if any(isinstance(e, InjectEvent) and e.status == "delivered" for e in events):
            count = len(self._delivered())
            if self.index is None or self.index >= count - 2:
                self.index = count - 1  # it was following the latest: keep following
            self._show()

    def action_previous(self) -> None:
        """The inject delivered before."""
        if self.index:
            self.index -= 1
            self._show()

    def action_next(self) -> None:
        """The inject delivered after."""
        if self.index is not None and self.index + 1 < len(self._delivered()):
            self.index += 1
            self._show()


# --- team view ------------------------------------------------------------------------------


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
        yield Footer()

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
            "\n" + texts("team.points", points=f"{score['points']:g}", max=f"{score['max']:g}")
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
                        Text(desk.asset_name(event.target), no_wrap=True, overflow="ellipsis"),
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


# --- help -----------------------------------------------------------------------------------


class HelpScreen(Screen[None]):
    """Every key binding of every screen, and what the marks and colours mean."""

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(self._text(), id="help-text")
        yield Footer()

    def _text(self) -> Text:
        texts = self.desk.texts
        text = Text()
        text.append(texts("help.title") + "\n\n", style="bold")
        sections: tuple[tuple[str, tuple[Key, ...]], ...] = (
            ("help.main", MAIN_KEYS),
            ("help.asset", ASSET_KEYS),
            ("help.presentation", PRESENTATION_KEYS),
            ("help.team", TEAM_KEYS),
        )
        for title, keys in sections:
            text.append(texts(title) + "\n", style="bold underline")
            for key in keys:
                shown = key.display or key.keys
                if key.keys.startswith("question_mark"):
                    shown = "? F1"
                elif key.keys == "+,=":
                    shown = "+ ="
                elif "," in key.keys and key.display is not None:
                    shown = key.display
                text.append(f"  {shown:<8}", style="bold cyan")
                text.append(texts(key.label) + "\n")
            text.append("\n")
        text.append(texts("help.more") + "\n", style="bold underline")
        for shown, label in (
            ("enter", "help.enter"),
            ("tab", "help.tab"),
            ("ctrl+p", "help.ctrl_p"),
            ("ctrl+q", "help.ctrl_q"),
        ):
            text.append(f"  {shown:<8}", style="bold cyan")
            text.append(texts(label) + "\n")
        text.append("\n")
        text.append(texts("help.forms") + "\n", style="bold underline")
        text.append("  " + texts("help.forms_keys") + "\n\n")
        text.append(texts("help.palette") + "\n\n")
        text.append(texts("help.legend") + "\n", style="bold underline")
        for state in ("up", "backup", "down"):
            text.append(f"  {STATE_MARK[state]} ", style=STATE_STYLE[state])
            text.append(texts(f"help.state.{state}") + "\n")
        text.append("  " + texts("help.critical") + "\n")
        text.append("  ⏱ ⑂ ✔ ✖  " + texts("help.inject_marks") + "\n")
        return text

    def action_close(self) -> None:
        """Back."""
        self.dismiss(None)


# --- picker ---------------------------------------------------------------------------------


class PickerScreen(Screen[None]):
    """The bundled scenarios, to start a new session of one."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("q,escape", "leave", show=False)]

    class Chosen(Message):
        """The facilitator chose a scenario file."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    def __init__(self, texts: Texts, scenarios: list[tuple[Path, str]]) -> None:
        super().__init__()
        self.texts = texts
        self.scenarios = scenarios

    def compose(self) -> ComposeResult:
        texts = self.texts
        with Vertical(id="picker", classes="dialog"):
            yield Label(texts("picker.title"), classes="form-title")
            if self.scenarios:
                yield OptionList(
                    *[
                        Option(Text.assemble((title, "bold"), "  ", (path.name, "dim")), id=str(i))
                        for i, (path, title) in enumerate(self.scenarios)
                    ],
                    id="scenario-list",
                )
            else:
                yield Static(texts("picker.none"), markup=False)
            yield Static("", id="picker-error", markup=False)
            yield Static(texts("picker.hint"), classes="hint")

    @on(OptionList.OptionSelected, "#scenario-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        index = int(event.option.id or 0)
        self.post_message(self.Chosen(self.scenarios[index][0]))

    def action_leave(self) -> None:
        """Leave without starting a session."""
        self.app.exit(0)

    def show_error(self, message: str) -> None:
        """Say why the chosen scenario could not be opened."""
        error = self.query_one("#picker-error", Static)
        error.update(message)
        error.set_class(bool(message), "-shown")
