"""Running a scenario headless and writing its changes (MODEL.md section 5).

This is the engine driven straight through a scenario's timed injects, with
no exercise layer: what ``cybrelia simulate`` prints and what benchmarks time.
Branch injects (due ``when`` a condition holds) and disinformation claims need
the exercise layer and are left out here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from cybrelia.engine.cascade import Engine, Step
from cybrelia.files.validation import LoadedScenario

__all__ = ["Run", "jsonl_lines", "records", "run_scenario", "write_jsonl"]


@dataclass
class Run:
    """The changes of one scenario run, instant by instant."""

    loaded: LoadedScenario
    seed: int
    until: float
    steps: list[Step] = field(default_factory=list)
    engine: Engine | None = None


def run_scenario(
    loaded: LoadedScenario,
    *,
    seed: int | None = None,
    until: float | None = None,
    on_step: Callable[[Engine, Step], None] | None = None,
) -> Run:
    """Simulate a loaded scenario from t = 0 to ``until`` (its duration by default).

    Parameters
    ----------
    loaded
        The scenario and its model, as :func:`cybrelia.files.validation.load_scenario` returns.
    seed
        Overrides the scenario's seed.
    until
        Last instant to simulate, in hours; everything due at it is included.
    on_step
        Called with the engine at each settled instant, while the engine still
        shows that instant (to print buffers as they were, for example).
    """
    scenario = loaded.scenario
    seed = scenario.seed if seed is None else seed
    until = scenario.duration if until is None else until
    engine = Engine(loaded.model, seed=seed)
    run = Run(loaded, seed, until, engine=engine)
    engine.subscribe(run.steps.append)
    if on_step is not None:
        engine.subscribe(lambda step: on_step(engine, step))
    for inject in scenario.injects:
        # Branches (``when``) and claims belong to the exercise layer (cybrelia run).
        if inject.at is not None and inject.at <= until:
            engine.schedule(inject.at, [e for e in inject.effects if e.for_engine])
    engine.advance_to(until)
    return run


def records(steps: list[Step]) -> Iterator[dict[str, Any]]:
    """The JSON Lines records of MODEL.md section 5, in order."""
    for step in steps:
        for change in step.assets:
            yield {
                "t": change.t,
                "kind": "asset",
                "asset": change.asset,
                "state": change.state,
                "causes": list(change.causes),
            }
        for service in step.services:
            yield {
                "t": service.t,
                "kind": "service",
                "district": service.district,
                "service": service.service,
                "without": service.without,
            }


def jsonl_lines(steps: list[Step]) -> Iterator[str]:
    """Each record as one line of JSON, exactly as ``json.dumps`` writes :func:`records`.

    The records have two fixed shapes, so each line is filled into a template; only
    the strings go through ``json.dumps`` (once per distinct string), which makes
    writing a large run several times faster than encoding every record whole.
    """
    text: dict[str, str] = {}

    def quoted(value: str) -> str:
        out = text.get(value)
        if out is None:
            out = text[value] = json.dumps(value, ensure_ascii=False)
        return out

    for step in steps:
        t = repr(step.t)
        for change in step.assets:
            causes = ", ".join(quoted(cause) for cause in change.causes)
            yield (
                f'{{"t": {t}, "kind": "asset", "asset": {quoted(change.asset)}, '
                f'"state": "{change.state}", "causes": [{causes}]}}'
            )
        for service in step.services:
            yield (
                f'{{"t": {t}, "kind": "service", "district": {quoted(service.district)}, '
                f'"service": {quoted(service.service)}, "without": {service.without}}}'
            )


def write_jsonl(steps: list[Step], out: IO[str]) -> None:
    """Write the records to ``out``, one per line."""
    for line in jsonl_lines(steps):
        out.write(line + "\n")
