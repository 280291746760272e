"""The exercise session API: the clock, the facilitator's and teams' inputs, the journal.

A :class:`Session` is what the TUI, the headless driver and (later) a network
transport for participant consoles drive.  Every input goes to the journal
first, committed, then to the :class:`~cybrelia.exercise.core.Exercise`; the
session's state is always the replay of its journal.  Clients read state
from ``session.exercise`` and receive events through :meth:`Session.subscribe`;
nothing here depends on how they are shown.

The clock runs in sim time: ``speed`` is sim minutes per real second, and a
client calls :meth:`Session.tick` with the real seconds that passed (the TUI
from a timer, the driver from its pacing loop).  The session never reads the
wall clock to move the simulation, so a replay does not depend on it.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path
from typing import Any

import platformdirs

from cybrelia.engine.subscribers import Subscribers
from cybrelia.exercise.core import Exercise
from cybrelia.exercise.events import ClockChanged, ExerciseEvent
from cybrelia.exercise.inputs import checked_inputs, journal_seed
from cybrelia.exercise.journal import Input, Journal, JournalError
from cybrelia.exercise.lock import SessionLock
from cybrelia.exercise.types import ActionRequest, ActionState, Rating, Refusal
from cybrelia.files.diagnostics import ValidationFailed
from cybrelia.files.durations import quantize
from cybrelia.files.responses import Responses
from cybrelia.files.sanitize import one_line, slug
from cybrelia.files.validation import LoadedScenario, load_responses, load_scenario

__all__ = [
    "TEAM_INPUTS",
    "ScenarioMismatch",
    "Session",
    "capability_payload",
    "check_same_scenario",
    "default_session_path",
    "load_journal_reference",
    "load_journal_scenario",
    "rating_payload",
    "reference_path",
    "replay_into",
    "request_payload",
    "scenario_files",
]

#: Inputs that are the teams' own decisions; the no-action baseline leaves them out.
TEAM_INPUTS = frozenset({"action", "cancel", "rate", "rate_capability", "confirm"})
#: The journal records clock progress at most this often (wall seconds); inputs
#: themselves are always recorded at once.
ADVANCE_RECORD_SECONDS = 1.0


def default_session_path(scenario_id: str) -> Path:
    """A new session file under the per-user data directory.

    The scenario's id becomes part of the file name only as a slug, so an id
    such as ``../../etc/x`` cannot place the session outside the sessions folder.
    """
    base = Path(platformdirs.user_data_dir("cybrelia", appauthor=False)) / "sessions"
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return base / f"{slug(scenario_id, 'scenario')}-{stamp}.cybrelia"


class ScenarioMismatch(JournalError):
    """The scenario named to resume a session is not the one the session was started with."""


class Session:
    """A live exercise with its journal.

    Use :meth:`create` for a new session and :meth:`open` to resume one.
    """

    def __init__(
        self, exercise: Exercise, journal: Journal, lock: SessionLock | None = None
    ) -> None:
        self.exercise = exercise
        self.journal = journal
        self.lock = lock
        self.running = False
        self.speed = 10.0
        self._last_advance_record = 0.0
        self._tag: dict[str, Any] = {}
        self._subscribers: Subscribers[ExerciseEvent] = Subscribers()
        exercise.subscribe(self._subscribers.emit)

    # --- opening --------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        scenario_path: str | os.PathLike[str],
        session_path: str | os.PathLike[str] | None = None,
        *,
        seed: int | None = None,
    ) -> Session:
        """Start a new session of a scenario file (validated first)."""
        loaded = load_scenario(scenario_path)
        files, scenario_key = scenario_files(loaded)
        path = (
            Path(session_path)
            if session_path is not None
            else default_session_path(loaded.scenario.id or "scenario")
        )
        seed = loaded.scenario.seed if seed is None else seed
        if path.exists():
            raise JournalError("journal.exists", path=path)
        lock = SessionLock(path).acquire()  # before the file exists: one creator only
        try:
            journal = Journal.create(path, scenario=scenario_key, files=files, seed=seed)
        except BaseException:
            lock.release()
            raise
        return cls(Exercise(loaded, seed=seed), journal, lock)

    @classmethod
    def open(
        cls,
        session_path: str | os.PathLike[str],
        *,
        scenario: str | os.PathLike[str] | None = None,
    ) -> Session:
        """Resume a session: replay its journal to exactly the state it had.

        The session is locked for writing by this process until :meth:`close`.

        Parameters
        ----------
        session_path
            The session file.
        scenario
            The scenario the caller means to continue (a command line's
            ``SCENARIO``); refused with :class:`ScenarioMismatch` unless it is
            the one recorded.  None continues the recorded one.

        Raises
        ------
        SessionBusy
            If another process has the session open for writing.
        JournalError
            If the journal is damaged, names the first bad input.
        """
        lock = SessionLock(session_path).acquire()
        try:
            journal = Journal.open(session_path, write=True)
        except BaseException:
            lock.release()
            raise
        try:
            loaded = load_journal_scenario(journal)
            if scenario is not None:
                check_same_scenario(journal, loaded, scenario)
            exercise = Exercise(loaded, seed=journal_seed(journal))
            session = cls(exercise, journal, lock)
            for entry in checked_inputs(journal, loaded.scenario.duration):
                session._replay(entry)
        except BaseException:
            journal.close()
            lock.release()
            raise
        return session

    # --- reading --------------------------------------------------------------------

    @property
    def now(self) -> float:
        """Sim time in hours."""
        return self.exercise.now

    @property
    def end(self) -> float:
        """The scenario's end (its duration)."""
        return self.exercise.scenario.duration

    def subscribe(self, callback: Callable[[ExerciseEvent], None]) -> Callable[[], None]:
        """Receive every event from now on; returns a function that unsubscribes."""
        return self._subscribers.add(callback)

    # --- the clock --------------------------------------------------------------------

    def pause(self) -> None:
        """Stop the clock."""
        self._record("clock", {"running": False, "speed": self.speed})
        self.running = False
        self._clock_changed()

    def resume(self) -> None:
        """Start the clock."""
        if self.now >= self.end:
            raise Refusal("refusal.scenario_ended")
        self._record("clock", {"running": True, "speed": self.speed})
        self.running = True
        self._clock_changed()

    def set_speed(self, speed: float) -> None:
        """Sim minutes per real second (60 makes an hour pass each second)."""
        if not speed > 0:
            raise Refusal("refusal.speed_not_positive")
        self._record("clock", {"running": self.running, "speed": speed})
        self.speed = speed
        self._clock_changed()

    def tick(self, real_seconds: float) -> None:
        """Let ``real_seconds`` pass on the wall clock: the simulation moves if running."""
        if not self.running or real_seconds <= 0:
            return
        target = min(self.end, quantize(self.now + self.speed * real_seconds / 60.0))
        self.exercise.advance_to(target)
        wall = time.monotonic()
        if target >= self.end:
            self._record("advance", {"to": target})
            self.pause()
        elif wall - self._last_advance_record >= ADVANCE_RECORD_SECONDS:
            self._last_advance_record = wall
            self._record("advance", {"to": target})

    def advance_to(self, t: float) -> None:
        """Jump the simulation to ``t`` (hours), delivering what falls due on the way."""
        if t < self.now:
            raise Refusal("refusal.clock_back")
        t = min(quantize(t), self.end)
        self._record("advance", {"to": t})
        self.exercise.advance_to(t)

    def jump_to_next_inject(self) -> float | None:
        """Jump to the next timed inject and deliver it; returns its time."""
        due = self.exercise.next_due()
        if due is not None:
            self.advance_to(due)
        return due

    # --- the facilitator's inputs -------------------------------------------------------

    def deliver(self, inject_id: str) -> None:
        """Deliver a pending inject now."""
        self._input("deliver", {"inject": inject_id})

    def skip(self, inject_id: str) -> None:
        """Never deliver a pending inject."""
        self._input("skip", {"inject": inject_id})

    def undeliver(self, inject_id: str, note: str) -> None:
        """Take back a delivered inject, with the facilitator's ``note`` saying why.

        The journal records the note with the input; a refusal (no note, effects
        that have happened) is recorded too and replays as refused.
        """
        self._input("undeliver", {"inject": inject_id, "note": note})

    def edit(self, inject_id: str, changes: dict[str, Any]) -> None:
        """Change a pending inject before it is delivered."""
        self._input("edit", {"inject": inject_id, "changes": changes})

    def add_inject(self, inject: dict[str, Any]) -> str:
        """Deliver an ad-hoc inject now (title, message, to, channel, effects)."""
        inject = dict(inject)
        if "id" not in inject:
            count = sum(state.adhoc for state in self.exercise.injects.values())
            inject["id"] = f"ADHOC-{count + 1:02d}"
        self._input("adhoc", {"inject": inject})
        return str(inject["id"])

    def rate(
        self,
        inject_id: str,
        team: str,
        rating: Rating,
        note: str = "",
        *,
        analysis: str = "",
        root_cause: str = "",
    ) -> None:
        """Rate a team's response to an inject: P, S, M or U, with an observation.

        ``analysis`` and ``root_cause`` are journaled only when given, so a
        journal of an earlier version and one of today hold the same inputs.
        """
        self._input("rate", rating_payload(inject_id, team, rating, note, analysis, root_cause))

    def rate_capability(
        self,
        capability: str,
        rating: Rating,
        note: str = "",
        *,
        team: str = "",
        analysis: str = "",
        root_cause: str = "",
    ) -> None:
        """Rate a core capability (of all teams, or of ``team``): P, S, M or U, with findings."""
        self._input(
            "rate_capability",
            capability_payload(capability, team, rating, note, analysis, root_cause),
        )

    def note(self, text: str, team: str | None = None) -> None:
        """Add a note to the decision log."""
        self._input("note", {"text": text, "team": team})

    def confirm(self, expectation_id: str) -> None:
        """Confirm that a team's note is the decision record an expectation asks for."""
        self._input("confirm", {"expectation": expectation_id})

    # --- the teams' inputs ----------------------------------------------------------------

    def submit(self, request: ActionRequest) -> ActionState:
        """Submit a team's action; raises :class:`Refusal` (recorded too) if impossible."""
        self._record("action", request_payload(request))
        return self.exercise.submit(request)

    def cancel(self, action_id: str) -> None:
        """Cancel a queued or running action."""
        self._input("cancel", {"action": action_id})

    def close(self) -> None:
        """Close the journal and give up its lock; the session can be opened again later."""
        self.journal.close()
        if self.lock is not None:
            self.lock.release()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextmanager
    def tagged(self, **tag: Any) -> Iterator[None]:
        """Record ``tag`` with every input made inside the block.

        The headless driver tags each input with its place in the response
        script, so a resumed run knows exactly what it had done.
        """
        self._tag = {"_" + key: value for key, value in tag.items()}
        try:
            yield
        finally:
            self._tag = {}

    # --- internals ------------------------------------------------------------------------

    def _input(self, kind: str, payload: dict[str, Any]) -> None:
        self._record(kind, payload)
        _apply(self.exercise, kind, payload)

    def _record(self, kind: str, payload: dict[str, Any]) -> Input:
        return self.journal.append(kind, self.now, {**payload, **self._tag})

    def _replay(self, entry: Input) -> None:
        replay_into(self.exercise, [entry], journal_path=self.journal.path)
        if entry.kind == "clock":
            self.speed = float(entry.payload["speed"])  # but a resumed session starts paused

    def _clock_changed(self) -> None:
        self._subscribers.emit(ClockChanged(self.now, self.running, self.speed))


