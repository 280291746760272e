"""Large JSON models: the fast reader keeps every line, every error and every message.

JSON models are parsed by orjson and their lines found only when a message needs
one (``cybrelia.files.source``); these tests pin that nothing a reader sees
changed with it: lines are those the YAML composer gives for the same text (the
reader of every earlier version), all errors of a big bad file are reported at
once, and files orjson refuses get the standard parser's messages.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cybrelia.files.diagnostics import PathPart
from cybrelia.files.durations import parse_duration
from cybrelia.files.generate import generate_region
from cybrelia.files.source import read_document
from cybrelia.files.validation import check_file


def paths(value: Any, path: tuple[PathPart, ...] = ()) -> list[tuple[PathPart, ...]]:
    """Every path into a parsed JSON value, the root included."""
    out = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            out += paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += paths(item, (*path, index))
    return out


@pytest.mark.parametrize(
    "layout",
    [
        {"indent": 1},
        {"indent": None},
        {"indent": "\t"},
        {"indent": 2, "separators": (",\n", " :\n ")},
    ],
    ids=["indented", "one-line", "tabs", "keys-apart"],
)
def test_json_lines_are_those_of_the_yaml_composer(tmp_path: Path, layout: Any) -> None:
    model, _ = generate_region(2, seed=3)
    model["assets"][1]["not-a-field"] = {"x": [1, 2]}
    text = "\n\n  " + json.dumps(model, **layout) + "\n"
    (tmp_path / "m.json").write_text(text, encoding="utf-8")
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")  # JSON is YAML
    as_json = read_document(tmp_path / "m.json")
    as_yaml = read_document(tmp_path / "m.yaml")
    assert as_json.data == as_yaml.data
    every = paths(as_json.data)
    missing: list[tuple[PathPart, ...]] = [
        ("nope",),
        ("assets", 10**6),
        ("assets", 0, "id", "deeper"),
        ("assets", "x"),
        ("districts", 0, "population", 3),
    ]
    for path in [*every, *missing]:
        assert as_json.line_of(path) == as_yaml.line_of(path), path


def test_a_repeated_key_is_located_where_its_kept_value_stands(tmp_path: Path) -> None:
    text = '{"a": 1,\n "a": {"x":\n  [1,\n   2]},\n "b": [ ], "c": {}}'
    (tmp_path / "m.json").write_text(text, encoding="utf-8")
    document = read_document(tmp_path / "m.json")
    assert document.data == {"a": {"x": [1, 2]}, "b": [], "c": {}}
    assert document.line_of(("a",)) == 2
    assert document.line_of(("a", "x", 1)) == 4
    assert document.line_of(("c", "nothing")) == 5


def test_a_large_bad_model_reports_every_error_at_its_line(tmp_path: Path) -> None:
    model, _ = generate_region(40, seed=5)
    assets = model["assets"]
    count = len(assets)
    expected: list[tuple[int, str, str]] = []  # (asset index, path suffix, message start)
    for index in range(7, count, count // 12):
        asset = assets[index]
        kind = len(expected) % 4
        if kind == 0:
            asset["repair_hours"] = "soon"
            expected.append((index, "repair_hours", "invalid duration 'soon'"))
        elif kind == 1:
            asset["colour"] = "red"
            expected.append((index, "colour", "unknown key 'colour'"))
        elif kind == 2:
            asset["provides"] = "power"
            expected.append((index, "provides", "Input should be a valid list"))
        else:
            asset["travel_hours"] = -1
            expected.append((index, "travel_hours", "duration must not be negative"))
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(model, indent=1), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    found = {(d.path, d.line): d.message for d in check_file(path)}
    assert len(expected) >= 12
    for index, suffix, message in expected:
        where = f"assets[{index}].{suffix}"
        start = _line_of_asset(lines, assets[index]["id"])
        key = f'"{suffix}"'
        line = next(n for n, text in enumerate(lines, 1) if n > start and key in text)
        assert (where, line) in found, where
        assert found[(where, line)].startswith(message)


def _line_of_asset(lines: list[str], asset_id: str) -> int:
    return next(n for n, text in enumerate(lines, 1) if f'"id": "{asset_id}"' in text)


def test_json_the_fast_parser_refuses_keeps_the_standard_messages(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(
        '{"format": "cybrelia.infrastructure/1",\n'
        ' "districts": [{"id": "a",\n   "population": NaN}]}\n',
        encoding="utf-8",
    )
    [diagnostic] = check_file(path)
    assert (diagnostic.line, diagnostic.path) == (3, "districts[0].population")
    path.write_text('{"format":\n "cybrelia.infrastructure/1",,}', encoding="utf-8")
    [diagnostic] = check_file(path)
    assert (diagnostic.line, diagnostic.path) == (2, "(syntax)")
    assert diagnostic.message.startswith("invalid JSON: Expecting property name")


def test_durations_read_once_stay_typed() -> None:
    assert parse_duration(1) == 1.0
    assert parse_duration(1.0) == 1.0
    with pytest.raises(ValueError, match="expected a duration"):
        parse_duration(True)
    with pytest.raises(ValueError, match="must not be negative"):
        parse_duration(-1)
    assert parse_duration(0.1 + 0.2) == 0.3
