"""Declared zones (MODEL.md 1.1, section 2): a typo must not create a new zone.

When a model declares ``zones``, every zone an asset lies in and every zone a scenario's
``damage_zone`` names must be declared; errors come all at once as ``FILE:LINE: PATH:
message``.  Without the declaration any name is a zone, as in version 1.
"""

from __future__ import annotations

from pathlib import Path

from cybrelia.files.validation import load_scenario
from tests.helpers import simulate_records
from tests.test_engine import asset
from tests.test_files_validation import messages, write

DECLARED = """\
format: cybrelia.infrastructure/1
id: doliny
zones:
  - {id: dolina, name: Dolina Odry}
  - {id: burza}
assets:
  - id: gpz
    type: substation
    provides: [power]
    zones: [dolina]
  - id: most
    type: bridge
    zones: [burza, dolna]
  - id: szkola
    type: school
    zones: [gory]
"""

SCENARIO = """\
format: cybrelia.scenario/1
id: powodz
infrastructure: m.yaml
injects:
  - id: I-01
    at: 1h
    effects:
      - damage_zone: {zone}
"""


def test_every_undeclared_zone_of_an_asset_is_an_error_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "m.yaml", DECLARED)
    assert messages(path) == [
        f"{path}:13: assets[1].zones[1]: unknown zone 'dolna'; did you mean 'dolina'?",
        f"{path}:16: assets[2].zones[0]: unknown zone 'gory'",
    ]


def test_a_declared_zone_may_be_damaged_even_if_no_asset_lies_in_it(tmp_path: Path) -> None:
    model = DECLARED.replace(", dolna]", "]").replace("    zones: [gory]\n", "")
    model = model.replace("  - {id: burza}\n", "  - {id: burza}\n  - {id: las}\n")
    write(tmp_path, "m.yaml", model)
    assert messages(write(tmp_path, "s.yaml", SCENARIO.format(zone="las"))) == []
    loaded = load_scenario(write(tmp_path, "s.yaml", SCENARIO.format(zone="dolina")))
    assert loaded.model.zones() == {"dolina", "burza", "las"}
    assert simulate_records(loaded) == [asset(1.0, "gpz", "down", "damaged")]


def test_a_scenario_naming_an_undeclared_zone_is_refused(tmp_path: Path) -> None:
    model = DECLARED.replace(", dolna]", "]").replace("    zones: [gory]\n", "")
    write(tmp_path, "m.yaml", model)
    path = write(tmp_path, "s.yaml", SCENARIO.format(zone="gory"))
    expected = f"{path}:8: injects[0].effects[0].damage_zone[0]: unknown zone 'gory'"
    assert messages(path) == [expected]


def test_duplicate_zone_ids_are_errors(tmp_path: Path) -> None:
    model = DECLARED.replace("  - {id: burza}\n", "  - {id: burza}\n  - {id: dolina}\n")
    model = model.replace(", dolna]", "]").replace("    zones: [gory]\n", "")
    path = write(tmp_path, "m.yaml", model)
    expected = f"{path}:6: zones[2].id: duplicate zone id 'dolina' (first on line 4)"
    assert messages(path) == [expected]


def test_without_a_declaration_any_name_is_a_zone(tmp_path: Path) -> None:
    model = DECLARED.replace("zones:\n  - {id: dolina, name: Dolina Odry}\n  - {id: burza}\n", "")
    write(tmp_path, "m.yaml", model)
    assert messages(tmp_path / "m.yaml") == []
    assert messages(write(tmp_path, "s.yaml", SCENARIO.format(zone="gory"))) == []
