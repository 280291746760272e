"""The participant console as a Starlette application: pages, forms, the JSON API, SSE.

Routes (``TEAM`` is a team id; every route but ``/join`` and ``/static`` needs a
token, from the cookie its link set or from ``Authorization: Bearer``):

======================================  ==============================================
``GET /join/{token}``                   sets the team's cookie, goes to its page
``GET /team/{TEAM}``                    the team page (feed, figures, actions, forms)
``GET /team/{TEAM}/media``              the media feed shared by every team
``GET /team/{TEAM}/stream``             SSE of HTML fragments for the pages (htmx)
``POST /team/{TEAM}/actions``           the action form (201, or 422 with the refusal)
``POST /team/{TEAM}/decisions``         the decision-record form (the ``note`` action)
``GET /api/feed``                       ``{"team", "items"}`` (``?after=SEQ``, ``?lang=``)
``POST /api/actions``                   ``{"action", "target", "params", "note"}``
``GET /api/events``                     SSE of the same items (``Last-Event-ID``)
``GET /desk/join/{token}``              the facilitator's cookie
``GET /desk``, ``/desk/handout``        who has joined, held submissions, QR codes
``POST /desk/teams/{TEAM}/revoke``      and ``/reissue``; ``/desk/holds/{ID}/accept|return``
======================================  ==============================================

No token, or one that is not a current link: 401.  A token of team A naming
team B (in the path, ``?team=`` or the body): 403, whether or not B exists.
The server never calls the session itself: submissions go through the
:class:`~cybrelia.exercise.participants.Inbox` and are carried out on the
session's thread.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable, Hashable
from contextlib import suppress
from importlib import resources
from typing import Any
from urllib.parse import parse_qs

import jinja2
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from cybrelia.exercise.participants import Hold, Participants
from cybrelia.exercise.types import ActionRequest, ActionState, Refusal
from cybrelia.exercise.wording import refusal_text
from cybrelia.files.actions import ACTIONS, RESOURCE_KINDS
from cybrelia.files.names import area_name
from cybrelia.i18n import LANGUAGES, Texts, action_label, lookup, resource_label, text
from cybrelia.web.api import ActionBody, feed_item
from cybrelia.web.feed import Bulletin, Item
from cybrelia.web.handout import qr_svg
from cybrelia.web.limits import BodyLimit, RateLimiter

__all__ = ["COOKIE", "DESK_COOKIE", "LANG_COOKIE", "WebConsole", "create_app"]

COOKIE = "cybrelia_team"
DESK_COOKIE = "cybrelia_desk"
LANG_COOKIE = "cybrelia_lang"
#: A live stream wakes at least this often (seconds), to send a keep-alive and notice revoked links.
HEARTBEAT_SECONDS = 10.0
#: A stream sends the figures at most this often (seconds).
FIGURES_SECONDS = 1.0
#: How long a submission may wait for the session's thread before the team is told to look again.
SUBMIT_SECONDS = 30.0
#: Rendered fragments kept for reuse before the cache starts again.
FRAGMENTS_KEPT = 4096
#: Live views one team may hold open at once.
STREAMS_PER_TEAM = 12

_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class WebConsole:
    """What the routes share: the participants, the bulletin, the limits, the wake-up call.

    Parameters
    ----------
    participants
        The session's participants (roster, inbox, held submissions).
    lang
        The pages' language until a participant picks the other.
    """

    def __init__(self, participants: Participants, *, lang: str = "pl") -> None:
        self.participants = participants
        self.roster = participants.roster
        self.stopping = False
        self._fragments: dict[tuple[str, Hashable], str] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._changed: asyncio.Event | None = None
        self.lang = lang
        self.bulletin = Bulletin(participants, self.notify)
        self.submissions = RateLimiter(rate=0.5, burst=10)
        self.failures = RateLimiter(rate=1.0, burst=30)
        exercise = participants.session.exercise
        self.exercise = exercise
        #: The form's target choices in each language.
        self.targets: dict[str, list[tuple[str, list[tuple[str, str]]]]] = {
            language: _targets(exercise, language) for language in LANGUAGES
        }
        self.templates = jinja2.Environment(
            loader=jinja2.PackageLoader("cybrelia.web", "templates"),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
        )
        self.templates.globals.update(
            say=text,
            lookup=lookup,
            action_names=_action_names(),
            qr_svg=qr_svg,
            clock_of=_wall_clock,
        )

    # --- waking the streams ----------------------------------------------------------------

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Wake the streams on ``loop`` when the bulletin changes (the server's loop)."""
        self._loop = loop
        self._changed = asyncio.Event()

    def notify(self) -> None:
        """The bulletin changed (the session's thread): wake the streams without waiting."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        changed = self._changed
        self._changed = asyncio.Event()
        if changed is not None:
            changed.set()

    async def changed(self, timeout: float) -> bool:
        """Wait until the bulletin changes (True) or ``timeout`` seconds pass (False)."""
        if self._changed is None:
            self.bind(asyncio.get_running_loop())
        assert self._changed is not None
        try:
            await asyncio.wait_for(self._changed.wait(), timeout)
        except TimeoutError:
            return False
        return True

    def stop(self) -> None:
        """End every stream (the session is ending)."""
        self.stopping = True
        self.notify()

    # --- who is asking ---------------------------------------------------------------------------

    def team(self, request: Request, named: str | None = None) -> str:
        """The team of the request's token; 401 without a valid one, 403 if it names another."""
        token = _token(request, COOKIE)
        team = self.roster.team_of(token)
        if team is None:
            if not self.failures.allow(_client(request)):
                raise HTTPException(429)
            raise HTTPException(401)
        if named is not None and named != team:
            raise HTTPException(403)
        self.roster.seen(team)
        return team

    def facilitator(self, request: Request) -> None:
        """401 unless the request carries the facilitator's token."""
        if not self.roster.is_facilitator(_token(request, DESK_COOKIE)):
            if not self.failures.allow(_client(request)):
                raise HTTPException(429)
            raise HTTPException(401)

    def language(self, request: Request) -> str:
        """``?lang=``, then the language cookie, then the console's default."""
        for value in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
            if value in LANGUAGES:
                return value
        return self.lang

    # --- submissions --------------------------------------------------------------------------

    async def submit(self, team: str, request: ActionRequest) -> tuple[int, dict[str, Any]]:
        """Hand a team's submission to the session's thread; (HTTP status, answer)."""
        if not self.submissions.allow(team):
            raise HTTPException(429)
        participants = self.participants

        def carry_out() -> dict[str, Any]:
            return _outcome(participants.submit(request))

        future = participants.inbox.call(carry_out)
        try:
            answer = await asyncio.wait_for(asyncio.wrap_future(future), SUBMIT_SECONDS)
        except Refusal as refusal:
            exercise = participants.session.exercise
            reason = {lang: refusal_text(exercise, refusal, Texts(lang)) for lang in LANGUAGES}
            return 422, {"error": "refused", "reason": reason["en"], "reason_pl": reason["pl"]}
        except TimeoutError:
            return 503, {"error": "busy", "reason": "the session did not answer in time"}
        return 201, answer

    # --- rendering ----------------------------------------------------------------------

    def render(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        """A page or fragment from ``templates/``."""
        html = self.templates.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status, headers=_SECURITY_HEADERS)

    def fragment(self, name: str, key: Hashable | None = None, **context: Any) -> str:
        """A fragment's HTML (for an SSE ``data:`` field), rendered once per ``key``.

        Thirty phones receive the same item: with a key (the item, the language
        and whose view it is) it is rendered for the first and reused for the rest.
        """
        if key is None:
            return self.templates.get_template(name).render(**context)
        cached = self._fragments.get((name, key))
        if cached is None:
            if len(self._fragments) > FRAGMENTS_KEPT:
                self._fragments.clear()
            cached = self._fragments[(name, key)] = self.templates.get_template(name).render(
                **context
            )
        return cached


