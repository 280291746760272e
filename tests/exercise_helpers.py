"""Helpers of the exercise tests: an exercise with four teams on a small model, and its logs."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from cybrelia.exercise.core import Exercise
from cybrelia.exercise.events import ActionEvent, StateEvent
from cybrelia.exercise.types import ActionRequest, ActionState
from cybrelia.files.validation import load_scenario
from tests.helpers import write_files

__all__ = [
    "TEAMS",
    "action_log",
    "asset_log",
    "last_detail",
    "make_exercise",
    "service_log",
    "submit",
]

TEAMS = """\
teams:
  - {id: crisis, name: {pl: Sztab kryzysowy, en: Crisis team}, role: crisis}
  - {id: power, name: {pl: Energetyka, en: Power utility}, role: operator, sectors: [power]}
  - {id: water, name: {pl: Wodociągi, en: Water utility}, role: operator, sectors: [water]}
  - {id: it, name: {pl: Informatyk, en: IT}, role: operator, sectors: [it]}
"""


def make_exercise(
    tmp_path: Path, model_yaml: str, scenario_yaml: str = "", *, seed: int | None = None
) -> Exercise:
    """Write the model and the scenario (with the four teams above) and start an exercise."""
    scenario = TEAMS + textwrap.dedent(scenario_yaml)
    _, scenario_path = write_files(tmp_path, model_yaml, scenario)
    return Exercise(load_scenario(scenario_path), seed=seed)


def submit(
    exercise: Exercise,
    team: str,
    action: str,
    target: str | None = None,
    *,
    at: float | None = None,
    priority: int = 0,
    note: str = "",
    **params: Any,
) -> ActionState:
    """Advance to ``at`` (if given) and submit an action."""
    if at is not None:
        exercise.advance_to(at)
    return exercise.submit(ActionRequest(team, action, target, dict(params), note, priority))


def asset_log(exercise: Exercise, asset_id: str) -> list[tuple[float, str, tuple[str, ...]]]:
    """(t, state, causes) of every reported change of one asset."""
    return [
        (change.t, change.state, change.causes)
        for event in exercise.history
        if isinstance(event, StateEvent)
        for change in event.step.assets
        if change.asset == asset_id
    ]


def service_log(exercise: Exercise, district: str, service: str) -> list[tuple[float, int]]:
    """(t, without) of every reported change of one district's service."""
    return [
        (change.t, change.without)
        for event in exercise.history
        if isinstance(event, StateEvent)
        for change in event.step.services
        if change.district == district and change.service == service
    ]


def action_log(exercise: Exercise, action_id: str) -> list[tuple[float, str]]:
    """(t, status) of every step of one action."""
    return [
        (event.t, event.status)
        for event in exercise.history
        if isinstance(event, ActionEvent) and event.action_id == action_id
    ]


def last_detail(exercise: Exercise, action_id: str) -> str:
    """The detail of the action's latest step."""
    events = [
        e for e in exercise.history if isinstance(e, ActionEvent) and e.action_id == action_id
    ]
    return events[-1].detail
