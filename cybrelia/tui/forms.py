"""The facilitator's forms and the confirmation dialog (modal screens).

A form calls the session itself when the facilitator submits it; if the
session refuses (:class:`~cybrelia.exercise.core.Refusal`) or the text does not
parse, the reason is shown in the form, which stays open to be corrected.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widget import Widget
from textual.widgets import (
    Button,
    Input,
    Label,
    OptionList,
    Select,
    SelectionList,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option
from textual.widgets.select import NoSelection
from textual.widgets.selection_list import Selection

from cybrelia.exercise.actions import param_kinds
from cybrelia.exercise.core import Exercise, ExpectationState
from cybrelia.exercise.journal import JournalError
from cybrelia.exercise.support import CHANNELS as SUPPORT_CHANNELS
from cybrelia.exercise.types import ActionRequest, Refusal
from cybrelia.files.actions import ACTIONS, RESOURCE_KINDS
from cybrelia.files.capabilities import capability_id, capability_name
from cybrelia.files.information import CHANNELS as MESSAGE_CHANNELS
from cybrelia.files.names import target_name
from cybrelia.files.scenario import CHANNELS
from cybrelia.i18n import channel_label, message_text
from cybrelia.tui.context import Desk
from cybrelia.tui.labels import (
    action_label,
    action_line,
    causes_text,
    effects_text,
    parse_clock,
    parse_effects,
    parse_params,
    refusal_text,
    resource_text,
    state_text,
)

__all__ = [
    "ActionForm",
    "AdhocInjectForm",
    "CancelActionForm",
    "ChooseScreen",
    "ConfirmRecordForm",
    "ConfirmScreen",
    "EditInjectForm",
    "Form",
    "NoteForm",
    "RateForm",
    "UndeliverForm",
    "unconfirmed_records",
]

T = TypeVar("T")
RATINGS = ("P", "S", "M", "U")


def chosen(select: Select[T]) -> T | None:
    """A select's value, or None when nothing is chosen."""
    value = select.value
    return None if isinstance(value, NoSelection) else value


def _checked(label: str, checked: bool) -> str:
    """A team's line in a list of teams: ``✔`` when chosen, ``·`` when not."""
    return f"{'✔' if checked else '·'} {label}"


def _bilingual(pl: str, en: str) -> dict[str, str] | None:
    """Both languages of a text; one given alone stands for both; none gives None."""
    pl, en = pl.strip(), en.strip()
    if not pl and not en:
        return None
    return {"pl": pl or en, "en": en or pl}


class TargetSuggester(Suggester):
    """Completes a target: a name typed whole stays as typed, even when a longer name
    begins with it, and several names that begin alike complete only as far as they
    agree.

    Textual's own completed to the first option that began with the text, so the full
    name "Linia napowietrzna SN Zalesie" became "…Zalesie - Kamionka"; the hint under
    the field lists the names that fit.
    """

    def __init__(self, suggestions: Iterable[str]) -> None:
        # Textual passes the typed value case-folded (``case_sensitive=False``).
        super().__init__(case_sensitive=False)
        self.options = [(option, option.casefold()) for option in suggestions]

    async def get_suggestion(self, value: str) -> str | None:
        """The option ``value`` names exactly, else the part all options beginning so share."""
        matches = [option for option, compared in self.options if compared.startswith(value)]
        exact = [option for option in matches if option.casefold() == value]
        if exact or not matches:
            return exact[0] if exact else None
        folded = [option.casefold() for option in matches]
        agreed = next(
            (i for i, chars in enumerate(zip(*folded, strict=False)) if len(set(chars)) > 1),
            min(len(option) for option in folded),
        )
        return matches[0][:agreed] if agreed > len(value) else None


