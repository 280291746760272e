"""The scenario picker shown when ``cybrelia play`` gets neither a scenario nor a session.

Each scenario is listed with its model, its length and its teams, so the
facilitator picks the right one without opening files; the sessions played
recently (the newest files of the per-user sessions folder) are offered to be
resumed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import ClassVar

import yaml
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from cybrelia.files.durations import parse_duration
from cybrelia.i18n import Texts
from cybrelia.tui.labels import duration_text

__all__ = ["PickerScreen", "ScenarioSummary", "recent_sessions", "scenario_summary"]

#: How many recent sessions the picker offers.
RECENT = 5


@dataclass(frozen=True)
class ScenarioSummary:
    """What the picker says about a scenario file without loading its model."""

    model: str
    hours: float
    teams: tuple[str, ...]


def scenario_summary(path: Path) -> ScenarioSummary | None:
    """The model file, the length and the team ids of a scenario (None if unreadable)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        hours = parse_duration(data.get("duration", "72h")) if isinstance(data, dict) else 0.0
    except (OSError, yaml.YAMLError, ValueError, TypeError):
        return None
    if not isinstance(data, dict):
        return None
    teams = data.get("teams") or []
    ids = tuple(str(t.get("id")) for t in teams if isinstance(t, dict) and t.get("id"))
    return ScenarioSummary(Path(str(data.get("infrastructure", "?"))).stem, hours, ids)


def recent_sessions(folder: Path, limit: int = RECENT) -> list[Path]:
    """The newest session files of a folder, newest first."""
    try:
        found = [p for p in folder.glob("*.cybrelia") if p.is_file()]
        return sorted(found, key=lambda p: (-p.stat().st_mtime, p.name))[:limit]
    except OSError:
        return []


class PickerScreen(Screen[None]):
    """The bundled scenarios, to start a new session of one, and the recent sessions."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("q,escape", "leave", show=False)]

    class Chosen(Message):
        """The facilitator chose a scenario file."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    class Resume(Message):
        """The facilitator chose a recent session to resume."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    def __init__(
        self,
        texts: Texts,
        scenarios: list[tuple[Path, str]],
        *,
        missing_session: Path | None = None,
        recent: list[Path] | None = None,
    ) -> None:
        super().__init__()
        self.texts = texts
        self.scenarios = scenarios
        self.missing_session = missing_session
        self.recent = recent or []

    def _scenario_option(self, index: int, path: Path, title: str) -> Option:
        texts = self.texts
        line = Text.assemble((title, "bold"), "  ", (path.name, "dim"))
        summary = scenario_summary(path)
        if summary is not None:
            line.append("\n   ")
            line.append(
                texts(
                    "picker.summary",
                    model=summary.model,
                    duration=duration_text(summary.hours, texts),
                    teams=texts.plural("picker.teams", len(summary.teams)),
                ),
                style="dim",
            )
            if summary.teams:
                line.append(": " + ", ".join(t.upper() for t in summary.teams), style="dim")
        return Option(line, id=f"new:{index}")

    def compose(self) -> ComposeResult:
        texts = self.texts
        with Vertical(id="picker", classes="dialog"):
            yield Label(texts("picker.title"), classes="form-title")
            if self.missing_session is not None:
                yield Static(
                    texts("picker.no_session", path=str(self.missing_session)),
                    id="picker-missing",
                    markup=False,
                )
            options: list[Option] = [
                self._scenario_option(i, path, title)
                for i, (path, title) in enumerate(self.scenarios)
            ]
            for i, path in enumerate(self.recent):
                try:
                    stamp = datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
                except OSError:
                    continue
                line = Text.assemble(
                    (texts("picker.resume") + " ", "cyan"), (path.name, "bold"), f"  {stamp}"
                )
                options.append(Option(line, id=f"resume:{i}"))
            if options:
                yield OptionList(*options, id="scenario-list")
            else:
                yield Static(texts("picker.none"), markup=False)
            yield Static("", id="picker-error", markup=False)
            yield Static(texts("picker.hint"), classes="hint")

    @on(OptionList.OptionSelected, "#scenario-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        kind, _, number = (event.option.id or "new:0").partition(":")
        if kind == "resume":
            self.post_message(self.Resume(self.recent[int(number)]))
        else:
            self.post_message(self.Chosen(self.scenarios[int(number)][0]))

    def action_leave(self) -> None:
        """Leave without starting a session."""
        self.app.exit(0)

    def show_error(self, message: str) -> None:
        """Say why the chosen scenario could not be opened."""
        error = self.query_one("#picker-error", Static)
        error.update(message)
        error.set_class(bool(message), "-shown")
