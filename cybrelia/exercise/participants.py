"""Participants' access to a live session: team links, who has joined, and their inputs.

Transport-neutral on purpose: the participant web console (:mod:`cybrelia.web`)
serves a :class:`Participants`, the facilitator console (:mod:`cybrelia.tui`)
shows who has joined and revokes or re-issues links through it, and neither
imports the other.

Threads.  A :class:`~cybrelia.exercise.session.Session` is driven by one thread
(the console's event loop or the headless driver) and is not safe to call from
another.  A server thread therefore never calls the session: it posts a call
to the :class:`Inbox`, and the session's thread carries it out in
:meth:`Participants.pump`, which the console calls every frame and the
headless driver while it waits.  The server waits for the answer without ever
holding up the simulation.

Tokens.  Each team's link ends in ``secrets.token_urlsafe(24)`` (192 bits).
Only SHA-256 digests are looked up, so a wrong guess costs the same time as a
near miss.  The tokens are kept beside the session file (``SESSION.links``,
readable by its owner only), so a resumed session keeps the links that were
handed out; a revoked link stays dead until the facilitator re-issues it.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, TypeVar

from cybrelia.engine.subscribers import Subscribers
from cybrelia.exercise.events import Detail
from cybrelia.exercise.session import Session
from cybrelia.exercise.types import ActionRequest, ActionState, Refusal

__all__ = [
    "SOURCE",
    "TOKEN_BYTES",
    "Hold",
    "HoldEvent",
    "Inbox",
    "Participants",
    "Presence",
    "Roster",
    "links_path",
]

#: Random bytes in a token: 192 bits, more than the 128 the issue asks for.
TOKEN_BYTES = 24
#: The journal tag of inputs a team made on its own console.
SOURCE = "team-console"

T = TypeVar("T")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def links_path(session_path: Path) -> Path:
    """Where the tokens of a session's links are kept: beside the session file."""
    return session_path.with_name(session_path.name + ".links")


@dataclass(frozen=True)
class Presence:
    """Whether a team has opened its link, when, and how many live views it has open."""

    team: str
    revoked: bool
    joined_at: float | None
    """Wall time (``time.time()``) of the first use of the current link."""
    last_seen: float | None
    clients: int


