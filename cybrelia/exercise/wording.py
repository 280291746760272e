"""What an action's detail, a refusal or a consequence message says, in words.

The records (the journal, the export) write a detail with ids and ``1d4h55m``
(``gen-mobile-large w drodze, 1h30m``); every console shows it in words
(``agregat prądotwórczy 100 kVA w drodze, 1 h 30 min``) from its
:class:`~cybrelia.exercise.events.Detail`.  Both consoles need it, the
facilitator's (Textual) and the participants' (the web, which must not import
Textual), so it lives here, below both, with nothing of either's stack.
"""

from __future__ import annotations

from cybrelia.exercise.core import Exercise
from cybrelia.exercise.events import Detail, MessageEvent, Named
from cybrelia.exercise.types import ActionState
from cybrelia.files.names import area_name
from cybrelia.i18n import MessageError, Texts, message_text, text, vocabulary

__all__ = [
    "action_detail_text",
    "consequence_text",
    "detail_text",
    "named_text",
    "refusal_text",
    "resource_text",
]


def resource_text(exercise: Exercise, resource_id: str, texts: Texts) -> str:
    """A resource by its name: its kind's (``agregat prądotwórczy``), told apart from the
    others of its kind by its power (``100 kVA``) or else its id; its id when unknown."""
    pool = exercise.pools.get(resource_id)
    if pool is None:
        return resource_id
    resource = pool.resource
    name = vocabulary.resource_label(resource.kind, texts.lang)
    alike = [p.resource for p in exercise.pools.values() if p.kind == resource.kind]
    if len(alike) == 1:
        return name
    if resource.kva is not None and sum(r.kva == resource.kva for r in alike) == 1:
        return f"{name} {texts.number(resource.kva)} kVA"
    return f"{name} ({resource.id})"


def named_text(exercise: Exercise, named: Named, texts: Texts) -> str:
    """A field that names a thing of the exercise, in words: a resource or an area (a
    district, a zone) by its name, a kind of resource or a channel in the language, a
    duration as ``3 h 20 min``."""
    if named.what == "hours":
        return vocabulary.duration_label(float(named.value), texts.lang)
    value = str(named.value)
    if named.what == "resource":
        return resource_text(exercise, value, texts)
    if named.what == "resource_kind":
        return vocabulary.resource_label(value, texts.lang)
    if named.what == "area":
        return area_name(exercise.model, value, texts.lang)
    return vocabulary.channel_label(value, texts.lang)


def detail_text(exercise: Exercise, detail: Detail, texts: Texts) -> str:
    """An action's detail or a refusal in words: its :class:`Named` fields by name."""
    fields = {
        name: named_text(exercise, value, texts) if isinstance(value, Named) else value
        for name, value in detail.fields.items()
    }
    return text(detail.key, texts.lang, **fields)


def action_detail_text(exercise: Exercise, state: ActionState, texts: Texts) -> str:
    """An action's latest detail in words, true at this instant.

    The detail was written when the step began (``crew on its way, 1 h 30 min``); while
    the action is under way a console says where it stands now: a crew on its way
    or already on site and when it will be done, a generator's arrival counted down,
    the places a loudspeaker car has already announced in.  A note's detail is its text.
    """
    reason = state.reason
    if reason is None:
        return state.detail_in(texts.lang)
    if state.status == "started":
        now = _under_way(exercise, state, reason, texts)
        if now is not None:
            return now
    return detail_text(exercise, reason, texts)


def _under_way(exercise: Exercise, state: ActionState, reason: Detail, texts: Texts) -> str | None:
    """What a started action is doing now, or None when its detail says it already."""
    fields, lang, since = reason.fields, texts.lang, exercise.now - state.reason_at
    pool = fields.get("pool")
    if not isinstance(pool, Named):
        return None
    crew = named_text(exercise, pool, texts)
    hours = fields.get("hours")
    if reason.key == "detail.loudspeaker_out":
        message = exercise.information.messages.get(state.id)
        if message is None or not message.reached:
            return None
        done, total = len(message.reached), len(message.districts)
        return text("detail.loudspeaker_progress", lang, pool=crew, done=done, total=total)
    if not isinstance(hours, Named):
        return None
    left = float(hours.value) - since
    if reason.key == "detail.on_its_way":
        return text("detail.on_its_way_left", lang, pool=crew, left=_left(left, lang))
    if reason.key != "detail.crew_work":
        return None
    work = fields["work"]
    travel = fields.get("travel")
    if isinstance(travel, Named) and since < float(travel.value):
        there = _left(float(travel.value) - since, lang)
        return text("detail.crew_travelling", lang, pool=crew, work=work, left=there)
    key = "detail.crew_on_site" if isinstance(travel, Named) else "detail.crew_work_left"
    return text(key, lang, pool=crew, work=work, left=_left(left, lang))


def _left(hours: float, lang: str) -> str:
    """Time left, to the minute above (``1 min`` while seconds remain)."""
    return vocabulary.duration_label(max(hours, 0.0), lang, left=True)


def consequence_text(exercise: Exercise, event: MessageEvent, texts: Texts) -> str:
    """A consequence message to the teams in words (its fuel left as ``2 h``, not ``2h``)."""
    if event.said is not None:
        return detail_text(exercise, event.said, texts)
    return texts.pick(event.text, event.subject)


def refusal_text(exercise: Exercise, error: BaseException, texts: Texts) -> str:
    """Why the session refused a move, in words (:func:`detail_text`)."""
    if isinstance(error, MessageError):
        return detail_text(exercise, Detail(error.key, error.fields), texts)
    return message_text(error, texts.lang)
