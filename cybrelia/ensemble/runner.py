"""Where the runs go, and how their rows reach the disk in order.

Runs are cut into chunks; each chunk is one task for a worker, which builds the
plan from its texts once (:func:`cybrelia.ensemble.plan.prepare`) and returns
the chunk's rows.  Tasks go to the calling process (one worker), a process
pool on this machine (several), or an existing Dask distributed cluster
(``scheduler``).  At most a few tasks per worker are in flight, and results are
taken in run order and written as they come, in batches, so memory stays flat
whatever the number of runs, and the file is byte for byte the same whatever
the number of workers or where they are.
"""

from __future__ import annotations

import csv
import gc
import importlib
import json
import math
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.parquet as pq

from cybrelia.ensemble.plan import Plan, prepare
from cybrelia.ensemble.replicate import Column, columns, freeze_heap, replicate_many

__all__ = [
    "METADATA_KEY",
    "Metadata",
    "ResultsWriter",
    "Task",
    "draw_columns",
    "open_writer",
    "read_metadata",
    "run_tasks",
    "tasks_for",
]

#: Key of the plan(s) in the Parquet schema metadata (and of the CSV's side file).
METADATA_KEY = "cybrelia.dryrun"
#: Rows written per Parquet row group.
BATCH_ROWS = 1000
#: How long to try reaching a Dask scheduler before giving up.
CONNECT_SECONDS = 10
#: Tasks in flight per worker: enough to keep every worker busy, few enough to stay small.
IN_FLIGHT_PER_WORKER = 4

#: One task: a plan (on a cluster, the future of a scattered one), its runs, the plan's
#: label (None outside comparisons) and the sampled columns every row carries.
Task = tuple[Any, list[int], str | None, tuple[str, ...]]


class _Result(Protocol):
    def result(self) -> list[list[Any]]: ...


def tasks_for(plans: Sequence[Plan], runs: int, chunk: int) -> Iterator[tuple[int, list[int]]]:
    """Chunks of run numbers, each with the index of its plan: run order, then plan order."""
    for start in range(0, runs, chunk):
        block = list(range(start, min(runs, start + chunk)))
        for index in range(len(plans)):
            yield index, block


def default_chunk(runs: int, workers: int) -> int:
    """Runs per task: about eight tasks per worker, at most 50 runs each."""
    return max(1, min(50, math.ceil(runs / (8 * max(1, workers)))))


class _Inline:
    """The calling process as the only worker.

    Its heap is frozen for the runs like a pool worker's and given back to the
    collector when they end: the caller (a notebook, a test, the console) lives on,
    and cycles it drops later must still be collected.  A caller that froze its heap
    itself keeps it frozen (``gc.unfreeze`` cannot give back only what the runs froze).
    """

    def __init__(self, plans: Sequence[Plan]) -> None:
        self._unfreeze = gc.get_freeze_count() == 0
        _warm(list(plans))

    def submit(self, fn: Callable[[Task], list[list[Any]]], task: Task) -> _Result:
        future: Future[list[list[Any]]] = Future()
        future.set_result(fn(task))
        return future

    def close(self) -> None:
        """Give the caller's heap back to the cyclic collector, unless it was frozen before."""
        if self._unfreeze:
            gc.unfreeze()


class _Pool:
    """A process pool; each worker loads the plans once when it starts."""

    def __init__(self, workers: int, plans: Sequence[Plan]) -> None:
        methods = multiprocessing.get_all_start_methods()
        # fork starts a worker in milliseconds; the workers still rebuild the model from the
        # plan's texts, so the parent's state never leaks into a run.
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self.executor: Executor = ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_warm, initargs=(list(plans),)
        )

    def submit(self, fn: Callable[[Task], list[list[Any]]], task: Task) -> _Result:
        return self.executor.submit(fn, task)

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def _warm(plans: list[Plan]) -> None:
    """Prepare the plans in a worker of this machine, then freeze its heap.

    Not on a Dask cluster: its workers are long-lived processes shared by other
    work, whose heap a dry run has no business freezing.
    """
    for plan in plans:
        prepare(plan)
    freeze_heap()


class _Cluster:
    """An existing Dask distributed cluster, reached through its scheduler."""

    def __init__(self, address: str, plans: Sequence[Plan]) -> None:
        try:
            distributed: Any = importlib.import_module("distributed")  # untyped: held as Any
        except ImportError:  # pragma: no cover - the extra is installed with the tests
            needed = "--scheduler needs Dask: pip install 'cybrelia[distributed]'"
            raise SystemExit(needed) from None
        self.client: Any = distributed.Client(
            address, set_as_default=False, timeout=CONNECT_SECONDS
        )
        self.plans = {p.digest: self.client.scatter(p, broadcast=True) for p in plans}

    @property
    def workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def submit(self, fn: Callable[[Task], list[list[Any]]], task: Task) -> _Result:
        plan, runs, label, draws = task
        scattered = self.plans[plan.digest]
        # pure=False: every chunk is its own task, never merged with another as one key.
        future: _Result = self.client.submit(_on_worker, scattered, runs, label, draws, pure=False)
        return future

    def close(self) -> None:
        self.client.close()


def _on_worker(
    plan: Plan, runs: list[int], label: str | None, draws: tuple[str, ...]
) -> list[list[Any]]:
    return replicate_many((plan, runs, label, draws))


