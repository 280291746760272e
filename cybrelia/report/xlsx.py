"""The session frames as a spreadsheet: one sheet per frame (needs ``openpyxl``).

With several sessions, each sheet holds the rows of all of them, with a
``session`` column first.  A ``session`` sheet lists the sessions' metadata.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from cybrelia.analysis.frames import FRAME_NAMES, SessionData
from cybrelia.files.sanitize import literal_cells
from cybrelia.report.document import PLAN_COLUMNS, improvement_plan

__all__ = ["SHEETS", "write_xlsx"]

#: The sheets, in order: the sessions' metadata, every frame, then the improvement plan
#: (edit its element, contact, dates and status, and re-import it: ``cybrelia ip import``).
SHEETS = ("session", *FRAME_NAMES, "improvement_plan")

# Characters a spreadsheet cell cannot hold (XML 1.0 control characters).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(
            frame[column]
        ):
            frame[column] = frame[column].map(
                lambda v: _ILLEGAL.sub("", v) if isinstance(v, str) else v
            )
    return frame


def write_xlsx(
    sessions: Sequence[SessionData],
    path: str | os.PathLike[str],
    labels: Sequence[str] | None = None,
    lang: str = "pl",
) -> Path:
    """Write the frames of ``sessions`` to the workbook at ``path``.

    Parameters
    ----------
    sessions
        One session or several.
    path
        The ``.xlsx`` file to write (replaced if it exists).
    labels
        Names of the sessions (their ``label`` by default).
    lang
        Language of the improvement plan's texts.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    names = list(labels) if labels is not None else [s.label for s in sessions]
    meta = pd.DataFrame(
        [
            {
                "session": name,
                "file": str(data.path) if data.path else "",
                "created": data.created or "",
                "scenario_id": data.scenario_id,
                "title": data.title,
                "start": data.start.isoformat() if data.start else "",
                "seed": data.seed,
                "end": data.end,
                "duration": data.duration,
                "baseline": data.has_baseline,
            }
            for data, name in zip(sessions, names, strict=True)
        ]
    )
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        _clean(meta).to_excel(writer, sheet_name="session", index=False)
        for name in FRAME_NAMES:
            frames = []
            for data, label in zip(sessions, names, strict=True):
                frame = data.frames()[name]
                frames.append(frame.assign(session=label) if len(sessions) > 1 else frame)
            combined = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
            if len(sessions) > 1:
                combined = combined[["session", *[c for c in combined.columns if c != "session"]]]
            _clean(combined).to_excel(writer, sheet_name=name, index=False, freeze_panes=(1, 0))
        plans = [
            improvement_plan(data, lang).assign(session=label, scenario=data.scenario_id)
            for data, label in zip(sessions, names, strict=True)
        ]
        plan = pd.concat(plans, ignore_index=True)
        plan = plan[["session", "scenario", *PLAN_COLUMNS]]
        _clean(plan).to_excel(
            writer, sheet_name="improvement_plan", index=False, freeze_panes=(1, 0)
        )
        for sheet in writer.book.worksheets:
            literal_cells(sheet)  # scenario text such as "=HYPERLINK(...)" stays text
    return target
