"""One writer per session: second writers refused, readers served, stale locks taken over.

Every writer here is a real process: the ``cybrelia`` command, or a small
Python process that holds a session open the way the console does.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from cybrelia.exercise.journal import JournalError
from cybrelia.exercise.lock import SessionBusy, SessionLock, lock_path
from cybrelia.exercise.session import Session
from tests.hostile import cybrelia, digest, exercise_files, export, run_session

HOLD = """\
import sys
from cybrelia.exercise.session import Session
session = Session.open(sys.argv[1])
print("ready", flush=True)
sys.stdin.read()
session.close()
"""


@contextmanager
def held(session: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process that has ``session`` open for writing until the block ends."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(session)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == "ready\n"
        yield process
    finally:
        if process.poll() is None:
            assert process.stdin is not None
            process.stdin.close()
        process.wait(timeout=30)


def test_a_second_writer_is_refused_at_once_naming_the_holder(tmp_path: Path) -> None:
    session = run_session(tmp_path)
    expected = export(session)
    scenario, responses = exercise_files(tmp_path)
    before = digest(session)
    with held(session) as holder:
        result = cybrelia(
            "run", scenario, "--responses", responses, "--session", session, "--resume"
        )
        assert result.code == 1
        assert f"process {holder.pid}" in result.err
        assert socket.gethostname() in result.err and "since" in result.err
        assert digest(session) == before
        assert export(session) == expected, "readers work while a writer holds the session"
        report = cybrelia("report", session, "-o", tmp_path / "report", "--lang", "en")
        assert report.code == 0, report.err
        assert (tmp_path / "report" / "report.md").is_file()


def test_two_resumes_at_once_cannot_both_write(tmp_path: Path) -> None:
    """The reported case: two ``run --resume`` on one session both exited 0 and broke it."""
    scenario, responses = exercise_files(tmp_path)
    session = tmp_path / "s.cybrelia"
    Session.create(scenario, session).close()  # begun, then its process went away
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cybrelia.cli",
                "run",
                str(scenario),
                "--responses",
                str(responses),
                "--session",
                str(session),
                "--resume",
                "--pace",
                "0.2",
            ],
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    errors = [run.communicate(timeout=60)[1] for run in runs]
    codes = sorted(run.returncode for run in runs)
    assert all("Traceback" not in error for error in errors)
    assert codes in ([0, 0], [0, 1])  # one after the other, or one refused
    assert export(session) == export(run_session(tmp_path / "straight"))


def test_two_new_sessions_on_one_path_race_cleanly(tmp_path: Path) -> None:
    scenario, responses = exercise_files(tmp_path)
    session = tmp_path / "new.cybrelia"
    args = ["run", str(scenario), "--responses", str(responses), "--session", str(session)]
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "cybrelia.cli", *args, "--pace", "0.05"],
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    errors = [run.communicate(timeout=60)[1] for run in runs]
    assert sorted(run.returncode for run in runs) == [0, 1], errors
    assert all("Traceback" not in error for error in errors)
    refused = errors[[run.returncode for run in runs].index(1)]
    assert str(session) in refused
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("new")) == [
        "new.cybrelia"
    ], "no .partial, -wal, -shm or .lock left behind"
    assert export(session) == export(run_session(tmp_path / "straight"))


def test_the_lock_of_a_killed_writer_is_taken_over(tmp_path: Path) -> None:
    session = run_session(tmp_path)
    expected = export(session)
    with held(session) as holder:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
        assert lock_path(session).exists(), "the dead writer's lock file is still there"
        scenario, responses = exercise_files(tmp_path)
        result = cybrelia(
            "run", scenario, "--responses", responses, "--session", session, "--resume"
        )
    assert result.code == 0, result.err
    assert not lock_path(session).exists()
    assert export(session) == expected


def test_resuming_with_another_scenario_is_refused(tmp_path: Path) -> None:
    session = run_session(tmp_path)
    scenario, responses = exercise_files(tmp_path)
    other = tmp_path / "other.yaml"
    other.write_text(
        scenario.read_text(encoding="utf-8").replace("id: kill-test", "id: other"),
        encoding="utf-8",
    )
    before = digest(session)
    result = cybrelia("run", other, "--responses", responses, "--session", session, "--resume")
    assert result.code == 1
    assert "'kill-test'" in result.err and "'other'" in result.err
    assert digest(session) == before
    recorded = cybrelia("run", "--responses", responses, "--session", session, "--resume")
    assert recorded.code == 0, recorded.err


def test_in_process_writers_are_refused_too(tmp_path: Path) -> None:
    session = run_session(tmp_path)
    with Session.open(session) as first:
        with pytest.raises(SessionBusy, match=f"process {os.getpid()}"):
            Session.open(session)
        with pytest.raises(SessionBusy):
            SessionLock(session).acquire()
        assert first.lock is not None and first.lock.held
    with SessionLock(session) as lock:
        assert lock.held
    assert not lock.held and not lock_path(session).exists()


def test_a_session_cannot_be_created_in_a_folder_that_is_a_file(tmp_path: Path) -> None:
    scenario, responses = exercise_files(tmp_path)
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")
    result = cybrelia(
        "run", scenario, "--responses", responses, "--session", blocker / "s.cybrelia"
    )
    assert result.code == 1
    assert "blocker" in result.err
    with pytest.raises(JournalError):
        Session.create(scenario, blocker / "s.cybrelia")