def run_tasks(
    plans: Sequence[Plan],
    runs: int,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    chunk: int | None = None,
    labels: bool = False,
) -> Iterator[list[Any]]:
    """Every row of ``runs`` runs of each plan, in run order then plan order.

    Parameters
    ----------
    plans
        One plan, or two for a comparison (then every row carries its plan's label).
    workers
        Processes on this machine; 1 computes in the calling process.
    scheduler
        ``tcp://HOST:PORT`` of a Dask scheduler: run on its cluster instead.
    chunk
        Runs per task (default: about eight tasks per worker).
    labels
        Whether rows carry the plan label (a comparison).
    """
    backend: _Inline | _Pool | _Cluster
    if scheduler is not None:
        backend = _Cluster(scheduler, plans)
        workers = backend.workers
    elif workers > 1:
        backend = _Pool(workers, plans)
    else:
        backend = _Inline(plans)
    draws = tuple(draw_columns(plans))
    size = chunk or default_chunk(runs, workers)
    window = max(2, IN_FLIGHT_PER_WORKER * workers)
    try:
        pending: deque[_Result] = deque()
        for index, block in tasks_for(plans, runs, size):
            plan = plans[index]
            task: Task = (plan, block, plan.label if labels else None, draws)
            pending.append(backend.submit(replicate_many, task))
            if len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        backend.close()


# --- writing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Metadata:
    """What a results file says about itself: its plans, runs and columns."""

    plans: list[Plan]
    runs: int
    columns: list[Column]

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": "cybrelia.dryrun/1",
                "runs": self.runs,
                "plans": [plan.describe() for plan in self.plans],
                "columns": [[c.name, c.kind] for c in self.columns],
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> Metadata:
        data = json.loads(text)
        if data.get("format") != "cybrelia.dryrun/1":
            raise ValueError("not the results of cybrelia dryrun")
        return cls(
            [Plan.from_description(p) for p in data["plans"]],
            int(data["runs"]),
            [Column(name, kind) for name, kind in data["columns"]],
        )


_ARROW = {"int": pa.int64(), "float": pa.float64(), "str": pa.string()}


class ResultsWriter:
    """Rows to a Parquet or CSV file, in batches, via a temporary file renamed when complete."""

    def __init__(self, path: Path, metadata: Metadata) -> None:
        self.path = path
        self.metadata = metadata
        self.partial = path.with_name(path.name + ".partial")
        self.rows: list[list[Any]] = []
        self.count = 0
        self.kind = "csv" if path.suffix.lower() == ".csv" else "parquet"
        fields = [pa.field(c.name, _ARROW[c.kind]) for c in metadata.columns]
        self.schema = pa.schema(fields, metadata={METADATA_KEY: metadata.to_json()})
        self._parquet: pq.ParquetWriter | None = None
        self._csv: Any = None
        if self.kind == "parquet":
            self._parquet = pq.ParquetWriter(self.partial, self.schema, compression="zstd")
        else:
            self._file = open(self.partial, "w", encoding="utf-8", newline="")  # noqa: SIM115
            self._csv = csv.writer(self._file, lineterminator="\n")
            self._csv.writerow([c.name for c in metadata.columns])

    def write(self, row: list[Any]) -> None:
        """Add a row; a full batch goes to disk."""
        self.rows.append(row)
        self.count += 1
        if len(self.rows) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        """Write the rows held so far."""
        if not self.rows:
            return
        if self._parquet is not None:
            arrays = [
                pa.array([row[i] for row in self.rows], type=field.type)
                for i, field in enumerate(self.schema)
            ]
            self._parquet.write_batch(pa.record_batch(arrays, schema=self.schema))
        else:
            self._csv.writerows([_csv_cell(v) for v in row] for row in self.rows)
        self.rows = []

    def close(self) -> None:
        """Finish the file and put it in place (with its side file, for CSV)."""
        self.flush()
        if self._parquet is not None:
            self._parquet.close()
        else:
            self._file.close()
            side = self.path.with_name(self.path.name + ".json")
            side.write_text(self.metadata.to_json() + "\n", encoding="utf-8")
        os.replace(self.partial, self.path)

    def abort(self) -> None:
        """Drop the unfinished file."""
        if self._parquet is not None:
            self._parquet.close()
        else:
            self._file.close()
        self.partial.unlink(missing_ok=True)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    return value


def draw_columns(plans: Sequence[Plan]) -> list[str]:
    """The sampled columns of every plan: the first plan's, then any the others add.

    A comparison's rows share one table; a plan leaves the columns it does not vary
    empty (NaN).
    """
    out: list[str] = []
    for plan in plans:
        out += [c for c in prepare(plan).columns if c not in out]
    return out


def open_writer(path: Path, plans: Sequence[Plan], runs: int, *, labels: bool) -> ResultsWriter:
    """A writer for the rows of ``plans`` (the columns of the first plan's model)."""
    names = columns(prepare(plans[0]), draw_columns(plans), plan_column=labels)
    return ResultsWriter(path, Metadata(list(plans), runs, names))


def read_metadata(path: Path) -> Metadata:
    """The plans, runs and columns of a results file."""
    if path.suffix.lower() == ".csv":
        return Metadata.from_json(path.with_name(path.name + ".json").read_text(encoding="utf-8"))
    schema = pq.read_schema(path)
    raw = (schema.metadata or {}).get(METADATA_KEY.encode())
    if raw is None:
        raise ValueError(f"{path}: not the results of cybrelia dryrun")
    return Metadata.from_json(raw.decode())
