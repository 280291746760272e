"""Post-exercise analysis: a session as pandas DataFrames, and charts of it.

>>> from cybrelia.analysis import load_session
>>> data = load_session("out/mokry.cybrelia")          # doctest: +SKIP
>>> data.metrics.query("run == 'actual'").plot(x="t", y="people_in_need")  # doctest: +SKIP

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
