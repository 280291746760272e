"""The JSON Lines writer (MODEL.md section 5) writes exactly what ``json.dumps`` would."""

from __future__ import annotations

import json

from cybrelia.files.library import resolve
from cybrelia.files.validation import load_scenario
from cybrelia.headless.simulate import jsonl_lines, records, run_scenario
from tests.helpers import WriteScenario

ODD_NAMES = """\
    districts:
      - {id: 'śródmieście "stare"\\\\', population: 333}
    assets:
      - id: gpz
        type: substation
        provides: [power, "ciepło\\t"]
        serves: {'śródmieście "stare"\\\\': 0.5}
"""


def test_lines_equal_json_dumps_of_each_record_for_a_bundled_scenario() -> None:
    run = run_scenario(load_scenario(resolve("mokry-snieg", "scenario")))
    lines = list(jsonl_lines(run.steps))
    assert len(lines) > 10
    assert lines == [json.dumps(record, ensure_ascii=False) for record in records(run.steps)]


def test_names_that_need_escaping_are_escaped(write_scenario: WriteScenario) -> None:
    loaded = write_scenario(
        ODD_NAMES,
        "injects:\n  - {id: I-01, at: 20m, effects: [{damage: [gpz]}]}\n",
    )
    run = run_scenario(loaded)
    lines = list(jsonl_lines(run.steps))
    assert lines == [json.dumps(record, ensure_ascii=False) for record in records(run.steps)]
    assert [json.loads(line)["district"] for line in lines if "district" in line] == [
        'śródmieście "stare"\\\\',
        'śródmieście "stare"\\\\',
    ]