def _apply(exercise: Exercise, kind: str, payload: dict[str, Any]) -> None:
    """Carry out one recorded input on an exercise (live and in replay alike)."""
    if kind == "deliver":
        exercise.deliver(payload["inject"])
    elif kind == "skip":
        exercise.skip(payload["inject"])
    elif kind == "undeliver":
        exercise.undeliver(payload["inject"], payload["note"])
    elif kind == "edit":
        exercise.edit(payload["inject"], payload["changes"])
    elif kind == "adhoc":
        exercise.add_inject(payload["inject"])
    elif kind == "action":
        exercise.submit(_request_from(payload))
    elif kind == "cancel":
        exercise.cancel(payload["action"])
    elif kind == "rate":
        exercise.rate(
            payload["inject"],
            payload["team"],
            payload["rating"],
            payload["note"],
            analysis=payload.get("analysis", ""),
            root_cause=payload.get("root_cause", ""),
        )
    elif kind == "rate_capability":
        exercise.rate_capability(
            payload["capability"],
            payload["rating"],
            payload["note"],
            team=payload.get("team", ""),
            analysis=payload.get("analysis", ""),
            root_cause=payload.get("root_cause", ""),
        )
    elif kind == "note":
        exercise.note(payload["text"], payload.get("team"))
    elif kind == "confirm":
        exercise.confirm(payload["expectation"])
    elif kind == "advance":
        exercise.advance_to(float(payload["to"]))
    elif kind != "clock":
        raise JournalError("journal.unknown_kind", kind=repr(kind))


