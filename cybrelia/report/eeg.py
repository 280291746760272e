"""The exercise evaluation guide (EEG, HSEEP): what evaluators watch for, per objective.

``cybrelia eeg SCENARIO`` writes ``eeg.html`` (self-contained and printable:
print it to PDF from a browser) and ``eeg.xlsx`` (one row per expected
action, with empty columns the evaluator fills in).  For each objective: its
SMART statement, core capability, pillar and critical tasks, then the
expected actions that measure it (inject, time, team, action, target, the
window and what to look for), and the rating scale P/S/M/U.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from cybrelia.files.capabilities import capability_name
from cybrelia.files.model import InfrastructureModel
from cybrelia.files.names import short_name, target_name, team_name
from cybrelia.files.scenario import Expectation, Inject, Scenario, objective_of
from cybrelia.i18n import (
    action_label,
    check_lang,
    duration_label,
    pillar_label,
    rating_label,
    text,
)
from cybrelia.report.document import Bullets, Document, Heading, Paragraph, Table
from cybrelia.report.render import to_html

__all__ = ["eeg_document", "eeg_frame", "write_eeg"]


def _expectations(scenario: Scenario) -> list[tuple[Inject, Expectation]]:
    return [(inject, e) for inject in scenario.injects for e in inject.expect]


def _when(inject: Inject, lang: str) -> str:
    if inject.at is not None:
        return duration_label(inject.at, lang)
    return text("eeg.branch", lang)


def _look_for(expectation: Expectation, lang: str) -> str:
    if expectation.description is not None:
        return expectation.description.get(lang)
    return ""


def _heading(key: str, lang: str) -> str:
    """A column heading of the guide, capitalised as a spreadsheet's headings are."""
    heading = text(key, lang)
    return heading[:1].upper() + heading[1:]


def eeg_frame(scenario: Scenario, model: InfrastructureModel, lang: str = "pl") -> pd.DataFrame:
    """One row per expected action, by objective, with the evaluator's empty columns.

    Teams and targets are named as the scenario and the model name them, for
    evaluators who do not know the files' ids.
    """
    check_lang(lang)
    rows = []
    for objective in scenario.objective_list():
        for inject, expectation in _expectations(scenario):
            if objective_of(scenario, expectation) != objective.id:
                continue
            rows.append(
                {
                    _heading("col.objective", lang): objective.text.get(lang),
                    _heading("eeg.capability", lang): capability_name(objective.capability, lang),
                    _heading("col.pillar", lang): pillar_label(objective.pillar, lang),
                    _heading("col.expectation", lang): expectation.id or "",
                    _heading("eeg.inject", lang): inject.id,
                    _heading("col.time", lang): _when(inject, lang),
                    _heading("col.team", lang): short_name(
                        team_name(scenario, expectation.team, lang)
                    ),
                    _heading("col.action", lang): action_label(expectation.action, lang),
                    _heading("col.target", lang): _target(scenario, model, expectation, lang),
                    _heading("col.within", lang): duration_label(expectation.within, lang),
                    _heading("eeg.look_for", lang): _look_for(expectation, lang),
                    _heading("eeg.observed", lang): "",
                    _heading("eeg.observed_time", lang): "",
                    _heading("col.rating", lang): "",
                    _heading("col.note", lang): "",
                }
            )
    return pd.DataFrame(rows)


def _target(
    scenario: Scenario, model: InfrastructureModel, expectation: Expectation, lang: str
) -> str:
    """The expected action's target by name; empty where any target will do."""
    if not expectation.target:
        return ""
    return target_name(model, scenario, expectation.target, expectation.action, lang)


def eeg_document(scenario: Scenario, model: InfrastructureModel, lang: str = "pl") -> Document:
    """The guide as a document (rendered by :func:`cybrelia.report.render.to_html`)."""
    check_lang(lang)
    document = Document(f"{text('eeg.title', lang)}: {scenario.title}", lang)
    add = document.blocks.append
    add(Paragraph(text("eeg.intro", lang)))
    add(Bullets(tuple(rating_label(r, lang) for r in "PSMU")))
    frame = eeg_frame(scenario, model, lang)
    for number, objective in enumerate(scenario.objective_list(), 1):
        add(Heading(1, f"{number}. {objective.text.get(lang)}", f"objective-{number}"))
        add(
            Paragraph(
                f"{text('eeg.capability', lang)}: {capability_name(objective.capability, lang)} · "
                f"{text('col.pillar', lang)}: {pillar_label(objective.pillar, lang)}"
            )
        )
        if objective.critical_tasks:
            add(Paragraph(text("eeg.critical_tasks", lang)))
            add(Bullets(tuple(task.get(lang) for task in objective.critical_tasks)))
        rows = frame[frame[_heading("col.objective", lang)] == objective.text.get(lang)]
        columns = [
            _heading(key, lang)
            for key in (
                "eeg.inject",
                "col.time",
                "col.team",
                "col.action",
                "col.target",
                "col.within",
                "eeg.look_for",
                "eeg.observed",
                "col.rating",
                "col.note",
            )
        ]
        add(
            Table(
                tuple(columns),
                tuple(tuple(str(v) for v in row) for row in rows[columns].itertuples(index=False)),
                caption=text("eeg.expected", lang),
            )
        )
    return document


def write_eeg(
    scenario: Scenario, model: InfrastructureModel, out: str | os.PathLike[str], lang: str = "pl"
) -> list[Path]:
    """Write ``eeg.html`` and ``eeg.xlsx`` into the directory ``out``; return their paths."""
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    html = target / "eeg.html"
    html.write_text(to_html(eeg_document(scenario, model, lang)), encoding="utf-8")
    xlsx = target / "eeg.xlsx"
    frame = eeg_frame(scenario, model, lang)
    with pd.ExcelWriter(xlsx, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="EEG", index=False)
    return [html, xlsx]
