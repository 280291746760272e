"""Numbers and dates as each language writes them, by Babel from the CLDR data.

Polish groups thousands with a non-breaking space and writes a decimal comma
(``16 000``, ``142,5``) and dates as ``14.01.2027``; English groups with commas
(``16,000``, ``142.5``).  English dates follow British usage (``14 Jan 2027``):
the exercises are European and the console has always put the day first.

Examples
--------
>>> format_number(16000, "pl")
'16\\xa0000'
>>> format_number(142.5, "pl", 1)
'142,5'
>>> format_number(142.5, "en", 1)
'142.5'
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal

__all__ = ["LOCALES", "format_date", "format_datetime", "format_number", "numeral"]

#: The Babel locale of each language.
LOCALES = {"pl": "pl_PL", "en": "en_GB"}

_DATE = {"pl": "dd.MM.yyyy", "en": "d MMM yyyy"}


def _locale(lang: str) -> str:
    try:
        return LOCALES[lang]
    except KeyError:
        raise ValueError(f"unknown language {lang!r}; choose pl or en") from None


def format_number(value: float, lang: str, digits: int = 0) -> str:
    """``value`` rounded to ``digits`` decimal places, grouped the way ``lang`` writes it.

    Parameters
    ----------
    value
        The number.
    lang
        ``pl`` or ``en``.
    digits
        Decimal places, always shown (``142,50`` with two).
    """
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=_locale(lang))


def format_date(day: date, lang: str) -> str:
    """A calendar day: ``14.01.2027`` in Polish, ``14 Jan 2027`` in English."""
    locale = _locale(lang)
    return babel_format_date(day, _DATE[lang], locale=locale)


def format_datetime(moment: datetime, lang: str) -> str:
    """A day and a time of day: ``14.01.2027 06:00``, ``14 Jan 2027 06:00``.

    The time is the scenario's wall-clock time as written, never converted
    between time zones (Babel would read a naive time as UTC).
    """
    return f"{format_date(moment.date(), lang)} {moment:%H:%M}"


def numeral(value: float, digits: int = 0) -> Callable[[str], str]:
    """``value`` as a field of a message, written as each language writes it.

    Examples
    --------
    >>> numeral(16000)("pl")
    '16\\xa0000'
    """
    return lambda lang: format_number(value, lang, digits)