def rating_payload(
    inject_id: str, team: str, rating: Rating, note: str, analysis: str, root_cause: str
) -> dict[str, Any]:
    """A rating of a team's response to an inject as the journal records it."""
    payload = {"inject": inject_id, "team": team, "rating": rating, "note": note}
    return {**payload, **_findings(analysis, root_cause)}


def capability_payload(
    capability: str, team: str, rating: Rating, note: str, analysis: str, root_cause: str
) -> dict[str, Any]:
    """A rating of a core capability as the journal records it."""
    payload = {"capability": capability, "team": team, "rating": rating, "note": note}
    return {**payload, **_findings(analysis, root_cause)}


def _findings(analysis: str, root_cause: str) -> dict[str, str]:
    """The HSEEP fields of a rating that were given (only those: a journal of an earlier
    version and one of today hold the same inputs)."""
    return {
        key: value for key, value in (("analysis", analysis), ("root_cause", root_cause)) if value
    }


def replay_into(
    exercise: Exercise,
    inputs: list[Input],
    *,
    team_inputs: bool = True,
    journal_path: Path | None = None,
) -> None:
    """Replay recorded inputs into an exercise (without them: the no-action baseline).

    Raises
    ------
    JournalError
        Naming the first input that cannot be replayed (a tampered journal).
    """
    for entry in inputs:
        if not team_inputs and entry.kind in TEAM_INPUTS:
            continue
        try:
            exercise.advance_to(entry.sim_time)
            with suppress(Refusal):  # refused the first time too, and recorded as such
                _apply(exercise, entry.kind, entry.payload)
        except JournalError:
            raise
        except Exception as error:  # a tampered input can break anything: name it
            reason = f"{type(error).__name__}: {one_line(str(error))}"
            where = {} if journal_path is None else {"path": journal_path}
            key = "journal.cannot_replay" if where else "journal.cannot_replay_input"
            raise JournalError(key, seq=entry.seq, kind=entry.kind, error=reason, **where) from None


