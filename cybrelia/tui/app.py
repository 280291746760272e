"""The console application and ``run_play``, the entry point of ``cybrelia play``.

The clock runs from a Textual timer: every :data:`FRAME_SECONDS` the app hands
the session the wall time that passed (``session.tick``) and redraws what
changed.  Input is never blocked by the clock; every facilitator move is a
Session call made from a key binding or the command palette.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, ExitStack, suppress
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, cast

import yaml
from rich.console import RenderableType
from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen
from textual.timer import Timer

from cybrelia.exercise.journal import JournalError
from cybrelia.exercise.participants import Participants
from cybrelia.exercise.session import Session, default_session_path
from cybrelia.exercise.types import Refusal
from cybrelia.files import library
from cybrelia.files.diagnostics import ValidationFailed
from cybrelia.files.scenario import SCENARIO_FORMAT
from cybrelia.i18n import Texts, detect_lang, message_text
from cybrelia.tui.context import Desk
from cybrelia.tui.forms import ConfirmScreen
from cybrelia.tui.keys import MAIN_KEYS, PARTICIPANT_KEYS, localized
from cybrelia.tui.palette import Palette, localize_palette_binding
from cybrelia.tui.participants import ParticipantsScreen
from cybrelia.tui.screens import HelpScreen, MainScreen, PickerScreen, main_screen, redraw_all
from cybrelia.tui.screens.picker import recent_sessions

__all__ = [
    "FRAME_SECONDS",
    "START_SPEED",
    "CybreliaApp",
    "bundled_scenarios",
    "has_terminal",
    "new_session",
    "run_play",
]

#: How often the clock ticks and the screens redraw (seconds).
FRAME_SECONDS = 0.05
#: A tick never lets more wall time than this pass: if the machine stalls, the
#: simulation slows down rather than jumping ahead.
MAX_TICK_SECONDS = 0.25

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

#: A new session starts paused at this speed (sim minutes per real second): an hour of
#: the scenario in a minute, slow enough for the room to read an inject before the
#: next one comes (the session's own default, 10, ran the 72 h of Mokry śnieg in about
#: seven minutes).  docs/tui.md, "The clock".
START_SPEED = 1.0


def new_session(scenario: Path, path: Path | None) -> Session:
    """A new session of ``scenario`` for the console: paused, at :data:`START_SPEED`."""
    session = Session.create(scenario, path)
    session.set_speed(START_SPEED)
    return session


class CybreliaApp(App[int]):
    """The facilitator console.

    Parameters
    ----------
    session
        The session to run; None to start from the scenario picker.
    texts
        The labels' language.
    scenarios
        Scenario files offered by the picker, with their titles.
    session_path
        Where the picker's new session is written (the per-user default if None).
    clock
        Run the timer.  Tests pass False and call :meth:`frame` themselves, so
        sim time moves only when they say.
    hold
        Forms, dialogs and the help screen pause the clock while they are open
        and put back the run state when the last one closes (``k`` toggles it).
    """

    TITLE = "CYBRELIA"
    CSS_PATH = Path(__file__).with_name("console.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", show=False, priority=True),
        Binding("w", "participants", show=False),
    ]
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        session: Session | None,
        texts: Texts,
        *,
        scenarios: Iterable[tuple[Path, str]] = (),
        session_path: Path | None = None,
        clock: bool = True,
        participants: Participants | None = None,
        hold: bool = True,
        missing_session: Path | None = None,
        recent: list[Path] | None = None,
    ) -> None:
        super().__init__()
        localize_palette_binding(self._bindings, texts)
        self.session = session
        self.participants = participants
        self.texts = texts
        self.desk: Desk | None = Desk.of(session, texts, hold=hold) if session is not None else None
        self.scenarios = list(scenarios)
        self.session_path = session_path
        self.use_clock = clock
        self.frames = 0
        self._last_frame = time.monotonic()
        self._timer: Timer | None = None
        self.hold = hold
        self._held = False
        self._resume_after_hold = False
        self.missing_session = missing_session
        self.recent = recent or []

    def on_mount(self) -> None:
        if self.desk is not None:
            self.push_screen(main_screen(self.desk))
        else:
            self.push_screen(
                PickerScreen(
                    self.texts,
                    self.scenarios,
                    missing_session=self.missing_session,
                    recent=self.recent,
                )
            )
        if self.use_clock:
            self._last_frame = time.monotonic()
            self._timer = self.set_interval(FRAME_SECONDS, self._on_timer)

    def exit(
        self, result: int | None = None, return_code: int = 0, message: RenderableType | None = None
    ) -> None:
        """Leave the console; the clock stops first.

        Textual takes the screens down after this returns, and a clock tick that
        landed in between would redraw widgets that are already gone.
        """
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        super().exit(result, return_code, message)

    # --- the clock ----------------------------------------------------------------------

    def _on_timer(self) -> None:
        now = time.monotonic()
        elapsed = now - self._last_frame
        if self.desk is None or not self.desk.mode.wall_time:
            elapsed = min(elapsed, MAX_TICK_SECONDS)
        self._last_frame = now
        self.frame(elapsed)

    def holding(self) -> bool:
        """Whether a form, a dialog or the help screen is open (they hold the clock)."""
        return any(isinstance(s, ModalScreen | HelpScreen) for s in self.screen_stack)

    def check_hold(self) -> None:
        """Pause the clock when a form or dialog opens; resume when the last one closes.

        Only a clock that was running is resumed, and only if the facilitator did
        not stop it meanwhile; with ``hold`` off or in wall-time mode nothing waits.
        """
        session, desk = self.session, self.desk
        if session is None or desk is None:
            return
        held = self.holding()
        if held == self._held:
            return
        self._held = held
        if held:
            if session.running and desk.mode.holds:
                self._pause(session)
                self._resume_after_hold = True
        elif self._resume_after_hold:
            self._resume_after_hold = False
            if not session.running and session.now < session.end:
                try:
                    session.resume()
                except (Refusal, JournalError) as error:
                    self.notify(
                        self.texts("notify.journal", reason=message_text(error, self.texts.lang)),
                        severity="error",
                    )

    def _pause(self, session: Session) -> None:
        try:
            session.pause()
        except (Refusal, JournalError) as error:
            self.notify(
                self.texts("notify.journal", reason=message_text(error, self.texts.lang)),
                severity="error",
            )
            session.running = False

    def frame(self, elapsed: float) -> None:
        """Let ``elapsed`` wall seconds pass on the session's clock, then redraw."""
        session = self.session
        if self.participants is not None:
            self.participants.pump()  # the teams' submissions, carried out on this thread
        self.check_hold()
        if session is not None and session.running:
            try:
                session.tick(elapsed)
            except (Refusal, JournalError) as error:
                self.notify(
                    self.texts("notify.journal", reason=message_text(error, self.texts.lang)),
                    severity="error",
                )
                if session.running:
                    try:
                        session.pause()
                    except (Refusal, JournalError):
                        session.running = False
        self.redraw()
        self.frames += 1

    def redraw(self) -> None:
        """Redraw every live screen from the session's state."""
        redraw_all(self.screen_stack)

    # --- starting from the picker ---------------------------------------------------------

    @on(PickerScreen.Chosen)
    def _scenario_chosen(self, event: PickerScreen.Chosen) -> None:
        self._start(lambda: new_session(event.path, self.session_path))

    @on(PickerScreen.Resume)
    def _session_chosen(self, event: PickerScreen.Resume) -> None:
        self._start(lambda: Session.open(event.path))

    def _start(self, open_session: Callable[[], Session]) -> None:
        """Open the picker's choice; say in the picker why it cannot be opened."""
        picker = self.screen
        try:
            self.session = open_session()
        except ValidationFailed as failure:
            message = "\n".join(str(d) for d in failure.diagnostics[:8])
            if isinstance(picker, PickerScreen):
                picker.show_error(self.texts("error.invalid_scenario", details=message))
            return
        except (JournalError, OSError) as error:
            if isinstance(picker, PickerScreen):
                picker.show_error(
                    self.texts("error.session", reason=message_text(error, self.texts.lang))
                )
            return
        self.desk = Desk.of(self.session, self.texts, hold=self.hold)
        self.switch_screen(main_screen(self.desk))

    # --- language ---------------------------------------------------------------------------

    @on(MainScreen.LanguageSwitch)
    def _switch_language(self) -> None:
        if self.desk is None:
            return
        self.texts = self.texts.other()
        localize_palette_binding(self._bindings, self.texts)
        self.desk = self.desk.in_language(self.texts)
        self.switch_screen(main_screen(self.desk))

    # --- quitting -------------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Leave the console after a yes (the session stays saved and can be resumed)."""
        if self.desk is None:
            self.exit(EXIT_OK)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit(EXIT_OK)

        if not isinstance(self.screen, ConfirmScreen):
            question = self.texts("confirm.quit")
            self.push_screen(ConfirmScreen(self.desk, question, irreversible=False), answered)

    # --- the teams' consoles -------------------------------------------------------------

    def action_participants(self) -> None:
        """Open the joined-teams panel (``w``), when the teams' consoles are served."""
        if self.desk is None or isinstance(self.screen, ParticipantsScreen):
            return
        if self.participants is None:
            self.notify(self.texts("participants.not_served"))
            return
        screen = localized(ParticipantsScreen, PARTICIPANT_KEYS, self.desk.texts)
        self.push_screen(screen(self.desk, self.participants))

    # --- command palette --------------------------------------------------------------------

    def action_command_palette(self) -> None:
        """Open the command palette, in the console's language."""
        if self.use_command_palette and not Palette.is_open(cast("App[object]", self)):
            self.push_screen(Palette(self.texts, id="--command-palette"))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The facilitator's moves (the same as the keys), then Textual's theme picker."""
        if isinstance(screen, MainScreen):
            texts = screen.desk.texts
            for key in MAIN_KEYS:
                if key.palette:
                    yield SystemCommand(
                        texts(key.label),
                        texts("palette.key", key=key.display or key.keys),
                        partial(screen.run_action, key.action),
                    )
        if self.participants is not None and isinstance(screen, MainScreen):
            yield SystemCommand(
                self.texts("participants.title"),
                self.texts("palette.key", key="w"),
                self.action_participants,
            )
        yield SystemCommand(
            self.texts("palette.theme"), self.texts("palette.theme_help"), self.action_change_theme
        )


# --- run_play ---------------------------------------------------------------------------------


def bundled_scenarios() -> list[tuple[Path, str]]:
    """The bundled scenario files with their titles (unreadable files left out)."""
    found = []
    for path in library.bundled_scenarios():
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        if isinstance(data, dict) and data.get("format") == SCENARIO_FORMAT:
            found.append((path, str(data.get("title") or data.get("id") or path.stem)))
    return found


def has_terminal() -> bool:
    """Whether the console has a terminal to draw on and to read keys from."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def run_play(
    scenario: Path | None,
    session: Path | None,
    lang: str | None,
    serve: Callable[[Session], AbstractContextManager[Participants]] | None = None,
) -> int:
    """Open the facilitator console; the exit code of ``cybrelia play``.

    An existing ``session`` file is resumed exactly where it stopped (paused);
    otherwise a new session of ``scenario`` is created there (or under the
    per-user data directory).  With neither, the bundled scenarios are offered.
    Errors (an invalid scenario, a file that is not a session) are printed as
    messages, never as a traceback: exit code 1, or 2 for an unknown language.
    With ``serve``, the teams' consoles are served for as long as the console
    runs (``cybrelia play --serve``); the console carries out their submissions.
    """
    try:
        texts = Texts(detect_lang(lang))
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    if not has_terminal():
        # Without a terminal Textual would run blind, spinning a core for nothing.
        print(texts("error.no_terminal"), file=sys.stderr)
        return EXIT_USAGE
    opened: Session | None = None
    try:
        if session is not None and session.exists():
            opened = Session.open(session, scenario=scenario)
        elif scenario is not None:
            opened = new_session(scenario, session)
    except ValidationFailed as failure:
        print(texts("error.invalid_scenario", details=""), file=sys.stderr)
        for diagnostic in failure.diagnostics:
            print(diagnostic, file=sys.stderr)
        return EXIT_INVALID
    except JournalError as error:
        print(texts("error.session", reason=error.text(texts.lang)), file=sys.stderr)
        return EXIT_INVALID
    except OSError as error:
        print(texts("error.session", reason=str(error)), file=sys.stderr)
        return EXIT_INVALID
    scenarios = bundled_scenarios() if opened is None else []
    if opened is None and not scenarios:
        print(texts("picker.none"), file=sys.stderr)
        return EXIT_INVALID
    missing = session if opened is None and session is not None else None
    if missing is not None:
        # Said before the picker takes the screen, and again in it.
        print(texts("picker.no_session", path=str(missing)), file=sys.stderr)
    with ExitStack() as stack:
        participants = None
        if serve is not None and opened is not None:
            try:
                participants = stack.enter_context(serve(opened))
            except OSError as error:
                opened.close()
                print(texts("error.session", reason=str(error)), file=sys.stderr)
                return EXIT_INVALID
        app = CybreliaApp(
            opened,
            texts,
            scenarios=scenarios,
            session_path=session,
            participants=participants,
            missing_session=missing,
            recent=recent_sessions(default_session_path("x").parent) if opened is None else [],
        )
        try:
            result = app.run()
        except KeyboardInterrupt:
            result = 130
        finally:
            stack.close()  # the teams' consoles stop before the session closes
            if app.session is not None:
                if app.session.running:
                    with suppress(Refusal, JournalError):
                        app.session.pause()
                path = app.session.journal.path
                app.session.close()
                print(app.texts("saved", path=str(path)), file=sys.stderr)
    return EXIT_OK if result is None else int(result)
