"""The authoring guide's worked example (docs/examples/) validates and does what the guide says."""

from __future__ import annotations

from pathlib import Path

from cybrelia.exercise.driver import play
from cybrelia.exercise.events import ActionEvent, InjectEvent
from cybrelia.exercise.export import export_records, replay_session
from cybrelia.exercise.session import Session
from cybrelia.files.validation import load_responses
from cybrelia.headless.checks import check_file

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"


def test_the_example_files_are_valid() -> None:
    for name in ("gmina-mala.yaml", "burza.yaml", "burza.responses.yaml"):
        assert check_file(EXAMPLES / name) == [], name


def test_the_example_plays_as_the_guide_describes(tmp_path: Path) -> None:
    session = Session.create(EXAMPLES / "burza.yaml", tmp_path / "burza.cybrelia")
    play(session, load_responses(EXAMPLES / "burza.responses.yaml"))
    history = session.exercise.history
    session.close()
    repaired = [
        e
        for e in history
        if isinstance(e, ActionEvent) and e.action == "repair" and e.status == "completed"
    ]
    assert [e.t for e in repaired] == [5.75]  # sent at 0:45, 1 h travel, 4 h repair
    delivered = {e.inject for e in history if isinstance(e, InjectEvent)}
    assert "B-01" not in delivered  # the generator ran 5.25 h, less than 6 h
    summary = list(export_records(replay_session(tmp_path / "burza.cybrelia")))[-1]
    assert (summary["points"]["points"], summary["points"]["max"]) == (20.0, 20)
    assert summary["avoided"]["person_hours"]["power"] == 21900.0
