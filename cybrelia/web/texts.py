"""Polish and English texts of the participant console, Polish first as in the scenarios."""

from __future__ import annotations

from typing import Any

__all__ = ["LANGUAGES", "TEXTS", "say"]

LANGUAGES = ("pl", "en")

TEXTS: dict[str, tuple[str, str]] = {
    "app": ("CYBRELIA - konsola zespołu", "CYBRELIA - team console"),
    "desk": ("CYBRELIA - uczestnicy", "CYBRELIA - participants"),
    "lang.other": ("English", "Polski"),
    "nav.team": ("Mój zespół", "My team"),
    "nav.media": ("Media", "Media"),
    "nav.desk": ("Prowadzący", "Facilitator"),
    "nav.handout": ("Kody QR do wydruku", "Printable QR codes"),
    "clock.running": ("trwa", "running"),
    "clock.paused": ("wstrzymane", "paused"),
    "clock.ended": ("zakończone", "ended"),
    "live.offline": ("brak połączenia - łączę ponownie…", "offline - reconnecting…"),
    "section.feed": ("Wiadomości", "Messages"),
    "section.figures": ("Sytuacja", "Situation"),
    "section.assets": ("Nasze obiekty", "Our facilities"),
    "section.deadlines": ("Terminy", "Deadlines"),
    "section.actions": ("Nasze działania", "Our actions"),
    "section.act": ("Zgłoś działanie", "Submit an action"),
    "section.decide": ("Zapisz decyzję", "Record a decision"),
    "section.media": ("Media i portale społecznościowe", "Media and social media"),
    "section.teams": ("Zespoły", "Teams"),
    "section.held": ("Czekają na akceptację", "Waiting for approval"),
    "empty.feed": ("Jeszcze nic nie przyszło.", "Nothing has arrived yet."),
    "empty.media": ("Media jeszcze milczą.", "The media are quiet so far."),
    "empty.actions": ("Brak działań.", "No actions yet."),
    "empty.deadlines": ("Brak otwartych terminów.", "No open deadlines."),
    "empty.held": ("Nic nie czeka.", "Nothing is waiting."),
    "figure.power": ("bez prądu", "without power"),
    "figure.water": ("bez wody", "without water"),
    "figure.heat": ("bez ciepła", "without heat"),
    "figure.telecom": ("bez łączności", "without telecom"),
    "figure.wastewater": ("bez odbioru ścieków", "without sewage disposal"),
    "figure.people_in_need": ("potrzebuje pomocy", "in need"),
    "figure.critical_down": ("obiekty krytyczne nie działają", "critical facilities down"),
    "deadline": ("{action} do {clock}", "{action} by {clock}"),
    "state.up": ("działa", "up"),
    "state.backup": ("rezerwa", "backup"),
    "state.down": ("nie działa", "down"),
    "channel.phone": ("telefon", "phone"),
    "channel.email": ("e-mail", "e-mail"),
    "channel.radio": ("radio", "radio"),
    "channel.media": ("media", "media"),
    "channel.rcb_alert": ("alert RCB", "RCB alert"),
    "channel.sirens": ("syreny", "sirens"),
    "channel.field_report": ("meldunek z terenu", "field report"),
    "channel.message": ("komunikat", "notice"),
    "status.held": ("czeka na akceptację", "waiting for approval"),
    "status.returned": ("zwrócone", "sent back"),
    "status.accepted": ("przyjęte", "accepted"),
    "status.refused": ("odmowa", "refused"),
    "status.queued": ("w kolejce", "queued"),
    "status.started": ("w toku", "under way"),
    "status.completed": ("wykonane", "done"),
    "status.failed": ("nieudane", "failed"),
    "status.cancelled": ("odwołane", "cancelled"),
    "status.submitted": ("zgłoszone", "submitted"),
    "target.asset": ("Obiekty", "Facilities"),
    "target.district": ("Dzielnice", "Districts"),
    "target.claim": ("Plotki", "Claims"),
    "target.resource_kind": ("Rodzaje zasobów", "Resource kinds"),
    "serve.open_warning": (
        "Uwaga: konsola uczestników jest otwarta dla całej sieci ({host}); "
        "używaj jej tylko w zamkniętej sieci sali.",
        "Warning: the participant console is open to the whole network ({host}); "
        "use it only on the room's closed network.",
    ),
    "serve.listening": (
        "uczestnicy: {url}  prowadzący: {desk}",
        "participants: {url}  facilitator: {desk}",
    ),
    "form.action": ("Działanie", "Action"),
    "form.target": (
        "Cel (obiekt, dzielnica, plotka lub zasób)",
        "Target (asset, district, claim or resource)",
    ),
    "form.params": ("Parametry (klucz=wartość, …)", "Parameters (key=value, …)"),
    "form.note": ("Uzasadnienie", "Rationale"),
    "form.decision": ("Decyzja i uzasadnienie", "Decision and rationale"),
    "form.submit": ("Zgłoś", "Submit"),
    "form.record": ("Zapisz", "Record"),
    "form.none": ("(bez celu)", "(no target)"),
    "result.accepted": ("Przyjęte: {id} ({status}).", "Accepted: {id} ({status})."),
    "result.held": (
        "Przekazane prowadzącemu do akceptacji ({id}).",
        "Passed to the facilitator for approval ({id}).",
    ),
    "result.refused": ("Odmowa: {reason}", "Refused: {reason}"),
    "result.invalid": ("Błędne zgłoszenie: {reason}", "Invalid submission: {reason}"),
    "desk.joined": ("dołączył {when}", "joined {when}"),
    "desk.not_joined": ("jeszcze nie dołączył", "not joined yet"),
    "desk.revoked": ("link unieważniony", "link revoked"),
    "desk.clients": ("otwartych widoków: {n}", "open views: {n}"),
    "desk.revoke": ("Unieważnij link", "Revoke link"),
    "desk.reissue": ("Nowy link", "New link"),
    "desk.accept": ("Przyjmij", "Accept"),
    "desk.send_back": ("Zwróć z uwagą", "Send back with a note"),
    "desk.note": ("Uwaga dla zespołu", "Note for the team"),
    "desk.feed": ("Przebieg", "Feed"),
    "handout.title": ("Linki zespołów", "Team links"),
    "handout.hint": (
        "Zeskanuj kod telefonem w sieci sali. Link jest tylko dla Twojego zespołu.",
        "Scan the code with a phone on the room's network. The link is for your team only.",
    ),
    "error.401": (
        "Brak dostępu: otwórz link swojego zespołu (kod QR od prowadzącego).",
        "No access: open your team's link (the QR code from the facilitator).",
    ),
    "error.403": ("To nie jest strona Twojego zespołu.", "This is not your team's page."),
    "error.404": ("Nie ma takiej strony.", "No such page."),
    "error.413": ("Zgłoszenie jest za duże.", "The submission is too large."),
    "error.429": (
        "Za dużo zgłoszeń naraz - spróbuj za chwilę.",
        "Too many requests - try again shortly.",
    ),
}


def say(key: str, lang: str, /, **fields: Any) -> str:
    """The text of ``key`` in ``lang`` (``pl`` or ``en``), with ``{fields}`` filled in."""
    pl, en = TEXTS.get(key, (key, key))
    text = en if lang == "en" else pl
    return text.format(**fields) if fields else text
