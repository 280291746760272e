"""The one catalogue: both languages for every message, plural forms, numbers, dates,
every key the code names, and no Polish/English text pairs left in the code."""

from __future__ import annotations

import ast
import re
import string
from datetime import date, datetime
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from cybrelia.i18n import (
    LANGUAGES,
    Texts,
    action_label,
    action_status_label,
    both,
    channel_label,
    check_lang,
    detect_lang,
    format_date,
    format_datetime,
    format_number,
    has,
    lookup,
    ntext,
    pillar_label,
    rating_label,
    sector_label,
    service_label,
    state_label,
    text,
)
from cybrelia.i18n.catalogue import KEYWORDS, po_catalogue

PACKAGE = Path(__file__).resolve().parent.parent / "cybrelia"
LOCALE = resources.files("cybrelia.i18n").joinpath("locale")

#: Polish letters English never uses: a string literal holding one is Polish text.
POLISH = re.compile("[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")

#: Files whose Polish string literals are not messages, and why.
NOT_MESSAGES = {
    # Generated gminas: Polish place and facility names are model content, as in the files.
    "files/generate.py",
    # The Polish words by which a rating's note describes a shortfall (a pattern, not a text).
    "report/document.py",
}

NPLURALS = {"pl": 3, "en": 2}


def package_modules() -> list[tuple[str, Path]]:
    """Every module outside the catalogue: (name inside the package, path)."""
    found = ((path.relative_to(PACKAGE).as_posix(), path) for path in PACKAGE.rglob("*.py"))
    return sorted((name, path) for name, path in found if not name.startswith("i18n/"))


