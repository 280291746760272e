"""The exercise layer: injects delivered to teams, their actions, scoring, the session and journal.

It may import :mod:`cybrelia.headless`, :mod:`cybrelia.engine` and :mod:`cybrelia.files`; the
consoles and the analysis are its clients, through :class:`~cybrelia.exercise.session.Session`.
"""

__all__: list[str] = []
