"""Polish and English labels of the charts and the after-action report.

A small catalogue of its own, so that the analysis needs neither the console
nor Textual: every key has a Polish and an English text, and
:func:`text` picks one.  Scenario texts (inject titles, team names) are
bilingual in the scenario itself and reach the frames as ``*_pl`` and ``*_en``
columns.

Examples
--------
>>> text("chart.in_need.title", "en")
'People in need and vulnerable residents at risk'
>>> service_label("water", "pl")
'woda'
"""

from __future__ import annotations

from collections.abc import Mapping

from cybrelia.files.actions import ACTIONS
from cybrelia.files.scenario import PILLARS

__all__ = [
    "LABELS",
    "LANGUAGES",
    "action_label",
    "action_status_label",
    "channel_label",
    "check_lang",
    "format_number",
    "pillar_label",
    "rating_label",
    "sector_label",
    "service_label",
    "text",
]

#: The languages of the labels.
LANGUAGES = ("pl", "en")

#: Every label: key, then its Polish and English text.
LABELS: dict[str, tuple[str, str]] = {
    # runs and axes
    "run.actual": ("przebieg ćwiczenia", "exercise run"),
    "run.baseline": ("bez działań (punkt odniesienia)", "no action (baseline)"),
    "axis.time": ("czas od początku (D+dzień gg:mm)", "time from the start (D+day hh:mm)"),
    "axis.hours": ("czas od początku [h]", "time from the start [h]"),
    "axis.people": ("mieszkańców", "residents"),
    "axis.facilities": ("obiektów", "facilities"),
    "axis.points": ("punkty", "points"),
    "axis.share": ("% punktów możliwych", "% of available points"),
    "axis.latency": ("czas od wprowadzenia [h]", "time from the inject [h]"),
    # charts
    "chart.without.title": ("Mieszkańcy bez usług", "Residents without services"),
    "chart.without.panel": ("bez: {service}", "without {service}"),
    "chart.in_need.title": (
        "Mieszkańcy potrzebujący pomocy i osoby zagrożone",
        "People in need and vulnerable residents at risk",
    ),
    "chart.in_need.need": ("potrzebujący pomocy", "people in need"),
    "chart.in_need.vulnerable": (
        "osoby zależne od zasilanego sprzętu medycznego, zagrożone",
        "residents on powered medical devices at risk",
    ),
    "chart.critical.title": (
        "Obiekty krytyczne niedziałające",
        "Critical facilities down",
    ),
    "chart.gantt.title": ("Stan obiektów według sektorów", "Asset states by sector"),
    "chart.gantt.injects": ("wprowadzenia", "injects"),
    "chart.gantt.action": ("działanie zespołu wobec obiektu", "team action on the asset"),
    "chart.gantt.inject": ("wprowadzenie", "inject"),
    "chart.gantt.lane": (
        "sektor (liczba obiektów): udział niedziałających i na rezerwie",
        "sector (assets): share down and on backup",
    ),
    "chart.gantt.none": ("Żaden obiekt nie przestał działać.", "No asset stopped working."),
    "chart.cascade.title": ("Kaskada awarii: {inject}", "Cascade of failures: {inject}"),
    "chart.cascade.none": ("Brak kaskady do pokazania.", "No cascade to show."),
    "chart.cascade.root": ("przyczyna pierwotna", "initial failure"),
    "chart.cascade.edge": ("brak usługi od obiektu wyżej", "service lost from the asset above"),
    "chart.latency.title": (
        "Czas reakcji na wprowadzenia a oczekiwane okno",
        "Response time per inject against its expected window",
    ),
    "chart.latency.window": ("oczekiwane okno", "expected window"),
    "chart.latency.none": ("Brak oczekiwanych działań.", "No expected actions."),
    "chart.team.title": ("Punkty według zespołów", "Points by team"),
    "chart.pillar.title": ("Punkty według filarów", "Points by pillar"),
    "chart.radar.title": (
        "Wynik według siedmiu filarów (% możliwych)",
        "Score by the seven pillars (% of available)",
    ),
    "chart.earned": ("zdobyte", "earned"),
    "chart.missing": ("niezdobyte", "not earned"),
    "chart.compare.without.title": (
        "Mieszkańcy bez usługi „{service}” \u2013 porównanie sesji",
        "Residents without {service} \u2013 sessions compared",
    ),
    "chart.compare.pillar.title": (
        "Wynik według filarów \u2013 porównanie sesji",
        "Score by pillar \u2013 sessions compared",
    ),
    "chart.empty": ("Brak danych.", "No data."),
    # expectation statuses
    "status.met": ("w oknie", "met"),
    "status.late": ("po czasie", "late"),
    "status.missed": ("niewykonane", "missed"),
    "status.pending": ("okno otwarte", "window open"),
    "status.delivered": ("przekazane", "delivered"),
    "status.skipped": ("pominięte", "skipped"),
    "status.pending_inject": ("nieprzekazane", "not delivered"),
    # action states
    "action.submitted": ("zgłoszone", "submitted"),
    "action.refused": ("odrzucone", "refused"),
    "action.queued": ("w kolejce", "queued"),
    "action.started": ("w toku", "under way"),
    "action.completed": ("zakończone", "completed"),
    "action.failed": ("nieudane", "failed"),
    "action.cancelled": ("anulowane", "cancelled"),
    # channels
    "channel.phone": ("telefon", "phone"),
    "channel.email": ("e-mail", "e-mail"),
    "channel.radio": ("radio", "radio"),
    "channel.media": ("media", "media"),
    "channel.rcb_alert": ("alert RCB", "RCB alert"),
    "channel.sirens": ("syreny", "sirens"),
    "channel.field_report": ("meldunek z terenu", "field report"),
    # asset states
    "state.up": ("działa", "up"),
    "state.backup": ("na rezerwie", "on backup"),
    "state.down": ("nie działa", "down"),
    # ratings (HSEEP)
    "rating.P": ("P \u2013 wykonane bez trudności", "P \u2013 performed without challenges"),
    "rating.S": (
        "S \u2013 wykonane z pewnymi trudnościami",
        "S \u2013 performed with some challenges",
    ),
    "rating.M": (
        "M \u2013 wykonane z poważnymi trudnościami",
        "M \u2013 performed with major challenges",
    ),
    "rating.U": ("U \u2013 niewykonane", "U \u2013 unable to be performed"),
    # report
    "report.title": ("Raport po ćwiczeniu", "After-action report"),
    "report.comparison_title": ("Porównanie sesji ćwiczenia", "Exercise sessions compared"),
    "report.generated": (
        "Wygenerowano przez CYBRELIA z dziennika sesji.",
        "Generated by CYBRELIA from the session journal.",
    ),
    "report.contents": ("Spis treści", "Contents"),
    "report.different_scenarios": (
        "Uwaga: sesje dotyczą różnych scenariuszy.",
        "Note: the sessions are of different scenarios.",
    ),
    "section.comparison": ("Porównanie sesji", "Sessions compared"),
    "section.summary": ("Podsumowanie ćwiczenia", "Exercise summary"),
    "section.timeline": ("Przebieg \u2013 najważniejsze zdarzenia", "Timeline of key events"),
    "section.injects": ("Wprowadzenia, oczekiwane i podjęte działania", "Injects and responses"),
    "section.outcome": (
        "Skutki w porównaniu z brakiem działań",
        "Outcome against the no-action baseline",
    ),
    "section.infrastructure": ("Infrastruktura i kaskady", "Infrastructure and cascades"),
    "section.findings": (
        "Mocne strony i obszary do poprawy",
        "Strengths and areas for improvement",
    ),
    "section.plan": ("Plan działań naprawczych", "Improvement plan"),
    "section.pillars": ("Wynik według filarów i zespołów", "Scores by pillar and team"),
    "section.participants": ("Załącznik: uczestnicy", "Appendix: participants"),
    "findings.objectives": (
        "Analiza celów i zdolności",
        "Analysis of objectives and capabilities",
    ),
    "col.organisation": ("organizacja", "organisation"),
    "col.role": ("rola", "role"),
    "col.sectors": ("sektory", "sectors"),
    "summary.scenario": ("Scenariusz", "Scenario"),
    "summary.session": ("Sesja", "Session"),
    "summary.start": ("Początek", "Start"),
    "summary.played": ("Rozegrano", "Played"),
    "summary.duration": ("Czas scenariusza", "Scenario length"),
    "summary.seed": ("Ziarno losowania", "Seed"),
    "summary.teams": ("Zespoły", "Teams"),
    "summary.injects": ("Wprowadzenia przekazane", "Injects delivered"),
    "summary.actions": ("Działania zespołów", "Team actions"),
    "summary.refused": ("odrzucone zgłoszenia", "refused submissions"),
    "findings.refused": (
        "Zgłoszenia odrzucone (nie są decyzjami zespołów i nie są punktowane)",
        "Refused submissions (not team decisions, never scored)",
    ),
    "col.reason": ("Powód", "Reason"),
    "summary.points": ("Punkty", "Points"),
    "summary.ratings": ("Oceny moderatora", "Facilitator's ratings"),
    "summary.index": (
        "Indeks skutków (0 = jak bez działań, 1 = jak plan wzorcowy)",
        "Outcome index (0 = as if nobody acted, 1 = as good as the reference plan)",
    ),
    "summary.harm": (
        "Szkody (ważone osobogodziny): przebieg / bez działań / plan wzorcowy",
        "Harm (weighted person-hours): run / no action / reference plan",
    ),
    "outcome.explained": (
        "Ten sam przebieg zdarzeń policzyliśmy trzy razy: raz tak, jakby nikt nic nie robił "
        "(bez działań), raz z planem, dla którego napisano ćwiczenie (plan wzorcowy), i raz "
        "tak, jak zdecydowały zespoły. Liczymy godziny, które mieszkańcy spędzili bez prądu, "
        "wody lub ciepła albo w potrzebie pomocy, każdego mieszkańca raz, a każdą godzinę "
        "osoby zależnej od zasilanego sprzętu medycznego bez prądu liczymy dziesięć razy. "
        "Indeks skutków mówi, jaką część szkód, którym zapobiega plan wzorcowy, udało się "
        "zapobiec decyzjami zespołów: 0 oznacza tyle, co bez działań, 1 \u2013 tyle, co plan "
        "wzorcowy, więcej niż 1 \u2013 lepiej niż plan.",
        "We played the same events three times: once as if nobody did anything (no action), "
        "once with the plan the exercise was written for (the reference plan), and once as "
        "the teams decided. We count the hours residents spent without power, water or heat "
        "or in need of help, each resident once, and count ten times every hour a person "
        "relying on powered medical equipment spent without power. The outcome index says "
        "how much of the harm the reference plan prevents the teams' decisions prevented: "
        "0 means as if nobody had acted, 1 as good as the reference plan, above 1 better "
        "than the plan.",
    ),
    "outcome.by_objective": (
        "Indeks skutków według celów ćwiczenia",
        "Outcome index by exercise objective",
    ),
    "col.objective": ("Cel", "Objective"),
    "eeg.title": ("Arkusz oceny ćwiczenia (EEG)", "Exercise evaluation guide (EEG)"),
    "eeg.intro": (
        "Dla każdego celu ćwiczenia: zdolność, filar, zadania kluczowe i oczekiwane działania "
        "zespołów. Obserwator zaznacza, czy i kiedy działanie nastąpiło, ocenia je w skali "
        "P, S, M, U i zapisuje spostrzeżenia.",
        "For each exercise objective: the capability, the pillar, the critical tasks and the "
        "actions expected of the teams. The evaluator marks whether and when each was taken, "
        "rates it P, S, M or U and writes down observations.",
    ),
    "eeg.branch": ("gdy zajdzie warunek", "when its condition holds"),
    "eeg.capability": ("Zdolność", "Capability"),
    "eeg.inject": ("Wpis", "Inject"),
    "eeg.look_for": ("Na co zwrócić uwagę", "What to look for"),
    "eeg.observed": ("Zaobserwowano (T/N)", "Observed (Y/N)"),
    "eeg.observed_time": ("Godzina", "Time observed"),
    "eeg.critical_tasks": ("Zadania kluczowe:", "Critical tasks:"),
    "eeg.expected": ("Oczekiwane działania", "Expected actions"),
    "col.index": ("Indeks", "Index"),
    "col.harm": ("Szkody", "Harm"),
    "col.harm_reference": ("Szkody w planie wzorcowym", "Harm in the reference plan"),
    "summary.peak_avoided": (
        "Szczyt liczby potrzebujących pomocy: przebieg / bez działań",
        "Peak of people in need: run / no action",
    ),
    "col.time": ("czas", "time"),
    "col.event": ("zdarzenie", "event"),
    "col.kind": ("rodzaj", "kind"),
    "col.team": ("zespół", "team"),
    "col.action": ("działanie", "action"),
    "col.target": ("cel", "target"),
    "col.within": ("okno", "window"),
    "col.points": ("punkty", "points"),
    "col.max": ("maks.", "max"),
    "col.share": ("%", "%"),
    "col.status": ("wynik", "status"),
    "col.latency": ("czas reakcji", "response time"),
    "col.submitted": ("zgłoszone", "submitted"),
    "col.rating": ("ocena", "rating"),
    "col.note": ("uwagi", "note"),
    "col.measure": ("miara", "measure"),
    "col.actual": ("przebieg", "run"),
    "col.baseline": ("bez działań", "no action"),
    "col.avoided": ("uniknięte", "avoided"),
    "col.area": ("obszar", "area"),
    "col.recommendation": ("zalecenie", "recommendation"),
    "col.responsible": ("odpowiedzialny", "responsible"),
    "col.element": ("element zdolności", "capability element"),
    "col.contact": ("kontakt", "contact"),
    "col.start_date": ("początek", "start"),
    "col.completion_date": ("termin", "completion"),
    "element.planning": ("planowanie", "planning"),
    "element.organisation": ("organizacja", "organisation"),
    "element.equipment": ("wyposażenie", "equipment"),
    "element.training": ("szkolenie", "training"),
    "element.exercise": ("ćwiczenia", "exercise"),
    "ip.open": ("otwarte", "open"),
    "ip.in_progress": ("w toku", "in progress"),
    "ip.done": ("zakończone", "done"),
    "col.pillar": ("filar", "pillar"),
    "col.session": ("sesja", "session"),
    "col.capability": ("zdolność", "capability"),
    "col.source": ("źródło", "source"),
    "col.capability_pillar": ("zdolność (filar)", "capability (pillar)"),
    "col.expectation": ("oczekiwanie", "expectation"),
    "kind.inject": ("wprowadzenie", "inject"),
    "kind.message": ("komunikat symulacji", "simulation message"),
    "kind.note": ("notatka moderatora", "facilitator's note"),
    "kind.rating": ("ocena", "rating"),
    "kind.critical": ("obiekt krytyczny", "critical facility"),
    "event.critical_up": ("znów działa: {asset}", "working again: {asset}"),
    "event.critical_down": ("nie działa: {asset} ({causes})", "down: {asset} ({causes})"),
    "inject.channel": ("kanał", "channel"),
    "inject.when": ("warunek", "condition"),
    "inject.at": ("zaplanowane na", "scheduled for"),
    "inject.to": ("do", "to"),
    "inject.delivered": ("przekazane", "delivered"),
    "inject.expected": ("Oczekiwane działania", "Expected actions"),
    "inject.other_actions": (
        "Inne działania adresatów w oknie wprowadzenia",
        "Other actions of the teams addressed, within the inject's window",
    ),
    "inject.ratings": ("Oceny", "Ratings"),
    "inject.none_expected": ("Bez oczekiwanych działań.", "No expected actions."),
    "outcome.person_hours": ("osobogodziny bez: {service}", "person-hours without {service}"),
    "outcome.in_need_peak": ("szczyt liczby potrzebujących", "peak of people in need"),
    "outcome.in_need_hours": ("osobogodziny w potrzebie", "person-hours in need"),
    "findings.strengths": ("Mocne strony", "Strengths"),
    "findings.improve": ("Obszary do poprawy", "Areas for improvement"),
    "findings.notes": ("Notatki moderatora", "Facilitator's notes"),
    "findings.met": (
        "{count} z {total} oczekiwanych działań w wyznaczonym czasie.",
        "{count} of {total} expected actions within their window.",
    ),
    "findings.none": ("Brak.", "None."),
    "plan.missed": (
        "Przećwiczyć „{action}”{target} tak, by zmieścić się w {within}: w ćwiczeniu niewykonane.",
        "Drill “{action}”{target} so that it is done within {within}: not done in the exercise.",
    ),
    "plan.late": (
        "Skrócić czas „{action}”{target} do {within}: w ćwiczeniu po {latency}.",
        "Shorten “{action}”{target} to within {within}: it took {latency} in the exercise.",
    ),
    "plan.rating_empty": (
        "Omówić odpowiedź na {inject} (ocena {rating}).",
        "Review the response to {inject} (rated {rating}).",
    ),
    "plan.none": ("Brak pozycji.", "No items."),
    "plan.any_target": ("dowolny cel", "any target"),
    "pillars.table": ("Filary", "Pillars"),
    "teams.table": ("Zespoły", "Teams"),
    "none": ("—", "—"),
}

