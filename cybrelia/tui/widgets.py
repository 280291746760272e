"""The panels of the main screen.

Each panel is built once from the session's state and then updated in place:
a redraw changes the cells of the rows whose asset, inject or team changed
(and the countdowns of buffers that are draining), never the whole table.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, HorizontalGroup, Vertical, VerticalScroll
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Input, Label, RichLog, Sparkline, Static
from textual.widgets._footer import FooterKey
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

from cybrelia.exercise.channels import channel_reach
from cybrelia.exercise.core import FIGURES, SERVICES_SHOWN, InjectState
from cybrelia.exercise.events import ExerciseEvent, MetricsEvent
from cybrelia.exercise.scoring import points
from cybrelia.exercise.types import ActionState
from cybrelia.files.sanitize import folded
from cybrelia.i18n import Texts, channel_label, vocabulary
from cybrelia.tui.briefing import briefings, expectation_lines
from cybrelia.tui.context import ClockMode, Desk
from cybrelia.tui.keys import SEARCH_KEYS, localized
from cybrelia.tui.labels import (
    EMPTY_HOURS,
    STATE_MARK,
    STATE_STYLE,
    action_line,
    branch_due,
    buffer_text,
    causes_text,
    clip_lines,
    condition_text,
    countdown_text,
    date_text,
    fit_name,
    model_language_note,
    points_text,
    sector_label,
    state_text,
)
from cybrelia.tui.live import FigureSeries

__all__ = [
    "FeedPanel",
    "FiguresPanel",
    "InfraPanel",
    "InjectsPanel",
    "KeyFooter",
    "PageBar",
    "StatusBar",
    "TeamsPanel",
    "current_row_key",
    "figures_explained",
    "speed_text",
]


#: The infrastructure's detail column keeps this width: ``generator, 17 h 39 min left``
#: (``agregat, zostało 17 h 39 min`` in Polish).
DETAIL_WIDTH = 28
#: The event feed keeps this many lines.
FEED_LINES = 2000
#: The name column is never narrower than this.
NAME_MIN = 14
#: The inject list's id column (``I-01``, ``B-04``, ``AD-1``) and its narrowest title (the
#: teams' latest action too).
INJECT_ID_WIDTH = 5
TITLE_MIN = 12


class Ordered(Text):
    """A cell that also carries its row's place, so a table can be sorted by it."""

    order: tuple[int, ...] = ()

    @classmethod
    def make(cls, text: str, order: tuple[int, ...], style: str = "") -> Ordered:
        cell = cls(text, style=style, no_wrap=True, overflow="ellipsis")
        cell.order = order
        return cell


def _cell(text: str, style: str = "") -> Text:
    """A one-line cell (never markup: names may contain brackets)."""
    return Text(text, style=style, no_wrap=True, overflow="ellipsis")


def current_row_key(table: DataTable[Text]) -> str | None:
    """The key of the row under the table's cursor, if any."""
    if table.row_count == 0:
        return None
    try:
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    except CellDoesNotExist:
        return None
    return key


def table_row_key(table: DataTable[Text], row: int) -> str | None:
    """The key of a table's ``row``-th row."""
    try:
        return table.coordinate_to_cell_key(Coordinate(row, 0)).row_key.value
    except CellDoesNotExist:
        return None


def _set(table: DataTable[Text], row: str, column: str, value: Text) -> None:
    """Update a cell if its text or style changed (a no-op costs nothing to draw)."""
    try:
        old = table.get_cell(row, column)
    except (CellDoesNotExist, RowDoesNotExist):
        return
    if old.plain != value.plain or old.style != value.style or old.spans != value.spans:
        table.update_cell(row, column, value)


def speed_text(speed: float, mode: ClockMode, texts: Texts, *, short: bool = False) -> str:
    """``speed 120 min/s``, ``real time`` or ``= wall time``, and whether forms hold the clock.

    ``short``: ``120 min/s``, ``1:1``, ``= wall``, and ``!`` for a clock forms do not hold.
    """
    form = ".short" if short else ""
    if mode.wall_time:
        label = texts(f"status.wall_time{form}")
    elif abs(speed - 1 / 60) < 1e-9:
        label = texts(f"status.real_time{form}")
    elif speed < 1:  # sim minutes per wall minute: ``10 min/min``, not ``0.166667 min/s``
        label = texts(f"status.speed_per_minute{form}", speed=f"{speed * 60:g}")
    else:
        label = texts(f"status.speed{form}", speed=f"{speed:g}")
    if mode.hold or mode.wall_time:
        return label
    return f"{label} {texts(f'status.no_hold{form}')}"


# --- footer ---------------------------------------------------------------------------------


