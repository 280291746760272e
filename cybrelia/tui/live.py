"""What the console derives from a session: indexes over the model, the feed, the figures.

A :class:`Digest` is built once per session; it holds what does not change (the
sectors' order, who depends on whom) and turns the exercise's events into
feed lines and figure series.  Screens read ``exercise.history`` from a cursor
of their own, so a redraw only looks at what happened since the last one.
No Textual here.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rich.text import Text

from cybrelia.exercise.core import FIGURES, Exercise, figure_values
from cybrelia.exercise.events import (
    ActionEvent,
    ExerciseEvent,
    InjectEvent,
    MessageEvent,
    MetricsEvent,
    NoteEvent,
    RatingEvent,
    ScoreEvent,
    StateEvent,
)
from cybrelia.files.capabilities import capability_name
from cybrelia.files.model import Asset
from cybrelia.i18n import Texts
from cybrelia.tui.labels import (
    ACTION_STYLE,
    SECTOR_ORDER,
    STATE_MARK,
    STATE_STYLE,
    action_what,
    causes_text,
    clock_text,
    consequence_text,
    event_status,
    points_text,
    state_text,
)

__all__ = ["Digest", "FigureSeries", "Neighbour"]

#: At most this many state changes of one instant are written to the feed; the rest are counted.
FEED_STATE_LINES = 6
#: Consequence messages of thresholds: those of one instant are grouped into one feed line.
GROUPED_TOPICS = frozenset({"people_in_need", "claim_spreading"})


def _group_key(message: MessageEvent) -> tuple[float, str, str, tuple[str, ...]]:
    """Messages with the same key make one line: one instant, topic, recipients (and claim)."""
    subject = message.subject if message.topic == "claim_spreading" else ""
    return (message.t, message.topic, subject, message.to)


@dataclass(frozen=True)
class Neighbour:
    """An asset upstream or downstream of another, through a service."""

    asset: str
    service: str


@dataclass
class FigureSeries:
    """Each figure by sim hour (the largest value seen in the hour), for the sparklines."""

    values: dict[str, list[int]] = field(default_factory=lambda: {name: [] for name in FIGURES})
    current: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))
    last: MetricsEvent | None = None
    """The latest metrics event, for the figures that explain the others."""

    def add(self, metrics: MetricsEvent) -> None:
        """Take in a metrics event (they arrive in time order)."""
        self.last = metrics
        hour = max(0, math.floor(metrics.t + 1e-9))
        for name, value in figure_values(metrics).items():
            series = self.values[name]
            while len(series) < hour:
                series.append(self.current[name])
            if len(series) == hour:
                series.append(value)
            else:
                series[hour] = max(series[hour], value)
            self.current[name] = value

    def data(self, name: str, now: float) -> list[float]:
        """The series up to ``now`` (at least two points, so a sparkline has a line)."""
        hour = max(0, math.floor(now + 1e-9))
        series = [float(v) for v in self.values[name][: hour + 1]]
        while len(series) <= hour:
            series.append(float(self.current[name]))
        if len(series) < 2:
            series.insert(0, 0.0)
        return series


class Digest:
    """Indexes over a session's model, and the feed lines of its events.

    Parameters
    ----------
    exercise
        The session's exercise (``session.exercise``).
    """

    def __init__(self, exercise: Exercise) -> None:
        self.exercise = exercise
        self.assets: dict[str, Asset] = exercise.assets
        known = {sector: rank for rank, sector in enumerate(SECTOR_ORDER)}
        sectors = {asset.sector or "other" for asset in exercise.model.assets}
        ordered = sorted(sectors, key=lambda s: (known.get(s, len(known)), s == "other", s))
        self.sectors: tuple[str, ...] = tuple(ordered)
        self.sector_rank = {sector: rank for rank, sector in enumerate(ordered)}
        members: dict[str, list[Asset]] = {sector: [] for sector in ordered}
        for asset in exercise.model.assets:
            members[asset.sector or "other"].append(asset)
        self.members: dict[str, tuple[str, ...]] = {
            sector: tuple(a.id for a in sorted(items, key=lambda a: (a.label.casefold(), a.id)))
            for sector, items in members.items()
        }
        labels = Counter(asset.label for asset in exercise.model.assets)
        #: Names that more than one asset has: their rows show the id too.
        self.shared_labels: frozenset[str] = frozenset(
            label for label, count in labels.items() if count > 1
        )
        #: Sort key of each asset's row: sector, then name.
        self.order: dict[str, tuple[int, int]] = {}
        for sector, ids in self.members.items():
            for index, asset_id in enumerate(ids, 1):
                self.order[asset_id] = (self.sector_rank[sector], index)
        self.upstream: dict[str, tuple[Neighbour, ...]] = {}
        downstream: dict[str, list[Neighbour]] = {}
        for asset in exercise.model.assets:
            ups = []
            for service, need in asset.needs.items():
                for provider in need.from_:
                    ups.append(Neighbour(provider, service))
                    downstream.setdefault(provider, []).append(Neighbour(asset.id, service))
            self.upstream[asset.id] = tuple(ups)
        self.downstream: dict[str, tuple[Neighbour, ...]] = {
            key: tuple(sorted(value, key=lambda n: (n.service, self.assets[n.asset].label)))
            for key, value in downstream.items()
        }

    def sector_of(self, asset_id: str) -> str:
        """The sector an asset is grouped under."""
        return self.assets[asset_id].sector or "other"

    def team_label(self, team_id: str) -> str:
        """A team's short label in panels: its id in capitals."""
        return team_id.upper()

    def teams_text(self, teams: Sequence[str]) -> str:
        """``GZZK, ZGK``."""
        return ", ".join(self.team_label(team) for team in teams)

    # --- the feed ---------------------------------------------------------------------------

    def feed_lines(self, events: Iterable[ExerciseEvent], texts: Texts) -> list[Text]:
        """The feed lines of events: deliveries, state changes that matter, messages, actions.

        Threshold messages of one instant (several people-in-need thresholds
        crossed at once, a claim passing several reach marks) make one line: the
        highest, with how many more came with it.
        """
        lines: list[Text] = []
        group: list[MessageEvent] = []
        for event in events:
            if isinstance(event, MessageEvent) and event.topic in GROUPED_TOPICS:
                if group and _group_key(group[-1]) != _group_key(event):
                    lines.append(self._message_line(group, texts))
                    group = []
                group.append(event)
                continue
            more = self._lines(event, texts)
            if more and group:
                lines.append(self._message_line(group, texts))
                group = []
            lines.extend(more)
        if group:
            lines.append(self._message_line(group, texts))
        return lines

    def _message_line(self, group: Sequence[MessageEvent], texts: Texts) -> Text:
        """The last message of a group, and how many came with it."""
        line = self._lines(group[-1], texts)[0]
        if len(group) > 1:
            line.append(" " + texts.plural("feed.grouped", len(group) - 1), style="dim")
        return line

    def _stamp(self, t: float) -> Text:
        return Text.assemble((f"{clock_text(self.exercise, t)} ", "dim"))

    def _lines(self, event: ExerciseEvent, texts: Texts) -> list[Text]:
        line = self._stamp(event.t)
        if isinstance(event, InjectEvent):
            state = self.exercise.injects.get(event.inject)
            spec_title = state.spec.title if state is not None else None
            title = texts.pick(event.title or spec_title, event.inject)
            if event.status == "delivered":
                line.append(f"▶ {event.inject} ", style="bold magenta")
                line.append(title, style="bold")
                if event.to:
                    line.append(f" → {self.teams_text(event.to)}", style="magenta")
                if event.channel:
                    line.append(f" ({texts(f'channel.{event.channel}')})", style="dim")
            else:
                mark = {"skipped": "✖", "undelivered": "↶"}.get(event.status, "✎")
                line.append(f"{mark} {event.inject} ", style="magenta")
                line.append(texts(f"feed.inject_{event.status}", title=title))
            return [line]
        if isinstance(event, MessageEvent):
            line.append("✉ ", style="yellow")
            if event.to:
                line.append(f"{self.teams_text(event.to)}: ", style="yellow")
            line.append(consequence_text(self.exercise, event, texts))
            return [line]
        if isinstance(event, ActionEvent):
            if event.status in ("submitted", "refused"):
                # Submitted is followed at once by the next step; a refusal is no decision
                # of the team's: the form that sent it keeps it and says why (docs/tui.md).
                return []
            line.append("⚙ ", style=ACTION_STYLE.get(event.status, ""))
            line.append(f"{event.action_id} ", style="dim")
            line.append(f"{self.team_label(event.team)} ", style="bold")
            line.append(action_what(self.exercise, event.action, event.target, texts))
            line.append(": ")
            line.append(event_status(self.exercise, event, texts))
            return [line]
        if isinstance(event, ScoreEvent):
            style = {"met": "green", "late": "yellow", "missed": "red"}.get(event.status, "dim")
            line.append("★ ", style=style)
            line.append(
                texts(
                    f"feed.score_{event.status}",
                    expectation=event.expectation,
                    team=self.team_label(event.team),
                    points=points_text(event.points, texts),
                    max=points_text(event.max_points, texts),
                ),
                style=style,
            )
            return [line]
        if isinstance(event, RatingEvent):
            line.append("⚖ ", style="cyan")
            # Worded as the scores are: who, a colon, what (``I-01 ENERG: rated S``).
            rated = event.inject or capability_name(event.capability, texts.lang)
            subject = f"{rated} {self.team_label(event.team)}" if event.team else rated
            line.append(texts("feed.rating", subject=subject, rating=event.rating))
            if event.note:
                line.append(f" — {event.note}", style="dim")
            return [line]
        if isinstance(event, NoteEvent):
            line.append("✎ ", style="cyan")
            if event.team:
                line.append(f"{self.team_label(event.team)}: ", style="bold")
            line.append(event.text)
            return [line]
        if isinstance(event, StateEvent):
            return self._state_lines(event, texts)
        return []

    def _state_lines(self, event: StateEvent, texts: Texts) -> list[Text]:
        """Critical assets that changed, and assets that went down (the rest counted)."""
        shown: list[Text] = []
        more = 0
        for change in event.step.assets:
            asset = self.assets[change.asset]
            if not asset.critical and change.state != "down":
                continue
            if len(shown) >= FEED_STATE_LINES:
                more += 1
                continue
            line = self._stamp(event.t)
            line.append(f"{STATE_MARK[change.state]} ", style=STATE_STYLE[change.state])
            line.append(asset.label, style="bold" if asset.critical else "")
            line.append(": ")
            line.append(state_text(change.state, texts), style=STATE_STYLE[change.state])
            if change.causes:
                line.append(f" ({causes_text(change.causes, texts)})", style="dim")
            shown.append(line)
        if more:
            line = self._stamp(event.t)
            line.append(texts.plural("feed.more_down", more), style="red")
            shown.append(line)
        return shown
