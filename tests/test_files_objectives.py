"""``cybrelia.files.objectives``: an objective's statement from the expectations measuring it."""

from __future__ import annotations

from pathlib import Path

import pytest

from cybrelia.files.objectives import measuring, statement
from tests.helpers import WriteScenario

MODEL = """\
districts:
  - {id: wies, population: 100}
assets:
  - {id: gpz, name: GPZ, type: substation, provides: [power], serves: {wies: 1.0}}
"""


def scenario_with(expectations: list[str]) -> str:
    """Two objectives; O1 measured by ``expectations`` (YAML flow mappings), O2 by none."""
    expect = "\n".join(f"      - {{{e}, objective: O1}}" for e in expectations)
    return f"""\
id: cele
title: Cele
duration: 6h
teams:
  - {{id: gzzk, name: {{pl: Sztab, en: Crisis team}}, role: crisis}}
  - {{id: osp, name: {{pl: OSP, en: Fire brigade}}, role: fire}}
objectives:
  - {{id: O1, text: {{pl: cel, en: goal}}, capability: Operational coordination, pillar: 3}}
  - {{id: O2, text: {{pl: cel, en: goal}}, capability: Cybersecurity, pillar: 7}}
injects:
  - id: I-01
    at: 1h
    to: [gzzk, osp]
    expect:
{expect}
"""


MEASURES = "points: 1, pillar: 3, capability: Operational coordination"
NOTE = "action: note, team: gzzk, within: {w}, " + MEASURES
REPAIR = "action: repair, target: gpz, team: osp, within: 4h, " + MEASURES


def test_one_team_and_one_action_are_said_in_the_singular(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(MODEL, scenario_with([NOTE.format(w="1h")]))
    objective = loaded.scenario.objective_list()[0]
    assert statement(loaded.scenario, objective, "pl") == (
        "Koordynacja działań: zespół GZZK wykonuje 1 oczekiwane działanie (notatka), ze skutkiem"
        " w swoim oknie (1 h od wpisu), bez oceny M ani U."
    )
    assert statement(loaded.scenario, objective, "en") == (
        "Operational coordination: team GZZK carries out 1 expected action (note), taking effect"
        " within its window (1 h after the inject), with no M or U rating."
    )


@pytest.mark.parametrize(
    ("count", "pl"),
    [
        (2, "2 oczekiwane działania"),
        (5, "5 oczekiwanych działań"),
        (12, "12 oczekiwanych działań"),
        (22, "22 oczekiwane działania"),
    ],
)
def test_polish_counts_take_their_plural_form(
    write_scenario: WriteScenario, count: int, pl: str
) -> None:
    notes = [NOTE.format(w="1h")] * (count - 1) + [REPAIR]
    loaded = write_scenario(MODEL, scenario_with(notes))
    objective = loaded.scenario.objective_list()[0]
    assert len(measuring(loaded.scenario, objective)) == count
    said = statement(loaded.scenario, objective, "pl")
    assert said == (
        f"Koordynacja działań: zespoły GZZK, OSP wykonują {pl} (notatka, naprawa), każde ze"
        " skutkiem w swoim oknie (1\u20134 h od wpisu), bez oceny M ani U."
    )
    assert f"teams GZZK, OSP carry out {count} expected actions (note, repair)" in statement(
        loaded.scenario, objective, "en"
    )


def test_windows_not_in_whole_hours_are_said_in_words(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(MODEL, scenario_with([NOTE.format(w="30m"), REPAIR]))
    objective = loaded.scenario.objective_list()[0]
    assert "(30 min \u2013 4 h od wpisu)" in statement(loaded.scenario, objective, "pl")


def test_an_objective_nothing_measures_says_so(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(MODEL, scenario_with([NOTE.format(w="1h")]))
    unmeasured = loaded.scenario.objective_list()[1]
    assert measuring(loaded.scenario, unmeasured) == []
    assert statement(loaded.scenario, unmeasured, "en") == (
        "Cybersecurity: no expected action measures this objective yet."
    )


def test_the_bundled_objectives_state_what_their_expectations_ask() -> None:
    """The statements in the bundled scenarios are the derived ones: none has drifted.

    To rewrite them after a change of the expectations: ``CYBRELIA_UPDATE_GOLDEN=1``.
    """
    import json
    import os

    from cybrelia.files.validation import load_scenario

    root = Path(__file__).resolve().parent.parent / "scenarios"
    drifted = []
    for path in sorted(root.glob("*.yaml")):
        if path.name.endswith(".responses.yaml"):
            continue
        scenario = load_scenario(path).scenario
        source = path.read_text(encoding="utf-8")
        for objective in scenario.objectives or []:
            for lang in ("pl", "en"):
                written, derived = objective.text.get(lang), statement(scenario, objective, lang)
                if written == derived:
                    continue
                quoted = json.dumps(written, ensure_ascii=False)
                if os.environ.get("CYBRELIA_UPDATE_GOLDEN") == "1" and source.count(quoted) == 1:
                    source = source.replace(quoted, json.dumps(derived, ensure_ascii=False))
                else:
                    drifted.append(f"{path.name} {objective.id} {lang}: {written!r} -> {derived!r}")
        if os.environ.get("CYBRELIA_UPDATE_GOLDEN") == "1":
            path.write_text(source, encoding="utf-8")
    assert drifted == []
