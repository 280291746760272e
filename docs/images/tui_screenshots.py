"""Take the console's screenshots for docs/tui.md: Textual's own SVG, on Mokry śnieg.

Run from the repository's root, after a change of the console's screens::

    .venv/bin/python docs/images/tui_screenshots.py

Each screenshot drives the real console (the clock timer off, so the same state
every time) on a new session of ``scenarios/mokry-snieg.yaml``, created as
``cybrelia play`` creates one (paused, at the console's start speed), and writes
``docs/images/tui-<screen>-<lang>-<size>.svg``.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from cybrelia.exercise.types import ActionRequest  # noqa: E402
from cybrelia.i18n import Texts  # noqa: E402
from cybrelia.tui.app import CybreliaApp, bundled_scenarios, new_session  # noqa: E402

SCENARIO = ROOT / "scenarios" / "mokry-snieg.yaml"
IMAGES = ROOT / "docs" / "images"

Steps = Callable[[Pilot[Any]], Awaitable[None]]


def morning(app: CybreliaApp) -> None:
    """D+0 11:00: the storm has broken (six injects delivered) and three teams act."""
    session = app.session
    assert session is not None
    session.advance_to(5.0)
    session.submit(ActionRequest("zgk", "deploy_generator", "suw-lesna-gora", {}, ""))
    session.submit(ActionRequest("gzzk", "public_alert", "all", {"channel": "sirens"}, ""))
    session.submit(ActionRequest("gzzk", "request_support", "generator", {"count": 2}, ""))
    app.frame(0)


def cursor(pilot: Pilot[Any], table_id: str, key: str) -> None:
    table = pilot.app.screen.query_one(f"#{table_id}", DataTable)
    table.move_cursor(row=table.get_row_index(key))


async def main_screen(pilot: Pilot[Any]) -> None:
    morning(pilot.app)  # type: ignore[arg-type]


async def injects(pilot: Pilot[Any]) -> None:
    morning(pilot.app)  # type: ignore[arg-type]
    await pilot.press("2")
    cursor(pilot, "inject-table", "I-03")


async def presentation(pilot: Pilot[Any]) -> None:
    morning(pilot.app)  # type: ignore[arg-type]
    await pilot.press("p")


async def presentation_expected(pilot: Pilot[Any]) -> None:
    """The presentation with what the teams are expected to do shown (``e``)."""
    await presentation(pilot)
    await pilot.press("e")


async def team(pilot: Pilot[Any]) -> None:
    morning(pilot.app)  # type: ignore[arg-type]
    await pilot.press("4")
    cursor(pilot, "team-table", "gzzk")
    await pilot.press("t")


async def skip(pilot: Pilot[Any]) -> None:
    morning(pilot.app)  # type: ignore[arg-type]
    await pilot.press("2")
    cursor(pilot, "inject-table", "I-05")
    await pilot.press("s")


async def undeliver(pilot: Pilot[Any]) -> None:
    await pilot.press("n", "y", "2")  # M-01 delivered; the facilitator meant another one
    cursor(pilot, "inject-table", "M-01")
    await pilot.press("u")


async def action(pilot: Pilot[Any]) -> None:
    """The action form with an area suggested by its name."""
    morning(pilot.app)  # type: ignore[arg-type]
    await pilot.press("a")
    screen = pilot.app.screen
    screen.query_one("#team", Select).value = "gzzk"
    screen.query_one("#action", Select).value = "public_alert"
    await pilot.pause()
    target = screen.query_one("#target", Input)
    target.focus()
    await pilot.press(*"Dęb")


async def figures(pilot: Pilot[Any]) -> None:
    """D+2 20:00: power is back, a rumour is believed, people are in need."""
    session = pilot.app.session  # type: ignore[attr-defined]
    session.advance_to(62.0)
    pilot.app.frame(0)  # type: ignore[attr-defined]
    await pilot.press("3")


async def ended(pilot: Pilot[Any]) -> None:
    session = pilot.app.session  # type: ignore[attr-defined]
    session.advance_to(session.end - 0.01)
    session.resume()
    pilot.app.frame(60.0)  # type: ignore[attr-defined]


SHOTS: list[tuple[str, str, tuple[int, int], Steps]] = [
    ("main", "pl", (120, 36), main_screen),
    ("main", "en", (80, 24), main_screen),
    ("injects", "en", (120, 36), injects),
    ("presentation", "pl", (120, 36), presentation),
    ("presentation-expected", "en", (120, 36), presentation_expected),
    ("team", "en", (120, 36), team),
    ("skip", "pl", (80, 24), skip),
    ("undeliver", "pl", (80, 24), undeliver),
    ("action", "pl", (120, 36), action),
    ("figures", "en", (80, 24), figures),
    ("ended", "pl", (80, 24), ended),
]


async def shoot(name: str, lang: str, size: tuple[int, int], steps: Steps) -> Path:
    session = new_session(SCENARIO, Path(f"{name}-{lang}.cybrelia"))
    try:
        return await save(CybreliaApp(session, Texts(lang), clock=False), name, lang, size, steps)
    finally:
        session.close()


async def picker(lang: str, size: tuple[int, int]) -> Path:
    """The scenario picker of ``cybrelia play`` with neither a scenario nor a session,
    with one session played before (written here, in the temporary folder)."""
    played = Path("mokry-snieg-rano.cybrelia")
    new_session(SCENARIO, played).close()
    written = datetime(2026, 12, 1, 9, 30).timestamp()  # the same picture on every run
    os.utime(played, (written, written))
    app = CybreliaApp(
        None, Texts(lang), scenarios=bundled_scenarios(), clock=False, recent=[played]
    )
    return await save(app, "picker", lang, size, lambda pilot: pilot.pause())


async def save(app: CybreliaApp, name: str, lang: str, size: tuple[int, int], steps: Steps) -> Path:
    """Drive ``app`` through ``steps`` and write its screen as ``tui-NAME-LANG-WxH.svg``."""
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await steps(pilot)
        for _ in range(4):  # forms compose, the footer fits its keys
            await pilot.pause(0.1)
        target = IMAGES / f"tui-{name}-{lang}-{size[0]}x{size[1]}.svg"
        app.save_screenshot(target.name, str(IMAGES))
    return target


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)  # the sessions (named in the end dialog) live and die here
        for shot in SHOTS:
            print(asyncio.run(shoot(*shot)).relative_to(ROOT))
        print(asyncio.run(picker("pl", (100, 30))).relative_to(ROOT))


if __name__ == "__main__":
    main()
