"""The fixtures shared by the test modules; their helpers live in :mod:`tests.helpers`."""

from __future__ import annotations

from pathlib import Path

import pytest

from cybrelia.files.validation import LoadedScenario, load_scenario
from tests.helpers import ScenarioFiles, WriteScenario, write_files


@pytest.fixture(autouse=True)
def _english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Texts are English unless a test chooses: the locale of the machine does not leak in.

    The command line and the console take their language from ``LC_ALL``,
    ``LC_MESSAGES`` and ``LANG`` (:func:`cybrelia.i18n.detect_lang`).
    """
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


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
