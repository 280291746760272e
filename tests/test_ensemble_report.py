"""The report of a dry run: sensitivity, scenario discovery in words, both languages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cybrelia.cli import main
from cybrelia.ensemble.report import hardest_box, input_label, sensitivity
from cybrelia.ensemble.results import read_results

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "mokry-snieg.yaml"


def synthetic(n: int, seed: int = 1) -> pd.DataFrame:
    """Runs whose harm is high exactly when x is high and y is low; z is noise."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"x": rng.uniform(0, 1, n), "y": rng.uniform(0, 1, n)})
    frame["z"] = rng.uniform(0, 1, n)
    frame["harm"] = 100 * frame["x"] + 400 * ((frame["x"] > 0.7) & (frame["y"] < 0.4))
    return frame


def test_sensitivity_ranks_the_inputs_that_matter_first() -> None:
    table = sensitivity(synthetic(400), ["z", "y", "x"], "harm")
    assert list(table.index[:2]) == ["x", "y"]
    assert table.loc["x", "rho"] > 0.8 > abs(table.loc["z", "rho"])
    assert table.loc["y", "rho"] < 0  # the less y, the worse
    # With 400 runs SALib's delta is there too, and agrees on what matters most.
    assert table["delta"].notna().all()
    assert table["delta"].idxmax() == "x"
    few = sensitivity(synthetic(50), ["x", "z"], "harm")
    assert few["delta"].isna().all()  # too few runs to estimate densities


def test_prim_finds_the_box_where_the_hardest_runs_are() -> None:
    box = hardest_box(synthetic(500), ["x", "y", "z"], "harm")
    assert box is not None
    assert set(box.limits) >= {"x", "y"} and "z" not in box.limits
    low_x, _ = box.limits["x"]
    _, high_y = box.limits["y"]
    assert low_x is not None and 0.6 < low_x < 0.8
    assert high_y is not None and 0.3 < high_y < 0.5
    assert box.density > 0.9 and box.coverage > 0.8
    words = box.conditions("en", {})
    assert "x above 0.7" in words or "x above 0.6" in words
    assert " and y below 0." in words
    assert box.conditions("pl", {}).startswith("x powyżej 0,")
    noise = synthetic(200)
    noise["harm"] = np.random.default_rng(9).uniform(0, 1, 200)
    found = hardest_box(noise, ["x", "y"], "harm")
    assert found is None or found.coverage < 0.6


def test_inputs_are_named_for_people_in_both_languages() -> None:
    names = {"szpital-powiatowy": "Szpital Powiatowy"}
    assert input_label("repair_hours", "en") == "repair times (factor)"
    assert input_label("repair_hours", "pl") == "czasy napraw (mnożnik)"
    label = input_label("assets.szpital-powiatowy.buffer.power", "en", names)
    assert label == "Szpital Powiatowy: power reserve (h)"
    assert input_label("resources.gen-mobile-large.count", "pl") == "liczba: gen-mobile-large"
    assert input_label("inject_jitter.I-03", "en") == "shift of inject I-03 (h)"


@pytest.fixture(scope="module")
def ensemble(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ensemble") / "runs.parquet"
    code = main(
        [
            "dryrun",
            str(SCENARIO),
            "--runs",
            "40",
            "--seed",
            "2",
            "--vary",
            "prepared_share=uniform(0.05,0.6)",
            "--vary",
            "repair_hours=lognormal(1,0.3)",
            "--vary",
            "assets.szpital-powiatowy.buffer.power=uniform(12h,72h)",
            "--workers",
            "2",
            "-o",
            str(out),
            "--quiet",
        ]
    )
    assert code == 0
    return out


@pytest.mark.parametrize("lang", ["pl", "en"])
@pytest.mark.xdist_group("ensemble-report")  # one worker runs the ensemble for both
def test_the_report_says_what_makes_the_exercise_hard(
    ensemble: Path, tmp_path: Path, lang: str
) -> None:
    assert main(["dryrun", "report", str(ensemble), "-o", str(tmp_path), "--lang", lang]) == 0
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    for name in ("dryrun-distributions", "dryrun-fan", "dryrun-sensitivity"):
        assert (tmp_path / f"{name}.png").read_bytes().startswith(b"\x89PNG")
        assert f"({name}.png)" in markdown
    assert 'src="data:image/png;base64,' in html and "http" not in html.replace("http-equiv", "")
    prepared = "share of prepared households" if lang == "en" else "odsetek przygotowanych"
    hardest = "When the exercise is hardest" if lang == "en" else "Kiedy ćwiczenie jest"
    assert hardest in markdown
    section = markdown.split("## " + hardest, 1)[1]
    # The households' preparedness decides the harm: the box names it, in words.
    assert prepared in section.split("\n\n")[1]
    drives = "What drives the harm" if lang == "en" else "Co decyduje o szkodzie"
    table = markdown.split("## " + drives, 1)[1]
    first_row = [line for line in table.splitlines() if line.startswith("| ")][1]
    assert prepared in first_row
    rho = float(first_row.split("|")[2].replace(",", "."))
    # The report's figure is Spearman's rho of the runs themselves, negative (the more
    # households are prepared, the less harm) and the strongest of the varied inputs.
    results = read_results(ensemble)
    runs = results.frame
    ranks = {name: runs[name].rank().corr(runs["harm"].rank()) for name in results.draws}
    assert rho == pytest.approx(ranks["prepared_share"], abs=0.005)
    assert rho < 0
    assert abs(rho) == pytest.approx(max(abs(value) for value in ranks.values()), abs=0.005)


def test_a_comparison_report_shows_the_paired_difference(tmp_path: Path) -> None:
    out = tmp_path / "compare.parquet"

    def compare(plan_b: str) -> int:
        common = ["--runs", "6", "--vary", "prepared_share=uniform(0.1,0.5)", "--quiet"]
        return main(["dryrun", str(SCENARIO), *common, "--compare", "-", plan_b, "-o", str(out)])

    # The same input twice in plan B is refused; a different one is not.
    assert compare("prepared_share=uniform(0.1,0.5);districts.sloneczne.prepared_share=+0.3") == 1
    code = compare("districts.sloneczne.prepared_share=+0.3")
    assert code == 0
    assert main(["dryrun", "report", str(out), "-o", str(tmp_path / "r"), "--lang", "en"]) == 0
    markdown = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    section = markdown.split("Plan B against plan A", 2)[2]
    row = next(line for line in section.splitlines() if line.startswith("| harm"))
    difference = float(row.split("|")[4].replace(",", ""))
    assert difference < 0  # better prepared households in Słoneczne: less harm
