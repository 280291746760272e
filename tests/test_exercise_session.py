"""The Session API: the clock, the facilitator's inputs, the journal, and the commands on top.

A session journals every input (committed at once, append-only) before the exercise acts
on it, so reopening a session replays it to the same state.  ``cybrelia run`` plays a
response script into a session file and ``cybrelia export`` writes it as JSON Lines.
"""

from __future__ import annotations

import json
import random
import sqlite3
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cybrelia.cli import main
from cybrelia.exercise.core import Exercise
from cybrelia.exercise.events import ClockChanged, ExerciseEvent, InjectEvent
from cybrelia.exercise.export import SessionReplay, export_records, replay_session
from cybrelia.exercise.journal import JournalError
from cybrelia.exercise.session import Session
from cybrelia.exercise.types import ActionRequest, Refusal
from tests.helpers import write_files

MODEL = """\
districts:
  - {id: d1, population: 1000}
resources:
  - {id: crew-power, kind: power_crew, count: 1}
assets:
  - {id: gpz, name: GPZ, type: substation, provides: [power], serves: {d1: 1.0},
     repair_hours: 3}
  - {id: bts, name: BTS, type: bts, provides: [telecom], needs: {power: {from: [gpz]}},
     serves: {d1: 1.0}}
"""

SCENARIO = """\
teams:
  - {id: crisis, name: {pl: Sztab kryzysowy, en: Crisis team}, role: crisis}
  - {id: power, name: {pl: Energetyka, en: Power utility}, role: operator, sectors: [power]}
duration: 12h
seed: 5
injects:
  - id: I-01
    at: 2h
    title: {pl: Awaria GPZ, en: Substation failure}
    to: [power]
    effects: [{damage: [gpz]}]
    expect:
      - {action: repair, target: gpz, team: power, within: 5h, pillar: 7, capability: power}
  - {id: I-02, at: 5h, title: {pl: Komunikat, en: Bulletin}, to: [crisis]}
  - {id: I-03, at: 8h, effects: [{damage: [bts]}]}
"""


@pytest.fixture
def scenario_path(tmp_path: Path) -> Path:
    _, path = write_files(tmp_path, MODEL, SCENARIO)
    return path


@pytest.fixture
def session(scenario_path: Path, tmp_path: Path) -> Iterator[Session]:
    opened = Session.create(scenario_path, tmp_path / "s.cybrelia")
    yield opened
    opened.close()


def deliveries(exercise: Exercise, inject_id: str) -> list[float]:
    return [
        e.t
        for e in exercise.history
        if isinstance(e, InjectEvent) and e.inject == inject_id and e.status == "delivered"
    ]


def records_of(exercise: Exercise, session_path: Path) -> list[dict[str, Any]]:
    """The export records of a live exercise, with the baseline rebuilt from the journal."""
    replay = replay_session(session_path)
    return list(
        export_records(
            SessionReplay(
                exercise,
                replay.baseline,
                inputs=replay.inputs,
                reference=replay.reference,
                scenario_sha256=replay.scenario_sha256,
            )
        )
    )


def input_rows(path: Path) -> int:
    """Rows in the journal's input table, read through a connection of its own."""
    with sqlite3.connect(path) as db:
        (count,) = db.execute("SELECT count(*) FROM inputs").fetchone()
    db.close()
    return int(count)


# --- the clock ---------------------------------------------------------------------------------


def test_tick_moves_the_clock_only_while_running(session: Session) -> None:
    events: list[ExerciseEvent] = []
    session.subscribe(events.append)
    assert not session.running
    session.tick(1.0)
    assert session.now == 0.0
    session.resume()
    session.tick(6.0)  # default speed: 10 sim minutes per real second
    assert session.now == 1.0
    session.set_speed(60)
    session.tick(1.0)  # 60 sim minutes per real second: one hour
    assert session.now == 2.0
    session.tick(0.5)
    assert session.now == 2.5
    session.pause()
    session.tick(10.0)
    assert session.now == 2.5
    clock = [e for e in events if isinstance(e, ClockChanged)]
    assert [(e.running, e.speed) for e in clock] == [(True, 10.0), (True, 60.0), (False, 60.0)]
    # The inject due at 2 h was delivered on the way.
    assert deliveries(session.exercise, "I-01") == [2.0]


def test_speed_must_be_positive(session: Session) -> None:
    for speed in (0.0, -5.0):
        with pytest.raises(Refusal, match="speed must be positive"):
            session.set_speed(speed)
    assert session.speed == 10.0


def test_jump_to_next_inject(session: Session) -> None:
    assert session.jump_to_next_inject() == 2.0
    assert session.now == 2.0
    assert session.exercise.injects["I-01"].status == "delivered"
    assert session.jump_to_next_inject() == 5.0
    assert session.exercise.injects["I-02"].delivered_at == 5.0
    assert session.jump_to_next_inject() == 8.0
    assert session.jump_to_next_inject() is None
    assert session.now == 8.0