_SERVICES: dict[str, tuple[str, str]] = {
    "power": ("prąd", "power"),
    "water": ("woda", "water"),
    "wastewater": ("kanalizacja", "wastewater"),
    "heat": ("ciepło", "heat"),
    "gas": ("gaz", "gas"),
    "telecom": ("łączność", "telecom"),
    "data": ("łącze danych", "data link"),
    "control": ("sterowanie", "control"),
    "transport": ("dojazd", "road access"),
    "fuel": ("paliwo", "fuel"),
    "alerting": ("alarmowanie", "alerting"),
    "health": ("opieka zdrowotna", "health care"),
    "rescue": ("ratownictwo", "rescue"),
    "shelter": ("schronienie", "shelter"),
    "food": ("żywność", "food"),
    "cash": ("gotówka", "cash"),
    "medicines": ("leki", "medicines"),
    "care": ("opieka", "care"),
    "police": ("policja", "police"),
    "administration": ("administracja", "administration"),
    "coordination": ("koordynacja", "coordination"),
}

_SECTORS: dict[str, tuple[str, str]] = {
    "power": ("Energetyka", "Power"),
    "water": ("Wodociągi", "Water"),
    "wastewater": ("Kanalizacja", "Wastewater"),
    "heat": ("Ciepłownictwo", "Heat"),
    "gas": ("Gaz", "Gas"),
    "telecom": ("Łączność", "Telecom"),
    "it": ("Informatyka", "IT"),
    "health": ("Ochrona zdrowia", "Health"),
    "care": ("Opieka", "Care"),
    "rescue": ("Ratownictwo", "Rescue"),
    "alerting": ("Alarmowanie", "Alerting"),
    "shelter": ("Schronienie", "Shelter"),
    "education": ("Oświata", "Education"),
    "transport": ("Transport", "Transport"),
    "fuel": ("Paliwa", "Fuel"),
    "trade": ("Handel", "Trade"),
    "finance": ("Finanse", "Finance"),
    "administration": ("Administracja", "Administration"),
    "other": ("Inne", "Other"),
}


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is ``pl`` or ``en``.

    Raises
    ------
    ValueError
        For any other language.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose pl or en")
    return lang


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if check_lang(lang) == "en" else pair[0]


