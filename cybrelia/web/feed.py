"""The bulletin: what each team may see, numbered, kept for the server thread to read.

The session's thread feeds the bulletin (it subscribes to the session's events
and to the participants' held submissions); the server's thread reads it.
Everything crossing between them is a JSON-ready dict built once, under one
short lock, so serving thirty phones never reaches into the simulation.

Items have a sequence number ``seq`` (1, 2, ...), which is the SSE event id: a
client that reconnects with ``Last-Event-ID`` gets exactly the items after it.
Who sees an item is its ``to``: the teams an inject or message was addressed
to, the team whose action it is, every team for the media.  Items addressed to
nobody (an inject with no teams) are the facilitator's only.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from cybrelia.exercise.core import Exercise
from cybrelia.exercise.events import ActionEvent, Detail, ExerciseEvent, InjectEvent, MessageEvent
from cybrelia.exercise.participants import Hold, HoldEvent, Participants
from cybrelia.exercise.types import ActionState
from cybrelia.exercise.wording import action_detail_text, consequence_text, detail_text
from cybrelia.headless.timeline import clock_label
from cybrelia.i18n import LANGUAGES, Texts, both

__all__ = ["MEDIA_TOPICS", "TEAM_KINDS", "Bulletin", "Item"]

Item = dict[str, Any]
#: The kinds of item a team sees.
TEAM_KINDS = ("inject", "message", "action", "media")
#: Consequence messages that are posts in the media (the rumour model's).
MEDIA_TOPICS = frozenset({"claim_spreading"})
#: Fields some items have; the others have them as None, so every item has the same keys.
OPTIONAL = (
    "channel",
    "title",
    "status",
    "action",
    "target",
    "target_label",
    "team",
    "topic",
    "action_id",
)
#: The figures are recomputed at most this often (wall seconds) while only the clock moves.
REFRESH_SECONDS = 0.5
#: Asset states, worst first (the order of a team's asset list).
STATE_ORDER = {"down": 0, "backup": 1, "up": 2}


class Bulletin:
    """Every item of a session, and each team's figures, for the server to read.

    Parameters
    ----------
    participants
        The session's participants: the bulletin subscribes to its session and
        to its held submissions, and refreshes the figures after each pump.
    on_change
        Called on the session's thread after something was added (the server
        wakes its streams with it); must not block.
    """

    def __init__(
        self, participants: Participants, on_change: Callable[[], None] | None = None
    ) -> None:
        self.participants = participants
        self.exercise: Exercise = participants.session.exercise
        self.on_change = on_change
        self.teams: tuple[str, ...] = participants.roster.teams
        self._districts = self.exercise.model.district_index()
        self._lock = threading.Lock()
        self._items: list[Item] = []
        self._figures: dict[str, dict[str, Any]] = {}
        self._dirty = True
        self._urgent = True
        self._refreshed = 0.0
        self._version = 0
        self._clock: tuple[float, bool] = (-1.0, False)
        self._texts = {lang: Texts(lang) for lang in LANGUAGES}
        #: Each action's latest detail in words, with the detail it was written from.
        self._worded: dict[str, tuple[Detail, dict[str, str]]] = {}
        session = participants.session
        for event in self.exercise.history:  # a resumed session: what happened before
            self._take(event, notify=False)
        self._unsubscribe = [
            session.subscribe(self._take),
            participants.subscribe(self._take_hold),
            participants.on_pump(lambda _: self.refresh()),
        ]
        self.refresh()

    # --- reading (any thread) ------------------------------------------------------------

    def since(
        self, team: str | None, after: int = 0, kinds: tuple[str, ...] | None = TEAM_KINDS
    ) -> tuple[list[Item], int]:
        """The items after ``after`` that ``team`` sees, and the newest sequence number.

        ``team`` None is the facilitator, who sees every item; ``kinds`` None
        means every kind.
        """
        with self._lock:
            chosen = self._items[max(0, after) :]
            last = len(self._items)
        return [
            item
            for item in chosen
            if (kinds is None or item["kind"] in kinds) and (team is None or team in item["to"])
        ], last

    def figures(self, team: str | None) -> dict[str, Any]:
        """The team's figures (or the facilitator's, for None) as of the last refresh."""
        with self._lock:
            return self._figures.get(team or "", {})

    def close(self) -> None:
        """Stop following the session."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()

    # --- feeding (the session's thread) --------------------------------------------------------

    def refresh(self) -> None:
        """Recompute the figures if anything changed, at most every :data:`REFRESH_SECONDS`.

        An item for the teams (an inject, a message, an action's step) refreshes them
        at once; the clock running and the infrastructure changing, which happen
        every frame at speed, only every :data:`REFRESH_SECONDS` of wall time, so the
        console's frames stay cheap.
        """
        session = self.participants.session
        clock = (session.now, session.running)
        wall = time.monotonic()
        if not self._urgent:
            if not self._dirty and clock == self._clock:
                return
            if wall - self._refreshed < REFRESH_SECONDS:
                return
        self._dirty = self._urgent = False
        self._refreshed = wall
        self._clock = clock
        self._version += 1
        figures = {team: self._team_figures(team) for team in self.teams}
        figures[""] = self._common()
        with self._lock:
            self._figures = figures
        if self.on_change is not None:
            self.on_change()

    def _take(self, event: ExerciseEvent, *, notify: bool = True) -> None:
        item = self._item(event)
        self._dirty = True
        if item is not None:
            self._add(item, notify)

    def _take_hold(self, event: HoldEvent) -> None:
        hold = event.hold
        request = hold.request
        self._dirty = True
        self._add(
            {
                "kind": "action",
                "id": hold.id,
                "t": event.t,
                "to": [request.team],
                "team": request.team,
                "action": request.action,
                "target": request.target,
                "target_label": self._label(request.target),
                "status": hold.status,
                "text": self._hold_note(hold),
                "action_id": hold.action_id,
            },
            True,
        )

    def _hold_note(self, hold: Hold) -> dict[str, str]:
        """A held submission's note in both languages: the facilitator's words, or why the
        session refused it on acceptance, in words (names, not ids)."""
        if hold.refusal is not None:
            return {
                lang: detail_text(self.exercise, hold.refusal, texts)
                for lang, texts in self._texts.items()
            }
        note = hold.note or hold.request.note
        return dict.fromkeys(LANGUAGES, note)

    def _add(self, item: Item, notify: bool) -> None:
        self._urgent = True
        for key in OPTIONAL:
            item.setdefault(key, None)
        item["clock"] = clock_label(self.exercise.scenario.start, item["t"])
        with self._lock:
            item["seq"] = len(self._items) + 1
            self._items.append(item)
        if notify and self.on_change is not None:
            self.on_change()

    # --- what an event is to the teams ------------------------------------------------------

    def _item(self, event: ExerciseEvent) -> Item | None:
        if isinstance(event, InjectEvent):
            if event.status == "undelivered":
                return self._withdrawal(event)
            if event.status != "delivered":
                return None
            media = event.channel == "media"
            return {
                "kind": "media" if media else "inject",
                "id": event.inject,
                "t": event.t,
                "to": list(self.teams) if media else sorted(set(event.to)),
                "channel": event.channel,
                "title": event.title,
                "text": event.message or event.title or {"pl": event.inject, "en": event.inject},
            }
        if isinstance(event, MessageEvent):
            media = event.topic in MEDIA_TOPICS
            return {
                "kind": "media" if media else "message",
                "id": f"{event.topic}:{event.subject}",
                "t": event.t,
                "to": list(self.teams) if media else sorted(set(event.to)),
                "channel": "media" if media else None,
                "topic": event.topic,
                "text": {
                    lang: consequence_text(self.exercise, event, texts)
                    for lang, texts in self._texts.items()
                },
            }
        if isinstance(event, ActionEvent):
            if event.status in ("submitted", "refused"):
                # Submitted is followed at once by the next step; a refusal is no decision
                # of the team's: the form that sent it says why (docs/participants.md).
                return None
            return {
                "kind": "action",
                "id": event.action_id,
                "t": event.t,
                "to": [event.team],
                "team": event.team,
                "action": event.action,
                "target": event.target,
                "target_label": self._label(event.target),
                "status": event.status,
                "text": self._detail(event.action_id, event.reason, event.detail_in),
            }
        return None

    def _now(self, state: ActionState) -> dict[str, str]:
        """An action's detail in words as it stands now: one under way is said afresh
        (on its way, on site, time left), the others as their latest step left them."""
        if state.status == "started":
            return {
                lang: action_detail_text(self.exercise, state, texts)
                for lang, texts in self._texts.items()
            }
        return self._detail(state.id, state.reason, state.detail_in)

    def _detail(
        self, action_id: str, reason: Detail | None, recorded: Callable[[str], str]
    ) -> dict[str, str]:
        """An action's detail in words in both languages, as the facilitator's console
        writes it (:func:`~cybrelia.exercise.wording.detail_text`); as recorded when it
        is no message (a note).  Kept per action: the figures ask again every refresh."""
        if reason is None:
            return {lang: recorded(lang) for lang in LANGUAGES}
        cached = self._worded.get(action_id)
        if cached is not None and cached[0] is reason:
            return dict(cached[1])
        worded: dict[str, str] = {
            lang: detail_text(self.exercise, reason, texts) for lang, texts in self._texts.items()
        }
        self._worded[action_id] = (reason, worded)
        return dict(worded)

    def _withdrawal(self, event: InjectEvent) -> Item | None:
        """Tell the teams an inject was sent to that the facilitator took it back.

        The inject stays in their feed (they have read it), marked withdrawn for
        pages drawn afresh, and a notice follows it, so a team never acts on an
        inject that no longer stands.
        """
        with self._lock:
            sent = next(
                (
                    item
                    for item in reversed(self._items)
                    if item["id"] == event.inject and item["kind"] in ("inject", "media")
                ),
                None,
            )
            if sent is None:
                return None
            sent["status"] = "withdrawn"  # a key every item has: readers see no new key
        return {
            "kind": sent["kind"],
            "id": event.inject,
            "t": event.t,
            "to": list(sent["to"]),
            "channel": sent["channel"],
            "title": sent["title"],
            "text": both("web.inject.withdrawn"),
        }

    def _label(self, target: str | None) -> str | None:
        """A target as people call it: an asset's or a district's name, else the id."""
        if target is None:
            return None
        asset = self.exercise.assets.get(target)
        if asset is not None:
            return asset.label
        district = self._districts.get(target)
        return district.name or target if district is not None else target

    # --- figures ---------------------------------------------------------------------------

    def _common(self) -> dict[str, Any]:
        session = self.participants.session
        metrics = self.exercise.metrics()
        return {
            "version": self._version,
            "t": session.now,
            "clock": clock_label(self.exercise.scenario.start, session.now),
            "running": session.running,
            "ended": session.now >= session.end,
            "people_without": dict(metrics.people_without),
            "people_in_need": metrics.people_in_need,
            "critical_down": metrics.critical_down,
        }

    def _team_figures(self, team_id: str) -> dict[str, Any]:
        exercise = self.exercise
        team = exercise.teams[team_id]
        sectors = set(team.sectors)
        assets = []
        for asset in exercise.model.assets:
            if asset.sector not in sectors:
                continue
            status = exercise.engine.status(asset.id)
            assets.append({"id": asset.id, "label": asset.label, "state": status.state})
        assets.sort(key=lambda a: (STATE_ORDER.get(a["state"], 3), a["label"].casefold()))
        start = exercise.scenario.start
        deadlines = [
            {
                "id": state.spec.id,
                "inject": state.inject,
                "action": state.spec.action,
                "target": state.spec.target,
                "target_label": self._label(state.spec.target),
                "deadline": state.deadline,
                "clock": clock_label(start, state.deadline),
            }
            for state in sorted(
                exercise.expectations.values(), key=lambda s: (s.deadline, s.spec.id or "")
            )
            if state.spec.team == team_id and state.status == "pending"
        ]
        actions = [
            {
                "id": state.id,
                "action": state.request.action,
                "target": state.request.target,
                "target_label": self._label(state.request.target),
                "status": state.status,
                "text": self._now(state),
                "clock": clock_label(start, state.submitted_at),
            }
            for state in exercise.actions.values()
            if state.request.team == team_id
        ]
        held = [
            {
                "id": hold.id,
                "action": hold.request.action,
                "target": hold.request.target,
                "target_label": self._label(hold.request.target),
                "status": hold.status,
                "note": self._hold_note(hold),
            }
            for hold in self.participants.holds.values()
            if hold.request.team == team_id and hold.status != "accepted"
        ]
        return {
            **self._common(),
            "team": team_id,
            "name": team.name.model_dump(),
            "role": team.role,
            "assets": assets,
            "deadlines": deadlines,
            "actions": actions[::-1],
            "held": held[::-1],
        }
