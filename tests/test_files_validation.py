"""Validation of model and scenario files: every rule, every error at once, with lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cybrelia.files.diagnostics import ValidationFailed
from cybrelia.files.validation import check_file, load_model, load_scenario
from cybrelia.headless import checks

MODEL = """\
format: cybrelia.infrastructure/1
id: test
districts:
  - {id: centrum, population: 1000}
  - {id: wies, population: 200}
assets:
  - id: gpz
    type: substation
    provides: [power]
    zones: [dolina]
  - id: suw
    type: water_treatment
    provides: [water]
    needs:
      power: {from: [gpz], buffer: {kind: generator, hours: 12}}
    serves: {centrum: 1.0}
  - id: scada
    type: scada
    provides: [control]
    cyber: {exposure: internet}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def messages(path: Path) -> list[str]:
    return [str(d) for d in check_file(path)]


def test_a_valid_model_loads_into_typed_objects_with_defaults(tmp_path: Path) -> None:
    model = load_model(write(tmp_path, "m.yaml", MODEL))
    assert [a.id for a in model.assets] == ["gpz", "suw", "scada"]
    suw = model.asset_index()["suw"]
    assert suw.name == "suw"
    assert suw.sector == "water"
    assert suw.repair_hours == 8.0
    assert suw.travel_hours == 0.5
    buffer = suw.needs["power"].buffer
    assert buffer is not None and buffer.recharge_rate == 0.0  # generators do not refill
    assert model.district_index()["centrum"].prepared_share == 0.3
    assert model.asset_index()["scada"].cyber is not None
    assert messages(write(tmp_path, "m2.yaml", MODEL)) == []


def test_a_loaded_models_items_share_their_sets_of_fields_and_refuse_changes(
    tmp_path: Path,
) -> None:
    # The per-object sets pydantic keeps were a fifth of a large model's objects
    # (docs/performance.md): items that set the same fields hold one shared set.
    model = load_model(write(tmp_path, "m.yaml", MODEL))
    gpz, suw, _ = model.assets
    assert gpz.model_fields_set == {"id", "type", "provides", "zones"}
    assert suw.model_fields_set == {"id", "type", "provides", "needs", "serves"}
    twin = load_model(write(tmp_path, "m2.yaml", MODEL)).assets[1]
    assert twin.__pydantic_fields_set__ is suw.__pydantic_fields_set__
    with pytest.raises(TypeError, match="change a copy"):
        suw.repair_hours = 2.0
    assert suw.repair_hours == 8.0  # refused before anything was written
    # A copy is the changed model's own, as the ensemble's drafts need.
    copy = suw.model_copy(update={"repair_hours": 2.0})
    copy.travel_hours = 1.0
    assert (copy.repair_hours, copy.travel_hours, suw.travel_hours) == (2.0, 1.0, 0.5)
    assert {"repair_hours", "travel_hours"} <= copy.model_fields_set
    assert "repair_hours" not in suw.model_fields_set


