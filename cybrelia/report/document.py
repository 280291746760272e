"""The after-action report as a document: sections of headings, text, tables and charts.

:func:`build_document` turns one or more sessions into a :class:`Document`,
independent of its format; :mod:`cybrelia.report.render` writes it as HTML or
Markdown.  The sections of a session, in order (their ids are the
``SECTIONS`` keys):

``overview``
    The HSEEP exercise overview: name, dates, location, scope, core
    capabilities, objectives, the threat and scenario, the participating
    organisations.
``summary``
    The scenario, the session, the teams, points, ratings and the outcome in
    a few figures.
``timeline``
    Key events by time: injects, consequence messages, critical facilities
    back up, expectations missed, ratings, the facilitator's notes.
``injects``
    The response-time chart, then each inject: when and to whom it went, its
    message, the expected actions and what the teams did, other actions of
    the teams addressed within its window, and the ratings.
``outcome``
    Person-hours without each service and people in need, against the
    no-action baseline, with the charts over time.
``information``
    Each message the teams sent to residents (alerts, debunks, aid points):
    when, by whom, on which channel, about what, and whom it reached in
    each district, computed from the state when it got there.
``infrastructure``
    Asset states by sector, and the largest cascade of failures.
``findings``
    The analysis of each objective and its core capability (HSEEP): the
    facilitator's P/S/M/U rating of the capability with its notes, then its
    strengths and areas for improvement, each with observation, analysis and
    root cause; then all strengths (ratings P and S, expectations met) and
    areas for improvement (ratings M and U, expectations missed or late), the
    refused submissions and the facilitator's notes.
``plan``
    The improvement plan: area, recommendation, responsible team, pillar.
``pillars``
    Points by pillar and by team, with bars and a radar.
``participants``
    Appendix: the participating teams (organisations), roles and sectors.

With several sessions, a ``comparison`` section comes first (figures side by
side, people without water per session, points by pillar per session), then
each session's sections.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pandas as pd

from cybrelia.analysis.cascade import cascade_candidates
from cybrelia.analysis.charts import (
    CHARTS,
    cascade_chart,
    compare_pillars_chart,
    compare_without_chart,
    figure_bytes,
)
from cybrelia.analysis.frames import SessionData
from cybrelia.exercise.conditions import condition_label
from cybrelia.exercise.core import SERVICES_SHOWN
from cybrelia.files.capabilities import CAPABILITIES, capability_id, capability_name
from cybrelia.files.sanitize import slug
from cybrelia.files.scenario import objective_of
from cybrelia.i18n import (
    action_label,
    action_status_label,
    channel_label,
    check_lang,
    duration_label,
    format_date,
    format_datetime,
    format_number,
    lookup,
    pillar_label,
    rating_label,
    sector_label,
    service_label,
    text,
    topic_label,
)

__all__ = [
    "PLAN_COLUMNS",
    "SECTIONS",
    "SHORTFALL",
    "Block",
    "Bullets",
    "Chart",
    "Document",
    "Heading",
    "Paragraph",
    "Table",
    "build_document",
    "is_strength",
]

#: The sections of a session's report, by id, with their label keys.
SECTIONS: dict[str, str] = {
    "overview": "section.overview",
    "summary": "section.summary",
    "timeline": "section.timeline",
    "injects": "section.injects",
    "outcome": "section.outcome",
    "information": "section.information",
    "infrastructure": "section.infrastructure",
    "findings": "section.findings",
    "plan": "section.plan",
    "pillars": "section.pillars",
    "participants": "section.participants",
}

#: Resolution of the charts in the report.
REPORT_DPI = 130


@dataclass(frozen=True)
class Heading:
    """A heading; ``anchor`` is unique in the document."""

    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text (``small`` for long quoted texts such as messages)."""

    text: str
    small: bool = False


@dataclass(frozen=True)
class Bullets:
    """A list of plain-text items."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table of plain-text cells; ``numeric`` columns are right-aligned."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()
    caption: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart as PNG bytes; ``name`` is its file name without extension."""

    name: str
    caption: str
    png: bytes


Block = Heading | Paragraph | Bullets | Table | Chart


@dataclass
class Document:
    """A report: title, language, and its blocks in order."""

    title: str
    lang: str
    blocks: list[Block] = field(default_factory=list)

    def headings(self, level: int | None = None) -> list[Heading]:
        """The headings (of one level if given), for a table of contents."""
        return [
            b for b in self.blocks if isinstance(b, Heading) and (level is None or b.level == level)
        ]

    def charts(self) -> list[Chart]:
        """The charts, in order."""
        return [b for b in self.blocks if isinstance(b, Chart)]


def build_document(
    sessions: Sequence[SessionData],
    lang: str = "pl",
    *,
    labels: Sequence[str] | None = None,
    dpi: int = REPORT_DPI,
) -> Document:
    """The report of one session, or of several compared.

    Parameters
    ----------
    sessions
        One session, or several of the same scenario (two teams, this year and
        last year).
    lang
        ``pl`` or ``en``.
    labels
        Names of the sessions (their ``label`` by default, made unique).
    dpi
        Resolution of the charts.

    Raises
    ------
    ValueError
        Without sessions, or for an unknown language.
    """
    check_lang(lang)
    if not sessions:
        raise ValueError("a report needs at least one session")
    names = _names(sessions, labels)
    compare = len(sessions) > 1
    title = (
        text("report.comparison_title", lang)
        if compare
        else f"{text('report.title', lang)}: {sessions[0].title}"
    )
    builder = _Builder(Document(title, lang), dpi)
    if compare:
        builder.comparison(sessions, names)
    for data, name in zip(sessions, names, strict=True):
        prefix = slug(name) + "-" if compare else ""
        if compare:
            builder.heading(1, f"{text('summary.session', lang)}: {name}", prefix + "session")
        _session_sections(builder, data, lang, level=2 if compare else 1, prefix=prefix)
    return builder.document


def _names(sessions: Sequence[SessionData], labels: Sequence[str] | None) -> list[str]:
    if labels is not None:
        if len(labels) != len(sessions):
            raise ValueError("one label per session")
        return list(labels)
    names = [s.label or s.scenario_id for s in sessions]
    return [n if names.count(n) == 1 else f"{n} ({i + 1})" for i, n in enumerate(names)]


