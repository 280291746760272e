"""Harm, and the outcome index: the share of the reference plan's avoided harm a run avoided.

Harm is weighted person-hours (``docs/evaluation.md``):

- a resident *in need* for one hour weighs 1 (people in need count once,
  whatever services they lack: the population model takes a district's need
  as the largest of its per-service needs, so harm never adds person-hours
  across services as if they were different people);
- a *life-safety* hour weighs :data:`LIFE_SAFETY_WEIGHT` (10): a vulnerable
  resident at risk (a powered medical device without power).  Occupants of
  facilities at risk join this figure as the world model counts them
  (:func:`harm_hours` is the one place that reads the figures).

The outcome index compares the run with the same world without any team
action (the baseline) and with the scenario's bundled response script (the
reference)::

    index = (harm_baseline - harm_run) / (harm_baseline - harm_reference)

so doing nothing scores 0, the reference plan 1, and a better plan than the
reference more than 1.  It is undefined (None) where the reference avoids no
harm.  Per objective and per team, the same formula compares the baseline plus
only the decisions attributed to that objective (the actions that met its
expectations) or team, in the run and in the reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from cybrelia.exercise.core import Exercise
from cybrelia.exercise.driver import perform
from cybrelia.exercise.journal import Input
from cybrelia.exercise.session import (
    TEAM_INPUTS,
    capability_payload,
    rating_payload,
    replay_into,
    request_payload,
)
from cybrelia.exercise.types import ActionRequest, Rating
from cybrelia.files.responses import Responses
from cybrelia.files.scenario import Scenario, objective_of
from cybrelia.files.validation import LoadedScenario

__all__ = [
    "HARM_WEIGHTS",
    "LIFE_SAFETY_WEIGHT",
    "harm",
    "harm_hours",
    "outcome_index",
    "outcome_record",
    "script_inputs",
]

#: Weight of an hour of life-safety harm against an hour of a resident in need.
LIFE_SAFETY_WEIGHT = 10.0
#: Weight of each harm figure's person-hours.
HARM_WEIGHTS: dict[str, float] = {
    "deprived": 1.0,
    "in_need": 1.0,
    "vulnerable_at_risk": LIFE_SAFETY_WEIGHT,
}


def harm_hours(exercise: Exercise) -> dict[str, float]:
    """Person-hours of each harm figure over the run so far (the totals brought up to now)."""
    exercise.refresh_figures()
    return {
        "deprived": exercise.person_hours_deprived,
        "in_need": exercise.person_hours_in_need,
        "vulnerable_at_risk": exercise.person_hours_at_risk,
    }


def harm(exercise: Exercise) -> float:
    """The run's harm: weighted person-hours (:data:`HARM_WEIGHTS`)."""
    hours = harm_hours(exercise)
    return round(sum(HARM_WEIGHTS[name] * value for name, value in sorted(hours.items())), 3)


def outcome_index(actual: float, baseline: float, reference: float | None) -> float | None:
    """``(baseline - actual) / (baseline - reference)`` of three harms; None if undefined.

    Undefined without a reference, or where the reference avoided no harm.
    """
    if reference is None or baseline - reference <= 1e-9:
        return None
    return round((baseline - actual) / (baseline - reference), 3)


def script_inputs(responses: Responses, until: float) -> list[Input]:
    """A response script as the inputs a session would journal for it, up to ``until``."""
    recorder = _Recorder()
    for _, entry in responses.in_order():
        if entry.at > until:
            break
        recorder.at = entry.at
        perform(recorder, entry)
    recorder.record("advance", {"to": until})
    recorder.at = until
    return recorder.inputs


class _Recorder:
    """Takes script entries as a session would, and only writes them down."""

    def __init__(self) -> None:
        self.at = 0.0
        self.inputs: list[Input] = []

    def record(self, kind: str, payload: dict[str, Any]) -> None:
        self.inputs.append(Input(len(self.inputs) + 1, self.at, "", kind, payload))

    def submit(self, request: ActionRequest) -> None:
        self.record("action", request_payload(request))

    def rate(
        self,
        inject_id: str,
        team: str,
        rating: Rating,
        note: str = "",
        *,
        analysis: str = "",
        root_cause: str = "",
    ) -> None:
        self.record("rate", rating_payload(inject_id, team, rating, note, analysis, root_cause))

    def rate_capability(
        self,
        capability: str,
        rating: Rating,
        note: str = "",
        *,
        team: str = "",
        analysis: str = "",
        root_cause: str = "",
    ) -> None:
        self.record(
            "rate_capability",
            capability_payload(capability, team, rating, note, analysis, root_cause),
        )

    def note(self, text: str, team: str | None = None) -> None:
        self.record("note", {"text": text, "team": team})

    def deliver(self, inject_id: str) -> None:
        self.record("deliver", {"inject": inject_id})

    def skip(self, inject_id: str) -> None:
        self.record("skip", {"inject": inject_id})

    def cancel(self, action_id: str) -> None:
        self.record("cancel", {"action": action_id})

    def confirm(self, expectation_id: str) -> None:
        self.record("confirm", {"expectation": expectation_id})


# --- attribution ---------------------------------------------------------------------------


