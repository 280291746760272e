"""Charts of a session, for the after-action report and for notebooks.

Each chart is a function of a :class:`~cybrelia.analysis.frames.SessionData`
(or several, for comparisons) and a language that returns a
:class:`matplotlib.figure.Figure`.  Figures are made without pyplot, on the
Agg canvas: nothing opens a window and nothing touches global state, so the
functions are safe in scripts, tests and servers.  In a notebook, a figure
shows itself when it is the value of a cell (with ``%matplotlib inline``) or
through ``IPython.display.display(fig)``.

The colours are the Okabe-Ito palette, readable with every common colour
vision deficiency; runs and sessions also differ by line style, and states by
hatching, so the charts survive printing in grey.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> from cybrelia.analysis import load_session, make_session
>>> from cybrelia.analysis.charts import people_without_chart, save_figure
>>> from cybrelia.files.library import resolve
>>> scenario = resolve("mokry-snieg", "scenario")
>>> folder = tempfile.TemporaryDirectory()
>>> out = Path(folder.name)
>>> responses = scenario.with_name("mokry-snieg.responses.yaml")
>>> data = load_session(make_session(scenario, responses, out / "mokry.cybrelia"))
>>> written = save_figure(people_without_chart(data, "en"), out / "without")
>>> [path.name for path in written], all(path.stat().st_size > 0 for path in written)
(['without.png', 'without.svg'], True)
>>> folder.cleanup()
"""

from __future__ import annotations

import io
import math
import os
import textwrap
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from cybrelia.analysis.cascade import cascade, cascade_candidates
from cybrelia.analysis.frames import Run, SessionData, asset_intervals
from cybrelia.exercise.core import SERVICES_SHOWN
from cybrelia.files.model import SECTOR_ORDER
from cybrelia.i18n import (
    action_label,
    check_lang,
    duration_label,
    format_number,
    pillar_label,
    sector_label,
    service_label,
    text,
)

__all__ = [
    "CHARTS",
    "COMPARISON_CHARTS",
    "OKABE_ITO",
    "SECTOR_ORDER",
    "asset_timeline_chart",
    "cascade_chart",
    "compare_pillars_chart",
    "compare_without_chart",
    "critical_down_chart",
    "figure_bytes",
    "in_need_chart",
    "latency_chart",
    "people_without_chart",
    "pillar_points_chart",
    "pillar_radar_chart",
    "save_figure",
    "team_points_chart",
]

#: The Okabe-Ito colour-blind-safe palette.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
_GREY = "#999999"

#: How each run is drawn: the run solid and blue, the baseline dashed and vermillion.
RUN_STYLE: dict[str, dict[str, Any]] = {
    "actual": {"color": OKABE_ITO["blue"], "linestyle": "-", "linewidth": 2.0},
    "baseline": {"color": OKABE_ITO["vermillion"], "linestyle": "--", "linewidth": 1.6},
}
#: Sessions in comparisons: colour, line style and marker all differ.
SESSION_STYLES: tuple[dict[str, Any], ...] = (
    {"color": OKABE_ITO["blue"], "linestyle": "-", "marker": "o", "hatch": ""},
    {"color": OKABE_ITO["orange"], "linestyle": "--", "marker": "s", "hatch": "///"},
    {"color": OKABE_ITO["green"], "linestyle": "-.", "marker": "^", "hatch": "..."},
    {"color": OKABE_ITO["purple"], "linestyle": ":", "marker": "D", "hatch": "xx"},
    {"color": OKABE_ITO["sky"], "linestyle": (0, (5, 1)), "marker": "v", "hatch": "\\\\\\"},
    {
        "color": OKABE_ITO["vermillion"],
        "linestyle": (0, (3, 1, 1, 1)),
        "marker": "P",
        "hatch": "++",
    },
    {"color": OKABE_ITO["black"], "linestyle": (0, (1, 2)), "marker": "X", "hatch": "oo"},
)
#: States in timelines: down solid vermillion, backup hatched orange.
STATE_STYLE: dict[str, dict[str, Any]] = {
    "down": {"facecolor": OKABE_ITO["vermillion"], "edgecolor": OKABE_ITO["vermillion"]},
    "backup": {"facecolor": "#F5CC66", "edgecolor": "#A36F00", "hatch": "////"},
}
#: Expectation results in the latency chart.
STATUS_STYLE: dict[str, dict[str, Any]] = {
    "met": {"color": OKABE_ITO["green"], "marker": "o"},
    "late": {"color": OKABE_ITO["orange"], "marker": "D"},
    "missed": {"color": OKABE_ITO["vermillion"], "marker": "X"},
    "pending": {"color": OKABE_ITO["sky"], "marker": "^"},
}
#: Team markers in timelines (teams in scenario order).
TEAM_MARKERS = ("v", "^", "s", "D", "P", "X", "o", "*", "h", "<", ">")


_RC: Any = {
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.labelsize": 8.5,
    "axes.edgecolor": "#444444",
    "axes.linewidth": 0.8,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#E0E0E0",
    "grid.linewidth": 0.6,
    "xtick.labelsize": 7.5,
    "ytick.labelsize": 7.5,
    "legend.fontsize": 7.5,
    "legend.frameon": False,
    "figure.titlesize": 11,
    "figure.titleweight": "bold",
    "hatch.linewidth": 0.6,
    "svg.hashsalt": "cybrelia",
    "svg.fonttype": "none",
}

