"""The report of a dry run: how hard the exercise is, what drives it, where it is hardest.

``cybrelia dryrun report OUT -o DIR`` writes ``DIR/report.html`` (one
self-contained page) and ``DIR/report.md`` with the charts as PNG files, in
Polish or English:

1. the figures over all runs (mean, spread, the 5th to 95th percentiles) and
   their distributions;
2. a fan chart of the people in need hour by hour (median, 50 % and 90 % bands);
3. the critical facilities: in how many runs each went down, and when;
4. sensitivity of the harm to each varied input: Spearman's rank correlation
   always, and where there are at least :data:`DELTA_MIN_RUNS` runs, SALib's
   moment-independent delta, which needs no particular sampling design;
5. scenario discovery: a PRIM box (EMA Workbench) around the hardest tenth of
   the runs, said in words (inputs cast to float, as the Workbench needs on
   Python 3.11);
6. for a comparison, plan B against plan A on paired runs with intervals.

The *harm* analysed is :func:`cybrelia.exercise.outcome.harm`; where it does not
vary (a script that keeps everyone out of need), the report analyses the first
figure that does and says so.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from cybrelia.ensemble.compare import figure_name
from cybrelia.ensemble.results import Results, compare_plans, read_results
from cybrelia.files.durations import format_duration
from cybrelia.i18n import format_number, text
from cybrelia.report import write_document
from cybrelia.report.document import (
    Block,
    Bullets,
    Chart,
    Document,
    Heading,
    Paragraph,
    Table,
)

__all__ = [
    "DELTA_MIN_RUNS",
    "HARDEST_SHARE",
    "Box",
    "hardest_box",
    "input_label",
    "sensitivity",
    "write_report",
]

#: Runs needed before SALib's delta is computed (it estimates densities).
DELTA_MIN_RUNS = 200
#: The share of runs called the hardest, for scenario discovery.
HARDEST_SHARE = 0.1
#: Runs needed before scenario discovery is tried.
PRIM_MIN_RUNS = 30
_DPI = 110
_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#56B4E9", "#CC79A7")


def _t(key: str, lang: str, **values: Any) -> str:
    """A text of the report from the catalogue (``dryrun.report.*``)."""
    name = "dryrun.report." + key.replace(".", "_")  # the dryrun.report.* block
    return text(name, lang, **values)


def input_label(column: str, lang: str, names: dict[str, str] | None = None) -> str:
    """A varied input's name for people (``names``: display names of assets and districts)."""
    names = names or {}
    parts = column.replace("[", "").replace("]", "").split(".")
    fixed = ("repair_hours", "travel_hours", "restore_hours", "buffer_hours", "prepared_share")
    if column in (*fixed, "responses.delay", "inject_jitter"):
        return text(f"dryrun.input.{column}", lang)
    head = parts[0]
    if head == "inject_jitter":
        return text("dryrun.input.inject_shift", lang, inject=column.split(".", 1)[1])
    if head == "responses":
        return text("dryrun.input.team_delay", lang, team=parts[1])
    if head == "injects":
        return text("dryrun.input.inject_at", lang, inject=parts[1])
    if head == "resources":
        key = (
            "dryrun.input.resource_count" if parts[-1] == "count" else "dryrun.input.resource_fuel"
        )
        return text(key, lang, resource=parts[1])
    if head == "districts":
        return text("dryrun.input.district_share", lang, district=names.get(parts[1], parts[1]))
    if head == "assets":
        asset = names.get(parts[1], parts[1])
        if parts[2] == "buffer":
            return text("dryrun.input.asset_buffer", lang, asset=asset, service=parts[3])
        kind = {"repair_hours": "repair", "travel_hours": "travel", "restore_hours": "restore"}
        return text(f"dryrun.input.asset_{kind[parts[2]]}", lang, asset=asset)
    return column


def _value(column: str, value: float, lang: str) -> str:
    """A value of an input as people read it: hours as 1h30m, factors and shares as numbers."""
    if column.endswith("(h)") or "(h" in column or "h)" in column:
        sign = "-" if value < 0 else ""
        return sign + format_duration(abs(value))
    return format_number(value, lang, 2)


