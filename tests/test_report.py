"""The after-action report: its sections, a self-contained HTML file, Markdown, the spreadsheet."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from cybrelia.analysis import SessionData, load_session, make_session
from cybrelia.analysis.frames import FRAME_NAMES
from cybrelia.cli import main
from cybrelia.report import (
    SECTIONS,
    build_document,
    cli_report,
    improvement_plan,
    to_html,
    to_markdown,
    write_report,
)
from cybrelia.report.document import Document, Table, is_strength
from cybrelia.report.xlsx import SHEETS
from tests.analysis_session import records, write_small_session

#: The module's tests share costly module fixtures: one test worker runs them all
#: (make test's --dist loadgroup).
pytestmark = pytest.mark.xdist_group("report")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def small_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_small_session(tmp_path_factory.mktemp("small"))


@pytest.fixture(scope="module")
def small(small_path: Path) -> SessionData:
    return load_session(small_path)


@pytest.fixture(scope="module")
def documents(small: SessionData) -> dict[str, Document]:
    return {lang: build_document([small], lang) for lang in ("pl", "en")}


@pytest.fixture(scope="module")
def reports(small: SessionData, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The small session's report in each language (with the spreadsheet in Polish)."""
    folders = {}
    for lang in ("pl", "en"):
        folder = tmp_path_factory.mktemp(f"report-{lang}")
        write_report([small], folder, lang, xlsx=lang == "pl")
        folders[lang] = folder
    return folders


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference gmina's 72-hour scenario with its response script."""
    scenarios = ROOT / "scenarios"
    return make_session(
        scenarios / "mokry-snieg.yaml",
        scenarios / "mokry-snieg.responses.yaml",
        tmp_path_factory.mktemp("reference") / "mokry.cybrelia",
    )


