"""Values derived from one model object, kept while that object lives.

A model is read once and then only read: what is derived from it (the loader's
columns, the engine's compiled topology) can be kept beside it and shared.
Pydantic models are not hashable, so they cannot key a
:class:`weakref.WeakKeyDictionary`; entries are keyed by ``id()`` and each holds
a weak reference to its model, which drops the entry when the model is freed (so
a later object that reuses the ``id`` never finds it).
"""

from __future__ import annotations

import weakref
from typing import Generic, TypeVar

__all__ = ["PerModel"]

_Model = TypeVar("_Model")
_Value = TypeVar("_Value")


class PerModel(Generic[_Model, _Value]):
    """A value per model object, forgotten when the model is freed."""

    def __init__(self) -> None:
        self._entries: dict[int, tuple[weakref.ref[_Model], _Value]] = {}

    def __contains__(self, model: _Model) -> bool:
        return self.get(model) is not None

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, model: _Model) -> _Value | None:
        """The value kept for ``model``, or None."""
        entry = self._entries.get(id(model))
        return entry[1] if entry is not None and entry[0]() is model else None

    def put(self, model: _Model, value: _Value) -> None:
        """Keep ``value`` for ``model`` until the model is freed."""
        key = id(model)
        entries = self._entries
        entries[key] = (weakref.ref(model, lambda _: entries.pop(key, None)), value)

    def pop(self, model: _Model) -> _Value | None:
        """The value kept for ``model``, no longer kept; None if there was none."""
        value = self.get(model)
        if value is not None:
            del self._entries[id(model)]
        return value

    def clear(self) -> None:
        """Forget every value."""
        self._entries.clear()