class ConfirmScreen(ModalScreen[bool]):
    """Yes or no, before something that cannot be undone."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,t", "answer(True)", show=False),
        Binding("n,escape", "answer(False)", show=False),
    ]

    def __init__(
        self,
        desk: Desk,
        question: str,
        *,
        irreversible: bool = True,
        details: Sequence[str] = (),
        hint: str | None = None,
    ) -> None:
        super().__init__(classes="modal")
        self.desk = desk
        self.question = question
        self.irreversible = irreversible
        self.details = tuple(details)
        #: What can and cannot be taken back, when "cannot be undone" would not be true.
        self.hint = hint

    def compose(self) -> ComposeResult:
        texts = self.desk.texts
        with Vertical(id="confirm", classes="dialog"):
            yield Static(self.question, id="confirm-question", markup=False)
            if self.details:
                yield Static(
                    "\n".join(f"• {line}" for line in self.details),
                    id="confirm-details",
                    markup=False,
                )
            if self.hint is not None:
                yield Static(self.hint, classes="hint", markup=False)
            elif self.irreversible:
                yield Static(texts("confirm.irreversible"), classes="hint")
            with Horizontal(classes="buttons"):
                yield Button(texts("confirm.yes"), id="yes", variant="error")
                yield Button(texts("confirm.no"), id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def action_answer(self, answer: bool) -> None:
        """Close with the answer."""
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class Form(ModalScreen[bool]):
    """A modal form: fields, a line for the session's refusal, save and cancel.

    Subclasses yield their fields from :meth:`fields` and make the session call in
    :meth:`submit`; raising :class:`Refusal` or :class:`ValueError` there shows the
    reason in the form.  The form is dismissed with True once the session took it.
    """

    TITLE_KEY = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", show=False),
        Binding("ctrl+s", "submit", show=False, priority=True),
    ]

    #: Makes the session call; raises Refusal or ValueError to show a reason.
    #: Each form defines it.
    submit: Callable[[], None]

    def __init__(self, desk: Desk) -> None:
        super().__init__(classes="modal")
        self.desk = desk
        self._team_labels: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        texts = self.desk.texts
        with Vertical(classes="dialog form"):
            yield Label(texts(self.TITLE_KEY), classes="form-title")
            with VerticalScroll(classes="form-fields", can_focus=False):
                yield from self.fields()
            yield Static("", id="form-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(texts("form.save"), id="save", variant="primary")
                yield Button(texts("form.cancel"), id="cancel")
            yield Static(texts("form.hint"), classes="hint")

    def fields(self) -> Iterable[Widget]:
        """The form's fields."""
        return ()

    def on_mount(self) -> None:
        for widget in self.query_one(".form-fields").query("*"):
            if widget.focusable:
                widget.focus()
                break

    def field(self, label_key: str, widget: Widget) -> Iterable[Widget]:
        """A labelled field: the label on the left, the input on the right."""
        yield Horizontal(
            Label(self.desk.texts(label_key), classes="field-label"), widget, classes="field"
        )

    def show_error(self, message: str) -> None:
        """Show why the form could not be saved."""
        error = self.query_one("#form-error", Static)
        error.update(message)
        error.set_class(bool(message), "-shown")

    def action_submit(self) -> None:
        """Save: the session call, or the reason it was refused."""
        try:
            self.submit()
        except Refusal as refusal:
            texts = self.desk.texts
            reason = refusal_text(self.desk.exercise, refusal, texts)
            self.show_error(texts("form.refused", reason=reason))
            return
        except (ValueError, JournalError) as error:
            texts = self.desk.texts
            self.show_error(texts("form.invalid", reason=message_text(error, texts.lang)))
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(False)

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def value(self, widget_id: str) -> str:
        """The text of an input or text area."""
        widget = self.query_one(f"#{widget_id}")
        if isinstance(widget, TextArea):
            return widget.text
        assert isinstance(widget, Input)
        return widget.value

    def teams_field(self, chosen_teams: Iterable[str] = ()) -> SelectionList[str]:
        """The teams to choose from, each marked ✔ when chosen (not only by colour)."""
        chosen_set = set(chosen_teams)
        self._team_labels = dict((team, label) for label, team in self.team_options())
        return SelectionList[str](
            *[
                Selection(_checked(label, team in chosen_set), team, team in chosen_set)
                for team, label in self._team_labels.items()
            ],
            id="teams",
            compact=True,
        )

    @on(SelectionList.SelectedChanged, "#teams")
    def _teams_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        teams = event.selection_list
        chosen_now = set(teams.selected)
        for index in range(teams.option_count):
            team = teams.get_option_at_index(index).value
            label = self._team_labels.get(team, team)
            teams.replace_option_prompt_at_index(index, _checked(label, team in chosen_now))

    def channel_field(self, channel: str | None = None) -> Select[str]:
        """How the inject reaches the teams (none chosen: no channel)."""
        texts = self.desk.texts
        channels = [(texts(f"channel.{name}"), name) for name in CHANNELS]
        return Select(
            channels,
            id="channel",
            prompt=texts("form.none"),
            value=channel if channel is not None else Select.NULL,
            compact=True,
        )

    def team_options(self) -> list[tuple[str, str]]:
        """The teams as select options."""
        options = []
        for team in self.desk.exercise.teams:
            name = self.desk.team_name(team)
            if len(name) > 48:
                name = name[:47] + "…"
            options.append((f"{self.desk.digest.team_label(team)}: {name}", team))
        return options


