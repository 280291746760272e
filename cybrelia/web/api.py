"""The JSON API's bodies as pydantic models: one definition for checking and for the schema.

``docs/participants.schema.json`` is :func:`api_schema`, written out; a test
keeps the two equal.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from cybrelia.exercise.types import ActionRequest
from cybrelia.files.actions import ActionName
from cybrelia.web.feed import Item

__all__ = ["ActionAnswer", "ActionBody", "Feed", "FeedItem", "Refused", "api_schema", "feed_item"]

#: Longest note or decision record a team can send (characters).
NOTE_LENGTH = 2000


class ActionBody(BaseModel):
    """``POST /api/actions``: a response action, or a decision record (action ``note``)."""

    model_config = ConfigDict(extra="forbid")

    action: ActionName
    target: str | None = Field(default=None, max_length=200)
    params: dict[str, str | int | float | bool] = Field(default_factory=dict, max_length=10)
    note: str = Field(default="", max_length=NOTE_LENGTH)
    team: str | None = Field(
        default=None, description="optional; if given it must be the token's own team (else 403)"
    )

    def request(self, team: str) -> ActionRequest:
        """The session's request for ``team`` (the token's team, never one from the body)."""
        return ActionRequest(team, self.action, self.target, dict(self.params), self.note.strip())


class ActionAnswer(BaseModel):
    """201: the action's id and state (``held`` while it waits for the facilitator)."""

    id: str
    state: str
    detail: str = ""
    detail_pl: str = ""


class Refused(BaseModel):
    """422: why the session refused the submission (or why it is invalid)."""

    error: Literal["refused", "invalid"]
    reason: str
    reason_pl: str | None = None


class FeedItem(BaseModel):
    """One item of a team's feed (``GET /api/feed``, and each ``GET /api/events`` event)."""

    seq: int = Field(description="order of the item; the SSE event id")
    kind: Literal["inject", "message", "action", "media"]
    id: str = Field(description="inject id, message topic:subject, action id (A001) or hold (H001)")
    t: float = Field(description="sim time in hours")
    clock: str = Field(description="the scenario clock, D+0 06:30")
    to: list[str] = Field(description="the team ids it was addressed to")
    channel: str | None = None
    title: str | None = None
    text: str = Field(description="in the language asked for (?lang=pl|en)")
    status: str | None = Field(default=None, description="an action's state")
    action: str | None = None
    target: str | None = None


class Feed(BaseModel):
    """``GET /api/feed``: the team's items after ``?after=`` (all by default)."""

    team: str
    last: int = Field(description="the newest sequence number; pass it as ?after= next time")
    items: list[FeedItem]


def feed_item(item: Item, lang: str) -> dict[str, Any]:
    """A bulletin item as the API gives it: texts in ``lang``."""
    title = item.get("title")
    return {
        "seq": item["seq"],
        "kind": item["kind"],
        "id": item["id"],
        "t": item["t"],
        "clock": item["clock"],
        "to": list(item["to"]),
        "channel": item.get("channel"),
        "title": title.get(lang) if title else None,
        "text": (item.get("text") or {}).get(lang, ""),
        "status": item.get("status"),
        "action": item.get("action"),
        "target": item.get("target"),
    }


def api_schema() -> dict[str, Any]:
    """The JSON Schema of the API's bodies, one definition per body."""
    models: dict[str, type[BaseModel]] = {
        "ActionBody": ActionBody,
        "ActionAnswer": ActionAnswer,
        "Refused": Refused,
        "Feed": Feed,
    }
    defs: dict[str, Any] = {}
    for name, model in models.items():
        schema = model.model_json_schema(ref_template="#/$defs/{model}")
        defs.update(schema.pop("$defs", {}))
        defs[name] = schema
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "CYBRELIA participant API",
        "$defs": dict(sorted(defs.items())),
    }