def _percent(share: float, lang: str) -> str:
    text = f"{100 * share:.0f}"
    return _t("percent", lang, value=text)


def _number(value: float, lang: str, digits: int = 0) -> str:
    return format_number(value, lang, digits) if math.isfinite(value) else "-"


# --- analysis ------------------------------------------------------------------------


def sensitivity(
    frame: pd.DataFrame, inputs: Sequence[str], figure: str, *, seed: int = 0
) -> pd.DataFrame:
    """Rank correlation (and, with enough runs, SALib's delta) of ``figure`` with each input.

    Returns a frame indexed by input with ``rho`` and ``delta`` (NaN where not computed),
    sorted by the strength of the rank correlation.
    """
    y = frame[figure].astype(float)
    rows = []
    for column in inputs:
        rho = frame[column].astype(float).corr(y, method="spearman")
        rows.append((column, float(rho) if math.isfinite(rho) else 0.0))
    out = pd.DataFrame(rows, columns=["input", "rho"]).set_index("input")
    out["delta"] = math.nan
    if len(frame) >= DELTA_MIN_RUNS and inputs and y.nunique() > 1:
        from SALib.analyze import delta

        x = frame[list(inputs)].to_numpy(dtype=float)
        bounds = [[float(np.min(c)), float(np.max(c))] for c in x.T]
        problem = {"num_vars": len(inputs), "names": list(inputs), "bounds": bounds}
        # SALib prints notices about its bins on stdout; the report says what matters.
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            result = delta.analyze(
                problem, x, y.to_numpy(), num_resamples=10, seed=seed, method="delta"
            )
        # SALib 1.5 names it "delta", 1.6 "delta_raw" (Borgonovo's estimator in both).
        values = result["delta_raw"] if "delta_raw" in result else result["delta"]
        out["delta"] = np.asarray(values, dtype=float)
    order = out["rho"].abs().sort_values(ascending=False, kind="stable").index
    return out.loc[order]


class Box:
    """A PRIM box: the limits on the inputs where the hardest runs gather."""

    def __init__(
        self,
        limits: dict[str, tuple[float | None, float | None]],
        coverage: float,
        density: float,
        n: int,
        threshold: float,
        base: float,
    ) -> None:
        self.limits = limits
        self.coverage = coverage
        self.density = density
        self.n = n
        self.threshold = threshold
        self.base = base

    def conditions(self, lang: str, names: dict[str, str]) -> str:
        """The box in words: "repair times (factor) above 1.30 and ..."."""
        said = []
        for column, (low, high) in self.limits.items():
            label = input_label(column, lang, names)
            if low is not None and high is not None:
                said.append(
                    _t(
                        "between",
                        lang,
                        label=label,
                        low=_value(label, low, lang),
                        high=_value(label, high, lang),
                    )
                )
            elif low is not None:
                said.append(_t("above", lang, label=label, value=_value(label, low, lang)))
            elif high is not None:
                said.append(_t("below", lang, label=label, value=_value(label, high, lang)))
        return _t("and", lang).join(said)


