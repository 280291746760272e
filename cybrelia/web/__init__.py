"""The participants' web console: each team's own view of the session, served on the room's network.

A client of :class:`cybrelia.exercise.session.Session`, like the TUI, and independent of it.
"""

__all__: list[str] = []