def test_advance_to_cannot_go_back(session: Session) -> None:
    session.advance_to(3.0)
    with pytest.raises(Refusal, match="the clock cannot go back"):
        session.advance_to(2.0)
    assert session.now == 3.0


def test_the_clock_stops_at_the_end(session: Session) -> None:
    session.set_speed(60)
    session.resume()
    session.tick(100.0)
    assert session.now == 12.0
    assert not session.running
    with pytest.raises(Refusal, match="the scenario has ended"):
        session.resume()
    session.advance_to(50.0)
    assert session.now == 12.0


# --- the facilitator's inputs ---------------------------------------------------------------


def test_deliver_now_and_skip(session: Session) -> None:
    session.advance_to(0.5)
    session.deliver("I-02")
    session.skip("I-03")
    session.advance_to(12.0)
    exercise = session.exercise
    assert deliveries(exercise, "I-02") == [0.5]
    assert exercise.injects["I-03"].status == "skipped"
    assert deliveries(exercise, "I-03") == []
    assert exercise.engine.status("bts").causes == ("needs:power",)  # not damaged
    with pytest.raises(Refusal, match="inject I-02 was delivered already"):
        session.deliver("I-02")
    with pytest.raises(Refusal, match="inject I-03 was skipped already") as skipped:
        session.skip("I-03")
    assert skipped.value.text("pl") == "wpis I-03 został już pominięty", "no English state"
    with pytest.raises(Refusal, match="unknown inject 'I-99'"):
        session.deliver("I-99")


def test_edit_before_delivery(session: Session) -> None:
    session.advance_to(1.0)
    session.edit("I-01", {"title": {"pl": "Pożar GPZ", "en": "Substation fire"}, "at": "3h"})
    session.advance_to(2.5)
    assert deliveries(session.exercise, "I-01") == []
    assert session.exercise.engine.status("gpz").state == "up"
    session.advance_to(4.0)
    delivered = [
        e
        for e in session.exercise.history
        if isinstance(e, InjectEvent) and e.inject == "I-01" and e.status == "delivered"
    ]
    assert [(e.t, e.title) for e in delivered] == [
        (3.0, {"pl": "Pożar GPZ", "en": "Substation fire"})
    ]
    assert session.exercise.engine.status("gpz").causes == ("damaged",)
    # Its expectation's window opens at the new time.
    assert session.exercise.expectations["I-01.1"].deadline == 3.0 + 5.0
    with pytest.raises(Refusal, match="inject I-01 was delivered already"):
        session.edit("I-01", {"title": {"pl": "x", "en": "x"}})


def test_edit_to_an_earlier_time_and_refusals(session: Session) -> None:
    session.edit("I-02", {"at": 1.0})
    with pytest.raises(Refusal, match="cannot edit id"):
        session.edit("I-03", {"id": "I-33"})
    session.advance_to(1.5)
    with pytest.raises(Refusal, match="the new time has already passed"):
        session.edit("I-03", {"at": 1.0})
    session.advance_to(12.0)
    assert deliveries(session.exercise, "I-02") == [1.0]
    assert deliveries(session.exercise, "I-03") == [8.0]


def test_ad_hoc_inject_with_effects(session: Session) -> None:
    session.advance_to(1.0)
    inject_id = session.add_inject(
        {
            "title": {"pl": "Pożar masztu", "en": "Mast fire"},
            "message": {"pl": "Płonie maszt", "en": "The mast is burning"},
            "to": ["crisis"],
            "channel": "phone",
            "effects": [{"damage": ["bts"]}],
        }
    )
    assert inject_id == "ADHOC-01"
    assert session.exercise.engine.status("bts").causes == ("damaged",)
    (event,) = [e for e in session.exercise.history if isinstance(e, InjectEvent)]
    assert (event.t, event.inject, event.status, event.adhoc, event.to, event.channel) == (
        1.0,
        "ADHOC-01",
        "delivered",
        True,
        ("crisis",),
        "phone",
    )
    assert session.add_inject({"title": {"pl": "Drugi", "en": "Second"}}) == "ADHOC-02"
    with pytest.raises(Refusal, match="unknown asset 'nope'"):
        session.exercise.add_inject({"effects": [{"damage": ["nope"]}]})


# --- the journal ---------------------------------------------------------------------------------


