"""The bundled scenario library: the listing and the coverage matrix in the docs."""

from __future__ import annotations

from pathlib import Path

import pytest

from cybrelia.cli import main
from cybrelia.files.library import (
    bundled_models,
    bundled_scenarios,
    coverage_markdown,
    load_infos,
    resolve,
    scenarios_dir,
)

ROOT = Path(__file__).resolve().parent.parent


def test_the_bundled_folder_is_found_and_response_scripts_are_left_out() -> None:
    assert scenarios_dir() == ROOT / "scenarios"
    paths = bundled_scenarios()
    assert ROOT / "scenarios" / "mokry-snieg.yaml" in paths
    assert not any(p.name.endswith(".responses.yaml") for p in paths)


def test_a_bundled_scenario_or_model_is_named_by_its_id(tmp_path: Path) -> None:
    assert resolve("mokry-snieg", "scenario") == ROOT / "scenarios" / "mokry-snieg.yaml"
    assert resolve("miasto", "model") == ROOT / "infrastructure_models" / "miasto.yaml"
    assert [p.stem for p in bundled_models()] == ["gmina-przykladowa", "gmina-wiejska", "miasto"]
    # a file that exists wins over a bundled id of the same name
    local = tmp_path / "mokry-snieg"
    local.write_text("format: cybrelia.scenario/1\n")
    assert resolve(str(local), "scenario") == local
    with pytest.raises(FileNotFoundError, match=r"no bundled model of that id \(gmina-przyk"):
        resolve("mokry-snieg", "model")


def test_every_command_taking_a_scenario_takes_a_bundled_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "mokry-snieg", "gmina-wiejska"]) == 0
    assert "2 file(s) valid" in capsys.readouterr().err
    assert main(["simulate", "zatruty-kran", "--until", "1h", "--jsonl", "-"]) == 0
    assert '"kind": "asset"' in capsys.readouterr().out
    assert main(["graph", "miasto", "-o", str(tmp_path / "g.png")]) == 0
    assert (tmp_path / "g.png").stat().st_size > 0
    assert main(["msel", "export", "susza", "-o", str(tmp_path / "s.csv")]) == 0
    assert "I-01" in (tmp_path / "s.csv").read_text(encoding="utf-8-sig")


def test_scenario_info_counts_injects_branches_and_expectations() -> None:
    (info,) = load_infos([ROOT / "scenarios" / "mokry-snieg.yaml"])
    assert info.title == "Mokry śnieg"
    assert info.model == "Gmina Przykładowa"
    assert info.duration == 72.0
    assert info.teams == ("gzzk", "zgk", "osp", "it", "osd")
    assert (info.injects, info.branches) == (27, 4)
    assert sum(info.pillars.values()) == sum(info.actions.values()) > 0
    assert all(info.pillars[p] > 0 for p in range(1, 8))


def test_the_coverage_matrix_in_the_docs_is_current() -> None:
    expected = coverage_markdown(load_infos(bundled_scenarios()))
    assert (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8") == expected, (
        "regenerate it: cybrelia scenarios --coverage > docs/coverage.md"
    )


def test_the_cli_lists_the_scenarios(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    assert "Mokry śnieg" in out and "Zatruty kran?" in out
    assert main(["scenarios", str(ROOT / "docs")]) == 1


def test_the_library_exercises_every_pillar_several_times_and_every_action() -> None:
    infos = load_infos(bundled_scenarios())
    assert len(infos) >= 7
    for pillar in range(1, 8):
        assert sum(info.pillars[pillar] for info in infos) >= 3, pillar
        assert sum(1 for info in infos if info.pillars[pillar]) >= 3, pillar
    for action, count in {a: sum(i.actions[a] for i in infos) for a in infos[0].actions}.items():
        assert count >= 1, action
    models = {info.model for info in infos}
    assert len(models) == 3