def request_payload(request: ActionRequest) -> dict[str, Any]:
    """An action request as the journal records it."""
    return {
        "team": request.team,
        "action": request.action,
        "target": request.target,
        "params": request.params,
        "note": request.note,
        "priority": request.priority,
        **({"ref": request.ref} if request.ref is not None else {}),
    }


def _request_from(payload: dict[str, Any]) -> ActionRequest:
    return ActionRequest(
        payload["team"],
        payload["action"],
        payload.get("target"),
        dict(payload.get("params") or {}),
        payload.get("note", ""),
        int(payload.get("priority", 0)),
        payload.get("ref"),
    )


def scenario_files(loaded: LoadedScenario) -> tuple[dict[str, str], str]:
    """The scenario and model texts, laid out so the scenario's relative path still works."""
    relative = Path(os.path.normpath(loaded.scenario.infrastructure))
    ups = sum(1 for part in relative.parts if part == "..")
    base = Path(*[f"d{i}" for i in range(ups)]) if ups else Path()
    scenario_key = (base / loaded.scenario_path.name).as_posix()
    model_key = os.path.normpath(base / relative).replace(os.sep, "/")
    files = {
        scenario_key: loaded.scenario_path.read_text(encoding="utf-8"),
        model_key: loaded.model_path.read_text(encoding="utf-8"),
    }
    reference = reference_path(loaded.scenario_path)
    if reference.is_file():  # the scenario's own script: the outcome index's reference
        files[reference_path(Path(scenario_key)).as_posix()] = reference.read_text(encoding="utf-8")
    return files, scenario_key