Chart = Callable[[SessionData, str], Figure]


@contextmanager
def _style() -> Iterator[None]:
    with mpl.rc_context(_RC):
        yield


def _figure(width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _empty(ax: Axes, lang: str, key: str = "chart.empty") -> None:
    ax.text(
        0.5,
        0.5,
        text(key, lang),
        transform=ax.transAxes,
        ha="center",
        va="center",
        color="#555555",
        fontsize=10,
    )
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)


def _span(data: SessionData) -> float:
    return max(data.end, 1.0)


def _time_axis(
    ax: Axes,
    data: SessionData,
    *,
    labels: bool = True,
    start: float = 0.0,
    end: float | None = None,
) -> None:
    """Hours on the axis from ``start`` to ``end``, ticked in clock labels (``D+1\\n14:00``)."""
    end = _span(data) if end is None else end
    length = max(end - start, 1.0)
    step = next((s for limit, s in ((8, 1), (18, 3), (48, 6), (120, 12)) if length <= limit), 24)
    ticks = np.arange(math.ceil(start / step) * step, end + 1e-9, step)
    ax.set_xlim(start, end)
    ax.set_xticks(ticks)
    if labels:
        ax.set_xticklabels([data.clock(float(t)).replace(" ", "\n") for t in ticks])
    else:
        ax.set_xticklabels([])


def _people_formatter(lang: str) -> FuncFormatter:
    return FuncFormatter(lambda value, _: format_number(value, lang))