def messages(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """Every message of ``catalog``: key -> its texts (one, or one per plural form)."""
    found: dict[str, tuple[str, ...]] = {}
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string
        if not isinstance(strings, tuple | list):
            strings = (strings or "",)
        found[key] = tuple("" if message.fuzzy else s for s in strings)
    return found


def fields(template: str) -> set[str]:
    """The ``{fields}`` a template fills."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


# --- the catalogue holds every message in both languages ---------------------------------------


def test_every_message_has_both_languages() -> None:
    with LOCALE.joinpath("cybrelia.pot").open("rb") as source:
        template = set(messages(read_po(source)))
    assert len(template) > 100
    for lang in LANGUAGES:
        found = messages(po_catalogue(lang))
        assert set(found) == template, lang
        untranslated = sorted(key for key, texts in found.items() if not all(texts))
        assert untranslated == [], lang
        wrong_forms = sorted(
            key for key, texts in found.items() if len(texts) not in (1, NPLURALS[lang])
        )
        assert wrong_forms == [], lang


#: Messages whose languages fill different fields on purpose, and why.
OWN_FIELDS = {
    # Polish writes the month as a number (14.01), English by its name (14 Jan).
    "date",
    # English writes a resource kind in words (water tanker), Polish names its id.
    "refusal.no_resource_kind",
}


def test_no_message_is_written_twice() -> None:
    # Babel keeps the last of two entries with one id silently; parallel work appends to
    # the same files, so the files themselves are checked.
    for path in ("cybrelia.pot", "pl/LC_MESSAGES/cybrelia.po", "en/LC_MESSAGES/cybrelia.po"):
        ids = re.findall(r'^msgid "(.+)"$', LOCALE.joinpath(path).read_text("utf-8"), re.M)
        assert sorted(key for key in set(ids) if ids.count(key) > 1) == [], path


def test_both_languages_fill_the_same_fields() -> None:
    pl, en = (messages(po_catalogue(lang)) for lang in LANGUAGES)
    assert set(pl) >= OWN_FIELDS
    differ = sorted(
        key
        for key in pl.keys() - OWN_FIELDS
        if set().union(*map(fields, pl[key])) != set().union(*map(fields, en[key]))
    )
    assert differ == []


def test_the_plural_formula_is_polish() -> None:
    assert po_catalogue("pl").num_plurals == 3
    assert po_catalogue("en").num_plurals == 2


def test_a_missing_key_is_an_error_not_a_text() -> None:
    with pytest.raises(KeyError):
        text("no.such.key", "pl")
    with pytest.raises(KeyError):
        ntext("no.such.key", 2, "pl")
    assert lookup("no.such.key", "en", "fallback") == "fallback"
    assert not has("no.such.key")
    assert Texts("pl")("no.such.key") == "no.such.key"


def test_both_languages_at_once() -> None:
    assert both("state.down") == {"pl": "nie działa", "en": "down"}


@pytest.mark.parametrize(
    ("count", "pl", "en"),
    [
        (1, "1 obiekt", "1 asset"),
        (2, "2 obiekty", "2 assets"),
        (4, "4 obiekty", "4 assets"),
        (5, "5 obiektów", "5 assets"),
        (12, "12 obiektów", "12 assets"),
        (14, "14 obiektów", "14 assets"),
        (21, "21 obiektów", "21 assets"),
        (22, "22 obiekty", "22 assets"),
        (112, "112 obiektów", "112 assets"),
        (124, "124 obiekty", "124 assets"),
        (0, "0 obiektów", "0 assets"),
        (16000, "16\xa0000 obiektów", "16,000 assets"),
    ],
)
def test_polish_plural_forms(count: int, pl: str, en: str) -> None:
    assert ntext("infra.summary", count, "pl") == pl
    assert Texts("en").plural("infra.summary", count) == en


# --- numbers and dates as each language writes them --------------------------------------------


@pytest.mark.parametrize(
    ("value", "digits", "pl", "en"),
    [
        (16000, 0, "16\xa0000", "16,000"),
        (142.5, 1, "142,5", "142.5"),
        (1234567.25, 2, "1\xa0234\xa0567,25", "1,234,567.25"),
        (999, 0, "999", "999"),
        (-2500, 0, "-2\xa0500", "-2,500"),
        (0.5, 0, "0", "0"),
        (2.5, 1, "2,5", "2.5"),
    ],
)
def test_numbers(value: float, digits: int, pl: str, en: str) -> None:
    assert format_number(value, "pl", digits) == pl
    assert format_number(value, "en", digits) == en
    assert Texts("pl").number(value, digits) == pl


def test_dates() -> None:
    assert format_date(date(2027, 1, 14), "pl") == "14.01.2027"
    assert format_date(date(2027, 1, 14), "en") == "14 Jan 2027"
    assert Texts("pl").date(date(2027, 3, 2)) == "02.03.2027"
    assert format_datetime(datetime(2027, 1, 14, 6, 5), "pl") == "14.01.2027 06:05"
    assert format_datetime(datetime(2027, 1, 14, 18, 30), "en") == "14 Jan 2027 18:30"


def test_vocabulary() -> None:
    assert text("chart.without.panel", "en", service="water") == "without water"
    assert service_label("water", "pl") == "woda"
    assert service_label("unknown", "en") == "unknown"
    assert sector_label("power", "pl") == "Energetyka"
    assert state_label("backup", "pl") == "na rezerwie"
    assert action_label("deploy_generator", "en") == "deploy a generator"
    assert action_label("made_up", "pl") == "made_up"
    assert action_status_label("completed", "pl") == "zakończone"
    assert channel_label("rcb_alert", "pl") == "alert RCB"
    assert pillar_label(7, "en") == "7. continuity of services"
    assert pillar_label(7, "pl", numbered=False) == "ciągłość infrastruktury krytycznej i usług"
    assert pillar_label(9, "en") == "9"
    assert rating_label("U", "pl").startswith("U \u2013 ")
    assert format_number(12345.5, "pl", 1) == "12\u00a0345,5"
    assert format_number(12345.5, "en", 1) == "12,345.5"
    with pytest.raises(ValueError, match="unknown language"):
        text("none", "de")
    with pytest.raises(ValueError, match="unknown language"):
        service_label("water", "de")


def test_languages() -> None:
    assert check_lang("pl") == "pl"
    with pytest.raises(ValueError, match="choose pl or en"):
        check_lang("de")
    with pytest.raises(ValueError, match="choose pl or en"):
        format_number(1, "de")
    assert detect_lang(" EN ") == "en"
    assert Texts("pl").other().lang == "en"


# --- the code and the catalogue agree ----------------------------------------------------------


def test_every_key_the_code_names_is_in_the_catalogue() -> None:
    named = {
        (Path(filename).as_posix(), lineno, message if isinstance(message, str) else message[0])
        for filename, lineno, message, _, _ in extract_from_dir(
            PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS
        )
        # Babel warns about an empty id (``field(default="")`` of a dataclass) and skips it.
        if message
    }
    assert len(named) > 100
    catalogue = messages(po_catalogue("en"))
    missing = sorted(entry for entry in named if entry[2] not in catalogue)
    assert missing == []


def test_no_polish_text_outside_the_catalogue() -> None:
    """A string literal with a Polish letter is a message left in the code (docstrings aside)."""
    found = []
    for name, path in package_modules():
        if name in NOT_MESSAGES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        found += [
            f"{name}:{node.lineno}: {node.value[:40]!r}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and POLISH.search(node.value)
        ]
    assert found == []


def test_no_language_pairs_in_the_code() -> None:
    """No ``{"pl": ..., "en": ...}`` literal, nor a ``pl=``/``en=`` pair, spells a text out."""
    found = []
    for name, path in package_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
                spelled = [
                    v
                    for k, v in zip(node.keys, node.values, strict=True)
                    if isinstance(k, ast.Constant) and k.value in LANGUAGES
                ]
                if keys >= set(LANGUAGES) and all(
                    isinstance(v, ast.JoinedStr)
                    or (isinstance(v, ast.Constant) and isinstance(v.value, str) and v.value)
                    for v in spelled
                ):
                    found.append(f"{name}:{node.lineno}")
    assert found == []


def _spells_words(node: ast.expr) -> bool:
    """A literal text, or an f-string whose literal parts hold a word: a message spelled out."""
    parts = node.values if isinstance(node, ast.JoinedStr) else [node]
    return any(
        isinstance(part, ast.Constant)
        and isinstance(part.value, str)
        and re.search("[A-Za-z]{2}", part.value)
        for part in parts
    )


def test_the_terminal_is_told_through_the_catalogue() -> None:
    """No message for a person is printed or raised to argparse as an English literal.

    Outside the consoles (whose widgets take their texts from the catalogue), what a
    person reads on the terminal goes through :func:`cybrelia.i18n.say`, so it exists
    in Polish and English.
    """
    found = []
    for name, path in package_modules():
        if name.startswith(("tui/", "web/")):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            callee = node.func
            called = callee.id if isinstance(callee, ast.Name) else getattr(callee, "attr", "")
            if called in ("print", "ArgumentTypeError") and _spells_words(node.args[0]):
                found.append(f"{name}:{node.lineno}")
    assert found == []
