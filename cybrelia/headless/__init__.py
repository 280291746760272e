"""Headless runs of the engine alone: ``cybrelia simulate``'s JSON Lines, timeline and checks.

It may import :mod:`cybrelia.engine` and :mod:`cybrelia.files`, never the exercise or a console.
"""

__all__: list[str] = []
