"""Journals read defensively, written carefully: tampered rows, damaged pages, full disks.

A tampered or damaged journal is refused by every command that reads it
(exit 1, the first bad input named, no traceback) and is left exactly as it
was.  A full or read-only disk is said plainly; the journal keeps all it had
and still replays to the same export.  The disk cases run in a private mount
namespace on a small tmpfs, and are skipped (with the reason) where the
machine does not allow that.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile import command, cybrelia, digest, exercise_files, export, run_session


def _tamper(session: Path, *statements: str) -> None:
    """Edit a journal behind CYBRELIA's back (its append-only triggers removed first)."""
    with sqlite3.connect(session) as db:
        db.execute("DROP TRIGGER inputs_append_only_update")
        db.execute("DROP TRIGGER inputs_append_only_delete")
        for statement in statements:
            db.execute(statement)
    db.close()


TAMPERINGS: dict[str, tuple[tuple[str, ...], str]] = {
    "payload a list": (("UPDATE inputs SET payload = '[1, 2]' WHERE seq = 3",), "input 3"),
    "key missing": (
        (
            "UPDATE inputs SET payload = '{}' WHERE kind = 'rate' AND seq = (SELECT min(seq) FROM"
            " inputs WHERE kind = 'rate')",
        ),
        "(rate) is damaged or was edited: inject: Field required",
    ),
    "wrong type": (
        (
            'UPDATE inputs SET payload = \'{"to": "soon"}\' WHERE seq = (SELECT min(seq) FROM'
            " inputs WHERE kind = 'advance')",
        ),
        "(advance) is damaged or was edited: to:",
    ),
    "huge time": (("UPDATE inputs SET sim_time = 1e308 WHERE seq = 2",), "input 2"),
    "time not a number": (("UPDATE inputs SET sim_time = 'noon' WHERE seq = 2",), "input 2"),
    "time going back": (
        ("UPDATE inputs SET sim_time = 0 WHERE seq = (SELECT max(seq) FROM inputs)",),
        "is not a time after the previous input's",
    ),
    "advance past the end": (
        (
            "UPDATE inputs SET payload = '{\"to\": 99999}' WHERE seq = (SELECT max(seq) FROM"
            " inputs WHERE kind = 'advance')",
        ),
        "after the scenario's end",
    ),
    "unknown kind": (("UPDATE inputs SET kind = 'format_disk' WHERE seq = 2",), "unknown kind"),
    "seed damaged": (("UPDATE meta SET value = 'x' WHERE key = 'seed'",), "seed 'x' is damaged"),
    "stored path escapes": (
        ("UPDATE files SET path = '../../../../tmp/evil.yaml' WHERE path = 'model.yaml'",),
        "lies outside it",
    ),
    "scenario missing": (("DELETE FROM files WHERE path = 'scenario.yaml'",), "lacks its scenario"),
}


#: The tests of the played session run on one test worker (make test's --dist loadgroup).
PLAYED = pytest.mark.xdist_group("reliability-played")


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One session played to its end, and its export."""
    session = run_session(tmp_path_factory.mktemp("played"))
    return session, export(session)


@pytest.mark.parametrize("case", sorted(TAMPERINGS))
@PLAYED
def test_a_tampered_journal_is_refused_and_left_as_it_is(
    played: tuple[Path, str], tmp_path: Path, case: str
) -> None:
    statements, needle = TAMPERINGS[case]
    exercise_files(tmp_path)
    session = tmp_path / "s.cybrelia"
    shutil.copy(played[0], session)
    _tamper(session, *statements)
    before = digest(session)
    scenario, responses = tmp_path / "scenario.yaml", tmp_path / "scenario.responses.yaml"
    exported = cybrelia("export", session, "--jsonl", "-", timeout=60)  # a huge time once hung
    assert exported.code == 1 and needle in exported.err, exported.err
    for args in (
        ("report", session, "-o", tmp_path / "report"),
        ("run", scenario, "--responses", responses, "--session", session, "--resume"),
    ):
        result = command(*args)
        assert result.code == 1, (case, args[0], result.err)
        assert str(session) in result.err and needle in result.err, result.err
    assert digest(session) == before
    assert not (tmp_path / "report").exists()


@PLAYED
def test_a_damaged_page_is_refused_not_crashed_on(played: tuple[Path, str], tmp_path: Path) -> None:
    session = tmp_path / "s.cybrelia"
    shutil.copy(played[0], session)
    with sqlite3.connect(session) as db:
        size = db.execute("PRAGMA page_size").fetchone()[0]
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'files'").fetchone()[0]
    db.close()
    data = bytearray(session.read_bytes())
    data[(root - 1) * size : root * size] = bytes(size)  # the stored scenario's page, zeroed
    session.write_bytes(bytes(data))
    before = digest(session)
    result = command("export", session, "--jsonl", "-")
    assert result.code == 1
    assert str(session) in result.err
    assert digest(session) == before
    garbage = tmp_path / "garbage.cybrelia"
    garbage.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    result = command("export", garbage, "--jsonl", "-")
    assert result.code == 1 and str(garbage) in result.err


# --- full and read-only disks, on a private small tmpfs -----------------------------------------

DISK = """\
import json, os, shutil, subprocess, sys
mount, work, case = sys.argv[1], sys.argv[2], sys.argv[3]
def run(*args):
    done = subprocess.run([sys.executable, "-m", "cybrelia.cli", *args], capture_output=True,
                          text=True, timeout=120)
    return {"code": done.returncode, "err": done.stderr, "out_len": len(done.stdout)}