class EditInjectForm(Form):
    """Change a pending inject before it is delivered: title, message, time."""

    TITLE_KEY = "form.edit.title"

    def __init__(self, desk: Desk, inject_id: str) -> None:
        super().__init__(desk)
        self.inject_id = inject_id

    def fields(self) -> Iterable[Widget]:
        spec = self.desk.exercise.injects[self.inject_id].spec
        title = spec.title.model_dump() if spec.title else {"pl": "", "en": ""}
        message = spec.message.model_dump() if spec.message else {"pl": "", "en": ""}
        yield Label(self.desk.texts("form.edit.inject", inject=spec.id), classes="form-subtitle")
        yield from self.field("form.title_pl", Input(title["pl"], id="title-pl", compact=True))
        yield from self.field("form.title_en", Input(title["en"], id="title-en", compact=True))
        yield from self.field(
            "form.message_pl",
            TextArea(message["pl"], id="message-pl", classes="message", compact=True),
        )
        yield from self.field(
            "form.message_en",
            TextArea(message["en"], id="message-en", classes="message", compact=True),
        )
        at = "" if spec.at is None else self.desk.clock(spec.at)
        time = Input(at, id="at", compact=True, disabled=spec.at is None)
        if spec.at is not None:
            yield from self.field("form.edit.at", time)
        else:
            yield from self.field("form.edit.branch", time)
        yield from self.field("form.teams", self.teams_field(spec.to))
        yield from self.field("form.channel", self.channel_field(spec.channel))
        written = effects_text(spec.effects)
        effects = Input(
            written or "",
            id="effects",
            compact=True,
            placeholder=self.desk.texts("form.effects_hint"),
            disabled=written is None,
        )
        yield from self.field("form.effects", effects)
        if written is None:
            yield Static(self.desk.texts("form.edit.effects_in_file"), classes="hint")

    def submit(self) -> None:
        state = self.desk.exercise.injects[self.inject_id]
        spec = state.spec
        changes: dict[str, Any] = {}
        title = _bilingual(self.value("title-pl"), self.value("title-en"))
        old_title = spec.title.model_dump() if spec.title else None
        if title != old_title:
            changes["title"] = title
        message = _bilingual(self.value("message-pl"), self.value("message-en"))
        old_message = spec.message.model_dump() if spec.message else None
        if message != old_message:
            changes["message"] = message
        if spec.at is not None:
            at = self._time()
            if abs(at - spec.at) > 1e-9:
                changes["at"] = at
        teams = list(self.query_one("#teams", SelectionList).selected)
        if sorted(teams) != sorted(spec.to):
            changes["to"] = [team for team in self.desk.exercise.teams if team in teams]
        channel = chosen(self.query_one("#channel", Select))
        if channel != spec.channel:
            changes["channel"] = channel
        if effects_text(spec.effects) is not None:
            effects = parse_effects(self.value("effects"))
            if effects != parse_effects(effects_text(spec.effects) or ""):
                changes["effects"] = effects
        if changes:
            self.desk.session.edit(self.inject_id, changes)

    def _time(self) -> float:
        """The new time, refused in words when it is before the start or already past."""
        texts, session = self.desk.texts, self.desk.session
        written = self.value("at").strip()
        try:
            at = parse_clock(written, self.desk.exercise.scenario.start)
        except ValueError:
            raise ValueError(texts("form.edit.bad_time", time=written)) from None
        if at < 0:
            start = self.desk.clock(0.0)
            raise ValueError(texts("form.edit.before_start", time=written, start=start))
        if at < session.now - 1e-9:
            raise ValueError(texts("form.edit.past", time=written, now=self.desk.clock()))
        return at


