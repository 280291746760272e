"""The facilitator console: a Textual terminal UI on top of the exercise session.

:func:`cybrelia.tui.app.run_play` opens it (``cybrelia play``).  The console
reads the exercise through :class:`cybrelia.exercise.session.Session` only:
attributes down (``session.exercise``), events up (``exercise.history``).  Every
facilitator move is a Session call, so the journal holds all of it and a
session reopened later is exactly where it stopped.  Nothing below this package
imports Textual.
"""
