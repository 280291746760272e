"""A readable timeline of a run for a terminal: what changed, and who is without what.

``cybrelia simulate`` prints it when no JSON Lines output is asked for.  It is
written for a facilitator preparing an exercise: asset names rather than ids,
clock times from the scenario's start, buffers counting down.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.console import Console
from rich.table import Table
from rich.text import Text

from cybrelia.engine.cascade import Engine, Step
from cybrelia.files.durations import format_duration
from cybrelia.files.model import InfrastructureModel
from cybrelia.files.scenario import Scenario

__all__ = ["TimelinePrinter", "clock_label"]

_STYLE = {"up": "green", "backup": "yellow", "down": "bold red"}
_MARK = {"up": "✔", "backup": "◐", "down": "✖"}


def clock_label(start: datetime | None, t: float) -> str:
    """``D+1 14:30`` from the scenario's start, or ``t+38h30m`` without one."""
    if start is None:
        return f"t+{format_duration(t)}"
    moment = start + timedelta(hours=t)
    day = (moment.date() - start.date()).days
    return f"D+{day} {moment:%H:%M}"


class TimelinePrinter:
    """Prints each settled instant of a run as it happens.

    Parameters
    ----------
    scenario
        Gives the start time and the injects to name at their instants.
    model
        Gives the assets' names.
    console
        Where to print.
    """

    def __init__(self, scenario: Scenario, model: InfrastructureModel, console: Console) -> None:
        self.scenario = scenario
        self._names = {asset.id: asset.label for asset in model.assets}
        self.console = console
        self._injects: dict[float, list[str]] = {}
        for inject in scenario.injects:
            if inject.at is not None:
                self._injects.setdefault(inject.at, []).append(inject.id)
        self._totals: dict[str, int] = {}

    def __call__(self, engine: Engine, step: Step) -> None:
        """Print one instant: injects due, asset changes, people without service."""
        names = self._names
        header = Text(f"{clock_label(self.scenario.start, step.t)}", style="bold cyan")
        header.append(f"  t = {step.t:g} h", style="dim")
        for inject_id in self._injects.get(step.t, []):
            header.append(f"  ▶ {inject_id}", style="bold magenta")
        self.console.print(header)
        if step.assets:
            table = Table.grid(padding=(0, 1))
            table.add_column(no_wrap=True)
            table.add_column(no_wrap=True, overflow="ellipsis", max_width=42)
            table.add_column(style="dim", overflow="fold")
            for change in step.assets:
                table.add_row(
                    Text(f"  {_MARK[change.state]} {change.state:<6}", style=_STYLE[change.state]),
                    names[change.asset],
                    self._detail(engine, change.asset, change.state, change.causes),
                )
            self.console.print(table)
        totals: dict[str, int] = {}
        for (_, service), without in engine.service_figures().items():
            totals[service] = totals.get(service, 0) + without
        if step.services and totals != self._totals:
            self._totals = totals
            figures = " · ".join(f"{s} {n:,}" for s, n in sorted(totals.items()) if n)
            self.console.print(Text("  people without: ", style="bold") + Text(figures or "nobody"))

    @staticmethod
    def _detail(engine: Engine, asset_id: str, state: str, causes: tuple[str, ...]) -> str:
        if state == "down":
            return ", ".join(causes)
        if state == "backup":
            running = [
                f"{b.service}: {b.kind}, {format_duration(b.remaining)} left"
                for b in engine.buffers(asset_id)
                if b.mode == "draining"
            ]
            return "; ".join(running)
        return ""