def _series(data: SessionData, run: Run, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Step series of a metric to the session's end (last value carried)."""
    frame = data.metrics[data.metrics["run"] == run]
    if frame.empty or column not in frame:
        return np.array([]), np.array([])
    t = frame["t"].to_numpy(dtype=float)
    y = frame[column].to_numpy(dtype=float)
    if t[-1] < data.end:
        t = np.append(t, data.end)
        y = np.append(y, y[-1])
    return t, y


def _runs(data: SessionData) -> tuple[Run, ...]:
    return ("actual", "baseline") if data.has_baseline else ("actual",)


def _plot_runs(ax: Axes, data: SessionData, column: str, lang: str) -> bool:
    drawn = False
    for run in _runs(data):
        t, y = _series(data, run, column)
        if len(t):
            ax.plot(t, y, drawstyle="steps-post", label=text(f"run.{run}", lang), **RUN_STYLE[run])
            drawn = True
    return drawn


def _run_legend(figure: Figure, data: SessionData, lang: str) -> None:
    handles = [
        Line2D([], [], label=text(f"run.{run}", lang), **RUN_STYLE[run]) for run in _runs(data)
    ]
    figure.legend(handles=handles, loc="outside lower center", ncols=len(handles))


# --- figures over time ---------------------------------------------------------------------


def people_without_chart(
    data: SessionData, lang: str = "pl", services: Sequence[str] = SERVICES_SHOWN
) -> Figure:
    """Residents without each service over time, the run against the baseline.

    Parameters
    ----------
    data
        A session.
    lang
        ``pl`` or ``en``.
    services
        One panel per service (power, water, heat and telecom by default).
    """
    check_lang(lang)
    with _style():
        rows = max(1, math.ceil(len(services) / 2))
        cols = 1 if len(services) == 1 else 2
        figure = _figure(8.0, 1.3 + 2.0 * rows)
        axes = figure.subplots(rows, cols, sharex=True, squeeze=False)
        figure.suptitle(text("chart.without.title", lang))
        for index, ax in enumerate(axes.flat):
            if index >= len(services):
                ax.set_visible(False)
                continue
            service = services[index]
            ax.set_title(text("chart.without.panel", lang, service=service_label(service, lang)))
            if not _plot_runs(ax, data, f"people_without_{service}", lang):
                _empty(ax, lang)
                continue
            ax.yaxis.set_major_formatter(_people_formatter(lang))
            ax.set_ylim(bottom=0)
            _time_axis(ax, data, labels=index >= len(services) - cols)
            if index % cols == 0:
                ax.set_ylabel(text("axis.people", lang))
        _run_legend(figure, data, lang)
    return figure


def in_need_chart(data: SessionData, lang: str = "pl") -> Figure:
    """People in need and vulnerable residents at risk, the run against the baseline."""
    check_lang(lang)
    with _style():
        figure = _figure(8.0, 4.8)
        axes = figure.subplots(2, 1, sharex=True, squeeze=False)[:, 0]
        figure.suptitle(text("chart.in_need.title", lang))
        for ax, column, key in (
            (axes[0], "people_in_need", "chart.in_need.need"),
            (axes[1], "vulnerable_at_risk", "chart.in_need.vulnerable"),
        ):
            ax.set_title(text(key, lang), fontweight="normal")
            if not _plot_runs(ax, data, column, lang):
                _empty(ax, lang)
                continue
            ax.yaxis.set_major_formatter(_people_formatter(lang))
            ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
            ax.set_ylim(bottom=0)
            ax.set_ylabel(text("axis.people", lang))
            _time_axis(ax, data, labels=ax is axes[1])
        _run_legend(figure, data, lang)
    return figure


def critical_down_chart(data: SessionData, lang: str = "pl") -> Figure:
    """Critical facilities down over time, the run against the baseline."""
    check_lang(lang)
    with _style():
        figure = _figure(8.0, 3.2)
        ax = figure.subplots()
        ax.set_title(text("chart.critical.title", lang))
        if _plot_runs(ax, data, "critical_down", lang):
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_ylim(bottom=0)
            ax.set_ylabel(text("axis.facilities", lang))
            _time_axis(ax, data)
        else:
            _empty(ax, lang)
        _run_legend(figure, data, lang)
    return figure


# --- timelines -----------------------------------------------------------------------------


def _sector_key(sector: str) -> tuple[int, str]:
    return (SECTOR_ORDER.index(sector) if sector in SECTOR_ORDER else len(SECTOR_ORDER), sector)


def _short(name: str, width: int) -> str:
    return name if len(name) <= width else name[: width - 1].rstrip() + "…"


def _inject_ticks(ax: Axes, data: SessionData) -> None:
    """Delivered injects: dotted lines, and their ids along the top (close ones joined)."""
    delivered = data.injects.dropna(subset=["delivered_at"])
    if delivered.empty:
        return
    gap = _span(data) / 55.0
    clusters: list[tuple[float, list[str]]] = []
    for row in delivered.itertuples(index=False):
        t = float(row.delivered_at)
        ax.axvline(t, color="#666666", linestyle=":", linewidth=0.7, zorder=2.5)
        if clusters and t - clusters[-1][0] < gap:
            clusters[-1][1].append(str(row.inject))
        else:
            clusters.append((t, [str(row.inject)]))
    top = ax.secondary_xaxis("top")
    top.set_xticks([t for t, _ in clusters])
    top.set_xticklabels([", ".join(ids) for _, ids in clusters], fontsize=6, rotation=90)
    top.tick_params(length=2, pad=1)


def asset_timeline_chart(
    data: SessionData,
    lang: str = "pl",
    *,
    run: Run = "actual",
    assets: Sequence[str] | None = None,
    max_assets: int = 32,
) -> Figure:
    """A Gantt-like timeline of asset states by sector, with injects and team actions.

    Each sector with an asset on backup or down has a lane whose height shows
    the share of its assets down (solid) and on backup (hatched).  Under it,
    the key assets of the sector have their own rows: by default the critical
    facilities, the assets the teams acted on and those the injects hit,
    longest outage first, up to ``max_assets`` in all.  Dotted lines and the ids
    along the top mark the injects; markers (one shape per team) the actions,
    on the asset's row or its sector's lane.

    Parameters
    ----------
    data
        A session.
    lang
        ``pl`` or ``en``.
    run
        ``actual`` or ``baseline``.
    assets
        The assets to give rows to (instead of the key assets).
    max_assets
        The most asset rows, by longest time down.
    """
    check_lang(lang)
    timeline = _Timeline.of(data, run, assets, max_assets)
    rows = timeline.rows
    teams = list(data.teams["team"])
    with _style():
        figure = _figure(9.0, 1.9 + 0.19 * max(len(rows), 3))
        ax = figure.subplots()
        ax.set_title(text("chart.gantt.title", lang), pad=26)
        if not rows:
            _empty(ax, lang, "chart.gantt.none")
            return figure
        position = {row: index for index, row in enumerate(rows)}
        _timeline_bars(ax, data, timeline, position)
        if run == "actual":
            _action_markers(ax, data, timeline, position, teams)
        _inject_ticks(ax, data)
        _timeline_labels(ax, timeline, lang)
        _time_axis(ax, data)
        handles: list[Any] = [
            Patch(label=text("state.down", lang), **STATE_STYLE["down"]),
            Patch(label=text("state.backup", lang), **STATE_STYLE["backup"]),
            Patch(facecolor="#F4F4F4", edgecolor="#BBBBBB", label=text("chart.gantt.lane", lang)),
            Line2D([], [], color="#666666", linestyle=":", label=text("chart.gantt.inject", lang)),
        ]
        if run == "actual":
            handles += _team_handles(data, teams, lang)
        figure.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 5))
    return figure


#: A row of the asset timeline: ``("sector", sector)`` or ``("asset", asset id)``.
_TimelineRow = tuple[str, str]


