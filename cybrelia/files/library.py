"""The bundled scenario library: what is there, and what it exercises.

``cybrelia scenarios`` lists the bundled exercises; ``--coverage`` prints the
matrix of scenarios against the seven pillars and against the response
actions, which ``docs/coverage.md`` holds (a test keeps it current).
"""

from __future__ import annotations

import importlib.resources
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cybrelia.files.actions import ACTIONS
from cybrelia.files.scenario import PILLARS
from cybrelia.files.validation import LoadedScenario, load_scenario
from cybrelia.i18n import pillar_label

__all__ = [
    "BUNDLED",
    "ScenarioInfo",
    "bundled_models",
    "bundled_scenarios",
    "coverage_markdown",
    "listing",
    "load_infos",
    "models_dir",
    "resolve",
    "scenario_info",
    "scenarios_dir",
]


#: Where the wheel carries the repository's ``scenarios/`` and ``infrastructure_models/``
#: (``force-include`` in ``pyproject.toml``), keeping their relative layout so that a
#: scenario's ``infrastructure: ../infrastructure_models/...`` still resolves.
BUNDLED = "bundled"


def _data_dir(name: str) -> Path:
    """A bundled data folder: inside the installed package, else at the top of the checkout."""
    installed = Path(str(importlib.resources.files("cybrelia"))) / BUNDLED / name
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / name


def scenarios_dir() -> Path:
    """The bundled ``scenarios/`` folder."""
    return _data_dir("scenarios")


def models_dir() -> Path:
    """The bundled ``infrastructure_models/`` folder."""
    return _data_dir("infrastructure_models")


def bundled_scenarios(folder: str | os.PathLike[str] | None = None) -> list[Path]:
    """Scenario files of a folder (response scripts left out), sorted by name."""
    root = Path(folder) if folder is not None else scenarios_dir()
    return sorted(
        path
        for path in root.glob("*.yaml")
        if not path.name.endswith(".responses.yaml") and path.is_file()
    )


def bundled_models() -> list[Path]:
    """The bundled infrastructure model files, sorted by name."""
    return sorted(path for path in models_dir().glob("*.yaml") if path.is_file())


def resolve(argument: str, kind: Literal["scenario", "model"]) -> Path:
    """A file named on the command line: a path, or the id of a bundled scenario or model.

    A path that exists wins; otherwise ``mokry-snieg`` names
    ``scenarios/mokry-snieg.yaml`` of the bundled library (the file name is the id).

    Raises
    ------
    FileNotFoundError
        Naming the argument and the bundled ids, when it is neither.
    """
    path = Path(argument)
    if path.exists():
        return path
    candidates = bundled_scenarios() if kind == "scenario" else bundled_models()
    for candidate in candidates:
        if candidate.stem == argument:
            return candidate
    ids = ", ".join(candidate.stem for candidate in candidates)
    raise FileNotFoundError(f"{argument}: no such file, and no bundled {kind} of that id ({ids})")


@dataclass(frozen=True)
class ScenarioInfo:
    """What a facilitator wants to know before choosing an exercise."""

    path: Path
    id: str
    title: str
    model: str
    duration: float
    teams: tuple[str, ...]
    injects: int
    branches: int
    pillars: dict[int, int]
    """Expectations per pillar."""
    actions: dict[str, int]
    """Expectations per response action."""


def scenario_info(loaded: LoadedScenario) -> ScenarioInfo:
    """Summarise a loaded scenario."""
    scenario = loaded.scenario
    pillars = dict.fromkeys(range(1, 8), 0)
    actions = dict.fromkeys(ACTIONS, 0)
    for inject in scenario.injects:
        for expectation in inject.expect:
            pillars[expectation.pillar] += 1
            actions[expectation.action] += 1
    return ScenarioInfo(
        loaded.scenario_path,
        scenario.id or loaded.scenario_path.stem,
        scenario.title or "",
        loaded.model.name or loaded.model.id or "",
        scenario.duration,
        tuple(team.id for team in scenario.teams),
        len(scenario.injects),
        sum(1 for inject in scenario.injects if inject.when is not None),
        pillars,
        actions,
    )


def listing(infos: Iterable[ScenarioInfo]) -> list[list[str]]:
    """Rows for ``cybrelia scenarios``: id, title, model, hours, teams, pillars."""
    rows = []
    for info in infos:
        pillars = "".join(str(p) for p, n in info.pillars.items() if n)
        hours = f"{info.duration:g}h"
        rows.append([info.id, info.title, info.model, hours, " ".join(info.teams), pillars or "-"])
    return rows


def coverage_markdown(infos: list[ScenarioInfo]) -> str:
    """The coverage matrices as Markdown: scenarios against pillars and against actions."""
    names = [info.id for info in infos]
    lines = [
        "# Scenario coverage",
        "",
        "Generated by `cybrelia scenarios --coverage`; `tests/test_files_library.py` keeps it",
        "current.  Each cell counts the expectations of a scenario on a pillar or an",
        "action.",
        "",
        "## Pillars",
        "",
        "| pillar | " + " | ".join(names) + " | total |",
        "|---" * (len(names) + 2) + "|",
    ]
    for pillar in PILLARS:
        counts = [info.pillars[pillar] for info in infos]
        cells = " | ".join(str(n) if n else "-" for n in counts)
        lines.append(f"| {pillar_label(pillar, 'en')} | {cells} | {sum(counts)} |")
    lines += [
        "",
        "## Response actions",
        "",
        "| action | " + " | ".join(names) + " | total |",
        "|---" * (len(names) + 2) + "|",
    ]
    for action in ACTIONS:
        counts = [info.actions[action] for info in infos]
        cells = " | ".join(str(n) if n else "-" for n in counts)
        lines.append(f"| `{action}` | {cells} | {sum(counts)} |")
    return "\n".join(lines) + "\n"


def load_infos(paths: Iterable[Path]) -> list[ScenarioInfo]:
    """Load and summarise scenario files (raises ``ValidationFailed`` on a bad one)."""
    return [scenario_info(load_scenario(path)) for path in paths]
