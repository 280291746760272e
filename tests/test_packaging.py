"""The wheel as a new user gets it: built, installed alone in a fresh virtual environment.

From an empty folder, with no checkout in sight, the installed command must find the
bundled library inside the package (``importlib.resources``) and take a scenario by id.

To keep the suite fast the fresh environment borrows the dependencies from the test
environment (a ``.pth`` line naming its site-packages, whose own ``.pth`` files, the
editable checkout among them, are not processed) instead of installing them again;
``pip check`` proves that the wheel's declared dependencies are what it finds.  The
install of the wheel with its dependencies from the index, as a user runs it, is
``make wheel-check``, which CI runs after the suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_wheel_in_a_fresh_environment_lists_and_simulates_the_bundled_library(
    tmp_path: Path,
) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("cybrelia-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / "bin"
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    (site_packages,) = env_dir.glob("lib/python*/site-packages")
    borrowed = [p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]
    (site_packages / "borrowed-dependencies.pth").write_text("\n".join(borrowed) + "\n")
    checked = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "check"], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    empty = tmp_path / "empty"
    empty.mkdir()

    def cybrelia(*args: str) -> str:
        done = subprocess.run(
            [str(bin_dir / "cybrelia"), *args],
            cwd=empty,
            capture_output=True,
            text=True,
            env={"PATH": str(bin_dir), "COLUMNS": "200"},
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    listing = cybrelia("scenarios")
    bundled = sorted(
        p.stem for p in (ROOT / "scenarios").glob("*.yaml") if ".responses" not in p.name
    )
    assert all(scenario_id in listing for scenario_id in bundled)
    lines = cybrelia("simulate", "mokry-snieg", "--until", "2h", "--jsonl", "-").splitlines()
    records = [json.loads(line) for line in lines]
    assert records and all(record["t"] <= 2 for record in records)
    assert any(record["kind"] == "asset" and record["state"] == "down" for record in records)
    located = subprocess.run(
        [str(bin_dir / "python"), "-c", "import cybrelia; print(cybrelia.__file__)"],
        cwd=empty,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(located.stdout.strip()).is_relative_to(env_dir)
    assert list(empty.iterdir()) == []
