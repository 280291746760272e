"""The fixtures shared by the test modules; their helpers live in :mod:`tests.helpers`."""

from __future__ import annotations

from pathlib import Path

import pytest

from cybrelia.files.validation import LoadedScenario, load_scenario
from tests.helpers import ScenarioFiles, WriteScenario, write_files


@pytest.fixture
def scenario_files(tmp_path: Path) -> ScenarioFiles:
    """Write a model and a scenario into ``tmp_path``; returns their paths (for the CLI)."""

    def write(model_yaml: str, scenario_yaml: str = "") -> tuple[Path, Path]:
        return write_files(tmp_path, model_yaml, scenario_yaml)

    return write


@pytest.fixture
def write_scenario(tmp_path: Path) -> WriteScenario:
    """Write a model and a scenario into ``tmp_path`` and load them with the real loader."""

    def write(model_yaml: str, scenario_yaml: str = "") -> LoadedScenario:
        _, scenario_path = write_files(tmp_path, model_yaml, scenario_yaml)
        return load_scenario(scenario_path)

    return write