def create_app(console: WebConsole, *, max_body: int = 16_384) -> Starlette:
    """The Starlette application of ``console``."""
    routes = _Routes(console)
    static = resources.files("cybrelia.web").joinpath("static")
    return Starlette(
        routes=[
            Route("/", routes.home),
            Route("/join/{token}", routes.join),
            Route("/team/{team}", routes.team_page),
            Route("/team/{team}/media", routes.media_page),
            Route("/team/{team}/stream", routes.team_stream),
            Route("/team/{team}/actions", routes.form_action, methods=["POST"]),
            Route("/team/{team}/decisions", routes.form_decision, methods=["POST"]),
            Route("/api/feed", routes.api_feed),
            Route("/api/actions", routes.api_actions, methods=["POST"]),
            Route("/api/events", routes.api_events),
            Route("/desk/join/{token}", routes.desk_join),
            Route("/desk", routes.desk_page),
            Route("/desk/handout", routes.handout),
            Route("/desk/stream", routes.desk_stream),
            Route("/desk/teams/{team}/{move}", routes.desk_team, methods=["POST"]),
            Route("/desk/holds/{hold}/{move}", routes.desk_hold, methods=["POST"]),
            Mount("/static", StaticFiles(directory=str(static)), name="static"),
        ],
        middleware=[Middleware(BodyLimit, max_body=max_body)],
        exception_handlers={HTTPException: routes.error},
    )


