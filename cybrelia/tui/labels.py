"""How the console writes things: times, durations, states, causes, conditions, effects.

Pure functions of the exercise's objects and a :class:`~cybrelia.i18n.Texts`;
no Textual here, so they are cheap to test.  The forms' little text formats
(effects as ``damage gpz-1``, parameters as ``source=powiat count=2``, times as
``D+1 14:30``) are parsed here too.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from rich.console import Console
from rich.text import Text

from cybrelia.engine.cascade import BufferStatus
from cybrelia.exercise.conditions import condition_label
from cybrelia.exercise.core import Exercise, InjectState
from cybrelia.exercise.events import ActionEvent, Detail
from cybrelia.exercise.types import ActionState
from cybrelia.exercise.wording import (
    action_detail_text,
    consequence_text,
    detail_text,
    refusal_text,
    resource_text,
)
from cybrelia.files.durations import parse_duration
from cybrelia.files.model import DEFAULT_RECHARGE, SECTOR_ORDER
from cybrelia.files.names import target_name
from cybrelia.files.scenario import VERBS, Condition, Effect
from cybrelia.headless.timeline import clock_label
from cybrelia.i18n import MessageError, Texts, vocabulary

__all__ = [
    "ACTION_STYLE",
    "SECTOR_ORDER",
    "STATE_MARK",
    "STATE_STYLE",
    "action_label",
    "action_line",
    "action_status",
    "action_what",
    "branch_due",
    "buffer_state",
    "buffer_text",
    "cause_text",
    "causes_text",
    "clip_lines",
    "clock_text",
    "condition_text",
    "consequence_text",
    "countdown_text",
    "date_text",
    "detail_text",
    "duration_text",
    "effects_text",
    "event_status",
    "fit_name",
    "model_language_note",
    "parse_clock",
    "parse_effects",
    "parse_params",
    "recharge_rate",
    "refusal_text",
    "resource_text",
    "sector_label",
    "service_label",
    "state_status",
    "state_text",
]

#: Measures text for :func:`clip_lines` (a console that prints nothing).
_MEASURE = Console(width=200, file=None, color_system=None, force_terminal=False)

STATE_STYLE = {"up": "green", "backup": "yellow", "down": "bold red"}
STATE_MARK = {"up": "●", "backup": "◐", "down": "✖"}
ACTION_STYLE = {
    "submitted": "cyan",
    "queued": "yellow",
    "started": "cyan",
    "completed": "green",
    "failed": "red",
    "refused": "red",
    "cancelled": "magenta",
}


def clock_text(exercise: Exercise, t: float) -> str:
    """``D+1 14:30`` from the scenario's start (``t+38h30m`` without one)."""
    return clock_label(exercise.scenario.start, t)


def date_text(start: datetime | None, t: float, texts: Texts) -> str:
    """The calendar day of ``t``: ``czw 14.01`` or ``Thu 14 Jan``; empty without a start."""
    if start is None:
        return ""
    moment = start + timedelta(hours=t)
    weekday = texts(f"weekday.{moment.weekday()}")
    month = texts(f"month.{moment.month}")
    return texts("date", weekday=weekday, day=moment.day, month=month, number=moment.month)


def duration_text(hours: float, texts: Texts) -> str:
    """``3 h 20 min``, ``45 min``, ``< 1 min`` (:func:`cybrelia.i18n.duration_label`)."""
    return vocabulary.duration_label(hours, texts.lang)


def countdown_text(hours: float, texts: Texts) -> str:
    """The time left until something is due, to the minute above: every countdown of the
    console (the next inject, an expectation's window, a buffer) says ``1 min`` while 40
    seconds remain, never ``0``."""
    return vocabulary.duration_label(hours, texts.lang, left=True)


def sector_label(sector: str, texts: Texts) -> str:
    """The sector's name in the chosen language (its id when unknown)."""
    return vocabulary.sector_label(sector, texts.lang)


