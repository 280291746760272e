"""The fixtures shared by the test modules; their helpers live in :mod:`tests.helpers`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cybrelia.exercise.session import Session
from cybrelia.files.validation import LoadedScenario, load_scenario
from tests.helpers import MOKRY, ScenarioFiles, WriteScenario, write_files


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


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    """A new session of the console tests' small scenario (tests/test_tui.py); a module
    that plays another defines its own."""
    from tests.test_tui import new_session  # the console's tests only: Textual loads late

    opened = new_session(tmp_path)
    yield opened
    opened.close()


@pytest.fixture
def mokry(tmp_path: Path) -> Iterator[Session]:
    """A new session of the bundled Mokry śnieg."""
    opened = Session.create(MOKRY, tmp_path / "mokry.cybrelia")
    yield opened
    opened.close()
