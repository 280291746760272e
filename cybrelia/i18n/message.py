"""An error whose text people read, as a message of the catalogue and its fields.

Raised deep in a layer (a refused action, a journal that cannot be used) and
shown far above it (the console, the web page, the terminal) in the language
of whoever reads it: the exception carries the message's key and fields, not a
sentence fixed in one language.
"""

from __future__ import annotations

from cybrelia.i18n.catalogue import text

__all__ = ["MessageError", "message_text"]


class MessageError(Exception):
    """An error carrying a catalogue message: ``MessageError("journal.no_session", path=p)``.

    A field may be a function of the language (:func:`cybrelia.i18n.text`).
    ``str()`` gives the English text; :meth:`text` gives it in either language,
    so ``say("cli.error", error=error.text)`` speaks the terminal's language.

    Raises
    ------
    KeyError
        For a key the catalogue does not have (a mistake in the code).
    """

    def __init__(self, key: str, /, **fields: object) -> None:
        super().__init__(text(key, "en", **fields))
        self.key = key
        self.fields = fields

    def text(self, lang: str) -> str:
        """The message in ``lang`` (``pl`` or ``en``)."""
        return text(self.key, lang, **self.fields)


def message_text(error: BaseException, lang: str) -> str:
    """What ``error`` says in ``lang``: a :class:`MessageError`'s message, else its ``str``.

    For the places that show any error that reached them (an operating system's
    error has only its own text).
    """
    return error.text(lang) if isinstance(error, MessageError) else str(error)
