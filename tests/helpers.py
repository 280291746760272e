"""Helpers shared by the test modules: small model and scenario files, and their records.

``conftest.py`` turns them into the ``scenario_files`` and ``write_scenario`` fixtures.

Tests write a model and a scenario as YAML text into ``tmp_path`` and load them through the
real loader, so they exercise the same path as ``cybrelia simulate``.  The helpers add the
``format`` lines (and the scenario's ``infrastructure`` line), so a test writes only what
matters to it::

    def test_something(write_scenario: WriteScenario) -> None:
        loaded = write_scenario(MODEL_YAML, "duration: 2h\\ninjects: [...]")
        assert simulate_records(loaded) == [...]
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any, Protocol

from cybrelia.files.validation import LoadedScenario
from cybrelia.headless.simulate import records, run_scenario

__all__ = [
    "MODEL_HEADER",
    "MOKRY",
    "SCENARIO_HEADER",
    "Record",
    "ScenarioFiles",
    "WriteScenario",
    "simulate_records",
    "write_files",
]

#: One JSON Lines record of ``cybrelia simulate`` (MODEL.md section 5).
Record = dict[str, Any]


class ScenarioFiles(Protocol):
    """The ``scenario_files`` fixture: write the two files, return their paths."""

    def __call__(self, model_yaml: str, scenario_yaml: str = "") -> tuple[Path, Path]: ...


class WriteScenario(Protocol):
    """The ``write_scenario`` fixture: write the two files and load them."""

    def __call__(self, model_yaml: str, scenario_yaml: str = "") -> LoadedScenario: ...


#: The bundled winter blackout, which the newcomer trials of the console played.
MOKRY = Path(__file__).resolve().parents[1] / "scenarios" / "mokry-snieg.yaml"
MODEL_HEADER = "format: cybrelia.infrastructure/1\n"
SCENARIO_HEADER = "format: cybrelia.scenario/1\ninfrastructure: model.yaml\n"


def write_files(directory: Path, model_yaml: str, scenario_yaml: str = "") -> tuple[Path, Path]:
    """Write ``model.yaml`` and ``scenario.yaml`` (which names it) into ``directory``.

    Both texts are dedented and get their ``format`` line; the scenario also gets
    ``infrastructure: model.yaml``.  Returns the two paths.
    """
    model_path = directory / "model.yaml"
    scenario_path = directory / "scenario.yaml"
    model_path.write_text(MODEL_HEADER + textwrap.dedent(model_yaml), encoding="utf-8")
    scenario_path.write_text(SCENARIO_HEADER + textwrap.dedent(scenario_yaml), encoding="utf-8")
    return model_path, scenario_path


def simulate_records(
    loaded: LoadedScenario, *, seed: int | None = None, until: float | None = None
) -> list[Record]:
    """Run a loaded scenario headless and return its records, as ``cybrelia simulate`` would."""
    return list(records(run_scenario(loaded, seed=seed, until=until).steps))