def service_label(service: str, texts: Texts) -> str:
    """The service's name in the chosen language (its id when unknown)."""
    return vocabulary.service_label(service, texts.lang)


def state_text(state: str, texts: Texts) -> str:
    """``up``, ``backup``, ``down`` in the chosen language."""
    return texts(f"state.{state}")


def cause_text(cause: str, texts: Texts) -> str:
    """A cause of the engine (``damaged``, ``needs:power``) as people read it."""
    return vocabulary.cause_label(cause, texts.lang)


def causes_text(causes: Iterable[str], texts: Texts) -> str:
    """The causes, comma-separated."""
    return vocabulary.causes_label(causes, texts.lang)


#: Less autonomy than this (hours) is none: the engine's grid is 1e-9 h.
EMPTY_HOURS = 1e-6


def buffer_text(buffer: BufferStatus, texts: Texts) -> str:
    """``generator, 3 h 20 min left`` while it drains; ``out of fuel`` once empty."""
    kind = texts.get(f"buffer.{buffer.kind}", buffer.kind)
    if buffer.remaining <= EMPTY_HOURS:
        return texts.get(f"buffer.empty.{buffer.kind}", texts("buffer.empty", kind=kind))
    return texts("buffer.left", kind=kind, left=countdown_text(buffer.remaining, texts))


def recharge_rate(exercise: Exercise, asset_id: str, buffer: BufferStatus) -> float:
    """Hours of autonomy a buffer regains per hour of supply (0 for a generator's tank)."""
    asset = exercise.assets.get(asset_id)
    need = asset.needs.get(buffer.service) if asset is not None else None
    spec = need.buffer if need is not None else None
    if spec is not None and spec.kind == buffer.kind:
        return spec.recharge_rate
    return DEFAULT_RECHARGE.get(buffer.kind, 0.0)  # a buffer swapped in by an action


def buffer_state(buffer: BufferStatus, rate: float, texts: Texts) -> str:
    """What a buffer is doing, truthfully: running down, out of fuel, ready, refilling, unused.

    The engine's ``recharging`` only says the supply is back; whether the buffer
    refills depends on its kind (a battery does, a generator's tank does not), so
    a full one is *ready*, an empty generator is *out of fuel* and a half-used
    one that cannot refill *stands by* with what is left.  ``idle`` means the
    asset itself is down, so the buffer is not in use.
    """
    kind = texts.get(f"buffer.{buffer.kind}", buffer.kind)
    left = countdown_text(buffer.remaining, texts)
    full = duration_text(buffer.hours, texts)
    refills = buffer.mode == "recharging" and rate > 0
    if buffer.mode == "draining" or (buffer.remaining <= EMPTY_HOURS and not refills):
        return buffer_text(buffer, texts)
    if buffer.mode == "idle":
        return texts("buffer.unused", kind=kind, left=left, full=full)
    if buffer.remaining >= buffer.hours - EMPTY_HOURS:
        return texts("buffer.ready", kind=kind, full=full)
    if refills:
        until = countdown_text((buffer.hours - buffer.remaining) / rate, texts)
        return texts("buffer.refilling", kind=kind, left=left, full=full, until=until)
    return texts("buffer.standing_by", kind=kind, left=left, full=full)


#: An asset's name takes at most this many lines of its row.
NAME_LINES = 3


def model_language_note(texts: Texts) -> str:
    """`` (pl)`` beside the model's names in the English console, nothing in the Polish one.

    The model contract (MODEL.md 1.1) gives a name and a description one text and
    forbids unknown keys, so a model cannot carry English beside them; the bundled
    models are written in Polish.  The mark tells the facilitator why a name reads in
    Polish (docs/i18n.md).
    """
    return "" if texts.lang == "pl" else " " + texts("model.in_polish")


