"""``cybrelia eeg``: the exercise evaluation guide of a scenario, per objective."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cybrelia.cli import main
from cybrelia.files.validation import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "mokry-snieg.yaml"


@pytest.mark.parametrize(
    ("lang", "heading", "observed"),
    [
        ("pl", "Systemy infrastruktury krytycznej", "Zaobserwowano (T/N)"),
        ("en", "Infrastructure systems", "Observed (Y/N)"),
    ],
)
def test_the_guide_lists_every_expected_action_under_its_objective(
    tmp_path: Path, lang: str, heading: str, observed: str
) -> None:
    assert main(["eeg", "mokry-snieg", "-o", str(tmp_path), "--lang", lang]) == 0
    page = (tmp_path / "eeg.html").read_text(encoding="utf-8")
    scenario = load_scenario(SCENARIO).scenario
    objectives = scenario.objective_list()
    for number, objective in enumerate(objectives, 1):
        assert f'id="objective-{number}"' in page
        assert objective.text.get(lang) in page
    assert heading in page and f'lang="{lang}"' in page
    sheet = pd.read_excel(tmp_path / "eeg.xlsx", sheet_name="EEG")
    expected = sorted(str(e.id) for inject in scenario.injects for e in inject.expect)
    assert sorted(sheet.iloc[:, 3]) == expected, "each expected action once"
    assert observed in sheet.columns
    assert sheet[observed].isna().all(), "left for the evaluator"


def test_an_unknown_scenario_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eeg", "no-such-scenario", "-o", str(tmp_path)]) == 1
    assert "no-such-scenario" in capsys.readouterr().err


def test_the_guide_names_teams_and_targets_as_people_know_them(tmp_path: Path) -> None:
    assert main(["eeg", "mokry-snieg", "-o", str(tmp_path), "--lang", "en"]) == 0
    sheet = pd.read_excel(tmp_path / "eeg.xlsx", sheet_name="EEG", keep_default_na=False)
    loaded = load_scenario(SCENARIO)
    ids = {t.id for t in loaded.scenario.teams} | {a.id for a in loaded.model.assets}
    assert not ids & set(sheet["Team"]) and not ids & set(sheet["Target"])
    assert "Municipal utility" in set(sheet["Team"])
    assert "chainsaw_team" not in set(sheet["Target"])
    targets = set(sheet["Target"])
    assert {
        "the whole gmina",
        "Dębowiec",
        "Dom Pomocy Społecznej w Wierzbowej (60 mieszkańców)",
    } <= (targets), sorted(targets)
