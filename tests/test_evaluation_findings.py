"""HSEEP findings: ratings per core capability, observation / analysis / root cause, the overview.

The small session of :mod:`tests.analysis_session`, with its expectations put
under two core capabilities (infrastructure systems, operational coordination)
and a script in which the facilitator rates the capabilities as well as the
injects, with the HSEEP fields.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from textual.widgets import Select

from cybrelia.analysis import SessionData, load_session, make_session
from cybrelia.exercise.core import Exercise
from cybrelia.exercise.export import export_records, replay_session
from cybrelia.exercise.export_format import EXPORT_SCHEMA
from cybrelia.exercise.session import Session
from cybrelia.exercise.types import Refusal
from cybrelia.files.diagnostics import ValidationFailed
from cybrelia.files.validation import load_responses, load_scenario
from cybrelia.report import build_document, improvement_plan
from cybrelia.report.document import Block, Bullets, Document, Heading, Table
from cybrelia.tui.forms import RateForm
from cybrelia.tui.screens import MainScreen
from tests.analysis_session import MODEL, RESPONSES, SCENARIO, write_small_session
from tests.test_tui import choose, console, screen_text, select_inject, type_into

#: The module's tests share costly module fixtures: one test worker runs them all
#: (make test's --dist loadgroup).
pytestmark = pytest.mark.xdist_group("evaluation-findings")

CAPABLE = SCENARIO.replace("capability: Restoration", "capability: Infrastructure systems").replace(
    "capability: Coordination", "capability: operational_coordination"
)

RATED = (
    RESPONSES
    + """\
  - at: 5h
    rate:
      capability: operational_coordination
      team: crisis
      rating: M
      note: Sztab nie prowadził dziennika / no decision log
      analysis: Nikt nie miał tej roli / nobody had the role
      root_cause: Brak procedury / no procedure
  - at: 5h30m
    rate:
      capability: Infrastructure systems
      rating: P
      note: Naprawa w terminie / repair on time
      analysis: Brygada w drodze w 30 min / crew on its way in 30 min
