"""The session frames (``cybrelia.analysis.frames``), checked row by row against the small
session of :mod:`tests.analysis_session`."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest

from cybrelia.analysis import (
    FRAME_NAMES,
    SessionData,
    asset_intervals,
    cascade,
    cascade_candidates,
    condition_text,
    from_exercise,
    load_session,
    people_without,
)
from cybrelia.exercise.core import Exercise
from cybrelia.exercise.export import replay_session
from cybrelia.exercise.journal import JournalError
from cybrelia.files.scenario import Condition
from cybrelia.files.validation import load_scenario
from tests.analysis_session import records, write_small_session

#: The module's tests share costly module fixtures: one test worker runs them all
#: (make test's --dist loadgroup).
pytestmark = pytest.mark.xdist_group("analysis-frames")


@pytest.fixture(scope="module")
def session_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_small_session(tmp_path_factory.mktemp("small"))


@pytest.fixture(scope="module")
def data(session_path: Path) -> SessionData:
    return load_session(session_path)


def test_metadata(data: SessionData, session_path: Path) -> None:
    assert data.scenario_id == "mala-awaria"
    assert data.title == "Mała awaria"
    assert data.start == datetime(2027, 1, 14, 6, 0, tzinfo=timezone(timedelta(hours=1)))
    assert (data.seed, data.end, data.duration) == (1, 6.0, 6.0)
    assert data.has_baseline
    assert data.path == session_path
    assert data.label == "small"
    assert data.created is not None
    assert data.clock(2.5) == "D+0 08:30"
    assert data.team_name("power", "en") == "Power utility"
    assert data.asset_name("suw") == "SUW"
    assert list(data.frames()) == list(FRAME_NAMES)


def test_assets(data: SessionData) -> None:
    def row(run: str, t: float, asset: str, state: str, causes: str) -> dict[str, object]:
        name, sector = {
            "gpz": ("GPZ", "power"),
            "linia": ("Linia SN", "power"),
            "suw": ("SUW", "water"),
        }[asset]
        return {
            "run": run,
            "t": t,
            "asset": asset,
            "name": name,
            "sector": sector,
            "state": state,
            "causes": causes,
        }

    failure = [
        (1.0, "gpz", "down", "damaged"),
        (1.0, "linia", "down", "needs:power"),
        (1.0, "suw", "backup", ""),
        (2.0, "suw", "down", "needs:power"),
    ]
    assert records(data.assets) == [
        *(row("actual", *change) for change in failure),
        row("actual", 4.0, "gpz", "up", ""),
        row("actual", 4.0, "linia", "up", ""),
        row("actual", 4.0, "suw", "up", ""),
        *(row("baseline", *change) for change in failure),
    ]


def test_services(data: SessionData) -> None:
    assert records(data.services) == [
        {"run": "actual", "t": 1.0, "district": "wies", "service": "power", "without": 1000},
        {"run": "actual", "t": 2.0, "district": "wies", "service": "water", "without": 1000},
        {"run": "actual", "t": 4.0, "district": "wies", "service": "power", "without": 0},
        {"run": "actual", "t": 4.0, "district": "wies", "service": "water", "without": 0},
        {"run": "baseline", "t": 1.0, "district": "wies", "service": "power", "without": 1000},
        {"run": "baseline", "t": 2.0, "district": "wies", "service": "water", "without": 1000},
    ]


def test_metrics(data: SessionData) -> None:
    assert list(data.metrics.columns) == [
        "run",
        "t",
        "people_without_heat",
        "people_without_power",
        "people_without_telecom",
        "people_without_water",
        "people_in_need",
        "vulnerable_at_risk",
        "critical_down",
    ]
    # One row per run and hour (the sample grid); the changes fall on whole hours.
    actual = [(0, 0, 0), (1000, 0, 0), (1000, 1000, 1), (1000, 1000, 1), (0, 0, 0), (0, 0, 0)]
    baseline = [(0, 0, 0), (1000, 0, 0), *[(1000, 1000, 1)] * 5]
    expected = [
        ("actual", float(t), power, water, down) for t, (power, water, down) in enumerate(actual)
    ]
    expected.append(("actual", 6.0, 0, 0, 0))
    expected += [
        ("baseline", float(t), power, water, down)
        for t, (power, water, down) in enumerate(baseline)
    ]
    got = [
        (r["run"], r["t"], r["people_without_power"], r["people_without_water"], r["critical_down"])
        for r in records(data.metrics)
    ]
    assert got == expected
    assert set(data.metrics["people_without_heat"]) == {0}
    assert set(data.metrics["people_in_need"]) == {0}
    assert data.claims.empty
    assert list(data.claims.columns) == ["run", "t", "claim", "believers"]


def test_people_without_in_long_form(data: SessionData) -> None:
    water = people_without(data, ["water"], run="actual")
    assert list(water.columns) == ["run", "t", "service", "people"]
    assert list(water["people"]) == [0, 0, 1000, 1000, 0, 0, 0]
    assert set(people_without(data)["service"]) == {"power", "water", "heat", "telecom"}


def test_injects(data: SessionData) -> None:
    assert records(data.injects) == [
        {
            "inject": "I-01",
            "order": 0,
            "at": 1.0,
            "when": "",
            "delivered_at": 1.0,
            "status": "delivered",
            "teams": "power, crisis",
            "channel": "phone",
            "title_pl": "Awaria GPZ",
            "title_en": "Substation failure",
            "message_pl": "GPZ nie działa, zob. http://energa.example/awarie",
            "message_en": "The substation is down.",
            "adhoc": False,
            "edited": False,
            "expectations": 2,
            "points": 10.0,
            "max": 15,
        },
        {
            "inject": "B-01",
            "order": 1,
            "at": None,
            "when": "people_in_need > 500",
            "delivered_at": None,
            "status": "pending",
            "teams": "crisis",
            "channel": "",
            "title_pl": "Ludzie w potrzebie",
            "title_en": "People in need",
            "message_pl": "",
            "message_en": "",
            "adhoc": False,
            "edited": False,
            "expectations": 0,
            "points": 0.0,
            "max": 0,
        },
    ]
    assert records(data.effects) == [
        {"inject": "I-01", "verb": "damage", "target": "gpz", "asset": "gpz"}
    ]


def test_actions_with_latency(data: SessionData) -> None:
    assert records(data.actions) == [
        {
            "action_id": "A001",
            "team": "power",
            "action": "repair",
            "target": "gpz",
            "params": "",
            "note": "Brygada / crew",
            "submitted": 1.5,
            "queued": None,
            "started": 1.5,
            "completed": 4.0,
            "finished": 4.0,
            "status": "completed",
            "detail": "repaired",
            "expectation": "I-01.1",
            "inject": "I-01",
            "delivered_at": 1.0,
            "within": 3.5,
            "latency": 0.5,
            "score": "met",
        }
    ]


def test_scores(data: SessionData) -> None:
    common = {"inject": "I-01", "opened_at": 1.0}
    assert records(data.scores) == [
        {
            **common,
            "expectation": "I-01.1",
            "team": "power",
            "action": "repair",
            "target": "gpz",
            "within": 3.5,
            "pillar": 7,
            "capability": "Restoration",
            "status": "met",
            "points": 10.0,
            "max": 10,
            "deadline": 4.5,
            "scored_at": 4.0,  # when the repair was done
            "action_id": "A001",
            "submitted": 1.5,
            "latency": 0.5,
        },
        {
            **common,
            "expectation": "I-01.2",
            "team": "crisis",
            "action": "note",
            "target": "",
            "within": 0.5,
            "pillar": 3,
            "capability": "Coordination",
            "status": "missed",
            "points": 0.0,
            "max": 5,
            "deadline": 1.5,
            "scored_at": 1.5,
            "action_id": "",
            "submitted": None,
            "latency": None,
        },
    ]


def test_ratings_notes_and_messages(data: SessionData) -> None:
    inject_rating = {"capability": "", "analysis": "", "root_cause": ""}  # no capability rated
    assert records(data.ratings) == [
        {
            "t": 2.0,
            "inject": "I-01",
            "team": "power",
            "rating": "S",
            "note": "Szybko / fast",
            **inject_rating,
        },
        {
            "t": 2.5,
            "inject": "I-01",
            "team": "crisis",
            "rating": "M",
            "note": "Brak notatki / no log",
            **inject_rating,
        },
    ]
    assert records(data.notes) == [{"t": 3.0, "team": "", "text": "Odprawa / debrief"}]
    message = {
        "t": 2.0,
        "topic": "critical_down",
        "subject": "suw",
        "teams": "crisis",
        "text_pl": "Obiekt krytyczny nie działa: SUW (brak zasilania).",
        "text_en": "Critical facility down: SUW (no power).",
    }
    assert records(data.messages) == [
        {"run": "actual", **message},
        {"run": "baseline", **message},
    ]


def test_outcome_and_points(data: SessionData) -> None:
    assert records(data.outcome) == [
        {"measure": "person_hours", "service": s, "actual": a, "baseline": b, "avoided": b - a}
        for s, a, b in [
            ("heat", 0.0, 0.0),
            ("power", 3000.0, 5000.0),
            ("telecom", 0.0, 0.0),
            ("water", 2000.0, 4000.0),
        ]
    ] + [
        {
            "measure": "people_in_need_peak",
            "service": "",
            "actual": 0.0,
            "baseline": 0.0,
            "avoided": 0.0,
        },
        {
            "measure": "people_in_need_person_hours",
            "service": "",
            "actual": 0.0,
            "baseline": 0.0,
            "avoided": 0.0,
        },
    ]
    assert records(data.points_by_team) == [
        {
            "team": "crisis",
            "name_pl": "Sztab",
            "name_en": "Crisis team",
            "points": 0.0,
            "max": 5,
            "share": 0.0,
        },
        {
            "team": "power",
            "name_pl": "Energetyka",
            "name_en": "Power utility",
            "points": 10.0,
            "max": 10,
            "share": 100.0,
        },
    ]
    pillars = data.points_by_pillar
    assert list(pillars["pillar"]) == [1, 2, 3, 4, 5, 6, 7]
    assert list(pillars["points"]) == [0, 0, 0, 0, 0, 0, 10]
    assert list(pillars["max"]) == [0, 0, 5, 0, 0, 0, 10]
    assert pillars["share"].isna().tolist() == [True, True, False, True, True, True, False]


def test_model_frames(data: SessionData) -> None:
    assert records(data.teams) == [
        {"team": "crisis", "name_pl": "Sztab", "name_en": "Crisis team", "role": "crisis",
         "sectors": ""},
        {"team": "power", "name_pl": "Energetyka", "name_en": "Power utility", "role": "power",
         "sectors": "power"},
    ]  # fmt: skip
    assert records(data.districts) == [
        {"district": "wies", "name": "Wieś", "population": 1000, "prepared_share": 0.0,
         "vulnerable": 0}
    ]  # fmt: skip
    assert list(data.asset_info["asset"]) == ["gpz", "linia", "suw"]
    assert list(data.asset_info["critical"]) == [False, False, True]
    assert records(data.dependencies) == [
        {"asset": "linia", "service": "power", "provider": "gpz", "k": 1, "buffer": "",
         "buffer_hours": None},
        {"asset": "suw", "service": "power", "provider": "linia", "k": 1, "buffer": "battery",
         "buffer_hours": 1.0},
    ]  # fmt: skip


def test_asset_intervals(data: SessionData) -> None:
    assert records(asset_intervals(data)) == [
        {"asset": "gpz", "name": "GPZ", "sector": "power", "state": "down", "start": 1.0,
         "end": 4.0, "ongoing": False, "causes": "damaged", "all_causes": "damaged"},
        {"asset": "linia", "name": "Linia SN", "sector": "power", "state": "down", "start": 1.0,
         "end": 4.0, "ongoing": False, "causes": "needs:power", "all_causes": "needs:power"},
        {"asset": "suw", "name": "SUW", "sector": "water", "state": "backup", "start": 1.0,
         "end": 2.0, "ongoing": False, "causes": "", "all_causes": ""},
        {"asset": "suw", "name": "SUW", "sector": "water", "state": "down", "start": 2.0,
         "end": 4.0, "ongoing": False, "causes": "needs:power", "all_causes": "needs:power"},
    ]  # fmt: skip
    baseline = asset_intervals(data, "baseline")
    assert list(baseline["end"]) == [6.0, 6.0, 2.0, 6.0]
    assert list(baseline["ongoing"]) == [True, True, False, True]


def test_load_session_matches_the_export_replay(data: SessionData, session_path: Path) -> None:
    replay = replay_session(session_path)
    again = from_exercise(replay.actual, replay.baseline)
    for name in FRAME_NAMES:
        pd.testing.assert_frame_equal(getattr(data, name), getattr(again, name), obj=name)


def test_loading_is_deterministic(data: SessionData, session_path: Path) -> None:
    again = load_session(session_path)
    for name in FRAME_NAMES:
        pd.testing.assert_frame_equal(getattr(data, name), getattr(again, name), obj=name)


def test_without_baseline(session_path: Path) -> None:
    data = load_session(session_path, baseline=False)
    assert not data.has_baseline
    assert set(data.metrics["run"]) == {"actual"}
    assert set(data.assets["run"]) == {"actual"}
    assert data.outcome["baseline"].isna().all()
    assert data.outcome["avoided"].isna().all()


def test_an_empty_session_has_empty_frames_with_their_columns(tmp_path: Path) -> None:
    session = write_small_session(tmp_path)
    exercise = Exercise(load_scenario(tmp_path / "scenario.yaml"))  # never advanced
    data = from_exercise(exercise, Exercise(load_scenario(tmp_path / "scenario.yaml")))
    for name in ("actions", "scores", "ratings", "notes", "messages", "metrics", "assets"):
        frame = getattr(data, name)
        assert frame.empty, name
        assert len(frame.columns) > 0, name
    assert data.metrics.columns[:2].tolist() == ["run", "t"]
    assert asset_intervals(data).empty
    assert cascade(data).empty
    assert cascade_candidates(data).empty
    assert session.exists()


def test_a_session_without_a_team(tmp_path: Path) -> None:
    data = load_session(write_small_session(tmp_path, without_teams=["power"]))
    assert data.actions.empty
    assert list(data.ratings["team"]) == ["crisis"]
    assert list(data.scores["status"]) == ["missed", "missed"]


def test_load_session_refuses_what_is_not_a_session(tmp_path: Path) -> None:
    with pytest.raises(JournalError):
        load_session(tmp_path / "missing.cybrelia")
    (tmp_path / "text.cybrelia").write_text("not a journal", encoding="utf-8")
    with pytest.raises(JournalError):
        load_session(tmp_path / "text.cybrelia")


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"asset": {"id": "suw", "state": "down", "for": "2h"}}, "suw down for 2h"),
        ({"asset": {"id": "suw", "state": "not_up"}}, "suw not_up"),
        ({"metric": {"name": "people_in_need", "below": 10}}, "people_in_need < 10"),
        ({"delivered": "I-03", "after": "30m"}, "delivered I-03 + 30m"),
        ({"met": "I-03.1"}, "met I-03.1"),
        ({"missed": "I-03.1"}, "missed I-03.1"),
    ],
)
def test_condition_text(condition: dict[str, object], expected: str) -> None:
    assert condition_text(Condition.model_validate(condition)) == expected
    assert condition_text(None) == ""