def text(key: str, lang: str, **values: object) -> str:
    """The label ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``.

    Parameters
    ----------
    key
        A key of :data:`LABELS`.
    lang
        ``pl`` or ``en``.
    **values
        Values of the placeholders.

    Raises
    ------
    KeyError
        For an unknown key.
    """
    template = _pick(LABELS[key], lang)
    return template.format(**values) if values else template


def _lookup(table: Mapping[str, tuple[str, str]], key: str, lang: str) -> str:
    pair = table.get(key)
    return key if pair is None else _pick(pair, lang)


def service_label(service: str, lang: str) -> str:
    """A service's name (``water`` → ``woda``); unknown services keep their id."""
    return _lookup(_SERVICES, service, lang)


def sector_label(sector: str, lang: str) -> str:
    """A sector's name, capitalised (``water`` → ``Wodociągi``)."""
    return _lookup(_SECTORS, sector, lang)


def action_label(action: str, lang: str) -> str:
    """A response action's name, from :data:`cybrelia.files.actions.ACTIONS`."""
    info = ACTIONS.get(action)
    if info is None:
        return action
    return info.en if check_lang(lang) == "en" else info.pl


def pillar_label(pillar: int, lang: str, *, numbered: bool = True) -> str:
    """A pillar's name, numbered by default (``7. continuity of services``)."""
    names = PILLARS.get(pillar)
    name = str(pillar) if names is None else names[check_lang(lang)]
    return f"{pillar}. {name}" if numbered and names is not None else name


def channel_label(channel: str, lang: str) -> str:
    """How an inject reached its teams (``rcb_alert`` → ``alert RCB``)."""
    key = f"channel.{channel}"
    return text(key, lang) if key in LABELS else channel


def action_status_label(status: str, lang: str) -> str:
    """Where an action stands (``completed`` → ``zakończone``)."""
    key = f"action.{status}"
    return text(key, lang) if key in LABELS else status


def rating_label(rating: str, lang: str) -> str:
    """An HSEEP rating spelled out (``S - performed with some challenges``)."""
    key = f"rating.{rating}"
    return text(key, lang) if key in LABELS else rating


def format_number(value: float, lang: str, digits: int = 0) -> str:
    """A number as people write it: ``12 345,5`` in Polish, ``12,345.5`` in English.

    Parameters
    ----------
    value
        The number.
    lang
        ``pl`` or ``en``.
    digits
        Decimal places.
    """
    formatted = f"{value:,.{digits}f}"
    if check_lang(lang) == "pl":
        formatted = formatted.replace(",", "\u00a0").replace(".", ",")
    return formatted
