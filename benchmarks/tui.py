"""``python -m benchmarks.tui``: does the facilitator console keep up at the highest speed?

A generated region of about 2,000 assets (``write_region(20, seed=1)``) is opened in the
console, headless (Textual's ``run_test``), with its real clock timer; the clock runs at the
highest speed of the console and the benchmark counts the frames (timer ticks that moved the
session's clock and completed a redraw) over a few seconds of wall time.  Target: at least
10 frames per second.  It also prints where the time of the slowest frames went: the
session's ``tick`` (the simulation) or the console's redraw.  Then, with the clock paused,
it measures the processor time the idle console takes (``time.process_time`` over a few
wall seconds): a paused console waiting for the facilitator must use almost none (target: at
most 5 % of one core).

Exit status: 0 if both targets are met, 1 if not.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

from cybrelia.exercise.session import Session
from cybrelia.files.generate import write_region
from cybrelia.i18n import Texts
from cybrelia.tui.app import FRAME_SECONDS, CybreliaApp
from cybrelia.tui.screens import SPEEDS

__all__ = ["main", "measure"]

TARGET_FPS = 10.0
#: Share of one core a paused console may use while it waits.
TARGET_IDLE_CPU = 0.05


class MeasuredApp(CybreliaApp):
    """The console, timing each frame and the redraw inside it."""

    def __init__(self, session: Session) -> None:
        super().__init__(session, Texts("en"))
        self.frame_log: list[tuple[float, float, float]] = []
        """(sim time after the frame, frame seconds, redraw seconds)."""
        self._redraw_seconds = 0.0

    def redraw(self) -> None:
        start = time.perf_counter()
        super().redraw()
        self._redraw_seconds = time.perf_counter() - start

    def frame(self, elapsed: float) -> None:
        start = time.perf_counter()
        self._redraw_seconds = 0.0
        super().frame(elapsed)
        assert self.session is not None
        self.frame_log.append((self.session.now, time.perf_counter() - start, self._redraw_seconds))


async def _run(
    session: Session, seconds: float
) -> tuple[MeasuredApp, float, int, float, float, float]:
    app = MeasuredApp(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        session.set_speed(SPEEDS[-1])
        await pilot.press("space")
        frames_before, sim_before = app.frames, session.now
        start = time.perf_counter()
        while time.perf_counter() - start < seconds and session.now < session.end:
            await asyncio.sleep(0.05)
        wall = time.perf_counter() - start
        frames = app.frames - frames_before
        sim = session.now - sim_before
        await pilot.press("space")
        await pilot.pause()
        cpu, idle_start = time.process_time(), time.perf_counter()
        await asyncio.sleep(seconds)
        idle_cpu = (time.process_time() - cpu) / (time.perf_counter() - idle_start)
    return app, wall, frames, sim, sim_before, idle_cpu


def measure(gminas: int = 20, seconds: float = 4.0, seed: int = 1) -> dict[str, float]:
    """Run the console on a generated region and return its figures."""
    with tempfile.TemporaryDirectory(prefix="cybrelia-tui-bench-") as folder:
        model_path, scenario_path = write_region(gminas, seed=seed, out=Path(folder) / "r.json")
        session = Session.create(scenario_path, Path(folder) / "bench.cybrelia")
        assets = len(session.exercise.model.assets)
        try:
            app, wall, frames, sim, _, idle_cpu = asyncio.run(_run(session, seconds))
        finally:
            session.close()
        del model_path
    log = app.frame_log
    slowest = max(log, key=lambda entry: entry[1]) if log else (0.0, 0.0, 0.0)
    redraws = sorted(entry[2] for entry in log) or [0.0]
    frame_total = sum(entry[1] for entry in log)
    redraw_total = sum(entry[2] for entry in log)
    return {
        "tick_seconds": frame_total - redraw_total,
        "redraw_seconds": redraw_total,
        "assets": assets,
        "wall_seconds": wall,
        "frames": frames,
        "fps": frames / wall if wall > 0 else 0.0,
        "sim_hours": sim,
        "speed": SPEEDS[-1],
        "slowest_frame_seconds": slowest[1],
        "slowest_frame_redraw_seconds": slowest[2],
        "slowest_frame_sim_time": slowest[0],
        "median_redraw_ms": 1000 * redraws[len(redraws) // 2],
        "max_redraw_ms": 1000 * redraws[-1],
        "idle_cpu_share": idle_cpu,
    }


def main(argv: list[str] | None = None) -> int:
    """Measure and print the figures and PASS or FAIL."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tui", description=__doc__)
    parser.add_argument("--gminas", type=int, default=20, help="region size (20: ~2,000 assets)")
    parser.add_argument("--seconds", type=float, default=4.0, help="wall seconds measured")
    args = parser.parse_args(argv)
    figures = measure(args.gminas, args.seconds)
    fps = figures["fps"]
    print(
        f"console on {figures['assets']:.0f} assets at {figures['speed']:g} sim min/s "
        f"(timer every {FRAME_SECONDS * 1000:.0f} ms): {figures['frames']:.0f} frames in "
        f"{figures['wall_seconds']:.2f} s = {fps:.1f} frames/s, "
        f"{figures['sim_hours']:.1f} sim h covered"
    )
    print(
        f"  redraw: median {figures['median_redraw_ms']:.1f} ms, "
        f"max {figures['max_redraw_ms']:.1f} ms; slowest frame "
        f"{figures['slowest_frame_seconds'] * 1000:.0f} ms at t = "
        f"{figures['slowest_frame_sim_time']:.2f} h, of which redraw "
        f"{figures['slowest_frame_redraw_seconds'] * 1000:.0f} ms and the session's tick "
        f"{(figures['slowest_frame_seconds'] - figures['slowest_frame_redraw_seconds']) * 1000:.0f}"
        " ms"
    )
    print(
        f"  of the wall time: the session's tick {figures['tick_seconds']:.2f} s, the console's "
        f"redraws {figures['redraw_seconds']:.2f} s, the rest Textual's painting and waiting"
    )
    idle = figures["idle_cpu_share"]
    print(f"  paused: the idle console used {100 * idle:.1f} % of one core")
    fast = fps >= TARGET_FPS
    quiet = idle <= TARGET_IDLE_CPU
    print(f"{'PASS' if fast else 'FAIL'}: {fps:.1f} frames/s (target >= {TARGET_FPS:g})")
    print(
        f"{'PASS' if quiet else 'FAIL'}: {100 * idle:.1f} % of a core while paused "
        f"(target <= {100 * TARGET_IDLE_CPU:g} %)"
    )
    return 0 if fast and quiet else 1


if __name__ == "__main__":
    sys.exit(main())
