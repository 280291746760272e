"""The SMART statement of an objective, said from the expectations that measure it.

An objective's text names who does what, how often and how fast ("Koordynacja
działań: zespoły GZZK, OSP wykonują 7 oczekiwanych działań (notatka, wniosek o
wsparcie), każde ze skutkiem w swoim oknie (1 to 24 h od wpisu), bez oceny M
ani U.", the range written with an en dash).  Written by hand, those figures
drift as injects and expectations are added; :func:`statement` derives them, in
each language with its plural forms, so that authors can start from it and the
bundled scenarios are checked against it.
"""

from __future__ import annotations

from cybrelia.files.capabilities import capability_name
from cybrelia.files.scenario import Expectation, Objective, Scenario, objective_of
from cybrelia.i18n import action_label, duration_label, ntext, text

__all__ = ["measuring", "statement"]


def measuring(scenario: Scenario, objective: Objective) -> list[Expectation]:
    """The expectations that measure ``objective``, in the scenario's order."""
    return [
        expectation
        for inject in scenario.injects
        for expectation in inject.expect
        if objective_of(scenario, expectation) == objective.id
    ]


def statement(scenario: Scenario, objective: Objective, lang: str) -> str:
    """The objective's statement in ``lang``: capability, teams, count, actions, windows.

    Teams are named by their ids in capitals, as crisis staff write them (GZZK,
    OSP); actions by their names, each once, in the order first expected; the
    window is the shortest to the longest expected time to effect.
    """
    expected = measuring(scenario, objective)
    if not expected:
        return text("objective.statement.none", lang, capability=_capability(objective, lang))
    teams = sorted({e.team for e in expected})
    actions = list(dict.fromkeys(action_label(e.action, lang) for e in expected))
    return text(
        "objective.statement",
        lang,
        capability=_capability(objective, lang),
        teams=ntext("objective.teams", len(teams), lang, names=", ".join(t.upper() for t in teams)),
        actions=ntext("objective.actions", len(expected), lang),
        names=", ".join(actions),
        window=ntext("objective.window", len(expected), lang, window=_window(expected, lang)),
    )


def _capability(objective: Objective, lang: str) -> str:
    return capability_name(objective.capability, lang)


def _window(expected: list[Expectation], lang: str) -> str:
    """The range of windows: ``6 h``; ``1`` en dash ``24 h``; or, where a window is not in
    whole hours, each end in words (``30 min`` spaced en dash ``3 h``)."""
    shortest = min(e.within for e in expected)
    longest = max(e.within for e in expected)
    if shortest == longest:
        return duration_label(shortest, lang)
    if shortest.is_integer() and longest.is_integer():
        return f"{int(shortest)}\u2013{int(longest)} h"
    return f"{duration_label(shortest, lang)} \u2013 {duration_label(longest, lang)}"
