"""The one catalogue of user-facing text, in Polish and English, used by every layer.

Bottom of the layers: it imports nothing of cybrelia, and everything may import it.
"""

from cybrelia.i18n.catalogue import (
    DOMAIN,
    LANGUAGES,
    Lang,
    both,
    check_lang,
    detect_lang,
    has,
    lookup,
    ntext,
    text,
)
from cybrelia.i18n.formats import format_date, format_datetime, format_number
from cybrelia.i18n.texts import Bilingual, Texts

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "Bilingual",
    "Lang",
    "Texts",
    "both",
    "check_lang",
    "detect_lang",
    "format_date",
    "format_datetime",
    "format_number",
    "has",
    "lookup",
    "ntext",
    "text",
]