class _Builder:
    def __init__(self, document: Document, dpi: int) -> None:
        self.document = document
        self.dpi = dpi
        self.lang = document.lang
        self._anchors: set[str] = set()

    def add(self, block: Block) -> None:
        self.document.blocks.append(block)

    def heading(self, level: int, title: str, anchor: str) -> None:
        unique, n = anchor, 2
        while unique in self._anchors:
            unique, n = f"{anchor}-{n}", n + 1
        self._anchors.add(unique)
        self.add(Heading(level, title, unique))

    def paragraph(self, value: str, small: bool = False) -> None:
        if value.strip():
            self.add(Paragraph(value.strip(), small))

    def chart(self, name: str, caption: str, make: Callable[[], Any]) -> None:
        figure = make()
        self.add(Chart(name, caption, figure_bytes(figure, "png", self.dpi)))

    def table(
        self,
        columns: Sequence[str],
        rows: Sequence[Sequence[str]],
        numeric: Sequence[int] = (),
        caption: str = "",
    ) -> None:
        self.add(
            Table(
                tuple(columns),
                tuple(tuple(r) for r in rows),
                frozenset(numeric),
                caption,
            )
        )

    # --- comparison ------------------------------------------------------------------------

    def comparison(self, sessions: Sequence[SessionData], names: list[str]) -> None:
        lang = self.lang
        self.heading(1, text("section.comparison", lang), "comparison")
        if len({s.scenario_id for s in sessions}) > 1:
            self.paragraph(text("report.different_scenarios", lang))
        columns = [
            text("col.session", lang),
            text("summary.scenario", lang),
            text("summary.start", lang),
            text("summary.points", lang),
            *(text("col.pillar", lang) + f" {p}" for p in range(1, 8)),
            text("outcome.in_need_peak", lang),
            text("outcome.person_hours", lang, service=service_label("water", lang)),
            text("col.avoided", lang) + f" ({service_label('water', lang)})",
        ]
        rows = []
        for data, name in zip(sessions, names, strict=True):
            total = data.points_by_team[["points", "max"]].sum()
            pillars = data.points_by_pillar.set_index("pillar")["share"]
            rows.append(
                (
                    name,
                    data.title,
                    _when(data, lang),
                    _points(float(total["points"]), float(total["max"]), lang),
                    *(_percent(float(pillars.get(p, math.nan)), lang) for p in range(1, 8)),
                    _num(_outcome(data, "people_in_need_peak", "", "actual"), lang),
                    _num(_outcome(data, "person_hours", "water", "actual"), lang),
                    _num(_outcome(data, "person_hours", "water", "avoided"), lang),
                )
            )
        self.table(columns, rows, numeric=range(3, len(columns)))
        self.differences(sessions, names)
        self.chart(
            "compare-water",
            text(
                "chart.compare.without.title",
                lang,
                service=service_label("water", lang),
            ),
            lambda: compare_without_chart(sessions, lang, "water", names),
        )
        self.chart(
            "compare-pillars",
            text("chart.compare.pillar.title", lang),
            lambda: compare_pillars_chart(sessions, lang, names),
        )

    def differences(self, sessions: Sequence[SessionData], names: list[str]) -> None:
        """What changed from the first session to each other: by objective, pillar, outcome.

        Objectives are matched by their text in the report's language (the same
        scenario played twice has the same), pillars by number, outcome measures
        by name; each row gives the first session's value, each other's, and
        the difference to the first (points in percentage points).
        """
        lang = self.lang
        first, others = names[0], names[1:]
        measures: dict[str, tuple[int, list[float]]] = {}
        for number, data in enumerate(sessions):
            for label, (value, digits) in _compared(data, lang).items():
                measures.setdefault(label, (digits, [math.nan] * len(sessions)))
                measures[label][1][number] = value
        rows = []
        for label, (digits, values) in measures.items():
            rows.append(
                (
                    label,
                    *(_num(v, lang, digits) for v in values),
                    *(_signed(v - values[0], lang, digits) for v in values[1:]),
                )
            )
        self.heading(2, text("compare.differences", lang), "differences")
        self.table(
            (
                text("col.measure", lang),
                *names,
                *(text("compare.difference", lang, session=o, first=first) for o in others),
            ),
            rows,
            numeric=range(1, 1 + len(names) + len(others)),
        )


def _compared(data: SessionData, lang: str) -> dict[str, tuple[float, int]]:
    """The figures a comparison sets side by side, by their names in ``lang``, with the
    decimal places they are written with (two for an outcome index)."""
    out: dict[str, tuple[float, int]] = {}
    index = data.outcome_index or {}
    by_objective = index.get("by_objective", {})
    scenario = data.scenario
    measures = {
        str(e.id): objective_of(scenario, e) for inject in scenario.injects for e in inject.expect
    }
    for objective in scenario.objective_list():
        own = data.scores[data.scores["expectation"].map(measures) == objective.id]
        available = float(own["max"].sum())
        name = objective.text.get(lang)
        share = 100 * float(own["points"].sum()) / available if available else math.nan
        out[text("compare.objective_points", lang, objective=name)] = (share, 0)
        value = by_objective.get(objective.id, {}).get("index")
        out[text("compare.objective_index", lang, objective=name)] = (_or_nan(value), 2)
    for row in data.points_by_pillar.itertuples(index=False):
        pillar = pillar_label(int(row.pillar), lang)
        out[text("compare.pillar_points", lang, pillar=pillar)] = (float(row.share), 0)
    out[text("summary.index", lang)] = (_or_nan(index.get("index")), 2)
    out[text("col.harm", lang)] = (_or_nan(index.get("harm")), 0)
    peak = _outcome(data, "people_in_need_peak", "", "actual")
    out[text("outcome.in_need_peak", lang)] = (peak, 0)
    for service in SERVICES_SHOWN:
        label = text("outcome.person_hours", lang, service=service_label(service, lang))
        out[label] = (_outcome(data, "person_hours", service, "actual"), 0)
    return out


def _or_nan(value: float | None) -> float:
    return math.nan if value is None else float(value)


def _signed(value: float, lang: str, digits: int) -> str:
    """A difference with its sign (a minus sign for less); ``—`` where a side is missing."""
    if math.isnan(value):
        return text("none", lang)
    magnitude = format_number(abs(value), lang, digits)
    if round(value, digits) == 0:
        return format_number(0, lang, digits)
    return ("+" if value > 0 else "\u2212") + magnitude


