"""The gettext catalogue of CYBRELIA: languages, loading, and looking texts up.

Message ids are keys (``status.paused``, ``refusal.unknown_team``), not English
sentences, so English is a translation like Polish: both ``.po`` files must hold
every message, and a test checks that they do.  The ``.po`` files shipped in the
package are the only source: they are compiled in memory (Babel's
:func:`~babel.messages.mofile.write_mo`) the first time a language is used, so
there is no compiled file to forget or to drift from its source.

Examples
--------
>>> text("state.down", "pl")
'nie działa'
>>> ntext("infra.summary", 2, "pl")
'2 obiekty'
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from functools import cache
from importlib import resources
from io import BytesIO
from typing import Literal

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from cybrelia.i18n.formats import format_number

__all__ = [
    "DOMAIN",
    "KEYWORDS",
    "LANGUAGES",
    "Lang",
    "both",
    "check_lang",
    "detect_lang",
    "has",
    "lookup",
    "ntext",
    "po_catalogue",
    "text",
    "translations",
]

#: The gettext domain: ``locale/<lang>/LC_MESSAGES/cybrelia.po`` inside this package.
DOMAIN = "cybrelia"

#: A language of the texts.
Lang = Literal["pl", "en"]

#: The languages of every text, Polish first (the exercise's own language).
LANGUAGES: tuple[Lang, ...] = ("pl", "en")

#: The calls whose string argument at the given place is a message key, for
#: ``pybabel extract -k`` and Babel's :func:`~babel.messages.extract.extract_from_dir`:
#: the catalogue's own functions, a :class:`~cybrelia.i18n.texts.Texts` called as
#: ``texts``, a console form's ``field``, a key binding's ``Key``, an exercise's
#: ``Refusal``, ``action_event`` and ``interrupt`` (why a process stopped), and the
#: work a crew does (``_crew_work``, ``_shift_work``).
KEYWORDS: dict[str, tuple[int, ...]] = {
    "text": (1,),
    "ntext": (1,),
    "both": (1,),
    "has": (1,),
    "lookup": (1,),
    "texts": (1,),
    "plural": (1,),
    "field": (1,),
    "Key": (3,),
    "Refusal": (1,),
    "action_event": (3,),
    "interrupt": (1,),
    "_crew_work": (5,),
    "_shift_work": (5,),
}


def check_lang(lang: str) -> Lang:
    """Return ``lang`` if it is ``pl`` or ``en``.

    Raises
    ------
    ValueError
        For any other language.
    """
    if lang == "pl":
        return "pl"
    if lang == "en":
        return "en"
    raise ValueError(f"unknown language {lang!r}; choose pl or en")


def detect_lang(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> Lang:
    """``explicit`` if given, else Polish when the locale (LC_ALL, LC_MESSAGES, LANG) is Polish.

    Raises
    ------
    ValueError
        If ``explicit`` is neither ``pl`` nor ``en``.
    """
    if explicit is not None:
        return check_lang(explicit.strip().lower())
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "pl" if value.lower().startswith("pl") else "en"
    return "en"


@cache
def po_catalogue(lang: str) -> Catalog:
    """The catalogue of ``lang`` as Babel reads it from the package's ``.po`` file."""
    path = resources.files(__package__).joinpath(
        "locale", check_lang(lang), "LC_MESSAGES", f"{DOMAIN}.po"
    )
    with path.open("rb") as source:
        return read_po(source, locale=lang, domain=DOMAIN)


@cache
def translations(lang: str) -> gettext.GNUTranslations:
    """The translations of ``lang``, compiled in memory from its ``.po`` file.

    Fuzzy entries are left out, as ``msgfmt`` does: a message ``pybabel update``
    marked fuzzy counts as untranslated until a translator confirms it.
    """
    compiled = BytesIO()
    write_mo(compiled, po_catalogue(lang))
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@cache
def _singular(lang: str) -> dict[str, str]:
    """The translated, confirmed (not fuzzy) singular messages of ``lang``."""
    return {
        message.id: message.string
        for message in po_catalogue(lang)
        if isinstance(message.id, str)
        and message.id
        and isinstance(message.string, str)
        and message.string
        and not message.fuzzy
    }


@cache
def _plural(lang: str) -> frozenset[str]:
    """The keys of the translated, confirmed plural messages of ``lang``."""
    return frozenset(
        message.id[0]
        for message in po_catalogue(lang)
        if isinstance(message.id, tuple)
        and isinstance(message.string, tuple | list)
        and all(message.string)
        and not message.fuzzy
    )


def _template(key: str, lang: str) -> str | None:
    return _singular(check_lang(lang)).get(key)


def has(key: str, lang: str = "en") -> bool:
    """Whether the catalogue has the (singular) message ``key``."""
    return _template(key, lang) is not None


def lookup(key: str, lang: str, default: str) -> str:
    """The text of ``key``, or ``default`` when there is none (open vocabularies)."""
    found = _template(key, lang)
    return default if found is None else found


def _fill(template: str, lang: str, fields: Mapping[str, object]) -> str:
    """``template`` with its fields; a field that is a function is called with ``lang``."""
    if not fields:
        return template
    return template.format(**{k: v(lang) if callable(v) else v for k, v in fields.items()})


def text(key: str, lang: str, /, **fields: object) -> str:
    """The message ``key`` in ``lang``, with ``{fields}`` filled in.

    A field may be a function of the language (``causes=lambda lang: ...``, a
    scenario text's ``get``) for a value that is itself written in words.

    Raises
    ------
    KeyError
        For a key the catalogue does not have (a mistake in the code, caught by the tests).
    """
    found = _template(key, lang)
    if found is None:
        raise KeyError(key)
    return _fill(found, lang, fields)


def ntext(key: str, count: int, lang: str, /, **fields: object) -> str:
    """The plural message ``key`` in the form ``count`` asks for, ``{count}`` filled in.

    Polish has three forms (1 godzina, 2 godziny, 5 godzin), chosen by the
    ``Plural-Forms`` formula of the ``.po`` file.

    Raises
    ------
    KeyError
        For a key the catalogue does not have as a plural message.
    """
    if key not in _plural(check_lang(lang)):
        raise KeyError(key)
    template = translations(lang).ngettext(key, key, count)
    return _fill(template, lang, {"count": format_number(count, lang), **fields})


def both(key: str, /, **fields: object) -> dict[str, str]:
    """The message ``key`` in every language: ``{"pl": ..., "en": ...}`` (journal records).

    Fields are filled as by :func:`text`: a function of the language gives each
    language its own words.
    """
    return {lang: text(key, lang, **fields) for lang in LANGUAGES}
