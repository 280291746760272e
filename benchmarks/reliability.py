"""``python -m benchmarks.reliability``: the slow hostile cases, timed (``make bench``).

The reliability suite (``tests/test_reliability_*.py``) keeps under a minute;
the cases that need big files live here: a valid model of about 50 MB must
validate in seconds, the same model with errors spread through it must name
every one of them, and hostile files of the same order must be refused in well
under a second of work, however far they would expand.  Each case runs
``cybrelia validate`` in a fresh process; the bounds are on wall seconds, and
the CPU seconds of the process are printed beside them, so on a loaded machine
read the CPU figures (``docs/performance.md``).

Exit status: 0 if every case ends as it must within its bound, 1 otherwise.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cybrelia.files.generate import write_region

#: Gminas of the big valid region: about 50 MB of JSON (about 180,000 assets).
BIG_GMINAS = 1800
#: The most wall seconds a case may take (generous: a loaded machine of 2 cores).
BOUNDS = {
    "valid 50 MB model": 30.0,
    "bad 50 MB model": 60.0,
    "alias bomb": 5.0,
    "deep nesting": 5.0,
    "sparse 1 GB": 5.0,
}
#: How many errors the bad model carries, spread evenly through its assets.
BAD_ERRORS = 12


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _validate(path: Path) -> tuple[float, float, int, str]:
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "cybrelia.cli", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    wall = time.perf_counter() - start
    return wall, _children_cpu() - cpu, done.returncode, done.stdout + done.stderr


def _bad(model: Path, folder: Path) -> Path:
    """The big model with :data:`BAD_ERRORS` invalid durations spread through its assets."""
    data = json.loads(model.read_text(encoding="utf-8"))
    assets = data["assets"]
    for index in range(0, len(assets), len(assets) // BAD_ERRORS)[:BAD_ERRORS]:
        assets[index]["repair_hours"] = "soon"
    path = folder / "bad.json"
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


def _bomb(folder: Path) -> Path:
    text = (
        "format: cybrelia.scenario/1\ninfrastructure: x.yaml\na: &a [x, x, x, x, x, x, x, x, x]\n"
    )
    previous = "a"
    for level in range(30):
        text += f"b{level}: &b{level} [{', '.join([f'*{previous}'] * 9)}]\n"
        previous = f"b{level}"
    path = folder / "bomb.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _deep(folder: Path) -> Path:
    path = folder / "deep.yaml"
    path.write_text("format: cybrelia.scenario/1\nx: " + "[" * 900 + "]" * 900 + "\n")
    return path


def _sparse(folder: Path) -> Path:
    path = folder / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(1 << 30)
    return path


def main() -> int:
    """Build each case, time it, and print a table."""
    failures = 0
    with tempfile.TemporaryDirectory(prefix="cybrelia-bench-") as name:
        folder = Path(name)
        model, _ = write_region(BIG_GMINAS, seed=1, out=folder / "region.json")
        size = model.stat().st_size / 1e6
        cases: list[tuple[str, Callable[[], Path], int]] = [
            ("valid 50 MB model", lambda: model, 0),
            ("bad 50 MB model", lambda: _bad(model, folder), 1),
            ("alias bomb", lambda: _bomb(folder), 1),
            ("deep nesting", lambda: _deep(folder), 1),
            ("sparse 1 GB", lambda: _sparse(folder), 1),
        ]
        header = f"{'case':<20} {'seconds':>8} {'CPU s':>7} {'bound':>6}  exit"
        print(f"{header}  (model: {size:.0f} MB)")
        for label, build, expected in cases:
            seconds, cpu, code, output = _validate(build())
            ok = code == expected and seconds <= BOUNDS[label] and "Traceback" not in output
            if label.startswith("bad"):
                ok = ok and output.count("invalid duration 'soon'") == BAD_ERRORS
            failures += not ok
            verdict = "" if ok else "FAIL"
            print(
                f"{label:<20} {seconds:8.2f} {cpu:7.2f} {BOUNDS[label]:6.0f}  {code:>4}  {verdict}"
            )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