# --- one session ---------------------------------------------------------------------------


def _session_sections(
    builder: _Builder, data: SessionData, lang: str, *, level: int, prefix: str
) -> None:
    def section(key: str) -> None:
        builder.heading(level, text(SECTIONS[key], lang), prefix + key)

    def chart(name: str, caption: str) -> None:
        builder.chart(prefix + name, caption, lambda: CHARTS[name](data, lang))

    section("overview")
    _overview(builder, data, lang)
    section("summary")
    _summary(builder, data, lang)
    section("timeline")
    _timeline(builder, data, lang)
    section("injects")
    chart("latency", text("chart.latency.title", lang))
    _injects(builder, data, lang, level + 1, prefix)
    section("outcome")
    _outcome_section(builder, data, lang)
    chart("people-without", text("chart.without.title", lang))
    chart("in-need", text("chart.in_need.title", lang))
    chart("critical-down", text("chart.critical.title", lang))
    section("information")
    _information(builder, data, lang)
    section("infrastructure")
    chart("asset-timeline", text("chart.gantt.title", lang))
    candidates = cascade_candidates(data)
    inject = str(candidates.iloc[0]["inject"]) if not candidates.empty else None
    builder.chart(
        prefix + "cascade",
        text("chart.cascade.title", lang, inject=inject or "—"),
        lambda: cascade_chart(data, lang, inject),
    )
    section("findings")
    _findings(builder, data, lang, level + 1, prefix)
    section("plan")
    _plan(builder, data, lang)
    section("pillars")
    _pillars(builder, data, lang)
    chart("pillar-points", text("chart.pillar.title", lang))
    chart("pillar-radar", text("chart.radar.title", lang))
    chart("team-points", text("chart.team.title", lang))
    section("participants")
    _participants(builder, data, lang)