def _replay(loaded: LoadedScenario, seed: int, inputs: Sequence[Input]) -> Exercise:
    exercise = Exercise(loaded, seed=seed)
    replay_into(exercise, list(inputs))
    return exercise


def _decisions(
    loaded: LoadedScenario, seed: int, inputs: Sequence[Input]
) -> tuple[Exercise, dict[int, str]]:
    """Replay ``inputs``; the id of the action each accepted action input became, by index."""
    exercise = Exercise(loaded, seed=seed)
    produced: dict[int, str] = {}
    for index, entry in enumerate(inputs):
        before = len(exercise.actions)
        replay_into(exercise, [entry])
        if entry.kind == "action" and len(exercise.actions) > before:
            produced[index] = next(reversed(exercise.actions))
    return exercise, produced


def _only(
    inputs: Sequence[Input], produced: dict[int, str], exercise: Exercise, keep: set[str]
) -> list[Input]:
    """The facilitator's inputs and only the team actions ``keep`` (with their cancels).

    Each kept action is given a ref of its own, and its cancels name that ref,
    because action ids change when other actions are left out.
    """
    out = []
    for index, entry in enumerate(inputs):
        if entry.kind not in TEAM_INPUTS:
            out.append(entry)
        elif entry.kind == "action" and produced.get(index) in keep:
            payload = {**entry.payload, "ref": f"~{produced[index]}"}
            out.append(replace(entry, payload=payload))
        elif entry.kind == "cancel":
            target = _cancelled(exercise, str(entry.payload["action"]), entry.sim_time)
            if target in keep:
                out.append(replace(entry, payload={**entry.payload, "action": f"~{target}"}))
    return out


def _cancelled(exercise: Exercise, name: str, t: float) -> str | None:
    """The id of the action a cancel at ``t`` named (by id, or by the latest ref before ``t``)."""
    if name in exercise.actions:
        return name
    named = [
        a.id for a in exercise.actions.values() if a.request.ref == name and a.submitted_at <= t
    ]
    return named[-1] if named else None


def _groups(exercise: Exercise, scenario: Scenario) -> dict[str, dict[str, set[str]]]:
    """Action ids by objective (the actions that met its expectations) and by team."""
    by_objective: dict[str, set[str]] = {}
    for state in exercise.expectations.values():
        if state.action_id is not None and state.status in ("met", "late"):
            by_objective.setdefault(objective_of(scenario, state.spec), set()).add(state.action_id)
    by_team: dict[str, set[str]] = {}
    for action in exercise.actions.values():
        by_team.setdefault(action.request.team, set()).add(action.id)
    return {"objective": by_objective, "team": by_team}


def outcome_record(
    actual: Exercise,
    baseline: Exercise,
    inputs: Sequence[Input],
    reference: Responses | None,
    *,
    attribute: bool = True,
) -> dict[str, Any]:
    """The ``outcome`` of an export's summary: index and harms, in total and attributed.

    Parameters
    ----------
    actual, baseline
        The session as played and its no-action baseline, at the same time.
    inputs
        The session's journaled inputs (replayed in part for the attribution).
    reference
        The scenario's bundled response script, or None (the indexes are then None).
    attribute
        Also compute ``by_objective`` and ``by_team`` (two replays of each).
    """
    loaded, seed, until = actual.loaded, actual.seed, actual.now
    harm_actual, harm_baseline = harm(actual), harm(baseline)
    record: dict[str, Any] = {
        "index": None,
        "harm": harm_actual,
        "harm_baseline": harm_baseline,
        "harm_reference": None,
        "harm_hours": {k: round(v, 3) for k, v in sorted(harm_hours(actual).items())},
        "weights": dict(sorted(HARM_WEIGHTS.items())),
        "by_objective": {},
        "by_team": {},
    }
    runs = [(actual, inputs)]
    if reference is not None:
        ref_inputs = script_inputs(reference, until)
        ref_run = _replay(loaded, seed, ref_inputs)
        ref_run.advance_to(until)
        record["harm_reference"] = harm(ref_run)
        record["index"] = outcome_index(harm_actual, harm_baseline, record["harm_reference"])
        runs.append((ref_run, ref_inputs))
    if not attribute:
        return record
    decided = [_decisions(loaded, seed, run_inputs) for _, run_inputs in runs]
    groups = [_groups(run, loaded.scenario) for run, _ in runs]
    for kind, key in (("objective", "by_objective"), ("team", "by_team")):
        names = sorted(set().union(*(group[kind] for group in groups)))
        for name in names:
            harms = [
                _harm_of(
                    loaded,
                    seed,
                    _only(run_inputs, produced, full, group[kind].get(name, set())),
                    until,
                )
                for (_, run_inputs), (full, produced), group in zip(
                    runs, decided, groups, strict=True
                )
            ]
            ref_harm = harms[1] if len(harms) > 1 else None
            record[key][name] = {
                "index": outcome_index(harms[0], harm_baseline, ref_harm),
                "harm": harms[0],
                "harm_reference": ref_harm,
            }
    return record


def _harm_of(loaded: LoadedScenario, seed: int, inputs: Sequence[Input], until: float) -> float:
    run = _replay(loaded, seed, inputs)
    run.advance_to(until)
    return harm(run)
