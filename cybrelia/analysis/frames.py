"""A session as pandas DataFrames: what happened, when, who did what, and the baseline.

:func:`load_session` replays a session journal (with its no-action baseline,
:func:`cybrelia.exercise.export.replay_session`) and returns a
:class:`SessionData`: metadata and one DataFrame per kind of record.
:func:`from_exercise` does the same for exercises already in memory (a live
session, or one a notebook builds).  Nothing here needs the CLI, a terminal or
a display.

Times are sim hours from the scenario's start (``t``); :meth:`SessionData.clock`
turns them into ``D+1 14:30`` labels.  Frames that exist for both runs have a
``run`` column, ``actual`` or ``baseline``, and list the actual run first.
List-valued fields (teams of an inject, causes of an asset's state) are
strings joined with ``", "`` so that the frames export as they are to
spreadsheets.  Every frame is sorted the same way each time (see each
frame's description in :class:`SessionData`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from cybrelia.exercise.core import SERVICES_SHOWN, Exercise
from cybrelia.exercise.events import (
    ActionEvent,
    ExerciseEvent,
    InjectEvent,
    MessageEvent,
    MetricsEvent,
    NoteEvent,
    ScoreEvent,
    StateEvent,
)
from cybrelia.exercise.scoring import outcome, points
from cybrelia.files import names
from cybrelia.files.durations import format_duration
from cybrelia.files.model import InfrastructureModel
from cybrelia.files.scenario import Condition, Scenario
from cybrelia.headless.timeline import clock_label
from cybrelia.i18n import pillar_label

__all__ = [
    "FRAME_NAMES",
    "RUNS",
    "Run",
    "SessionData",
    "asset_intervals",
    "condition_text",
    "from_exercise",
    "load_session",
    "people_without",
]

Run = Literal["actual", "baseline"]
#: The two runs of a session: the exercise as played, and the no-action baseline.
RUNS: tuple[Run, Run] = ("actual", "baseline")

#: The frames of a :class:`SessionData`, in the order of :meth:`SessionData.frames`.
FRAME_NAMES = (
    "injects",
    "effects",
    "actions",
    "refusals",
    "scores",
    "ratings",
    "notes",
    "messages",
    "metrics",
    "claims",
    "reach",
    "assets",
    "services",
    "outcome",
    "points_by_team",
    "points_by_pillar",
    "teams",
    "districts",
    "asset_info",
    "dependencies",
)

_COLUMNS: dict[str, tuple[str, ...]] = {
    "teams": ("team", "name_pl", "name_en", "role", "sectors"),
    "districts": ("district", "name", "population", "prepared_share", "vulnerable"),
    "asset_info": ("asset", "name", "type", "sector", "critical", "provides", "zones", "cyber"),
    "dependencies": ("asset", "service", "provider", "k", "buffer", "buffer_hours"),
    "assets": ("run", "t", "asset", "name", "sector", "state", "causes"),
    "services": ("run", "t", "district", "service", "without"),
    "claims": ("run", "t", "claim", "believers"),
    "reach": (
        "message",
        "team",
        "action",
        "channel",
        "topic",
        "sent_at",
        "delivered_at",
        "district",
        "population",
        "reached",
        "share",
    ),
    "messages": ("run", "t", "topic", "subject", "teams", "text_pl", "text_en"),
    "injects": (
        "inject",
        "order",
        "at",
        "when",
        "delivered_at",
        "status",
        "teams",
        "channel",
        "title_pl",
        "title_en",
        "message_pl",
        "message_en",
        "adhoc",
        "edited",
        "expectations",
        "points",
        "max",
    ),
    "effects": ("inject", "verb", "target", "asset"),
    "refusals": ("refusal", "t", "team", "action", "target", "params", "reason_pl", "reason_en"),
    "actions": (
        "action_id",
        "team",
        "action",
        "target",
        "params",
        "note",
        "submitted",
        "queued",
        "started",
        "completed",
        "finished",
        "status",
        "detail",
        "expectation",
        "inject",
        "delivered_at",
        "within",
        "latency",
        "score",
    ),
    "scores": (
        "expectation",
        "inject",
        "team",
        "action",
        "target",
        "within",
        "pillar",
        "capability",
        "status",
        "points",
        "max",
        "opened_at",
        "deadline",
        "scored_at",
        "action_id",
        "submitted",
        "latency",
    ),
    "ratings": ("t", "inject", "team", "rating", "note", "capability", "analysis", "root_cause"),
    "notes": ("t", "team", "text"),
    "outcome": ("measure", "service", "actual", "baseline", "avoided"),
    "points_by_team": ("team", "name_pl", "name_en", "points", "max", "share"),
    "points_by_pillar": ("pillar", "name_pl", "name_en", "points", "max", "share"),
}

_FLOAT_COLUMNS = {
    "t",
    "at",
    "delivered_at",
    "sent_at",
    "submitted",
    "queued",
    "started",
    "completed",
    "finished",
    "within",
    "latency",
    "opened_at",
    "deadline",
    "scored_at",
    "points",
    "share",
    "actual",
    "baseline",
    "avoided",
    "buffer_hours",
    "prepared_share",
}
_INT_COLUMNS = {
    "without",
    "believers",
    "reached",
    "order",
    "expectations",
    "max",
    "pillar",
    "k",
    "population",
    "vulnerable",
    "people_in_need",
    "vulnerable_at_risk",
    "critical_down",
}


def _frame(name: str, rows: Sequence[dict[str, Any]], extra: Sequence[str] = ()) -> pd.DataFrame:
    """A frame with the columns of ``name`` (plus ``extra``) and stable dtypes, even if empty."""
    columns = [*_COLUMNS.get(name, ()), *extra]
    frame = pd.DataFrame(list(rows), columns=columns)
    for column in columns:
        if column in _FLOAT_COLUMNS:
            frame[column] = frame[column].astype("float64")
        elif column in _INT_COLUMNS or column.startswith("people_without_"):
            frame[column] = frame[column].astype("int64")
        elif column in ("critical", "cyber", "adhoc", "edited"):
            frame[column] = frame[column].astype("bool")
    return frame.reset_index(drop=True)


@dataclass(frozen=True, eq=False)
class SessionData:
    """A session's metadata and its records as DataFrames.

    Attributes
    ----------
    scenario_id, title, description
        The scenario's id, title (the id if it has none) and description.
    start
        The scenario's start (timezone-aware), or None.
    seed
        The seed the session ran with.
    end
        Sim hours the session was played to.
    duration
        The scenario's length in hours.
    has_baseline
        Whether the no-action baseline was replayed beside the run.
    path
        The session file, if loaded from one.
    model, scenario
        The infrastructure model and the scenario, as the session ran them.
    injects
        One row per inject of the scenario and ad-hoc inject: ``inject``,
        ``order`` (position in the scenario), ``at`` (hours, or NaN for a branch),
        ``when`` (the branch condition as text, else empty), ``delivered_at``,
        ``status`` (``delivered``, ``skipped``, ``pending``), ``teams``,
        ``channel``, ``title_pl``/``title_en``, ``message_pl``/``message_en``,
        ``adhoc``, ``edited``, ``expectations`` (count), ``points`` and ``max``
        of its expectations.  Sorted by delivery time, then scheduled time (not
        delivered last), then scenario order.
    effects
        The engine effects of every inject: ``inject``, ``verb``, ``target``
        (asset, zone or claim) and ``asset`` (one row per asset a zone holds; empty
        for claims).  Scenario order.
    actions
        One row per accepted team action, by id (``A001``...; refused
        submissions are in ``refusals``): ``team``, ``action``,
        ``target``, ``params`` (``key=value`` text), ``note``, the times it was
        ``submitted``, ``queued``, ``started``, ``completed`` and ``finished``
        (completed, failed, cancelled or refused; NaN if not yet), its final
        ``status`` and ``detail``; when it met an expectation: ``expectation``,
        ``inject``, ``delivered_at`` (of the inject), ``within`` (the window),
        ``latency`` (hours from the delivery to the submission) and ``score``
        (``met`` or ``late``).
    scores
        One row per expectation of a delivered inject, by window opening then
        scenario order: ``expectation``, ``inject``, ``team``, ``action``,
        ``target``, ``within``, ``pillar``, ``capability``, ``status`` (``met``,
        ``late``, ``missed``, or ``pending`` while the window is open), ``points``,
        ``max``, ``opened_at``, ``deadline``, ``scored_at``, ``action_id``,
        ``submitted`` and ``latency`` (hours from the delivery to the action).
    ratings
        The facilitator's latest HSEEP rating of each inject and team, and of each
        core capability (and team, empty for all): ``t``, ``inject`` (empty for
        a capability), ``team``, ``rating`` (P, S, M, U), ``note`` (the
        observation), ``capability`` (empty for an inject), ``analysis``,
        ``root_cause``.  By time.
    notes
        The facilitator's notes: ``t``, ``team`` (empty if none), ``text``.
    messages
        Consequence messages of each run: ``run``, ``t``, ``topic``, ``subject``,
        ``teams``, ``text_pl``, ``text_en``.
    metrics
        The figures after each instant that changed them and on the sample grid,
        one row per run and time: ``run``, ``t``, ``people_without_<service>``
        for every service, ``people_in_need``, ``vulnerable_at_risk``,
        ``critical_down``.
    claims
        Believers of each disinformation claim: ``run``, ``t``, ``claim``,
        ``believers``.
    reach
        Whom each message to residents reached (docs/information.md 2), one
        row per message and district it went to, in the order sent:
        ``message`` (the action's id), ``team``, ``action`` (``public_alert``,
        ``debunk``, ``open_aid_point``), ``channel``, ``topic`` (a claim's id
        for a debunk), ``sent_at``, ``delivered_at`` (NaN while on its way),
        ``district``, its ``population``, the people ``reached`` there (0 where
        it has not arrived) and their ``share`` of the district.
    assets
        The engine's asset changes: ``run``, ``t``, ``asset``, ``name``,
        ``sector``, ``state`` (``up``, ``backup``, ``down``) and ``causes``
        (``damaged``, ``compromised``, ``isolated``, ``needs:<service>``).  The
        first instant lists every asset not up.  By run, time, asset id.
    services
        Residents without each service, per district: ``run``, ``t``,
        ``district``, ``service``, ``without``.  By run, time, district, service.
    outcome
        Person-hours without each service (``measure`` ``person_hours``), peak and
        person-hours of people in need: ``actual``, ``baseline`` and ``avoided``
        (baseline minus actual; NaN without a baseline).
    points_by_team, points_by_pillar
        Points earned and available (``points``, ``max``, ``share`` in percent,
        NaN when nothing was available) by team and by the seven pillars.
    teams, districts, asset_info, dependencies
        The scenario's teams and the model's districts, assets (``critical``,
        ``provides``, ``zones``, ``cyber``) and needs (one row per ``asset``,
        ``service`` and ``provider``, with ``k`` and the need's ``buffer``).
    """

    scenario_id: str
    title: str
    description: str
    start: datetime | None
    seed: int
    end: float
    duration: float
    has_baseline: bool
    model: InfrastructureModel
    scenario: Scenario
    injects: pd.DataFrame
    effects: pd.DataFrame
    actions: pd.DataFrame
    scores: pd.DataFrame
    ratings: pd.DataFrame
    notes: pd.DataFrame
    messages: pd.DataFrame
    metrics: pd.DataFrame
    claims: pd.DataFrame
    reach: pd.DataFrame
    assets: pd.DataFrame
    services: pd.DataFrame
    outcome: pd.DataFrame
    points_by_team: pd.DataFrame
    points_by_pillar: pd.DataFrame
    teams: pd.DataFrame
    districts: pd.DataFrame
    asset_info: pd.DataFrame
    dependencies: pd.DataFrame
    path: Path | None = None
    label: str = field(default="")
    """A short name for comparisons (the session file's stem by default)."""
    created: str | None = None
    """When the session journal was created (ISO 8601, UTC), if loaded from a file."""
    outcome_index: dict[str, Any] = field(default_factory=dict)
    """The export summary's ``outcome`` (index, harms, by objective and team), if computed."""
    refusals: pd.DataFrame = field(default_factory=lambda: _frame("refusals", []))
    """Refused submissions (not team decisions): ``refusal`` (``R001``...), ``t``,
    ``team``, ``action``, ``target``, ``params``, ``reason_pl``, ``reason_en``."""

    def clock(self, t: float) -> str:
        """``D+1 14:30`` from the scenario's start, or ``t+38h30m`` without one."""
        return clock_label(self.start, t)

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every frame by name, in the order of :data:`FRAME_NAMES` (for spreadsheets)."""
        return {name: getattr(self, name) for name in FRAME_NAMES}

    @property
    def services_shown(self) -> tuple[str, ...]:
        """Services the metrics count, the four main ones first."""
        found = {
            str(c).removeprefix("people_without_")
            for c in self.metrics.columns
            if str(c).startswith("people_without_")
        }
        return (*SERVICES_SHOWN, *sorted(found - set(SERVICES_SHOWN)))

    def team_name(self, team: str, lang: str) -> str:
        """A team's name in ``lang``, or its id if unknown."""
        return names.team_name(self.scenario, team, lang)

    def team_label(self, team: str, lang: str) -> str:
        """A team's short name in ``lang`` (:func:`cybrelia.files.names.short_name`).

        Reports and charts name teams by it, not by their ids; the full names
        are in the report's overview.
        """
        return names.short_name(self.team_name(team, lang))

    def target_label(self, target: str, action: str, lang: str) -> str:
        """The target of an action by its name in ``lang`` (see :mod:`cybrelia.files.names`)."""
        return names.target_name(self.model, self.scenario, target, action, lang)

    def asset_name(self, asset: str) -> str:
        """An asset's display name, or the id if unknown."""
        return names.asset_name(self.model, asset)


def load_session(path: str | os.PathLike[str], *, baseline: bool = True) -> SessionData:
    """Replay the session journal at ``path`` and return its frames.

    Parameters
    ----------
    path
        A session file made by ``cybrelia run`` or the console.
    baseline
        Also replay the no-action baseline to the same time (the default).

    Returns
    -------
    SessionData
        Metadata and frames; ``label`` is the file's stem.

    Raises
    ------
    cybrelia.exercise.journal.JournalError
        If the file is not a session journal of this version.
    """
    from cybrelia.exercise.export import replay_session
    from cybrelia.exercise.outcome import outcome_record

    replay = replay_session(path, baseline=baseline)
    data = from_exercise(replay.actual, replay.baseline, path=Path(path), label=Path(path).stem)
    index = (
        outcome_record(replay.actual, replay.baseline, replay.inputs, replay.reference)
        if replay.baseline is not None
        else {}
    )
    return replace(data, created=replay.created, outcome_index=index)


def from_exercise(
    actual: Exercise,
    baseline: Exercise | None = None,
    *,
    path: Path | None = None,
    label: str | None = None,
) -> SessionData:
    """Frames of exercises in memory: the run and, optionally, its no-action baseline.

    Parameters
    ----------
    actual
        The exercise as played (``session.exercise`` of a live session).
    baseline
        The same scenario, seed and facilitator inputs without team actions,
        advanced to the same time, or None.
    path
        The session file, if any (kept as metadata).
    label
        Short name for comparisons; the scenario id by default.

    Notes
    -----
    The person-hour totals are brought up to the exercise's current time, which
    may add a metrics event to the exercises' histories; the frames are taken
    from the histories before that.
    """
    runs: list[tuple[Run, list[ExerciseEvent]]] = [("actual", list(actual.history))]
    if baseline is not None:
        runs.append(("baseline", list(baseline.history)))
    scenario = actual.scenario
    model = actual.model
    records = _run_records(runs, model)
    metrics, claims = _metrics(records.metrics)
    history = runs[0][1]
    # outcome() brings the person-hours up to now (see the notes), before the points.
    actual_outcome = outcome(actual)
    baseline_outcome = outcome(baseline) if baseline is not None else None
    earned = points(actual)
    return SessionData(
        scenario_id=scenario.id or "scenario",
        title=scenario.title or scenario.id or "scenario",
        description=scenario.description,
        start=scenario.start,
        seed=actual.seed,
        end=actual.now,
        duration=scenario.duration,
        has_baseline=baseline is not None,
        model=model,
        scenario=scenario,
        injects=_injects(actual, history),
        effects=_effects(actual),
        actions=_actions(actual, history),
        refusals=_refusals(actual),
        scores=_scores(actual, history),
        ratings=_ratings(actual),
        notes=_notes(history),
        messages=_sorted(_frame("messages", records.messages), ["run", "t"]),
        metrics=metrics,
        claims=claims,
        reach=_reach(actual),
        assets=_sorted(_frame("assets", records.assets), ["run", "t", "asset"]),
        services=_sorted(_frame("services", records.services), ["run", "t", "district", "service"]),
        outcome=_outcome(actual_outcome, baseline_outcome),
        points_by_team=_points_by_team(actual, earned["by_team"]),
        points_by_pillar=_points_by_pillar(earned["by_pillar"]),
        teams=_teams(scenario),
        districts=_districts(model),
        asset_info=_asset_info(model),
        dependencies=_dependencies(model),
        path=path,
        label=label if label is not None else (scenario.id or "scenario"),
    )


@dataclass
class _RunRecords:
    """The rows the runs' histories give: asset and service changes, messages, metrics."""

    assets: list[dict[str, Any]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    metrics: list[tuple[Run, MetricsEvent]] = field(default_factory=list)


def _run_records(
    runs: list[tuple[Run, list[ExerciseEvent]]], model: InfrastructureModel
) -> _RunRecords:
    """Walk each run's history once, collecting the rows of the frames both runs have."""
    names = {asset.id: asset.label for asset in model.assets}
    sectors = {asset.id: asset.sector or "other" for asset in model.assets}
    records = _RunRecords()
    for run, history in runs:
        for event in history:
            if isinstance(event, StateEvent):
                for change in event.step.assets:
                    records.assets.append(
                        {
                            "run": run,
                            "t": change.t,
                            "asset": change.asset,
                            "name": names.get(change.asset, change.asset),
                            "sector": sectors.get(change.asset, "other"),
                            "state": change.state,
                            "causes": ", ".join(change.causes),
                        }
                    )
                for service_change in event.step.services:
                    records.services.append(
                        {
                            "run": run,
                            "t": service_change.t,
                            "district": service_change.district,
                            "service": service_change.service,
                            "without": service_change.without,
                        }
                    )
            elif isinstance(event, MetricsEvent):
                records.metrics.append((run, event))
            elif isinstance(event, MessageEvent):
                records.messages.append(
                    {
                        "run": run,
                        "t": event.t,
                        "topic": event.topic,
                        "subject": event.subject,
                        "teams": ", ".join(event.to),
                        "text_pl": event.text.get("pl", ""),
                        "text_en": event.text.get("en", ""),
                    }
                )
    return records


def _ratings(exercise: Exercise) -> pd.DataFrame:
    """The facilitator's latest rating of each inject and team and of each capability, by time."""
    ratings = sorted(
        [*exercise.ratings.values(), *exercise.capability_ratings.values()],
        key=lambda r: (r.t, r.inject, r.capability, r.team),
    )
    return _frame(
        "ratings",
        [{name: getattr(r, name) for name in _COLUMNS["ratings"]} for r in ratings],
    )


def _notes(history: list[ExerciseEvent]) -> pd.DataFrame:
    """The facilitator's notes, in the order they were written."""
    return _frame(
        "notes",
        [
            {"t": e.t, "team": e.team or "", "text": e.text}
            for e in history
            if isinstance(e, NoteEvent)
        ],
    )


def _points_by_team(exercise: Exercise, by_team: dict[str, dict[str, float]]) -> pd.DataFrame:
    """Points earned and available by team, with the teams' names."""
    teams = exercise.teams
    return _frame(
        "points_by_team",
        [
            {
                "team": team,
                "name_pl": teams[team].name.pl if team in teams else team,
                "name_en": teams[team].name.en if team in teams else team,
                "points": bucket["points"],
                "max": bucket["max"],
                "share": _share(bucket["points"], bucket["max"]),
            }
            for team, bucket in by_team.items()
        ],
    )


def _points_by_pillar(by_pillar: dict[str, dict[str, float]]) -> pd.DataFrame:
    """Points earned and available by pillar, with the pillars' names."""
    return _frame(
        "points_by_pillar",
        [
            {
                "pillar": int(pillar),
                "name_pl": pillar_label(int(pillar), "pl", numbered=False),
                "name_en": pillar_label(int(pillar), "en", numbered=False),
                "points": bucket["points"],
                "max": bucket["max"],
                "share": _share(bucket["points"], bucket["max"]),
            }
            for pillar, bucket in by_pillar.items()
        ],
    )


def _teams(scenario: Scenario) -> pd.DataFrame:
    """The scenario's teams."""
    return _frame(
        "teams",
        [
            {
                "team": team.id,
                "name_pl": team.name.pl,
                "name_en": team.name.en,
                "role": team.role,
                "sectors": ", ".join(team.sectors),
            }
            for team in scenario.teams
        ],
    )


def _districts(model: InfrastructureModel) -> pd.DataFrame:
    """The model's districts."""
    return _frame(
        "districts",
        [
            {
                "district": d.id,
                "name": d.name or d.id,
                "population": d.population,
                "prepared_share": d.prepared_share,
                "vulnerable": d.vulnerable,
            }
            for d in model.districts
        ],
    )


def _asset_info(model: InfrastructureModel) -> pd.DataFrame:
    """The model's assets, one row each."""
    return _frame(
        "asset_info",
        [
            {
                "asset": a.id,
                "name": a.label,
                "type": a.type,
                "sector": a.sector or "other",
                "critical": a.critical,
                "provides": ", ".join(a.provides),
                "zones": ", ".join(a.zones),
                "cyber": a.cyber is not None,
            }
            for a in model.assets
        ],
    )


def _dependencies(model: InfrastructureModel) -> pd.DataFrame:
    """The model's needs, one row per asset, service and provider."""
    return _frame(
        "dependencies",
        [
            {
                "asset": a.id,
                "service": service,
                "provider": provider,
                "k": need.k,
                "buffer": need.buffer.kind if need.buffer is not None else "",
                "buffer_hours": need.buffer.hours if need.buffer is not None else math.nan,
            }
            for a in model.assets
            for service, need in sorted(a.needs.items())
            for provider in need.from_
        ],
    )


def _sorted(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Sort stably (the history's order breaks ties), ``actual`` before ``baseline``."""
    if frame.empty:
        return frame
    key = frame.copy()
    if "run" in key.columns:
        key["run"] = key["run"].map({"actual": 0, "baseline": 1})
    order = key.sort_values(by, kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def _share(earned: float, available: float) -> float:
    return round(100.0 * earned / available, 1) if available else math.nan


def _metrics(events: list[tuple[Run, MetricsEvent]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Metrics (last figures of each run and instant) and believers of each claim."""
    last: dict[tuple[Run, float], MetricsEvent] = {}
    for run, event in events:
        last[(run, event.t)] = event
    services = sorted(
        set(SERVICES_SHOWN).union(*(e.people_without for e in last.values()))
        if last
        else set(SERVICES_SHOWN)
    )
    ordered = sorted(last.items(), key=lambda item: (RUNS.index(item[0][0]), item[0][1]))
    rows: list[dict[str, Any]] = []
    claim_rows: list[dict[str, Any]] = []
    for (run, t), event in ordered:
        row: dict[str, Any] = {"run": run, "t": t}
        for service in services:
            row[f"people_without_{service}"] = event.people_without.get(service, 0)
        row["people_in_need"] = event.people_in_need
        row["vulnerable_at_risk"] = event.vulnerable_at_risk
        row["critical_down"] = event.critical_down
        rows.append(row)
        for claim, believers in sorted(event.believers.items()):
            claim_rows.append({"run": run, "t": t, "claim": claim, "believers": believers})
    columns = [
        "run",
        "t",
        *(f"people_without_{s}" for s in services),
        "people_in_need",
        "vulnerable_at_risk",
        "critical_down",
    ]
    return _frame("metrics", rows, columns), _frame("claims", claim_rows)


def people_without(
    data: SessionData, services: Iterable[str] | None = None, *, run: Run | None = None
) -> pd.DataFrame:
    """The people-without columns of the metrics in long form.

    Parameters
    ----------
    data
        A session.
    services
        Services to keep (all by default).
    run
        Keep one run only.

    Returns
    -------
    pandas.DataFrame
        ``run``, ``t``, ``service``, ``people``; by run, service, time.
    """
    wanted = list(services) if services is not None else list(data.services_shown)
    columns = [f"people_without_{s}" for s in wanted if f"people_without_{s}" in data.metrics]
    frame = data.metrics if run is None else data.metrics[data.metrics["run"] == run]
    long = frame.melt(
        id_vars=["run", "t"], value_vars=columns, var_name="service", value_name="people"
    )
    long["service"] = long["service"].str.removeprefix("people_without_")
    long["people"] = long["people"].astype("int64")
    return _sorted(long, ["run", "service", "t"])


def condition_text(condition: Condition | None) -> str:
    """A branch condition as a short text: ``suw-wierzbowa down for 2h``, ``met I-03.1``.

    Empty for None (a timed inject).
    """
    if condition is None:
        return ""
    if condition.asset is not None:
        asset = condition.asset
        base = f"{asset.id} {asset.state}"
        if asset.for_:
            base += f" for {format_duration(asset.for_)}"
    elif condition.metric is not None:
        metric = condition.metric
        if metric.above is not None:
            base = f"{metric.name} > {metric.above:g}"
        else:
            assert metric.below is not None
            base = f"{metric.name} < {metric.below:g}"
    elif condition.delivered is not None:
        base = f"delivered {condition.delivered}"
    elif condition.met is not None:
        base = f"met {condition.met}"
    else:
        base = f"missed {condition.missed}"
    if condition.after:
        base += f" + {format_duration(condition.after)}"
    return base


def _injects(exercise: Exercise, history: list[ExerciseEvent]) -> pd.DataFrame:
    edited = {e.inject for e in history if isinstance(e, InjectEvent) and e.status == "edited"}
    expectations: dict[str, list[Any]] = {}
    for expectation in exercise.expectations.values():
        expectations.setdefault(expectation.inject, []).append(expectation)
    rows = []
    for order, (inject_id, state) in enumerate(exercise.injects.items()):
        spec = state.spec
        delivered = expectations.get(inject_id, [])
        rows.append(
            {
                "inject": inject_id,
                "order": order,
                "at": spec.at if spec.at is not None and not state.adhoc else math.nan,
                "when": condition_text(spec.when),
                "delivered_at": state.delivered_at,
                "status": state.status,
                "teams": ", ".join(spec.to),
                "channel": spec.channel or "",
                "title_pl": spec.title.pl if spec.title else inject_id,
                "title_en": spec.title.en if spec.title else inject_id,
                "message_pl": spec.message.pl if spec.message else "",
                "message_en": spec.message.en if spec.message else "",
                "adhoc": state.adhoc,
                "edited": inject_id in edited,
                "expectations": len(spec.expect),
                "points": float(sum(e.points for e in delivered)),
                "max": sum(e.points for e in spec.expect),
            }
        )
    frame = _frame("injects", rows)
    if frame.empty:
        return frame
    key = pd.DataFrame(
        {
            "d": frame["delivered_at"].fillna(math.inf),
            "a": frame["at"].fillna(math.inf),
            "o": frame["order"],
        }
    )
    order_index = key.sort_values(["d", "a", "o"], kind="stable").index
    return frame.loc[order_index].reset_index(drop=True)


def _effects(exercise: Exercise) -> pd.DataFrame:
    zones: dict[str, list[str]] = {}
    for item in exercise.model.assets:
        for zone in item.zones:
            zones.setdefault(zone, []).append(item.id)
    rows = []
    for inject_id, state in exercise.injects.items():
        for effect in state.spec.effects:
            verb = effect.verb
            for target in effect.targets:
                if verb == "claim":
                    assets = [""]
                elif verb == "damage_zone":
                    assets = sorted(zones.get(target, [])) or [""]
                else:
                    assets = [target]
                for asset in assets:
                    rows.append(
                        {"inject": inject_id, "verb": verb, "target": target, "asset": asset}
                    )
    return _frame("effects", rows)


def _actions(exercise: Exercise, history: list[ExerciseEvent]) -> pd.DataFrame:
    first: dict[tuple[str, str], float] = {}
    for event in history:
        if isinstance(event, ActionEvent):
            first.setdefault((event.action_id, event.status), event.t)
    matched = {
        state.action_id: state for state in exercise.expectations.values() if state.action_id
    }
    rows = []
    for action_id, state in exercise.actions.items():
        request = state.request
        expectation = matched.get(action_id)
        rows.append(
            {
                "action_id": action_id,
                "team": request.team,
                "action": request.action,
                "target": request.target or "",
                "params": " ".join(f"{k}={v}" for k, v in sorted(request.params.items())),
                "note": request.note,
                "submitted": state.submitted_at,
                "queued": first.get((action_id, "queued"), math.nan),
                "started": first.get((action_id, "started"), math.nan),
                "completed": first.get((action_id, "completed"), math.nan),
                "finished": state.finished_at if state.finished_at is not None else math.nan,
                "status": state.status,
                "detail": state.detail,
                "expectation": expectation.spec.id or "" if expectation else "",
                "inject": expectation.inject if expectation else "",
                "delivered_at": expectation.opened_at if expectation else math.nan,
                "within": expectation.spec.within if expectation else math.nan,
                "latency": state.submitted_at - expectation.opened_at if expectation else math.nan,
                "score": expectation.status if expectation else "",
            }
        )
    return _frame("actions", rows)


def _reach(exercise: Exercise) -> pd.DataFrame:
    """Each message to residents and whom it reached in each of its districts."""
    districts = exercise.population.districts
    rows = []
    for message_id, message in exercise.information.messages.items():
        action = exercise.actions.get(message_id)
        for district in message.districts:
            population = districts[district].population
            reached = message.reached.get(district, 0)
            rows.append(
                {
                    "message": message_id,
                    "team": action.request.team if action is not None else "",
                    "action": action.request.action if action is not None else "",
                    "channel": message.channel,
                    "topic": message.topic,
                    "sent_at": message.sent_at,
                    "delivered_at": math.nan
                    if message.delivered_at is None
                    else message.delivered_at,
                    "district": district,
                    "population": population,
                    "reached": reached,
                    "share": reached / population if population else 0.0,
                }
            )
    return _frame("reach", rows)


def _refusals(exercise: Exercise) -> pd.DataFrame:
    rows = [
        {
            "refusal": refusal_id,
            "t": state.submitted_at,
            "team": state.request.team,
            "action": state.request.action,
            "target": state.request.target or "",
            "params": " ".join(f"{k}={v}" for k, v in sorted(state.request.params.items())),
            "reason_pl": state.detail_pl or state.detail,
            "reason_en": state.detail,
        }
        for refusal_id, state in exercise.refusals.items()
    ]
    return _frame("refusals", rows)


def _scores(exercise: Exercise, history: list[ExerciseEvent]) -> pd.DataFrame:
    scored = {e.expectation: e.t for e in history if isinstance(e, ScoreEvent)}
    rows = []
    for expectation_id, state in exercise.expectations.items():
        spec = state.spec
        action = exercise.actions.get(state.action_id) if state.action_id else None
        rows.append(
            {
                "expectation": expectation_id,
                "inject": state.inject,
                "team": spec.team,
                "action": spec.action,
                "target": spec.target or "",
                "within": spec.within,
                "pillar": spec.pillar,
                "capability": spec.capability,
                "status": state.status,
                "points": state.points,
                "max": spec.points,
                "opened_at": state.opened_at,
                "deadline": state.deadline,
                "scored_at": scored.get(expectation_id, math.nan),
                "action_id": state.action_id or "",
                "submitted": action.submitted_at if action else math.nan,
                "latency": action.submitted_at - state.opened_at if action else math.nan,
            }
        )
    return _sorted(_frame("scores", rows), ["opened_at"])


def _outcome(actual: dict[str, Any], baseline: dict[str, Any] | None) -> pd.DataFrame:
    services = sorted(set(actual["person_hours"]) | set((baseline or {}).get("person_hours", {})))
    rows: list[dict[str, Any]] = []

    def add(measure: str, service: str, a: float, b: float | None) -> None:
        rows.append(
            {
                "measure": measure,
                "service": service,
                "actual": a,
                "baseline": math.nan if b is None else b,
                "avoided": math.nan if b is None else round(b - a, 3),
            }
        )

    for service in services:
        add(
            "person_hours",
            service,
            actual["person_hours"].get(service, 0.0),
            None if baseline is None else baseline["person_hours"].get(service, 0.0),
        )
    add(
        "people_in_need_peak",
        "",
        actual["people_in_need_peak"],
        None if baseline is None else baseline["people_in_need_peak"],
    )
    add(
        "people_in_need_person_hours",
        "",
        actual["people_in_need_person_hours"],
        None if baseline is None else baseline["people_in_need_person_hours"],
    )
    return _frame("outcome", rows)


# --- derived frames -------------------------------------------------------------------------


def asset_intervals(data: SessionData, run: Run = "actual") -> pd.DataFrame:
    """Periods during which assets were on backup or down.

    Consecutive changes in the same state (only the causes changed) make one
    period, whose ``causes`` are those it started with and ``all_causes``
    every cause seen during it.

    Parameters
    ----------
    data
        A session.
    run
        ``actual`` or ``baseline``.

    Returns
    -------
    pandas.DataFrame
        ``asset``, ``name``, ``sector``, ``state`` (``backup`` or ``down``),
        ``start``, ``end`` (the session's end if still going), ``ongoing``,
        ``causes``, ``all_causes``; by asset, then start.
    """
    changes = data.assets[data.assets["run"] == run]
    rows: list[dict[str, Any]] = []
    open_: dict[str, dict[str, Any]] = {}
    for change in changes.itertuples(index=False):
        asset = str(change.asset)
        current = open_.get(asset)
        causes = [c for c in str(change.causes).split(", ") if c]
        if current is not None and current["state"] == change.state:
            for cause in causes:
                if cause not in current["all"]:
                    current["all"].append(cause)
            continue
        if current is not None:
            current["end"] = float(change.t)
            rows.append(current)
            del open_[asset]
        if change.state != "up":
            open_[asset] = {
                "asset": asset,
                "name": change.name,
                "sector": change.sector,
                "state": change.state,
                "start": float(change.t),
                "end": math.nan,
                "causes": ", ".join(causes),
                "all": list(causes),
            }
    for current in open_.values():
        current["end"] = math.nan
        rows.append(current)
    out = [
        {
            "asset": r["asset"],
            "name": r["name"],
            "sector": r["sector"],
            "state": r["state"],
            "start": r["start"],
            "end": data.end if math.isnan(r["end"]) else r["end"],
            "ongoing": math.isnan(r["end"]),
            "causes": r["causes"],
            "all_causes": ", ".join(r["all"]),
        }
        for r in rows
    ]
    columns = [
        "asset",
        "name",
        "sector",
        "state",
        "start",
        "end",
        "ongoing",
        "causes",
        "all_causes",
    ]
    frame = pd.DataFrame(out, columns=columns)
    frame["start"] = frame["start"].astype("float64")
    frame["end"] = frame["end"].astype("float64")
    frame["ongoing"] = frame["ongoing"].astype("bool")
    return frame.sort_values(["asset", "start"], kind="stable").reset_index(drop=True)