class KeyFooter(Footer):
    """Textual's footer showing only the keys that fit whole, on a second row if need be.

    Textual's footer cuts the last key that does not fit mid-word (``a Dz``), and on
    some terminals a glyph of the cut label stays behind; this one leaves out that
    key and every one after it (the help lists them all, in the same order).  When the
    moves that must always show (``needed``: the first hour's) do not fit on one row,
    as at 80 columns, the footer takes a second.
    """

    def __init__(self, *, compact: bool = False, needed: frozenset[str] = frozenset()) -> None:
        super().__init__(compact=compact)
        self._composed_for = 0
        self.needed = needed

    def compose(self) -> ComposeResult:
        items = list(super().compose())
        width = self._composed_for = self.size.width
        palette = [i for i in items if isinstance(i, FooterKey) and i.has_class("-command-palette")]
        keys = [i for i in items if i not in palette]
        if not width:  # before the first layout (no width yet) everything is composed
            yield from items
            return
        room = width - sum(self._width(key, palette=True) for key in palette)
        first = self._fitting(keys, room)
        rest = keys[len(first) :]
        second = any(isinstance(i, FooterKey) and i.action in self.needed for i in rest)
        self.set_class(second, "-two-rows")
        if second:
            with HorizontalGroup(classes="footer-row"):
                yield from first
            with HorizontalGroup(classes="footer-row"):
                yield from self._fitting(rest, room)  # the palette's key is docked beside both
        else:
            yield from first
        yield from palette

    def _fitting(self, items: list[Widget], room: int) -> list[Widget]:
        """The first items that fit whole in ``room`` columns."""
        used = 0
        for index, item in enumerate(items):
            used += self._width(item) if isinstance(item, FooterKey) else 0
            if used > room:
                return items[:index]
        return items

    def _width(self, key: FooterKey, *, palette: bool = False) -> int:
        """The columns a key takes, as Textual's footer styles lay it out."""
        text = cell_len(key.key_display) + 1 + cell_len(key.description)
        if self.compact:  # no padding; a margin after each key, a border before the palette
            return text + 1
        return text + 2 + (2 if palette else 0)

    def on_resize(self) -> None:
        """Compose the keys again for the new width."""
        if self.size.width != self._composed_for:
            self.call_after_refresh(self.recompose)


# --- status bar -----------------------------------------------------------------------------


class StatusBar(Horizontal):
    """Scenario title, sim date and time, run state, speed and the next inject."""

    def __init__(self, desk: Desk) -> None:
        super().__init__(id="status")
        self.desk = desk
        self._shown: dict[str, str] = {}
        #: On a small terminal the day, the speed's unit and the inject's time are left out,
        #: so that the countdown to the next inject always fits.
        self.narrow = False

    def set_narrow(self, narrow: bool) -> None:
        """Write the status for a small terminal, or in full."""
        if narrow != self.narrow:
            self.narrow = narrow
            self.update_status()

    def compose(self) -> ComposeResult:
        yield Static(id="sb-title")
        yield Static(id="sb-clock")
        yield Static(id="sb-run")
        yield Static(id="sb-speed")
        yield Static(id="sb-next")

    def on_mount(self) -> None:
        self.update_status()

    def _put(self, widget_id: str, text: str) -> None:
        if self._shown.get(widget_id) != text:
            self._shown[widget_id] = text
            # Fixed widths (see console.tcss): no layout pass, only a repaint.
            self.query_one(f"#{widget_id}", Static).update(
                Text(text, no_wrap=True, overflow="ellipsis"), layout=widget_id == "sb-title"
            )

    def update_status(self) -> None:
        """Show the current clock, run state and speed (only what changed is redrawn)."""
        desk, texts, session = self.desk, self.desk.texts, self.desk.session
        exercise = desk.exercise
        self._put("sb-title", exercise.scenario.title or exercise.scenario.id or "")
        day = "" if self.narrow else date_text(exercise.scenario.start, session.now, texts)
        self._put("sb-clock", f"{desk.clock()}  {day}".rstrip())
        if session.running:
            run = "running"
        elif session.now >= session.end:
            run = "ended"
        else:
            run = "paused"
        self._put("sb-run", texts(f"status.{run}"))
        run_widget = self.query_one("#sb-run", Static)
        for state in ("running", "paused", "ended"):
            run_widget.set_class(state == run, f"-{state}")
        speed = speed_text(session.speed, desk.mode, texts, short=self.narrow)
        self._put("sb-speed", speed)
        due = exercise.next_due()
        if due is None:
            self._put("sb-next", texts("status.no_next"))
        else:
            ids = [
                state.spec.id
                for state in exercise.injects.values()
                if state.status == "pending" and state.spec.at == due
            ]
            key = "status.next_short" if self.narrow else "status.next"
            left = countdown_text(due - session.now, texts)
            self._put(
                "sb-next", texts(key, inject=", ".join(ids), clock=desk.clock(due), left=left)
            )


class PageBar(Static):
    """On a small terminal the main screen shows one panel at a time: which, and the keys."""

    PAGES = ("infra", "injects", "figures", "teams", "feed")

    def __init__(self, desk: Desk) -> None:
        super().__init__(id="pagebar")
        self.desk = desk

    def show_page(self, page: str) -> None:
        """Highlight ``page``."""
        line = Text()
        for number, name in enumerate(self.PAGES, 1):
            label = f" {number} {self.desk.texts(f'panel.{name}')} "
            line.append(label, style="reverse bold" if name == page else "")
        self.update(line)


# --- infrastructure -------------------------------------------------------------------------


#: The key of the row an empty list shows instead of assets.
NOTHING_FOUND = "§none"


class AssetSearch(Input):
    """The asset search box: Esc leaves it (the search cleared), Enter keeps what it found."""

    class Left(Message):
        """The facilitator left the search with Esc."""

    def action_leave(self) -> None:
        """Esc: tell the panel, which clears the search and gives the keys to the table."""
        self.post_message(self.Left())