def check_same_scenario(
    journal: Journal, recorded: LoadedScenario, named: str | os.PathLike[str]
) -> None:
    """Refuse to continue a session with another scenario than the one it recorded.

    The recorded scenario is what a resumed session plays (later edits of the
    file cannot change a replay), so naming a different one is a mistake:
    its id must be the recorded scenario's.

    Raises
    ------
    ScenarioMismatch
        If ``named`` is another scenario.
    ValidationFailed
        If ``named`` is not a valid scenario.
    """
    loaded = load_scenario(named)
    if loaded.scenario.id != recorded.scenario.id:
        raise ScenarioMismatch(
            "journal.other_scenario",
            path=journal.path,
            recorded=repr(recorded.scenario.id),
            named=repr(loaded.scenario.id),
            file=named,
        )


def reference_path(scenario: Path) -> Path:
    """Where a scenario's bundled response script lies: the outcome index's reference."""
    return scenario.with_name(scenario.stem + ".responses.yaml")


@contextmanager
def _journal_folder(journal: Journal) -> Iterator[Path]:
    """The files stored in a journal, laid out in a private temporary folder.

    A stored path is written only if it stays inside the folder, so a tampered
    journal cannot write anywhere else.

    Raises
    ------
    JournalError
        If the stored files are damaged, missing, or lie outside the folder.
    """
    files = journal.files()
    scenario_key = journal.meta["scenario"]
    if scenario_key not in files:
        raise JournalError("journal.no_scenario", path=journal.path, scenario=repr(scenario_key))
    with tempfile.TemporaryDirectory(prefix="cybrelia-") as folder:
        root = Path(folder).resolve()
        for key, text in files.items():
            target = (root / key).resolve()
            if not target.is_relative_to(root) or target == root:
                raise JournalError("journal.file_outside", path=journal.path, file=repr(key))
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
            except (OSError, UnicodeError) as error:
                raise JournalError(
                    "journal.file_unreadable", path=journal.path, file=repr(key), error=error
                ) from None
        yield root


def load_journal_scenario(journal: Journal) -> LoadedScenario:
    """Load the scenario and model texts stored in a journal.

    Raises
    ------
    JournalError
        If the stored files are damaged, missing, or lie outside their folder.
    ValidationFailed
        If the stored scenario is not valid for this version (named by the journal).
    """
    with _journal_folder(journal) as root:
        try:
            return load_scenario(root / journal.meta["scenario"])
        except ValidationFailed as failure:  # damaged, or no longer valid: name the journal
            raise ValidationFailed(
                replace(d, file=f"{journal.path} (stored {Path(d.file).relative_to(root)})")
                if Path(d.file).is_relative_to(root)
                else d
                for d in failure.diagnostics
            ) from None


def load_journal_reference(journal: Journal) -> Responses | None:
    """The scenario's bundled response script as stored in the journal, if it was there."""
    with _journal_folder(journal) as root:
        path = reference_path(root / journal.meta["scenario"])
        return load_responses(path) if path.is_file() else None
