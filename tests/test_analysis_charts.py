"""Every chart renders: with the baseline, without it, and for a session with no events."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure

from cybrelia.analysis import SessionData, from_exercise, load_session
from cybrelia.analysis.charts import (
    CHARTS,
    COMPARISON_CHARTS,
    OKABE_ITO,
    cascade_chart,
    compare_without_chart,
    figure_bytes,
    people_without_chart,
    save_figure,
)
from cybrelia.exercise.core import Exercise
from cybrelia.files.validation import load_scenario
from tests.analysis_session import write_small_session

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SessionData]:
    folder = tmp_path_factory.mktemp("charts")
    path = write_small_session(folder)
    loaded = load_scenario(folder / "scenario.yaml")
    return {
        "with baseline": load_session(path),
        "without baseline": load_session(path, baseline=False),
        "empty": from_exercise(Exercise(loaded), Exercise(loaded)),
        "empty without baseline": from_exercise(Exercise(loaded)),
    }


@pytest.mark.parametrize(
    "kind", ["with baseline", "without baseline", "empty", "empty without baseline"]
)
@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_renders(sessions: dict[str, SessionData], kind: str, name: str) -> None:
    lang = "en" if len(name) % 2 else "pl"  # both languages, without doubling the runs
    figure = CHARTS[name](sessions[kind], lang)
    assert isinstance(figure, Figure)
    assert figure_bytes(figure, dpi=40).startswith(PNG)
    assert figure.get_axes()


@pytest.mark.parametrize("name", list(COMPARISON_CHARTS))
def test_comparison_charts_render(sessions: dict[str, SessionData], name: str) -> None:
    chosen = [sessions["with baseline"], sessions["without baseline"], sessions["empty"]]
    for lang in ("pl", "en"):
        assert figure_bytes(COMPARISON_CHARTS[name](chosen, lang), dpi=40).startswith(PNG)
    assert figure_bytes(COMPARISON_CHARTS[name]([], "en"), dpi=40).startswith(PNG)


def test_charts_are_labelled_in_the_language_asked(sessions: dict[str, SessionData]) -> None:
    data = sessions["with baseline"]
    titles = {
        lang: [ax.get_title() for ax in people_without_chart(data, lang).get_axes()]
        for lang in ("pl", "en")
    }
    assert titles["pl"][:2] == ["bez: prąd", "bez: woda"]
    assert titles["en"][:2] == ["without power", "without water"]
    legend = people_without_chart(data, "en").legends[0]
    assert [t.get_text() for t in legend.get_texts()] == ["exercise run", "no action (baseline)"]


def test_runs_differ_by_colour_and_line_style(sessions: dict[str, SessionData]) -> None:
    water = people_without_chart(sessions["with baseline"], "en").get_axes()[1]
    actual, baseline = water.get_lines()[:2]
    assert actual.get_color() == OKABE_ITO["blue"]
    assert baseline.get_color() == OKABE_ITO["vermillion"]
    assert actual.get_linestyle() != baseline.get_linestyle()
    assert [float(y) for y in np.asarray(actual.get_ydata())] == [0, 0, 1000, 1000, 0, 0, 0]


def test_the_cascade_chart_draws_the_tree(sessions: dict[str, SessionData]) -> None:
    figure = cascade_chart(sessions["with baseline"], "en")
    tree = figure.get_axes()[0]
    labels = [t.get_text() for t in tree.texts]
    assert labels == ["GPZ", "Linia SN  · power", "SUW  · power"]
    assert "I-01" in figure.get_suptitle()


def test_the_comparison_draws_one_line_per_session_and_a_shared_baseline(
    sessions: dict[str, SessionData],
) -> None:
    data = sessions["with baseline"]
    figure = compare_without_chart([data, data], "en", "water", labels=["2025", "2026"])
    labels = [line.get_label() for line in figure.get_axes()[0].get_lines()]
    assert labels == ["2025", "2026", "no action (baseline)"]


def test_save_figure_writes_png_and_svg(sessions: dict[str, SessionData], tmp_path: Path) -> None:
    figure = people_without_chart(sessions["with baseline"], "pl")
    written = save_figure(figure, tmp_path / "out" / "without")
    assert written == [tmp_path / "out" / "without.png", tmp_path / "out" / "without.svg"]
    assert written[0].read_bytes().startswith(PNG)
    assert b"<svg" in written[1].read_bytes()
    assert figure_bytes(figure) == figure_bytes(figure)  # no timestamps


def test_charts_never_load_pyplot(tmp_path: Path) -> None:
    """No pyplot, so no GUI backend and no window, whatever MPLBACKEND says."""
    write_small_session(tmp_path)
    code = (
        "import sys\n"
        "from cybrelia.analysis import load_session\n"
        "from cybrelia.analysis.charts import CHARTS, figure_bytes\n"
        f"data = load_session({str(tmp_path / 'small.cybrelia')!r})\n"
        "for chart in CHARTS.values():\n"
        "    figure_bytes(chart(data, 'pl'), dpi=20)\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "MPLBACKEND": "TkAgg"},
    )
    assert result.stdout.strip() == "False"