def fit_name(label: str, asset_id: str, width: int, *, with_id: bool = False) -> list[str]:
    """An asset's name in lines of ``width``, never cut so that two rows read the same.

    The name wraps at words onto at most :data:`NAME_LINES` lines; a name still
    longer ends its last line with ``… (id)``, and ``with_id`` (for names that
    several assets share) always adds the id, so every row stays distinct.
    """
    width = max(width, 8)
    shown = f"{label} ({asset_id})" if with_id else label
    lines = textwrap.wrap(shown, width, break_on_hyphens=False) or [""]
    if len(lines) <= NAME_LINES:
        return lines
    head = lines[: NAME_LINES - 1]
    rest = " ".join(lines[NAME_LINES - 1 :])
    tail = f"… ({asset_id})"
    if len(tail) >= width:
        return [*head, tail[: width - 1] + "…"]
    return [*head, rest[: width - len(tail)].rstrip() + tail]


def clip_lines(text: Text, width: int, lines: int) -> Text:
    """``text`` wrapped to ``width``, at most ``lines`` lines, the last ending with ``…``
    if some was left out (a table's cell of a row ``lines`` high)."""
    wrapped = list(text.wrap(_MEASURE, max(width, 1)))
    if len(wrapped) > lines:
        last = wrapped[lines - 1]
        last.truncate(width - 1)
        last.rstrip()
        last.append("…")
        wrapped = wrapped[:lines]
    cell = Text("\n").join(wrapped)
    cell.no_wrap, cell.overflow = True, "ellipsis"
    return cell


def action_label(action: str, texts: Texts) -> str:
    """The action's name from the catalogue (``podstawienie agregatu``)."""
    return vocabulary.action_label(action, texts.lang)


def action_what(exercise: Exercise, action: str, target: str | None, texts: Texts) -> Text:
    """``podstawienie agregatu → SUW Leśna Góra``: the action and its target by name (an
    asset's, an area's — ``cała gmina`` for ``all`` —, a kind of resource's, a claim's)."""
    line = Text(action_label(action, texts))
    if target:
        name = target_name(exercise.model, exercise.scenario, target, action, texts.lang)
        line.append(f" → {name}")
    return line


def action_status(status: str, detail: str, texts: Texts) -> Text:
    """``started (crew-power: travel and repair, 5h)``, the status coloured."""
    line = Text(texts(f"action.{status}"), style=ACTION_STYLE.get(status, ""))
    if detail:
        line.append(f" ({detail})", style="dim")
    return line


def event_status(exercise: Exercise, event: ActionEvent, texts: Texts) -> Text:
    """An action event's status and its detail in words; a cancellation by the facilitator
    says so once (``cancelled by the facilitator``, not ``cancelled (cancelled by …)``)."""
    return _status(exercise, event.status, event.reason, event.detail_in(texts.lang), texts)


def _status(
    exercise: Exercise, status: str, reason: Detail | None, recorded: str, texts: Texts
) -> Text:
    """The status and its detail in words (as recorded when it has no message: a note)."""
    if reason is None:
        return action_status(status, recorded, texts)
    if reason.key == "detail.cancelled":
        return Text(texts("detail.cancelled"), style=ACTION_STYLE["cancelled"])
    return action_status(status, detail_text(exercise, reason, texts), texts)


def action_line(
    exercise: Exercise, action: ActionState, texts: Texts, *, short: bool = False
) -> Text:
    """``A003 ZGK podstawienie agregatu → SUW Leśna Góra: started`` with the status coloured
    (``short``: without the id and the team)."""
    request = action.request
    line = Text()
    if not short:
        line.append(f"{action.id} ", style="dim")
        line.append(f"{request.team.upper()} ", style="bold")
    line.append(action_what(exercise, request.action, request.target, texts))
    line.append(": ")
    line.append(state_status(exercise, action, texts))
    return line


def state_status(exercise: Exercise, action: ActionState, texts: Texts) -> Text:
    """An action's status and its detail in words, true now: one under way says where it
    stands at this instant (:func:`~cybrelia.exercise.wording.action_detail_text`)."""
    if action.status == "submitted":
        return action_status(action.status, "", texts)
    if action.status == "started":
        return action_status(action.status, action_detail_text(exercise, action, texts), texts)
    return _status(exercise, action.status, action.reason, action.detail_in(texts.lang), texts)


