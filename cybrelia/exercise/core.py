"""The exercise as a deterministic simulation: injects, teams, actions, scoring, figures.

:class:`Exercise` is a pure function of its scenario, its seed and the inputs
it is given at sim times (deliveries, actions, ratings, notes).  It knows
nothing of wall-clock time or storage: :class:`cybrelia.exercise.session.Session`
adds the clock and the journal, and replays inputs into a fresh ``Exercise``
to rebuild any state exactly.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from typing import Any, ClassVar, Literal

from cybrelia.engine.cascade import EFFECT, OBSERVE, Engine, Step
from cybrelia.engine.clock import GridEnvironment
from cybrelia.engine.subscribers import Subscribers
from cybrelia.exercise.actions import start_action
from cybrelia.exercise.autonomy import UTILITIES
from cybrelia.exercise.conditions import effect_label
from cybrelia.exercise.events import (
    ActionEvent,
    ActionStatus,
    Detail,
    ExerciseEvent,
    InjectEvent,
    MessageEvent,
    MetricsEvent,
    Named,
    NoteEvent,
    RatingEvent,
    ScoreEvent,
    StateEvent,
)
from cybrelia.exercise.informed import Information
from cybrelia.exercise.orders import Orders
from cybrelia.exercise.population import Population
from cybrelia.exercise.resources import Pool, pools_from_model
from cybrelia.exercise.rumours import Rumour
from cybrelia.exercise.types import (
    ActionRequest,
    ActionState,
    Deployment,
    Rating,
    Refusal,
)
from cybrelia.exercise.world import World, share_out
from cybrelia.files.actions import ACTIONS
from cybrelia.files.capabilities import capability_id
from cybrelia.files.durations import quantize
from cybrelia.files.model import Asset
from cybrelia.files.names import zone_names
from cybrelia.files.scenario import Effect, Expectation, Inject, Team
from cybrelia.files.validation import LoadedScenario
from cybrelia.i18n import LANGUAGES, both, causes_label, numeral

__all__ = [
    "FIGURES",
    "SERVICES_SHOWN",
    "ActionRequest",
    "ActionState",
    "Deployment",
    "Exercise",
    "ExpectationState",
    "InjectState",
    "Refusal",
    "figure_values",
]

#: The services whose figures every view shows first (console, charts, report), in order.
SERVICES_SHOWN = ("power", "water", "heat", "telecom")
#: The live figures a console shows, in order: people without each service shown, then
#: people in need and critical facilities down.
FIGURES = (*SERVICES_SHOWN, "people_in_need", "critical_down")


def figure_values(metrics: MetricsEvent) -> dict[str, int]:
    """The live figures (:data:`FIGURES`) from a metrics event."""
    values = {service: metrics.people_without.get(service, 0) for service in SERVICES_SHOWN}
    values["people_in_need"] = metrics.people_in_need
    values["critical_down"] = metrics.critical_down
    return values


@dataclass
class InjectState:
    """An inject of the scenario (or an ad-hoc one) and whether it was delivered."""

    spec: Inject
    status: Literal["pending", "delivered", "skipped"] = "pending"
    delivered_at: float | None = None
    armed_at: float | None = None
    adhoc: bool = False


@dataclass
class ExpectationState:
    """An expectation of a delivered inject: its window and what the teams did."""

    spec: Expectation
    inject: str
    opened_at: float
    deadline: float
    """End of the window ``[opened_at, deadline)``; an action at the deadline is late."""
    status: Literal["pending", "met", "late", "missed", "withdrawn"] = "pending"
    points: float = 0.0
    action_id: str | None = None
    recorded_at: float | None = None
    """When a team's note offered itself as the decision record (``note`` expectations)."""


