"""The texts of one chosen language, for a console that shows one language at a time.

Scenario texts are bilingual in the scenario itself and are shown with
:meth:`Texts.pick`; everything else comes from the catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Protocol

from cybrelia.i18n.catalogue import LANGUAGES, check_lang, lookup, ntext
from cybrelia.i18n.formats import format_date, format_number

__all__ = ["Bilingual", "Texts"]


class Bilingual(Protocol):
    """A text written in both languages (a scenario's inject title, a team's name)."""

    def get(self, lang: str) -> str:
        """The text in ``lang``."""
        ...


class Texts:
    """The catalogue in one language, and what else depends on it (numbers, dates).

    ``texts("status.paused")`` is the text; keyword arguments fill ``{fields}``.
    A key missing from the catalogue shows as the key itself, so a console
    never fails on a text; the catalogue tests find such keys.
    """

    def __init__(self, lang: str) -> None:
        self.lang = check_lang(lang)

    def __call__(self, key: str, /, **fields: object) -> str:
        template = lookup(key, self.lang, key)
        return template.format(**fields) if fields else template

    def has(self, key: str) -> bool:
        """Whether the catalogue has ``key``."""
        return lookup(key, self.lang, "") != ""

    def get(self, key: str, default: str) -> str:
        """The text of ``key``, or ``default`` when there is none (open vocabularies)."""
        return lookup(key, self.lang, default)

    def plural(self, key: str, count: int, /, **fields: object) -> str:
        """The plural message ``key`` for ``count`` (``5 godzin``)."""
        return ntext(key, count, self.lang, **fields)

    def number(self, value: float, digits: int = 0) -> str:
        """A number grouped the way the language writes it (``16 000``, ``142,5``)."""
        return format_number(value, self.lang, digits)

    def date(self, day: date) -> str:
        """A calendar day (``14.01.2027``)."""
        return format_date(day, self.lang)

    def pick(self, text: Bilingual | Mapping[str, str] | None, fallback: str = "") -> str:
        """A scenario text in this language, or ``fallback`` when there is none."""
        if text is None:
            return fallback
        if isinstance(text, Mapping):
            return str(text.get(self.lang) or text.get("pl") or text.get("en") or fallback)
        return text.get(self.lang)

    def other(self) -> Texts:
        """The texts of the other language (for the language switch)."""
        return Texts(next(lang for lang in LANGUAGES if lang != self.lang))
