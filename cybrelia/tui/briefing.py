"""What an inject asks of the teams, and what is lost when it is skipped.

The facilitator prompts a team and records the right thing only if the
console says, beside each inject, what it expects: the objective, the team,
the action and its target, the window, the points and, once delivered,
whether the expectation is met, late, missed or still open.  Skipping an
inject silently cancels its effects, its expectations and every branch that
waits for it; :func:`skip_consequences` names them before the facilitator
says yes.  Pure functions of the exercise and a :class:`~cybrelia.i18n.Texts`
(no Textual).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from cybrelia.exercise.conditions import effect_label
from cybrelia.exercise.core import Exercise, ExpectationState, InjectState
from cybrelia.files.capabilities import capability_name
from cybrelia.files.names import target_name, zone_names
from cybrelia.files.scenario import Effect, Expectation, objective_of
from cybrelia.i18n import Texts
from cybrelia.tui.labels import (
    action_label,
    clock_text,
    countdown_text,
    duration_text,
    points_text,
)

__all__ = [
    "EXPECTATION_MARK",
    "EXPECTATION_STYLE",
    "Briefing",
    "briefings",
    "effect_text",
    "expectation_lines",
    "objective_label",
    "skip_consequences",
    "undeliver_consequences",
]

#: How an expectation's status is marked and coloured.
EXPECTATION_MARK = {
    "planned": "·",
    "open": "○",
    "record": "✎",
    "met": "✔",
    "late": "◔",
    "missed": "✖",
}
EXPECTATION_STYLE = {
    "planned": "dim",
    "open": "cyan",
    "record": "yellow",
    "met": "green",
    "late": "yellow",
    "missed": "red",
}


@dataclass(frozen=True)
class Briefing:
    """One expectation of an inject as the console shows it."""

    spec: Expectation
    state: ExpectationState | None

    @property
    def status(self) -> str:
        """``planned`` (not delivered), ``open``, ``record`` (awaits confirmation), or the score."""
        state = self.state
        if state is None:
            return "planned"
        if state.status in ("met", "late", "missed"):
            return state.status
        if state.recorded_at is not None:
            return "record"
        return "open"


def briefings(exercise: Exercise, inject: InjectState) -> list[Briefing]:
    """The inject's expectations with their live state (None before delivery)."""
    return [Briefing(spec, exercise.expectations.get(spec.id or "")) for spec in inject.spec.expect]


def objective_label(exercise: Exercise, spec: Expectation, texts: Texts) -> str:
    """``O3 Infrastructure systems``: the objective an expectation measures, by its id and
    its capability's name (its statement, a sentence with counts and windows, belongs to
    the evaluation guide; beside each expectation it hid the action expected)."""
    objective_id = objective_of(exercise.scenario, spec)
    objective = next((o for o in exercise.scenario.objective_list() if o.id == objective_id), None)
    if objective is None or spec.objective is None:  # a version-1 file: its capability
        return capability_name(objective_id, texts.lang)
    return f"{objective.id} {capability_name(objective.capability, texts.lang)}"


def expectation_lines(exercise: Exercise, inject: InjectState, texts: Texts) -> list[Text]:
    """``✔ I-01.1 Infrastructure systems · ENERG repair → GPZ · within 2 h (until D+0 09:00)
    · 10/10 pts · met``: one line per expectation of the inject, live."""
    now = exercise.now
    lines = []
    for briefing in briefings(exercise, inject):
        spec, state, status = briefing.spec, briefing.state, briefing.status
        style = EXPECTATION_STYLE[status]
        line = Text(no_wrap=False)
        line.append(f"{EXPECTATION_MARK[status]} ", style=style)
        line.append(f"{spec.id} ", style="bold")
        line.append(objective_label(exercise, spec, texts), style="italic")
        line.append(" · ")
        line.append(spec.team.upper(), style="bold magenta")
        line.append(f" {action_label(spec.action, texts)}", style="bold")
        if spec.target is not None:
            target = target_name(
                exercise.model, exercise.scenario, spec.target, spec.action, texts.lang
            )
            line.append(f" → {target}")
        line.append(" · ")
        if state is None:
            line.append(texts("expect.within", within=duration_text(spec.within, texts)))
        else:
            line.append(
                texts(
                    "expect.until",
                    within=duration_text(spec.within, texts),
                    clock=clock_text(exercise, state.deadline),
                )
            )
        line.append(" · ")
        if state is None:
            line.append(texts("expect.points", points=points_text(spec.points, texts)))
        else:
            line.append(
                texts(
                    "expect.earned",
                    points=points_text(state.points, texts),
                    max=points_text(spec.points, texts),
                )
            )
        line.append(" · ")
        if status == "open":
            left = countdown_text(state.deadline - now, texts) if state is not None else ""
            line.append(texts("expect.status.open", left=left), style=style)
        elif status == "record":
            action = state.action_id if state is not None else ""
            line.append(texts("expect.status.record", action=action), style=style)
        else:
            line.append(texts(f"expect.status.{status}"), style=style)
        if spec.description is not None:
            line.append("\n   " + texts.pick(spec.description, ""), style="dim")
        lines.append(line)
    return lines


def effect_text(exercise: Exercise, effect: Effect, texts: Texts) -> str:
    """``damage: GPZ Centrum, Most``: an effect with its targets by name."""
    return effect_label(effect, exercise.assets, texts.lang, zone_names(exercise.model))


def skip_consequences(exercise: Exercise, inject_id: str, texts: Texts) -> list[str]:
    """What skipping an inject takes away: its effects, its expectations, the branches after it.

    A branch waits for an inject when its condition is the inject's delivery or
    an expectation of it met or missed; skipped, the inject never opens them, so
    those branches never arrive either.
    """
    state = exercise.injects[inject_id]
    spec = state.spec
    lines = []
    for effect in spec.effects:
        lines.append(texts("skip.effect", effect=effect_text(exercise, effect, texts)))
    if spec.expect:
        total = sum(e.points for e in spec.expect)
        lines.append(
            texts.plural("skip.expectations", len(spec.expect), points=points_text(total, texts))
        )
    lost = {inject_id}
    changed = True
    while changed:  # a branch after a lost branch is lost too
        changed = False
        own = {e.id for i in lost for e in exercise.injects[i].spec.expect}
        for other in exercise.injects.values():
            condition = other.spec.when
            if other.status != "pending" or condition is None or other.spec.id in lost:
                continue
            if condition.delivered in lost or condition.met in own or condition.missed in own:
                lost.add(other.spec.id)
                changed = True
    for other in exercise.injects.values():
        if other.spec.id in lost and other.spec.id != inject_id:
            title = texts.pick(other.spec.title, other.spec.id)
            lines.append(texts("skip.branch", inject=other.spec.id, title=title))
    if not lines:
        lines.append(texts("skip.nothing"))
    return lines


def undeliver_consequences(exercise: Exercise, inject_id: str, texts: Texts) -> list[str]:
    """What undelivering an inject does to its expectations: the open ones are void, those
    the teams already met stay (docs/exercise.md)."""
    own = [e.id for e in exercise.injects[inject_id].spec.expect if e.id is not None]
    states = [(e, exercise.expectations.get(e)) for e in own]
    void = [e for e, state in states if state is not None and state.status in ("pending", "missed")]
    kept = [e for e, state in states if state is not None and state.status in ("met", "late")]
    lines = []
    if void:
        lines.append(texts("undeliver.void", expectations=", ".join(void)))
    if kept:
        lines.append(texts("undeliver.kept", expectations=", ".join(kept)))
    return lines