class InfraPanel(Vertical):
    """Assets grouped by sector, coloured by state, with causes and buffers counting down."""

    class AssetChosen(Message):
        """The facilitator chose an asset (Enter or a click on its row)."""

        def __init__(self, asset_id: str) -> None:
            super().__init__()
            self.asset_id = asset_id

    def __init__(self, desk: Desk) -> None:
        super().__init__(id="infra", classes="panel")
        self.desk = desk
        self.only_not_up = False
        self.search = ""
        self._states: dict[str, str] = {}
        self._draining: set[str] = set()
        self._counts: dict[str, dict[str, int]] = {}
        self._shown: set[str] = set()
        self._widths = (30, DETAIL_WIDTH)
        self._name_lines: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        texts = self.desk.texts
        search = localized(AssetSearch, SEARCH_KEYS, texts)
        yield search(placeholder=texts("infra.search"), id="asset-search", compact=True)
        yield Static(id="infra-summary")
        table: DataTable[Text] = DataTable(id="assets", cursor_type="row")
        self._add_columns(table)
        yield table

    def _add_columns(self, table: DataTable[Text]) -> None:
        texts = self.desk.texts
        table.add_column("", width=1, key="mark")
        name = texts("infra.col.name") + model_language_note(texts)  # "Asset (pl)"
        table.add_column(name, width=self._widths[0], key="name")
        table.add_column(texts("infra.col.detail"), width=self._widths[1], key="detail")

    def _fit(self, width: int) -> tuple[int, int]:
        """The name and detail columns' widths in a panel ``width`` wide.

        The detail keeps :data:`DETAIL_WIDTH` (a buffer's time in full); the name
        takes the rest, up to the longest name.
        """
        # the table's scrollbar 1, each column's padding 2, the mark 1
        room = width - 1 - 3 * 2 - 1
        longest = max((len(a.label) for a in self.desk.exercise.model.assets), default=10)
        name = max(NAME_MIN, min(longest, room - DETAIL_WIDTH))
        return name, max(DETAIL_WIDTH, room - name)

    def on_resize(self) -> None:
        """Fit the columns to the panel: names wrap rather than lose their ends."""
        # the content inside the border: the panel's own width counted it, and the
        # detail column lost its last two columns past the table's edge ("50 mi")
        widths = self._fit(self.size.width - self.styles.gutter.width)
        if widths != self._widths and self.size.width > 0:
            self._widths = widths
            self._name_lines = {}
            table = self.table
            table.clear(columns=True)
            self._add_columns(table)
            self.rebuild()

    def _name_cell(self, asset_id: str) -> Text:
        """The asset's name cell, wrapped to the name column (cached per width)."""
        if asset_id not in self._name_lines:
            asset = self.desk.exercise.assets[asset_id]
            lines = fit_name(
                asset.label,
                asset.id,
                self._widths[0],
                with_id=asset.label in self.desk.digest.shared_labels,
            )
            self._name_lines[asset_id] = "\n".join(lines)
        name = self._name_lines[asset_id]
        asset = self.desk.exercise.assets[asset_id]
        return Text(name, style="bold" if asset.critical else "", no_wrap=True, overflow="ellipsis")

    def _row_height(self, asset_id: str) -> int:
        self._name_cell(asset_id)
        return self._name_lines[asset_id].count("\n") + 1

    def on_mount(self) -> None:
        self.border_title = self.desk.texts("panel.infra_title")
        engine = self.desk.exercise.engine
        for asset_id in engine.asset_ids:
            self._states[asset_id] = engine.status(asset_id).state
        self._recount()
        self.rebuild()

    @property
    def table(self) -> DataTable[Text]:
        """The assets table."""
        return self.query_one("#assets", DataTable)

    @property
    def selected(self) -> str | None:
        """The asset under the cursor (None on a sector row)."""
        key = current_row_key(self.table)
        return key if key is not None and key in self.desk.exercise.assets else None

    def _recount(self) -> None:
        digest = self.desk.digest
        self._counts = {sector: {"up": 0, "backup": 0, "down": 0} for sector in digest.sectors}
        for asset_id, state in self._states.items():
            self._counts[digest.sector_of(asset_id)][state] += 1
        self._draining = {a for a, s in self._states.items() if s == "backup"}

    def _visible(self, asset_id: str) -> bool:
        if self.only_not_up and self._states[asset_id] == "up":
            return False
        if self.search:
            asset = self.desk.exercise.assets[asset_id]
            kind = vocabulary.asset_type_label(asset.type, self.desk.texts.lang)
            haystack = folded(f"{asset.label} {asset.id} {asset.type} {kind} {asset.sector}")
            return all(word in haystack for word in self.search.split())
        return True

    @property
    def filtered(self) -> bool:
        """Some assets may be left out of the list (the filter or a search is on)."""
        return self.only_not_up or bool(self.search)

    def _row(self, asset_id: str) -> tuple[Text, Text, Text]:
        desk = self.desk
        asset = desk.exercise.assets[asset_id]
        state = self._states[asset_id]
        mark = Ordered.make(STATE_MARK[state], desk.digest.order[asset_id], STATE_STYLE[state])
        return mark, self._name_cell(asset.id), self._detail(asset_id, state)

    def _detail(self, asset_id: str, state: str) -> Text:
        """The state's text, wrapped into the row's lines; what still does not fit ends
        with ``…`` (the table would cut it silently, mid-word)."""
        text = self._state_text(asset_id, state)
        return clip_lines(text, self._widths[1], self._row_height(asset_id))

    def _state_text(self, asset_id: str, state: str) -> Text:
        engine, texts = self.desk.exercise.engine, self.desk.texts
        if state == "down":
            why = causes_text(engine.status(asset_id).causes, texts)
            empty = [
                buffer_text(buffer, texts)
                for buffer in engine.buffers(asset_id)
                if buffer.remaining <= EMPTY_HOURS
            ]
            return _cell("; ".join([why, *empty]), "red")
        if state == "backup":
            running = [
                buffer_text(buffer, texts)
                for buffer in engine.buffers(asset_id)
                if buffer.mode == "draining"
            ]
            return _cell("; ".join(running) or state_text("backup", texts), "yellow")
        return _cell("")

    def _header(self, sector: str) -> tuple[Text, Text, Text]:
        texts = self.desk.texts
        rank = self.desk.digest.sector_rank[sector]
        counts = self._counts[sector]
        total = sum(counts.values())
        if self.filtered:  # the marks count the rows below, the total says of how many
            shown = [a for a in self.desk.digest.members[sector] if self._visible(a)]
            counts = {state: 0 for state in counts}
            for asset_id in shown:
                counts[self._states[asset_id]] += 1
        summary = Text(no_wrap=True, overflow="ellipsis")
        if counts["down"]:
            summary.append(f"{STATE_MARK['down']} {counts['down']}  ", style="red")
        if counts["backup"]:
            summary.append(f"{STATE_MARK['backup']} {counts['backup']}  ", style="yellow")
        if self.filtered:
            summary.append(texts("infra.sector_shown", shown=len(shown), count=total), style="dim")
        else:
            summary.append(texts("infra.sector_total", count=total), style="dim")
        return (
            Ordered.make("", (rank, 0)),
            _cell(sector_label(sector, texts).upper(), "bold underline"),
            summary,
        )

    def rebuild(self) -> None:
        """Fill the table again (after the filter or the search changed)."""
        table = self.table
        keep = self.selected
        table.clear()
        self._shown = set()
        digest = self.desk.digest
        for sector in digest.sectors:
            members = [a for a in digest.members[sector] if self._visible(a)]
            if not members:
                continue
            table.add_row(*self._header(sector), key=f"§{sector}")
            for asset_id in members:
                table.add_row(*self._row(asset_id), key=asset_id, height=self._row_height(asset_id))
                self._shown.add(asset_id)
        self._say_if_empty()
        if keep is not None and keep in self._shown:
            table.move_cursor(row=table.get_row_index(keep))
        self._summary()

    def _say_if_empty(self) -> None:
        """An empty list says that nothing was found (a row that opens nothing), or not."""
        table = self.table
        if self._shown and NOTHING_FOUND in table.rows:
            table.remove_row(NOTHING_FOUND)
        elif not self._shown and NOTHING_FOUND not in table.rows:
            nothing = _cell(self.desk.texts("infra.nothing_found"), "italic")
            table.add_row(Ordered.make("", (-1,)), nothing, _cell(""), key=NOTHING_FOUND)

    def _summary(self) -> None:
        texts = self.desk.texts
        down = sum(c["down"] for c in self._counts.values())
        backup = sum(c["backup"] for c in self._counts.values())
        line = Text(no_wrap=True, overflow="ellipsis")
        if self.filtered:
            shown = texts("infra.summary_shown", shown=len(self._shown), count=len(self._states))
            line.append(shown, style="dim")
        else:
            line.append(texts.plural("infra.summary", len(self._states)), style="dim")
        line.append(f"  {STATE_MARK['down']} {down}", style="red")
        line.append(f"  {STATE_MARK['backup']} {backup}", style="yellow")
        if self.only_not_up:
            line.append("  " + texts("infra.filter_on"), style="reverse")
        self.query_one("#infra-summary", Static).update(line, layout=False)

    def refresh_assets(self, changed: Iterable[str], clock_moved: bool) -> None:
        """Update the rows of assets whose state changed, and the countdowns if time moved."""
        engine = self.desk.exercise.engine
        table = self.table
        touched_sectors: set[str] = set()
        added = False
        digest = self.desk.digest
        for asset_id in changed:
            old = self._states[asset_id]
            new = engine.status(asset_id).state
            sector = digest.sector_of(asset_id)
            if new != old:
                self._states[asset_id] = new
                self._counts[sector][old] -= 1
                self._counts[sector][new] += 1
                touched_sectors.add(sector)
                if new == "backup":
                    self._draining.add(asset_id)
                else:
                    self._draining.discard(asset_id)
            visible = self._visible(asset_id)
            if visible and asset_id not in self._shown:
                if f"§{sector}" not in table.rows:
                    table.add_row(*self._header(sector), key=f"§{sector}")
                table.add_row(*self._row(asset_id), key=asset_id, height=self._row_height(asset_id))
                self._shown.add(asset_id)
                added = True
            elif not visible and asset_id in self._shown:
                table.remove_row(asset_id)
                self._shown.discard(asset_id)
                if not any(a in self._shown for a in digest.members[sector]):
                    table.remove_row(f"§{sector}")
            elif visible:
                for column, value in zip(
                    ("mark", "name", "detail"), self._row(asset_id), strict=True
                ):
                    _set(table, asset_id, column, value)
        self._say_if_empty()
        if clock_moved:
            for asset_id in self._draining:
                if asset_id in self._shown:
                    _set(table, asset_id, "detail", self._detail(asset_id, "backup"))
        for sector in touched_sectors:
            if f"§{sector}" in table.rows:
                _set(table, f"§{sector}", "detail", self._header(sector)[2])
        if added:
            keep = current_row_key(table)
            table.sort("mark", key=lambda cell: cell.order)
            if keep is not None:
                table.move_cursor(row=table.get_row_index(keep), scroll=False)
        if touched_sectors:
            self._summary()

    def toggle_filter(self) -> None:
        """Show only the assets that are not up, or all of them."""
        self.only_not_up = not self.only_not_up
        self.rebuild()

    @on(Input.Changed, "#asset-search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.search = folded(event.value.strip())
        self.rebuild()

    @on(Input.Submitted, "#asset-search")
    def _search_done(self) -> None:
        """Enter: the keys go to the table, its cursor on the first asset found (not on a
        sector's row, where Enter opens nothing); none found is said."""
        table = self.table
        table.focus()
        assets = self.desk.exercise.assets
        rows = range(table.row_count)
        first = next((i for i in rows if table_row_key(table, i) in assets), None)
        if first is None:
            self.notify(
                self.desk.texts("infra.search_none", search=self.query_one(AssetSearch).value),
                severity="warning",
            )
            return
        table.move_cursor(row=first)

    @on(AssetSearch.Left)
    def _search_left(self) -> None:
        """Esc: the whole list again, the cursor kept on its asset, the keys to the table."""
        self.query_one("#asset-search", Input).value = ""
        self.search = ""
        self.rebuild()
        self.table.focus()

    @on(DataTable.RowSelected, "#assets")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key is not None and key in self.desk.exercise.assets:
            event.stop()
            self.post_message(self.AssetChosen(key))


# --- injects --------------------------------------------------------------------------------


class DetailBox(VerticalScroll):
    """The highlighted inject's detail, scrolled with the keys once focused (Tab)."""

    class Scrolled(Message):
        """The box scrolled: what is below it may all be in sight now."""

    def watch_scroll_y(self, old: float, new: float) -> None:
        """Scroll as the container does, and say so."""
        super().watch_scroll_y(old, new)
        self.post_message(self.Scrolled())


class InjectTable(DataTable[Text]):
    """The inject list: Home and End go to the first and the last inject (a row table has no
    columns to scroll to, which is what Textual's Home and End do)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "scroll_top", show=False),
        Binding("end", "scroll_bottom", show=False),
    ]


class InjectsPanel(Vertical):
    """Upcoming injects (due time, teams, title), pending branches, delivered and skipped."""

    def __init__(self, desk: Desk) -> None:
        super().__init__(id="injects", classes="panel")
        self.desk = desk
        self._armed: dict[str, float | None] = {}
        self._detail_shown: str | None = None
        self._title_width = 40

    def compose(self) -> ComposeResult:
        table = InjectTable(id="inject-table", cursor_type="row")
        self._add_columns(table)
        yield table
        # Focusable: Tab from the list, then ↓ reads what the box cannot show at once (an
        # inject's last expectations on a small panel); the panel's foot says so.
        with DetailBox(id="inject-detail-box"):
            yield Static(id="inject-detail")

    def _add_columns(self, table: DataTable[Text]) -> None:
        texts = self.desk.texts
        table.add_column("", width=1, key="mark")
        table.add_column(texts("injects.col.time"), width=9, key="time")
        table.add_column(texts("injects.col.id"), width=INJECT_ID_WIDTH, key="id")
        table.add_column(texts("injects.col.title"), width=self._title_width, key="title")

    @staticmethod
    def _fit(width: int) -> int:
        """The title column's width in a panel ``width`` wide: what the other columns leave.

        A title wider than its column ends with ``…``; a column wider than the panel
        was cut at the panel's edge, without one.
        """
        # (the panel's content width, inside its border) the scrollbar 1, each of the
        # four columns' padding 2, the mark 1, the time 9
        return max(TITLE_MIN, width - 1 - 4 * 2 - 1 - 9 - INJECT_ID_WIDTH)

    def on_resize(self) -> None:
        """Fit the title column to the panel (on mount too: the first resize)."""
        width = self._fit(self.size.width)
        if width != self._title_width and self.size.width > 0:
            self._title_width = width
            table = self.table
            keep = current_row_key(table)
            table.clear(columns=True)
            self._add_columns(table)
            self._fill(keep)

    def on_mount(self) -> None:
        self.border_title = self.desk.texts("panel.injects_title")
        self._fill(None)

    def _fill(self, keep: str | None) -> None:
        table = self.table
        for inject_id in self._sorted():
            table.add_row(*self._row(inject_id), key=inject_id)
        if keep is not None and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep))
        self._show_detail(current_row_key(table))

    @property
    def table(self) -> DataTable[Text]:
        """The injects table."""
        return self.query_one("#inject-table", DataTable)

    @property
    def selected(self) -> InjectState | None:
        """The inject under the cursor."""
        key = current_row_key(self.table)
        return self.desk.exercise.injects.get(key) if key is not None else None

    def _section(self, state: InjectState) -> str:
        if state.status == "pending":
            return "upcoming" if state.spec.at is not None else "branch"
        return state.status

    def _sort_key(self, inject_id: str) -> tuple[int, float, int]:
        injects = self.desk.exercise.injects
        state = injects[inject_id]
        section = self._section(state)
        position = list(injects).index(inject_id)
        if section == "upcoming":
            return (0, state.spec.at or 0.0, position)
        if section == "branch":
            due = branch_due(state)
            return (1, due if due is not None else float("inf"), position)
        if section == "delivered":  # a log: in the order they were delivered
            return (2, state.delivered_at or 0.0, position)
        return (3, 0.0, position)

    def _sorted(self) -> list[str]:
        return sorted(self.desk.exercise.injects, key=self._sort_key)

    def _row(self, inject_id: str) -> tuple[Text, Text, Text, Text]:
        desk, texts = self.desk, self.desk.texts
        state = desk.exercise.injects[inject_id]
        section = self._section(state)
        spec = state.spec
        mark, style = {
            "upcoming": ("⏱", "cyan"),
            "branch": ("⑂", "yellow"),
            "delivered": ("✔", "green"),
            "skipped": ("✖", "dim"),
        }[section]
        order = self._sort_key(inject_id)
        marker = Ordered.make(mark, (order[0],), style)
        if section == "upcoming":
            time = desk.clock(spec.at)
        elif section == "branch":
            due = branch_due(state)
            time = desk.clock(due) if due is not None else texts("injects.when")
        elif section == "delivered":
            time = desk.clock(state.delivered_at)
        else:
            time = texts("injects.skipped")
        title = texts.pick(spec.title, spec.id)
        if section == "branch" and spec.when is not None:
            title = f"{title} · {condition_text(desk.exercise, spec.when, texts)}"
        dim = "dim" if section in ("delivered", "skipped") else ""
        return (
            marker,
            _cell(time, style if section == "branch" else dim),
            _cell(spec.id, "bold" if section == "upcoming" else dim),
            _cell(title, dim),
        )

    def refresh_injects(self, changed: Iterable[str]) -> None:
        """Update the rows of injects that changed (and re-sort when one moved section)."""
        table = self.table
        exercise = self.desk.exercise
        changed = set(changed)
        for inject_id, state in exercise.injects.items():
            pending_branch = state.spec.when is not None and state.status == "pending"
            if pending_branch and self._armed.get(inject_id) != state.armed_at:
                self._armed[inject_id] = state.armed_at
                changed.add(inject_id)
        if not changed:
            return
        keep = current_row_key(table)
        keep_state = exercise.injects.get(keep) if keep is not None else None
        if keep_state is not None and keep_state.status == "skipped" and keep in changed:
            keep = None  # it just left the injects to come: go back to the top
        # Otherwise the cursor stays on its inject, delivered too: its detail still says
        # what it expects, and u takes it back.
        for inject_id in changed:
            if inject_id not in exercise.injects:
                continue
            row = self._row(inject_id)
            if inject_id not in table.rows:
                table.add_row(*row, key=inject_id)
                continue
            for column, value in zip(("mark", "time", "id", "title"), row, strict=True):
                _set(table, inject_id, column, value)
        order = {inject_id: index for index, inject_id in enumerate(self._sorted())}
        table.sort("id", key=lambda cell: order.get(cell.plain, len(order)))
        if keep is not None and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep))
        else:
            table.move_cursor(row=0)
            table.scroll_home(animate=False)
        self._show_detail(current_row_key(table))

    def _show_detail(self, inject_id: str | None) -> None:
        detail = self.query_one("#inject-detail", Static)
        desk, texts = self.desk, self.desk.texts
        state = desk.exercise.injects.get(inject_id) if inject_id is not None else None
        if state is None:
            self._detail_shown = None
            detail.update("")
            self.border_subtitle = ""
            return
        spec = state.spec
        text = Text(no_wrap=False)
        text.append(f"{spec.id} ", style="bold")
        if spec.to:
            text.append(f"→ {desk.digest.teams_text(spec.to)} ", style="magenta")
        if spec.channel:
            text.append(f"({texts(f'channel.{spec.channel}')}) ", style="dim")
        text.append(texts.pick(spec.title, ""), style="bold")
        text.append("\n")
        if spec.when is not None and state.status == "pending":
            text.append(condition_text(desk.exercise, spec.when, texts) + "\n", style="yellow")
        if spec.expect:  # before the message: what the facilitator watches for comes first
            text.append(texts("expect.title") + "\n", style="bold cyan")
            text.append(Text("\n").join(expectation_lines(desk.exercise, state, texts)))
            text.append("\n")
        text.append(texts.pick(spec.message, ""), style="")
        if self._detail_shown != inject_id:
            self.query_one("#inject-detail-box", DetailBox).scroll_home(animate=False)
        self._detail_shown = inject_id
        detail.update(text)
        self.call_after_refresh(self._say_more)

    def _say_more(self) -> None:
        """Under the panel: whether the detail goes on below what the box shows, and how
        to read it (Tab, then ↓), or that it is all in sight."""
        box = self.query_one("#inject-detail-box", DetailBox)
        below = box.max_scroll_y > box.scroll_y
        self.border_subtitle = self.desk.texts("injects.more") if below else ""

    def refresh_detail(self, changed: Iterable[str], clock_moved: bool) -> None:
        """Show the selected inject again if it changed, or if its open windows count down."""
        shown = self._detail_shown
        if shown is None:
            return
        state = self.desk.exercise.injects.get(shown)
        ticking = (
            clock_moved
            and state is not None
            and state.status == "delivered"
            and any(
                briefing.status in ("open", "record")
                for briefing in briefings(self.desk.exercise, state)
            )
        )
        if shown in changed or ticking:
            self._show_detail(shown)

    @on(DataTable.RowHighlighted, "#inject-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.row_key.value)

    @on(DetailBox.Scrolled)
    def _scrolled(self) -> None:
        self._say_more()


def figures_explained(desk: Desk, metrics: MetricsEvent | None) -> list[Text]:
    """The figures behind the others: who is at risk, who believes what, whom an alert reached.

    Occupants at risk are the people still inside facilities (a care home, a
    hospital) that lost an essential service, as the population model counts
    them.

    When people are in need while nobody is without a service, a line says why
    (the believers of a claim act as if the service were lost).
    """
    if metrics is None:
        return []
    texts, exercise = desk.texts, desk.exercise
    lines: list[Text] = []
    if metrics.vulnerable_at_risk:
        lines.append(
            Text(
                texts("figures.vulnerable", count=texts.number(metrics.vulnerable_at_risk)),
                style="bold red",
            )
        )
    population = exercise.population
    at_risk = sorted(population.facilities_at_risk)
    occupants = sum(population.occupants.get(asset_id, 0) for asset_id in at_risk)
    if occupants:
        # Two names and how many more: the line must fit the panel (docs/tui.md).
        names = ", ".join(desk.asset_name(asset_id) for asset_id in at_risk[:2])
        if len(at_risk) > 2:
            names += " " + texts("figures.more", count=len(at_risk) - 2)
        lines.append(
            Text(
                texts("figures.occupants", count=texts.number(occupants), facilities=names),
                style="bold red",
            )
        )
    for claim_id, believers in sorted(metrics.believers.items()):
        state = exercise.population.claims.get(claim_id)
        claim = texts.pick(state.claim.text, claim_id) if state is not None else claim_id
        lines.append(Text(texts("figures.believers", count=texts.number(believers), claim=claim)))
    reach = last_reach(desk)
    if reach is not None:
        lines.append(Text(reach, style="cyan"))
    without = [metrics.people_without.get(service, 0) for service in SERVICES_SHOWN]
    if metrics.people_in_need and not any(without):
        believing = sum(metrics.believers.values())
        key = "figures.why_believers" if believing else "figures.why_other"
        # The figure as the row above writes it ("in need 1 223"), then why.
        in_need = texts.number(metrics.people_in_need)
        lines.append(
            Text(texts(key, in_need=in_need, count=texts.number(believing)), style="yellow")
        )
    return lines


#: The channels whose reach is the residents that working assets serve (docs/information.md 2).
CARRIED = frozenset({"sirens", "rcb_alert"})


def last_reach(desk: Desk) -> str | None:
    """Whom the last message to residents reached: in all, and the share of each district.

    The report's information section lists every message the same way
    (docs/information.md 7).
    """
    texts, exercise = desk.texts, desk.exercise
    message = next((m for m in reversed(exercise.information.messages.values()) if m.reached), None)
    if message is None:
        return None
    districts = exercise.population.districts
    total = sum(districts[d].population for d in message.districts)
    shares = []
    for district_id in message.districts:
        if district_id in message.reached:
            district = districts[district_id]
            people = district.population
            share = 100.0 * message.reached[district_id] / people if people else 0.0
            shares.append(f"{district.name or district_id} {texts.number(share)}%")
    said = texts(
        "figures.reach",
        action=message.id,
        channel=channel_label(message.channel, texts.lang),
        clock=desk.clock(message.sent_at),
        reached=texts.number(message.people()),
        total=texts.number(total),
        districts=", ".join(shares),
    )
    if message.channel in CARRIED:
        # Sirens and Alert RCB reach whom working assets serve: once those failed, the
        # reach above is history, and the line says what the channel would reach now.
        now = sum(
            math.floor(districts[d].population * channel_reach(exercise, message.channel, d) + 0.5)
            for d in message.districts
        )
        if now < message.people():
            said += texts("figures.reach_now", now=texts.number(now), total=texts.number(total))
    return said


# --- figures --------------------------------------------------------------------------------


class FiguresPanel(Vertical):
    """People without power, water, heat, telecom; people in need; critical facilities down."""

    def __init__(self, desk: Desk) -> None:
        super().__init__(id="figures", classes="panel")
        self.desk = desk
        self.series = FigureSeries()
        self._shown: dict[str, tuple[int, int, float]] = {}
        self._why: list[Text] = []
        #: Whether the explanations are on screen (their own page, 3); otherwise the
        #: panel's foot says how many there are and the key that shows them.
        self.why_shown = False

    def compose(self) -> ComposeResult:
        texts = self.desk.texts
        for name in FIGURES:
            with Horizontal(classes="figure-row"):
                yield Label(texts(f"figure.{name}"), classes="figure-name")
                yield Sparkline([0.0, 0.0], id=f"spark-{name}", classes="figure-spark")
                yield Label("0", id=f"value-{name}", classes="figure-value")
        yield Static(id="figures-why", classes="-empty")

    def on_mount(self) -> None:
        self.border_title = self.desk.texts("panel.figures_title")

    def update_figures(self) -> None:
        """Show the series up to now (a sparkline changes only when its data did)."""
        now = self.desk.session.now
        for name in FIGURES:
            data = self.series.data(name, now)
            value = self.series.current[name]
            signature = (value, len(data), data[-1])
            if self._shown.get(name) == signature:
                continue
            self._shown[name] = signature
            self.query_one(f"#spark-{name}", Sparkline).data = data
            label = self.query_one(f"#value-{name}", Label)
            label.update(self.desk.texts.number(value), layout=False)
            label.set_class(value > 0, "-nonzero")
        why = figures_explained(self.desk, self.series.last)
        if why != self._why:
            self._why = why
            widget = self.query_one("#figures-why", Static)
            widget.update(Text("\n").join(why))
            widget.set_class(not why, "-empty")  # a class: page styles may hide it too
        self._say_hidden()

    def show_why(self, shown: bool) -> None:
        """The explanations are on screen (page 3), or left out for the inject's detail."""
        self.why_shown = shown
        self._say_hidden()

    def _say_hidden(self) -> None:
        hidden = bool(self._why) and not self.why_shown
        self.border_subtitle = self.desk.texts("figures.why_hidden") if hidden else ""


# --- teams ----------------------------------------------------------------------------------


class TeamsPanel(Vertical):
    """Each team's points so far and its actions in progress."""

    def __init__(self, desk: Desk) -> None:
        super().__init__(id="teams", classes="panel")
        self.desk = desk
        self._latest_width = 20
        #: Each action's latest cell as last shown (by its id), to redraw only what changed.
        self._shown_latest: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        table: DataTable[Text] = DataTable(id="team-table", cursor_type="row")
        self._add_columns(table)
        yield table
        yield Static(id="team-detail")

    def _add_columns(self, table: DataTable[Text]) -> None:
        texts = self.desk.texts
        table.add_column(texts("teams.col.team"), width=6, key="team")
        table.add_column(texts("teams.col.points"), width=9, key="points")
        table.add_column(texts("teams.col.active"), width=3, key="active")
        table.add_column(texts("teams.col.latest"), width=self._latest_width, key="latest")

    def on_resize(self) -> None:
        """Fit the latest action's column to the panel, so that a long one ends with ``…``
        (a column wider than the panel was cut at its edge)."""
        # (the content width) the scrollbar 1, each of the four columns' padding 2, the
        # team 6, the points 9, the actions in progress 3
        width = max(TITLE_MIN, self.size.width - 1 - 4 * 2 - 6 - 9 - 3)
        if width != self._latest_width and self.size.width > 0:
            self._latest_width = width
            table = self.table
            keep = table.cursor_row
            table.clear(columns=True)
            self._add_columns(table)
            self._fill()
            if table.row_count:
                table.move_cursor(row=min(keep, table.row_count - 1))

    def on_mount(self) -> None:
        self.border_title = self.desk.texts("panel.teams_title")
        self._fill()

    def _fill(self) -> None:
        table = self.table
        if not self.desk.exercise.teams:
            table.add_row(_cell(""), _cell(""), _cell(""), _cell(self.desk.texts("teams.none")))
            return
        scores = points(self.desk.exercise)["by_team"]
        for team_id in self.desk.exercise.teams:
            table.add_row(*self._row(team_id, scores), key=team_id)
        self._show_detail()

    def _latest(self, team_id: str) -> ActionState | None:
        actions = [a for a in self.desk.exercise.actions.values() if a.request.team == team_id]
        active = [a for a in actions if a.active]
        return active[-1] if active else (actions[-1] if actions else None)

    def _show_detail(self) -> None:
        """The highlighted team's full name and its latest action in full."""
        team_id = self.selected
        detail = self.query_one("#team-detail", Static)
        if team_id is None:
            detail.update("")
            return
        line = Text()
        line.append(f"{self.desk.digest.team_label(team_id)} ", style="bold")
        line.append(self.desk.team_name(team_id))
        latest = self._latest(team_id)
        if latest is not None:
            line.append("\n")
            line.append(action_line(self.desk.exercise, latest, self.desk.texts))
        detail.update(line)

    @on(DataTable.RowHighlighted, "#team-table")
    def _highlighted(self) -> None:
        self._show_detail()

    @property
    def table(self) -> DataTable[Text]:
        """The teams table."""
        return self.query_one("#team-table", DataTable)

    @property
    def selected(self) -> str | None:
        """The team under the cursor."""
        key = current_row_key(self.table)
        return key if key is not None and key in self.desk.exercise.teams else None

    def _row(self, team_id: str, scores: dict[str, dict[str, float]]) -> tuple[Text, ...]:
        exercise = self.desk.exercise
        score = scores.get(team_id, {"points": 0.0, "max": 0})
        active = [a for a in exercise.actions.values() if a.request.team == team_id and a.active]
        latest = self._latest(team_id)
        return (
            _cell(self.desk.digest.team_label(team_id), "bold"),
            _cell(
                f"{points_text(score['points'], self.desk.texts)}/"
                f"{points_text(score['max'], self.desk.texts)}"
            ),
            _cell(str(len(active)), "cyan" if active else "dim"),
            self._latest_cell(latest),
        )

    def _latest_cell(self, latest: ActionState | None) -> Text:
        if latest is None:
            return _cell("")
        cell = action_line(self.desk.exercise, latest, self.desk.texts, short=True)
        cell.no_wrap, cell.overflow = True, "ellipsis"
        self._shown_latest[latest.id] = cell.plain
        return cell

    def under_way_changed(self) -> list[str]:
        """The teams whose latest action is under way and now reads otherwise (on site,
        a minute less left): their rows are said again, the others left alone."""
        exercise = self.desk.exercise
        changed = []
        for team_id in exercise.teams:
            latest = self._latest(team_id)
            if latest is None or latest.status != "started":
                continue
            line = action_line(exercise, latest, self.desk.texts, short=True)
            if line.plain != self._shown_latest.get(latest.id):
                changed.append(team_id)
        return changed

    def refresh_teams(self, changed: Iterable[str]) -> None:
        """Update the rows of the teams whose actions or points changed."""
        changed = [team for team in changed if team in self.desk.exercise.teams]
        if not changed:
            return
        scores = points(self.desk.exercise)["by_team"]
        for team_id in changed:
            for column, value in zip(
                ("team", "points", "active", "latest"), self._row(team_id, scores), strict=True
            ):
                _set(self.table, team_id, column, value)
        if self.selected in changed:
            self._show_detail()


# --- feed -----------------------------------------------------------------------------------


class FeedPanel(Vertical):
    """Deliveries, state changes that matter, consequence messages, actions, scores, notes.

    A log wraps a line once, at the width it has when the line is written; a
    hidden log (another page on a small terminal) has none.  The panel keeps
    its lines and writes them again whenever the log's width changed, so
    they always wrap at the width the facilitator sees.
    """

    def __init__(self, desk: Desk) -> None:
        super().__init__(id="feed", classes="panel")
        self.desk = desk
        self.lines: deque[Text] = deque(maxlen=FEED_LINES)
        self._written_at = 0
        self._stale = False

    def compose(self) -> ComposeResult:
        yield RichLog(id="feed-log", max_lines=FEED_LINES, wrap=True, markup=False, min_width=20)

    def on_mount(self) -> None:
        self.border_title = self.desk.texts("panel.feed_title")

    @property
    def log_widget(self) -> RichLog:
        """The log the lines are written to."""
        return self.query_one("#feed-log", RichLog)

    def _width(self) -> int:
        log = self.log_widget
        return log.scrollable_content_region.width if log.display and self.display else 0

    def add(self, events: Iterable[ExerciseEvent]) -> None:
        """Write the feed lines of new events (kept for a rewrap if the log is not shown)."""
        new = self.desk.digest.feed_lines(events, self.desk.texts)
        self.lines.extend(new)
        width = self._width()
        if width <= 0 or width != self._written_at:
            self._stale = True
            self.catch_up()
            return
        log = self.log_widget
        for line in new:
            log.write(line)

    def catch_up(self) -> None:
        """Write every kept line again if the width changed or lines came while hidden."""
        width = self._width()
        if width <= 0 or (width == self._written_at and not self._stale):
            return
        log = self.log_widget
        log.clear()
        for line in self.lines:
            log.write(line)
        self._written_at = width
        self._stale = False

    def on_resize(self) -> None:
        """Rewrap when the panel's width changed (a resize, or shown again)."""
        self.call_after_refresh(self.catch_up)