class _Routes:
    def __init__(self, console: WebConsole) -> None:
        self.c = console

    # --- errors ------------------------------------------------------------------------------

    async def error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        code = exc.status_code
        lang = self.c.language(request)
        if request.url.path.startswith("/api/"):
            reason = {401: "no or wrong token", 403: "another team", 429: "too many requests"}
            return JSONResponse(
                {"error": reason.get(code, exc.detail), "reason": text(f"web.error.{code}", "en")},
                status_code=code,
                headers={"WWW-Authenticate": "Bearer"} if code == 401 else None,
            )
        return self.c.render(
            "error.html", code, lang=lang, code=code, message=text(f"web.error.{code}", lang)
        )

    # --- joining ---------------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        team = self.c.roster.team_of(request.cookies.get(COOKIE))
        if team is None:
            raise HTTPException(401)
        return RedirectResponse(f"/team/{team}", status_code=303)

    async def join(self, request: Request) -> Response:
        token = request.path_params["token"]
        team = self.c.roster.team_of(token)
        if team is None:
            if not self.c.failures.allow(_client(request)):
                raise HTTPException(429)
            raise HTTPException(401)
        self.c.roster.seen(team)
        response = RedirectResponse(f"/team/{team}", status_code=303)
        _set_cookie(response, COOKIE, token)
        return response

    async def desk_join(self, request: Request) -> Response:
        token = request.path_params["token"]
        if not self.c.roster.is_facilitator(token):
            raise HTTPException(401)
        response = RedirectResponse("/desk", status_code=303)
        _set_cookie(response, DESK_COOKIE, token)
        return response

    # --- the team's pages -----------------------------------------------------------------

    async def team_page(self, request: Request) -> Response:
        team = self.c.team(request, request.path_params["team"])
        return self._page(request, team, "team.html", "team")

    async def media_page(self, request: Request) -> Response:
        team = self.c.team(request, request.path_params["team"])
        return self._page(request, team, "media.html", "media")

    def _page(self, request: Request, team: str, template: str, view: str) -> Response:
        lang = self.c.language(request)
        kinds = ("media",) if view == "media" else ("inject", "message")
        items, last = self.c.bulletin.since(team, 0, kinds)
        response = self.c.render(
            template,
            lang=lang,
            team=team,
            view=view,
            items=items[::-1],
            last=last,
            figures=self.c.bulletin.figures(team),
            targets=self.c.targets[lang],
        )
        if request.query_params.get("lang") in LANGUAGES:
            _set_cookie(response, LANG_COOKIE, request.query_params["lang"], http_only=False)
        return response

    async def team_stream(self, request: Request) -> Response:
        team = self.c.team(request, request.path_params["team"])
        lang = self.c.language(request)
        media = request.query_params.get("view") == "media"
        kinds = ("media",) if media else ("inject", "message")
        token = _token(request, COOKIE)

        def item(it: Item) -> str:
            return self.c.fragment(
                "_item.html", (it["seq"], lang, True), it=it, lang=lang, team=team
            )

        def whole(items: list[Item]) -> str:
            return self.c.fragment(
                "_items.html",
                items=items[::-1],
                lang=lang,
                team=team,
                view="media" if media else "team",
            )

        def figures() -> dict[str, str]:
            shown = self.c.bulletin.figures(team)
            key = (shown.get("version"), team, lang)
            return {
                event: self.c.fragment(f"_{event}.html", key, figures=shown, lang=lang, team=team)
                for event in ("panel", "assets")
            }

        return self._stream(request, team, token, kinds, item, whole, None if media else figures)

    # --- forms -------------------------------------------------------------------------------

    async def form_action(self, request: Request) -> Response:
        team = self.c.team(request, request.path_params["team"])
        form = await _form(request)
        target = form.get("target") or None
        action = form.get("action", "")
        return await self._form_submit(request, team, action, target, form.get("note", ""))

    async def form_decision(self, request: Request) -> Response:
        team = self.c.team(request, request.path_params["team"])
        form = await _form(request)
        return await self._form_submit(request, team, "note", None, form.get("note", ""))

    async def _form_submit(
        self, request: Request, team: str, action: str, target: str | None, note: str
    ) -> Response:
        lang = self.c.language(request)
        try:
            body = ActionBody(action=action, target=target, note=note)
        except ValidationError as error:
            return self.c.render(
                "_result.html",
                422,
                lang=lang,
                ok=False,
                message=text("web.result.invalid", lang, reason=_first_error(error)),
            )
        status, answer = await self.c.submit(team, body.request(team))
        return self.c.render(
            "_result.html",
            status,
            lang=lang,
            ok=status == 201,
            message=_result_text(status, answer, lang),
        )

    # --- the JSON API ------------------------------------------------------------------------

    async def api_feed(self, request: Request) -> Response:
        team = self.c.team(request, request.query_params.get("team"))
        lang = self.c.language(request)
        after = _int(request.query_params.get("after"), 0)
        items, last = self.c.bulletin.since(team, after)
        return JSONResponse(
            {"team": team, "last": last, "items": [feed_item(it, lang) for it in items]},
            headers=_SECURITY_HEADERS,
        )

    async def api_actions(self, request: Request) -> Response:
        team = self.c.team(request)
        try:
            data = json.loads(await request.body())
        except ValueError:
            return JSONResponse(
                {"error": "invalid", "reason": "the body is not JSON"}, status_code=422
            )
        if isinstance(data, dict) and data.get("team") is not None:
            team = self.c.team(request, str(data.pop("team")))
        try:
            body = ActionBody.model_validate(data)
        except ValidationError as error:
            return JSONResponse(
                {"error": "invalid", "reason": _first_error(error)}, status_code=422
            )
        status, answer = await self.c.submit(team, body.request(team))
        return JSONResponse(answer, status_code=status, headers=_SECURITY_HEADERS)

    async def api_events(self, request: Request) -> Response:
        team = self.c.team(request, request.query_params.get("team"))
        lang = self.c.language(request)
        token = _token(request, COOKIE)

        def item(it: Item) -> str:
            return json.dumps(feed_item(it, lang), ensure_ascii=False)

        return self._stream(request, team, token, None, item, None, None)

    # --- the facilitator ---------------------------------------------------------------------

    async def desk_page(self, request: Request) -> Response:
        self.c.facilitator(request)
        lang = self.c.language(request)
        items, last = self.c.bulletin.since(None, 0)
        return self.c.render(
            "desk.html",
            lang=lang,
            items=items[::-1],
            last=last,
            view="desk",
            **self._desk_context(),
        )

    def _desk_context(self) -> dict[str, Any]:
        return {
            "presence": self.c.roster.presence(),
            "links": self.c.participants.links(),
            "holds": [h for h in self.c.participants.holds.values() if h.status == "held"],
            "names": {t.id: t.name.model_dump() for t in self.c.exercise.scenario.teams},
            "figures": self.c.bulletin.figures(None),
            "approve": self.c.participants.approve,
            "team": None,
            "message": "",
        }

    async def handout(self, request: Request) -> Response:
        self.c.facilitator(request)
        lang = self.c.language(request)
        return self.c.render("handout.html", lang=lang, **self._desk_context())

    async def desk_stream(self, request: Request) -> Response:
        self.c.facilitator(request)
        lang = self.c.language(request)

        def item(it: Item) -> str:
            return self.c.fragment(
                "_item.html", (it["seq"], lang, False), it=it, lang=lang, team=None
            )

        def whole(items: list[Item]) -> str:
            return self.c.fragment(
                "_items.html", items=items[::-1], lang=lang, team=None, view="desk"
            )

        def panel() -> dict[str, str]:
            return {"panel": self.c.fragment("_desk_panel.html", lang=lang, **self._desk_context())}

        return self._stream(request, None, None, None, item, whole, panel)

    async def desk_team(self, request: Request) -> Response:
        self.c.facilitator(request)
        team, move = request.path_params["team"], request.path_params["move"]
        if team not in self.c.roster.teams or move not in ("revoke", "reissue"):
            raise HTTPException(404)
        if move == "revoke":
            self.c.roster.revoke(team)
        else:
            self.c.roster.reissue(team)
        self.c.notify()
        return self.c.render(
            "_desk_panel.html", lang=self.c.language(request), **self._desk_context()
        )

    async def desk_hold(self, request: Request) -> Response:
        self.c.facilitator(request)
        hold_id, move = request.path_params["hold"], request.path_params["move"]
        if move not in ("accept", "return"):
            raise HTTPException(404)
        form = await _form(request)
        participants = self.c.participants

        def carry_out() -> None:
            if move == "accept":
                participants.accept(hold_id)
            else:
                participants.send_back(hold_id, form.get("note", "").strip())

        lang = self.c.language(request)
        message = ""
        try:
            await asyncio.wait_for(
                asyncio.wrap_future(participants.inbox.call(carry_out)), SUBMIT_SECONDS
            )
        except Refusal as refusal:
            message = refusal_text(participants.session.exercise, refusal, Texts(lang))
        return self.c.render(
            "_desk_panel.html", lang=lang, **{**self._desk_context(), "message": message}
        )

    # --- streams -------------------------------------------------------------------------------

    def _stream(
        self,
        request: Request,
        team: str | None,
        token: str | None,
        kinds: tuple[str, ...] | None,
        item: Callable[[Item], str],
        whole: Callable[[list[Item]], str] | None,
        panel: Callable[[], dict[str, str]] | None,
    ) -> Response:
        """An SSE response: missed items (or the whole list), then each new one as it comes."""
        if team is not None and _open_streams(self.c, team) >= STREAMS_PER_TEAM:
            raise HTTPException(429)
        after = _int(request.headers.get("last-event-id") or request.query_params.get("after"), -1)
        console = self.c

        async def events() -> AsyncIterator[str]:
            nonlocal after
            if team is not None:
                console.roster.connected(team, 1)
            try:
                yield "retry: 2000\n\n"
                shown_figures: object = None
                next_figures = 0.0
                loop = asyncio.get_running_loop()
                if after < 0 and whole is not None:
                    items, last = console.bulletin.since(team, 0, kinds)
                    yield _sse("feed", whole(items), last)
                    after = last
                after = max(after, 0)
                while not console.stopping:
                    if await request.is_disconnected():
                        return  # the phone went away: let its view go
                    if team is not None and console.roster.team_of(token) != team:
                        yield _sse("revoked", "", None)
                        return
                    items, last = console.bulletin.since(team, after, kinds)
                    for it in items:
                        yield _sse("item", item(it), it["seq"])
                    after = last
                    figures = console.bulletin.figures(team)
                    if (
                        panel is not None
                        and figures is not shown_figures
                        and loop.time() >= next_figures
                    ):
                        shown_figures = figures
                        next_figures = loop.time() + FIGURES_SECONDS
                        for name, html in panel().items():
                            yield _sse(name, html, None)
                    wait = (
                        HEARTBEAT_SECONDS
                        if panel is None or figures is shown_figures
                        else FIGURES_SECONDS
                    )
                    if not await console.changed(wait):
                        yield ": keep-alive\n\n"
            finally:
                if team is not None:
                    console.roster.connected(team, -1)

        return StreamingResponse(
            events(),
            media_type="text/event-stream",
            headers={**_SECURITY_HEADERS, "X-Accel-Buffering": "no"},
        )


