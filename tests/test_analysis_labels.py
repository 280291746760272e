"""The Polish/English labels of the analysis and the report (``cybrelia.analysis.labels``)."""

from __future__ import annotations

import pytest

from cybrelia.analysis.labels import (
    LABELS,
    action_label,
    format_number,
    pillar_label,
    rating_label,
    sector_label,
    service_label,
    text,
)


def test_labels() -> None:
    assert all(len(pair) == 2 and all(pair) for pair in LABELS.values())
    assert text("chart.without.panel", "en", service="water") == "without water"
    assert service_label("water", "pl") == "woda"
    assert service_label("unknown", "en") == "unknown"
    assert sector_label("power", "pl") == "Energetyka"
    assert action_label("deploy_generator", "en") == "deploy a generator"
    assert pillar_label(7, "en") == "7. continuity of services"
    assert rating_label("U", "pl").startswith("U \u2013 ")
    assert format_number(12345.5, "pl", 1) == "12\u00a0345,5"
    assert format_number(12345.5, "en", 1) == "12,345.5"
    with pytest.raises(ValueError, match="unknown language"):
        text("none", "de")
