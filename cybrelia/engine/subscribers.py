"""A list of callbacks that observers subscribe to and leave: the stream of an event source.

The engine, the exercise and the session each hand their events to whoever
subscribed, in subscription order; a callback may unsubscribe (itself or
another) while being called.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Subscribers"]

E = TypeVar("E")


class Subscribers(Generic[E]):
    """Callbacks for events of type ``E``."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[[E], None]] = []

    def add(self, callback: Callable[[E], None]) -> Callable[[], None]:
        """Call ``callback`` with every event from now on; returns a function that stops it."""
        self._callbacks.append(callback)

        def unsubscribe() -> None:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

        return unsubscribe

    def emit(self, event: E) -> None:
        """Hand ``event`` to every subscriber."""
        for callback in tuple(self._callbacks):
            callback(event)