def _num(value: float, lang: str, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return text("none", lang)
    return format_number(value, lang, digits)


def _percent(value: float, lang: str) -> str:
    return text("none", lang) if math.isnan(value) else f"{format_number(value, lang)}%"


def _points(earned: float, available: float, lang: str) -> str:
    digits = 1 if earned % 1 else 0
    share = f" ({format_number(100 * earned / available, lang)}%)" if available else ""
    return f"{format_number(earned, lang, digits)} / {format_number(available, lang)}{share}"


def _outcome(data: SessionData, measure: str, service: str, column: str) -> float:
    rows = data.outcome[(data.outcome["measure"] == measure) & (data.outcome["service"] == service)]
    return float(rows.iloc[0][column]) if not rows.empty else math.nan


def _when(data: SessionData, lang: str) -> str:
    return format_datetime(data.start, lang) if data.start is not None else "—"


def _title(row: Any, lang: str) -> str:
    return str(row["title_en"] if lang == "en" else row["title_pl"])


def _hours(value: float, lang: str) -> str:
    if value is None or math.isnan(value):
        return text("none", lang)
    return duration_label(value, lang)


def _overview(builder: _Builder, data: SessionData, lang: str) -> None:
    """The HSEEP exercise overview: what, when, where, who, against which objectives."""
    scenario = data.scenario
    objectives = scenario.objective_list()
    if data.created:
        played = format_date(datetime.fromisoformat(data.created[:10]).date(), lang)
    else:
        played = text("none", lang)
    period = duration_label(data.duration, lang)
    if data.start is not None:
        end = data.start + timedelta(hours=data.duration)
        period = (
            f"{format_datetime(data.start, lang)} \u2013 {format_datetime(end, lang)} ({period})"
        )
    capabilities = dict.fromkeys(capability_name(o.capability, lang) for o in objectives)
    organisations = [
        str(t.name_en if lang == "en" else t.name_pl) for t in data.teams.itertuples(index=False)
    ]
    rows = [
        (text("overview.name", lang), data.title),
        (text("overview.played", lang), played),
        (text("overview.period", lang), period),
        (text("overview.location", lang), data.model.name or text("none", lang)),
        (
            text("overview.scope", lang),
            text(
                "overview.scope_text",
                lang,
                injects=len(data.injects),
                teams=len(data.teams),
                objectives=len(objectives),
            ),
        ),
        (text("overview.capabilities", lang), "; ".join(capabilities) or text("none", lang)),
        (
            text("overview.organisations", lang),
            "; ".join(organisations) or text("none", lang),
        ),
    ]
    builder.table((text("col.measure", lang), ""), rows)
    builder.add(
        Bullets(
            tuple(
                f"{number}. {o.text.get(lang)} ({capability_name(o.capability, lang)}; "
                f"{pillar_label(o.pillar, lang)})"
                for number, o in enumerate(objectives, 1)
            )
            or (text("none", lang),)
        )
    )
    builder.paragraph(data.description, small=True)


def _summary(builder: _Builder, data: SessionData, lang: str) -> None:
    injects = data.injects
    delivered = int((injects["status"] == "delivered").sum())
    skipped = int((injects["status"] == "skipped").sum())
    refused = len(data.refusals)
    total = data.points_by_team[["points", "max"]].sum()
    ratings = Counter(data.ratings["rating"])
    teams = "; ".join(
        str(row.name_en if lang == "en" else row.name_pl)
        for row in data.teams.itertuples(index=False)
    )
    skipped_text = f" ({text('status.skipped', lang)}: {skipped})" if skipped else ""
    rows = [
        (text("summary.scenario", lang), f"{data.title} ({data.scenario_id})"),
        (
            text("summary.session", lang),
            data.label
            + (f" \u2013 {data.created[:16].replace('T', ' ')} UTC" if data.created else ""),
        ),
        (text("summary.start", lang), _when(data, lang)),
        (
            text("summary.played", lang),
            f"{duration_label(data.end, lang)} ({data.clock(data.end)})",
        ),
        (text("summary.duration", lang), duration_label(data.duration, lang)),
        (text("summary.seed", lang), str(data.seed)),
        (text("summary.teams", lang), teams or text("none", lang)),
        (text("summary.injects", lang), f"{delivered} / {len(injects)}{skipped_text}"),
        (
            text("summary.actions", lang),
            f"{len(data.actions)} ({text('summary.refused', lang)}: {refused})",
        ),
        (
            text("summary.points", lang),
            _points(float(total["points"]), float(total["max"]), lang),
        ),
        (
            text("summary.ratings", lang),
            ", ".join(f"{r}: {ratings.get(r, 0)}" for r in "PSMU"),
        ),
    ]
    if data.has_baseline:
        index = data.outcome_index
        if index:
            rows.append((text("summary.index", lang), _index(index.get("index"), lang)))
            rows.append(
                (
                    text("summary.harm", lang),
                    " / ".join(
                        _num(index[k], lang) if index.get(k) is not None else text("none", lang)
                        for k in ("harm", "harm_baseline", "harm_reference")
                    ),
                )
            )
        rows.append(
            (
                text("summary.peak_avoided", lang),
                f"{_num(_outcome(data, 'people_in_need_peak', '', 'actual'), lang)} / "
                f"{_num(_outcome(data, 'people_in_need_peak', '', 'baseline'), lang)}",
            )
        )
    builder.table((text("col.measure", lang), ""), rows)


def _timeline(builder: _Builder, data: SessionData, lang: str) -> None:
    events: list[tuple[float, int, str, str]] = []
    for row in data.injects.itertuples(index=False):
        if row.status == "delivered":
            title = row.title_en if lang == "en" else row.title_pl
            events.append(
                (
                    float(row.delivered_at),
                    0,
                    text("kind.inject", lang),
                    f"{row.inject} \u2013 {title}",
                )
            )
    for row in data.messages[data.messages["run"] == "actual"].itertuples(index=False):
        message = row.text_en if lang == "en" else row.text_pl
        events.append((float(row.t), 1, text("kind.message", lang), str(message)))
    critical = set(data.asset_info.loc[data.asset_info["critical"], "asset"])
    changes = data.assets[(data.assets["run"] == "actual") & data.assets["asset"].isin(critical)]
    was_down: set[str] = set()
    for row in changes.itertuples(index=False):
        if row.state == "down":
            was_down.add(str(row.asset))
        elif str(row.asset) in was_down:
            was_down.discard(str(row.asset))
            events.append(
                (
                    float(row.t),
                    2,
                    text("kind.critical", lang),
                    text("event.critical_up", lang, asset=row.name),
                )
            )
    for row in data.scores[data.scores["status"] == "missed"].itertuples(index=False):
        events.append(
            (
                float(row.scored_at),
                3,
                text("status.missed", lang),
                f"{row.expectation} {_team(data, str(row.team), lang)}: "
                f"{action_label(str(row.action), lang)}",
            )
        )
    for row in data.ratings.itertuples(index=False):
        note = f" \u2013 {row.note}" if row.note else ""
        events.append(
            (
                float(row.t),
                4,
                text("kind.rating", lang),
                f"{row.inject or capability_name(str(row.capability), lang)} / "
                f"{_team(data, str(row.team), lang)}: {row.rating}{note}",
            )
        )
    for row in data.notes.itertuples(index=False):
        team = f"{_team(data, str(row.team), lang)}: " if row.team else ""
        events.append((float(row.t), 5, text("kind.note", lang), f"{team}{row.text}"))
    events.sort(key=lambda e: (e[0], e[1]))
    builder.table(
        (text("col.time", lang), text("col.kind", lang), text("col.event", lang)),
        [(data.clock(t), kind, event) for t, _, kind, event in events],
    )


def _injects(builder: _Builder, data: SessionData, lang: str, level: int, prefix: str) -> None:
    """One section per inject: its facts, what was expected, other actions, ratings."""
    actions = data.actions
    matched = set(actions.loc[actions["expectation"] != "", "action_id"])
    for row in data.injects.to_dict("records"):
        inject = str(row["inject"])
        when = (
            data.clock(float(row["delivered_at"]))
            if row["status"] == "delivered"
            else text("status.skipped", lang)
            if row["status"] == "skipped"
            else text("status.pending_inject", lang)
        )
        builder.heading(
            level, f"{inject} · {when} \u2013 {_title(row, lang)}", f"{prefix}inject-{inject}"
        )
        _inject_facts(builder, data, row, lang)
        own = data.scores[data.scores["inject"] == inject]
        _expectations_table(builder, _expected_rows(data, row, own, when, lang), lang)
        if row["status"] == "delivered":
            _other_actions(builder, data, row, own, matched, lang)
        _inject_ratings(builder, data, inject, lang)


def _inject_facts(builder: _Builder, data: SessionData, row: dict[str, Any], lang: str) -> None:
    """To whom, by which channel and when (or on which condition), then the message."""
    facts = [
        f"{text('inject.to', lang)}: "
        + (
            ", ".join(_team(data, t, lang) for t in str(row["teams"]).split(", ") if t)
            or text("none", lang)
        ),
        f"{text('inject.channel', lang)}: "
        + (channel_label(str(row["channel"]), lang) if row["channel"] else text("none", lang)),
    ]
    if row["when"]:
        spec = next((i for i in data.scenario.injects if i.id == row["inject"]), None)
        said = (
            condition_label(spec.when, lang, data.model.asset_index())
            if spec is not None and spec.when is not None
            else str(row["when"])
        )
        facts.append(f"{text('inject.when', lang)}: {said}")
    elif not math.isnan(row["at"]):
        facts.append(f"{text('inject.at', lang)}: {data.clock(float(row['at']))}")
    builder.paragraph(" · ".join(facts))
    builder.paragraph(str(row["message_en"] if lang == "en" else row["message_pl"]), small=True)


def _expected_rows(
    data: SessionData, row: dict[str, Any], own: pd.DataFrame, when: str, lang: str
) -> list[tuple[str, ...]]:
    """The inject's expectations: as scored if it was delivered, else as the scenario has them."""
    if row["status"] == "delivered":
        return [
            (
                str(s.expectation),
                _team(data, str(s.team), lang),
                action_label(str(s.action), lang),
                data.target_label(str(s.target), str(s.action), lang),
                f"{capability_name(str(s.capability), lang)} ({s.pillar})",
                duration_label(float(s.within), lang),
                f"{format_number(float(s.points), lang, 1 if float(s.points) % 1 else 0)}"
                f" / {int(s.max)}",
                text(f"status.{s.status}", lang),
                _hours(float(s.latency), lang) + (f" ({s.action_id})" if s.action_id else ""),
            )
            for s in own.itertuples(index=False)
        ]
    spec = next((s for s in data.scenario.injects if s.id == str(row["inject"])), None)
    return [
        (
            e.id or "",
            _team(data, e.team, lang),
            action_label(e.action, lang),
            data.target_label(e.target or "", e.action, lang),
            f"{capability_name(e.capability, lang)} ({e.pillar})",
            duration_label(e.within, lang),
            f"— / {e.points}",
            when,
            text("none", lang),
        )
        for e in (spec.expect if spec is not None else [])
    ]


def _expectations_table(builder: _Builder, expected: list[tuple[str, ...]], lang: str) -> None:
    """The table of expectations, or a line saying the inject expected nothing."""
    if not expected:
        builder.paragraph(text("inject.none_expected", lang))
        return
    builder.table(
        (
            text("col.expectation", lang),
            text("col.team", lang),
            text("col.action", lang),
            text("col.target", lang),
            text("col.capability_pillar", lang),
            text("col.within", lang),
            text("col.points", lang),
            text("col.status", lang),
            text("col.latency", lang),
        ),
        expected,
        numeric=(6,),
        caption=text("inject.expected", lang),
    )


def _other_actions(
    builder: _Builder,
    data: SessionData,
    row: dict[str, Any],
    own: pd.DataFrame,
    matched: set[str],
    lang: str,
) -> None:
    """Actions of the inject's teams within its longest window that met no expectation."""
    actions = data.actions
    teams = [t for t in str(row["teams"]).split(", ") if t]
    start = float(row["delivered_at"])
    window = float(own["within"].max()) if not own.empty else 2.0
    others = actions[
        actions["team"].isin(teams)
        & (actions["submitted"] >= start)
        & (actions["submitted"] < start + window)
        & ~actions["action_id"].isin(matched)
    ]
    if others.empty:
        return
    builder.table(
        (
            text("col.number", lang),
            text("col.submitted", lang),
            text("col.team", lang),
            text("col.action", lang),
            text("col.target", lang),
            text("col.status", lang),
        ),
        [
            (
                str(a.action_id),
                data.clock(float(a.submitted)),
                _team(data, str(a.team), lang),
                action_label(str(a.action), lang),
                data.target_label(str(a.target), str(a.action), lang),
                action_status_label(str(a.status), lang),
            )
            for a in others.itertuples(index=False)
        ],
        caption=text("inject.other_actions", lang),
    )


def _inject_ratings(builder: _Builder, data: SessionData, inject: str, lang: str) -> None:
    """The facilitator's ratings of the teams' response to the inject, if any."""
    rated = data.ratings[data.ratings["inject"] == inject]
    if rated.empty:
        return
    builder.table(
        (text("col.team", lang), text("col.rating", lang), text("col.note", lang)),
        [
            (_team(data, str(r.team), lang), rating_label(str(r.rating), lang), str(r.note))
            for r in rated.itertuples(index=False)
        ],
        caption=text("inject.ratings", lang),
    )


def _index(value: float | None, lang: str) -> str:
    return text("none", lang) if value is None else format_number(value, lang, 2)


def _outcome_index(builder: _Builder, data: SessionData, lang: str) -> None:
    """The paragraph a wójt understands, then the index by objective."""
    index = data.outcome_index
    if not index:
        return
    builder.paragraph(text("outcome.explained", lang))
    names = {o.id: o.text.get(lang) for o in data.scenario.objective_list()}
    builder.table(
        (
            text("col.objective", lang),
            text("col.index", lang),
            text("col.harm", lang),
            text("col.harm_reference", lang),
        ),
        [
            (
                names.get(objective, objective),
                _index(figures["index"], lang),
                _num(figures["harm"], lang),
                _num(figures["harm_reference"], lang)
                if figures["harm_reference"] is not None
                else text("none", lang),
            )
            for objective, figures in sorted(index["by_objective"].items())
        ],
        numeric=(1, 2, 3),
        caption=text("outcome.by_objective", lang),
    )


def _outcome_section(builder: _Builder, data: SessionData, lang: str) -> None:
    _outcome_index(builder, data, lang)
    outcome = data.outcome
    shown = outcome[
        (outcome["measure"] != "person_hours")
        | outcome["service"].isin(SERVICES_SHOWN)
        | (outcome["actual"] > 0)
        | (outcome["baseline"].fillna(0) > 0)
    ]
    order = {s: i for i, s in enumerate(SERVICES_SHOWN)}
    shown = shown.assign(
        _o=[
            (0, order.get(str(s), len(order)), str(s)) if m == "person_hours" else (1, 0, str(m))
            for m, s in zip(shown["measure"], shown["service"], strict=True)
        ]
    ).sort_values("_o", kind="stable")
    rows = []
    for row in shown.itertuples(index=False):
        if row.measure == "person_hours":
            label = text(
                "outcome.person_hours", lang, service=service_label(str(row.service), lang)
            )
        elif row.measure == "people_in_need_peak":
            label = text("outcome.in_need_peak", lang)
        else:
            label = text("outcome.in_need_hours", lang)
        rows.append(
            (
                label,
                _num(float(row.actual), lang),
                _num(float(row.baseline), lang),
                _num(float(row.avoided), lang),
            )
        )
    builder.table(
        (
            text("col.measure", lang),
            text("col.actual", lang),
            text("col.baseline", lang),
            text("col.avoided", lang),
        ),
        rows,
        numeric=(1, 2, 3),
    )


def _information(builder: _Builder, data: SessionData, lang: str) -> None:
    """Each message to residents and whom it reached, district by district."""
    reach = data.reach
    if reach.empty:
        builder.paragraph(text("reach.none", lang))
        return
    builder.paragraph(text("reach.intro", lang))
    names = dict(zip(data.districts["district"], data.districts["name"], strict=True))
    claims = {
        effect.claim.id: effect.claim.text.get(lang)
        for inject in data.scenario.injects
        for effect in inject.effects
        if effect.claim is not None
    }
    rows = []
    for message, group in reach.groupby("message", sort=False):
        first = group.iloc[0]
        topic = str(first["topic"])
        if topic in claims:
            about = text("reach.claim", lang, claim=claims[topic])
        else:
            about = topic_label(topic, lang)
        population = int(group["population"].sum())
        reached = int(group["reached"].sum())
        delivered = not math.isnan(float(first["delivered_at"]))
        by_district = "; ".join(
            f"{names.get(row.district, row.district)} "
            f"{_percent(100.0 * float(row.share), lang)} ({_num(int(row.reached), lang)})"
            for row in group.itertuples(index=False)
        )
        rows.append(
            (
                data.clock(float(first["sent_at"])),
                f"{message} {_team(data, str(first['team']), lang)}",
                channel_label(str(first["channel"]), lang),
                about,
                text(
                    "reach.reached",
                    lang,
                    reached=_num(reached, lang),
                    total=_num(population, lang),
                    share=_percent(100.0 * reached / population if population else 0.0, lang),
                )
                + ("" if delivered else " " + text("reach.on_its_way", lang)),
                by_district,
            )
        )
    builder.table(
        (
            text("col.time", lang),
            text("col.team", lang),
            text("col.channel", lang),
            text("col.topic", lang),
            text("col.reached", lang),
            text("col.by_district", lang),
        ),
        rows,
    )


@dataclass(frozen=True)
class _Finding:
    """A strength or an area for improvement, as HSEEP files it."""

    source: str
    observation: str
    analysis: str
    root_cause: str
    strength: bool


def _team(data: SessionData, team: str, lang: str) -> str:
    """A team's short name (:meth:`SessionData.team_label`); all teams when empty."""
    return data.team_label(team, lang) if team else text("findings.all_teams", lang)


def _capability_ratings(data: SessionData, capability: str) -> list[Any]:
    """The facilitator's ratings of a core capability (by id or name), by time."""
    known = capability_id(capability) or capability
    ratings = data.ratings
    return list(ratings[ratings["capability"] == known].itertuples(index=False))


def _rating_finding(data: SessionData, rating: Any, lang: str) -> _Finding:
    """A rating as a finding: a strength or an area for improvement, as its note says."""
    who = _team(data, str(rating.team), lang)
    source = (
        f"{rating.inject} \u2013 {who}: {rating.rating}"
        if rating.inject
        else f"{text('findings.capability_rating', lang)} \u2013 {who}: {rating.rating}"
    )
    return _Finding(
        source,
        str(rating.note) or text("none", lang),
        str(rating.analysis) or text("none", lang),
        str(rating.root_cause) or text("findings.root_cause_unknown", lang),
        is_strength(str(rating.rating), str(rating.note)),
    )


def _expectation_findings(data: SessionData, own: pd.DataFrame, lang: str) -> list[_Finding]:
    """The objective's expectations: those met in one strength, each missed or late apart."""
    decided = own[own["status"] != "pending"]
    out = []
    met = int((decided["status"] == "met").sum())
    if met:
        out.append(
            _Finding(
                text("findings.expectations", lang),
                text("findings.met", lang, count=met, total=len(decided)),
                text("none", lang),
                text("none", lang),
                True,
            )
        )
    for s in decided[decided["status"].isin(["missed", "late"])].itertuples(index=False):
        within = duration_label(float(s.within), lang)
        analysis = (
            text("findings.analysis_late", lang, within=within, took=_hours(float(s.latency), lang))
            if s.status == "late"
            else text("findings.analysis_missed", lang, within=within)
        )
        out.append(
            _Finding(
                str(s.expectation),
                f"{_team(data, str(s.team), lang)}: {action_label(str(s.action), lang)} → "
                f"{data.target_label(str(s.target), str(s.action), lang)}: "
                f"{text(f'status.{s.status}', lang)}",
                analysis,
                text("findings.root_cause_unknown", lang),
                False,
            )
        )
    return out


def _objective_rating(
    data: SessionData, capability: str, inject_ratings: list[Any], lang: str
) -> str:
    """The capability's rating by the facilitator, else the worst of its injects' ratings."""
    own = _capability_ratings(data, capability)
    if own:
        return "; ".join(
            rating_label(str(r.rating), lang)
            + (f" ({_team(data, str(r.team), lang)})" if r.team else "")
            for r in own
        )
    worst = max((str(r.rating) for r in inject_ratings), key="PSMU".index, default="")
    if not worst:
        return text("none", lang)
    return f"{rating_label(worst, lang)} ({text('findings.from_injects', lang)})"


def _objectives(builder: _Builder, data: SessionData, lang: str, level: int, prefix: str) -> None:
    """The analysis of each objective and its core capability (HSEEP AAR).

    A table of every objective (capability, pillar, points, the facilitator's
    rating, outcome index, notes), then each objective apart: its rating, and its
    strengths and areas for improvement with observation, analysis and root
    cause.  The rating is the facilitator's rating of the capability
    (:meth:`~cybrelia.exercise.core.Exercise.rate_capability`); a session
    without one (a journal of an earlier version) shows the worst of the
    ratings of the injects and teams whose expectations measure the objective,
    said as such.
    """
    scenario = data.scenario
    measures = {
        str(e.id): objective_of(scenario, e) for inject in scenario.injects for e in inject.expect
    }
    by_objective = data.outcome_index.get("by_objective", {}) if data.outcome_index else {}
    inject_ratings = data.ratings[data.ratings["inject"] != ""]
    rows, sections, placed = [], [], set()
    for objective in scenario.objective_list():
        own = data.scores[data.scores["expectation"].map(measures) == objective.id]
        rated = {(str(r.inject), str(r.team)) for r in own.itertuples(index=False)}
        ratings = [
            r
            for r in inject_ratings.itertuples(index=False)
            if (str(r.inject), str(r.team)) in rated
        ]
        placed |= {(str(r.inject), str(r.team)) for r in ratings}
        capability = _capability_ratings(data, objective.capability)
        index = by_objective.get(objective.id, {}).get("index")
        points = _points(float(own["points"].sum()), float(own["max"].sum()), lang)
        rating = _objective_rating(data, objective.capability, ratings, lang)
        notes = [f"{_team(data, str(r.team), lang)}: {r.note}" for r in capability if r.note] + [
            f"{r.inject} \u2013 {_team(data, str(r.team), lang)}: {r.note}"
            for r in ratings
            if r.note
        ]
        rows.append(
            (
                objective.text.get(lang),
                capability_name(objective.capability, lang),
                pillar_label(objective.pillar, lang),
                points,
                rating,
                _index(index, lang),
                "; ".join(notes),
            )
        )
        findings = [_rating_finding(data, r, lang) for r in (*capability, *ratings)]
        findings += _expectation_findings(data, own, lang)
        facts = " · ".join(
            (
                f"{text('eeg.capability', lang)}: {capability_name(objective.capability, lang)}",
                f"{text('col.pillar', lang)}: {pillar_label(objective.pillar, lang)}",
                f"{text('col.points', lang)}: {points}",
                f"{text('col.index', lang)}: {_index(index, lang)}",
                f"{text('col.rating', lang)}: {rating}",
            )
        )
        sections.append((objective, facts, findings))
    builder.heading(level, text("findings.objectives", lang), prefix + "objectives")
    builder.table(
        (
            text("col.objective", lang),
            text("eeg.capability", lang),
            text("col.pillar", lang),
            text("col.points", lang),
            text("col.rating", lang),
            text("col.index", lang),
            text("col.note", lang),
        ),
        rows,
    )
    for objective, facts, findings in sections:
        builder.heading(
            level + 1, objective.text.get(lang), f"{prefix}objective-{slug(objective.id)}"
        )
        builder.paragraph(facts)
        _finding_tables(builder, findings, lang)
    others = [
        _rating_finding(data, r, lang)
        for r in inject_ratings.itertuples(index=False)
        if (str(r.inject), str(r.team)) not in placed
    ]
    if others:
        builder.heading(level + 1, text("findings.other", lang), f"{prefix}objective-other")
        _finding_tables(builder, others, lang)


def _finding_tables(builder: _Builder, findings: list[_Finding], lang: str) -> None:
    """Strengths, then areas for improvement: source, observation, analysis, root cause."""
    columns = (
        text("col.source", lang),
        text("col.observation", lang),
        text("col.analysis", lang),
        text("col.root_cause", lang),
    )
    for strength, caption in ((True, "findings.strengths"), (False, "findings.improve")):
        chosen = [f for f in findings if f.strength == strength]
        if chosen:
            builder.table(
                columns,
                [(f.source, f.observation, f.analysis, f.root_cause) for f in chosen],
                caption=text(caption, lang),
            )


def _findings(builder: _Builder, data: SessionData, lang: str, level: int, prefix: str) -> None:
    _objectives(builder, data, lang, level, prefix)
    titles = {str(r["inject"]): _title(r, lang) for r in data.injects.to_dict("records")}
    scores = data.scores
    decided = scores[scores["status"] != "pending"]
    met = int((decided["status"] == "met").sum())

    def rating_items(strength: bool) -> list[str]:
        return [
            (
                f"{r.inject} ({titles.get(str(r.inject), '')})"
                if r.inject
                else capability_name(str(r.capability), lang)
            )
            + f" \u2013 {_team(data, str(r.team), lang)}: "
            f"{rating_label(str(r.rating), lang)}" + (f". {r.note}" if r.note else "")
            for r in data.ratings.itertuples(index=False)
            if is_strength(str(r.rating), str(r.note)) == strength
        ]

    strengths = rating_items(True)
    if len(decided):
        strengths.append(text("findings.met", lang, count=met, total=len(decided)))
    builder.heading(level, text("findings.strengths", lang), prefix + "strengths")
    builder.add(Bullets(tuple(strengths or [text("findings.none", lang)])))
    improve = rating_items(False)
    for s in scores[scores["status"].isin(["missed", "late"])].itertuples(index=False):
        took = f", {duration_label(float(s.latency), lang)}" if s.status == "late" else ""
        improve.append(
            f"{s.expectation} ({titles.get(str(s.inject), '')}) \u2013 "
            f"{_team(data, str(s.team), lang)}: "
            f"{action_label(str(s.action), lang)} → "
            f"{data.target_label(str(s.target), str(s.action), lang)}: "
            f"{text(f'status.{s.status}', lang)} ({text('col.within', lang)} "
            f"{duration_label(float(s.within), lang)}{took})"
        )
    builder.heading(level, text("findings.improve", lang), prefix + "improve")
    builder.add(Bullets(tuple(improve or [text("findings.none", lang)])))
    if not data.refusals.empty:
        builder.heading(level, text("findings.refused", lang), prefix + "refused")
        builder.table(
            (
                text("col.number", lang),
                text("col.time", lang),
                text("col.team", lang),
                text("col.action", lang),
                text("col.target", lang),
                text("col.reason", lang),
            ),
            [
                (
                    str(r.refusal),
                    data.clock(float(r.t)),
                    _team(data, str(r.team), lang),
                    action_label(str(r.action), lang),
                    data.target_label(str(r.target), str(r.action), lang),
                    str(r.reason_en if lang == "en" else r.reason_pl),
                )
                for r in data.refusals.itertuples(index=False)
            ],
        )
    if not data.notes.empty:
        builder.heading(level, text("findings.notes", lang), prefix + "notes")
        builder.add(
            Bullets(
                tuple(
                    f"{data.clock(float(n.t))}: " + (f"{n.team}: " if n.team else "") + str(n.text)
                    for n in data.notes.itertuples(index=False)
                )
            )
        )


def improvement_plan(data: SessionData, lang: str) -> pd.DataFrame:
    """The improvement plan: one row per expectation missed or late and per M or U rating.

    Returns
    -------
    pandas.DataFrame
        ``area`` (the core capability, in ``lang``), ``recommendation`` (the
        corrective action), ``team``, ``pillar`` (0 when the rating's inject has
        no expectation of that team), ``source`` (expectation or inject id), then
        the HSEEP columns the exercise programme fills in and re-imports
        (``cybrelia ip import``): ``element`` (planning, organisation, equipment,
        training, exercise; ``training`` for an action missed or late,
        ``planning`` for an M or U rating, until someone decides),
        ``organisation`` (the team's name), ``contact``, ``start``,
        ``completion`` (ISO dates) and ``status`` (``open``); by pillar, then
        team, then source.
    """
    rows: list[dict[str, Any]] = []
    for s in data.scores[data.scores["status"].isin(["missed", "late"])].itertuples(index=False):
        target = data.target_label(str(s.target), str(s.action), lang)
        values = {
            "action": action_label(str(s.action), lang),
            "target": f" ({target})" if target != text("none", lang) else "",
            "within": duration_label(float(s.within), lang),
            "latency": _hours(float(s.latency), lang),
        }
        rows.append(
            {
                "area": capability_name(str(s.capability), lang),
                "recommendation": text(f"plan.{s.status}", lang, **values),
                "team": str(s.team),
                "pillar": int(s.pillar),
                "source": str(s.expectation),
                "element": "training",
            }
        )
    titles = {str(r["inject"]): _title(r, lang) for r in data.injects.to_dict("records")}
    weak = pd.Series(
        [not is_strength(str(r.rating), str(r.note)) for r in data.ratings.itertuples()],
        index=data.ratings.index,
        dtype=bool,
    )
    objectives = data.scenario.objective_list()
    for r in data.ratings[weak & (data.ratings["inject"] == "")].itertuples(index=False):
        pillars = [o.pillar for o in objectives if capability_id(o.capability) == r.capability]
        rows.append(
            {
                "area": capability_name(str(r.capability), lang),
                "recommendation": str(r.note)
                or text(
                    "plan.capability_empty",
                    lang,
                    capability=capability_name(str(r.capability), lang),
                    rating=r.rating,
                ),
                "team": str(r.team),
                "pillar": min(pillars, default=0),
                "source": f"{r.capability}{'/' + str(r.team) if r.team else ''} ({r.rating})",
                "element": "planning",
            }
        )
    for r in data.ratings[weak & (data.ratings["inject"] != "")].itertuples(index=False):
        own = data.scores[(data.scores["inject"] == r.inject) & (data.scores["team"] == r.team)]
        if own.empty:
            own = data.scores[data.scores["inject"] == r.inject]
        pillar = int(own["pillar"].mode().min()) if not own.empty else 0
        area = (
            capability_name(str(own["capability"].iloc[0]), lang)
            if not own.empty
            else titles.get(str(r.inject), "")
        )
        note = str(r.note)
        rows.append(
            {
                "area": area,
                "recommendation": note
                if note
                else text("plan.rating_empty", lang, inject=r.inject, rating=r.rating),
                "team": str(r.team),
                "pillar": pillar,
                "source": f"{r.inject} ({r.rating})",
                "element": "planning",
            }
        )
    for row in rows:
        row.update(
            organisation=data.team_name(row["team"], lang)
            if row["team"]
            else text("findings.all_teams", lang),
            contact="",
            start="",
            completion="",
            status="open",
        )
    frame = pd.DataFrame(rows, columns=list(PLAN_COLUMNS))
    frame["pillar"] = frame["pillar"].astype("int64")
    return frame.sort_values(["pillar", "team", "source"], kind="stable").reset_index(drop=True)


#: The columns of :func:`improvement_plan`, in order.
PLAN_COLUMNS = (
    "area",
    "recommendation",
    "team",
    "pillar",
    "source",
    "element",
    "organisation",
    "contact",
    "start",
    "completion",
    "status",
)


#: Words with which a facilitator's note describes a shortfall (Polish and English stems).
SHORTFALL = re.compile(
    r"\b(late|delay|forg[oe]t|missed|without|not|never|failed|lack|only after|but|however|"
    r"spóźn|opóźn|brak|bez|nie|zapomn|pominię|dopiero|ale|jednak)",
    re.IGNORECASE,
)


def is_strength(rating: str, note: str) -> bool:
    """Whether a rating belongs under strengths: P, or S whose note describes no shortfall.

    HSEEP files observations by what they say: an S rating whose note says what
    went wrong ("fast, but the booster pump stays without a genset") is an area
    for improvement, and goes into the improvement plan.
    """
    return rating == "P" or (rating == "S" and SHORTFALL.search(note) is None)


def _source_label(data: SessionData, source: str, lang: str) -> str:
    """A plan item's source as people read it: a rated capability by its name and team.

    The source itself (``infrastructure_systems/zgk (M)``) stays the item's key
    in the spreadsheet and the tracker.
    """
    head, _, rating = source.partition(" (")
    capability, _, team = head.partition("/")
    if capability not in CAPABILITIES:
        return source
    return f"{CAPABILITIES[capability].name(lang)} \u2013 {_team(data, team, lang)} ({rating}"


def _plan(builder: _Builder, data: SessionData, lang: str) -> None:
    plan = improvement_plan(data, lang)
    if plan.empty:
        builder.paragraph(text("plan.none", lang))
        return
    builder.table(
        (
            text("col.area", lang),
            text("col.element", lang),
            text("col.recommendation", lang),
            text("col.responsible", lang),
            text("col.contact", lang),
            text("col.start_date", lang),
            text("col.completion_date", lang),
            text("col.status", lang),
            text("col.pillar", lang),
            text("col.source", lang),
        ),
        [
            (
                str(p.area),
                text(f"element.{p.element}", lang),
                str(p.recommendation),
                str(p.organisation),
                str(p.contact) or text("none", lang),
                str(p.start) or text("none", lang),
                str(p.completion) or text("none", lang),
                text(f"ip.{p.status}", lang),
                pillar_label(int(p.pillar), lang) if p.pillar else text("none", lang),
                _source_label(data, str(p.source), lang),
            )
            for p in plan.itertuples(index=False)
        ],
    )


def _participants(builder: _Builder, data: SessionData, lang: str) -> None:
    """Appendix: the participating teams (organisations), their roles and sectors."""
    builder.table(
        (
            text("col.organisation", lang),
            text("col.role", lang),
            text("col.sectors", lang),
        ),
        [
            (
                str(t.name_en if lang == "en" else t.name_pl),
                lookup(f"role.{t.role}", lang, str(t.role)),
                ", ".join(sector_label(x, lang) for x in str(t.sectors).split(", ") if x)
                or text("none", lang),
            )
            for t in data.teams.itertuples(index=False)
        ],
    )


def _pillars(builder: _Builder, data: SessionData, lang: str) -> None:
    builder.table(
        (text("col.pillar", lang), text("col.points", lang), text("col.max", lang), "%"),
        [
            (
                pillar_label(int(p.pillar), lang),
                _num(float(p.points), lang, 1 if float(p.points) % 1 else 0),
                _num(float(p.max), lang),
                _percent(float(p.share), lang),
            )
            for p in data.points_by_pillar.itertuples(index=False)
        ],
        numeric=(1, 2, 3),
        caption=text("pillars.table", lang),
    )
    builder.table(
        (text("col.team", lang), text("col.points", lang), text("col.max", lang), "%"),
        [
            (
                str(t.name_en if lang == "en" else t.name_pl),
                _num(float(t.points), lang, 1 if float(t.points) % 1 else 0),
                _num(float(t.max), lang),
                _percent(float(t.share), lang),
            )
            for t in data.points_by_team.itertuples(index=False)
        ],
        numeric=(1, 2, 3),
        caption=text("teams.table", lang),
    )
