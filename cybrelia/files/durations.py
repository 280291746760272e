"""Durations in the contract's notation (section 1 of MODEL.md).

Simulation time is measured in hours.  Scenario authors write durations either
as plain numbers of hours or as strings such as ``90m``, ``2h30m`` or
``1d12h``; this module turns both into hours and back into a compact form for
people.

>>> parse_duration("2h30m"), parse_duration("90m"), parse_duration(1.5)
(2.5, 1.5, 1.5)
>>> format_duration(36.5)
'1d12h30m'
>>> quantize(1 / 3 + 2 / 3) == quantize(1.0)
True
"""

from __future__ import annotations

import math
import re

from cybrelia.files.limits import MAX_HOURS

__all__ = ["TIME_DIGITS", "format_duration", "parse_duration", "quantize"]

#: Times are kept on a grid of 1e-9 h (3.6 microseconds) so that two instants
#: that are equal on paper (``20m + 40m`` and ``1h``) are equal in the engine
#: despite binary floating point, and so that event order never hangs on an ulp.
TIME_DIGITS = 9

_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*([dhm])")
_UNIT_HOURS = {"d": 24.0, "h": 1.0, "m": 1.0 / 60.0}


#: Durations already read from plain numbers: a large model repeats a few values
#: (``repair_hours: 8``) hundreds of thousands of times, and ``round`` is slow.  Keyed
#: by value, so ``8`` and ``8.0`` share an entry (the same hours); booleans never get here.
_NUMBERS: dict[float, float] = {}
_NUMBERS_LIMIT = 1 << 16


def quantize(hours: float) -> float:
    """Round a time or duration in hours onto the engine's time grid."""
    return round(hours, TIME_DIGITS) + 0.0  # + 0.0 turns -0.0 into 0.0


def parse_duration(value: object) -> float:
    """Return a duration in hours.

    Parameters
    ----------
    value
        A number of hours from 0 to :data:`~cybrelia.files.limits.MAX_HOURS`, or a
        string of one or more ``<number><unit>`` parts with units ``d``, ``h`` and ``m``.

    Raises
    ------
    ValueError
        With a message fit to show a scenario author, if the value is not a
        duration or is negative.
    """
    if type(value) is float or type(value) is int:  # the common case, kept fast
        known = _NUMBERS.get(value)
        if known is not None:
            return known
        if value < 0:
            raise ValueError(f"duration must not be negative, got {value!r}")
        if not value <= MAX_HOURS:  # also NaN
            raise ValueError(_beyond(value))
        hours = quantize(value)
        if len(_NUMBERS) < _NUMBERS_LIMIT:
            _NUMBERS[value] = hours
        return hours
    if isinstance(value, bool):
        raise ValueError(f"expected a duration such as 2h30m or a number of hours, got {value!r}")
    if isinstance(value, int | float):
        hours = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if text.startswith("-"):
            raise ValueError(f"duration must not be negative, got {value!r}")
        try:
            hours = float(text)
        except ValueError:
            hours = _parse_parts(text, value)
    else:
        raise ValueError(
            f"expected a duration such as 2h30m or a number of hours, got {type(value).__name__}"
        )
    if hours < 0:
        raise ValueError(f"duration must not be negative, got {value!r}")
    if not hours <= MAX_HOURS:  # also NaN
        raise ValueError(_beyond(value))
    return quantize(hours)


def _beyond(value: object) -> str:
    shown = value if not isinstance(value, str) else repr(value[:40])
    if isinstance(value, float) and math.isnan(value):
        return f"duration must be a number, got {value!r}"
    return f"duration must be at most {MAX_HOURS:g} h (about 11 years), got {shown}"


def _parse_parts(text: str, original: str) -> float:
    compact = text.replace(" ", "")
    position = 0
    hours = 0.0
    for match in _PART.finditer(compact):
        if match.start() != position:
            break
        hours += float(match.group(1)) * _UNIT_HOURS[match.group(2)]
        position = match.end()
    if position == 0 or position != len(compact):
        raise ValueError(
            f"invalid duration {original!r}: use numbers with units d, h, m, such as 90m or 1d12h"
        )
    return hours


def format_duration(hours: float) -> str:
    """Format hours for people, to the minute: ``3h20m``, ``1d2h``, ``45m``, ``0m``."""
    minutes = round(hours * 60)
    days, rest = divmod(minutes, 24 * 60)
    whole_hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days}d")
    if whole_hours:
        parts.append(f"{whole_hours}h")
    if mins or not parts:
        parts.append(f"{mins}m")
    return "".join(parts)