class AdhocInjectForm(Form):
    """Write an inject now: title and message in both languages, teams, channel, effects."""

    TITLE_KEY = "form.adhoc.title"

    def fields(self) -> Iterable[Widget]:
        texts = self.desk.texts
        yield from self.field("form.title_pl", Input(id="title-pl", compact=True))
        yield from self.field("form.title_en", Input(id="title-en", compact=True))
        yield from self.field(
            "form.message_pl", TextArea(id="message-pl", classes="message", compact=True)
        )
        yield from self.field(
            "form.message_en", TextArea(id="message-en", classes="message", compact=True)
        )
        yield from self.field("form.teams", self.teams_field())
        yield from self.field("form.channel", self.channel_field())
        yield from self.field(
            "form.effects",
            Input(id="effects", compact=True, placeholder=texts("form.effects_hint")),
        )

    def submit(self) -> None:
        title = _bilingual(self.value("title-pl"), self.value("title-en"))
        if title is None:
            raise ValueError(self.desk.texts("form.adhoc.no_title"))
        inject: dict[str, Any] = {
            "title": title,
            "to": list(self.query_one("#teams", SelectionList).selected),
            "effects": parse_effects(self.value("effects")),
        }
        message = _bilingual(self.value("message-pl"), self.value("message-en"))
        if message is not None:
            inject["message"] = message
        channel = chosen(self.query_one("#channel", Select))
        if channel is not None:
            inject["channel"] = channel
        self.desk.session.add_inject(inject)