def test_every_error_is_reported_at_once_with_file_line_and_path(tmp_path: Path) -> None:
    text = (
        MODEL.replace("provides: [water]", "provides: [water]\n    nmae: SUW").replace(
            "from: [gpz], buffer", "from: [gpz, sn-9], buffer"
        )
        + "cyber_links:\n  - [scada, nope]\n"
    )
    path = write(tmp_path, "gmina.yaml", text)
    assert messages(path) == [
        f"{path}:14: assets[1].nmae: unknown key 'nmae'; did you mean 'name'?",
        f"{path}:16: assets[1].needs.power.from[1]: unknown asset 'sn-9'",
        f"{path}:23: cyber_links[0][1]: unknown asset 'nope'",
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # unique ids
        ("  - id: scada\n", "  - id: gpz\n", "assets[2].id: duplicate asset id 'gpz'"),
        ("{id: wies,", "{id: centrum,", "districts[1].id: duplicate district id 'centrum'"),
        # references exist
        ("from: [gpz]", "from: [gpx]", "unknown asset 'gpx'; did you mean 'gpz'?"),
        ("serves: {centrum: 1.0}", "serves: {srodmiescie: 1.0}", "unknown district"),
        # needs.S.from provides S
        ("from: [gpz]", "from: [scada]", "asset 'scada' does not provide 'power'"),
        # 1 <= k <= len(from)
        ("from: [gpz], buffer", "from: [gpz], k: 2, buffer", "k = 2 exceeds the 1 asset(s)"),
        ("from: [gpz], buffer", "from: [gpz], k: 0, buffer", "k: Input should be greater"),
        # shares in 0..1
        ("serves: {centrum: 1.0}", "serves: {centrum: 1.5}", "serves.centrum: Input should be"),
        ("serves: {centrum: 1.0}", "serves: {centrum: 0}", "serves.centrum: Input should be"),
        # no negative numbers or durations
        ("population: 1000", "population: -1", "population: Input should be greater"),
        ("hours: 12", "hours: -3h", "duration must not be negative"),
        ("hours: 12", "hours: 3x", "invalid duration '3x'"),
        ("    zones: [dolina]\n", "    repair_hours: -1\n", "repair_hours: duration must not"),
        # unknown keys, and wrong enumerations
        ("{kind: generator", "{kind: generatr", "Input should be 'battery', 'generator'"),
        ("cyber: {exposure: internet}", "cyber: {exposure: public}", "exposure"),
        (
            "format: cybrelia.infrastructure/1\n",
            "format: cybrelia.infrastructure/1\nfoo: 1\n",
            "foo: unknown key 'foo'",
        ),
        (
            "  - id: gpz\n    type: substation\n",
            "  - id: GPZ!\n    type: substation\n",
            "assets[0].id: String should match pattern",
        ),
        ("    type: scada\n", "", "assets[2].type: required field missing"),
    ],
)
def test_each_rule(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in MODEL
    path = write(tmp_path, "m.yaml", MODEL.replace(old, new, 1))
    found = messages(path)
    assert any(expected in message for message in found), found
    with pytest.raises(ValidationFailed):
        load_model(path)


def test_shares_per_district_and_service_sum_to_at_most_one_exactly(tmp_path: Path) -> None:
    three = MODEL.replace(
        "serves: {centrum: 1.0}",
        "serves: {centrum: 0.1}\n"
        "  - {id: suw2, type: well, provides: [water], serves: {centrum: 0.2}}\n"
        "  - {id: suw3, type: well, provides: [water], serves: {centrum: 0.7}}",
    )
    assert messages(write(tmp_path, "ok.yaml", three)) == []  # 0.1 + 0.2 + 0.7 is exactly 1
    over = three.replace("centrum: 0.7", "centrum: 0.71")
    found = messages(write(tmp_path, "over.yaml", over))
    assert len(found) == 1
    assert "shares of district 'centrum' for 'water' sum to 1.01, more than 1" in found[0]


def test_an_asset_down_at_start_is_a_warning_not_an_error(tmp_path: Path) -> None:
    cycle = MODEL + (
        "  - {id: a, type: x, provides: [p], needs: {q: {from: [b]}}}\n"
        "  - {id: b, type: x, provides: [q], needs: {p: {from: [a]}}}\n"
    )
    path = write(tmp_path, "m.yaml", cycle)
    assert check_file(path) == []  # validation alone knows the format, not the cascade
    found = checks.check_file(path)
    assert [(d.severity, d.path) for d in found] == [
        ("warning", "assets[3]"),
        ("warning", "assets[4]"),
    ]
    assert "asset 'a' has no grounded supply at t = 0 (down: needs:q)" in str(found[0])
    load_model(path)  # still loads


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "m.yaml", "format: cybrelia.infrastructure/1\nassets: [\n  {id: a\n")
    (diagnostic,) = check_file(path)
    assert diagnostic.path == "(syntax)"
    assert diagnostic.line >= 3
    assert "invalid YAML" in diagnostic.message


def test_duplicate_yaml_keys_are_errors(tmp_path: Path) -> None:
    path = write(tmp_path, "m.yaml", MODEL.replace("    zones: [dolina]\n", "    type: bridge\n"))
    assert messages(path) == [f"{path}:10: assets[0].type: duplicate key 'type'"]


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    (diagnostic,) = check_file(tmp_path / "nope.yaml")
    assert diagnostic.message == "file not found"


def test_a_file_of_another_format_is_named(tmp_path: Path) -> None:
    (diagnostic,) = check_file(write(tmp_path, "x.yaml", "format: something/9\n"))
    assert "unknown file format 'something/9'" in diagnostic.message
    assert diagnostic.line == 1


