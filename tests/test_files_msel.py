"""The inject list as a spreadsheet: export, import, and errors by sheet, row and column."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from cybrelia.cli import main
from cybrelia.files.diagnostics import ValidationFailed
from cybrelia.files.msel import COLUMNS, export_msel, import_msel, read_rows
from cybrelia.files.validation import load_scenario

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    """A copy of the bundled blackout scenario next to a copy of its model."""
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "infrastructure_models").mkdir()
    shutil.copy(
        ROOT / "infrastructure_models" / "gmina-przykladowa.yaml",
        tmp_path / "infrastructure_models",
    )
    target = tmp_path / "scenarios" / "mokry-snieg.yaml"
    shutil.copy(ROOT / "scenarios" / "mokry-snieg.yaml", target)
    return target


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_then_import_gives_an_identical_scenario(
    scenario: Path, tmp_path: Path, suffix: str
) -> None:
    before = load_scenario(scenario).scenario
    text_before = scenario.read_text(encoding="utf-8")
    sheet = tmp_path / f"msel{suffix}"
    export_msel(scenario, sheet)
    assert import_msel(sheet, scenario) == len(before.injects)
    assert load_scenario(scenario).scenario == before
    text_after = scenario.read_text(encoding="utf-8")
    head = text_before[: text_before.index("\ninjects:")]
    assert text_after.startswith(head), "everything above the injects is kept as it was"


def test_the_sheet_reads_as_a_facilitator_lays_it_out(scenario: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "msel.xlsx"
    export_msel(scenario, sheet)
    rows = dict(read_rows(sheet))
    first = rows[2]
    assert list(first) == list(COLUMNS)
    assert first["id"] == "M-01" and first["at"] == "0m" and first["channel"] == "email"
    assert first["title_pl"].startswith("Ostrzeżenie IMGW") and first["title_en"]
    assert "within: 1h" in first["expect"]
    branch = next(row for row in rows.values() if row["when"])
    assert branch["at"] == "" and branch["when"].startswith("{")


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def test_errors_name_sheet_row_and_column_and_leave_the_scenario_alone(
    scenario: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "msel.csv"
    export_msel(scenario, sheet)
    rows = [row for _, row in read_rows(sheet)]
    rows[0]["at"] = "3x"
    rows[1]["effects"] = "[{damage: [gpz-przykladowo]"
    rows[2]["to"] = "gzzk, nobody"
    rows[3]["channel"] = "pigeon"
    _write_csv(sheet, rows)
    original = scenario.read_bytes()
    with pytest.raises(ValidationFailed) as failed:
        import_msel(sheet, scenario)
    found = [str(d) for d in failed.value.diagnostics]
    assert any(f"{sheet}:2: MSEL.at: invalid duration '3x'" in m for m in found), found
    assert any(f"{sheet}:3: MSEL.effects: invalid YAML" in m for m in found), found
    assert any(f"{sheet}:5: MSEL.channel:" in m for m in found), found
    assert scenario.read_bytes() == original
    rows = [row for _, row in read_rows(tmp_path / "msel.csv")]
    rows[0]["at"], rows[1]["effects"], rows[3]["channel"] = "0m", "", "phone"
    _write_csv(sheet, rows)
    with pytest.raises(ValidationFailed) as failed:
        import_msel(sheet, scenario)
    (problem,) = failed.value.diagnostics
    assert str(problem).startswith(f"{sheet}:4: MSEL.to: unknown team 'nobody'")
    assert scenario.read_bytes() == original


def test_a_sheet_without_the_columns_is_refused(scenario: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text("id,time,title\nX,1h,t\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        import_msel(sheet, scenario)
    assert "missing column(s): at, when" in str(failed.value)
    assert "unknown column(s): time" in str(failed.value)


def test_the_cli_exports_and_imports(
    scenario: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "m.xlsx"
    assert main(["msel", "export", str(scenario), "-o", str(sheet)]) == 0
    assert main(["msel", "import", str(sheet), "--into", str(scenario)]) == 0
    assert main(["msel", "export", str(scenario), "-o", str(tmp_path / "m.txt")]) == 2
    assert main(["msel", "import", str(tmp_path / "none.xlsx"), "--into", str(scenario)]) == 1
    assert "file not found" in capsys.readouterr().err