def test_every_input_is_in_the_journal_at_once(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "s.cybrelia"
    assert input_rows(path) == 0
    session.set_speed(30)
    assert input_rows(path) == 1
    session.advance_to(2.5)
    assert input_rows(path) == 2
    session.submit(ActionRequest("power", "repair", "gpz"))
    assert input_rows(path) == 3
    with pytest.raises(Refusal):
        session.submit(ActionRequest("power", "repair", "bts"))  # not damaged: still journaled
    assert input_rows(path) == 4
    session.rate("I-01", "power", "S", "szybko")
    assert input_rows(path) == 5
    session.note("GZZK zwołany")
    assert input_rows(path) == 6
    session.deliver("I-02")
    session.skip("I-03")
    assert input_rows(path) == 8
    session.cancel("A001")
    assert input_rows(path) == 9
    with sqlite3.connect(path) as db:
        kinds = [kind for (kind,) in db.execute("SELECT kind FROM inputs ORDER BY seq")]
    db.close()
    assert kinds == [
        "clock",
        "advance",
        "action",
        "action",
        "rate",
        "note",
        "deliver",
        "skip",
        "cancel",
    ]


def _play(session: Session) -> None:
    session.set_speed(60)
    session.advance_to(1.0)
    session.edit("I-02", {"title": {"pl": "Zmieniony", "en": "Edited"}, "at": "6h"})
    session.jump_to_next_inject()
    session.submit(ActionRequest("power", "repair", "gpz"))
    session.rate("I-01", "power", "P")
    session.add_inject({"to": ["crisis"], "effects": [{"damage": ["bts"]}]})
    session.note("maszt uszkodzony", team="crisis")
    session.skip("I-03")
    session.advance_to(7.0)


def test_reopened_session_has_the_identical_state(scenario_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "s.cybrelia"
    original = Session.create(scenario_path, path)
    _play(original)
    original.close()
    expected = records_of(original.exercise, path)

    reopened = Session.open(path)
    try:
        assert reopened.now == 7.0
        assert not reopened.running
        assert reopened.speed == 60.0
        assert records_of(reopened.exercise, path) == expected
        assert list(export_records(replay_session(path))) == expected
        # It carries on from there like the original would.
        reopened.advance_to(12.0)
        assert reopened.exercise.engine.status("gpz").state == "up"
    finally:
        reopened.close()


def test_reopened_session_resumes_where_the_clock_was_paused(
    scenario_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "s.cybrelia"
    original = Session.create(scenario_path, path)
    original.set_speed(60)
    original.resume()
    original.tick(1.0)  # to 1 h
    original.tick(2.0)  # to 3 h, within the same wall second: not recorded as an advance
    original.pause()  # journaled at 3 h
    assert original.now == 3.0
    original.close()

    reopened = Session.open(path)
    try:
        # docs/exercise.md: clock progress is recorded "at every pause and jump".
        assert reopened.now == 3.0
        assert records_of(reopened.exercise, path) == records_of(original.exercise, path)
    finally:
        reopened.close()


def test_a_journal_of_another_version_is_refused_and_left_unchanged(
    session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "s.cybrelia"
    session.note("x")
    session.close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = 'cybrelia.journal/99' WHERE key = 'format'")
    db.close()
    before = path.read_bytes()
    with pytest.raises(JournalError) as raised:
        Session.open(path)
    message = str(raised.value)
    assert str(path) in message
    assert "'cybrelia.journal/99'" in message
    assert "'cybrelia.journal/1'" in message
    assert path.read_bytes() == before


def test_a_corrupt_file_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "broken.cybrelia"
    path.write_bytes(random.Random(7).randbytes(8192))
    before = path.read_bytes()
    with pytest.raises(JournalError, match="not a CYBRELIA session journal, or a damaged one"):
        Session.open(path)
    assert path.read_bytes() == before


def test_a_sqlite_file_that_is_no_journal_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (text TEXT)")
        db.execute("INSERT INTO notes VALUES ('hello')")
    db.close()
    before = path.read_bytes()
    with pytest.raises(JournalError, match="not a CYBRELIA session journal"):
        Session.open(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_a_missing_session_is_refused(tmp_path: Path) -> None:
    with pytest.raises(JournalError, match="no session there"):
        Session.open(tmp_path / "none.cybrelia")


def test_the_journal_is_append_only(session: Session, tmp_path: Path) -> None:
    session.note("pierwsza")
    session.note("druga")
    path = tmp_path / "s.cybrelia"
    db = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("UPDATE inputs SET payload = '{}' WHERE seq = 1")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("DELETE FROM inputs")
    finally:
        db.close()
    assert input_rows(path) == 2


def test_creating_over_an_existing_session_is_refused(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "s.cybrelia"
    session.note("x")
    with pytest.raises(JournalError, match="a session exists there already"):
        Session.create(tmp_path / "scenario.yaml", path)
    assert input_rows(path) == 1


# --- the commands -----------------------------------------------------------------------------

RESPONSES = """\
format: cybrelia.responses/1
entries:
  - at: 2h30m
    action: {team: power, action: repair, target: gpz}
  - at: 3h
    rate: {inject: I-01, team: power, rating: S, note: na czas}
  - at: 4h
    note: {text: GZZK zwołany}
"""


def _run(tmp_path: Path, scenario_path: Path, *extra: str) -> int:
    responses = tmp_path / "r.responses.yaml"
    responses.write_text(textwrap.dedent(RESPONSES), encoding="utf-8")
    return main(
        [
            "run",
            str(scenario_path),
            "--responses",
            str(responses),
            "--session",
            str(tmp_path / "run.cybrelia"),
            *extra,
        ]
    )


def test_cybrelia_run_and_export(
    scenario_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(tmp_path, scenario_path) == 0
    assert "played to t = 12 h" in capsys.readouterr().err
    assert main(["export", str(tmp_path / "run.cybrelia"), "--jsonl", "-"]) == 0
    out = capsys.readouterr().out
    records = [json.loads(line) for line in out.splitlines()]
    assert records[-1]["kind"] == "summary"
    assert records[-1]["t"] == 12.0
    assert records[-1]["points"]["points"] == 10.0
    assert records[-1]["ratings"] == {"I-01/power": "S"}
    actions = [(r["t"], r["status"]) for r in records if r["kind"] == "action"]
    # Repair submitted at 2.5 h: 0.5 h travel and 3 h of repair, done at 6 h.
    assert actions == [(2.5, "submitted"), (2.5, "started"), (6.0, "completed")]
    assert {"t": 6.0, "kind": "asset", "asset": "gpz", "state": "up", "causes": []} in records
    assert [r["text"] for r in records if r["kind"] == "note"] == ["GZZK zwołany"]
    # To a file as well, with the same content.
    target = tmp_path / "out.jsonl"
    assert main(["export", str(tmp_path / "run.cybrelia"), "--jsonl", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == out


def test_cybrelia_run_refuses_to_overwrite_a_session(
    scenario_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(tmp_path, scenario_path) == 0
    session_path = tmp_path / "run.cybrelia"
    before = session_path.read_bytes()
    capsys.readouterr()
    assert _run(tmp_path, scenario_path) == 1
    err = capsys.readouterr().err
    assert "a session exists there already; use --resume to continue it" in err
    assert session_path.read_bytes() == before
    # With --resume it continues the finished session and plays nothing again.
    rows = input_rows(session_path)
    assert _run(tmp_path, scenario_path, "--resume") == 0
    assert input_rows(session_path) == rows


def test_cybrelia_export_of_a_corrupt_session(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.cybrelia"
    path.write_bytes(random.Random(1).randbytes(4096))
    assert main(["export", str(path), "--jsonl", "-"]) == 1
    assert "not a CYBRELIA session journal" in capsys.readouterr().err


@pytest.mark.parametrize("kind", [[], ["scenario"], ["model"], ["responses"]])
def test_cybrelia_schema_prints_json_schema(
    kind: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema", *kind]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "$defs" in schema
    assert schema["type"] == "object"


REF_RESPONSES = """\
format: cybrelia.responses/1
entries:
  - at: 2h15m
    action: {team: power, action: repair, target: gpz, ref: first-crew}
  - at: 2h30m
    cancel: first-crew
  - at: 2h45m
    action: {team: power, action: repair, target: gpz, ref: second-crew}
"""


def test_a_script_cancels_its_own_action_by_ref_and_resumes_alike(
    scenario_path: Path, tmp_path: Path
) -> None:
    responses = tmp_path / "ref.responses.yaml"
    responses.write_text(REF_RESPONSES, encoding="utf-8")
    args = ["run", str(scenario_path), "--responses", str(responses), "--session"]
    assert main([*args, str(tmp_path / "ref.cybrelia")]) == 0
    exercise = replay_session(tmp_path / "ref.cybrelia").actual
    assert {a.id: (a.request.ref, a.status) for a in exercise.actions.values()} == {
        "A001": ("first-crew", "cancelled"),
        "A002": ("second-crew", "completed"),
    }
    # Only the repair that took effect (2.75 + 3.5 = 6.25 h, within 2 + 5 h) earns.
    assert exercise.expectations["I-01.1"].action_id == "A002"
    assert exercise.expectations["I-01.1"].points == 10.0


def test_a_cancel_naming_no_earlier_ref_is_an_error(
    scenario_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    responses = tmp_path / "bad.responses.yaml"
    text = REF_RESPONSES.replace("cancel: first-crew", "cancel: frist-crew")
    responses.write_text(
        text.replace("format:", f"scenario: {scenario_path.name}\nformat:"), encoding="utf-8"
    )
    assert main(["validate", str(responses)]) == 1
    out = capsys.readouterr().out
    assert "entries[1].cancel: no earlier action has ref 'frist-crew'" in out
    assert "first-crew" in out  # the hint