class ActionForm(Form):
    """Record a team's action: team, action, target, parameters and a note."""

    TITLE_KEY = "form.action.title"

    def __init__(
        self,
        desk: Desk,
        *,
        team: str | None = None,
        target: str | None = None,
        expected: ExpectationState | None = None,
    ) -> None:
        super().__init__(desk)
        #: The action an open expectation asks for: its team, action and target fill the
        #: form (the team the last action's only when nothing is filled from one).
        self.action = expected.spec.action if expected is not None else None
        if expected is not None:
            team, target = expected.spec.team, expected.spec.target
        remembered = desk.recall.last_team if expected is None else None
        for candidate in (team, remembered):
            if candidate in desk.exercise.teams:
                self.team: str | None = candidate
                break
        else:
            self.team = None
        self.target = target

    def fields(self) -> Iterable[Widget]:
        texts = self.desk.texts
        teams = self.team_options()
        team = self.team or (teams[0][1] if teams else None)
        yield from self.field(
            "form.team",
            Select(
                teams,
                id="team",
                value=team if team else Select.NULL,
                allow_blank=not teams,
                prompt=texts("form.none"),
                compact=True,
            ),
        )
        # By their names in the language: the ids are the files' words, not the room's.
        actions = [(action_label(name, texts), name) for name in ACTIONS]
        default = self.action or ("repair" if self.target in self.desk.exercise.assets else "note")
        yield from self.field(
            "form.action",
            Select(actions, id="action", value=default, allow_blank=False, compact=True),
        )
        yield from self.field(
            "form.target",
            Input(
                self._written_target(default),
                id="target",
                compact=True,
                suggester=self._suggester(default),
            ),
        )
        yield Static("", id="target-hint", classes="hint", markup=False)
        yield from self.field("form.params", Input(id="params", compact=True))
        yield Static("", id="params-hint", classes="hint", markup=False)
        yield from self.field("form.note", Input(id="note", compact=True))

    def on_mount(self) -> None:
        super().on_mount()
        self._hint()

    def _targets(self, action: str) -> list[str]:
        exercise = self.desk.exercise
        kind = ACTIONS[action].target
        if kind == "asset":
            return list(exercise.engine.asset_ids)
        if kind == "district":
            return sorted(exercise.population.districts)
        if kind == "area":  # a district, a hazard zone (its districts) or the whole gmina
            districts = exercise.population.districts
            zones = sorted({z for d in districts.values() for z in d.zones} - set(districts))
            return [*sorted(districts), *zones, "all"]
        if kind == "claim":
            return sorted(exercise.population.claims)
        if kind == "resource_kind":
            return sorted(RESOURCE_KINDS | {resource.kind for resource in exercise.model.resources})
        return []

    def _target_name(self, action: str, target: str) -> str:
        """A target's name as people say it: an asset's, a district's or a zone's name, "the
        whole gmina" for ``all``, a kind of resource by its name; the id itself when it
        has no other name."""
        exercise = self.desk.exercise
        return target_name(exercise.model, exercise.scenario, target, action, self.desk.texts.lang)

    def _named(self, action: str) -> dict[str, str]:
        """The targets of ``action`` whose name differs from their id, by name (casefolded);
        a name two targets share names neither."""
        names: dict[str, list[str]] = {}
        for option in self._targets(action):
            name = self._target_name(action, option)
            if name != option:
                names.setdefault(name.casefold(), []).append(option)
        return {name: ids[0] for name, ids in sorted(names.items()) if len(ids) == 1}

    def _written_target(self, action: str) -> str:
        """The target the form opens with, by its name as a facilitator would type it (the
        id when that name does not name it alone)."""
        if self.target is None:
            return ""
        name = self._target_name(action, self.target)
        return name if self._resolved(action, name) == self.target else self.target

    def _suggester(self, action: str) -> TargetSuggester:
        options = self._targets(action)
        if ACTIONS[action].target != "none":
            # Targets are suggested by their names too: "Dęb" completes to "Dębowiec",
            # "SUW Le" to "SUW Leśna Góra (1 studnia)", "agr" to "agregat prądotwórczy".
            named = [self._target_name(action, o) for o in options]
            options = [*options, *(n for n in named if n not in options)]
        return TargetSuggester(options)

    def _resolved(self, action: str, target: str) -> str:
        """The id of a target typed as its name (a district's, a zone's), else ``target``."""
        if target in self._targets(action):
            return target
        return self._named(action).get(target.casefold(), target)

    @on(Select.Changed, "#action")
    def _action_changed(self) -> None:
        action = chosen(self.query_one("#action", Select)) or "note"
        target = self.query_one("#target", Input)
        target.suggester = self._suggester(action)
        target.disabled = ACTIONS[action].target == "none"
        self._hint()

    @on(Input.Changed, "#target")
    def _target_changed(self) -> None:
        self._hint()

    def _hint(self) -> None:
        texts, exercise = self.desk.texts, self.desk.exercise
        action = chosen(self.query_one("#action", Select)) or "note"
        target = self.value("target").strip()
        kind = ACTIONS[action].target
        hint = ""
        if action == "note":
            hint = self._record_hint()
        elif kind == "none":
            hint = texts("form.action.no_target")
        elif not target:
            options = self._targets(action)
            examples = ", ".join(self._target_name(action, option) for option in options[:4])
            hint = texts("form.action.choose", examples=examples)
        elif kind == "asset" and (asset_id := self._resolved(action, target)) in exercise.assets:
            status = exercise.engine.status(asset_id)
            hint = f"→ {exercise.assets[asset_id].label}: {state_text(status.state, texts)}"
            if status.causes:
                hint += f" ({causes_text(status.causes, texts)})"
        elif (resolved := self._resolved(action, target)) in self._targets(action):
            name = self._target_name(action, resolved)
            hint = f"→ {name}" + (
                f" ({texts('label.id', id=resolved)})" if name != resolved else ""
            )
        else:
            needle = target.casefold()
            matches = [
                option
                for option in self._targets(action)
                if needle in option.casefold()
                or needle in self._target_name(action, option).casefold()
            ]
            if matches:
                shown = ", ".join(
                    f"{name} ({texts('label.id', id=m)})"
                    if (name := self._target_name(action, m)) != m
                    else m
                    for m in matches[:3]
                )
                # → completes only what a name or an id begins with ("whole" is inside
                # "the whole gmina"): the hint promises it only then.
                begins = any(
                    option.casefold().startswith(needle)
                    or self._target_name(action, option).casefold().startswith(needle)
                    for option in matches
                )
                key = "form.action.matches" if begins else "form.action.matches_inside"
                hint = texts(key, matches=shown)
            else:
                hint = texts("form.action.unknown_target", target=target)
        self.query_one("#target-hint", Static).update(hint)
        self._params_hint(action)

    def _params_hint(self, action: str) -> None:
        """Which parameters the action takes, in words, with an example of each, and the
        resources one can name; an action without parameters has its field off (Tab
        passes it by)."""
        texts = self.desk.texts
        # The parameters the exercise reads, from the one table that says so (ACTIONS).
        params = tuple(param.name for param in ACTIONS[action].params)
        if params:
            words = "; ".join(self._param_words(action, name) for name in params)
            hint = texts("form.params.for", params=words)
        else:
            hint = texts("form.params.none")
        self.query_one("#params-hint", Static).update(hint)
        field = self.query_one("#params", Input)
        field.placeholder = texts(f"param.{params[0]}").split(" ", 1)[0] if params else ""
        field.disabled = not params
        if not params:
            field.value = ""

    def _param_words(self, action: str, name: str) -> str:
        """A parameter in words; one that names a resource lists the model's that fit."""
        texts = self.desk.texts
        words = texts(f"param.{name}")
        if name == "channel":  # written as its name or its id: syreny (id: sirens)
            channels = ", ".join(
                f"{label} ({texts('label.id', id=c)})"
                if (label := channel_label(c, texts.lang)) != c
                else c
                for c in _channels(action)
            )
            return f"{words}: {texts('form.params.channels', channels=channels)}"
        kinds = self._resource_kinds(action, name)
        if kinds is None:
            return words
        pools = self.desk.exercise.pools.values()
        ids = sorted(pool.id for pool in pools if pool.kind in kinds)
        if not ids:
            return f"{words}: {texts('form.params.no_resources')}"
        exercise = self.desk.exercise
        named = ", ".join(
            f"{resource_text(exercise, pool_id, texts)} ({texts('label.id', id=pool_id)})"
            for pool_id in ids
        )
        return f"{words}: {texts('form.params.resources', resources=named)}"

    def _resource_kinds(self, action: str, name: str) -> tuple[str, ...] | None:
        """The kinds of resources ``name`` chooses from (the exercise's own answer, for the
        target typed so far), or None if it names none."""
        target = self._resolved(action, self.value("target").strip())
        return param_kinds(self.desk.exercise, action, name, target)

    def _record_hint(self) -> str:
        """A team's note is its decision record: which open expectations it can meet."""
        texts, exercise = self.desk.texts, self.desk.exercise
        team = chosen(self.query_one("#team", Select))
        waiting = sorted(
            expectation_id
            for expectation_id, state in exercise.expectations.items()
            if state.spec.action == "note"
            and state.spec.team == team
            and state.status in ("pending", "missed")
            and state.recorded_at is None
        )
        if waiting:
            return texts("form.action.record_for", expectations=", ".join(waiting))
        return texts("form.action.record")

    @on(Select.Changed, "#team")
    def _team_changed(self) -> None:
        self._hint()

    def submit(self) -> None:
        team = chosen(self.query_one("#team", Select))
        if team is None:
            raise ValueError(self.desk.texts("form.action.no_team"))
        action = chosen(self.query_one("#action", Select)) or "note"
        target = self.value("target").strip() or None
        if ACTIONS[action].target == "none":
            target = None
        elif target is not None:
            target = self._resolved(action, target)
        params = parse_params(_channel_ids(action, self.value("params")))
        request = ActionRequest(team, action, target, params, self.value("note").strip())
        self.desk.recall.last_team = team  # the next action is most often the same team's
        self.desk.session.submit(request)


