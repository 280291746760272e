"""``python -m benchmarks.web``: does the facilitator console keep up with thirty phones?

The bundled winter-blackout scenario runs in the real facilitator console (Textual's
``run_test``, headless, with its clock timer at the highest speed) while the same
process serves the participant consoles on 127.0.0.1.  A second process opens
``--clients`` live streams (two thirds the team pages' HTML stream, one third the JSON
API's SSE), spread over the five teams, and reads them for ``--seconds``; meanwhile the
benchmark counts the console's frames.  It measures the same run without clients first,
so the figure that matters is read beside its own baseline on the same (possibly busy)
machine.  Target: at least 10 frames per second with the clients.

Loopback only, bounded in time: every client stops by itself after ``--seconds``.
Exit status: 0 if the target is met, 1 if not, 2 if the machine is too busy to tell (the
console alone is below the target, and the clients cost it less than a tenth).
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import io
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from cybrelia.exercise.participants import Participants
from cybrelia.exercise.session import Session
from cybrelia.i18n import Texts
from cybrelia.tui.app import CybreliaApp
from cybrelia.tui.screens import SPEEDS
from cybrelia.web.app import COOKIE
from cybrelia.web.server import serving

__all__ = ["main", "measure"]

TARGET_FPS = 10.0
SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "mokry-snieg.yaml"


async def _frames(app: CybreliaApp, session: Session, seconds: float) -> tuple[int, float, float]:
    """Frames, wall seconds and sim hours while the clock runs at the highest speed."""
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        session.set_speed(SPEEDS[-1])
        await pilot.press("space")
        frames, sim = app.frames, session.now
        start = time.perf_counter()
        while time.perf_counter() - start < seconds and session.now < session.end:
            await asyncio.sleep(0.05)
        wall = time.perf_counter() - start
        result = app.frames - frames, wall, session.now - sim
        if session.running:
            await pilot.press("space")
        if app._timer is not None:  # a tick while Textual tears the screen down finds no widgets
            app._timer.stop()
    return result


def _run(clients: int, seconds: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="cybrelia-web-bench-") as folder:
        session = Session.create(SCENARIO, Path(folder) / "bench.cybrelia")
        participants = Participants.of(session)
        try:
            with serving(participants, port=0, out=io.StringIO()) as served:
                tokens = {t: participants.roster.token(t) for t in participants.roster.teams}
                readers = None
                if clients:
                    spec = json.dumps({"url": served.url, "tokens": tokens, "clients": clients,
                                       "seconds": seconds + 2})  # fmt: skip
                    readers = subprocess.Popen(
                        [sys.executable, "-m", "benchmarks.web", "--read", spec],
                        stdout=subprocess.PIPE,
                        text=True,
                    )
                    time.sleep(1.0)  # let them connect
                app = CybreliaApp(session, Texts("en"), participants=participants)
                frames, wall, sim = asyncio.run(_frames(app, session, seconds))
                received: dict[str, Any] = {}
                if readers is not None:
                    out, _ = readers.communicate(timeout=seconds + 30)
                    received = json.loads(out)
        finally:
            session.close()
    return {"frames": frames, "wall": wall, "fps": frames / wall, "sim_hours": sim, **received}


def _read(spec: dict[str, Any]) -> dict[str, Any]:
    """The clients' side: open the streams, read until the deadline, count what came."""
    host_port = spec["url"].removeprefix("http://")
    host, port = host_port.rsplit(":", 1)
    deadline = time.monotonic() + float(spec["seconds"])
    teams = sorted(spec["tokens"])
    counts = [0] * int(spec["clients"])
    connected = [False] * len(counts)

    def client(index: int) -> None:
        team = teams[index % len(teams)]
        token = spec["tokens"][team]
        html = index % 3 != 2
        path = f"/team/{team}/stream" if html else "/api/events"
        headers = {"Cookie": f"{COOKIE}={token}"} if html else {"Authorization": f"Bearer {token}"}
        connection = http.client.HTTPConnection(host, int(port), timeout=2)
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            connected[index] = response.status == 200
            while time.monotonic() < deadline:
                try:
                    line = response.readline()
                except TimeoutError:
                    continue
                if not line:
                    return
                if line.startswith(b"event:"):
                    counts[index] += 1
        except OSError:
            return
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(len(counts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=float(spec["seconds"]) + 5)
    return {"connected": sum(connected), "events": sum(counts)}


def measure(clients: int = 30, seconds: float = 6.0) -> dict[str, dict[str, Any]]:
    """The console's frames per second without clients, then with ``clients`` streams."""
    return {"alone": _run(0, seconds), "served": _run(clients, seconds)}


def main(argv: list[str] | None = None) -> int:
    """Measure and print the figures and PASS or FAIL."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.web", description=__doc__)
    parser.add_argument("--clients", type=int, default=30, help="live streams (default 30)")
    parser.add_argument("--seconds", type=float, default=6.0, help="wall seconds measured")
    parser.add_argument("--read", metavar="JSON", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.read:
        print(json.dumps(_read(json.loads(args.read))))
        return 0
    figures = measure(args.clients, args.seconds)
    alone, served = figures["alone"], figures["served"]
    print(
        f"facilitator console alone: {alone['fps']:.1f} frames/s "
        f"({alone['sim_hours']:.1f} sim h in {alone['wall']:.1f} s)"
    )
    print(
        f"with {served.get('connected', 0)}/{args.clients} live streams: {served['fps']:.1f} "
        f"frames/s ({served['sim_hours']:.1f} sim h), {served.get('events', 0)} events "
        f"delivered; ratio {served['fps'] / alone['fps']:.2f}"
    )
    connected = served.get("connected", 0) == args.clients
    if served["fps"] >= TARGET_FPS and connected:
        print(f"PASS: {served['fps']:.1f} frames/s with {args.clients} clients (target >= 10)")
        return 0
    if alone["fps"] < TARGET_FPS and connected and served["fps"] >= 0.9 * alone["fps"]:
        print(
            f"INCONCLUSIVE: the console alone makes {alone['fps']:.1f} frames/s on this machine "
            f"now (busy); the clients cost {100 * (1 - served['fps'] / alone['fps']):.0f} %"
        )
        return 2
    print(f"FAIL: {served['fps']:.1f} frames/s with {args.clients} clients (target >= 10)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