"""
)


def _folder(directory: Path, responses: str) -> Path:
    (directory / "model.yaml").write_text(MODEL, encoding="utf-8")
    (directory / "scenario.yaml").write_text(CAPABLE, encoding="utf-8")
    (directory / "responses.yaml").write_text(responses, encoding="utf-8")
    return directory


@pytest.fixture(scope="module")
def rated(tmp_path_factory: pytest.TempPathFactory) -> SessionData:
    folder = _folder(tmp_path_factory.mktemp("rated"), RATED)
    path = make_session(
        folder / "scenario.yaml", folder / "responses.yaml", folder / "rated.cybrelia"
    )
    return load_session(path)


def _section(document: Document, anchor: str) -> list[Block]:
    """The blocks under the heading ``anchor``, up to the next heading of its level or above."""
    start = next(
        i for i, b in enumerate(document.blocks) if isinstance(b, Heading) and b.anchor == anchor
    )
    level = document.blocks[start].level  # type: ignore[union-attr]
    out = []
    for block in document.blocks[start + 1 :]:
        if isinstance(block, Heading) and block.level <= level:
            break
        out.append(block)
    return out


def test_a_capability_is_rated_with_its_findings_and_replays(tmp_path: Path) -> None:
    folder = _folder(tmp_path, RESPONSES)
    path = tmp_path / "live.cybrelia"
    with Session.create(folder / "scenario.yaml", path) as session:
        session.advance_to(2.0)
        session.rate_capability(
            "Operational coordination",
            "U",
            "brak dziennika",
            team="crisis",
            analysis="nikt nie miał tej roli",
            root_cause="brak procedury",
        )
        session.rate_capability("infrastructure_systems", "S", "naprawa")
        with pytest.raises(Refusal, match="unknown capability 'Coordination'"):
            session.rate_capability("Coordination", "P")
        with pytest.raises(Refusal, match="unknown team"):
            session.rate_capability("infrastructure_systems", "P", team="nobody")
        live = dict(session.exercise.capability_ratings)
        kinds = [entry.kind for entry in session.journal.inputs()]
    assert kinds.count("rate_capability") == 4  # the refused ones too: a replay needs them
    rating = live[("operational_coordination", "crisis")]
    assert (rating.capability, rating.inject, rating.rating) == (
        "operational_coordination",
        "",
        "U",
    )
    assert (rating.analysis, rating.root_cause) == ("nikt nie miał tej roli", "brak procedury")
    assert set(live) == {("operational_coordination", "crisis"), ("infrastructure_systems", "")}
    with Session.open(path) as resumed:
        assert resumed.exercise.capability_ratings == live
        assert resumed.exercise.ratings == {}  # a capability rating rates no inject


def test_a_journal_of_inject_ratings_without_findings_still_replays(tmp_path: Path) -> None:
    """A journal written before the capability ratings: ``rate`` with only its four fields."""
    folder = _folder(tmp_path, RESPONSES)
    path = tmp_path / "old.cybrelia"
    with Session.create(folder / "scenario.yaml", path) as session:
        session.advance_to(2.0)
        old = {"inject": "I-01", "team": "crisis", "rating": "M", "note": "Brak notatki / no log"}
        session.journal.append("rate", 2.0, old)
    with Session.open(path) as resumed:
        rating = resumed.exercise.ratings[("I-01", "crisis")]
        assert (rating.rating, rating.note, rating.analysis, rating.root_cause) == (
            "M",
            "Brak notatki / no log",
            "",
            "",
        )
    document = build_document([load_session(path)], "en")
    table = next(
        b
        for b in document.blocks
        if isinstance(b, Table) and b.columns[:2] == ("Objective", "Capability")
    )
    coordination = next(row for row in table.rows if row[1] == "Operational coordination")
    # No capability rating: the worst rating of its injects, said as such.
    assert coordination[4] == "M \u2013 performed with major challenges (from the injects' ratings)"


def test_the_analysis_of_each_capability_shows_its_rating_and_findings(
    rated: SessionData,
) -> None:
    document = build_document([rated], "en")
    table = next(
        b
        for b in document.blocks
        if isinstance(b, Table) and b.columns[:2] == ("Objective", "Capability")
    )
    rows = {row[1]: row for row in table.rows}
    coordination, infrastructure = rows["Operational coordination"], rows["Infrastructure systems"]
    # The facilitator's rating of the capability, not the worst of the injects' ratings.
    assert coordination[4] == "M \u2013 performed with major challenges (Crisis team)"
    assert "Crisis team: Sztab nie prowadził dziennika / no decision log" in coordination[6]
    assert infrastructure[4] == "P \u2013 performed without challenges"
    # Each objective apart: its strengths and areas for improvement with the HSEEP fields.
    blocks = _section(document, "objective-operational-coordination")
    tables = {b.caption: b for b in blocks if isinstance(b, Table)}
    improve = tables["Areas for improvement"]
    assert improve.columns == ("source", "observation", "analysis", "root cause")
    assert (
        "Capability rating \u2013 Crisis team: M",
        "Sztab nie prowadził dziennika / no decision log",
        "Nikt nie miał tej roli / nobody had the role",
        "Brak procedury / no procedure",
    ) in improve.rows
    assert (
        "I-01 \u2013 Crisis team: M",
        "Brak notatki / no log",
        "—",
        "not established",
    ) in improve.rows
    assert (
        "I-01.2",
        "Crisis team: note → —: missed",
        "No action of the team took effect within the window of 30 min.",
        "not established",
    ) in improve.rows
    assert "Strengths" not in tables  # nothing went well there
    strengths = {
        b.caption: b
        for b in _section(document, "objective-infrastructure-systems")
        if isinstance(b, Table)
    }["Strengths"]
    assert (
        "Capability rating \u2013 all teams: P",
        "Naprawa w terminie / repair on time",
        "Brygada w drodze w 30 min / crew on its way in 30 min",
        "not established",
    ) in strengths.rows
    assert ("Expected actions", "1 of 1 expected actions within their window.") in {
        row[:2] for row in strengths.rows
    }


def test_a_weak_capability_rating_is_an_improvement_plan_item(rated: SessionData) -> None:
    plan = improvement_plan(rated, "pl")
    item = plan[plan["source"] == "operational_coordination/crisis (M)"].iloc[0]
    assert item["area"] == "Koordynacja działań"
    assert item["recommendation"] == "Sztab nie prowadził dziennika / no decision log"
    assert (item["organisation"], item["pillar"], item["element"]) == ("Sztab", 3, "planning")
    assert "infrastructure_systems (P)" not in set(plan["source"])  # P is a strength
    document = build_document([rated], "pl")
    plan_table = _section(document, "plan")[0]
    assert isinstance(plan_table, Table)
    # In the report the source is the capability's name, not its id.
    assert "Koordynacja działań \u2013 Sztab (M)" in {row[-1] for row in plan_table.rows}


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_the_exercise_overview(rated: SessionData, lang: str) -> None:
    document = build_document([rated], lang)
    first = document.blocks[0]
    assert isinstance(first, Heading) and (first.level, first.anchor) == (1, "overview")
    overview = _section(document, "overview")
    table = overview[0]
    assert isinstance(table, Table)
    rows: dict[str, str] = {row[0]: row[1] for row in table.rows}
    if lang == "pl":
        assert rows["Nazwa ćwiczenia"] == "Mała awaria"
        assert rows["Czas scenariusza"] == "14.01.2027 06:00 \u2013 14.01.2027 12:00 (6 h)"
        assert rows["Organizacje uczestniczące"] == "Sztab; Energetyka"
        assert (
            rows["Zdolności kluczowe"] == "Systemy infrastruktury krytycznej; Koordynacja działań"
        )
        assert rows["Miejsce (gmina)"] == "mala-gmina"  # its id: the small model has no name
    else:
        assert rows["Scenario time"] == "14 Jan 2027 06:00 \u2013 14 Jan 2027 12:00 (6 h)"
        assert rows["Participating organisations"] == "Crisis team; Power utility"
        assert rated.created is not None
        assert rows["Exercise date"] != "—"
    objectives = overview[1]
    assert isinstance(objectives, Bullets) and len(objectives.items) == 2


def test_a_script_rates_either_an_inject_or_a_capability(tmp_path: Path) -> None:
    folder = _folder(tmp_path, RATED)
    assert len(load_responses(folder / "responses.yaml").entries) == 6
    bad = RESPONSES + (
        "  - at: 5h\n    rate: {capability: Resilience, rating: P}\n"
        "  - at: 5h\n    rate: {inject: I-01, capability: planning, team: crisis, rating: P}\n"
        "  - at: 5h\n    rate: {inject: I-01, rating: P}\n"
    )
    (folder / "bad.yaml").write_text(f"scenario: scenario.yaml\n{bad}", encoding="utf-8")
    with pytest.raises(ValidationFailed) as failure:
        load_responses(folder / "bad.yaml")
    messages = "\n".join(str(d) for d in failure.value.diagnostics)
    assert "a rating needs exactly one of inject, capability; found 2" in messages
    assert "a rating of an inject needs its team" in messages
    # Ratings change nothing in the world: the same figures with and without them.
    plain, rated_run = (Exercise(load_scenario(folder / "scenario.yaml")) for _ in range(2))
    rated_run.rate_capability("planning", "U", "x")
    plain.advance_to(6.0)
    rated_run.advance_to(6.0)
    assert plain.metrics() == rated_run.metrics()


def test_a_comparison_shows_the_differences_by_name(tmp_path: Path) -> None:
    small = load_session(write_small_session(tmp_path))
    weaker = load_session(write_small_session(tmp_path, "weaker", without_teams=["power"]))
    document = build_document([small, weaker], "en", labels=["March", "May"])
    table = _section(document, "differences")[0]
    assert isinstance(table, Table)
    assert table.columns == ("measure", "March", "May", "difference: May \u2212 March")
    rows = {row[0]: row[1:] for row in table.rows}
    # Without the power team's repair: its objective and pillar lose everything, and the
    # residents spend 2,000 more person-hours without power.
    assert rows["points (%): Restoration"] == ("100", "0", "\u2212100")
    assert rows["points (%): pillar 7. continuity of services"] == ("100", "0", "\u2212100")
    assert rows["points (%): pillar 3. cooperation of entities"] == ("0", "0", "0")
    assert rows["person-hours without power"] == ("3,000", "5,000", "+2,000")
    assert rows["Harm"] == ("3,000", "5,000", "+2,000")


async def test_the_console_rates_a_capability_with_its_findings(tmp_path: Path) -> None:
    folder = _folder(tmp_path, RESPONSES)
    with Session.create(folder / "scenario.yaml", tmp_path / "tui.cybrelia") as session:
        session.advance_to(1.0)  # I-01 delivered
        app = console(session)
        async with app.run_test(size=(120, 40)) as pilot:
            await select_inject(pilot, "I-01")
            await pilot.press("r")
            assert isinstance(app.screen, RateForm)
            # The scenario's core capabilities, by their names; none chosen rates the inject.
            options = app.screen.query_one("#capability", Select)
            assert options.is_blank()
            choose(app, "#capability", "operational_coordination")
            choose(app, "#team", "crisis")
            choose(app, "#rating", "U")
            await type_into(pilot, "#note", "no decision log")
            await type_into(pilot, "#analysis", "nobody had the role")
            await type_into(pilot, "#root-cause", "no procedure")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
            assert "⚖ Operational coordination CRISIS: rated U — no" in screen_text(app)
        rating = session.exercise.capability_ratings[("operational_coordination", "crisis")]
        assert (rating.rating, rating.note, rating.analysis, rating.root_cause) == (
            "U",
            "no decision log",
            "nobody had the role",
            "no procedure",
        )
        assert session.exercise.ratings == {}


def test_the_export_of_capability_ratings_validates(rated: SessionData) -> None:
    assert rated.path is not None
    validator = jsonschema.Draft202012Validator(EXPORT_SCHEMA)
    records = [json.loads(json.dumps(r)) for r in export_records(replay_session(rated.path))]
    ratings = [r for r in records if r["kind"] == "rating"]
    assert {(r["inject"], r["capability"]) for r in ratings} == {
        ("I-01", ""),
        ("", "operational_coordination"),
        ("", "infrastructure_systems"),
    }
    coordination = next(r for r in ratings if r["capability"] == "operational_coordination")
    assert coordination["root_cause"] == "Brak procedury / no procedure"
    for record in records:
        assert list(validator.iter_errors(record)) == [], record
    # An export written before the capability ratings (a rating record without the new
    # fields) still validates.
    old = {k: v for k, v in ratings[0].items() if k not in ("capability", "analysis", "root_cause")}
    assert list(validator.iter_errors(old)) == []
