"""The console in a real terminal (tmux): no two visible asset rows read the same.

Pilot renders the screens in-process; this test runs ``cybrelia play`` as a
facilitator does, in a tmux window of 120x36 and of 80x24, on the bundled Mokry
śnieg, lets the storm break (three injects), and reads the screen back with
``capture-pane``.  Every visible asset row (its state mark, its name on one or
more lines, its cause or buffer) must read differently from every other.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cybrelia.files import library
from cybrelia.files.model import SECTOR_ORDER
from cybrelia.i18n import text

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

#: State marks that begin an asset's row (see cybrelia.tui.labels.STATE_MARK).
MARKS = ("●", "◐", "✖")


class Terminal:
    """A tmux server of our own, with one window running a command."""

    def __init__(self, socket: str, width: int, height: int, command: list[str]) -> None:
        self.socket = socket
        self._tmux("new-session", "-d", "-s", "play", "-x", str(width), "-y", str(height), *command)

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return done.stdout

    def screen(self, *, alternate: bool = False) -> list[str]:
        """The window's lines as they read now; with ``alternate``, the normal screen that
        a full-screen program (on the alternate screen) covers."""
        flags = ("-p", "-a", "-J") if alternate else ("-p",)  # -J: wrapped lines joined
        return self._tmux("capture-pane", *flags, "-t", "play").splitlines()

    def keys(self, *keys: str) -> None:
        """Type keys, one at a time, as a person would."""
        for key in keys:
            self._tmux("send-keys", "-t", "play", key)
            time.sleep(0.4)

    def wait_for(self, text: str, timeout: float = 60.0) -> list[str]:
        """The screen once it shows ``text``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = self.screen()
            if any(text in line for line in lines):
                return lines
            time.sleep(0.3)
        raise AssertionError(f"{text!r} never appeared:\n" + "\n".join(self.screen()))

    def close(self) -> None:
        """Stop the server (and the console in it, if it is still running)."""
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    opened: list[Terminal] = []

    def start(width: int, height: int) -> Terminal:
        command = [
            "env",
            "LANG=C.UTF-8",
            "TERM=xterm-256color",
            sys.executable,
            "-m",
            "cybrelia.cli",
            "play",
            str(library.resolve("mokry-snieg", "scenario")),
            "--session",
            str(tmp_path / f"play-{width}.cybrelia"),
            "--lang",
            "pl",
        ]
        socket = f"cybrelia-test-{os.getpid()}-{width}"
        opened.append(Terminal(socket, width, height, command))
        return opened[-1]

    yield start  # type: ignore[misc]
    for term in opened:
        term.close()


def asset_rows(lines: list[str], right: int) -> list[str]:
    """The asset rows of the infrastructure panel: a mark line and its continuation lines.

    A row ends at the next mark, at a sector's header (its name in capitals) or at
    the panel's bottom border.
    """
    headers = tuple(text(f"sector.{sector}", "pl").upper() for sector in SECTOR_ORDER)
    rows: list[list[str]] = []
    current: list[str] | None = None
    for line in lines:
        inner = line[1:right].rstrip(" │▁▂▃▄▅▆▇█")  # inside the border, without the scrollbar
        body = inner.strip()
        if line.startswith("╰") or body.startswith(headers):
            current = None
        elif inner[:3].strip() in MARKS:
            current = [body]
            rows.append(current)
        elif current is not None and inner.startswith("    ") and body:
            current.append(body)  # the name (or its detail) going on
    return [" ".join(parts) for parts in rows]


@pytest.mark.parametrize(("width", "height", "right"), [(120, 36, 65), (80, 24, 79)])
def test_no_two_visible_asset_rows_read_the_same(
    terminal: object, width: int, height: int, right: int
) -> None:
    term = terminal(width, height)  # type: ignore[operator]
    assert isinstance(term, Terminal)
    term.wait_for("Mokry śnieg")
    for _ in range(3):  # the storm: M-01, I-01, I-02
        term.keys("n")
        term.wait_for("Tak (t/y)")
        term.keys("y")
    time.sleep(1.0)
    lines = term.screen()
    rows = asset_rows(lines[2:], right)
    assert len(rows) >= 4, "\n".join(lines)
    assert len(rows) == len(set(rows)), "\n".join(lines)
    term.keys("q", "y")


def test_a_missing_session_is_named_before_the_picker_opens(tmp_path: Path) -> None:
    # `cybrelia play --session PATH` with no file at PATH says so on stderr before the
    # picker takes the screen: while the picker is shown (on the terminal's alternate
    # screen) the line is already on the normal screen beneath it.  The picker offers to
    # write a new session there; leaving it writes nothing and exits with 0.
    missing = tmp_path / "typo.cybrelia"
    play = f"{sys.executable} -m cybrelia.cli play --session {missing} --lang en; echo exit=$?"
    command = ["env", "LANG=C.UTF-8", "TERM=xterm-256color", f"XDG_DATA_HOME={tmp_path}"]
    term = Terminal(
        f"cybrelia-test-{os.getpid()}-missing", 100, 30, [*command, "sh", "-c", f"{play}; sleep 60"]
    )
    said = f"There is no session at {missing}"
    try:
        shown = term.wait_for("Choose a scenario for a new session")
        assert any("There is no session at" in line for line in shown)  # and in the picker
        beneath = term.screen(alternate=True)
        assert said in beneath[0] and not any("exit=" in line for line in beneath)
        term.keys("q")
        after = term.wait_for("exit=")
        assert "exit=0" in after and "Traceback" not in "\n".join(after)
        assert not missing.exists() and not list(tmp_path.rglob("*.cybrelia"))
    finally:
        term.close()