def _channels(action: str) -> tuple[str, ...]:
    """The channels an action's ``channel`` names: support's, or a message's."""
    return SUPPORT_CHANNELS if action == "request_support" else MESSAGE_CHANNELS


def _channel_ids(action: str, params: str) -> str:
    """The parameters as written, a channel named in either language (``channel=syreny``,
    ``channel=RCB alert``, any case) by its id, as the exercise takes it."""
    by_name = {
        channel_label(channel, lang).casefold(): channel
        for channel in _channels(action)
        for lang in ("pl", "en")
    }
    # The longest names first: "alert RCB" before a shorter name it may begin with.
    names = "|".join(re.escape(name) for name in sorted(by_name, key=len, reverse=True))
    written = re.compile(rf"(\bchannel\s*=\s*)({names})(?=$|[\s,;])", re.IGNORECASE)
    return written.sub(lambda m: m.group(1) + by_name[m.group(2).casefold()], params)


class RateForm(Form):
    """Rate a team's response to an inject: P, S, M or U, and an observation."""

    TITLE_KEY = "form.rate.title"

    def __init__(self, desk: Desk, inject_id: str | None = None) -> None:
        super().__init__(desk)
        self.inject_id = inject_id

    def fields(self) -> Iterable[Widget]:
        texts = self.desk.texts
        delivered = sorted(
            (s for s in self.desk.exercise.injects.values() if s.status == "delivered"),
            key=lambda s: -(s.delivered_at or 0.0),
        )
        options = [(f"{s.spec.id}: {texts.pick(s.spec.title, '')}", s.spec.id) for s in delivered]
        inject = self.inject_id if self.inject_id in {s.spec.id for s in delivered} else None
        if inject is None and delivered:
            inject = delivered[0].spec.id
        yield from self.field(
            "form.inject",
            Select(
                options,
                id="inject",
                value=inject or Select.NULL,
                prompt=texts("form.none"),
                compact=True,
            ),
        )
        teams = self.team_options()
        team = self._default_team(inject) or (teams[0][1] if teams else None)
        yield from self.field(
            "form.team",
            Select(
                teams,
                id="team",
                value=team or Select.NULL,
                allow_blank=not teams,
                prompt=texts("form.none"),
                compact=True,
            ),
        )
        ratings = [(texts(f"rating.{rating}"), rating) for rating in RATINGS]
        yield from self.field(
            "form.rating",
            Select(ratings, id="rating", prompt=texts("form.rate.choose"), compact=True),
        )
        # The letters are HSEEP's, English in Polish too: what each stands for.
        yield Static(texts("rating.legend"), id="rating-legend", classes="hint", markup=False)
        yield from self.field("form.observation", Input(id="note", compact=True))
        capabilities = {  # the scenario's core capabilities (HSEEP rates those)
            known: capability_name(known, texts.lang)
            for o in self.desk.exercise.scenario.objective_list()
            if (known := capability_id(o.capability)) is not None
        }
        yield from self.field(
            "form.rate.capability",
            Select(
                [(name, ident) for ident, name in capabilities.items()],
                id="capability",
                prompt=texts("form.rate.the_inject"),
                compact=True,
            ),
        )
        yield from self.field("form.analysis", Input(id="analysis", compact=True))
        yield from self.field("form.root_cause", Input(id="root-cause", compact=True))

    def _default_team(self, inject: str | None) -> str | None:
        if inject is None:
            return None
        to = self.desk.exercise.injects[inject].spec.to
        return to[0] if to else None

    @on(Select.Changed, "#inject")
    def _inject_changed(self) -> None:
        team = self._default_team(chosen(self.query_one("#inject", Select)))
        if team is not None:
            self.query_one("#team", Select).value = team

    def _submit_with_findings(self) -> bool:
        """Rate a capability, or an inject with analysis or root cause; False for neither.

        A capability is rated as HSEEP rates it, for the chosen team; the
        analysis and root cause go with the rating into the report.
        """
        capability = chosen(self.query_one("#capability", Select))
        findings = {
            "analysis": self.value("analysis").strip(),
            "root_cause": self.value("root-cause").strip(),
        }
        if capability is None and not any(findings.values()):
            return False
        texts = self.desk.texts
        inject = chosen(self.query_one("#inject", Select))
        team = chosen(self.query_one("#team", Select))
        rating = chosen(self.query_one("#rating", Select))
        if team is None:
            raise ValueError(texts("form.action.no_team"))
        if rating not in RATINGS:
            raise ValueError(texts("form.rate.rating_needed"))
        note = self.value("note").strip()
        if capability is not None:
            self.desk.session.rate_capability(capability, rating, note, team=team, **findings)
        elif inject is not None:
            self.desk.session.rate(inject, team, rating, note, **findings)
        else:
            raise ValueError(texts("form.rate.no_inject"))
        return True

    def submit(self) -> None:
        if self._submit_with_findings():
            return
        texts = self.desk.texts
        inject = chosen(self.query_one("#inject", Select))
        team = chosen(self.query_one("#team", Select))
        rating = chosen(self.query_one("#rating", Select))
        if inject is None:
            raise ValueError(texts("form.rate.no_inject"))
        if team is None:
            raise ValueError(texts("form.action.no_team"))
        if rating not in RATINGS:
            raise ValueError(texts("form.rate.no_rating"))
        self.desk.session.rate(inject, team, rating, self.value("note").strip())


