"""The Polish report is wholly Polish and the English wholly English, for every bundled scenario.

Each bundled scenario is played with its response script, and its report is
built in both languages.  Every text the report writes itself (headings,
table headers and cells, lists, captions, and the titles, axes, ticks and
legends of every chart) is scanned once the texts the scenario's authors and
the facilitator wrote are taken out (inject titles and messages, names of
teams, assets and districts, claims, notes, the scenario's description: those
are shown as written, and the bundled scripts write notes in both
languages).  What is left must hold:

- no raw id of the scenario or model (team, asset, district, claim, capability,
  resource kind, role, sector, service, action name);
- no compact duration (``3d``, ``1d2h``, ``30m``): durations are written in
  words of the language (``26 h``, ``30 min``);
- in Polish, no English name of a core capability, resource kind, role,
  service, sector or action; in English, no Polish letter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from matplotlib.text import Text

from cybrelia.analysis import SessionData, load_session, make_session
from cybrelia.analysis.charts import CHARTS
from cybrelia.files.actions import ACTIONS, RESOURCE_KINDS
from cybrelia.files.capabilities import CAPABILITIES
from cybrelia.i18n import lookup
from cybrelia.report import build_document
from cybrelia.report.document import Bullets, Chart, Document, Heading, Paragraph, Table

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted(
    p for p in (ROOT / "scenarios").glob("*.yaml") if not p.name.endswith(".responses.yaml")
)
COMPACT_DURATION = re.compile(r"(?<![\w+.,-])\d+[dhm](?:\d+[hm])*(?![\w-])")
POLISH_LETTER = re.compile("[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")
#: Ids that are also English words, looked for in the Polish report only.
ENGLISH_WORDS = {"it"}
#: Ids that are also Polish words (a team ``energetyka``, the role "energetyka").
POLISH_WORDS = {"energetyka"}
#: A name a chart shortened to fit ("Szkoła Podstawowa w W…"): authored, cut.
SHORTENED = re.compile(r"[^·:→;]*…")
#: Open vocabularies whose ids the report must name in words.
VOCABULARIES = ("resource", "role", "sector", "service", "action_name")


@pytest.fixture(scope="session")
def played(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], SessionData]:
    """Each bundled scenario played with its script once, for both languages' reports."""

    @cache
    def play(scenario: Path) -> SessionData:
        folder = tmp_path_factory.mktemp(scenario.stem)
        responses = scenario.with_name(scenario.stem + ".responses.yaml")
        return load_session(make_session(scenario, responses, folder / "s.cybrelia"))

    return play


def authored(data: SessionData) -> list[str]:
    """What the scenario's authors and the facilitator wrote, longest first."""
    scenario, model = data.scenario, data.model
    found: set[str] = {data.title, data.description, model.name or ""}
    for inject in scenario.injects:
        for text in (inject.title, inject.message):
            if text is not None:
                found |= {text.pl, text.en}
        for effect in inject.effects:
            if effect.claim is not None:
                found |= {effect.claim.text.pl, effect.claim.text.en}
        for expectation in inject.expect:
            if expectation.description is not None:
                found |= {expectation.description.pl, expectation.description.en}
    for team in scenario.teams:
        found |= {team.name.pl, team.name.en}
        found |= {data.team_label(team.id, "pl"), data.team_label(team.id, "en")}
    for objective in scenario.objective_list():
        found |= {objective.text.pl, objective.text.en}
        for task in objective.critical_tasks:
            found |= {task.pl, task.en}
    found |= {asset.label for asset in model.assets} | {a.name or "" for a in model.assets}
    found |= {d.name or "" for d in model.districts}
    for frame, columns in (
        (data.ratings, ("note", "analysis", "root_cause")),
        (data.notes, ("text",)),
        (data.actions, ("note",)),
        (data.messages, ("text_pl", "text_en")),
    ):
        for column in columns:
            found |= set(frame[column].astype(str))
    return sorted((t for t in found if t.strip()), key=len, reverse=True)