@dataclass(frozen=True)
class _Timeline:
    """What the asset timeline shows: the periods, and its rows (sector lanes, key assets)."""

    periods: list[dict[str, Any]]
    #: Asset id -> (name, sector).
    info: dict[str, tuple[str, str]]
    by_asset: dict[str, list[dict[str, Any]]]
    sector_sizes: Counter[str]
    rows: list[_TimelineRow]

    @classmethod
    def of(
        cls, data: SessionData, run: Run, assets: Sequence[str] | None, max_assets: int
    ) -> _Timeline:
        """The rows: each sector with a period, then its key assets by first failure."""
        periods = asset_intervals(data, run).to_dict("records")
        info = {
            str(a): (str(n), str(sec))
            for a, n, sec in zip(
                data.asset_info["asset"],
                data.asset_info["name"],
                data.asset_info["sector"],
                strict=True,
            )
        }
        by_asset: dict[str, list[dict[str, Any]]] = {}
        for period in periods:
            by_asset.setdefault(str(period["asset"]), []).append(period)
        chosen = _key_assets(data, run, by_asset, assets)[:max_assets]
        sector_sizes = Counter(sector for _, sector in info.values())
        sectors = sorted({str(p["sector"]) for p in periods}, key=_sector_key)
        rows: list[_TimelineRow] = []
        for sector in sectors:
            rows.append(("sector", sector))
            in_sector = [a for a in chosen if info.get(a, ("", "other"))[1] == sector]
            for asset in sorted(in_sector, key=lambda a: (min(p["start"] for p in by_asset[a]), a)):
                rows.append(("asset", asset))
        return cls(periods, info, by_asset, sector_sizes, rows)


def _key_assets(
    data: SessionData,
    run: Run,
    by_asset: dict[str, list[dict[str, Any]]],
    assets: Sequence[str] | None,
) -> list[str]:
    """The assets worth a row, longest outage first.

    By default the critical facilities, the assets the teams acted on and those the
    injects hit; only those with a period on backup or down.
    """
    if assets is None:
        acted = set(data.actions["target"]) if run == "actual" else set()
        hit = set(data.effects["asset"])
        critical = set(data.asset_info.loc[data.asset_info["critical"], "asset"])
        key = (acted | hit | critical) & set(by_asset)
    else:
        key = set(assets) & set(by_asset)

    def weight(asset: str) -> float:
        # Hours down, and a tenth of the hours on backup.
        return float(
            sum(
                (p["end"] - p["start"]) * (1.0 if p["state"] == "down" else 0.1)
                for p in by_asset[asset]
            )
        )

    return sorted(key, key=lambda a: (-weight(a), a))


def _timeline_bars(
    ax: Axes, data: SessionData, timeline: _Timeline, position: dict[_TimelineRow, int]
) -> None:
    """Each sector's lane, and each key asset's periods on backup and down as bars."""
    for (kind, ident), y in position.items():
        if kind == "sector":
            ax.axhspan(y - 0.5, y + 0.5, color="#F4F4F4", zorder=0, linewidth=0)
            _sector_lane(
                ax,
                data,
                [p for p in timeline.periods if p["sector"] == ident],
                y,
                timeline.sector_sizes.get(ident, 1),
            )
            continue
        for state in ("backup", "down"):
            spans = [
                (p["start"], p["end"] - p["start"])
                for p in timeline.by_asset[ident]
                if p["state"] == state
            ]
            if spans:
                ax.broken_barh(spans, (y - 0.36, 0.72), linewidth=0.5, **STATE_STYLE[state])


def _action_markers(
    ax: Axes,
    data: SessionData,
    timeline: _Timeline,
    position: dict[_TimelineRow, int],
    teams: list[str],
) -> None:
    """A marker (one shape per team) for each action, on its target's row or sector lane."""
    for action in data.actions.itertuples(index=False):
        target = str(action.target)
        if ("asset", target) in position:
            y = position[("asset", target)]
        elif target in timeline.info and ("sector", timeline.info[target][1]) in position:
            y = position[("sector", timeline.info[target][1])]
        else:
            continue
        marker = (
            TEAM_MARKERS[teams.index(action.team) % len(TEAM_MARKERS)]
            if action.team in teams
            else "o"
        )
        ax.plot(
            float(action.submitted),
            y,
            marker=marker,
            markersize=4.2,
            color="black",
            markeredgecolor="white",
            markeredgewidth=0.5,
            linestyle="none",
            zorder=4,
        )


def _timeline_labels(ax: Axes, timeline: _Timeline, lang: str) -> None:
    """Sector names (bold, with their number of assets) and the key assets' names."""
    rows = timeline.rows
    labels = []
    for kind, ident in rows:
        if kind == "sector":
            labels.append(f"{sector_label(ident, lang)} ({timeline.sector_sizes.get(ident, 0)})")
        else:
            labels.append("   " + _short(timeline.info.get(ident, (ident, ""))[0], 40))
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(labels)
    for tick, (kind, _) in zip(ax.get_yticklabels(), rows, strict=True):
        if kind == "sector":
            tick.set_fontweight("bold")
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)


def _team_handles(data: SessionData, teams: list[str], lang: str) -> list[Any]:
    """Legend entries for the markers of the teams that acted."""
    return [
        Line2D(
            [],
            [],
            marker=TEAM_MARKERS[index % len(TEAM_MARKERS)],
            color="black",
            linestyle="none",
            markersize=4.5,
            label=data.team_label(team, lang),
        )
        for index, team in enumerate(teams)
        if (data.actions["team"] == team).any()
    ]