def test_json_models_are_accepted_and_errors_still_have_lines(tmp_path: Path) -> None:
    import yaml

    data = yaml.safe_load(MODEL)
    good = write(tmp_path, "m.json", json.dumps(data, indent=2))
    assert load_model(good).asset_index()["suw"].needs["power"].from_ == ("gpz",)
    data["assets"][1]["needs"]["power"]["from"] = ["gpz", "ghost"]
    text = json.dumps(data, indent=2)
    bad = write(tmp_path, "bad.json", text)
    (diagnostic,) = check_file(bad)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if '"ghost"' in row)
    assert (diagnostic.line, diagnostic.path) == (line, "assets[1].needs.power.from[1]")
    broken = write(tmp_path, "broken.json", '{"format": "cybrelia.infrastructure/1",\n  oops}')
    (syntax,) = check_file(broken)
    assert (syntax.line, syntax.path) == (2, "(syntax)")


SCENARIO = """\
format: cybrelia.scenario/1
id: test
infrastructure: m.yaml
start: 2027-01-14T06:00:00+01:00
duration: 24h
seed: 3
injects:
  - id: I-01
    at: 30m
    effects:
      - damage: [gpz]
      - damage_zone: dolina
      - compromise: scada
        spread: {every: 2h, probability: 0.3}
      - repair: [gpz]
      - restore: [scada]
      - isolate: [scada]
      - reconnect: [scada]
"""


def test_a_valid_scenario_loads_with_its_model(tmp_path: Path) -> None:
    write(tmp_path, "m.yaml", MODEL)
    loaded = load_scenario(write(tmp_path, "s.yaml", SCENARIO))
    assert loaded.scenario.seed == 3
    assert loaded.scenario.duration == 24.0
    (inject,) = loaded.scenario.injects
    assert [effect.verb for effect in inject.effects] == [
        "damage",
        "damage_zone",
        "compromise",
        "repair",
        "restore",
        "isolate",
        "reconnect",
    ]
    assert inject.effects[2].targets == ["scada"]
    assert inject.effects[2].spread is not None and inject.effects[2].spread.every == 2.0
    assert loaded.model.id == "test"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("damage: [gpz]", "damage: [gpx]", "effects[0].damage[0]: unknown asset 'gpx'"),
        ("damage_zone: dolina", "damage_zone: gory", "effects[1].damage_zone[0]: unknown zone"),
        (
            "      - repair: [gpz]\n",
            "      - repair: [gpz]\n        isolate: [gpz]\n",
            "exactly one of",
        ),
        ("compromise: scada", "compromise: suw", "'suw' is not a cyber asset"),
        (
            "restore: [scada]",
            "restore: [scada]\n        spread: {every: 1h, probability: 1}",
            "spread applies only to compromise",
        ),
        ("probability: 0.3", "probability: 1.3", "probability: Input should be less"),
        ("at: 30m", "at: -30m", "at: duration must not be negative"),
        ("infrastructure: m.yaml", "infrastructure: missing.yaml", "model file not found"),
        ("seed: 3", "seed: 3\ncolour: red", "colour: unknown key 'colour'"),
        (
            "      - damage: [gpz]\n",
            "      - damage: [gpz]\n        spred: {}\n",
            "unknown key 'spred'; did you mean 'spread'?",
        ),
    ],
)
def test_each_scenario_rule(tmp_path: Path, old: str, new: str, expected: str) -> None:
    write(tmp_path, "m.yaml", MODEL)
    assert old in SCENARIO
    path = write(tmp_path, "s.yaml", SCENARIO.replace(old, new, 1))
    found = messages(path)
    assert any(expected in message for message in found), found
    with pytest.raises(ValidationFailed):
        load_scenario(path)


def test_errors_in_the_model_are_reported_under_the_model_file(tmp_path: Path) -> None:
    write(tmp_path, "m.yaml", MODEL.replace("from: [gpz]", "from: [gpx]"))
    path = write(tmp_path, "s.yaml", SCENARIO.replace("damage: [gpz]", "damage: [nope]"))
    found = messages(path)
    assert any(message.startswith(str(tmp_path / "m.yaml") + ":15:") for message in found)
    # effects are checked against a model only when the model itself is valid
    assert not any("nope" in message for message in found)


def test_an_inject_after_the_end_is_a_warning(tmp_path: Path) -> None:
    write(tmp_path, "m.yaml", MODEL)
    path = write(tmp_path, "s.yaml", SCENARIO.replace("at: 30m", "at: 25h"))
    (warning,) = check_file(path)
    assert warning.severity == "warning"
    assert "due after the scenario ends" in warning.message
