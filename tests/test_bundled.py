"""The bundled models, scenarios and response scripts: valid, and the responses help.

Each scenario ships with what a competent set of teams would plausibly do
(``NAME.responses.yaml``).  Played headless, no scripted action may be refused,
and the teams' decisions must beat the no-action baseline.
"""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from cybrelia.exercise.core import Exercise
from cybrelia.exercise.driver import play
from cybrelia.exercise.events import ActionEvent, InjectEvent
from cybrelia.exercise.export import export_records, replay_session
from cybrelia.exercise.export_format import EXPORT_SCHEMA
from cybrelia.exercise.session import Session
from cybrelia.exercise.types import ActionRequest, Refusal
from cybrelia.files.capabilities import CAPABILITIES
from cybrelia.files.validation import load_responses, load_scenario
from cybrelia.headless.checks import check_file

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
MODELS = sorted((ROOT / "infrastructure_models").glob("*.yaml"))
SCENARIOS = sorted(
    p for p in (ROOT / "scenarios").glob("*.yaml") if not p.name.endswith(".responses.yaml")
)


#: Services whose outage the scripted teams are known to shorten, by scenario.
SERVICES_HELPED = {
    "mokry-snieg": ("water", "power", "telecom"),
    "zatruty-kran": ("water", "power"),
}


@pytest.mark.parametrize("path", MODELS + SCENARIOS, ids=lambda p: p.name)
def test_bundled_files_are_valid_without_warnings(path: Path) -> None:
    assert [str(d) for d in check_file(path)] == []


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_every_scenario_ships_a_valid_response_script(scenario: Path) -> None:
    script = scenario.with_name(scenario.stem + ".responses.yaml")
    assert [str(d) for d in check_file(script)] == []
    assert load_responses(script).scenario == scenario.name


#: The bundled scenarios, the tests of each on one test worker (make test's --dist
#: loadgroup), which plays the scenario once for all of them (:func:`scripted_run`).
PLAYED = [
    pytest.param(p, id=p.stem, marks=pytest.mark.xdist_group(f"bundled-{p.stem}"))
    for p in SCENARIOS
]


@cache
def scripted_run(scenario: Path) -> tuple[list[ActionEvent], list[dict[str, Any]]]:
    """Play a scenario with its response script; the refused actions and the export.

    Played once per scenario for the whole module: the export replays the
    session, its baseline and its reference several times over.
    """
    with tempfile.TemporaryDirectory(prefix="cybrelia-bundled-") as folder:
        session = Session.create(scenario, Path(folder) / "run.cybrelia")
        refused: list[ActionEvent] = []
        session.subscribe(
            lambda e: (
                refused.append(e) if isinstance(e, ActionEvent) and e.status == "refused" else None
            )
        )
        play(session, load_responses(scenario.with_name(scenario.stem + ".responses.yaml")))
        session.close()
        return refused, list(export_records(replay_session(Path(folder) / "run.cybrelia")))


@pytest.mark.parametrize("scenario", PLAYED)
def test_scripted_responses_beat_the_no_action_baseline(scenario: Path, tmp_path: Path) -> None:
    refused, records = scripted_run(scenario)
    assert refused == []
    summary = records[-1]
    assert summary["kind"] == "summary"
    assert summary["t"] == load_scenario(scenario).scenario.duration
    avoided = summary["avoided"]
    assert sum(avoided["person_hours"].values()) > 0
    assert avoided["people_in_need_person_hours"] >= 0
    if scenario.stem in SERVICES_HELPED:
        assert avoided["people_in_need_person_hours"] > 0
    for service in SERVICES_HELPED.get(scenario.stem, ()):
        assert avoided["person_hours"][service] > 0, service
    points = summary["points"]
    assert points["points"] >= 0.75 * points["max"] > 0
    pillars_scored = [p for p, figures in points["by_pillar"].items() if figures["max"] > 0]
    assert len(pillars_scored) >= 5