def written(document: Document) -> Iterator[str]:
    """Every text the report writes (the charts by their captions)."""
    for block in document.blocks:
        # A small paragraph quotes a message or the scenario's description.
        if isinstance(block, Heading) or (isinstance(block, Paragraph) and not block.small):
            yield block.text
        elif isinstance(block, Bullets):
            yield from block.items
        elif isinstance(block, Table):
            yield block.caption
            yield from block.columns
            for row in block.rows:
                yield from row
        elif isinstance(block, Chart):
            yield block.caption


def drawn(data: SessionData, lang: str) -> Iterator[str]:
    """Every text of every chart: titles, axes, ticks, legends, annotations."""
    for make in CHARTS.values():
        figure = make(data, lang)
        try:
            yield from (t.get_text() for t in figure.findobj(Text))
        finally:
            plt.close(figure)


def ids(data: SessionData) -> set[str]:
    scenario, model = data.scenario, data.model
    found = {t.id for t in scenario.teams} | {t.role for t in scenario.teams}
    found |= {a.id for a in model.assets} | {d.id for d in model.districts}
    found |= {s for t in scenario.teams for s in t.sectors}
    found |= {e.claim.id for i in scenario.injects for e in i.effects if e.claim is not None}
    found |= set(CAPABILITIES) | set(RESOURCE_KINDS) | {r.kind for r in model.resources}
    found |= {a for a in ACTIONS if "_" in a}
    found |= {service for a in model.assets for service in a.provides}
    return found


def english_names(data: SessionData) -> set[str]:
    """English names the Polish report must not use (where Polish says it otherwise)."""
    names = {c.name("en") for c in CAPABILITIES.values()}
    for kind in VOCABULARIES:
        for ident in ids(data) | set(ACTIONS):
            en, pl = lookup(f"{kind}.{ident}", "en", ""), lookup(f"{kind}.{ident}", "pl", "")
            if en and en != pl and len(en) > 3:
                names.add(en)
    return names


def problems(data: SessionData, lang: str, texts: Iterator[str]) -> set[str]:
    """What in ``texts`` (the report's own words, once the authored ones are out) is wrong."""
    content = authored(data)
    raw = ids(data)
    if lang == "en":  # "water", "care", "crisis" are English words; compound ids are not
        teams = {t.id for t in data.scenario.teams} - ENGLISH_WORDS
        raw = {i for i in raw if re.search(r"[-_\d]", i)} | teams
    else:
        raw -= POLISH_WORDS
    foreign = english_names(data) if lang == "pl" else set()
    found = set()
    for original in texts:
        remaining = original
        for piece in content:
            if piece in remaining:
                remaining = remaining.replace(piece, " ")
        remaining = SHORTENED.sub(" ", remaining)
        tokens = set(re.findall(r"[\w-]+", remaining))
        for token in sorted(tokens & raw):
            found.add(f"raw id {token!r} in {original!r}")
        for duration in COMPACT_DURATION.findall(remaining):
            found.add(f"compact duration {duration!r} in {original!r}")
        for name in foreign:
            if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", remaining):
                found.add(f"English {name!r} in {original!r}")
        if lang == "en" and POLISH_LETTER.search(remaining):
            found.add(f"Polish in {original!r}")
    return found


# Both languages of a scenario go to one test worker (make test's --dist loadgroup), which
# plays the scenario once for them.
@pytest.mark.parametrize("lang", ["pl", "en"])
@pytest.mark.parametrize(
    "scenario",
    [pytest.param(p, id=p.stem, marks=pytest.mark.xdist_group(p.stem)) for p in SCENARIOS],
)
def test_the_report_speaks_one_language(
    scenario: Path, lang: str, played: Callable[[Path], SessionData]
) -> None:
    data = played(scenario)
    document = build_document([data], lang, dpi=20)
    found = problems(data, lang, written(document))
    assert not found, "\n".join(sorted(found)[:40])


@pytest.mark.parametrize("lang", ["pl", "en"])
@pytest.mark.xdist_group("mokry-snieg")
def test_every_chart_speaks_the_reports_language(
    lang: str, played: Callable[[Path], SessionData]
) -> None:
    """Titles, axes, ticks and legends; the charts' words do not depend on the scenario
    beyond its names, so the reference gmina's scenario stands for all."""
    scenario = ROOT / "scenarios" / "mokry-snieg.yaml"
    data = played(scenario)
    found = problems(data, lang, drawn(data, lang))
    assert not found, "\n".join(sorted(found)[:40])
