"""A session journal loses nothing: kill the headless driver at random moments, resume.

The driver is killed with SIGKILL 20 times at seeded random moments (during
start-up, while creating the journal, between and during inputs), resumed
each time, and finally allowed to finish.  Its export must equal that of a
run that was never interrupted, and every scripted input must be in the
journal exactly once.
"""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.hostile import RESPONSES, exercise_files

PACE = "0.06"  # wall seconds per sim hour: a run sleeps about 0.7 s in all
PACED_SLEEP = 0.7


def _cybrelia(*args: str) -> list[str]:
    return [sys.executable, "-m", "cybrelia.cli", *args]


def _export(session: Path) -> str:
    result = subprocess.run(
        _cybrelia("export", str(session), "--jsonl", "-"),
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_killed_runs_resume_to_the_same_export(tmp_path: Path) -> None:
    scenario, responses = exercise_files(tmp_path)
    straight = tmp_path / "straight.cybrelia"
    started = time.monotonic()
    subprocess.run(
        _cybrelia("run", str(scenario), "--responses", str(responses), "--session", str(straight)),
        check=True,
        capture_output=True,
    )
    # A paced run lasts about as long as the straight one plus its sleeps.  The kill moments
    # scale with it, so that on a loaded machine (slow start-up) kills still land during the
    # run rather than always before the driver has started.
    stretch = max(1.0, time.monotonic() - started + PACED_SLEEP)
    expected = _export(straight)
    summary = json.loads(expected.splitlines()[-1])
    assert summary["kind"] == "summary" and summary["points"]["points"] > 0

    rng = random.Random(20261127)
    kills = 0
    sessions = 0
    while kills < 20:
        sessions += 1
        session = tmp_path / f"killed-{sessions}.cybrelia"
        kills += _run_with_kills(scenario, responses, session, rng, stretch)
        assert _export(session) == expected
        _assert_each_input_once(session)
    assert sessions < kills, "most sessions were interrupted more than once"


def _run_with_kills(
    scenario: Path, responses: Path, session: Path, rng: random.Random, stretch: float
) -> int:
    """Run to the end, killing the driver at random moments; return how many kills.

    The moments are uniform in 0.05-0.9 s times ``stretch`` (the length of a paced run
    on this machine, in seconds, at least 1).
    """
    kills = 0
    while True:
        args = ["run", str(scenario), "--responses", str(responses), "--session", str(session)]
        if session.exists():
            args.append("--resume")
        process = subprocess.Popen(
            _cybrelia(*args, "--pace", PACE), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        time.sleep(rng.uniform(0.05, 0.9) * stretch)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        _, err = process.communicate()
        if process.returncode == 0:
            return kills
        assert process.returncode == -signal.SIGKILL, err.decode()
        kills += 1


def _assert_each_input_once(session: Path) -> None:
    with sqlite3.connect(session) as db:
        payloads = [json.loads(p) for (p,) in db.execute("SELECT payload FROM inputs")]
    done = sorted(p["_script"] for p in payloads if "_script" in p)
    entries = RESPONSES.count("{at:")
    assert done == list(range(entries)), "every scripted input is there exactly once"
