"""The main screen: status, infrastructure, injects, figures, teams, feed, and every move."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.message import Message
from textual.widgets import DataTable, Input

from cybrelia.exercise.core import InjectState
from cybrelia.exercise.events import ActionEvent, InjectEvent, MetricsEvent, ScoreEvent, StateEvent
from cybrelia.tui.briefing import skip_consequences, undeliver_consequences
from cybrelia.tui.context import REAL_TIME, SPEEDS, Desk
from cybrelia.tui.forms import (
    ActionForm,
    AdhocInjectForm,
    CancelActionForm,
    ConfirmRecordForm,
    ConfirmScreen,
    EditInjectForm,
    NoteForm,
    RateForm,
    UndeliverForm,
    unconfirmed_records,
)
from cybrelia.tui.keys import (
    FIRST_HOUR,
    MAIN_KEYS,
    PRESENTATION_KEYS,
    TEAM_KEYS,
    localized,
    typed_actions,
)
from cybrelia.tui.labels import condition_text, countdown_text, refusal_text
from cybrelia.tui.screens.asset import asset_screen
from cybrelia.tui.screens.base import NARROW_HEIGHT, NARROW_WIDTH, LiveScreen
from cybrelia.tui.screens.ended import EndedScreen
from cybrelia.tui.screens.presentation import PresentationScreen
from cybrelia.tui.screens.team import TeamScreen
from cybrelia.tui.widgets import (
    FeedPanel,
    FiguresPanel,
    InfraPanel,
    InjectsPanel,
    KeyFooter,
    PageBar,
    StatusBar,
    TeamsPanel,
)

__all__ = ["REAL_TIME", "SPEEDS", "MainScreen", "main_screen"]

#: The widget each page (keys 1-5) puts the keys in; the figures have none.
PAGE_FOCUS = {
    "infra": "#assets",
    "injects": "#inject-table",
    "teams": "#team-table",
    "feed": "#feed-log",
}
#: The moves whose key the search box takes as text: not offered while it has the keys.
TYPED_ACTIONS = typed_actions(MAIN_KEYS)
#: The keys offered instead while it does (F1 for ``?``).
STAND_INS = frozenset(key.action for key in MAIN_KEYS if key.typing)


class MainScreen(LiveScreen):
    """Status, infrastructure, injects, figures, teams and the event feed, with every move."""

    class LanguageSwitch(Message):
        """The facilitator asked for the other language."""

    #: No auto-focus: Textual's would give the keys back to the first focusable widget
    #: when a view or dialog closes, shown or not (on a small terminal, the search box of
    #: the hidden infrastructure panel, which then swallowed every key).
    #: :meth:`on_screen_resume` puts them back on the page shown.
    AUTO_FOCUS = ""

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
        yield KeyFooter(compact=True, needed=FIRST_HOUR)

    def on_mount(self) -> None:
        self.call_after_refresh(self._say_if_ended)  # a session resumed after its end
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
        # Also when the end came while a view was on top: said once back here.
        self._say_if_ended()
        events = self.new_events()
        moved = self.clock_moved()
        if not events and not moved:
            self.query_one(StatusBar).update_status()  # run state or speed may have changed
            return
        assets: set[str] = set()
        injects: set[str] = set()
        teams: set[str] = set()
        scored: set[str] = set()
        metrics = False
        figures = self.query_one(FiguresPanel)
        for event in events:
            if isinstance(event, StateEvent):
                assets.update(change.asset for change in event.step.assets)
            elif isinstance(event, InjectEvent):
                injects.add(event.inject)
                # A delivery puts its expectations' points at stake: their teams' rows change.
                state = self.desk.exercise.injects.get(event.inject)
                if state is not None:
                    teams.update(expectation.team for expectation in state.spec.expect)
            elif isinstance(event, ActionEvent):
                teams.add(event.team)
            elif isinstance(event, ScoreEvent):
                teams.add(event.team)
                scored.add(event.inject)
            elif isinstance(event, MetricsEvent):
                figures.series.add(event)
                metrics = True
        self.query_one(StatusBar).update_status()
        self.query_one(InfraPanel).refresh_assets(assets, moved)
        panel = self.query_one(InjectsPanel)
        if injects or moved:
            panel.refresh_injects(injects)
        panel.refresh_detail(scored | injects, moved or bool(teams))
        if metrics or moved or teams:
            figures.update_figures()
        if moved:  # an action under way says where it stands now (on its way, on site)
            teams.update(self.query_one(TeamsPanel).under_way_changed())
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
        self.query_one(StatusBar).set_narrow(self.narrow)
        for name in PageBar.PAGES:
            self.set_class(name == self.page, f"-page-{name}")
        self.query_one(PageBar).show_page(self.page)
        self.query_one(FiguresPanel).show_why(self.page == "figures")
        feed = self.query_one(FeedPanel)
        feed.call_after_refresh(feed.catch_up)  # shown again: lines that came meanwhile

    def action_page(self, page: str) -> None:
        """Show (on a small terminal) and focus a panel."""
        self.page = page
        self._apply_page()
        target = PAGE_FOCUS.get(page)
        if target is not None:
            self.query_one(target).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While a text box has the keys, the footer leaves out the moves it types instead,
        and offers the keys it does not type that make the same moves (F1)."""
        typing = isinstance(self.focused, Input)
        if action in STAND_INS:
            return typing
        return not (action in TYPED_ACTIONS and typing)

    def action_help_while_typing(self) -> None:
        """The help, from the search box (F1: ``?`` is typed there)."""
        self.action_help()

    def on_screen_resume(self) -> None:
        """Back from a view or a dialog: the keys go to a widget that is shown.

        The widget that had them may be hidden meanwhile (a small terminal shows one
        page); then the page's own widget gets them, or none (the figures), so the
        screen's bindings answer.
        """
        focused = self.focused
        if focused is not None and focused in self.focus_chain:
            return
        target = PAGE_FOCUS.get(self.page)
        widget = self.query_one(target) if target is not None else None
        self.set_focus(widget if widget in self.focus_chain else None)

    # --- the clock ------------------------------------------------------------------------

    def action_toggle_clock(self) -> None:
        """Pause or resume the clock (after the end: what can still be done)."""
        session = self.desk.session
        if not session.running and session.now >= session.end:
            self._show_ended()
            return
        self.attempt(session.pause if session.running else session.resume)

    def _say_if_ended(self) -> None:
        """Once the scenario has ended, say so and what can be done (once per session)."""
        session, recall = self.desk.session, self.desk.recall
        if session.now >= session.end and not recall.end_shown and self.app.screen is self:
            recall.end_shown = True
            self._show_ended()

    def _show_ended(self) -> None:
        def chosen(action: str | None) -> None:
            if action == "quit":
                self.app.exit(0)  # the dialog was the question; the journal is kept
            elif action is not None:
                self.call_next(self.run_action, action)

        self.app.push_screen(EndedScreen(self.desk), chosen)

    def action_faster(self) -> None:
        """The next speed up."""
        self._speed(+1)

    def action_slower(self) -> None:
        """The next speed down."""
        self._speed(-1)

    def _speed(self, direction: int) -> None:
        if self.desk.mode.wall_time:
            self.notify(self.desk.texts("notify.wall_time_speed"), severity="warning")
            return
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
        """Jump the clock to the next timed inject and deliver it (after a yes)."""
        exercise, texts = self.desk.exercise, self.desk.texts
        due = exercise.next_due()
        if due is None:
            self.notify(texts("notify.no_next"), severity="warning")
            return
        due_now = [
            state
            for state in exercise.injects.values()
            if state.status == "pending" and state.spec.at == due
        ]
        question = texts(
            "confirm.next",
            clock=self.desk.clock(due),
            left=countdown_text(due - self.desk.session.now, texts),
        )
        details = [f"{state.spec.id} {self._inject_title(state)}" for state in due_now]
        # A delivery can be taken back (u), the clock cannot: the dialog says both.
        hint = texts("confirm.undo_delivery")
        self._confirm(question, self.desk.session.jump_to_next_inject, details=details, hint=hint)

    def action_wall_time(self) -> None:
        """Exercise time = wall time (a live tabletop), or back to the speed before."""
        mode, session = self.desk.mode, self.desk.session
        if not mode.wall_time:
            before = session.speed
            if not self.attempt(lambda: session.set_speed(REAL_TIME)):
                return
            mode.speed_before, mode.wall_time = before, True
        else:
            before = mode.speed_before or REAL_TIME
            mode.wall_time = False
            self.attempt(lambda: session.set_speed(before))
        key = "notify.wall_time_on" if mode.wall_time else "notify.wall_time_off"
        self.notify(self.desk.texts(key))
        self.query_one(StatusBar).update_status()

    def action_toggle_hold(self) -> None:
        """Whether forms and dialogs pause the clock."""
        mode = self.desk.mode
        mode.hold = not mode.hold
        key = "notify.hold_on" if mode.hold else "notify.hold_off"
        self.notify(self.desk.texts(key))
        self.query_one(StatusBar).update_status()

    # --- injects --------------------------------------------------------------------------

    def _pending(self) -> InjectState | None:
        state = self.query_one(InjectsPanel).selected
        if state is None or state.status != "pending":
            self.notify(self.desk.texts("notify.pick_pending"), severity="warning")
            self.action_page("injects")
            return None
        return state

    def _confirm(
        self,
        question: str,
        then: Callable[[], Any],
        *,
        details: Sequence[str] = (),
        hint: str | None = None,
    ) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.attempt(then)

        confirm = ConfirmScreen(self.desk, question, details=details, hint=hint)
        self.app.push_screen(confirm, answered)

    def _inject_title(self, state: InjectState) -> str:
        return self.desk.texts.pick(state.spec.title, state.spec.id)

    def action_deliver(self) -> None:
        """Deliver the selected inject now (after a yes)."""
        state = self._pending()
        if state is None:
            return
        texts, inject_id = self.desk.texts, state.spec.id
        title = self._inject_title(state)
        condition = state.spec.when
        if condition is not None and state.armed_at is None:
            # A branch whose condition has not held: delivered now it does not wait for it
            # (the facilitator may mean it, to steer the story), so the dialog says which.
            question = texts("confirm.deliver_branch", inject=inject_id, title=title)
            details = [condition_text(self.desk.exercise, condition, texts)]
            hint = texts("confirm.deliver_branch_hint")
        else:
            question = texts("confirm.deliver", inject=inject_id, title=title)
            details = []
            # d does not move the clock: only that the delivery can be taken back.
            hint = texts("confirm.undo_delivery_now")
        self._confirm(
            question, lambda: self.desk.session.deliver(inject_id), details=details, hint=hint
        )

    def action_skip(self) -> None:
        """Never deliver the selected inject (after a yes)."""
        state = self._pending()
        if state is not None:
            inject_id = state.spec.id
            question = self.desk.texts(
                "confirm.skip", inject=inject_id, title=self._inject_title(state)
            )
            details = skip_consequences(self.desk.exercise, inject_id, self.desk.texts)
            self._confirm(question, lambda: self.desk.session.skip(inject_id), details=details)

    def action_undeliver(self) -> None:
        """Take back the selected delivered inject: a yes, then the note that says why."""
        state = self.query_one(InjectsPanel).selected
        texts, exercise = self.desk.texts, self.desk.exercise
        if state is None or state.status != "delivered":
            self.notify(texts("notify.pick_delivered"), severity="warning")
            self.action_page("injects")
            return
        inject_id = state.spec.id
        refusal = exercise.undeliver_refusal(inject_id)
        if refusal is not None:  # said before anything is asked, and nothing is journaled
            reason = refusal_text(exercise, refusal, texts)  # says what cannot be, and why
            self.notify(reason[:1].upper() + reason[1:], severity="error")
            return
        question = texts("confirm.undeliver", inject=inject_id, title=self._inject_title(state))

        def answered(yes: bool | None) -> None:
            if yes:
                self.open_form(UndeliverForm(self.desk, inject_id))

        details = undeliver_consequences(exercise, inject_id, texts)
        # Not irreversible: the inject can be delivered again.
        confirm = ConfirmScreen(self.desk, question, irreversible=False, details=details)
        self.app.push_screen(confirm, answered)

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
        teams = self.query_one(TeamsPanel)
        # The team under the cursor only when the facilitator is in the teams panel;
        # otherwise the form offers the team of the last action.
        team = teams.selected if teams.table.has_focus else None
        injects = self.query_one(InjectsPanel)
        # In the injects panel (its list or its detail), the highlighted inject's first
        # open expectation fills the form: its team, action and target.
        inject = injects.selected if injects.has_focus_within else None
        expected = next(
            (
                state
                for state in self.desk.exercise.expectations.values()
                if inject is not None
                and state.inject == inject.spec.id
                and state.status in ("pending", "missed")
            ),
            None,
        )
        target = self.query_one(InfraPanel).selected
        self.open_form(ActionForm(self.desk, team=team, target=target, expected=expected))

    def action_cancel_action(self) -> None:
        """Cancel an action in progress (after a yes)."""
        if not any(action.active for action in self.desk.exercise.actions.values()):
            self.notify(self.desk.texts("notify.no_active"), severity="warning")
            return

        def chosen(action_id: str | None) -> None:
            if action_id is not None:
                question = self.desk.texts("confirm.cancel_action", action=action_id)
                # What cancelling loses, rather than a bare "this cannot be undone".
                hint = self.desk.texts("confirm.cancel_hint")
                self._confirm(question, lambda: self.desk.session.cancel(action_id), hint=hint)

        self.app.push_screen(CancelActionForm(self.desk), chosen)

    def action_confirm_record(self) -> None:
        """Confirm a team's decision record as meeting its expectation (after a yes)."""
        if not unconfirmed_records(self.desk.exercise):
            self.notify(self.desk.texts("notify.no_records"), severity="warning")
            return

        def chosen(expectation_id: str | None) -> None:
            if expectation_id is not None:
                question = self.desk.texts("confirm.record", expectation=expectation_id)
                self._confirm(question, lambda: self.desk.session.confirm(expectation_id))

        self.app.push_screen(ConfirmRecordForm(self.desk), chosen)

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


def main_screen(desk: Desk) -> MainScreen:
    """A main screen with its bindings described in the desk's language."""
    return localized(MainScreen, MAIN_KEYS, desk.texts)(desk)