class Exercise:
    """One run of an exercise scenario.

    Parameters
    ----------
    loaded
        The scenario and its model.
    seed
        Overrides the scenario's seed.  The engine's spread generator and the
        exercise's own generator (untested backups) both derive from it.
    """

    #: Chance that a restore from an ``untested`` backup fails.
    UNTESTED_BACKUP_FAILURE: ClassVar[float] = 0.5
    #: Default hours of the open-ended actions.
    DEFAULT_HOURS: ClassVar[dict[str, float]] = {
        "manual_operation": 12.0,
        "water_point": 24.0,
        "open_shelter": 72.0,
        "door_to_door": 24.0,
        "hand_out_supplies": 24.0,
    }
    #: Share of the points an expectation earns when the effect comes after its window.
    LATE_SHARE: ClassVar[float] = 0.5
    #: Hours until support arrives, by where it comes from.
    SUPPORT_DELAY: ClassVar[dict[str, float]] = {"powiat": 4.0, "voivode": 8.0, "wot": 12.0}

    def __init__(self, loaded: LoadedScenario, *, seed: int | None = None) -> None:
        self.loaded = loaded
        self.scenario = loaded.scenario
        self.model = loaded.model
        self.seed = self.scenario.seed if seed is None else seed
        self.env = GridEnvironment()
        self.engine = Engine(self.model, seed=self.seed, env=self.env)
        self._rng = random.Random(f"cybrelia/{self.seed}/actions")
        self.population = Population(self.model, self.scenario.world, self.scenario.start)
        stocks = {str(essential): n for essential, n in self.scenario.world.stocks.items()}
        self.world = World(self.model, self.engine, stocks)
        self.setting = self.scenario.world
        self.scenario_start = self.scenario.start
        self.information = Information(self.population.districts, self.scenario.information)
        self.information.before_change = self._rumours_to
        self.orders = Orders()
        self.pools: dict[str, Pool] = pools_from_model(self.env, self.model.resources)
        self.assets: dict[str, Asset] = self.model.asset_index()
        self.teams: dict[str, Team] = {team.id: team for team in self.scenario.teams}
        self.injects: dict[str, InjectState] = {
            # Shallow: an edit replaces the spec, it never changes one in place.
            inject.id: InjectState(inject.model_copy())
            for inject in self.scenario.injects
        }
        # Branches on a metric, and on each asset's state, in file order: a condition is
        # never edited and ad-hoc injects have none, so these are the only injects the
        # figures and the asset changes can arm.
        self._metric_injects = [
            state
            for state in self.injects.values()
            if state.spec.when is not None and state.spec.when.metric is not None
        ]
        self._asset_injects: dict[str, list[InjectState]] = {}
        for state in self.injects.values():
            if state.spec.when is not None and state.spec.when.asset is not None:
                self._asset_injects.setdefault(state.spec.when.asset.id, []).append(state)
        self.expectations: dict[str, ExpectationState] = {}
        self.actions: dict[str, ActionState] = {}
        #: Refused submissions: journaled, never scored, not the team's actions.
        self.refusals: dict[str, ActionState] = {}
        self._announcing: ActionState | None = None
        self.ratings: dict[tuple[str, str], RatingEvent] = {}
        #: The facilitator's ratings of core capabilities, by capability id and team
        #: (the team empty for all teams together).
        self.capability_ratings: dict[tuple[str, str], RatingEvent] = {}
        self.history: list[ExerciseEvent] = []
        self.person_hours: dict[str, float] = {}
        self.person_hours_in_need = 0.0
        #: Person-hours of vulnerable residents at risk (life-safety harm).
        self.person_hours_at_risk = 0.0
        #: Person-hours of residents without power, water or heat, each counted once.
        self.person_hours_deprived = 0.0
        self._deprived = 0
        self.peak_in_need = 0
        self._subscribers: Subscribers[ExerciseEvent] = Subscribers()
        self.deployments: dict[str, Deployment] = {}
        self._shelters: dict[str, tuple[str, list[str]]] = {}
        self.manual: dict[str, str] = {}
        self.critical_down: set[str] = set()
        self._state_since: dict[str, tuple[str, float, float | None]] = {}
        self._fuel_warned: set[tuple[str, str, float]] = set()
        self._last_metrics: MetricsEvent | None = None
        self._figure_times: set[float] = set()
        self._last_totals: dict[str, int] = {}
        self._totals: dict[str, int] | None = None
        self._deprived_engine = 0
        self._last_t = 0.0
        self._passed: dict[str, set[int]] = {}
        self.engine.subscribe(self._on_step)
        for state in self.injects.values():
            if state.spec.at is not None:
                self._at(state.spec.at, EFFECT, self._due(state.spec.id))
        self._at(0.0, OBSERVE, self._sample)  # the first sample at t = 0
        for t in self.population.session_changes(self.scenario.duration):
            self._figures_at(t)  # a school day begins or ends

    # --- reading ------------------------------------------------------------------

    @property
    def now(self) -> float:
        """Sim time in hours."""
        return self.engine.now

    def subscribe(self, callback: Callable[[ExerciseEvent], None]) -> Callable[[], None]:
        """Receive every event from now on; returns a function that unsubscribes."""
        return self._subscribers.add(callback)

    def next_due(self) -> float | None:
        """Sim time of the next pending timed inject, if any."""
        times = [
            s.spec.at
            for s in self.injects.values()
            if s.status == "pending" and s.spec.at is not None and s.spec.at >= self.now
        ]
        return min(times, default=None)

    def metrics(self) -> MetricsEvent:
        """The live figures now."""
        return self._compute_metrics()

    # --- driving ------------------------------------------------------------------

    def advance_to(self, t: float) -> None:
        """Run the simulation to ``t``, inclusive, delivering what falls due."""
        self.engine.advance_to(t)

    def settle(self) -> None:
        """Let everything an input set off at this instant take effect."""
        self.engine.advance_to(self.now)

    def deliver(self, inject_id: str) -> None:
        """Deliver a pending inject now (ahead of its time or condition)."""
        state = self._pending(inject_id)
        self._deliver(state)
        self.settle()

    def skip(self, inject_id: str) -> None:
        """Never deliver a pending inject."""
        state = self._pending(inject_id)
        state.status = "skipped"
        self._emit(InjectEvent(self.now, inject_id, "skipped"))

    def undeliver(self, inject_id: str, note: str) -> None:
        """Take back an inject delivered by mistake, saying why in ``note`` (docs/exercise.md).

        It is pending again (due at its time if that is still ahead, else waiting
        for the facilitator), its open expectations (pending or missed) are void,
        the branches it armed are disarmed, and the note goes to the decision
        log.  What the teams did stays as it was, credit included.

        Raises
        ------
        Refusal
            :meth:`undeliver_refusal`'s reason, or no note.
        """
        refusal = self.undeliver_refusal(inject_id)
        if refusal is not None:
            raise refusal
        if not note.strip():
            raise Refusal("refusal.undeliver_note")
        state = self.injects[inject_id]
        own = {e.id for e in state.spec.expect if e.id is not None}
        for other in self._followers(inject_id):
            other.armed_at = None
        state.status = "pending"
        state.delivered_at = None
        for expectation_id in sorted(own):
            expectation = self.expectations.get(expectation_id)
            if expectation is not None and expectation.status in ("pending", "missed"):
                del self.expectations[expectation_id]
                expectation.status = "withdrawn"
                self._score(expectation)
        self._emit(InjectEvent(self.now, inject_id, "undelivered"))
        self._emit(NoteEvent(self.now, f"{inject_id}: {note.strip()}", None))

    def undeliver_refusal(self, inject_id: str) -> Refusal | None:
        """Why the inject cannot be undelivered now, or None if it can (given a note).

        It must be delivered; its effects must not have happened in the model
        (an inject with any effect has changed the engine or started a claim the
        moment it was delivered: nothing takes that back); and no branch that
        followed from it (its delivery, an expectation of it met or missed) may
        have been delivered.
        """
        state = self.injects.get(inject_id)
        if state is None:
            return Refusal("refusal.unknown_inject", inject=inject_id)
        if state.status != "delivered":
            return Refusal("refusal.inject_not_delivered", inject=inject_id)
        effects = state.spec.effects
        if effects:
            return Refusal(
                "refusal.undeliver_effects",
                inject=inject_id,
                effects=lambda lang: ", ".join(
                    effect_label(e, self.assets, lang, zone_names(self.model)) for e in effects
                ),
            )
        delivered = [o.spec.id for o in self._followers(inject_id) if o.status == "delivered"]
        if delivered:
            return Refusal(
                "refusal.undeliver_followed", inject=inject_id, injects=", ".join(delivered)
            )
        return None

    def _followers(self, inject_id: str) -> list[InjectState]:
        """The branch injects whose condition is this inject's delivery or its expectations."""
        own = {e.id for e in self.injects[inject_id].spec.expect if e.id is not None}
        return [
            other
            for other in self.injects.values()
            if (condition := other.spec.when) is not None
            and (
                condition.delivered == inject_id or condition.met in own or condition.missed in own
            )
        ]

    def edit(self, inject_id: str, changes: dict[str, Any]) -> None:
        """Change a pending inject before delivery (title, message, to, channel, effects, at)."""
        state = self._pending(inject_id)
        allowed = {"title", "message", "to", "channel", "effects", "at", "expect"}
        unknown = set(changes) - allowed
        if unknown:
            raise Refusal("refusal.cannot_edit", fields=", ".join(sorted(unknown)))
        data = state.spec.model_dump(by_alias=True, exclude_none=True)
        data.update(changes)
        try:
            spec = Inject.model_validate(data)
        except ValueError as error:
            raise Refusal("refusal.invalid_edit", error=error) from None
        if spec.at is not None and spec.at < self.now:
            raise Refusal("refusal.time_passed")
        self._check_effects(spec.effects)
        old_at = state.spec.at
        state.spec = spec
        if spec.at is not None and spec.at != old_at:
            self._at(spec.at - self.now, EFFECT, self._due(inject_id))
        self._emit(InjectEvent(self.now, inject_id, "edited"))

    def add_inject(self, data: dict[str, Any]) -> str:
        """Deliver an ad-hoc inject now; returns its id."""
        data = dict(data)
        data.setdefault("id", f"ADHOC-{sum(s.adhoc for s in self.injects.values()) + 1:02d}")
        data.pop("at", None)
        data.pop("when", None)
        data["at"] = self.now
        try:
            spec = Inject.model_validate(data)
        except ValueError as error:
            raise Refusal("refusal.invalid_inject", error=error) from None
        if spec.id in self.injects:
            raise Refusal("refusal.inject_exists", inject=spec.id)
        self._check_effects(spec.effects)
        for team in spec.to:
            if team not in self.teams:
                raise Refusal("refusal.unknown_team", team=team)
        state = InjectState(spec, adhoc=True)
        self.injects[spec.id] = state
        self._deliver(state)
        self.settle()
        return spec.id

    def submit(self, request: ActionRequest) -> ActionState:
        """Carry out a team's action, or refuse it with the reason (raises :class:`Refusal`).

        A refused submission is not a team decision: it gets an ``R`` id of its
        own sequence, goes to :attr:`refusals` (not :attr:`actions`), is never
        scored, and its only event is ``refused``.  Accepted actions are
        numbered ``A001``, ``A002``... in the order they were accepted.
        """
        state = ActionState(f"A{len(self.actions) + 1:03d}", request, self.now)
        try:
            if request.team not in self.teams:
                raise Refusal("refusal.unknown_team", team=request.team)
            if request.action not in ACTIONS:
                raise Refusal("refusal.unknown_action", action=request.action)
            self._announcing = state
            state.process = start_action(self, state)
        except Refusal as refusal:
            state.id = f"R{len(self.refusals) + 1:03d}"
            self.refusals[state.id] = state
            reason = {lang: refusal.text(lang) for lang in LANGUAGES}
            detail = Detail(refusal.key, refusal.fields)
            self._action_event(state, "refused", reason["en"], reason["pl"], detail)
            raise
        finally:
            self._announcing = None
        self._announce(state)
        self.settle()
        return state

    def confirm(self, expectation_id: str) -> None:
        """Confirm that a team's note is the decision record an expectation asks for.

        Only then does the note earn: full points if it was written within the
        expectation's window, the late share if after it.
        """
        state = self.expectations.get(expectation_id)
        if state is None:
            raise Refusal("refusal.no_open_expectation", expectation=expectation_id)
        if state.recorded_at is None or state.status in ("met", "late"):
            raise Refusal("refusal.no_decision_record", expectation=expectation_id)
        self._credit(state, 1.0, on_time=state.recorded_at < state.deadline)

    def cancel(self, action_id: str) -> None:
        """Stop an action that is queued or under way, named by its id or its ``ref``.

        A ``ref`` names the latest accepted action that carries it.
        """
        state = self.actions.get(action_id) or next(
            (a for a in reversed(self.actions.values()) if a.request.ref == action_id), None
        )
        if state is None:
            raise Refusal("refusal.unknown_action", action=action_id)
        if not state.active or state.process is None or not state.process.is_alive:
            raise Refusal("refusal.not_cancellable", action=action_id, status=state.status)
        state.process.interrupt("detail.cancelled")
        self.settle()

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
        """Record an HSEEP rating (P, S, M, U) of a team's response to an inject.

        ``note`` is the observation; ``analysis`` and ``root_cause`` go with it
        into the report's strengths or areas for improvement.
        """
        if inject_id not in self.injects:
            raise Refusal("refusal.unknown_inject", inject=inject_id)
        if team not in self.teams:
            raise Refusal("refusal.unknown_team", team=team)
        if rating not in ("P", "S", "M", "U"):
            raise Refusal("refusal.bad_rating", rating=rating)
        event = RatingEvent(
            self.now, inject_id, team, rating, note, analysis=analysis, root_cause=root_cause
        )
        self.ratings[(inject_id, team)] = event
        self._emit(event)

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
        """Record the HSEEP rating (P, S, M, U) of a core capability, as the AAR asks.

        HSEEP rates each objective's core capability, not each inject; the
        report shows this rating in the capability's analysis.  ``capability``
        is its id or English name (:mod:`cybrelia.files.capabilities`); ``team``
        narrows it to one team (empty: all teams together).  A later rating of
        the same capability and team replaces the earlier one.
        """
        known = capability_id(capability)
        if known is None:
            raise Refusal("refusal.unknown_capability", capability=capability)
        if team and team not in self.teams:
            raise Refusal("refusal.unknown_team", team=team)
        if rating not in ("P", "S", "M", "U"):
            raise Refusal("refusal.bad_rating", rating=rating)
        event = RatingEvent(
            self.now,
            "",
            team,
            rating,
            note,
            capability=known,
            analysis=analysis,
            root_cause=root_cause,
        )
        self.capability_ratings[(known, team)] = event
        self._emit(event)

    def note(self, text: str, team: str | None = None) -> None:
        """Add a facilitator's note to the decision log."""
        if team is not None and team not in self.teams:
            raise Refusal("refusal.unknown_team", team=team)
        self._emit(NoteEvent(self.now, text, team))

    # --- used by actions ----------------------------------------------------------

    def action_event(
        self, state: ActionState, status: ActionStatus, key: str = "", /, **fields: object
    ) -> None:
        """Record a step of an action (for :mod:`cybrelia.exercise.actions`), in both languages.

        The detail is the catalogue message ``key`` with ``fields``; none without a key.
        A completed action has taken effect (if it had not already); a cancelled
        one loses the points its effect had earned.
        """
        if state is self._announcing:
            self._announce(state)
        if key:
            # Built when first read, once for both languages (a dry run reads none).
            texts = cache(partial(both, key, **fields))
            self._action_event(
                state,
                status,
                partial(_in, texts, "en"),
                partial(_in, texts, "pl"),
                Detail(key, fields),
            )
        else:
            self._action_event(state, status, "", "")
        if status == "completed":
            self.took_effect(state)
        elif status == "cancelled":
            self._withdraw(state)

    def took_effect(self, state: ActionState, share: float = 1.0) -> None:
        """The action's effect began now: it meets the earliest open expectation it fits.

        ``share`` (0 to 1) is how much of the intended effect it had: the share
        of a public alert's target it reached, of a claim's believers a debunk
        turned.  Only the first call counts.
        """
        if state.effective_at is not None:
            return
        state.effective_at = self.now
        state.share = min(1.0, max(0.0, share))
        self._match_expectations(state)

    def draw(self) -> float:
        """A number from the exercise's own seeded generator."""
        return self._rng.random()

    def watch_fuel(self, asset_id: str) -> None:
        """Warn the teams when a generator buffer of the asset will soon run dry.

        Looks once the instant has settled, when buffers swapped in by an action
        have taken up their mode.
        """
        self._at(0.0, OBSERVE, lambda _: self._watch_fuel_now(asset_id))

    def _watch_fuel_now(self, asset_id: str) -> None:
        warning = self.scenario.consequences.fuel_warning
        for buffer in self.engine.buffers(asset_id):
            if buffer.kind != "generator" or buffer.empties_at is None:
                continue
            key = (asset_id, buffer.service, buffer.empties_at)
            if key in self._fuel_warned:
                continue
            self._fuel_warned.add(key)
            warn_at = max(self.now, buffer.empties_at - warning)
            self._at(warn_at - self.now, OBSERVE, self._fuel_check(asset_id, key))

    def set_shelter(self, action_id: str, asset_id: str, districts: list[str] | None) -> None:
        """Open (``districts``) or close (None) the warming shelter of an action."""
        _, closing = self._shelters.pop(action_id, (asset_id, []))
        for district in closing:
            self.population.uncover("shelter", district, action_id)
        if districts is not None:
            self._shelters[action_id] = (asset_id, districts)
            asset = self.assets[asset_id]
            places: dict[str, int | None] = dict.fromkeys(districts, None)
            if asset.places is not None:
                weights = {
                    d: self.population.districts[d].population * asset.serves.get(d, 0.0)
                    for d in districts
                }
                places.update(share_out(asset.places, weights))
            for district in districts:
                self.population.cover("shelter", district, action_id, places[district])
        self._update_metrics()

    def refresh_figures(self) -> None:
        """Recompute the figures now (after a mitigation or claim changed) and bring the
        person-hour totals up to the current time."""
        self._update_metrics()

    def _rumours_to(self, t: float) -> None:
        """Draw the rumours' steps up to ``t`` before the information state changes."""
        for rumour in self.population.claims.values():
            rumour.advance_to(t)

    def informed_changed(self) -> None:
        """Let the behaviours follow a change in who is informed (docs/information.md)."""
        self.orders.update(self)
        self._update_metrics()

    def order_heeded(self, action_id: str, share: float) -> None:
        """The order of action ``action_id`` took effect now, heeded by ``share`` of its area."""
        self.took_effect(self.actions[action_id], share)

    def concerned_teams(self, sector: str | None) -> tuple[str, ...]:
        """Teams that look after a sector, plus the crisis team(s); all if none match."""
        chosen = [
            team.id
            for team in self.scenario.teams
            if (sector is not None and sector in team.sectors) or team.role == "crisis"
        ]
        return tuple(chosen or (team.id for team in self.scenario.teams))

    # --- internals: deliveries and branches ----------------------------------------

    def _pending(self, inject_id: str) -> InjectState:
        state = self.injects.get(inject_id)
        if state is None:
            raise Refusal("refusal.unknown_inject", inject=inject_id)
        if state.status != "pending":
            raise Refusal(f"refusal.inject_{state.status}_already", inject=inject_id)
        return state

    def _check_effects(self, effects: list[Effect]) -> None:
        zones = self.model.zones()
        for effect in effects:
            if effect.claim is not None:
                continue
            for target in effect.targets:
                known = zones if effect.verb == "damage_zone" else self.assets
                if target not in known:
                    if known is zones:
                        raise Refusal("refusal.unknown_zone", zone=target)
                    raise Refusal("refusal.unknown_asset", asset=target)
                if effect.verb == "compromise" and self.assets[target].cyber is None:
                    raise Refusal("refusal.not_cyber_target", asset=target)

    def _due(self, inject_id: str) -> Callable[[Any], None]:
        def due(_: Any) -> None:
            state = self.injects[inject_id]
            if state.status == "pending" and (state.spec.at is None or state.spec.at <= self.now):
                self._deliver(state)

        return due

    def _deliver(self, state: InjectState) -> None:
        spec = state.spec
        state.status = "delivered"
        state.delivered_at = self.now
        self.engine.act([e for e in spec.effects if e.for_engine])
        self._emit(
            InjectEvent(
                self.now,
                spec.id,
                "delivered",
                tuple(spec.to),
                spec.channel,
                spec.title.model_dump() if spec.title else None,
                spec.message.model_dump() if spec.message else None,
                state.adhoc,
            )
        )
        for effect in spec.effects:
            if effect.claim is not None:
                rumour = Rumour(
                    effect.claim, self.now, self.population.districts, self.information, self.seed
                )
                for t in self.population.start_claim(rumour):
                    self._figures_at(t)
                self.orders.update(self)
                self._update_metrics()
        for expectation in spec.expect:
            assert expectation.id is not None
            if expectation.id in self.expectations:
                continue  # delivered again after an undelivery: what the teams met stays met
            deadline = self.now + expectation.within
            opened = ExpectationState(expectation, spec.id, self.now, deadline)
            self.expectations[expectation.id] = opened
            self._at(expectation.within, OBSERVE, self._deadline(opened))
        self._branches(lambda cond: cond.delivered == spec.id)

    def _branches(
        self,
        matches: Callable[[Any], bool],
        delay: float = 0.0,
        among: list[InjectState] | None = None,
    ) -> None:
        """Arm the pending branch injects whose condition ``matches``, in file order.

        ``among``: only these injects can match (a subsequence of :attr:`injects`).
        """
        for state in self.injects.values() if among is None else among:
            condition = state.spec.when
            if state.status != "pending" or condition is None or state.armed_at is not None:
                continue
            if matches(condition):
                state.armed_at = self.now
                self._at(delay + condition.after, EFFECT, self._arrive(state))

    def _arrive(self, state: InjectState) -> Callable[[Any], None]:
        armed = state.armed_at  # disarmed (undelivered) or armed again since: not this arrival

        def arrive(_: Any) -> None:
            if state.status == "pending" and state.armed_at == armed:
                self._deliver(state)

        return arrive

    def _deadline(self, state: ExpectationState) -> Callable[[Any], None]:
        def deadline(_: Any) -> None:
            # A voided expectation (its inject undelivered) has no deadline any more.
            if state.status == "pending" and self.expectations.get(state.spec.id or "") is state:
                state.status = "missed"
                self._score(state)
                self._branches(lambda cond: cond.missed == state.spec.id)

        return deadline

    # --- internals: scoring --------------------------------------------------------

    def _match_expectations(self, action: ActionState) -> None:
        """Credit the earliest open expectation this action, taking effect now, fulfils."""
        request = action.request
        candidates = sorted(
            (
                e
                for e in self.expectations.values()
                if e.status in ("pending", "missed")
                and e.recorded_at is None
                and e.spec.action == request.action
                and e.spec.team == request.team
                and (e.spec.target is None or e.spec.target == request.target)
            ),
            key=lambda e: (e.deadline, e.spec.id or ""),
        )
        pending = [e for e in candidates if e.status == "pending"]
        chosen = pending[0] if pending else (candidates[0] if candidates else None)
        if chosen is None:
            return
        chosen.action_id = action.id
        if request.action == "note":
            chosen.recorded_at = self.now  # a decision record earns once confirmed
            return
        self._credit(chosen, action.share, on_time=chosen.status == "pending")

    def _credit(self, chosen: ExpectationState, share: float, *, on_time: bool) -> None:
        chosen.status = "met" if on_time else "late"
        factor = share * (1.0 if on_time else self.LATE_SHARE)
        chosen.points = round(chosen.spec.points * factor, 3)
        self._score(chosen)
        if on_time:
            self._branches(lambda cond: cond.met == chosen.spec.id)

    def _withdraw(self, action: ActionState) -> None:
        """A cancelled action earns nothing: take back what its effect had earned."""
        for state in self.expectations.values():
            if state.action_id != action.id or state.status not in ("met", "late"):
                continue
            state.points = 0.0
            state.status = "withdrawn"
            self._score(state)
            state.action_id = None
            state.status = "pending" if self.now < state.deadline else "missed"

    def _score(self, state: ExpectationState) -> None:
        spec = state.spec
        assert spec.id is not None and state.status != "pending"
        self._emit(
            ScoreEvent(
                self.now,
                spec.id,
                state.inject,
                spec.team,
                spec.pillar,
                state.status,
                state.points,
                spec.points,
                state.action_id,
            )
        )

    # --- internals: state, figures, consequences ------------------------------------

    def _on_step(self, step: Step) -> None:
        self._totals = None
        self._emit(StateEvent(step.t, step))
        for change in step.assets:
            asset_id = change.asset
            self.population.facility(asset_id, change.state, change.causes, step.t)
            if change.state == "down":
                self.population.spoil(asset_id, change.causes, step.t)
                for t in self.population.asset_down(asset_id, step.t):
                    self._figures_at(t)
                asset = self.assets[asset_id]
                newly_down = asset_id not in self.critical_down
                if asset.critical and newly_down and self.scenario.consequences.critical_down:
                    self._message(
                        "critical_down",
                        asset_id,
                        self.concerned_teams(asset.sector),
                        partial(
                            both,
                            "message.critical_down",
                            asset=asset.label,
                            causes=partial(causes_label, change.causes),
                        ),
                    )
                if any(building == asset_id for building, _ in self._shelters.values()):
                    self._shelter_lost(asset_id)
            else:
                self.population.asset_up(asset_id)
            if self.assets[asset_id].critical:
                if change.state == "down":
                    self.critical_down.add(asset_id)
                else:
                    self.critical_down.discard(asset_id)
            if change.state == "backup":
                self.watch_fuel(asset_id)
            self._asset_state(asset_id, change.state)
        self._update_metrics()

    def _asset_state(self, asset_id: str, state: str) -> None:
        """Arm branches waiting for an asset to be in a state for a while."""
        previous = self._state_since.get(asset_id)
        if previous is not None and previous[0] == state:
            return  # only the causes changed: it has been in this state since before
        not_up_since: float | None = None
        if state != "up":
            was_not_up = previous is not None and previous[0] != "up"
            not_up_since = previous[2] if was_not_up and previous is not None else self.now
        self._state_since[asset_id] = (state, self.now, not_up_since)
        for inject in self._asset_injects.get(asset_id, ()):
            condition = inject.spec.when
            if (
                inject.status != "pending"
                or condition is None
                or condition.asset is None
                or condition.asset.id != asset_id
                or inject.armed_at is not None
            ):
                continue
            wanted = condition.asset.state
            if wanted == "not_up":
                if state == "up" or not_up_since != self.now:
                    continue  # still counting from when it first stopped being up
            elif state != wanted:
                continue
            self._at(
                condition.asset.for_, OBSERVE, self._asset_check(inject.spec.id, asset_id, wanted)
            )

    def _asset_check(self, inject_id: str, asset_id: str, wanted: str) -> Callable[[Any], None]:
        since = self.now

        def check(_: Any) -> None:
            state = self.injects[inject_id]
            current = self._state_since.get(asset_id)
            if state.status != "pending" or state.armed_at is not None or current is None:
                return
            started = current[2] if wanted == "not_up" else current[1]
            if current[0] == "up" or (wanted != "not_up" and current[0] != wanted):
                return
            if started != since:
                return  # the asset changed state since; a newer check is armed
            self._branches(lambda cond: cond is state.spec.when)

        return check

    def _shelter_lost(self, asset_id: str) -> None:
        for action in self.actions.values():
            if (
                action.request.action == "open_shelter"
                and action.request.target == asset_id
                and action.status == "started"
                and action.process is not None
                and action.process.is_alive
            ):
                action.process.interrupt("detail.shelter_lost")

    def _fuel_check(self, asset_id: str, key: tuple[str, str, float]) -> Callable[[Any], None]:
        def check(_: Any) -> None:
            for buffer in self.engine.buffers(asset_id):
                if (asset_id, buffer.service, buffer.empties_at) == key:
                    asset = self.assets[asset_id]
                    said = Detail(
                        "message.fuel_low",
                        {"asset": asset.label, "left": Named.hours(buffer.remaining)},
                    )
                    self._message(
                        "fuel_low",
                        asset_id,
                        self.concerned_teams(asset.sector),
                        partial(both, said.key, **said.fields),
                        said,
                    )

        return check

    def _message(
        self,
        topic: str,
        subject: str,
        to: tuple[str, ...],
        text: Callable[[], dict[str, str]],
        said: Detail | None = None,
    ) -> None:
        """Send a consequence message; its text (in both languages) is built when first read
        (:class:`MessageEvent`): a dry run reads none."""
        self._emit(MessageEvent(self.now, topic, subject, to, text, said))

    def _figures_at(self, t: float) -> None:
        """Recompute the figures at ``t`` (a group crossing a threshold), once per instant."""
        t = quantize(t)
        if t in self._figure_times:
            return
        self._figure_times.add(t)

        def update(_: Any) -> None:
            self._figure_times.discard(t)
            self._update_metrics()

        self._at(t - self.now, OBSERVE, update)

    def _sample(self, _: Any) -> None:
        """A sample on the regular grid, after the instant has settled."""
        if self.orders.orders or self.population.claims:
            self.orders.update(self)  # believers change with time
        self._update_metrics(force=True)
        self._at(self.scenario.sample_every, OBSERVE, self._sample)

    def _compute_metrics(self) -> MetricsEvent:
        figures = self.population.figures(self.now)
        if self._totals is None:  # the engine's figures change only in a Step
            totals = dict.fromkeys(SERVICES_SHOWN, 0)
            worst: dict[str, int] = {}
            for (district, service), without in self.engine.service_figures().items():
                totals[service] = totals.get(service, 0) + without
                if service in UTILITIES:
                    worst[district] = max(worst.get(district, 0), without)
            self._totals = dict(sorted(totals.items()))
            self._deprived_engine = sum(worst.values())
        return MetricsEvent(
            self.now,
            self._totals,
            figures.people_in_need,
            figures.vulnerable_at_risk,
            len(self.critical_down),
            figures.believers,
        )

    def _update_metrics(self, force: bool = False) -> None:
        metrics = self._compute_metrics()
        last = self._last_metrics
        # Person-hours: the figures are constant between changes.
        elapsed = self.now - self._last_t
        if last is not None and elapsed > 0:
            for service, people in last.people_without.items():
                self.person_hours[service] = self.person_hours.get(service, 0.0) + people * elapsed
            self.person_hours_in_need += last.people_in_need * elapsed
            self.person_hours_at_risk += last.vulnerable_at_risk * elapsed
            self.person_hours_deprived += self._deprived * elapsed
        # Residents without power, water or heat now, each once: per district the largest
        # of the three (the groups taken as nested, as for people in need); computed with
        # the totals, since both change only in a Step.
        self._deprived = self._deprived_engine
        self._last_t = self.now
        if last is not None and not force and _same_figures(last, metrics):
            return
        self._last_metrics = metrics
        self.peak_in_need = max(self.peak_in_need, metrics.people_in_need)
        self._emit(metrics)
        self._thresholds(last, metrics)

    def _thresholds(self, last: MetricsEvent | None, now: MetricsEvent) -> None:
        """Consequence messages for figures crossing upwards, then metric branches."""
        before = last.people_in_need if last is not None else 0
        for threshold in self.scenario.consequences.people_in_need:
            if before < threshold <= now.people_in_need:
                self._message(
                    "people_in_need",
                    str(threshold),
                    self.concerned_teams(None),
                    partial(
                        both,
                        "message.people_in_need",
                        threshold=numeral(threshold),
                        count=numeral(now.people_in_need),
                    ),
                )
        for claim_id, believers in now.believers.items():
            state = self.population.claims[claim_id]
            reach = state.reach(self.now)
            passed = self._passed.setdefault(claim_id, set())
            for index, share in enumerate(self.scenario.consequences.claim_reach):
                if reach >= share and index not in passed:
                    passed.add(index)
                    text = state.claim.text
                    self._message(
                        "claim_spreading",
                        claim_id,
                        self.concerned_teams(None),
                        partial(
                            both,
                            "message.claim_spreading",
                            believers=numeral(believers),
                            claim=text.get,
                        ),
                    )
        if not any(s.status == "pending" and s.armed_at is None for s in self._metric_injects):
            return  # no metric branch left to arm
        values = _metric_values(now)
        self._branches(
            lambda cond: (
                cond.metric is not None
                and (
                    (cond.metric.above is not None and values[cond.metric.name] > cond.metric.above)
                    or (
                        cond.metric.below is not None
                        and values[cond.metric.name] < cond.metric.below
                    )
                )
            ),
            among=self._metric_injects,
        )

    # --- internals: plumbing ---------------------------------------------------------

    def _action_event(
        self,
        state: ActionState,
        status: ActionStatus,
        detail: str | Callable[[], str],
        detail_pl: str | Callable[[], str] = "",
        reason: Detail | None = None,
    ) -> None:
        state.status = status
        state.detail = detail
        state.detail_pl = detail_pl
        state.reason = reason
        state.reason_at = self.now
        if status in ("completed", "failed", "cancelled", "refused"):
            state.finished_at = self.now
        request = state.request
        self._emit(
            ActionEvent(
                self.now,
                state.id,
                request.team,
                request.action,
                request.target,
                status,
                detail,
                detail_pl,
                reason,
            )
        )

    def _announce(self, state: ActionState) -> None:
        """Register an accepted action and report it submitted, once, before its other steps."""
        if state.id not in self.actions:
            self.actions[state.id] = state
            self._action_event(state, "submitted", state.request.note)

    def _emit(self, event: ExerciseEvent) -> None:
        self.history.append(event)
        self._subscribers.emit(event)

    def _at(self, delay: float, priority: Any, callback: Callable[[Any], None]) -> None:
        self.engine.after(max(0.0, delay), priority, callback)


def _in(texts: Callable[[], dict[str, str]], lang: str) -> str:
    """The text in ``lang`` of a text in both languages built when first read."""
    return texts()[lang]


def _same_figures(a: MetricsEvent, b: MetricsEvent) -> bool:
    return (
        a.people_without == b.people_without
        and a.people_in_need == b.people_in_need
        and a.vulnerable_at_risk == b.vulnerable_at_risk
        and a.critical_down == b.critical_down
        and a.believers == b.believers
    )


def _metric_values(metrics: MetricsEvent) -> dict[str, float]:
    values: dict[str, float] = {
        f"people_without_{service}": float(n) for service, n in metrics.people_without.items()
    }
    values["people_in_need"] = float(metrics.people_in_need)
    values["vulnerable_at_risk"] = float(metrics.vulnerable_at_risk)
    values["critical_down"] = float(metrics.critical_down)
    return values
