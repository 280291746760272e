"""Polish and English texts of the console: catalogues, language choice, numbers.

Every label the console shows comes from ``locale/<lang>.json`` (the two files
have the same keys; a test checks it).  Scenario texts are bilingual in the
scenario itself and are shown with :meth:`Texts.pick`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from cybrelia.files.scenario import Bilingual

__all__ = ["LANGUAGES", "Texts", "catalogue", "detect_lang"]

LANGUAGES = ("pl", "en")


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The catalogue of ``lang`` (``pl`` or ``en``)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose pl or en")
    text = resources.files("cybrelia.tui").joinpath("locale", f"{lang}.json").read_text("utf-8")
    data = json.loads(text)
    assert isinstance(data, dict)
    return {str(key): str(value) for key, value in data.items()}


def detect_lang(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """``explicit`` if given, else Polish when the locale (LC_ALL, LC_MESSAGES, LANG) is Polish.

    Raises
    ------
    ValueError
        If ``explicit`` is neither ``pl`` nor ``en``.
    """
    if explicit is not None:
        lang = explicit.strip().lower()
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {explicit!r}; choose pl or en")
        return lang
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "pl" if value.lower().startswith("pl") else "en"
    return "en"


class Texts:
    """The labels of one language, and the few things that depend on it (numbers).

    ``texts("status.paused")`` is the label; keyword arguments fill ``{fields}``.
    A key missing from the catalogue shows as the key itself.
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._catalogue = catalogue(lang)

    def __call__(self, key: str, /, **fields: Any) -> str:
        text = self._catalogue.get(key, key)
        return text.format(**fields) if fields else text

    def has(self, key: str) -> bool:
        """Whether the catalogue has ``key``."""
        return key in self._catalogue

    def get(self, key: str, default: str) -> str:
        """The label of ``key``, or ``default`` when there is none (open vocabularies)."""
        return self._catalogue.get(key, default)

    def number(self, value: float) -> str:
        """A whole number with thousands grouped the way the language writes them."""
        grouped = f"{round(value):,}"
        return grouped.replace(",", "\u00a0") if self.lang == "pl" else grouped

    def pick(self, text: Bilingual | Mapping[str, str] | None, fallback: str = "") -> str:
        """A scenario text in this language (``Bilingual.get``), or ``fallback``."""
        if text is None:
            return fallback
        if isinstance(text, Bilingual):
            return text.get(self.lang)
        return str(text.get(self.lang) or text.get("pl") or text.get("en") or fallback)

    def other(self) -> Texts:
        """The texts of the other language (for the language switch)."""
        return Texts("en" if self.lang == "pl" else "pl")
