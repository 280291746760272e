"""``msel import`` cannot destroy a scenario: empty sheets, encodings, bad files, backups."""

from __future__ import annotations

from pathlib import Path

from cybrelia.files.validation import load_scenario
from tests.hostile import command, digest, exercise_files

HEADER = "id,at,when,to,channel,title_pl,title_en,message_pl,message_en,effects,expect\n"
ROW = "I-09,2h,,gzzk,phone,Zażółć gęślą jaźń,Title,Łódź,Message,[{damage: [gpz]}],\n"


def _folder(tmp_path: Path) -> Path:
    scenario, _ = exercise_files(tmp_path)
    return scenario


def _left_over(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if "partial" in p.name or p.name.startswith("."))


def test_a_sheet_without_injects_is_refused_unless_asked(tmp_path: Path) -> None:
    scenario = _folder(tmp_path)
    sheet = tmp_path / "empty.csv"
    sheet.write_text(HEADER, encoding="utf-8")
    before = digest(scenario)
    result = command("msel", "import", sheet, "--into", scenario)
    assert result.code == 1
    assert f"{sheet}:1: MSEL.(rows): the sheet has no injects" in result.err
    assert "--allow-empty" in result.err
    assert digest(scenario) == before
    original = scenario.read_text(encoding="utf-8")
    allowed = command("msel", "import", sheet, "--into", scenario, "--allow-empty")
    assert allowed.code == 0, allowed.err
    assert load_scenario(scenario).scenario.injects == []
    backup = scenario.with_name(scenario.name + ".bak")
    assert backup.read_text(encoding="utf-8") == original
    assert _left_over(tmp_path) == []


def test_sheets_in_common_encodings_are_read(tmp_path: Path) -> None:
    scenario = _folder(tmp_path)
    for encoding in ("utf-8", "utf-8-sig", "utf-16", "cp1250"):
        sheet = tmp_path / f"{encoding}.csv"
        sheet.write_bytes((HEADER + ROW).encode(encoding))
        result = command("msel", "import", sheet, "--into", scenario)
        assert result.code == 0, (encoding, result.err)
        text = scenario.read_text(encoding="utf-8")
        assert "Zażółć gęślą jaźń" in text and "Łódź" in text, encoding


def test_binary_and_damaged_sheets_leave_the_scenario_as_it_was(tmp_path: Path) -> None:
    scenario = _folder(tmp_path)
    before = digest(scenario)
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\x00\x01\x02PK\x03\x04" * 200)
    fake_xlsx = tmp_path / "fake.xlsx"
    fake_xlsx.write_bytes(b"not a zip at all")
    bad_row = tmp_path / "bad.csv"
    bad_row.write_text(HEADER + ROW.replace(",2h,", ",soon,"), encoding="utf-8")
    for sheet, needle in (
        (binary, f"{binary}:0: (file): not a text CSV file"),
        (fake_xlsx, f"{fake_xlsx}:0: (file): not a readable .xlsx file"),
        (bad_row, f"{bad_row}:2: MSEL.at: invalid duration 'soon'"),
    ):
        result = command("msel", "import", sheet, "--into", scenario)
        assert result.code == 1, sheet
        assert needle in result.err
        assert digest(scenario) == before
    assert _left_over(tmp_path) == []
    assert not scenario.with_name(scenario.name + ".bak").exists()


def test_a_missing_directory_or_non_utf8_target_is_named(tmp_path: Path) -> None:
    scenario = _folder(tmp_path)
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(HEADER + ROW, encoding="utf-8")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(
        scenario.read_text(encoding="utf-8").replace("Kill", "Zażółć").encode("cp1250")
    )
    before = digest(latin)
    for target, needle in (
        (tmp_path / "missing.yaml", "file not found"),
        (tmp_path, "is a directory"),
        (latin, "not UTF-8 text"),
    ):
        result = command("msel", "import", sheet, "--into", target)
        assert result.code == 1
        assert f"{target}:0: (file): {needle}" in result.err
    assert digest(latin) == before
    missing_sheet = command("msel", "import", tmp_path / "nope.csv", "--into", scenario)
    assert missing_sheet.code == 1 and "nope.csv:0: (file): file not found" in missing_sheet.err