class NoteForm(Form):
    """A facilitator's note in the decision log, for everyone or about one team."""

    TITLE_KEY = "form.note.title"

    def fields(self) -> Iterable[Widget]:
        texts = self.desk.texts
        yield Static(texts("form.note.what"), classes="form-subtitle", markup=False)
        yield from self.field("form.note_text", Input(id="text", compact=True))
        yield from self.field(
            "form.note_team",
            Select(self.team_options(), id="team", prompt=texts("form.everyone"), compact=True),
        )

    def submit(self) -> None:
        text = self.value("text").strip()
        if not text:
            raise ValueError(self.desk.texts("form.note.empty"))
        self.desk.session.note(text, chosen(self.query_one("#team", Select)))


class UndeliverForm(Form):
    """Take back a delivered inject: the note saying why is required and goes to the journal."""

    TITLE_KEY = "form.undeliver.title"

    def __init__(self, desk: Desk, inject_id: str) -> None:
        super().__init__(desk)
        self.inject_id = inject_id

    def fields(self) -> Iterable[Widget]:
        texts = self.desk.texts
        yield Static(
            texts("form.undeliver.why", inject=self.inject_id),
            classes="form-subtitle",
            markup=False,
        )
        yield from self.field("form.undeliver.note", Input(id="note", compact=True))

    def submit(self) -> None:
        note = self.value("note").strip()
        if not note:  # said in the form; nothing goes to the journal
            raise ValueError(self.desk.texts("refusal.undeliver_note"))
        self.desk.session.undeliver(self.inject_id, note)