# --- helpers ------------------------------------------------------------------------------


def _sse(event: str, data: str, seq: int | None) -> str:
    lines = [f"event: {event}"]
    if seq is not None:
        lines.append(f"id: {seq}")
    lines.extend(f"data: {line}" for line in data.splitlines() or [""])
    return "\n".join(lines) + "\n\n"


def _open_streams(console: WebConsole, team: str) -> int:
    return next((p.clients for p in console.roster.presence() if p.team == team), 0)


def _token(request: Request, cookie: str) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(cookie)


def _client(request: Request) -> str:
    return request.client.host if request.client is not None else "?"


def _set_cookie(response: Response, name: str, value: str, *, http_only: bool = True) -> None:
    response.set_cookie(
        name, value, httponly=http_only, samesite="lax", path="/", max_age=7 * 86400
    )


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


async def _form(request: Request) -> dict[str, str]:
    body = (await request.body()).decode("utf-8", "replace")
    return {key: values[-1] for key, values in parse_qs(body, max_num_fields=20).items()}


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


def _outcome(result: ActionState | Hold) -> dict[str, Any]:
    """The answer to a submission, read on the session's thread."""
    if isinstance(result, Hold):
        return {"id": result.id, "state": "held"}
    return {
        "id": result.id,
        "state": result.status,
        "detail": result.detail,
        "detail_pl": result.detail_pl,
    }