def hardest_box(frame: pd.DataFrame, inputs: Sequence[str], figure: str) -> Box | None:
    """PRIM (EMA Workbench) around the hardest :data:`HARDEST_SHARE` of runs, or None.

    The chosen box is the one of the peeling trajectory that holds the most of the
    hardest runs while at least half of its runs are among them (and at least
    twice the base rate); a box restricting no input is no finding.
    """
    if len(frame) < PRIM_MIN_RUNS or not inputs:
        return None
    y = frame[figure].to_numpy(dtype=float)
    threshold = float(np.quantile(y, 1 - HARDEST_SHARE))
    hardest = y >= threshold
    if hardest.all() or not hardest.any():
        return None
    # The Workbench needs float columns on Python 3.11 (its issue 448).
    x = frame[list(inputs)].astype(float).reset_index(drop=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.getLogger("EMA").setLevel(logging.ERROR)
        from ema_workbench.analysis import prim

        finder = prim.Prim(x, hardest, threshold=0.5, peel_alpha=0.05)
        box = finder.find_box()
    trajectory = box.peeling_trajectory
    base = float(hardest.mean())
    good = trajectory[(trajectory["density"] >= max(0.5, 2 * base)) & (trajectory["res_dim"] > 0)]
    if good.empty:
        return None
    best = int(good.sort_values(["coverage", "density"], ascending=False, kind="stable").index[0])
    limits_frame = box.box_lims[best]
    full = box.box_lims[0]
    limits: dict[str, tuple[float | None, float | None]] = {}
    for column in inputs:
        low, high = float(limits_frame.at[0, column]), float(limits_frame.at[1, column])
        full_low, full_high = float(full.at[0, column]), float(full.at[1, column])
        bounded = (low if low > full_low else None, high if high < full_high else None)
        if bounded != (None, None):
            limits[column] = bounded
    limits = _pruned(limits, x, hardest)
    if not limits:
        return None
    inside = _inside(limits, x)
    n = int(inside.sum())
    density = float(hardest[inside].mean())
    coverage = float(hardest[inside].sum() / hardest.sum())
    return Box(limits, coverage, density, n, threshold, base)


#: A restriction is dropped from a box if the box keeps this share of its density without it.
KEEP_DENSITY = 0.95


def _inside(limits: dict[str, tuple[float | None, float | None]], x: pd.DataFrame) -> np.ndarray:
    """Which runs lie in the box."""
    inside = np.ones(len(x), dtype=bool)
    for column, (low, high) in limits.items():
        values = x[column].to_numpy()
        if low is not None:
            inside &= values >= low
        if high is not None:
            inside &= values <= high
    return inside


def _pruned(
    limits: dict[str, tuple[float | None, float | None]], x: pd.DataFrame, hardest: np.ndarray
) -> dict[str, tuple[float | None, float | None]]:
    """The box without the restrictions that do not matter, so its words stay few.

    PRIM peels a little off many inputs that make no difference (the last minutes of
    an inject's shift); each restriction whose removal keeps :data:`KEEP_DENSITY` of
    the box's density and no less coverage is dropped, the least useful first.
    """
    limits = dict(limits)

    def score(box: dict[str, tuple[float | None, float | None]]) -> tuple[float, float]:
        inside = _inside(box, x)
        if not inside.any():
            return 0.0, 0.0
        return float(hardest[inside].mean()), float(hardest[inside].sum())

    while len(limits) > 1:
        density, covered = score(limits)
        candidates = []
        for column in sorted(limits):
            rest = {k: v for k, v in limits.items() if k != column}
            rest_density, rest_covered = score(rest)
            if rest_density >= KEEP_DENSITY * density and rest_covered >= covered:
                candidates.append((-rest_density, column))
        if not candidates:
            break
        del limits[min(candidates)[1]]
    return limits


# --- charts ----------------------------------------------------------------------------


def _canvas(width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI, metadata={"Software": None})
    return buffer.getvalue()


def _distributions(groups: dict[str, pd.DataFrame], figures: list[str], lang: str) -> Figure:
    columns = 3
    rows = math.ceil(len(figures) / columns)
    figure = _canvas(9.5, 2.4 * rows)
    axes = figure.subplots(rows, columns, squeeze=False)
    for ax, column in zip(axes.flat, figures, strict=False):
        for index, (label, frame) in enumerate(groups.items()):
            values = frame[column].to_numpy(dtype=float)
            values = values[np.isfinite(values)]
            name = f"{_t('plans', lang)} {label}" if label else None
            ax.hist(values, bins=20, alpha=0.6, color=_COLOURS[index % 6], label=name)
        ax.set_title(figure_name(column, lang), fontsize=9)
        ax.set_ylabel(_t("runs", lang), fontsize=8)
        ax.tick_params(labelsize=7)
        if len(groups) > 1:
            ax.legend(fontsize=7)
    for ax in list(axes.flat)[len(figures) :]:
        ax.set_visible(False)
    return figure


def _fan(groups: dict[str, pd.DataFrame], hours: list[int], lang: str) -> Figure:
    figure = _canvas(9.5, 3.6)
    ax = figure.subplots()
    columns = [f"in_need.{h}h" for h in hours]
    for index, (label, frame) in enumerate(groups.items()):
        values = frame[columns].to_numpy(dtype=float)
        colour = _COLOURS[index % 6]
        q = np.quantile(values, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
        ax.fill_between(hours, q[0], q[4], color=colour, alpha=0.15, linewidth=0)
        ax.fill_between(hours, q[1], q[3], color=colour, alpha=0.3, linewidth=0)
        name = f"{_t('plans', lang)} {label}" if label else None
        ax.plot(hours, q[2], color=colour, linewidth=1.6, label=name)
    ax.set_xlabel(_t("hours", lang))
    ax.set_ylabel(_t("people", lang))
    ax.set_xlim(hours[0], hours[-1])
    ax.set_ylim(bottom=0)
    if len(groups) > 1:
        ax.legend()
    return figure


def _sensitivity_chart(table: pd.DataFrame, lang: str, names: dict[str, str]) -> Figure:
    shown = table.head(12)
    figure = _canvas(9.5, 0.35 * len(shown) + 1.0)
    ax = figure.subplots()
    labels = [input_label(c, lang, names) for c in shown.index][::-1]
    values = shown["rho"].to_numpy()[::-1]
    ax.barh(labels, values, color=[_COLOURS[1] if v > 0 else _COLOURS[0] for v in values])
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.set_xlim(-1, 1)
    ax.set_xlabel(_t("col.rho", lang))
    ax.tick_params(labelsize=7.5)
    return figure


# --- the document ----------------------------------------------------------------------


def _analysed(frame: pd.DataFrame, lang: str) -> tuple[str, str | None]:
    """The figure to analyse: the harm, or the first figure that varies, with a note."""
    if frame["harm"].nunique() > 1:
        return "harm", None
    for column in (
        "person_hours.water",
        "person_hours.heat",
        "person_hours.power",
        "people_in_need_peak",
        "critical_downs",
        "points",
    ):
        if column in frame.columns and frame[column].nunique() > 1:
            note = _t(
                "fallback",
                lang,
                value=_number(float(frame["harm"].iloc[0]), lang),
                figure=figure_name(column, lang),
            )
            return column, note
    return "harm", None


@dataclass
class _Context:
    """What every section of the report reads."""

    results: Results
    lang: str
    groups: dict[str, pd.DataFrame]
    first: pd.DataFrame
    names: dict[str, str]
    inputs: list[str]
    figure: str
    blocks: list[Block]

    def t(self, key: str, **values: Any) -> str:
        return _t(key, self.lang, **values)

    def number(self, value: float, digits: int = 0) -> str:
        return _number(value, self.lang, digits)


#: The figures summarised and drawn, where the results have them.
SUMMARY_FIGURES = (
    "harm",
    "outcome_index",
    "people_in_need_peak",
    "points",
    "critical_downs",
    "person_hours.water",
    "person_hours.heat",
    "person_hours.power",
    "person_hours.telecom",
)


def build_report(results: Results, lang: str) -> Document:
    """The report's document (see the module's docstring for its sections)."""
    if lang not in ("pl", "en"):
        raise ValueError(f"unknown language {lang!r}: pl or en")
    labels = results.labels if len(results.metadata.plans) > 1 else [""]
    groups = {label: results.rows(label or None) for label in labels}
    first = groups[labels[0]]
    loaded = _loaded(results)
    names = {a.id: a.label for a in loaded.model.assets}
    names |= {d.id: d.name or d.id for d in loaded.model.districts}
    scenario = loaded.scenario.title or loaded.scenario.id or results.metadata.plans[0].scenario_key
    document = Document(f"{_t('title', lang)}: {scenario}", lang)
    figure, note = _analysed(first, lang)
    context = _Context(results, lang, groups, first, names, results.draws, figure, document.blocks)
    _overview(context, scenario, note)
    _figures(context)
    _fan_section(context)
    _critical(context)
    _sensitivity(context)
    _hardest(context)
    if len(results.metadata.plans) > 1:
        _comparison(context)
    return document


def _overview(c: _Context, scenario: str, note: str | None) -> None:
    c.blocks.append(Heading(1, c.t("overview"), "overview"))
    what = ""
    if c.inputs:
        columns = {"inject_jitter" if i.startswith("inject_jitter.") else i for i in c.inputs}
        shown = sorted({input_label(i, c.lang, c.names).split(" (")[0] for i in columns})
        more = " ..." if len(shown) > 8 else ""
        what = c.t("varied", inputs=", ".join(shown[:8]) + more)
    runs = c.results.metadata.runs
    c.blocks.append(Paragraph(c.t("overview.text", scenario=scenario, runs=runs, what=what)))
    items = []
    for plan in c.results.metadata.plans:
        script = Path(plan.responses_key).name if plan.responses_key else None
        said = c.t("script", script=script) if script else c.t("no_script")
        prefix = f"{plan.label}: " if plan.label else ""
        items.append(f"{prefix}{said} --vary: {'; '.join(plan.specs) or '-'}")
    c.blocks.append(Bullets(tuple(items)))
    if note:
        c.blocks.append(Paragraph(note))


def _figures(c: _Context) -> None:
    c.blocks.append(Heading(1, c.t("figures"), "figures"))
    shown = [f for f in SUMMARY_FIGURES if f in c.results.frame.columns]
    keys = ("col.figure", "col.mean", "col.sd", "col.p5", "col.median", "col.p95")
    header = tuple(c.t(k) for k in keys)
    for label, frame in c.groups.items():
        rows = []
        for column in shown:
            values = frame[column].to_numpy(dtype=float)
            values = values[np.isfinite(values)]
            if values.size == 0:
                continue
            digits = 3 if column == "outcome_index" else 0
            q = np.quantile(values, [0.05, 0.5, 0.95])
            sd = float(values.std(ddof=1)) if values.size > 1 else 0.0
            rows.append(
                (
                    figure_name(column, c.lang),
                    c.number(float(values.mean()), digits),
                    c.number(sd, digits),
                    *(c.number(float(v), digits) for v in q),
                )
            )
        caption = f"{c.t('plans')} {label}" if label else ""
        c.blocks.append(Table(header, tuple(rows), frozenset({1, 2, 3, 4, 5}), caption))
    varying = [f for f in shown if c.results.frame[f].nunique(dropna=True) > 1] or shown
    png = _png(_distributions(c.groups, varying[:6], c.lang))
    c.blocks.append(Chart("dryrun-distributions", c.t("distributions"), png))


def _fan_section(c: _Context) -> None:
    c.blocks.append(Heading(1, c.t("fan"), "fan"))
    columns = [col for col in c.results.frame.columns if col.startswith("in_need.")]
    hours = sorted(int(col.removeprefix("in_need.").removesuffix("h")) for col in columns)
    png = _png(_fan(c.groups, hours, c.lang))
    c.blocks.append(Chart("dryrun-fan", c.t("fan.caption"), png))


def _critical(c: _Context) -> None:
    c.blocks.append(Heading(1, c.t("critical"), "critical"))
    rows = []
    for column in (col for col in c.results.frame.columns if col.startswith("first_down.")):
        times = c.first[column].to_numpy(dtype=float)
        share = float(np.isfinite(times).mean())
        if share == 0:
            continue
        median = float(np.median(times[np.isfinite(times)]))
        ident = column.removeprefix("first_down.")
        rows.append((share, c.names.get(ident, ident), median))
    if not rows:
        c.blocks.append(Paragraph(c.t("never_down")))
        return
    rows.sort(key=lambda r: (-r[0], r[2], r[1]))
    header = tuple(c.t(k) for k in ("col.facility", "col.down_share", "col.first_down"))
    cells = tuple((name, _percent(share, c.lang), format_duration(t)) for share, name, t in rows)
    c.blocks.append(Table(header, cells, frozenset({1, 2})))


def _sensitivity(c: _Context) -> None:
    c.blocks.append(Heading(1, c.t("sensitivity"), "sensitivity"))
    if not c.inputs or c.first[c.figure].nunique() <= 1:
        c.blocks.append(Paragraph(c.t("sensitivity.none")))
        return
    table = sensitivity(c.first, c.inputs, c.figure, seed=c.results.metadata.plans[0].seed)
    with_delta = bool(table["delta"].notna().any())
    delta = c.t("sensitivity.delta") if with_delta else ""
    name = figure_name(c.figure, c.lang)
    c.blocks.append(Paragraph(c.t("sensitivity.text", figure=name, delta=delta)))
    header = (c.t("col.input"), c.t("col.rho")) + ((c.t("col.delta"),) if with_delta else ())
    rows = []
    for column, values in table.head(15).iterrows():
        row = (input_label(str(column), c.lang, c.names), c.number(float(values["rho"]), 2))
        rows.append(row + ((c.number(float(values["delta"]), 2),) if with_delta else ()))
    c.blocks.append(Table(header, tuple(rows), frozenset({1, 2})))
    png = _png(_sensitivity_chart(table, c.lang, c.names))
    c.blocks.append(Chart("dryrun-sensitivity", c.t("sensitivity"), png))


def _hardest(c: _Context) -> None:
    c.blocks.append(Heading(1, c.t("hardest"), "hardest"))
    if len(c.first) < PRIM_MIN_RUNS:
        c.blocks.append(Paragraph(c.t("hardest.few", n=PRIM_MIN_RUNS)))
        return
    varies = c.first[c.figure].nunique() > 1
    box = hardest_box(c.first, c.inputs, c.figure) if varies else None
    if box is None:
        c.blocks.append(Paragraph(c.t("hardest.none")))
        return
    conditions = box.conditions(c.lang, c.names)
    said = c.t(
        "hardest.box",
        share=_percent(HARDEST_SHARE, c.lang),
        figure=figure_name(c.figure, c.lang),
        threshold=c.number(box.threshold),
        conditions=conditions,
        density=_percent(box.density, c.lang),
        base=_percent(box.base, c.lang),
        coverage=_percent(box.coverage, c.lang),
        n=box.n,
    )
    c.blocks.append(Paragraph(said))
    c.blocks.append(Paragraph(c.t("hardest.act", conditions=conditions)))


def _comparison(c: _Context) -> None:
    c.blocks.append(Heading(1, c.t("compare"), "compare"))
    differences = compare_plans(c.results)
    c.blocks.append(Paragraph(c.t("compare.text", n=differences[0].n)))
    keys = ("col.figure", "col.a", "col.b", "col.diff", "col.interval", "col.unpaired")
    header = tuple(c.t(k) for k in keys)
    rows = []
    for d in differences:
        digits = 3 if d.figure == "outcome_index" else 1
        rows.append(
            (
                figure_name(d.figure, c.lang),
                c.number(d.mean_a, digits),
                c.number(d.mean_b, digits),
                c.number(d.mean, digits),
                f"{c.number(d.low, digits)} ... {c.number(d.high, digits)}",
                f"{c.number(d.unpaired_low, digits)} ... {c.number(d.unpaired_high, digits)}",
            )
        )
    c.blocks.append(Table(header, tuple(rows), frozenset({1, 2, 3, 4, 5})))


def _loaded(results: Results) -> Any:
    from cybrelia.ensemble.plan import prepare

    return prepare(results.metadata.plans[0]).loaded


def write_report(
    results_path: str | os.PathLike[str], out: str | os.PathLike[str], *, lang: str = "pl"
) -> list[Path]:
    """Write ``report.html``, ``report.md`` and the charts of a dry run into ``out``."""
    results = read_results(Path(results_path))
    document = build_report(results, lang)
    meta = _t("meta", lang, runs=results.metadata.runs, seed=results.metadata.plans[0].seed)
    return write_document(document, Path(out), meta=meta)
