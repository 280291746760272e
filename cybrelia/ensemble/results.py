"""Reading a dry run's results back: the table, a comparison of its plans, one run replayed.

``cybrelia dryrun replay`` rebuilds run ``r`` from the plan stored in the results
(the scenario, model and script texts, the seed and the specs), writes the
run's own scenario and model (its draws applied) beside a new session, plays
the script into it, and checks that the session ends with the figures of the
row: the proof that any run of an ensemble can be watched exactly as it went.
"""

from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from cybrelia.ensemble.compare import FIGURES, Difference, paired_difference
from cybrelia.ensemble.plan import Plan, materialise, prepare
from cybrelia.ensemble.runner import Metadata, read_metadata
from cybrelia.exercise.driver import play
from cybrelia.exercise.export import replay_session
from cybrelia.exercise.outcome import harm
from cybrelia.exercise.session import Session
from cybrelia.files.validation import load_responses

__all__ = ["Results", "compare_plans", "read_results", "replay_run"]


@dataclass(frozen=True)
class Results:
    """The rows of a dry run as a table, with the plans that made them."""

    frame: pd.DataFrame
    metadata: Metadata

    @property
    def labels(self) -> list[str]:
        """The plans' labels (``["A", "B"]`` for a comparison, ``[""]`` otherwise)."""
        return [plan.label for plan in self.metadata.plans]

    def plan(self, label: str | None = None) -> Plan:
        """The plan of ``label`` (the only one by default)."""
        plans = self.metadata.plans
        if label is None:
            if len(plans) > 1:
                raise ValueError("the results compare two plans: choose one with --plan A or B")
            return plans[0]
        for plan in plans:
            if plan.label == label:
                return plan
        raise ValueError(f"no plan {label!r} (plans: {', '.join(p.label for p in plans)})")

    def rows(self, label: str | None = None) -> pd.DataFrame:
        """The rows of one plan (all rows outside comparisons), by run."""
        if "plan" not in self.frame.columns or label is None:
            return self.frame
        return self.frame[self.frame["plan"] == label].reset_index(drop=True)

    def row(self, run: int, label: str | None = None) -> dict[str, Any]:
        """One run's row, each value of its column's own type (seeds stay exact integers)."""
        rows = self.rows(label)
        match = rows[rows["run"] == run]
        if match.empty:
            raise ValueError(f"no run {run} (runs 0 to {self.metadata.runs - 1})")
        return {column: match[column].iloc[0] for column in rows.columns}

    @property
    def draws(self) -> list[str]:
        """The sampled columns that vary (constant ones are left out)."""
        names = [c.name for c in self.metadata.columns]
        start = names.index("seed") + 1
        sampled = names[start : names.index("outcome_index")]
        return [c for c in sampled if self.frame[c].nunique(dropna=True) > 1]


def read_results(path: Path) -> Results:
    """The results file (Parquet or CSV) with its metadata."""
    metadata = read_metadata(path)
    if path.suffix.lower() == ".csv":
        kinds = {c.name: ("string" if c.kind == "str" else "float64") for c in metadata.columns}
        frame = pd.read_csv(path, dtype=kinds, keep_default_na=False, na_values=[""])
    else:
        frame = pq.read_table(path).to_pandas()
    return Results(frame, metadata)


def compare_plans(results: Results) -> list[Difference]:
    """B minus A of the key figures, paired by run number."""
    a, b = results.rows("A"), results.rows("B")
    return [
        paired_difference(
            figure,
            a[figure].to_numpy(dtype=float),
            b[figure].to_numpy(dtype=float),
        )
        for figure in FIGURES
    ]


def replay_run(results_path: Path, run: int, session_path: Path, *, plan: str | None) -> float:
    """Write run ``run`` as a session at ``session_path``; returns its harm (checked).

    Raises
    ------
    ValueError
        If the run is not in the results, or the session does not end as the row did
        (the files of the plan were changed by hand, for example).
    """
    results = read_results(results_path)
    chosen = results.plan(plan)
    row = results.row(run, chosen.label if len(results.metadata.plans) > 1 else None)
    prepared = prepare(chosen)
    variation = prepared.variation(run)
    if int(row["seed"]) != variation.seed:
        raise ValueError(f"run {run}: the seed of the row is not the plan's; was the file edited?")
    with tempfile.TemporaryDirectory(prefix="cybrelia-replay-") as folder:
        scenario_path, responses_path = materialise(variation, Path(folder), prepared.reference)
        session = Session.create(scenario_path, session_path, seed=variation.seed)
        try:
            if responses_path is not None:
                play(session, load_responses(responses_path))
            else:
                session.advance_to(session.end)
        finally:
            session.close()
    replay = replay_session(session_path)
    replayed = harm(replay.actual)
    if not math.isclose(replayed, float(row["harm"]), rel_tol=0, abs_tol=1e-9):
        raise ValueError(
            f"run {run}: the session's harm {replayed:g} is not the row's {row['harm']:g}"
        )
    return replayed
