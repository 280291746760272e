"""Post-exercise analysis: a session as pandas DataFrames, and charts of it.

Play the bundled reference exercise's response script into a session file, then
load it with its no-action baseline:

>>> import tempfile
>>> from pathlib import Path
>>> from cybrelia.analysis import cascade_candidates, load_session, make_session
>>> from cybrelia.files.library import resolve
>>> scenario = resolve("mokry-snieg", "scenario")
>>> folder = tempfile.TemporaryDirectory()
>>> path = make_session(
...     scenario,
...     scenario.with_name("mokry-snieg.responses.yaml"),
...     Path(folder.name) / "mokry.cybrelia",
... )
>>> data = load_session(path)
>>> data.has_baseline, sorted(set(data.metrics["run"]))
(True, ['actual', 'baseline'])
>>> peak = data.metrics.groupby("run")["people_in_need"].max()
>>> bool(peak["actual"] <= peak["baseline"])
True
>>> cascade_candidates(data).columns.tolist()
['inject', 'delivered_at', 'assets']
>>> folder.cleanup()

See ``docs/analysis.md``.  The charts live in :mod:`cybrelia.analysis.charts`
(imported on demand, so the frames need no plotting library loaded).
"""

from __future__ import annotations

from cybrelia.analysis.cascade import cascade, cascade_candidates
from cybrelia.analysis.frames import (
    FRAME_NAMES,
    RUNS,
    SessionData,
    asset_intervals,
    condition_text,
    from_exercise,
    load_session,
    people_without,
)
from cybrelia.analysis.headless import make_session

__all__ = [
    "FRAME_NAMES",
    "RUNS",
    "SessionData",
    "asset_intervals",
    "cascade",
    "cascade_candidates",
    "condition_text",
    "from_exercise",
    "load_session",
    "make_session",
    "people_without",
]
