"""Messages for the person at the terminal, in the language of the locale.

The command line and the report's command body speak through :func:`say`, so
every message a user reads on stderr comes from the catalogue.
"""

from __future__ import annotations

import sys

from cybrelia.i18n.catalogue import detect_lang, text

__all__ = ["say"]


def say(key: str, /, **fields: object) -> None:
    """Tell the person at the terminal the catalogue message ``key``, on stderr.

    The language is the locale's (:func:`cybrelia.i18n.detect_lang`): Polish
    when ``LC_ALL``, ``LC_MESSAGES`` or ``LANG`` says so, else English.
    """
    print(text(key, detect_lang(), **fields), file=sys.stderr)