def _result_text(status: int, answer: dict[str, Any], lang: str) -> str:
    if status == 201 and answer.get("state") == "held":
        return text("web.result.held", lang, id=answer["id"])
    if status == 201:
        return text(
            "web.result.accepted",
            lang,
            id=answer["id"],
            status=text(f"action.{answer['state']}", lang),
        )
    if status == 422:
        reason = answer["reason_pl"] if lang == "pl" else answer["reason"]
        return text("web.result.refused", lang, reason=reason)
    return str(answer.get("reason", ""))


def _wall_clock(timestamp: float) -> str:
    return time.strftime("%H:%M", time.localtime(timestamp))


def _action_names() -> dict[str, tuple[str, str]]:
    return {name: (action_label(name, "pl"), action_label(name, "en")) for name in ACTIONS}


def _targets(exercise: Any, lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The form's target choices in groups, by name in ``lang``: assets, areas, claims,
    resource kinds (the value sent is the id)."""
    assets = sorted(exercise.model.assets, key=lambda a: (a.label.casefold(), a.id))
    claims = sorted(
        {
            effect.claim.id: effect.claim.text.get(lang)
            for inject in exercise.scenario.injects
            for effect in inject.effects
            if effect.claim is not None
        }.items()
    )
    kinds = sorted((resource_label(kind, lang), kind) for kind in RESOURCE_KINDS)
    return [
        ("asset", [(a.id, a.label) for a in assets]),
        (
            "district",
            [
                ("all", area_name(exercise.model, "all", lang)),
                *((d.id, d.name or d.id) for d in exercise.model.districts),
            ],
        ),
        ("claim", claims),
        ("resource_kind", [(kind, label) for label, kind in kinds]),
    ]