class Roster:
    """The teams' tokens and who has used them; safe to use from any thread.

    Parameters
    ----------
    teams
        The scenario's team ids.
    path
        The file the tokens are kept in (:func:`links_path`); None keeps them
        in memory only.  An existing file is read, so links survive a resume.
    """

    def __init__(self, teams: Iterable[str], path: Path | None = None) -> None:
        self._lock = threading.Lock()
        self._path = path
        self.teams: tuple[str, ...] = tuple(teams)
        stored = self._read()
        self._tokens: dict[str, str | None] = {}
        for team in self.teams:
            if team in stored:
                self._tokens[team] = stored[team]
            else:
                self._tokens[team] = secrets.token_urlsafe(TOKEN_BYTES)
        self.facilitator_token = stored.get("") or secrets.token_urlsafe(TOKEN_BYTES)
        self._digests: dict[str, str] = {}
        self._presence: dict[str, Presence] = {}
        for team in self.teams:
            self._reset(team)
        self._write()

    # --- tokens ---------------------------------------------------------------------

    def team_of(self, token: str | None) -> str | None:
        """The team whose current link ends in ``token``, or None."""
        if not token:
            return None
        with self._lock:
            return self._digests.get(_digest(token))

    def is_facilitator(self, token: str | None) -> bool:
        """Whether ``token`` is the facilitator's."""
        return bool(token) and secrets.compare_digest(
            _digest(token or ""), _digest(self.facilitator_token)
        )

    def token(self, team: str) -> str | None:
        """The team's current token (None while its link is revoked)."""
        with self._lock:
            return self._tokens[team]

    def revoke(self, team: str) -> None:
        """Make the team's link stop working; open views are closed at their next update."""
        with self._lock:
            self._tokens[team] = None
            self._reset(team)
        self._write()

    def reissue(self, team: str) -> str:
        """A new link for the team (the old one stops working); returns the new token."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        with self._lock:
            self._tokens[team] = token
            self._reset(team)
        self._write()
        return token

    def links(self, base_url: str) -> dict[str, str]:
        """``{team: join URL}`` of the teams whose links are valid."""
        base = base_url.rstrip("/")
        with self._lock:
            return {team: f"{base}/join/{tok}" for team, tok in self._tokens.items() if tok}

    # --- presence ---------------------------------------------------------------------

    def seen(self, team: str) -> None:
        """The team used its link just now."""
        now = time.time()
        with self._lock:
            old = self._presence[team]
            self._presence[team] = replace(
                old, joined_at=old.joined_at if old.joined_at is not None else now, last_seen=now
            )

    def connected(self, team: str, delta: int) -> None:
        """A live view of the team opened (+1) or closed (-1)."""
        with self._lock:
            old = self._presence[team]
            self._presence[team] = replace(old, clients=max(0, old.clients + delta))

    def presence(self) -> list[Presence]:
        """Every team's presence, in the scenario's order."""
        with self._lock:
            return [self._presence[team] for team in self.teams]

    # --- internals ------------------------------------------------------------------------

    def _reset(self, team: str) -> None:
        """Forget who used the team's previous link (the lock is held)."""
        self._digests = {_digest(t): k for k, t in self._tokens.items() if t is not None}
        self._presence[team] = Presence(team, self._tokens[team] is None, None, None, 0)

    def _read(self) -> dict[str, str | None]:
        if self._path is None or not self._path.is_file():
            return {}
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): v if isinstance(v, str) else None for k, v in data.items()}

    def _write(self) -> None:
        if self._path is None:
            return
        with self._lock:
            data: dict[str, str | None] = {"": self.facilitator_token, **self._tokens}
        text = json.dumps(data, indent=1, sort_keys=True)
        partial = self._path.with_name(self._path.name + ".partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(partial, self._path)


class Inbox:
    """Calls posted by other threads, carried out on the session's thread."""

    def __init__(self) -> None:
        self._calls: queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]]] = queue.SimpleQueue()
        self._posted = threading.Event()
        self.closed = False

    def call(self, function: Callable[[], T]) -> Future[T]:
        """Post ``function`` (any thread); its result or exception comes in the future."""
        future: Future[T] = Future()
        if self.closed:
            future.set_exception(Refusal("refusal.session_ended"))
            return future
        self._calls.put((function, future))
        self._posted.set()
        return future

    def pump(self) -> int:
        """Carry out every posted call (the session's thread); returns how many."""
        self._posted.clear()
        count = 0
        while True:
            try:
                function, future = self._calls.get_nowait()
            except queue.Empty:
                return count
            count += 1
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(function())
            except BaseException as error:  # handed to the caller, who reports it
                future.set_exception(error)

    def wait(self, timeout: float) -> bool:
        """Sleep up to ``timeout`` seconds, waking when a call is posted."""
        return self._posted.wait(timeout)

    def close(self) -> None:
        """Refuse new calls and those still waiting (the session is ending)."""
        self.closed = True
        while True:
            try:
                _, future = self._calls.get_nowait()
            except queue.Empty:
                return
            if future.set_running_or_notify_cancel():
                future.set_exception(Refusal("refusal.session_ended"))


HoldStatus = Literal["held", "accepted", "returned"]


@dataclass(frozen=True)
class Hold:
    """A team's submission waiting for the facilitator (``--approve``)."""

    id: str
    request: ActionRequest
    t: float
    status: HoldStatus = "held"
    note: str = ""
    action_id: str | None = None
    refusal: Detail | None = None
    """Why the session refused it when the facilitator accepted it (the note is its
    English text), for a console to say in words in the team's language."""


@dataclass(frozen=True)
class HoldEvent:
    """A submission held, accepted or sent back with a note."""

    t: float
    hold: Hold


