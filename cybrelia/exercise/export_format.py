"""The session export as a documented format: its header and the JSON Schema of every record.

An export (``cybrelia export SESSION --jsonl``) is JSON Lines: a ``header``
record first, then the session's records in time order, then one
``summary``.  :data:`EXPORT_SCHEMA` (``cybrelia schema export``) describes
one line; ``docs/exercise.md`` lists the kinds.  The format has a version of
its own (:data:`EXPORT_FORMAT`): a change that a reader of version 1 could
misread gets a new one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

__all__ = ["EXPORT_FORMAT", "EXPORT_SCHEMA", "files_hash"]

EXPORT_FORMAT = "cybrelia.export/1"


def files_hash(files: Mapping[str, str]) -> str:
    """SHA-256 over the scenario's files (sorted by name; name, NUL, text, NUL each)."""
    digest = hashlib.sha256()
    for name, text in sorted(files.items()):
        digest.update(name.encode() + b"\0" + text.encode() + b"\0")
    return digest.hexdigest()


_NUM = {"type": "number"}
_INT = {"type": "integer"}
_STR = {"type": "string"}
_NULLABLE_STR = {"type": ["string", "null"]}
_BILINGUAL = {
    "type": "object",
    "required": ["pl", "en"],
    "properties": {"pl": _STR, "en": _STR},
    "additionalProperties": False,
}
_COUNTS = {"type": "object", "additionalProperties": _INT}
_POINTS = {
    "type": "object",
    "required": ["points", "max"],
    "properties": {"points": _NUM, "max": _INT},
    "additionalProperties": False,
}


def _record(
    kind: str, properties: dict[str, Any], optional: tuple[str, ...] = ()
) -> dict[str, Any]:
    fields = {"t": {"type": "number", "minimum": 0}, "kind": {"const": kind}, **properties}
    return {
        "type": "object",
        "required": sorted(set(fields) - set(optional)),
        "properties": fields,
        "additionalProperties": False,
    }


_INDEX = {"type": ["number", "null"]}
_ATTRIBUTED = {
    "type": "object",
    "additionalProperties": {
        "type": "object",
        "required": ["index", "harm", "harm_reference"],
        "properties": {"index": _INDEX, "harm": _NUM, "harm_reference": _INDEX},
        "additionalProperties": False,
    },
}
_OUTCOME_FIGURES = {
    "type": "object",
    "required": ["person_hours", "people_in_need_peak", "people_in_need_person_hours"],
    "properties": {
        "person_hours": {"type": "object", "additionalProperties": _NUM},
        "people_in_need_peak": _NUM,
        "people_in_need_person_hours": _NUM,
    },
    "additionalProperties": False,
}

_RECORDS: list[dict[str, Any]] = [
    _record(
        "header",
        {
            "format": {"const": EXPORT_FORMAT},
            "cybrelia": _STR,
            "scenario": _STR,
            "scenario_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "seed": {"type": "integer", "minimum": 0},
        },
    ),
    _record(
        "asset",
        {
            "asset": _STR,
            "state": {"enum": ["up", "backup", "down"]},
            "causes": {"type": "array", "items": _STR},
        },
    ),
    _record("service", {"district": _STR, "service": _STR, "without": _INT}),
    _record(
        "inject",
        {
            "inject": _STR,
            "status": {"enum": ["delivered", "skipped", "edited", "undelivered"]},
            "to": {"type": "array", "items": _STR},
            "channel": _NULLABLE_STR,
            "title": {"oneOf": [_BILINGUAL, {"type": "null"}]},
            "message": {"oneOf": [_BILINGUAL, {"type": "null"}]},
            "adhoc": {"type": "boolean"},
        },
    ),
    _record(
        "message",
        {
            "topic": _STR,
            "subject": _STR,
            "to": {"type": "array", "items": _STR},
            "text": _BILINGUAL,
        },
    ),
    _record(
        "action",
        {
            "action_id": {"type": "string", "pattern": "^[AR][0-9]{3,}$"},
            "team": _STR,
            "action": _STR,
            "target": _NULLABLE_STR,
            "params": {"type": "object"},
            "status": {
                "enum": [
                    "submitted",
                    "refused",
                    "queued",
                    "started",
                    "completed",
                    "failed",
                    "cancelled",
                ]
            },
            "detail": _STR,
            "detail_pl": _STR,
        },
    ),
    _record(
        "metric",
        {
            "people_without": _COUNTS,
            "people_in_need": _INT,
            "vulnerable_at_risk": _INT,
            "critical_down": _INT,
            "believers": _COUNTS,
        },
    ),
    _record(
        "score",
        {
            "expectation": _STR,
            "inject": _STR,
            "team": _STR,
            "pillar": {"type": "integer", "minimum": 1, "maximum": 7},
            "status": {"enum": ["met", "late", "missed", "withdrawn"]},
            "points": _NUM,
            "max_points": _INT,
            "action_id": _NULLABLE_STR,
        },
    ),
    _record(
        "rating",
        {
            "inject": _STR,
            "team": _STR,
            "rating": {"enum": ["P", "S", "M", "U"]},
            "note": _STR,
            "capability": _STR,
            "analysis": _STR,
            "root_cause": _STR,
        },
        optional=("capability", "analysis", "root_cause"),  # exports before the capability ratings
    ),
    _record("note", {"text": _STR, "team": _NULLABLE_STR}),
    _record(
        "summary",
        {
            "points": {
                "type": "object",
                "required": ["points", "max", "by_team", "by_pillar"],
                "properties": {
                    "points": _NUM,
                    "max": _INT,
                    "by_team": {"type": "object", "additionalProperties": _POINTS},
                    "by_pillar": {"type": "object", "additionalProperties": _POINTS},
                },
                "additionalProperties": False,
            },
            "outcome": {
                "type": "object",
                "required": [
                    "index",
                    "harm",
                    "harm_baseline",
                    "harm_reference",
                    "harm_hours",
                    "weights",
                    "by_objective",
                    "by_team",
                ],
                "properties": {
                    "index": _INDEX,
                    "harm": _NUM,
                    "harm_baseline": _NUM,
                    "harm_reference": _INDEX,
                    "harm_hours": {"type": "object", "additionalProperties": _NUM},
                    "weights": {"type": "object", "additionalProperties": _NUM},
                    "by_objective": _ATTRIBUTED,
                    "by_team": _ATTRIBUTED,
                },
                "additionalProperties": False,
            },
            "ratings": {"type": "object", "additionalProperties": {"enum": ["P", "S", "M", "U"]}},
            "actual": _OUTCOME_FIGURES,
            "baseline": _OUTCOME_FIGURES,
            "avoided": _OUTCOME_FIGURES,
        },
    ),
]

#: JSON Schema (2020-12) of one line of an export.
EXPORT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "CYBRELIA session export, one JSON Lines record",
    "description": f"Format {EXPORT_FORMAT}: a header, the session's records, a summary.",
    "oneOf": _RECORDS,
}
