"""Undelivering an inject: only with a note in the journal (issue 15, item 5; docs/exercise.md).

M-01 (1 h) is a message with two expectations of the crisis team (a note and a
public alert, each within 2 h) and a branch B-01 one hour after it; I-01 (2 h)
damages the substation.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cybrelia.exercise.core import Exercise
from cybrelia.exercise.events import InjectEvent, NoteEvent, ScoreEvent
from cybrelia.exercise.export import export_records, replay_session
from cybrelia.exercise.session import Session
from cybrelia.exercise.types import ActionRequest, Refusal
from tests.exercise_helpers import TEAMS, make_exercise
from tests.helpers import write_files

MODEL = """\
districts:
  - {id: d1, population: 100, prepared_share: 0}
assets:
  - {id: gpz, type: substation, provides: [power], serves: {d1: 1.0}}
  - {id: bts, type: bts, provides: [telecom], serves: {d1: 1.0}}
"""
SCENARIO = """\
duration: 12h
injects:
  - id: M-01
    at: 1h
    title: {pl: Komunikat, en: Bulletin}
    to: [crisis]
    expect:
      - {action: note, team: crisis, within: 2h, pillar: 3, capability: coordination}
      - {action: public_alert, team: crisis, within: 2h, pillar: 2, capability: warning}
  - id: B-01
    when: {delivered: M-01, after: 1h}
    title: {pl: Następstwo, en: Follow-up}
    to: [crisis]
  - id: I-01
    at: 2h
    effects: [{damage: [gpz]}]
"""


def exercise(tmp_path: Path) -> Exercise:
    return make_exercise(tmp_path, MODEL, SCENARIO)


def status(run: Exercise, inject_id: str) -> str:
    return run.injects[inject_id].status


def test_an_undelivered_inject_is_pending_again_and_its_open_expectations_are_void(
    tmp_path: Path,
) -> None:
    run = exercise(tmp_path)
    run.advance_to(1.5)
    run.submit(ActionRequest("crisis", "note", note="we convene"))  # recorded, not confirmed
    run.undeliver("M-01", "sent to the wrong team")
    state = run.injects["M-01"]
    assert (state.status, state.delivered_at) == ("pending", None)
    assert [e for e in run.expectations if e.startswith("M-01")] == []
    voided = [e for e in run.history if isinstance(e, ScoreEvent) and e.inject == "M-01"]
    assert [(e.expectation, e.status, e.points) for e in voided] == [
        ("M-01.1", "withdrawn", 0.0),
        ("M-01.2", "withdrawn", 0.0),
    ]
    notes = [e.text for e in run.history if isinstance(e, NoteEvent)]
    assert notes == ["M-01: sent to the wrong team"]
    assert isinstance(run.history[-2], InjectEvent) and run.history[-2].status == "undelivered"
    # Its branch was disarmed: B-01 does not arrive at 2 h; nothing is missed at 3 h.
    run.advance_to(3.5)
    assert status(run, "B-01") == "pending"
    assert not any(isinstance(e, ScoreEvent) and e.status == "missed" for e in run.history)
    # Delivered again, it opens new windows and arms its branch again.
    run.deliver("M-01")
    assert run.expectations["M-01.2"].deadline == 5.5
    run.advance_to(4.5)
    assert (status(run, "B-01"), run.injects["B-01"].delivered_at) == ("delivered", 4.5)


def test_what_the_teams_did_stays(tmp_path: Path) -> None:
    run = exercise(tmp_path)
    run.advance_to(1.0)
    run.submit(ActionRequest("crisis", "public_alert", "all", {"channel": "radio"}))
    assert run.expectations["M-01.2"].status == "met"
    run.undeliver("M-01", "duplicate of the phone call")
    assert run.expectations["M-01.2"].status == "met"  # kept, with its points
    assert "M-01.1" not in run.expectations  # the open one is void
    met = run.expectations["M-01.2"]
    run.advance_to(2.0)
    run.deliver("M-01")  # delivered again: the open one opens again, the met one stays met
    assert run.expectations["M-01.2"] is met and met.points > 0
    assert run.expectations["M-01.1"].opened_at == 2.0


def test_undelivering_is_refused_with_the_reason(tmp_path: Path) -> None:
    run = exercise(tmp_path)
    run.advance_to(1.0)
    with pytest.raises(Refusal, match="inject B-01 has not been delivered"):
        run.undeliver("B-01", "why")
    with pytest.raises(Refusal, match="undelivering needs a note") as no_note:
        run.undeliver("M-01", "  ")
    assert no_note.value.text("pl").startswith("cofnięcie dostarczenia wymaga notatki")
    run.advance_to(2.0)
    with pytest.raises(Refusal) as effects:
        run.undeliver("I-01", "wrong time")
    assert str(effects.value) == (
        "I-01 cannot be undelivered: its effects have happened in the model (damage: gpz)"
    )
    assert effects.value.text("pl") == (
        "nie można cofnąć I-01: jego skutki już zaszły w modelu (uszkodzenie: gpz)"
    )
    with pytest.raises(Refusal, match=r"B-01, which followed from it, have been delivered"):
        run.undeliver("M-01", "too late")
    assert run.injects["M-01"].status == "delivered"
    assert "M-01.1" in run.expectations  # a refusal changes nothing


def test_a_journal_with_undeliveries_replays_to_the_identical_state(tmp_path: Path) -> None:
    _, scenario = write_files(tmp_path, MODEL, TEAMS + SCENARIO)
    path = tmp_path / "s.cybrelia"
    with Session.create(scenario, path) as session:
        session.advance_to(1.5)
        session.undeliver("M-01", "wrong team")
        with pytest.raises(Refusal):
            session.undeliver("M-01", "again")  # refused, and journaled as refused
        session.advance_to(2.5)
        session.deliver("M-01")
        with pytest.raises(Refusal):
            session.undeliver("I-01", "effects")
        session.advance_to(6.0)
        live = list(export_records(replay_session(path)))
        kinds = [entry.kind for entry in session.journal.inputs()]
        assert kinds.count("undeliver") == 3
        notes = [e.payload["note"] for e in session.journal.inputs() if e.kind == "undeliver"]
        assert notes == ["wrong team", "again", "effects"]
        statuses = {i: s.status for i, s in session.exercise.injects.items()}
    with Session.open(path) as reopened:
        assert {i: s.status for i, s in reopened.exercise.injects.items()} == statuses
        assert list(export_records(replay_session(path))) == live
        assert reopened.exercise.injects["B-01"].delivered_at == 3.5
