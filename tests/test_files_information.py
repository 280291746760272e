"""The information fields of scenario files (docs/information.md): optional, v1 files valid,
every error with its file, line and path."""

from __future__ import annotations

from pathlib import Path

import pytest

from cybrelia.files.diagnostics import ValidationFailed
from cybrelia.files.validation import load_scenario
from tests.test_files_validation import MODEL, messages, write

SCENARIO = """\
format: cybrelia.scenario/1
id: test
infrastructure: m.yaml
duration: 24h
information:
  alert_delay: 45m
  trust: 0.5
teams:
  - {id: gzzk, name: {pl: GZZK, en: Crisis team}, role: crisis}
injects:
  - id: I-01
    at: 1h
    effects:
      - claim:
          id: woda
          text: {pl: Woda skażona, en: Water poisoned}
          service: water
  - id: I-02
    at: 2h
    effects:
      - claim:
          id: plotka
          text: {pl: Ewakuacja to pretekst, en: The evacuation is a ruse}
          behaviour: refuse_evacuation
    expect:
      - {action: order_evacuation, target: dolina, team: gzzk, within: 1h, points: 5,
         pillar: 4, capability: warning}
"""


def test_a_version_1_claim_keeps_its_meaning_and_the_new_fields_load(tmp_path: Path) -> None:
    write(tmp_path, "m.yaml", MODEL.replace("{id: wies, population: 200}", _WIES_IN_DOLINA))
    loaded = load_scenario(write(tmp_path, "s.yaml", SCENARIO))
    scenario = loaded.scenario
    assert (scenario.information.alert_delay, scenario.information.trust) == (0.75, 0.5)
    assert scenario.information.radio_audience == 0.3  # the default
    first, second = (inject.effects[0].claim for inject in scenario.injects)
    assert first is not None and second is not None
    assert (first.behaviour, first.service) == ("avoid_service", "water")
    assert (second.behaviour, second.service) == ("refuse_evacuation", None)
    assert loaded.model.district_index()["wies"].zones == ("dolina",)
    assert scenario.information.crowd_hours == 3.0  # the default
    waiting = SCENARIO.replace("  trust: 0.5\n", "  trust: 0.5\n  crowd_hours: 90m\n")
    assert load_scenario(write(tmp_path, "s.yaml", waiting)).scenario.information.crowd_hours == 1.5


_WIES_IN_DOLINA = "{id: wies, population: 200, zones: [dolina]}"


@pytest.mark.parametrize(
    ("old", "new", "line", "expected"),
    [
        ("  trust: 0.5\n", "  trust: 1.5\n", 7, "information.trust: Input should be less than"),
        ("  trust: 0.5\n", "  trust: 0.5\n  rumor: 1\n", 8, "information.rumor: unknown key"),
        (
            "          service: water\n",
            "",
            14,
            "claim: a claim names its behaviour",
        ),
        (
            "          behaviour: refuse_evacuation\n",
            "          behaviour: refuse_evacuation\n          service: water\n",
            21,
            "claim: behaviour refuse_evacuation takes no service",
        ),
        (
            "          behaviour: refuse_evacuation\n",
            "          behaviour: crowd_at_bridge\n          at: gpz\n",
            25,
            "claim.at: 'gpz' is no road or bridge of the model",
        ),
        (
            "          behaviour: refuse_evacuation\n",
            "          behaviour: panic\n",
            24,
            "claim.behaviour: Input should be",
        ),
        ("target: dolina", "target: gory", 26, "unknown area 'gory'"),
    ],
)
def test_each_information_rule_names_file_line_and_path(
    tmp_path: Path, old: str, new: str, line: int, expected: str
) -> None:
    write(tmp_path, "m.yaml", MODEL.replace("{id: wies, population: 200}", _WIES_IN_DOLINA))
    assert old in SCENARIO
    path = write(tmp_path, "s.yaml", SCENARIO.replace(old, new, 1))
    found = messages(path)
    assert any(f"s.yaml:{line}:" in m and expected in m for m in found), found
    with pytest.raises(ValidationFailed):
        load_scenario(path)