for name in ("model.yaml", "scenario.yaml", "scenario.responses.yaml"):
    shutil.copy(os.path.join(work, name), mount)
scenario = os.path.join(mount, "scenario.yaml")
responses = os.path.join(mount, "scenario.responses.yaml")
session = os.path.join(mount, "s.cybrelia")
results = {}
def fill(block):
    filler = os.open(os.path.join(mount, "filler"), os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(filler, b"\\0" * block)
    except OSError:
        pass
    finally:
        os.close(filler)
if case == "full-create":
    fill(4096)
    results["run"] = run("run", scenario, "--responses", responses, "--session", session)
elif case == "full-resume":
    shutil.copy(os.path.join(work, "begun.cybrelia"), session)
    fill(512)
    results["run"] = run("run", "--responses", responses, "--session", session, "--resume")
elif case == "read-only":
    shutil.copy(os.path.join(work, "played.cybrelia"), session)
    subprocess.run(["mount", "-o", "remount,ro", mount], check=True)
    results["run"] = run("run", "--responses", responses, "--session", session, "--resume")
    results["export"] = run("export", session, "--jsonl", os.path.join(work, "ro.jsonl"))
results["files"] = sorted(os.listdir(mount))
if os.path.exists(session):
    shutil.copy(session, os.path.join(work, "after.cybrelia"))
print(json.dumps(results))
"""


# The facilitator console on a session whose disk fills while it runs: the real app, driven
# with Textual's Pilot inside the mount namespace, its clock timer off so that the frames (and
# so the journal writes) happen exactly when the script says.
CONSOLE = """\
import asyncio, json, os, shutil, sys
from cybrelia.exercise.session import Session
from cybrelia.i18n import Texts
from cybrelia.tui.app import CybreliaApp
mount, work, case = sys.argv[1], sys.argv[2], sys.argv[3]
for name in ("model.yaml", "scenario.yaml", "scenario.responses.yaml"):
    shutil.copy(os.path.join(work, name), mount)
session_path = os.path.join(mount, "s.cybrelia")
shutil.copy(os.path.join(work, "begun.cybrelia"), session_path)
session = Session.open(session_path)
filler = os.open(os.path.join(mount, "filler"), os.O_WRONLY | os.O_CREAT)
try:
    while True:
        os.write(filler, b"\\0" * 512)
except OSError:
    pass
finally:
    os.close(filler)
app = CybreliaApp(session, Texts("en"), clock=False)
said = []
async def play():
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("space")
        for _ in range(40):
            app.frame(0.25)
        await pilot.pause()
        said.extend(str(n.message) for n in app._notifications)
        running = session.running
        await pilot.press("space")
        await pilot.pause()
        said.extend(str(n.message) for n in app._notifications)
        return running
running = asyncio.run(play())
session.close()
shutil.copy(session_path, os.path.join(work, "after.cybrelia"))
print(json.dumps({"said": sorted(set(said)), "running": running, "now": session.now}))
"""


def _on_small_disk(
    work: Path, case: str, size: str = "400k", script_text: str = DISK
) -> dict[str, object]:
    """Run a disk script with a fresh ``size`` tmpfs, in a private mount namespace."""
    if shutil.which("unshare") is None:
        pytest.skip("no unshare(1) here: cannot mount a private tmpfs")
    mount = work / "disk"
    mount.mkdir()
    script = work / "disk.py"
    script.write_text(script_text, encoding="utf-8")
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", f"mount -t tmpfs -o size={size} tmpfs {mount}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        pytest.skip(f"the OS does not allow a private tmpfs mount: {probe.stderr.strip()}")
    done = subprocess.run(
        [
            "unshare",
            "-m",
            "sh",
            "-c",
            f'mount -t tmpfs -o size={size} tmpfs "$1" && exec "$2" "$3" "$1" "$4" "$5"',
            "sh",
            str(mount),
            sys.executable,
            str(script),
            str(work),
            case,
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results: dict[str, object] = json.loads(done.stdout)
    return results


def _result(results: dict[str, object], name: str) -> dict[str, object]:
    value = results[name]
    assert isinstance(value, dict)
    return value


def test_a_full_disk_at_creation_says_so_and_leaves_nothing(tmp_path: Path) -> None:
    exercise_files(tmp_path)
    results = _on_small_disk(tmp_path, "full-create")
    run = _result(results, "run")
    assert run["code"] == 1
    assert "Traceback" not in str(run["err"])
    assert "the disk is full" in str(run["err"]) or "No space left" in str(run["err"])
    assert results["files"] == ["filler", "model.yaml", "scenario.responses.yaml", "scenario.yaml"]


def test_a_full_disk_while_playing_keeps_the_journal_whole(tmp_path: Path) -> None:
    scenario, _ = exercise_files(tmp_path)
    from cybrelia.exercise.session import Session

    with Session.create(scenario, tmp_path / "begun.cybrelia") as begun:
        begun.advance_to(1.0)
        begun.note("before the disk filled")
    before = export(tmp_path / "begun.cybrelia")
    results = _on_small_disk(tmp_path, "full-resume", size="300k")
    run = _result(results, "run")
    assert "Traceback" not in str(run["err"])
    if run["code"] == 0:
        pytest.skip("the tmpfs left room for the whole run; nothing to observe")
    assert run["code"] == 1
    assert "disk is full" in str(run["err"]) or "No space left" in str(run["err"])
    after = tmp_path / "after.cybrelia"
    replayed = export(after)
    assert replayed.splitlines()[: before.count("\n") - 1] == before.splitlines()[:-1], (
        "everything recorded before the disk filled is still there"
    )


def test_a_disk_that_fills_while_the_console_runs_is_said_and_loses_nothing(
    tmp_path: Path,
) -> None:
    scenario, _ = exercise_files(tmp_path)
    from cybrelia.exercise.session import Session

    with Session.create(scenario, tmp_path / "begun.cybrelia") as begun:
        begun.advance_to(1.0)
        begun.note("before the disk filled")
    before = export(tmp_path / "begun.cybrelia")
    results = _on_small_disk(tmp_path, "console", size="300k", script_text=CONSOLE)
    said = results["said"]
    assert isinstance(said, list)
    assert any("the disk is full" in str(line) for line in said), said
    assert results["running"] is False, "the clock stops when the journal cannot keep up"
    replayed = export(tmp_path / "after.cybrelia")
    assert replayed.splitlines()[: before.count("\n") - 1] == before.splitlines()[:-1], (
        "everything recorded before the disk filled is still there"
    )


@PLAYED
def test_a_read_only_disk_is_said_and_still_readable(
    played: tuple[Path, str], tmp_path: Path
) -> None:
    exercise_files(tmp_path)
    shutil.copy(played[0], tmp_path / "played.cybrelia")
    results = _on_small_disk(tmp_path, "read-only", size="2m")
    run = _result(results, "run")
    assert run["code"] == 1
    assert "Traceback" not in str(run["err"])
    assert "Read-only file system" in str(run["err"])
    exported = _result(results, "export")
    assert exported["code"] == 0, exported["err"]
    assert (tmp_path / "ro.jsonl").read_text(encoding="utf-8") == played[1]
    assert list(digest(tmp_path / "after.cybrelia").values()) == list(digest(played[0]).values())