def condition_text(exercise: Exercise, condition: Condition, texts: Texts) -> str:
    """A branch's condition: ``when Hydrofornia Nadrzecze is down for 2 h``."""
    return condition_label(condition, texts.lang, exercise.assets)


def branch_due(state: InjectState) -> float | None:
    """When an armed branch will be delivered (None while its condition has not held)."""
    condition = state.spec.when
    if condition is None or state.armed_at is None:
        return None
    return state.armed_at + condition.after


# --- parsing the forms' little formats -------------------------------------------------------

_CLOCK = re.compile(r"^\s*D\s*\+\s*(\d+)\s+(\d{1,2}):(\d{2})\s*$", re.IGNORECASE)


class FormatError(MessageError, ValueError):
    """A form's little format that does not parse, said in the facilitator's language."""


def parse_clock(text: str, start: datetime | None) -> float:
    """Hours from the start: ``D+1 14:30`` (with a scenario start) or a duration (``1d8h``).

    Raises
    ------
    ValueError
        If the text is neither.
    """
    match = _CLOCK.match(text)
    if match is not None:
        if start is None:
            raise FormatError("form.format.no_start")
        day, hour, minute = (int(group) for group in match.groups())
        if hour > 23 or minute > 59:
            raise FormatError("form.format.time_of_day", time=f"{hour}:{minute:02d}")
        moment = datetime.combine(start.date() + timedelta(days=day), start.timetz()).replace(
            hour=hour, minute=minute, second=0, microsecond=0
        )
        return round((moment - start).total_seconds() / 3600, 9)
    return parse_duration(text.strip())


def parse_effects(text: str) -> list[dict[str, list[str]]]:
    """Effects written as ``damage gpz-1 gpz-2; repair most`` (one per line or ``;``).

    Raises
    ------
    ValueError
        On an unknown verb or a verb without targets.
    """
    effects: list[dict[str, list[str]]] = []
    for part in re.split(r"[;\n]", text):
        words = [word for word in re.split(r"[\s,:]+", part.strip()) if word]
        if not words:
            continue
        verb, targets = words[0].lower(), words[1:]
        if verb not in VERBS:
            raise FormatError("form.format.effect", verb=verb, verbs=", ".join(VERBS))
        if not targets:
            raise FormatError("form.format.no_target", verb=verb)
        effects.append({verb: targets})
    return effects


def effects_text(effects: Iterable[Effect]) -> str | None:
    """Effects written as the forms read them (``damage gpz-1; repair most``).

    None when one of them cannot be written so (a claim, a compromise that
    spreads): those are edited in the scenario file.
    """
    parts = []
    for effect in effects:
        if effect.claim is not None or effect.spread is not None:
            return None
        parts.append(" ".join([effect.verb, *effect.targets]))
    return "; ".join(parts)


def parse_params(text: str) -> dict[str, Any]:
    """Action parameters written as ``source=powiat count=2`` (numbers become numbers).

    Raises
    ------
    ValueError
        On a word without ``=``.
    """
    params: dict[str, Any] = {}
    for word in re.split(r"[\s,;]+", text.strip()):
        if not word:
            continue
        key, sep, value = word.partition("=")
        if not sep or not key or not value:
            raise FormatError("form.format.params", word=word)
        number: Any = value
        try:
            number = int(value)
        except ValueError:
            try:
                number = float(value)
            except ValueError:
                number = value
        params[key] = number
    return params


def points_text(value: float, texts: Texts) -> str:
    """Points as the language writes them, to one decimal when not whole (``7,1`` in
    Polish): a late expectation earns a share of its points, ``7.083`` read as code."""
    return texts.number(value, 0 if float(value).is_integer() else 1)
