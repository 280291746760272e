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
from cybrelia.i18n.formats import format_date, format_datetime, format_number, numeral
from cybrelia.i18n.message import MessageError, message_text
from cybrelia.i18n.terminal import say
from cybrelia.i18n.texts import Bilingual, Texts
from cybrelia.i18n.vocabulary import (
    action_label,
    action_status_label,
    cause_label,
    causes_label,
    channel_label,
    duration_label,
    pillar_label,
    rating_label,
    resource_label,
    sector_label,
    service_label,
    state_label,
    topic_label,
)

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "Bilingual",
    "Lang",
    "MessageError",
    "Texts",
    "action_label",
    "action_status_label",
    "both",
    "cause_label",
    "causes_label",
    "channel_label",
    "check_lang",
    "detect_lang",
    "duration_label",
    "format_date",
    "format_datetime",
    "format_number",
    "has",
    "lookup",
    "message_text",
    "ntext",
    "numeral",
    "pillar_label",
    "rating_label",
    "resource_label",
    "say",
    "sector_label",
    "service_label",
    "state_label",
    "text",
    "topic_label",
]