class _Links(HTMLParser):
    """Every URL-bearing attribute and every tag of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "data", "poster", "xlink:href"):
                self.urls.append((tag, name, value or ""))


def assert_self_contained(page: str) -> None:
    # The embedded charts' base64 may spell anything ("//cdn" included): look outside them.
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "data:", page)
    for needle in ("http://", "https://", 'src="http', "src='http", "url(", "@import", "//cdn"):
        assert needle not in text, needle
    links = _Links()
    links.feed(page)
    assert "script" not in links.tags
    assert "link" not in links.tags
    assert "iframe" not in links.tags
    for tag, name, value in links.urls:
        if tag == "img":
            assert name == "src" and value.startswith("data:image/png;base64,"), value[:40]
        else:
            assert name == "href" and value.startswith("#"), value


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_the_report_has_every_section(
    documents: dict[str, Document], reports: dict[str, Path], lang: str
) -> None:
    html = (reports[lang] / "report.html").read_text(encoding="utf-8")
    markdown = (reports[lang] / "report.md").read_text(encoding="utf-8")
    document = documents[lang]
    titles = [h.text for h in document.headings(1)]
    assert [h.anchor for h in document.headings(1)] == list(SECTIONS)
    for anchor, title in zip(SECTIONS, titles, strict=True):
        assert f'<h2 id="{anchor}">{title}</h2>' in html
        assert f'<a href="#{anchor}">{title}</a>' in html  # the table of contents
        assert f"\n## {title}\n" in markdown
    assert f'<html lang="{lang}">' in html
    # The inject, its expectations with their results, the ratings, the plan, the pillars.
    for needle in ("I-01", "I-01.1", "I-01.2", "B-01", "Brak notatki / no log", "Restoration"):
        assert needle in html
        assert needle in markdown


def test_the_html_is_self_contained(
    documents: dict[str, Document], reports: dict[str, Path]
) -> None:
    page = (reports["pl"] / "report.html").read_text(encoding="utf-8")
    assert_self_contained(page)
    # The addresses quoted in the scenario are still there for people to read.
    assert "https:&#47;&#47;gmina.example.pl/cwiczenia" in page
    assert "http:&#47;&#47;energa.example/awarie" in page
    assert page.count('<img alt="') == len(documents["pl"].charts()) == 9
    assert "@media print" in page


def test_the_markdown_has_its_charts_beside_it(reports: dict[str, Path]) -> None:
    markdown = (reports["en"] / "report.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", markdown)
    assert len(images) == 9
    for image in images:
        assert (reports["en"] / image).read_bytes().startswith(b"\x89PNG")
    assert not (reports["en"] / "report.xlsx").exists()


def test_the_outcome_and_the_summary(documents: dict[str, Document]) -> None:
    document = documents["en"]
    tables = [b for b in document.blocks if isinstance(b, Table)]
    summary = {row[0]: row[1] for row in tables[1].rows}  # after the overview's
    assert summary["Points"] == "10 / 15 (67%)"
    assert summary["Injects delivered"] == "1 / 2"
    assert summary["Facilitator's ratings"] == "P: 0, S: 1, M: 1, U: 0"
    # Harm counts each resident once: without power from 1 to 4 h and water from 2 to 4 h is
    # 3,000 person-hours, not 5,000; the baseline has both out from 1 h to the end, 5,000.
    # The fixture's folder holds no scenario.responses.yaml: no reference, no index.
    index = "Outcome index (0 = as if nobody acted, 1 = as good as the reference plan)"
    assert summary[index] == "—"
    assert summary["Harm (weighted person-hours): run / no action / reference plan"] == (
        "3,000 / 5,000 / —"
    )
    outcome = next(t for t in tables if t.columns[1:] == ("run", "no action", "avoided"))
    assert outcome.rows[:2] == (
        ("person-hours without power", "3,000", "5,000", "2,000"),
        ("person-hours without water", "2,000", "4,000", "2,000"),
    )


def test_the_improvement_plan(small: SessionData) -> None:
    tracked = {
        "organisation": "Crisis team",
        "contact": "",
        "start": "",
        "completion": "",
        "status": "open",
    }
    assert records(improvement_plan(small, "en")) == [
        {
            "area": "Coordination",
            "recommendation": "Brak notatki / no log",
            "team": "crisis",
            "pillar": 3,
            "source": "I-01 (M)",
            "element": "planning",
            **tracked,
        },
        {
            "area": "Coordination",
            "recommendation": "Drill “note” so that it is done within 30 min: not done in the "
            "exercise.",
            "team": "crisis",
            "pillar": 3,
            "source": "I-01.2",
            "element": "training",
            **tracked,
        },
    ]


def test_strengths_and_areas_for_improvement(documents: dict[str, Document]) -> None:
    markdown = to_markdown(documents["en"])
    strengths = markdown.split("### Strengths")[1].split("###")[0]
    improve = markdown.split("### Areas for improvement")[1].split("###")[0]
    assert "Power utility: S \u2013 performed with some challenges. Szybko / fast" in strengths
    assert "1 of 2 expected actions within their window." in strengths
    assert "Crisis team: M \u2013 performed with major challenges. Brak notatki / no log" in improve
    assert (
        "I-01.2 (Substation failure) \u2013 Crisis team: note → —: missed (window 30 min)"
        in improve
    )


def test_xlsx_has_a_sheet_per_frame(small: SessionData, reports: dict[str, Path]) -> None:
    sheets = pd.read_excel(reports["pl"] / "report.xlsx", sheet_name=None)
    assert list(sheets) == list(SHEETS) == ["session", *FRAME_NAMES, "improvement_plan"]
    assert len(sheets["metrics"]) == len(small.metrics)
    assert list(sheets["scores"]["expectation"]) == ["I-01.1", "I-01.2"]
    assert sheets["session"]["title"].tolist() == ["Mała awaria"]


def test_a_comparison_report(small: SessionData, tmp_path: Path) -> None:
    weaker = load_session(write_small_session(tmp_path, "weaker", without_teams=["power"]))
    written = write_report([small, weaker], tmp_path / "out", "en", xlsx=True)
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert_self_contained(page)
    anchors = re.findall(r'<h2 id="([^"]+)"', page)
    assert anchors == ["comparison", "small-session", "weaker-session"]
    sections = re.findall(r'<h3 id="([^"]+)"', page)
    # The comparison's differences, then each session's sections.
    assert sections.pop(0) == "differences"
    assert sections[: len(SECTIONS)] == [f"small-{s}" for s in SECTIONS]
    assert sections[len(SECTIONS) :] == [f"weaker-{s}" for s in SECTIONS]
    assert page.index('id="fig-compare-water"') < page.index('id="fig-compare-pillars"')
    assert page.index('id="fig-compare-pillars"') < page.index('id="small-session"')
    names = {p.name for p in written}
    assert {"compare-water.png", "compare-pillars.png", "small-latency.png"} <= names
    assert "weaker-latency.png" in names
    markdown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    rows = [line for line in markdown.splitlines() if line.startswith(("| small", "| weaker"))]
    assert [row.split(" | ")[3] for row in rows] == ["10 / 15 (67%)", "0 / 15 (0%)"]
    sheets = pd.read_excel(tmp_path / "out" / "report.xlsx", sheet_name=None)
    assert sheets["scores"]["session"].tolist() == ["small", "small", "weaker", "weaker"]


def test_the_reference_scenario_report(reference: Path, tmp_path: Path) -> None:
    code = cli_report([reference], tmp_path, "pl", True)
    assert code == 0
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert_self_contained(page)
    for inject in ("M-01", "I-03", "B-02", "I-19", "M-04"):
        assert f'id="inject-{inject}"' in page
    assert "Kaskada awarii: I-03" in page
    # The reference script played: index 1, explained for the wójt, by objective in Polish.
    assert "Ten sam przebieg zdarzeń policzyliśmy trzy razy" in page
    assert "Indeks skutków według celów ćwiczenia" in page
    assert "Systemy infrastruktury krytycznej" in page
    assert re.search(
        r"Indeks skutków \(0 = jak bez działań, 1 = jak plan wzorcowy\)</t[dh]>\s*<td>1,00<", page
    )
    assert set(pd.read_excel(tmp_path / "report.xlsx", sheet_name=None)) == set(SHEETS)
    for chart in re.findall(r"\]\(([^)]+\.png)\)", (tmp_path / "report.md").read_text("utf-8")):
        assert (tmp_path / chart).read_bytes().startswith(b"\x89PNG")


def test_cli_report_prints_nothing_on_stdout(
    small_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_report([small_path], tmp_path / "out", "en", False) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert str(tmp_path / "out" / "report.html") in captured.err


def test_cli_report_errors(
    small_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_report([tmp_path / "missing.cybrelia"], tmp_path / "out", "pl", False) == 1
    assert "no session there" in capsys.readouterr().err
    assert cli_report([small_path], tmp_path / "out", "de", False) == 2
    assert cli_report([], tmp_path / "out", "pl", False) == 2
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert cli_report([small_path], blocker, "pl", False) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert not (tmp_path / "out").exists()


def test_the_renderers_escape_text(documents: dict[str, Document]) -> None:
    document = Document("<b>", "en", [*documents["en"].blocks[:3]])
    document.blocks.append(Table(("a|b", "<c>"), (("x|y", "<script>"),)))
    assert "<script>" not in to_html(document)
    assert "&lt;script&gt;" in to_html(document)
    assert "<title>&lt;b&gt;</title>" in to_html(document)
    markdown = to_markdown(document)
    assert "| a\\|b | &lt;c&gt; |" in markdown  # issue 11: no raw markup in Markdown either
    assert "<script>" not in markdown and "# &lt;b&gt;" in markdown


def test_a_comparison_takes_labels_from_the_command_line(
    small_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    weaker = write_small_session(tmp_path, "weaker", without_teams=["power"])
    out = tmp_path / "out"
    args = ["report", str(small_path), str(weaker), "-o", str(out), "--lang", "en"]
    assert main([*args, "--label", "March 2027", "--label", "May 2027"]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    assert re.findall(r'<h2 id="([^"]+)"', page) == [
        "comparison",
        "march-2027-session",
        "may-2027-session",
    ]
    assert "Session: May 2027" in page
    assert main([*args, "--label", "only one"]) == 2
    assert "give one --label per session (2), not 1" in capsys.readouterr().err


def test_the_improvement_plan_is_edited_and_tracked_across_exercises(
    reports: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = tmp_path / "edited.xlsx"
    sheet = pd.read_excel(reports["pl"] / "report.xlsx", sheet_name="improvement_plan", dtype=str)
    assert list(sheet["status"]) == ["open", "open"]
    assert list(sheet["organisation"]) == ["Sztab", "Sztab"]
    sheet.loc[0, ["element", "contact", "start", "completion", "status"]] = [
        "organisation",
        "sekretarz gminy, tel. 600 000 000",
        "2027-02-01",
        "2027-03-31",
        "in_progress",
    ]
    sheet.to_excel(workbook, sheet_name="improvement_plan", index=False)
    tracker = tmp_path / "programme" / "plan.csv"
    assert main(["ip", "import", str(workbook), "--into", str(tracker)]) == 0
    assert "2 item(s): in_progress 1, open 1" in capsys.readouterr().err
    # The next exercise's sheet adds its items; the same items again are updated, not doubled.
    sheet.loc[0, "status"] = "done"
    sheet.loc[1, "session"] = "next"
    sheet.to_excel(workbook, sheet_name="improvement_plan", index=False)
    assert main(["ip", "import", str(workbook), "--into", str(tracker)]) == 0
    tracked = pd.read_csv(tracker, dtype=str).fillna("")
    assert sorted(zip(tracked["session"], tracked["source"], tracked["status"], strict=True)) == [
        ("next", "I-01.2", "open"),
        ("small", "I-01 (M)", "done"),
        ("small", "I-01.2", "open"),
    ]
    # A bad sheet changes nothing and names every problem.
    before = tracker.read_bytes()
    sheet.loc[0, ["status", "start", "completion"]] = ["finished", "1 lutego", "2027-01-01"]
    sheet.loc[1, "element"] = "money"
    sheet.to_excel(workbook, sheet_name="improvement_plan", index=False)
    assert main(["ip", "import", str(workbook), "--into", str(tracker)]) == 1
    err = capsys.readouterr().err
    assert "improvement_plan row 2: status: 'finished' is not one of open, in_progress, done" in err
    assert "row 2: start: '1 lutego' is not a date (YYYY-MM-DD)" in err
    assert "row 3: element: 'money' is not one of planning" in err
    assert tracker.read_bytes() == before


@pytest.mark.parametrize(
    ("rating", "note", "strength"),
    [
        ("P", "Izolacja w 15 minut, obraz dysku przed odtwarzaniem.", True),
        ("S", "Szybko / fast", True),
        ("S", "Ostrzeżenie dla Dębowca spóźnione o pół godziny.", False),
        ("S", "Alert fast, but the booster pump stays without a genset.", False),
        ("S", "Praca ręczna utrzymana, ale SUW Dębowiec bez obsady przez 14 godzin.", False),
        ("M", "", False),
        ("U", "nothing done", False),
    ],
)
def test_ratings_go_where_their_notes_say(rating: str, note: str, strength: bool) -> None:
    assert is_strength(rating, note) is strength


def test_an_s_rating_that_describes_a_failure_is_an_area_for_improvement(
    reference: Path,
) -> None:
    played = load_session(reference)
    document = build_document([played], "en")
    markdown = to_markdown(document)
    strengths = markdown.split("### Strengths")[1].split("###")[0]
    improve = markdown.split("### Areas for improvement")[1].split("###")[0]
    assert "I-12" in improve and "I-12 (" not in strengths  # "half an hour late"
    assert "I-15 (" in strengths  # P: isolated within 15 minutes
    # Each objective with its capability, points, the worst rating on its injects and notes.
    table = next(
        b
        for b in document.blocks
        if isinstance(b, Table) and b.columns[:2] == ("Objective", "Capability")
    )
    cyber = next(row for row in table.rows if row[1] == "Cybersecurity")
    # The IT team's expectations of I-15 measure cybersecurity; the ZGK's (manual operation)
    # infrastructure systems, whose S rating and note go there.
    # Teams by their short names: "it" is the office IT administrator, "zgk" the utility.
    it, zgk = (
        "I-15 \u2013 Office IT administrator and outsourced support: ",
        "I-15 \u2013 Municipal utility",
    )
    assert cyber[4].startswith("P") and it in cyber[6] and zgk not in cyber[6]
    infrastructure = next(row for row in table.rows if row[1] == "Infrastructure systems")
    assert infrastructure[4].startswith("S") and zgk in infrastructure[6]
    plan = improvement_plan(played, "en")
    assert "I-12 (S)" in set(plan["source"])
