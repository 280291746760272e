"""A small session for the analysis and report tests, checked by hand.

One village of 1,000 residents (none prepared, nobody vulnerable) is fed by a
line from a substation; its water station, a critical facility, takes power
from the line with a 1-hour battery.  The scenario starts on 14 January 2027 at
06:00 and lasts 6 hours.

- 1 h: I-01 damages the substation: the substation and the line are down, the
  village has no power, the water station runs on its battery.
- 1.5 h: the power team sends its crew, 30 minutes after the delivery
  (expectation I-01.1, within 3.5 hours, is met when the repair is done at
  4 h); the crisis team's note (I-01.2, within 30 minutes) is missed at 1.5 h.
- 2 h: the battery is empty: the water station is down, the village has no
  water, one critical facility is down.  The power team is rated S.
- 2.5 h: the crisis team is rated M.  3 h: a facilitator's note.
- 4 h: the crew (30 minutes' travel, 2 hours' repair) has repaired the
  substation: everything is up again.

Without the repair (the baseline) nothing comes back before the end: 5,000
person-hours without power instead of 3,000, and 4,000 without water instead of
2,000.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from cybrelia.analysis import make_session

MODEL = """\
format: cybrelia.infrastructure/1
id: mala-gmina
districts:
  - {id: wies, name: Wieś, population: 1000, prepared_share: 0}
resources:
  - {id: crew-power, kind: power_crew, count: 1}
assets:
  - {id: gpz, name: GPZ, type: substation, provides: [power], repair_hours: 2, travel_hours: 0.5}
  - {id: linia, name: Linia SN, type: mv_line, provides: [power], serves: {wies: 1.0},
     needs: {power: {from: [gpz]}}}
  - {id: suw, name: SUW, type: water_treatment, provides: [water], serves: {wies: 1.0},
     critical: true, needs: {power: {from: [linia], buffer: {kind: battery, hours: 1}}}}
"""

SCENARIO = """\
format: cybrelia.scenario/1
id: mala-awaria
title: Mała awaria
description: "Ćwiczenie testowe; więcej na https://gmina.example.pl/cwiczenia"
infrastructure: model.yaml
start: 2027-01-14T06:00:00+01:00
duration: 6h
seed: 1
teams:
  - {id: crisis, name: {pl: Sztab, en: Crisis team}, role: crisis}
  - {id: power, name: {pl: Energetyka, en: Power utility}, role: power, sectors: [power]}
injects:
  - id: I-01
    at: 1h
    title: {pl: Awaria GPZ, en: Substation failure}
    message: {pl: "GPZ nie działa, zob. http://energa.example/awarie", en: The substation is down.}
    to: [power, crisis]
    channel: phone
    effects: [{damage: [gpz]}]
    expect:
      - {action: repair, target: gpz, team: power, within: 3h30m, points: 10, pillar: 7,
         capability: Restoration}
      - {action: note, team: crisis, within: 30m, points: 5, pillar: 3, capability: Coordination}
  - id: B-01
    when: {metric: {name: people_in_need, above: 500}}
    title: {pl: Ludzie w potrzebie, en: People in need}
    to: [crisis]
"""

RESPONSES = """\
format: cybrelia.responses/1
entries:
  - at: 1h30m
    action: {team: power, action: repair, target: gpz, note: Brygada / crew}
  - at: 2h
    rate: {inject: I-01, team: power, rating: S, note: Szybko / fast}
  - at: 2h30m
    rate: {inject: I-01, team: crisis, rating: M, note: Brak notatki / no log}
  - at: 3h
    note: {text: Odprawa / debrief}
"""


def write_small_session(directory: Path, name: str = "small", **options: Any) -> Path:
    """Write the model, scenario and script into ``directory`` and play them into a session."""
    (directory / "model.yaml").write_text(MODEL, encoding="utf-8")
    (directory / "scenario.yaml").write_text(SCENARIO, encoding="utf-8")
    (directory / "responses.yaml").write_text(RESPONSES, encoding="utf-8")
    return make_session(
        directory / "scenario.yaml",
        directory / "responses.yaml",
        directory / f"{name}.cybrelia",
        **options,
    )


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts, with NaN as None so that rows compare with ``==``."""
    return [
        {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in row.items()}
        for row in frame.to_dict("records")
    ]
