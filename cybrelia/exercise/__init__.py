"""The exercise layer: injects delivered to teams, their actions, scoring, the journal.

Headless: the TUI and the headless driver are clients of
:class:`cybrelia.exercise.session.Session`; nothing here imports Textual.
"""

__all__: list[str] = []
