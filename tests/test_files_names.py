"""``cybrelia.files.names``: what people read for the ids of a model and a scenario."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from cybrelia.files.model import InfrastructureModel, Zone
from cybrelia.files.names import area_name, asset_name, short_name, target_name, team_name
from cybrelia.files.validation import LoadedScenario, load_scenario

ROOT = Path(__file__).resolve().parent.parent


@cache
def reference() -> LoadedScenario:
    return load_scenario(ROOT / "scenarios" / "mokry-snieg.yaml")


def test_teams_by_their_name_in_the_language_and_short() -> None:
    scenario = reference().scenario
    assert team_name(scenario, "zgk", "pl") == (
        "Zakład Gospodarki Komunalnej \u2013 wodociągi i kanalizacja"
    )
    assert short_name(team_name(scenario, "zgk", "pl")) == "Zakład Gospodarki Komunalnej"
    assert short_name(team_name(scenario, "gzzk", "en")) == "Municipal crisis management team"
    assert team_name(scenario, "no-such-team", "en") == "no-such-team"
    assert short_name("(odd) name") == "(odd) name", "never an empty name"


def test_targets_by_the_kind_the_action_takes() -> None:
    loaded = reference()
    model, scenario = loaded.model, loaded.scenario
    assert target_name(model, scenario, "gpz-przykladowo", "repair", "pl") == (
        "GPZ Przykładowo 110/15 kV"
    )
    assert target_name(model, scenario, "stare-miasto", "public_alert", "en") == (
        "Przykładowo \u2013 Stare Miasto"
    )
    assert target_name(model, scenario, "all", "public_alert", "en") == "the whole gmina"
    assert target_name(model, scenario, "chainsaw_team", "request_support", "en") != (
        "chainsaw_team"
    )
    assert target_name(model, scenario, "woda-skazona", "debunk", "pl").startswith(
        "Woda w kranie skażona"
    )
    assert target_name(model, scenario, "", "repair", "en") == "any target"
    assert target_name(model, scenario, "", "note", "en") == "\u2014"
    assert asset_name(model, "no-such-asset") == "no-such-asset"


@pytest.mark.parametrize(("zone", "name"), [("river", "Dolina rzeki"), ("forest", None)])
def test_a_declared_zone_by_its_name_or_its_id(zone: str, name: str | None) -> None:
    model = InfrastructureModel.model_validate(
        {
            "format": "cybrelia.infrastructure/1",
            "zones": [{"id": "river", "name": "Dolina rzeki"}, {"id": "forest"}],
        }
    )
    assert model.declared_zones == [Zone(id="river", name="Dolina rzeki"), Zone(id="forest")]
    assert area_name(model, zone, "pl") == (name or zone)
    assert area_name(model, "elsewhere", "pl") == "elsewhere"