@pytest.mark.parametrize("scenario", PLAYED)
def test_golden_summaries(scenario: Path, tmp_path: Path) -> None:
    """The scripted run's summary is checked in; a change must be made on purpose.

    To accept a change: ``CYBRELIA_UPDATE_GOLDEN=1 make test``, then review the
    diff of ``tests/golden/`` before committing it.
    """
    _, records = scripted_run(scenario)
    kinds: dict[str, int] = {}
    for record in records:
        kinds[record["kind"]] = kinds.get(record["kind"], 0) + 1
    current = (
        json.dumps(
            {"records": dict(sorted(kinds.items())), "summary": records[-1]},
            indent=2,
            ensure_ascii=False,
            sort_keys=True,
        )
        + "\n"
    )
    golden = GOLDEN / f"{scenario.stem}.json"
    if os.environ.get("CYBRELIA_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(current, encoding="utf-8")
    assert golden.is_file(), f"no golden summary: run CYBRELIA_UPDATE_GOLDEN=1 for {golden}"
    assert current == golden.read_text(encoding="utf-8")


def eager_run(scenario: Path, seed: int | None = None) -> Exercise:
    """Teams that do every expected action within five minutes of its inject, in order;
    the facilitator confirms each note as the decision record asked for."""
    exercise = Exercise(load_scenario(scenario), seed=seed)
    delivered: list[str] = []
    exercise.subscribe(
        lambda e: (
            delivered.append(e.inject)
            if isinstance(e, InjectEvent) and e.status == "delivered"
            else None
        )
    )
    t, end = 0.0, exercise.scenario.duration
    while t < end:
        t = min(end, t + 1 / 12)
        exercise.advance_to(t)
        while delivered:
            for expectation in exercise.injects[delivered.pop(0)].spec.expect:
                request = ActionRequest(expectation.team, expectation.action, expectation.target)
                with suppress(Refusal):
                    exercise.submit(request)
                    if expectation.action == "note":  # the facilitator confirms the record
                        assert expectation.id is not None
                        exercise.confirm(expectation.id)
    return exercise


@pytest.mark.parametrize("scenario", PLAYED)
def test_every_expectation_can_be_met(scenario: Path, tmp_path: Path) -> None:
    """Each expectation is met by eager teams, or in time by the scripted responses.

    Eager teams act on every expectation as soon as its inject arrives; some
    actions need another first (a school without power opens as a shelter only
    once a generator is there), which the response script shows can be done.
    Only an effect earns, and a restore from an untested backup fails by a draw
    of the seed: such an expectation can be met if eager teams meet it with one
    of a few other seeds.
    """
    eager = eager_run(scenario)
    _, records = scripted_run(scenario)
    scripted = {r["expectation"]: r["status"] for r in records if r["kind"] == "score"}
    impossible = [
        expectation_id
        for expectation_id, state in sorted(eager.expectations.items())
        if state.status != "met" and scripted.get(expectation_id) not in ("met", "late")
    ]
    for seed in range(8):
        if impossible:
            other = eager_run(scenario, seed=seed).expectations
            impossible = [e for e in impossible if e not in other or other[e].status != "met"]
    assert impossible == []
    assert eager.expectations, "the scenario expects something of its teams"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_every_inject_speaks_both_languages(scenario: Path) -> None:
    loaded = load_scenario(scenario).scenario
    for inject in loaded.injects:
        assert inject.title is not None and inject.message is not None, inject.id
        for text in (inject.title, inject.message):
            assert text.pl.strip() and text.en.strip() and text.pl != text.en, inject.id
    for team in loaded.teams:
        assert team.name.pl.strip() and team.name.en.strip(), team.id


@pytest.mark.parametrize("scenario", PLAYED)
def test_the_outcome_index_is_one_for_the_reference_and_zero_for_no_action(
    scenario: Path, tmp_path: Path
) -> None:
    outcome = scripted_run(scenario)[1][-1]["outcome"]
    assert outcome["index"] == 1.0
    assert outcome["harm"] == outcome["harm_reference"] < outcome["harm_baseline"]
    idle = Session.create(scenario, tmp_path / "idle.cybrelia")
    idle.advance_to(idle.end / 2)
    idle.rate(idle.exercise.scenario.injects[0].id, idle.exercise.scenario.teams[0].id, "P")
    idle.advance_to(idle.end)
    idle.close()
    nothing = list(export_records(replay_session(tmp_path / "idle.cybrelia")))[-1]["outcome"]
    assert nothing["index"] == 0.0, "no action (a rating is none) avoids no harm"
    assert nothing["harm"] == nothing["harm_baseline"] == outcome["harm_baseline"]


@pytest.mark.parametrize("scenario", PLAYED)
def test_every_export_record_validates_against_the_export_schema(scenario: Path) -> None:
    validator = jsonschema.Draft202012Validator(EXPORT_SCHEMA)
    records = [json.loads(json.dumps(r)) for r in scripted_run(scenario)[1]]  # as written
    for record in records:
        errors = sorted(validator.iter_errors(record), key=lambda e: list(e.path))
        assert errors == [], (record, [e.message for e in errors[:3]])
    header = records[0]
    assert header["kind"] == "header" and header["format"] == "cybrelia.export/1"
    assert header["scenario"] == scenario.stem and header["seed"] == records[0]["seed"]
    assert records[-1]["kind"] == "summary"
    submitted = [r for r in records if r["kind"] == "action" and r["params"]]
    assert submitted, "action records carry their params"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_every_scenario_states_its_objectives(scenario: Path) -> None:
    loaded = load_scenario(scenario).scenario
    assert loaded.objectives, "objectives in the scenario, not derived"
    measured = {e.objective for inject in loaded.injects for e in inject.expect}
    assert measured == {o.id for o in loaded.objectives}, "each objective is measured"
    for objective in loaded.objectives:
        assert objective.capability in CAPABILITIES
        assert objective.text.pl != objective.text.en and objective.critical_tasks


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_each_scenario_is_compared_with_the_real_event_it_is_drawn_from(scenario: Path) -> None:
    """docs/scenarios.md has a section per scenario: the event, the simulation, the
    differences (issue 12: each scenario's page compares its course with the event)."""
    title = load_scenario(scenario).scenario.title
    assert title is not None
    page = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    sections = {part.split("\n", 1)[0]: part for part in page.split("\n## ")[1:]}
    heading = next((h for h in sections if h.startswith(f"{title} (")), None)
    assert heading is not None, f"no section for {title!r} in docs/scenarios.md"
    assert " ← " in heading, "the heading names the real event"
    for part in ("- **The event:**", "- **The simulation:**", "- **Where it differs:**"):
        assert part in sections[heading], (title, part)