class Participants:
    """The teams' access to one session: the roster, the inbox and held submissions.

    Parameters
    ----------
    session
        The live session.
    roster
        The teams' links.
    approve
        Hold every submission for the facilitator to accept or send back.
    """

    def __init__(self, session: Session, roster: Roster, *, approve: bool = False) -> None:
        self.session = session
        self.roster = roster
        self.approve = approve
        self.base_url = ""
        """Where the teams' consoles are served (``http://host:port``), once they are."""
        self.inbox = Inbox()
        self.holds: dict[str, Hold] = {}
        self._subscribers: Subscribers[HoldEvent] = Subscribers()
        self._pumped: Subscribers[None] = Subscribers()

    @classmethod
    def of(cls, session: Session, *, approve: bool = False) -> Participants:
        """Participants of a session, with links kept beside its file."""
        teams = [team.id for team in session.exercise.scenario.teams]
        return cls(session, Roster(teams, links_path(session.journal.path)), approve=approve)

    def links(self) -> dict[str, str]:
        """``{team: join URL}`` of the teams whose links are valid (any thread)."""
        return self.roster.links(self.base_url)

    def subscribe(self, callback: Callable[[HoldEvent], None]) -> Callable[[], None]:
        """Receive every hold event (on the session's thread)."""
        return self._subscribers.add(callback)

    def on_pump(self, callback: Callable[[None], None]) -> Callable[[], None]:
        """Call ``callback`` after every pump (on the session's thread)."""
        return self._pumped.add(callback)

    # --- on the session's thread ---------------------------------------------------------

    def pump(self) -> int:
        """Carry out what the teams posted, then tell who asked; call it often.

        The console calls it every frame and the headless driver while it
        waits, always from the session's thread.
        """
        count = self.inbox.pump()
        self._pumped.emit(None)
        return count

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` on the wall clock while carrying out what the teams post."""
        deadline = time.monotonic() + seconds
        while True:
            self.pump()
            left = deadline - time.monotonic()
            if left <= 0:
                return
            self.inbox.wait(left)

    def submit(self, request: ActionRequest) -> ActionState | Hold:
        """A team's own submission: held for approval, or submitted now.

        Raises :class:`Refusal` with the session's reason when it cannot be
        carried out (or names a team that does not exist).
        """
        if request.team not in self.roster.teams:
            raise Refusal("refusal.unknown_team", team=request.team)
        if self.approve:
            hold = Hold(f"H{len(self.holds) + 1:03d}", request, self.session.now)
            self._hold(hold)
            return hold
        with self._source():
            return self.session.submit(request)

    def accept(self, hold_id: str) -> ActionState:
        """The facilitator accepts a held submission: it is submitted now."""
        hold = self._held(hold_id)
        try:
            with self._source(hold=hold_id):
                state = self.session.submit(hold.request)
        except Refusal as refusal:
            said = Detail(refusal.key, refusal.fields)
            self._hold(replace(hold, status="returned", note=str(refusal), refusal=said))
            raise
        self._hold(replace(hold, status="accepted", action_id=state.id))
        return state

    def send_back(self, hold_id: str, note: str) -> None:
        """The facilitator returns a held submission to its team with a note."""
        self._hold(replace(self._held(hold_id), status="returned", note=note))

    def close(self) -> None:
        """The session is ending: refuse whatever is still posted."""
        self.inbox.close()

    # --- internals ------------------------------------------------------------------------

    @contextmanager
    def _source(self, **more: str) -> Iterator[None]:
        with self.session.tagged(source=SOURCE, **more):
            yield

    def _held(self, hold_id: str) -> Hold:
        hold = self.holds.get(hold_id)
        if hold is None or hold.status != "held":
            raise Refusal("refusal.no_hold", hold=hold_id)
        return hold

    def _hold(self, hold: Hold) -> None:
        self.holds[hold.id] = hold
        self._subscribers.emit(HoldEvent(self.session.now, hold))
