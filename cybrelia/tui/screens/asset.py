"""The asset detail: state, buffers, needs, dependants and the asset's history."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, RichLog, Static

from cybrelia.exercise.events import ActionEvent, ExerciseEvent, StateEvent
from cybrelia.i18n import vocabulary
from cybrelia.tui.context import Desk
from cybrelia.tui.forms import ActionForm
from cybrelia.tui.keys import ASSET_KEYS, localized
from cybrelia.tui.labels import (
    EMPTY_HOURS,
    STATE_MARK,
    STATE_STYLE,
    action_label,
    buffer_state,
    buffer_text,
    causes_text,
    event_status,
    fit_name,
    model_language_note,
    recharge_rate,
    sector_label,
    service_label,
    state_text,
)
from cybrelia.tui.live import Neighbour
from cybrelia.tui.screens.base import LiveScreen
from cybrelia.tui.widgets import DETAIL_WIDTH, KeyFooter

__all__ = ["AssetScreen", "asset_screen"]


#: The width of a neighbour's name in the upstream and downstream tables.
LINK_NAME_WIDTH = 34


class AssetScreen(LiveScreen):
    """One asset: state, buffers, what it needs, what depends on it, and its history."""

    def __init__(self, desk: Desk, asset_id: str) -> None:
        super().__init__(desk)
        self.asset_id = asset_id
        #: None until the history is first written; then whether it says "no events yet".
        self._history_empty: bool | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="asset-title")
        yield Static(id="asset-state")
        with Horizontal(id="asset-links"):
            with Vertical(classes="panel", id="asset-up"):
                yield self._links_table("upstream")
            with Vertical(classes="panel", id="asset-down"):
                yield self._links_table("downstream")
        with Vertical(classes="panel", id="asset-history-panel"):
            yield RichLog(id="asset-history", wrap=True, markup=False, max_lines=500, min_width=20)
        yield KeyFooter()

    def _links_table(self, which: str) -> DataTable[Text]:
        texts = self.desk.texts
        table: DataTable[Text] = DataTable(id=which, cursor_type="row")
        table.add_column("", width=1, key="mark")
        table.add_column(texts("asset.col.service"), width=9, key="service")
        name = texts("asset.col.asset") + model_language_note(texts)
        table.add_column(name, width=LINK_NAME_WIDTH, key="asset")
        table.add_column(texts("asset.col.state"), width=DETAIL_WIDTH, key="state")
        return table

    def on_mount(self) -> None:
        texts = self.desk.texts
        self.query_one("#asset-up").border_title = texts("asset.upstream")
        self.query_one("#asset-down").border_title = texts("asset.downstream")
        self.query_one("#asset-history-panel").border_title = texts("asset.history")
        for which in ("upstream", "downstream"):
            links = self._links(which)
            table = self.query_one(f"#{which}", DataTable)
            for index, link in enumerate(links):
                row = self._link_row(link.asset, link.service)
                table.add_row(
                    *row, key=f"{index}:{link.asset}", height=row[2].plain.count("\n") + 1
                )
            if not links:
                table.add_row(Text(""), Text(""), Text(texts("asset.none"), style="dim"), Text(""))
        self._title()
        self._state()
        self._write_history(self._history_lines(self.new_events()))
        self.clock_moved()
        self.query_one("#upstream", DataTable).focus()

    def _links(self, which: str) -> tuple[Neighbour, ...]:
        digest = self.desk.digest
        links = digest.upstream if which == "upstream" else digest.downstream
        return links.get(self.asset_id, ())

    def _link_row(self, asset_id: str, service: str) -> tuple[Text, Text, Text, Text]:
        exercise, texts = self.desk.exercise, self.desk.texts
        engine = exercise.engine
        status = engine.status(asset_id)
        asset = exercise.assets[asset_id]
        if status.causes:
            detail = causes_text(status.causes, texts)
        else:
            draining = [b for b in engine.buffers(asset_id) if b.mode == "draining"]
            detail = "; ".join(buffer_text(b, texts) for b in draining)
            detail = detail or state_text(status.state, texts)
        return (
            Text(STATE_MARK[status.state], style=STATE_STYLE[status.state]),
            Text(service_label(service, texts), no_wrap=True, overflow="ellipsis"),
            # Wrapped, never cut: three lines "Linia napowietrzna SN…" read the same.
            Text(
                "\n".join(
                    fit_name(
                        asset.label,
                        asset.id,
                        LINK_NAME_WIDTH,
                        with_id=asset.label in self.desk.digest.shared_labels,
                    )
                ),
                style="bold" if asset.critical else "",
                no_wrap=True,
                overflow="ellipsis",
            ),
            Text(detail, style=STATE_STYLE[status.state], no_wrap=True, overflow="ellipsis"),
        )

    def _title(self) -> None:
        exercise, texts = self.desk.exercise, self.desk.texts
        asset = exercise.assets[self.asset_id]
        title = Text()
        title.append(asset.label, style="bold")
        # The model's names are Polish only (pl, in English); the id to type in forms.
        title.append(
            model_language_note(texts) + "  " + texts("label.id", id=asset.id), style="dim"
        )
        kind = vocabulary.asset_type_label(asset.type, texts.lang)
        title.append(f"  {sector_label(asset.sector or 'other', texts)} · {kind}")
        if asset.critical:
            title.append("  " + texts("asset.critical"), style="bold red")
        if asset.serves:
            districts = exercise.model.district_index()
            served = ", ".join(
                f"{districts[d].name if d in districts else d} {share:.0%}"
                for d, share in asset.serves.items()
            )
            title.append("\n" + texts("asset.serves", districts=served), style="dim")
        if asset.provides:
            provided = ", ".join(service_label(s, texts) for s in asset.provides)
            title.append("\n" + texts("asset.provides", services=provided), style="dim")
        self.query_one("#asset-title", Static).update(title)

    def _state(self) -> None:
        engine, texts = self.desk.exercise.engine, self.desk.texts
        status = engine.status(self.asset_id)
        line = Text()
        line.append(f"{STATE_MARK[status.state]} ", style=STATE_STYLE[status.state])
        line.append(state_text(status.state, texts).upper(), style=STATE_STYLE[status.state])
        if status.causes:
            line.append(f"  {causes_text(status.causes, texts)}", style="red")
        for buffer in engine.buffers(self.asset_id):
            line.append("\n")
            service = service_label(buffer.service, texts)
            rate = recharge_rate(self.desk.exercise, self.asset_id, buffer)
            if buffer.remaining <= EMPTY_HOURS and rate == 0:
                style = "red"
            else:
                style = "yellow" if buffer.mode == "draining" else "dim"
            line.append(f"{service}: {buffer_state(buffer, rate, texts)}", style=style)
        self.query_one("#asset-state", Static).update(line)

    def _history_lines(self, events: Iterable[ExerciseEvent]) -> list[Text]:
        texts, desk = self.desk.texts, self.desk
        lines = []
        for event in events:
            if isinstance(event, StateEvent):
                for change in event.step.assets:
                    if change.asset != self.asset_id:
                        continue
                    line = Text.assemble((f"{desk.clock(event.t)} ", "dim"))
                    line.append(f"{STATE_MARK[change.state]} ", style=STATE_STYLE[change.state])
                    line.append(state_text(change.state, texts), style=STATE_STYLE[change.state])
                    if change.causes:
                        line.append(f" ({causes_text(change.causes, texts)})", style="dim")
                    lines.append(line)
            elif isinstance(event, ActionEvent) and event.target == self.asset_id:
                if event.status == "submitted":
                    continue
                line = Text.assemble((f"{desk.clock(event.t)} ", "dim"))
                line.append(f"⚙ {event.action_id} {event.team.upper()} ")
                line.append(action_label(event.action, texts))
                line.append(": ")
                line.append(event_status(self.desk.exercise, event, texts))
                lines.append(line)
        return lines

    def redraw(self) -> None:
        events = self.new_events()
        moved = self.clock_moved()
        touched = any(isinstance(e, StateEvent | ActionEvent) for e in events)
        if touched or (moved and self.desk.exercise.engine.status(self.asset_id).state != "up"):
            self._state()
        if touched:
            for which in ("upstream", "downstream"):
                table = self.query_one(f"#{which}", DataTable)
                for index, link in enumerate(self._links(which)):
                    row_key = f"{index}:{link.asset}"
                    row = self._link_row(link.asset, link.service)
                    for column, value in zip(
                        ("mark", "service", "asset", "state"), row, strict=True
                    ):
                        old = table.get_cell(row_key, column)
                        if old.plain != value.plain or old.style != value.style:
                            table.update_cell(row_key, column, value)
            self._write_history(self._history_lines(events))

    def _write_history(self, lines: list[Text]) -> None:
        """Add lines to the history; while it has none, a line says so (an empty box read as
        a console that had failed to load it)."""
        history = self.query_one("#asset-history", RichLog)
        if lines and self._history_empty:
            history.clear()  # the "no events yet" line
            self._history_empty = False
        elif not lines and self._history_empty is None:
            history.write(Text(self.desk.texts("asset.history_none"), style="dim"))
            self._history_empty = True
        for line in lines:
            history.write(line)
        if lines:
            self._history_empty = False

    @on(DataTable.RowSelected)
    def _follow(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value or ""
        if ":" in key:
            self.app.push_screen(asset_screen(self.desk, key.split(":", 1)[1]))

    def action_team_action(self) -> None:
        """Record a team's action on this asset."""
        self.open_form(ActionForm(self.desk, target=self.asset_id))


def asset_screen(desk: Desk, asset_id: str) -> AssetScreen:
    """An asset detail screen in the desk's language."""
    return localized(AssetScreen, ASSET_KEYS, desk.texts)(desk, asset_id)
