"""Shared pieces of the reliability suite (``tests/test_reliability_*.py``).

The suite runs the real ``cybrelia`` command in real processes on hostile
files it builds at run time, and asserts what a user would see: the exit
code, a located message, never a traceback, never a hang, and files left as
they were.  The small exercise here plays in well under a second.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from cybrelia.cli import main

__all__ = [
    "MODEL",
    "RESPONSES",
    "SCENARIO",
    "Result",
    "command",
    "cybrelia",
    "digest",
    "exercise_files",
    "export",
    "run_session",
]

MODEL = """\
format: cybrelia.infrastructure/1
id: kill-test
districts:
  - {id: wies, population: 800}
resources:
  - {id: crew-power, kind: power_crew, count: 1}
  - {id: gen, kind: generator, count: 1, fuel_hours: 6}
assets:
  - {id: gpz, type: substation, provides: [power], repair_hours: 2}
  - {id: line, type: mv_line, provides: [power], needs: {power: {from: [gpz]}},
     repair_hours: 3, travel_hours: 1}
  - id: suw
    type: water_treatment
    provides: [water]
    critical: true
    needs: {power: {from: [line], buffer: {kind: generator, hours: 2}}}
    serves: {wies: 1.0}
  - id: bts
    type: bts
    provides: [telecom]
    needs: {power: {from: [line], buffer: {kind: battery, hours: 3}}}
    serves: {wies: 1.0}
"""

SCENARIO = """\
format: cybrelia.scenario/1
id: kill-test
title: Kill test
infrastructure: model.yaml
duration: 12h
seed: 3
teams:
  - {id: zgk, name: {pl: ZGK, en: Water utility}, role: water, sectors: [water]}
  - {id: gzzk, name: {pl: GZZK, en: Crisis team}, role: crisis}
injects:
  - id: I-01
    at: 1h
    title: {pl: Awaria linii, en: Line down}
    message: {pl: Linia SN zerwana., en: The MV line is down.}
    to: [gzzk, zgk]
    channel: phone
    effects: [{damage: [line]}]
    expect:
      - {action: repair, target: line, team: zgk, within: 2h, points: 10, pillar: 7,
         capability: Infrastructure restoration}
      - {action: deploy_generator, target: suw, team: zgk, within: 3h, points: 10, pillar: 1,
         capability: Continuity of water supply}
  - id: I-02
    at: 6h
    effects: [{damage: [gpz]}]
"""

RESPONSES = """\
format: cybrelia.responses/1
entries:
  - {at: 1h30m, action: {team: zgk, action: repair, target: line}}
  - {at: 2h, note: {text: GZZK zwołany / crisis team convened}}
  - {at: 3h30m, action: {team: zgk, action: deploy_generator, target: suw}}
  - {at: 4h, rate: {inject: I-01, team: zgk, rating: S, note: szybka reakcja}}
  - {at: 6h30m, action: {team: zgk, action: repair, target: gpz}}
  - {at: 7h, action: {team: gzzk, action: public_alert, target: all}}
  - {at: 9h, action: {team: zgk, action: recall_generator, target: suw}}
  - {at: 10h, rate: {inject: I-02, team: zgk, rating: P}}
"""

#: No command may take longer than this (seconds) on bad input: a hang is a failure.
TIMEOUT = 60


@dataclass(frozen=True)
class Result:
    """What a user saw: the exit code and both streams."""

    code: int
    out: str
    err: str


def cybrelia(*args: str | Path, cwd: Path | None = None, timeout: float = TIMEOUT) -> Result:
    """Run the real command in a fresh process; it must end in time, without a traceback."""
    process = subprocess.run(
        [sys.executable, "-m", "cybrelia.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        check=False,
    )
    result = Result(process.returncode, process.stdout, process.stderr)
    assert "Traceback" not in result.err, result.err
    assert "Traceback" not in result.out, result.out
    return result


def command(*args: str | Path) -> Result:
    """Run the command in this process (fast); an uncaught exception fails the test.

    For inputs that could hang or exhaust memory, use :func:`cybrelia`, which
    runs a fresh process with a timeout.
    """
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(arg) for arg in args])
        except SystemExit as exit_:  # argparse's usage errors
            code = int(exit_.code or 0)
    return Result(code, out.getvalue(), err.getvalue())


def exercise_files(folder: Path) -> tuple[Path, Path]:
    """Write the small model, scenario and response script; return scenario and script."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.yaml").write_text(MODEL, encoding="utf-8")
    scenario = folder / "scenario.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    responses = folder / "scenario.responses.yaml"
    responses.write_text(RESPONSES, encoding="utf-8")
    return scenario, responses


def run_session(folder: Path, name: str = "s.cybrelia") -> Path:
    """Play the small exercise to its end into ``folder/name``."""
    scenario, responses = exercise_files(folder)
    session = folder / name
    result = cybrelia("run", scenario, "--responses", responses, "--session", session)
    assert result.code == 0, result.err
    return session


def export(session: Path) -> str:
    """The session's JSON Lines export (it must succeed)."""
    result = cybrelia("export", session, "--jsonl", "-")
    assert result.code == 0, result.err
    return result.out


def digest(*paths: Path) -> dict[str, str]:
    """The SHA-256 of each file that exists, to prove files were left unchanged."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in paths if path.exists()
    }