class ChooseScreen(ModalScreen[str]):
    """Choose one item of a list (the screen that opened it asks to confirm)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", show=False)]
    TITLE_KEY = ""
    HINT_KEY = ""

    def __init__(self, desk: Desk) -> None:
        super().__init__(classes="modal")
        self.desk = desk

    def options(self) -> list[Option]:
        """The items, each with its id."""
        return []

    def compose(self) -> ComposeResult:
        texts = self.desk.texts
        with Vertical(classes="dialog form"):
            yield Label(texts(self.TITLE_KEY), classes="form-title")
            yield OptionList(*self.options(), id="choices")
            yield Static(texts(self.HINT_KEY), classes="hint")

    def action_close(self) -> None:
        """Close without choosing."""
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class CancelActionForm(ChooseScreen):
    """Choose one of the actions in progress to cancel."""

    TITLE_KEY = "form.cancel_action.title"
    HINT_KEY = "form.cancel_action.hint"

    def options(self) -> list[Option]:
        texts, exercise = self.desk.texts, self.desk.exercise
        return [
            Option(action_line(exercise, action, texts), id=action.id)
            for action in exercise.actions.values()
            if action.active
        ]


class ConfirmRecordForm(ChooseScreen):
    """Choose a team's decision record (a ``note`` action) to confirm for its expectation."""

    TITLE_KEY = "form.confirm_record.title"
    HINT_KEY = "form.confirm_record.hint"

    def options(self) -> list[Option]:
        texts, exercise = self.desk.texts, self.desk.exercise
        options = []
        for expectation_id, state in sorted(unconfirmed_records(exercise).items()):
            action = exercise.actions.get(state.action_id or "")
            line = Text()
            line.append(f"{expectation_id} ", style="bold")
            line.append(f"{state.spec.team.upper()} ", style="bold magenta")
            if action is not None:
                line.append(f"{action.id} ", style="dim")
                line.append(action.request.note or texts("form.confirm_record.no_text"))
            options.append(Option(line, id=expectation_id))
        return options


def unconfirmed_records(exercise: Exercise) -> dict[str, ExpectationState]:
    """Expectations whose team wrote a decision record the facilitator has not confirmed."""
    return {
        expectation_id: state
        for expectation_id, state in exercise.expectations.items()
        if state.recorded_at is not None and state.status not in ("met", "late")
    }
