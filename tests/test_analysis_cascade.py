"""Cascade analysis (``cybrelia.analysis.cascade``) of the small session of
:mod:`tests.analysis_session`: the substation's damage takes down the line, whose loss
empties the water station's battery an hour later."""

from __future__ import annotations

import pytest

from cybrelia.analysis import SessionData, cascade, cascade_candidates, load_session
from tests.analysis_session import records, write_small_session


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> SessionData:
    return load_session(write_small_session(tmp_path_factory.mktemp("small")))


def test_cascade(data: SessionData) -> None:
    assert records(cascade_candidates(data)) == [
        {"inject": "I-01", "delivered_at": 1.0, "assets": 3}
    ]
    assert records(cascade(data)) == [
        {"asset": "gpz", "name": "GPZ", "sector": "power", "down_at": 1.0, "up_at": 4.0,
         "ongoing": False, "depth": 0, "parent": "", "parents": "", "service": "",
         "causes": "damaged"},
        {"asset": "linia", "name": "Linia SN", "sector": "power", "down_at": 1.0, "up_at": 4.0,
         "ongoing": False, "depth": 1, "parent": "gpz", "parents": "gpz", "service": "power",
         "causes": "needs:power"},
        {"asset": "suw", "name": "SUW", "sector": "water", "down_at": 2.0, "up_at": 4.0,
         "ongoing": False, "depth": 2, "parent": "linia", "parents": "linia",
         "service": "power", "causes": "needs:power"},
    ]  # fmt: skip
    assert cascade(data, "B-01").empty
    assert list(cascade(data, run="baseline")["up_at"]) == [6.0, 6.0, 6.0]