def _sector_lane(
    ax: Axes, data: SessionData, periods: list[dict[str, Any]], y: float, size: int
) -> None:
    """Share of a sector's assets down (solid) and on backup (hatched), as a band."""
    if not periods:
        return
    size = max(size, 1)
    times = np.array(
        sorted({0.0, data.end, *(p["start"] for p in periods), *(p["end"] for p in periods)})
    )
    down = np.zeros(len(times))
    backup = np.zeros(len(times))
    for p in periods:
        active = (times >= p["start"]) & (times < p["end"])
        if p["state"] == "down":
            down += active
        else:
            backup += active
    down /= size
    backup /= size
    base = y + 0.42
    height = 0.84
    ax.fill_between(
        times,
        base,
        base - height * down,
        step="post",
        facecolor=STATE_STYLE["down"]["facecolor"],
        linewidth=0,
    )
    ax.fill_between(
        times,
        base - height * down,
        base - height * (down + backup),
        step="post",
        facecolor=STATE_STYLE["backup"]["facecolor"],
        edgecolor=STATE_STYLE["backup"]["edgecolor"],
        hatch="////",
        linewidth=0,
    )


def _group_leaves(tree: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of the cascade chart: leaf siblings failing and recovering together become one."""
    parents = set(tree["parent"])
    rows: list[dict[str, Any]] = []
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    for record in tree.to_dict("records"):
        leaf = record["asset"] not in parents or record["depth"] == 0
        key = (
            record["parent"],
            record["depth"],
            record["down_at"],
            record["up_at"],
            record["service"],
        )
        if leaf and record["depth"] > 0 and key in groups:
            groups[key]["names"].append(record["name"])
            continue
        row = {**record, "names": [record["name"]]}
        rows.append(row)
        if leaf and record["depth"] > 0:
            groups[key] = row
    return rows


def cascade_chart(
    data: SessionData, lang: str = "pl", inject: str | None = None, *, run: Run = "actual"
) -> Figure:
    """The cascade of one incident: what failed because of what, and when.

    Left, the tree of failures (an asset under the one whose loss of service
    took it down, with the service after the dot); right, when each was down.
    Siblings that failed and recovered together are one row.  See
    :func:`cybrelia.analysis.cascade.cascade` for how the tree is derived.

    Parameters
    ----------
    data
        A session.
    lang
        ``pl`` or ``en``.
    inject
        The incident; by default the one with the largest cascade.
    run
        ``actual`` or ``baseline``.
    """
    check_lang(lang)
    if inject is None:
        candidates = cascade_candidates(data, run)
        inject = str(candidates.iloc[0]["inject"]) if not candidates.empty else ""
    tree = cascade(data, inject, run=run) if inject else pd.DataFrame()
    rows = _group_leaves(tree) if not tree.empty else []
    with _style():
        figure = _figure(10.0, 1.5 + 0.2 * max(len(rows), 4))
        title = text("chart.cascade.title", lang, inject=inject or "—")
        if inject:
            match = data.injects[data.injects["inject"] == inject]
            if not match.empty:
                name = str(match.iloc[0]["title_en" if lang == "en" else "title_pl"])
                title = text(
                    "chart.cascade.title", lang, inject=f"{inject} \u2013 {_short(name, 60)}"
                )
        figure.suptitle(title)
        if not rows:
            ax = figure.subplots()
            _empty(ax, lang, "chart.cascade.none")
            return figure
        tree_ax, time_ax = figure.subplots(1, 2, sharey=True, width_ratios=[1.25, 1.0])
        indent = 0.045
        position: dict[str, int] = {}
        for y, row in enumerate(rows):
            depth = int(row["depth"])
            x = 0.01 + depth * indent
            names = row["names"]
            if len(names) > 1:
                label = f"{len(names)} \u00d7 " + ", ".join(_short(n, 22) for n in names)
            else:
                label = str(names[0])
            label = _short(label, 62 - 3 * depth)
            if row["service"]:
                label += f"  · {service_label(str(row['service']), lang)}"
            tree_ax.text(
                x + 0.012,
                y,
                label,
                va="center",
                ha="left",
                fontsize=7,
                fontweight="bold" if depth == 0 else "normal",
                clip_on=True,
            )
            tree_ax.plot([x], [y], marker="s" if depth == 0 else "o", markersize=3.2, color="black")
            parent = str(row["parent"])
            if depth > 0 and parent in position:
                py = position[parent]
                px = 0.01 + (depth - 1) * indent
                tree_ax.plot([px, px, x], [py, y, y], color="#555555", linewidth=0.7)
            if len(names) == 1:
                position[str(row["asset"])] = y
            style = (
                {"facecolor": "black", "edgecolor": "black"} if depth == 0 else STATE_STYLE["down"]
            )
            time_ax.broken_barh(
                [(float(row["down_at"]), float(row["up_at"]) - float(row["down_at"]))],
                (y - 0.34, 0.68),
                linewidth=0.4,
                **style,
            )
        tree_ax.set_xlim(0, 1)
        tree_ax.set_ylim(len(rows) - 0.5, -0.5)
        tree_ax.axis("off")
        time_ax.grid(axis="y", visible=False)
        time_ax.tick_params(axis="y", left=False, labelleft=False)
        first = float(tree["down_at"].min())
        last = float(tree["up_at"].max())
        margin = max((last - first) * 0.04, 0.25)
        _time_axis(time_ax, data, start=max(0.0, first - margin), end=last + margin)
        time_ax.set_xlabel(text("axis.time", lang))
        figure.legend(
            handles=[
                Patch(facecolor="black", edgecolor="black", label=text("chart.cascade.root", lang)),
                Patch(label=text("state.down", lang), **STATE_STYLE["down"]),
            ],
            loc="outside lower center",
            ncols=2,
        )
    return figure


# --- responses and scores ------------------------------------------------------------------


def latency_chart(data: SessionData, lang: str = "pl") -> Figure:
    """Response time per expectation against its window.

    One row per expectation of a delivered inject, grouped by inject (shaded
    alternately): the bar is the window (from the delivery to ``within``), the
    marker the team's action (circle in the window, diamond late with the time
    it took, cross at the end of a missed window, triangle while the window is
    still open).  The time axis is a square-root scale, so that a response in
    15 minutes and a 24-hour window both read.
    """
    check_lang(lang)
    scores = data.scores
    with _style():
        figure = _figure(8.5, 1.7 + 0.22 * max(len(scores), 3))
        ax = figure.subplots()
        ax.set_title(text("chart.latency.title", lang))
        if scores.empty:
            _empty(ax, lang, "chart.latency.none")
            return figure
        labels = []
        shade = False
        previous = None
        reach = 0.0
        for y, row in enumerate(scores.itertuples(index=False)):
            if row.inject != previous:
                shade = not shade if previous is not None else False
                previous = row.inject
            if shade:
                ax.axhspan(y - 0.5, y + 0.5, color="#F2F2F2", zorder=0, linewidth=0)
            within = float(row.within)
            ax.barh(
                y,
                within,
                height=0.58,
                color="#D9EEE6",
                edgecolor=OKABE_ITO["green"],
                hatch="....",
                linewidth=0.6,
            )
            status = str(row.status)
            if status in ("met", "late"):
                x = float(row.latency)
            elif status == "missed":
                x = within
            else:
                x = max(0.0, min(data.end - float(row.opened_at), within))
            reach = max(reach, within, x)
            ax.plot(
                x,
                y,
                linestyle="none",
                markersize=6.5,
                markeredgecolor="white" if status != "missed" else STATUS_STYLE[status]["color"],
                markeredgewidth=0.6,
                zorder=3,
                **STATUS_STYLE[status],
            )
            if status == "late":
                ax.annotate(
                    duration_label(x, lang),
                    (x, y),
                    xytext=(6, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=6.5,
                    color="#8A5A00",
                )
            named = data.target_label(str(row.target), str(row.action), lang)
            target = f" → {_short(named, 22)}" if row.target else ""
            labels.append(
                f"{row.expectation} {_short(data.team_label(str(row.team), lang), 18)}: "
                f"{action_label(str(row.action), lang)}{target}"
            )
        ax.set_yticks(range(len(scores)))
        ax.set_yticklabels(labels)
        ax.set_ylim(len(scores) - 0.5, -0.5)
        ax.grid(axis="y", visible=False)
        ax.set_xscale("function", functions=(_sqrt, np.square))
        ticks = [t for t in _LATENCY_TICKS if t <= reach * 1.15] or [0.0, 1.0]
        ax.set_xticks(ticks)
        ax.set_xticklabels([duration_label(t, lang) for t in ticks])
        ax.set_xlim(0, max(reach * 1.15, 1.0))
        ax.set_xlabel(text("axis.latency", lang))
        handles: list[Any] = [
            Patch(
                facecolor="#D9EEE6",
                edgecolor=OKABE_ITO["green"],
                hatch="....",
                label=text("chart.latency.window", lang),
            )
        ]
        for status, style in STATUS_STYLE.items():
            if (scores["status"] == status).any():
                handles.append(
                    Line2D([], [], linestyle="none", label=text(f"status.{status}", lang), **style)
                )
        figure.legend(handles=handles, loc="outside lower center", ncols=len(handles))
    return figure


_LATENCY_TICKS = (0.0, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 24.0, 48.0, 72.0)


def _sqrt(values: Any) -> Any:
    return np.sqrt(np.clip(values, 0.0, None))


def _points_bars(
    ax: Axes, labels: list[str], earned: np.ndarray, available: np.ndarray, lang: str
) -> None:
    y = np.arange(len(labels))
    ax.barh(
        y,
        earned,
        color=OKABE_ITO["blue"],
        edgecolor=OKABE_ITO["blue"],
        label=text("chart.earned", lang),
    )
    ax.barh(
        y,
        np.maximum(available - earned, 0),
        left=earned,
        color="white",
        edgecolor=_GREY,
        hatch="///",
        linewidth=0.6,
        label=text("chart.missing", lang),
    )
    for yi, e, a in zip(y, earned, available, strict=True):
        ax.text(
            a + max(available.max(), 1) * 0.01,
            float(yi),
            f"{format_number(e, lang, 1 if e % 1 else 0)} / {format_number(a, lang)}"
            + (f"  ({format_number(100 * e / a, lang)}%)" if a else ""),
            va="center",
            fontsize=7,
        )
    ax.set_yticks(y)
    ax.set_yticklabels(labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.set_xlim(0, max(float(available.max()) if len(available) else 0.0, 1.0) * 1.3)
    ax.set_xlabel(text("axis.points", lang))
    ax.grid(axis="y", visible=False)


def team_points_chart(data: SessionData, lang: str = "pl") -> Figure:
    """Points earned and available by team (stacked: earned solid, not earned hatched)."""
    check_lang(lang)
    frame = data.points_by_team
    with _style():
        figure = _figure(7.5, 1.4 + 0.38 * max(len(frame), 2))
        ax = figure.subplots()
        ax.set_title(text("chart.team.title", lang))
        if frame.empty:
            _empty(ax, lang)
            return figure
        labels = [_short(data.team_label(str(team), lang), 38) for team in frame["team"]]
        _points_bars(
            ax, labels, frame["points"].to_numpy(float), frame["max"].to_numpy(float), lang
        )
        figure.legend(loc="outside lower center", ncols=2)
    return figure


def pillar_points_chart(data: SessionData, lang: str = "pl") -> Figure:
    """Points earned and available by the seven pillars."""
    check_lang(lang)
    frame = data.points_by_pillar
    with _style():
        figure = _figure(7.5, 3.8)
        ax = figure.subplots()
        ax.set_title(text("chart.pillar.title", lang))
        labels = [_short(pillar_label(int(p), lang), 46) for p in frame["pillar"]]
        _points_bars(
            ax, labels, frame["points"].to_numpy(float), frame["max"].to_numpy(float), lang
        )
        figure.legend(loc="outside lower center", ncols=2)
    return figure


def _radar(
    ax: Any,
    shares: Sequence[np.ndarray],
    styles: Sequence[dict[str, Any]],
    names: Sequence[str],
    lang: str,
) -> None:
    count = 7
    angles = np.linspace(0, 2 * np.pi, count, endpoint=False)
    closed = np.append(angles, angles[0])
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    for share, style, name in zip(shares, styles, names, strict=True):
        values = np.append(share, share[0])
        ax.plot(
            closed,
            values,
            color=style["color"],
            linestyle=style["linestyle"],
            marker=style.get("marker", "o"),
            markersize=3.5,
            linewidth=1.6,
            label=name,
        )
        ax.fill(closed, values, color=style["color"], alpha=0.12)
        if len(shares) == 1:
            for angle, value in zip(angles, share, strict=True):
                ax.text(
                    angle,
                    max(float(value) - 11.0, 6.0),
                    f"{format_number(float(value), lang)}%",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color=style["color"],
                    fontweight="bold",
                )
    ax.set_xticks(angles)
    ax.set_xticklabels(
        [textwrap.fill(pillar_label(p, lang), 22) for p in range(1, count + 1)], fontsize=7
    )
    for label, angle in zip(ax.get_xticklabels(), angles, strict=True):
        x = math.sin(float(angle))  # clockwise from the top
        label.set_horizontalalignment("left" if x > 0.2 else "right" if x < -0.2 else "center")
    ax.tick_params(axis="x", pad=6)
    ax.set_ylim(0, 100)
    ax.set_yticks([25, 50, 75, 100])
    ax.set_yticklabels(["25%", "50%", "75%", "100%"], fontsize=6.5, color="#555555")
    ax.set_rlabel_position(180 / count)


def pillar_radar_chart(data: SessionData, lang: str = "pl") -> Figure:
    """The share of available points earned in each of the seven pillars, as a radar.

    Pillars with nothing available are drawn at 0.
    """
    check_lang(lang)
    with _style():
        figure = _figure(6.5, 5.6)
        ax = figure.add_subplot(projection="polar")
        ax.set_title(text("chart.radar.title", lang), pad=18)
        _radar(ax, [_pillar_shares(data)], [SESSION_STYLES[0]], [data.label], lang)
    return figure


def _pillar_shares(data: SessionData) -> np.ndarray:
    frame = data.points_by_pillar.set_index("pillar")
    return np.array(
        [float(frame["share"].get(p, 0.0)) if p in frame.index else 0.0 for p in range(1, 8)]
    ).clip(0, 100)


# --- comparisons ---------------------------------------------------------------------------


def _labels(sessions: Sequence[SessionData], labels: Sequence[str] | None) -> list[str]:
    if labels is not None:
        return list(labels)
    names = [s.label or s.scenario_id for s in sessions]
    return [n if names.count(n) == 1 else f"{n} ({i + 1})" for i, n in enumerate(names)]


def compare_without_chart(
    sessions: Sequence[SessionData],
    lang: str = "pl",
    service: str = "water",
    labels: Sequence[str] | None = None,
) -> Figure:
    """Residents without a service over time in several sessions (water by default).

    Each session's run has its own colour, line style and markers; the
    no-action baseline is one grey line when the sessions share it, else one
    thin dotted line per session.
    """
    check_lang(lang)
    names = _labels(sessions, labels)
    column = f"people_without_{service}"
    with _style():
        figure = _figure(8.5, 4.2)
        ax = figure.subplots()
        ax.set_title(
            text("chart.compare.without.title", lang, service=service_label(service, lang))
        )
        span = max((s.end for s in sessions), default=1.0)
        drawn = False
        baselines = []
        for index, (data, name) in enumerate(zip(sessions, names, strict=True)):
            style = SESSION_STYLES[index % len(SESSION_STYLES)]
            t, y = _series(data, "actual", column)
            if len(t):
                ax.plot(
                    t,
                    y,
                    drawstyle="steps-post",
                    color=style["color"],
                    linestyle=style["linestyle"],
                    marker=style["marker"],
                    markevery=max(1, len(t) // 12),
                    markersize=4,
                    linewidth=1.8,
                    label=name,
                )
                drawn = True
            if data.has_baseline:
                baselines.append((name, style, *_series(data, "baseline", column)))
        shared = len(baselines) > 0 and all(
            np.array_equal(b[2], baselines[0][2]) and np.array_equal(b[3], baselines[0][3])
            for b in baselines
        )
        for index, (name, style, t, y) in enumerate(baselines):
            if not len(t) or (shared and index > 0):
                continue
            label = text("run.baseline", lang) + ("" if shared else f" \u2013 {name}")
            ax.plot(
                t,
                y,
                drawstyle="steps-post",
                color=_GREY if shared else style["color"],
                linestyle=(0, (2, 2)),
                linewidth=1.2,
                label=label,
            )
        if not drawn:
            _empty(ax, lang)
            return figure
        ax.yaxis.set_major_formatter(_people_formatter(lang))
        ax.set_ylim(bottom=0)
        ax.set_ylabel(text("axis.people", lang))
        ax.set_xlim(0, max(span, 1.0))
        ax.set_xlabel(text("axis.hours", lang))
        figure.legend(loc="outside lower center", ncols=min(4, len(names) + 1))
    return figure


def compare_pillars_chart(
    sessions: Sequence[SessionData], lang: str = "pl", labels: Sequence[str] | None = None
) -> Figure:
    """Share of available points earned by pillar in several sessions (grouped bars)."""
    check_lang(lang)
    names = _labels(sessions, labels)
    with _style():
        figure = _figure(8.5, 4.6)
        ax = figure.subplots()
        ax.set_title(text("chart.compare.pillar.title", lang))
        if not sessions:
            _empty(ax, lang)
            return figure
        pillars = np.arange(1, 8)
        width = 0.8 / len(sessions)
        for index, (data, name) in enumerate(zip(sessions, names, strict=True)):
            style = SESSION_STYLES[index % len(SESSION_STYLES)]
            ax.bar(
                pillars - 0.4 + width * (index + 0.5),
                _pillar_shares(data),
                width=width,
                color=style["color"],
                edgecolor="black",
                hatch=style["hatch"],
                linewidth=0.5,
                label=name,
            )
        ax.set_xticks(pillars)
        ax.set_xticklabels(
            [textwrap.fill(pillar_label(int(p), lang), 16) for p in pillars], fontsize=6.5
        )
        ax.set_ylim(0, 105)
        ax.set_ylabel(text("axis.share", lang))
        ax.grid(axis="x", visible=False)
        figure.legend(loc="outside lower center", ncols=min(4, len(names)))
    return figure


# --- saving --------------------------------------------------------------------------------


def figure_bytes(figure: Figure, fmt: str = "png", dpi: int = 150) -> bytes:
    """The figure as PNG or SVG bytes (no timestamps, so the same figure gives the same bytes)."""
    buffer = io.BytesIO()
    options: dict[str, Any] = {"metadata": {"Date": None}}
    if fmt == "png":
        # Flat colours compress as well at the fastest zlib level.
        options = {"metadata": {"Software": None}, "pil_kwargs": {"compress_level": 1}}
    with _style():
        figure.savefig(buffer, format=fmt, dpi=dpi, facecolor="white", **options)
    return buffer.getvalue()


def save_figure(
    figure: Figure,
    stem: str | os.PathLike[str],
    formats: Sequence[str] = ("png", "svg"),
    dpi: int = 150,
) -> list[Path]:
    """Save ``figure`` as ``stem.png`` and ``stem.svg`` (or the ``formats`` given).

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of ``formats``.
    """
    written = []
    base = Path(stem)
    base.parent.mkdir(parents=True, exist_ok=True)
    for fmt in formats:
        path = base.with_name(f"{base.name}.{fmt}")
        path.write_bytes(figure_bytes(figure, fmt, dpi))
        written.append(path)
    return written


#: The charts of one session by file name, in report order.
CHARTS: dict[str, Chart] = {
    "people-without": people_without_chart,
    "in-need": in_need_chart,
    "critical-down": critical_down_chart,
    "asset-timeline": asset_timeline_chart,
    "cascade": cascade_chart,
    "latency": latency_chart,
    "team-points": team_points_chart,
    "pillar-points": pillar_points_chart,
    "pillar-radar": pillar_radar_chart,
}

#: The charts comparing sessions by file name.
COMPARISON_CHARTS: dict[str, Callable[[Sequence[SessionData], str], Figure]] = {
    "compare-water": compare_without_chart,
    "compare-pillars": compare_pillars_chart,
}
